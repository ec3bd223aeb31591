#!/usr/bin/env python3
"""PraIngest on its two stores, same machine, same run (issue 24):

1. the 100k-order N11 and Shopify files ingested into SQLite and into PostgreSQL, beside
   PostgreSQL's own bulk load of the same rows (COPY, the floor of any client);
2. 60 Shopify files of 6 sellers dropped at once into one inbox, worked by 1, 2 and 3
   `pra-ingest run` workers sharing a PostgreSQL store (and by one on SQLite): files per second
   and the time from the drop to the last invoice written.

PostgreSQL is a throw-away cluster with its durable defaults (fsync on), started by scripts/postgres.
usage: stores.py [--orders 100000] [--files 60] [--file-orders 500] [--workers 1,2,3]
"""
import argparse, os, shutil, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import generate  # noqa: E402
from bench import BIN, fresh_home, run, timed  # noqa: E402

SELLERS = [f"s{i}" for i in range(1, 7)]
VKNS = ["1234567816", "1234567824", "1234567832", "1234567849", "1234567857", "1234567865"]

def sellers_config():
    text = "invoicing: { issue_at: landed }\nsellers:\n"
    for i, (seller, vkn) in enumerate(zip(SELLERS, VKNS)):
        text += (f"  {seller}:\n    name: Satıcı {i + 1} A.Ş.\n    tax_id: \"{vkn}\"\n    tax_office: Kadıköy\n"
                 f"    invoice_prefix: S{i + 1}A\n    address: {{ district: Kadıköy, city: İstanbul }}\n")
    return text

class Cluster:
    def __init__(self, folder):
        self.folder = os.path.abspath(folder)
        env = dict(os.environ, PRA_PG_DURABLE="1")
        self.url = run([os.path.join(ROOT, "scripts", "postgres"), "start", self.folder], env=env).stdout.strip()
        self.n = 0

    def database(self):
        self.n += 1
        name = f"bench{self.n}"
        run(["psql", self.url, "-qc", f"CREATE DATABASE {name}"])
        return self.url.rsplit("/", 1)[0] + "/" + name

    def stop(self):
        run([os.path.join(ROOT, "scripts", "postgres"), "stop", self.folder])

def psql(url, sql):
    return run(["psql", url, "-tAqc", sql]).stdout.strip()

def ingest(home, path, store):
    fresh_home(home)
    return timed([BIN, "ingest", "--home", home, "--store", store, "--no-export", path])

def copy_floor(url, work):
    """PostgreSQL loading the rows PraIngest stored (orders, lines, products) with COPY in one
    transaction, into the same tables with the same indexes and checks: seconds."""
    tables = ["urunler", "siparisler", "siparis_urunleri"]
    for t in tables:
        run(["psql", url, "-qc", f"\\copy {t} TO '{os.path.join(work, t + '.copy')}'"])
    script = "BEGIN;\nTRUNCATE siparis_durum_gecmisi, siparis_urunleri, siparisler, urunler CASCADE;\nCOMMIT;\n"
    run(["psql", url, "-qc", script])
    load = "BEGIN;\n" + "".join(f"\\copy {t} FROM '{os.path.join(work, t + '.copy')}'\n" for t in tables) + "COMMIT;\n"
    start = time.perf_counter()
    run(["psql", url, "-q"], input=load)
    elapsed = time.perf_counter() - start
    for t in tables:
        os.remove(os.path.join(work, t + ".copy"))
    return elapsed

