"""CPU per record (issue 26): `pra-ingest ingest --dry-run` of the 100k-order exports, read, mapped,
written and rolled back, timed in CPU seconds (user + system) rather than wall time, with the
share of the samples `perf record` finds in reference counting and the allocator, and (with
`--instructions`, under valgrind) the instructions of the 10k-order exports: a count that does
not move with the CPU or its neighbours.

usage: cpu.py BIN [--baseline OTHER_BIN] [--repeat 3] [--instructions]
With a baseline, the two binaries run alternately (the machine's drift falls on both) and the
table gives their ratio.
"""
import argparse, os, re, shutil, statistics, subprocess, sys, collections

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(HERE, "out", "data")
FILES = ["shopify-100000.csv", "n11-100000.xml", "trendyol-100000.xlsx"]
# Swift's reference counting and the allocator (mimalloc, linked by the binary; malloc and free).
ARC = re.compile(r"^(swift_(retain|release|bridgeObject|isUniquelyReferenced|allocObject|deallocObject|deallocClassInstance|"
                 r"arrayDestroy|slowAlloc|slowDealloc)|_swift_release_dealloc|swift::RefCounts|mi_|_mi_|malloc|free|"
                 r"operator delete|operator new)")

def home():
    path = os.path.join(HERE, "out", "work", "cpu-home")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    shutil.copytree(os.path.join(ROOT, "mappings"), os.path.join(path, "mappings"))
    return path

def data(name):
    path = os.path.join(DATA, name)
    if not os.path.exists(path):
        kind, size = re.match(r"(\w+)-(\d+)", name).groups()
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), DATA, size, kind], check=True)
    return path

def cpu(binary, path, where):
    """CPU seconds (user + system) and wall seconds of one dry run."""
    r = subprocess.run(["/usr/bin/time", "-f", "%U %S %e", binary, "ingest", "--home", where, "--dry-run", path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: {binary} {path}\n{r.stderr}")
    user, system, wall = map(float, r.stderr.strip().splitlines()[-1].split())
    return user + system, wall

def arc_share(binary, path, where):
    """The share of `perf record` samples in reference counting and allocation: (all threads, the
    thread with the most samples)."""
    if not shutil.which("perf"):
        return None
    data_file = os.path.join(where, "perf.data")
    r = subprocess.run(["perf", "record", "-q", "-o", data_file, binary, "ingest", "--home", where, "--dry-run", path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None
    script = subprocess.run(["perf", "script", "-i", data_file, "-F", "tid,ip,sym"], capture_output=True, text=True).stdout
    total, arc = collections.Counter(), collections.Counter()
    for line in script.splitlines():
        m = re.match(r"\s*(\d+)\s+[0-9a-f]+\s+(.*?)\s*$", line)
        if not m:
            continue
        tid, sym = m.groups()
        total[tid] += 1
        if ARC.match(sym):
            arc[tid] += 1
    os.remove(data_file)
    if not total:
        return None
    busiest = max(total, key=total.get)
    return sum(arc.values()) / sum(total.values()), arc[busiest] / total[busiest]

def instructions(binary, path, where):
    """Instructions of one dry run under valgrind (a copy of the binary without its debug
    sections, which valgrind's reader gives up on)."""
    stripped = os.path.join(where, os.path.basename(binary) + ".stripped")
    subprocess.run(["strip", "--strip-debug", "-o", stripped, binary], check=True)
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", stripped, "ingest", "--home", where,
                        "--dry-run", path], capture_output=True, text=True)
    m = re.search(r"refs:\s+([\d,]+)", r.stderr)
    return int(m.group(1).replace(",", "")) if m else None

def main():
    p = argparse.ArgumentParser()
    p.add_argument("binary")
    p.add_argument("--baseline")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--instructions", action="store_true")
    a = p.parse_args()
    binaries = [a.binary] + ([a.baseline] if a.baseline else [])
    where = home()
    print("| 100k orders, dry run | " + " | ".join(f"CPU s ({'this' if b == a.binary else 'baseline'})" for b in binaries)
          + (" | this ÷ baseline" if a.baseline else "")
          + f" | ARC + allocator, median (range) of {a.repeat} runs: all / busiest thread |")
    print("|---" * (len(binaries) + (3 if a.baseline else 2)) + "|")
    for name in FILES:
        path = data(name)
        runs = {b: [] for b in binaries}
        for _ in range(a.repeat):
            for b in binaries:
                runs[b].append(cpu(b, path, where)[0])
        means = {b: sum(v) / len(v) for b, v in runs.items()}
        # One run's share swings with where the VM puts the reading and writing threads (their
        # shared objects' cache lines cross cores): the median of several, with their range.
        shares = [s for s in (arc_share(a.binary, path, where) for _ in range(a.repeat)) if s]
        cells = [f"{means[b]:.2f}" for b in binaries]
        if a.baseline:
            cells.append(f"{means[a.binary] / means[a.baseline]:.2f}")
        if shares:
            every, busiest = sorted(s[0] * 100 for s in shares), sorted(s[1] * 100 for s in shares)
            cells.append(f"{statistics.median(every):.1f} % ({every[0]:.1f}–{every[-1]:.1f}) / {statistics.median(busiest):.1f} %")
        else:
            cells.append("– (no perf)")
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    if a.instructions and shutil.which("valgrind"):
        print("\n| 10k orders, dry run | " + " | ".join(f"instructions ({'this' if b == a.binary else 'baseline'})" for b in binaries)
              + (" | this ÷ baseline" if a.baseline else "") + " |")
        print("|---" * (len(binaries) + (2 if a.baseline else 1)) + "|")
        for name in FILES:
            path = data(name.replace("100000", "10000"))
            counts = {b: instructions(b, path, where) for b in binaries}
            cells = [f"{counts[b] / 1e9:.2f} G" if counts[b] else "–" for b in binaries]
            if a.baseline and counts[a.binary] and counts[a.baseline]:
                cells.append(f"{counts[a.binary] / counts[a.baseline]:.2f}")
            print(f"| {name.replace('100000', '10000')} | " + " | ".join(cells) + " |", flush=True)

main()
