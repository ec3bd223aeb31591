#!/usr/bin/env python3
"""The HTTP side under a morning's load: UPLOADS concurrent uploads of small files (10 orders
each) from this second process, by 20 sellers through their own keys, into a running
`pra-ingest run`. Checks that none is lost and every order is ingested and invoiced, then prints
one line: files/s, p50 and p99 from upload start to `ingested` (GET /v1/jobs), the server's peak RSS.

usage: uploads.py BIN HOME UPLOADS
"""
import http.client, json, os, shutil, socket, sqlite3, subprocess, sys, threading, time
from concurrent.futures import ThreadPoolExecutor

binary, home, uploads = sys.argv[1], sys.argv[2], int(sys.argv[3])
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sellers = [f"s{i:02d}" for i in range(20)]
series = lambda i: "Q" + chr(65 + i // 26) + chr(65 + i % 26)
# Invoiced as they land (issue_at: landed): the uploaded orders are new, and every one must get its invoice.
config = "default_seller: s00\ninvoicing: { issue_at: landed }\nhttp:\n  rate_limit: { per_second: 100000, burst: 100000 }\nsellers:\n" + "".join(
    f"  {s}:\n    name: Satıcı {s} A.Ş.\n    tax_id: \"1234567890\"\n    tax_office: Kadıköy\n    invoice_prefix: {series(i)}\n"
    f"    web_site: https://{s}.example.com.tr\n    address: {{ district: Kadıköy, city: İstanbul }}\n" for i, s in enumerate(sellers))
shutil.rmtree(home, ignore_errors=True)
os.makedirs(home)
shutil.copytree(os.path.join(root, "mappings"), os.path.join(home, "mappings"))
with open(os.path.join(home, "pra.yaml"), "w", encoding="utf-8") as f:
    f.write(config)
keys = {s: subprocess.run([binary, "keys", "create", "--role", "seller", "--seller", s, "--home", home], check=True,
                          capture_output=True, text=True).stdout.strip().splitlines()[-1] for s in sellers}
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
daemon = subprocess.Popen([binary, "run", "--home", home, "--listen", f"127.0.0.1:{port}", "--log-level", "error"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
header = "Sipariş Numarası;Kalem Numarası;Sipariş Tarihi;Satıcı Stok Kodu;Adet;Faturalandırılacak Satış Fiyatı;KDV(%);Paket Durumu\n"

def request(method, path, key, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request(method, path, body=body, headers={"Authorization": f"Bearer {key}"})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data

def upload(n):
    seller = sellers[n % len(sellers)]
    body = (header + "".join(f"{7000000 + n * 10 + o};K1;23-11-2026 10:00:00;SKU-{o};1;10,00;20;Yeni\n" for o in range(10))).encode()
    start = time.perf_counter()
    status, data = request("PUT", f"/v1/inbox/{seller}/orders-{n:04d}.csv", keys[seller], body)
    if status != 202:
        raise SystemExit(f"upload {n}: {status} {data[:200]!r}")
    job = json.loads(data)["job"]
    while True:
        status, data = request("GET", f"/v1/jobs/{job}", keys[seller])
        state = json.loads(data).get("status")
        if state not in ("pending", "processing"):
            break
        if time.perf_counter() - start > 300:
            raise SystemExit(f"upload {n}: not ingested in 300 s")
        time.sleep(0.02)
    if state != "ingested":
        raise SystemExit(f"upload {n}: {state}")
    return time.perf_counter() - start

peak = [0]
def sample_rss():
    while daemon.poll() is None:
        try:
            with open(f"/proc/{daemon.pid}/status") as f:
                peak[0] = max(peak[0], next(int(l.split()[1]) for l in f if l.startswith("VmHWM")))
        except (OSError, StopIteration):
            pass
        time.sleep(0.05)
try:
    for _ in range(100):
        try:
            if request("GET", "/health/ready", "")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.1)
    threading.Thread(target=sample_rss, daemon=True).start()
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=uploads) as pool:
        latencies = sorted(pool.map(upload, range(uploads)))
    wall = time.perf_counter() - began
    deadline = time.time() + 120
    db = sqlite3.connect(os.path.join(home, "pra.sqlite"), timeout=30)
    while True:
        orders, invoiced = db.execute("SELECT (SELECT count(*) FROM siparisler), (SELECT count(*) FROM faturalar "
                                      "WHERE durum = 'yazildi')").fetchone()
        if invoiced == uploads * 10 or time.time() > deadline:
            break
        time.sleep(0.2)
    if orders != uploads * 10 or invoiced != uploads * 10:
        raise SystemExit(f"lost: {orders} orders, {invoiced} invoices written of {uploads * 10}")
finally:
    daemon.terminate()
    daemon.wait()
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
print(f"{uploads / wall:.1f} {p(0.5):.0f} {p(0.99):.0f} {peak[0] / 1024:.0f}")