def workers_run(cluster, work, files, count, sqlite=False):
    """Drops `files` (seller, path) into a fresh home at once and starts `count` workers: seconds to
    the last file archived and to the last invoice written, and the orders."""
    home = fresh_home(os.path.join(work, f"workers-{'sqlite' if sqlite else 'pg'}-{count}"), sellers_config())
    store = "sqlite:pra.sqlite" if sqlite else cluster.database()
    # The store's schema made before the clock starts, as a running service has it.
    run([BIN, "status", "--home", home, "--store", store])
    expected = 0
    for seller, path in files:
        os.makedirs(os.path.join(home, "inbox", seller), exist_ok=True)
        expected += len({line.split(",", 1)[0] for line in open(path, encoding="utf-8") if line.startswith("#")})
    procs = []
    start = time.perf_counter()
    for seller, path in files:
        shutil.copy(path, os.path.join(home, "inbox", seller, os.path.basename(path)))
    for _ in range(count):
        procs.append(subprocess.Popen([BIN, "run", "--home", home, "--store", store, "--listen", "off", "--settle", "0.2",
                                       "--log-level", "error"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    def scalar(sql):
        if sqlite:
            return int(run(["sqlite3", os.path.join(home, "pra.sqlite"), sql]).stdout.strip() or 0)
        return int(psql(store, sql) or 0)
    archived_at = invoiced_at = None
    try:
        while invoiced_at is None:
            time.sleep(0.05)
            if archived_at is None and scalar("SELECT count(*) FROM is_kuyrugu WHERE durum = 'done'") == len(files):
                archived_at = time.perf_counter() - start
            if archived_at is not None and scalar("SELECT count(*) FROM faturalar WHERE durum = 'yazildi'") >= expected:
                invoiced_at = time.perf_counter() - start
            if time.perf_counter() - start > 900:
                sys.exit("workers bench: not done in 15 minutes")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait()
    orders = scalar("SELECT count(*) FROM siparisler")
    shutil.rmtree(home, ignore_errors=True)
    return archived_at, invoiced_at, orders

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=100000)
    ap.add_argument("--files", type=int, default=60)
    ap.add_argument("--file-orders", type=int, default=500)
    ap.add_argument("--workers", default="1,2,3")
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    a = ap.parse_args()
    data, work = os.path.join(a.out, "data"), os.path.join(a.out, "work")
    os.makedirs(data, exist_ok=True)
    os.makedirs(work, exist_ok=True)
    cluster = Cluster(os.path.join(work, "pg"))
    lines = []
    try:
        for kind, name in [("n11", f"n11-{a.orders}.xml"), ("shopify", f"shopify-{a.orders}.csv")]:
            path = os.path.join(data, name)
            if not os.path.exists(path):
                run([sys.executable, os.path.join(HERE, "generate.py"), data, str(a.orders), kind])
            print(f"ingesting {name} into SQLite and PostgreSQL …", file=sys.stderr, flush=True)
            sq, sq_rss = ingest(os.path.join(work, "store-sqlite"), path, "sqlite:pra.sqlite")
            url = cluster.database()
            pg, pg_rss = ingest(os.path.join(work, "store-pg"), path, url)
            orders = int(psql(url, "SELECT count(*) FROM siparisler"))
            floor = copy_floor(url, work)
            lines.append(f"{name}: {orders:,} orders — SQLite {sq:.2f} s ({orders / sq:,.0f}/s, {sq_rss:.0f} MB), "
                         f"PostgreSQL {pg:.2f} s ({orders / pg:,.0f}/s, {pg_rss:.0f} MB) = {pg / sq:.2f}× SQLite; "
                         f"PostgreSQL's COPY of the same rows {floor:.2f} s → PraIngest {pg / floor:.2f}× the COPY floor")
        per_seller = a.files // len(SELLERS)
        batch = os.path.join(data, f"workers-{a.files}x{a.file_orders}")
        os.makedirs(batch, exist_ok=True)
        files = []
        for seller in SELLERS:
            for k in range(per_seller):
                name = f"{seller}-{k:02d}.csv"
                if not os.path.exists(os.path.join(batch, name)):
                    generate.shopify(batch, a.file_orders, first=k * a.file_orders, name=name)
                files.append((seller, os.path.join(batch, name)))
        print(f"{len(files)} files, 1 worker on SQLite …", file=sys.stderr, flush=True)
        base = workers_run(cluster, work, files, 1, sqlite=True)
        lines.append(f"{len(files)} files of {a.file_orders} orders, {len(SELLERS)} sellers, dropped at once (invoices on): "
                     f"1 worker on SQLite: {len(files) / base[0]:.1f} files/s, last invoice at {base[1]:.1f} s ({base[2]:,} orders)")
        for count in [int(c) for c in a.workers.split(",")]:
            print(f"{len(files)} files, {count} workers on PostgreSQL …", file=sys.stderr, flush=True)
            done, invoiced, orders = workers_run(cluster, work, files, count)
            lines.append(f"  {count} worker{'s' if count > 1 else ''} on PostgreSQL: {len(files) / done:.1f} files/s, "
                         f"last invoice at {invoiced:.1f} s ({orders:,} orders) = {invoiced / base[1]:.2f}× SQLite's time")
    finally:
        cluster.stop()
    print(f"CPUs: {os.cpu_count()}")
    for line in lines:
        print(line)

if __name__ == "__main__":
    main()
