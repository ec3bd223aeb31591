#!/usr/bin/env python3
"""Drop-to-archive latency of the running watcher: drops DROPS small files (10 orders each,
written to a temporary name and renamed in, as an SFTP client does) one after another and
measures the time until each appears in archive/. Prints p50 and p99 in milliseconds.

usage: latency.py HOME DROPS
"""
import os, sys, time, glob

home, drops = sys.argv[1], int(sys.argv[2])
header = "Sipariş Numarası;Kalem Numarası;Sipariş Tarihi;Satıcı Stok Kodu;Adet;Faturalandırılacak Satış Fiyatı;KDV(%);Paket Durumu\n"
times = []
for d in range(drops):
    name = f"drop-{d:04d}.csv"
    body = header + "".join(f"{900000 + d * 10 + o};K1;23-11-2026 10:00:00;SKU-{o};1;10,00;20;Yeni\n" for o in range(10))
    tmp = os.path.join(home, "inbox", "." + name + ".part")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(body)
    start = time.perf_counter()
    os.rename(tmp, os.path.join(home, "inbox", name))
    deadline = start + 30
    while not glob.glob(os.path.join(home, "archive", "*", "*", "*", name)):
        if time.perf_counter() > deadline:
            sys.exit(f"{name} was not archived within 30 s")
        time.sleep(0.001)
    times.append((time.perf_counter() - start) * 1000)
times.sort()
p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print(f"{p(0.50):.1f} {p(0.99):.1f}")
