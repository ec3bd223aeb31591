#!/usr/bin/env python3
"""PraIngest benchmark: generates exports, ingests them with the release build and runs the
baselines beside it on the same files, same machine, same run. Prints one table.

usage: bench.py [--sizes 10000,100000] [--out DIR] [--skip-latency] [--skip-ubl] [--skip-uploads]
"""
import argparse, csv, ctypes, os, shutil, statistics, subprocess, sys, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "pra-ingest")
HERE = os.path.dirname(os.path.abspath(__file__))
LIBC = ctypes.CDLL(None, use_errno=True)

def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)

def timed(cmd, **kw):
    """Wall seconds and peak RSS (MB) of a command, from /usr/bin/time."""
    r = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stdout}\n{r.stderr}")
    wall, rss = r.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024

def fresh_home(path, config=None):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    shutil.copytree(os.path.join(ROOT, "mappings"), os.path.join(path, "mappings"))
    if config:
        with open(os.path.join(path, "pra.yaml"), "w", encoding="utf-8") as f:
            f.write(config)
    return path

ORDER_TABLES = ["kullanicilar", "platform_turleri", "platformlar", "entegrasyonlar", "kaynak_dosyalar", "urunler",
                "siparisler", "siparis_urunleri", "siparis_durum_gecmisi"]

def ingest(home, path):
    """`pra-ingest ingest` of `path` into a fresh `home`: (wall, peak RSS MB, peak disk MB, database
    growth MB). Disk is the database, its WAL and shared memory and any temporary file of the
    home, sampled every 10 ms while the ingest runs."""
    fresh_home(home)
    db = os.path.join(home, "pra.sqlite")
    def used():
        return sum(os.path.getsize(os.path.join(home, f)) for f in os.listdir(home)
                   if os.path.isfile(os.path.join(home, f)))
    before = used()
    peak, done = [before], threading.Event()
    def sample():
        while not done.wait(0.01):
            try:
                peak[0] = max(peak[0], used())
            except OSError:
                pass
    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        wall, rss = timed([BIN, "ingest", "--home", home, "--no-export", path])
    finally:
        done.set()
        sampler.join()
    return wall, rss, peak[0] / 2**20, (used() - before) / 2**20

def best(n, cmd, before=None):
    """The best (least wall time) of `n` runs of `cmd`, each after `before()`: (wall, peak RSS MB)."""
    runs = []
    for _ in range(n):
        if before:
            before()
        runs.append(timed(cmd))
    return min(runs)

