#!/usr/bin/env python3
"""The morning flood (issue 26): a seller's daily export is small, and they arrive together.
200 Shopify exports of 50 orders from 20 sellers, dropped at once (written under temporary
names, renamed in) into a running `pra-ingest run`, timed until all 10,000 orders are invoiced
(every invoice written, `faturalar.durum = 'yazildi'`) — beside the same 10,000 orders as one
file of one seller, dropped into a fresh watcher and timed the same way. Prints both, their
ratio (issue 26's target: at most 2) and the fixed cost per file it implies.

usage: flood.py BIN WORKDIR    (each run's homes are kept in WORKDIR/flood-<time>-<pid>; see run_folder)
"""
import os, shutil, signal, sqlite3, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import shopify  # noqa: E402

binary, work = sys.argv[1], sys.argv[2]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SELLERS = [f"s{i:02d}" for i in range(20)]
FILES, ORDERS = 200, 50
series = lambda i: "Q" + chr(65 + i // 26) + chr(65 + i % 26)
CONFIG = "default_seller: s00\nsellers:\n" + "".join(
    f"  {s}:\n    name: Satıcı {s} A.Ş.\n    tax_id: \"1234567890\"\n    tax_office: Kadıköy\n    invoice_prefix: {series(i)}\n"
    f"    web_site: https://{s}.example.com.tr\n    address: {{ district: Kadıköy, city: İstanbul }}\n" for i, s in enumerate(SELLERS))

def home(name):
    path = os.path.join(run_folder, name)
    os.makedirs(os.path.join(path, "inbox"))
    shutil.copytree(os.path.join(root, "mappings"), os.path.join(path, "mappings"))
    with open(os.path.join(path, "pra.yaml"), "w", encoding="utf-8") as f:
        f.write(CONFIG)
    for s in SELLERS:
        os.makedirs(os.path.join(path, "inbox", s))
    return path

def written(connection):
    """Invoices written so far, through one read-only connection kept for the whole run: a new
    connection per poll read the store's whole schema again, and at 50 polls a second took a fifth
    of the machine's CPU from the watcher it measured."""
    try:
        return connection.execute("SELECT count(*) FROM faturalar WHERE durum = 'yazildi'").fetchone()[0]
    except sqlite3.Error:
        return 0

def run(path, files):
    """Starts a watcher on `path`, renames `files` (staged under temporary names) into its inbox at
    once, and returns the seconds until every order is invoiced."""
    daemon = subprocess.Popen([binary, "run", "--home", path, "--listen", "off", "--log-level", "error"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while not os.path.exists(os.path.join(path, "pra.sqlite")) and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # the watcher's first pass over an empty inbox
        connection = sqlite3.connect(f"file:{os.path.join(path, 'pra.sqlite')}?mode=ro", uri=True, timeout=5)
        start = time.perf_counter()
        for temp, final in files:
            os.rename(temp, final)
        expected = FILES * ORDERS
        while written(connection) < expected:
            if time.perf_counter() - start > 600:
                raise SystemExit(f"{path}: {written(connection)} of {expected} invoices after 600 s")
            time.sleep(0.02)
        elapsed = time.perf_counter() - start
        connection.close()
        return elapsed
    finally:
        daemon.send_signal(signal.SIGTERM)
        cpu.append(stop(daemon))

def stop(daemon):
    """Waits up to a minute for the stopped watcher and returns its CPU seconds (user + system)."""
    deadline = time.time() + 60
    while time.time() < deadline:
        pid, _, usage = os.wait4(daemon.pid, os.WNOHANG)
        if pid:
            daemon.returncode = 0
            return usage.ru_utime + usage.ru_stime
        time.sleep(0.02)
    daemon.kill()
    raise SystemExit("the watcher did not stop within a minute of SIGTERM")

cpu = []  # the watcher's CPU seconds, one per run

# Each run's homes go in a folder of their own and are kept. Removing the last run's homes (20,000
# invoice files and more) at the start of a run made that run's file creation slow: this VM's ext4
# has no journal, and then allocating an inode skips every one deleted in the last minutes, a scan
# per file written. The single file's 10,000 invoices took 2.6-4.4 s instead of 1.1 s, unevenly
# between the builds compared, even a minute after a sync. Remove old runs when done measuring.
run_folder = os.path.join(work, f"flood-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")

def main():
    os.makedirs(run_folder)
    one = home("flood-one")
    stage = os.path.join(run_folder, "flood-staging")   # outside the inbox, on the same file system: renamed in whole
    os.makedirs(stage)
    shopify(stage, FILES * ORDERS, name="all.csv")
    single = run(one, [(os.path.join(stage, "all.csv"), os.path.join(one, "inbox", "s00", "all.csv"))])
    many = home("flood-many")
    files = []
    for n in range(FILES):
        seller = SELLERS[n % len(SELLERS)]
        name = f"orders-{n:03d}.csv"
        shopify(stage, ORDERS, first=n * ORDERS, name=name)
        files.append((os.path.join(stage, name), os.path.join(many, "inbox", seller, name)))
    flood = run(many, files)
    print(f"morning flood: {FILES} files x {ORDERS} orders from {len(SELLERS)} sellers: {flood:.1f} s until all "
          f"{FILES * ORDERS} invoiced; one file of {FILES * ORDERS}: {single:.1f} s; ratio {flood / single:.1f}x "
          f"(target at most 2x); {(flood - single) / FILES * 1000:.0f} ms more per file")
    print(f"watcher CPU: flood {cpu[1]:.2f} s, one file {cpu[0]:.2f} s; {(cpu[1] - cpu[0]) / FILES * 1000:.1f} ms more per file")
    print(f"kept: {run_folder} (about 0.2 GB: remove it once done measuring, not just before a run)")

if __name__ == "__main__":
    main()