def parse_floor(kind, path):
    """Reading the file with no mapping and no storing: `xmllint --stream` over the XML (for an
    .xlsx, over its unzipped sheet and shared strings)."""
    if kind == "n11":
        return timed(["xmllint", "--stream", "--noout", path])[0]
    if kind == "trendyol":
        parts = " && ".join(f"unzip -p '{path}' {part} | xmllint --stream --noout -"
                            for part in ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"])
        return timed(["sh", "-c", parts])[0]
    return None

# PraIngest writes a file this large with a rollback journal instead of the WAL (`limits.exclusive_ingest_bytes`).
EXCLUSIVE_INGEST_BYTES = 16 << 20

def insert_floor(db, work, source, tables=ORDER_TABLES):
    """SQLite inserting the same rows into the same tables (same schema, indexes and checks) in
    one transaction, with no parsing at all: `INSERT INTO t SELECT * FROM src.t`, journaled as
    PraIngest journals a file the size of `source`."""
    journal = "TRUNCATE" if os.path.getsize(source) >= EXCLUSIVE_INGEST_BYTES else "WAL"
    schema = run(["sqlite3", db, ".schema"]).stdout
    target = os.path.join(work, "floor.sqlite")
    for suffix in ["", "-wal", "-shm", "-journal"]:
        if os.path.exists(target + suffix):
            os.remove(target + suffix)
    run(["sqlite3", target], input="PRAGMA journal_mode=WAL;\n" + "\n".join(
        l for l in schema.splitlines() if "sqlite_sequence" not in l) + "\n")
    script = (f"PRAGMA journal_mode={journal};\nPRAGMA synchronous=FULL;\nPRAGMA foreign_keys=ON;\nATTACH '{db}' AS src;\n"
              "DELETE FROM roller;\nBEGIN;\n" + "".join(f"INSERT INTO main.{t} SELECT * FROM src.{t};\n" for t in tables)
              + "COMMIT;\n")
    start = time.perf_counter()
    run(["sqlite3", target], input=script)
    return time.perf_counter() - start

def write_floor(folder, count, size):
    """Seconds to write `count` files of `size` bytes the way the outbox does, with no content
    to build: temporary name, one syncfs per 500 files, rename, fsync of the folder."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    data = b"x" * size
    dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    start = time.perf_counter()
    for first in range(0, count, 500):
        names = []
        for i in range(first, min(count, first + 500)):
            fd = os.open(f".f{i}.tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644, dir_fd=dfd)
            os.write(fd, data)
            os.close(fd)
            names.append(i)
        LIBC.syncfs(dfd)
        for i in names:
            os.rename(f".f{i}.tmp", f"f{i}.xml", src_dir_fd=dfd, dst_dir_fd=dfd)
        os.fsync(dfd)
    elapsed = time.perf_counter() - start
    os.close(dfd)
    shutil.rmtree(folder, ignore_errors=True)
    return elapsed

# Invoices as orders land: the generated exports' orders are mostly not shipped yet, and the
# emission bench writes an invoice for each of them.
SELLER = """default_seller: demo
invoicing: { issue_at: landed }
sellers:
  demo:
    name: Bench Ticaret A.Ş.
    tax_id: "1234567890"
    tax_office: Kadıköy
    invoice_prefix: BNC
    address: { district: Kadıköy, city: İstanbul }
"""

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    ap.add_argument("--skip-latency", action="store_true")
    ap.add_argument("--skip-uploads", action="store_true")
    ap.add_argument("--skip-ubl", action="store_true")
    ap.add_argument("--kinds", default="n11,shopify,trendyol")
    ap.add_argument("--userlist", type=int, default=1000000, help="users in the GİB user list to load (0: skip)")
    ap.add_argument("--repeat", type=int, default=2, help="runs of PraIngest and of each peer; the best counts")
    a = ap.parse_args()
    data = os.path.join(a.out, "data")
    work = os.path.join(a.out, "work")
    os.makedirs(data, exist_ok=True)
    os.makedirs(work, exist_ok=True)
    py = os.path.join(a.out, "venv", "bin", "python")
    table = []
    ubl_home = None
    for n in [int(s) for s in a.sizes.split(",")]:
        files = {"n11": f"n11-{n}.xml", "shopify": f"shopify-{n}.csv", "trendyol": f"trendyol-{n}.xlsx"}
        for kind in filter(None, a.kinds.split(",")):
            path = os.path.join(data, files[kind])
            if not os.path.exists(path):
                print(f"generating {files[kind]} …", file=sys.stderr, flush=True)
                run([sys.executable, os.path.join(HERE, "generate.py"), data, str(n), kind])
            mb = os.path.getsize(path) / 1e6
            home = os.path.join(work, f"home-{kind}-{n}")
            print(f"ingesting {files[kind]} ({mb:.0f} MB) …", file=sys.stderr, flush=True)
            wall, rss, disk, growth = min(ingest(home, path) for _ in range(a.repeat))
            db = os.path.join(home, "pra.sqlite")
            orders = int(run(["sqlite3", db, "SELECT count(*) FROM siparisler"]).stdout)
            row = dict(file=files[kind], mb=mb, orders=orders, wall=wall, rss=rss, disk=disk, growth=growth)
            parse = parse_floor(kind, path)
            if parse is not None:
                row["parse"] = parse
            row["insert"] = insert_floor(db, work, path)
            if kind == "shopify":
                duck = os.path.join(work, "duck.duckdb")
                def no_duck():
                    for suffix in ["", ".wal"]:
                        if os.path.exists(duck + suffix):
                            os.remove(duck + suffix)
                row["duckdb"], row["duckdb_rss"] = best(a.repeat, [py, os.path.join(HERE, "duckdb_etl.py"), kind, path, duck], no_duck)
            if kind in ("n11", "shopify"):
                ref_home = fresh_home(os.path.join(work, f"ref-{kind}-{n}"))
                ref_db = os.path.join(ref_home, "ref.sqlite")
                shutil.copy(db, ref_db)
                run(["sqlite3", ref_db], input="DELETE FROM siparis_durum_gecmisi; DELETE FROM siparis_urunleri; DELETE FROM siparisler; "
                    "DELETE FROM urunler; DELETE FROM kaynak_dosyalar; DELETE FROM sistem_log; VACUUM;")
                empty = os.path.join(work, "ref-empty.sqlite")
                shutil.copy(ref_db, empty)
                row["python"], row["python_rss"] = best(a.repeat, [py, os.path.join(HERE, "reference_etl.py"), kind, path, ref_db],
                                                        lambda: shutil.copy(empty, ref_db))
            table.append(row)
            if kind == "n11" and n == 100000:
                ubl_home = home
            else:
                shutil.rmtree(home, ignore_errors=True)
    extra = []
    if a.userlist:
        extra.append(bench_userlist(a.userlist, data, work, py))
    if not a.skip_ubl and ubl_home:
        with open(os.path.join(ubl_home, "pra.yaml"), "w", encoding="utf-8") as f:
            f.write(SELLER)
        print("writing invoices for 100000 stored orders …", file=sys.stderr, flush=True)
        wall, rss = timed([BIN, "export", "--home", ubl_home, "--format", "ubl"])
        count = int(run(["sqlite3", os.path.join(ubl_home, "pra.sqlite"), "SELECT count(*) FROM faturalar"]).stdout)
        ubl = os.path.join(ubl_home, "outbox", "ubl")
        size = sum(e.stat().st_size for e in os.scandir(ubl)) // max(count, 1)
        floor = write_floor(os.path.join(work, "write-floor"), count, size)
        extra.append(f"UBL emission: {count} invoices in {wall:.2f} s = {count / wall:,.0f} invoices/s "
                     f"(target ≥ 5,000/s), peak RSS {rss:.0f} MB; file-write floor (same count, {size:,} B each, "
                     f"temp + syncfs + rename): {floor:.2f} s → {wall / floor:.2f}× the floor")
    if not a.skip_latency:
        home = fresh_home(os.path.join(work, "latency"))
        os.makedirs(os.path.join(home, "inbox"))
        daemon = subprocess.Popen([BIN, "run", "--home", home, "--log-level", "error", "--listen", "off"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)
        try:
            p50, p99 = run([sys.executable, os.path.join(HERE, "latency.py"), home, "100"]).stdout.split()
            extra.append(f"drop-to-archive latency, 100 drops of a 10-order file: p50 {p50} ms, p99 {p99} ms (target p50 < 200 ms)")
        finally:
            daemon.terminate()
            daemon.wait()
    if not a.skip_uploads:
        rate, p50, p99, rss = run([sys.executable, os.path.join(HERE, "uploads.py"), BIN, os.path.join(work, "uploads"), "200"]).stdout.split()
        extra.append(f"HTTP uploads, 200 concurrent files of 10 orders (20 sellers' keys, a second process): none lost, all "
                     f"ingested and invoiced; {rate} files/s, upload start to ingested p50 {p50} ms, p99 {p99} ms; "
                     f"server peak RSS {rss} MB")
    print_table(table, extra)

def bench_userlist(n, data, work, py):
    """GİB's e-Fatura user list, zipped as downloaded: load time and peak RSS (target < 64 MB at a
    million users) beside the parse floor (unzip | xmllint --stream), the insert floor and Python."""
    path = os.path.join(data, f"userlist-{n}.zip")
    if not os.path.exists(path):
        print(f"generating userlist-{n} …", file=sys.stderr, flush=True)
        run([sys.executable, os.path.join(HERE, "generate.py"), data, str(n), "userlist"])
    home = fresh_home(os.path.join(work, f"home-userlist-{n}"))
    print(f"loading userlist-{n}.zip …", file=sys.stderr, flush=True)
    wall, rss = timed([BIN, "ingest", "--home", home, "--no-export", path])
    db = os.path.join(home, "pra.sqlite")
    parse, _ = timed(["sh", "-c", f"unzip -p '{path}' | xmllint --stream --noout -"])
    insert = insert_floor(db, work, path, ["gib_listeleri", "gib_kullanicilari"])
    ref_db = os.path.join(work, "ref-userlist.sqlite")
    shutil.copy(db, ref_db)
    run(["sqlite3", ref_db], input="DELETE FROM gib_kullanicilari; DELETE FROM gib_listeleri; VACUUM;")
    python, python_rss = timed([py, os.path.join(HERE, "reference_etl.py"), "userlist", path, ref_db])
    shutil.rmtree(home, ignore_errors=True)
    return (f"GİB user list, {n:,} users ({os.path.getsize(path) / 1e6:.0f} MB zipped): {wall:.2f} s, peak RSS {rss:.0f} MB "
            f"(target < 64 MB); parse floor (unzip | xmllint --stream) {parse:.2f} s + insert floor {insert:.2f} s → "
            f"{wall / (parse + insert):.2f}× the floors; Python lxml reference {python:.2f} s, {python_rss:.0f} MB → "
            f"{python / wall:.2f}× faster than Python")

def print_table(table, extra):
    head = ["file", "MB", "orders", "PraIngest s", "orders/s", "peak RSS MB", "peak disk ÷ db growth", "parse floor s", "insert floor s",
            "÷ max floor", "÷ (parse+insert)", "Python ref s", "× Python", "DuckDB s (RSS MB)", "÷ DuckDB"]
    lines = []
    for r in table:
        parse = r.get("parse") or 0
        lines.append([r["file"], f"{r['mb']:.0f}", f"{r['orders']:,}", f"{r['wall']:.2f}", f"{r['orders'] / r['wall']:,.0f}",
                      f"{r['rss']:.0f}", f"{r['disk']:.0f}/{r['growth']:.0f} = {r['disk'] / r['growth']:.2f}",
                      f"{parse:.2f}" if "parse" in r else "–", f"{r['insert']:.2f}",
                      f"{r['wall'] / max(parse, r['insert']):.2f}", f"{r['wall'] / (parse + r['insert']):.2f}",
                      f"{r['python']:.2f}" if "python" in r else "–",
                      f"{r['python'] / r['wall']:.2f}" if "python" in r else "–",
                      f"{r['duckdb']:.2f} ({r['duckdb_rss']:.0f})" if "duckdb" in r else "–",
                      f"{r['wall'] / r['duckdb']:.2f}" if "duckdb" in r else "–"])
    if table:
        widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
        fmt = " | ".join("{:<%d}" % w for w in widths)
        print(fmt.format(*head))
        print("-|-".join("-" * w for w in widths))
        for l in lines:
            print(fmt.format(*l))
    for e in extra:
        print(e)

if __name__ == "__main__":
    main()
