"""List ingestion benchmark: records/s and peak memory for each bundled list, against a
same-run baseline that only reads the file with the standard library (csv / ElementTree
iterparse) without building entities, so the cost of our parsing and storing is visible.

Run: .venv/bin/python bench/bench_lists.py   (prints a Markdown table for bench/RESULTS.md)
Each measurement runs in a fresh interpreter, so peak RSS is that of one load alone.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT / "data" / "lists"

CASES: list[tuple[str, list[str]]] = [
    ("UN 2018-10-29", ["un/un_consolidated_2018-10-29.xml"]),
    ("UN 2026-02-27", ["un/un_consolidated_2026-02-27.xml"]),
    ("OFAC SDN 2024-05-03 + aux 2025-12-24", ["ofac/sdn_2024-05-03.csv", "ofac/aux_2025-12-24"]),
    ("OFAC SDN set 2021-07-07", ["ofac/sdn_set_2021-07-07"]),
    ("OFAC non-SDN 2025-12-19", ["ofac/cons_nonsdn_2025-12-19"]),
    ("UK OFSI 2018-04-13", ["uk/ofsi_conlist_2018-04-13.csv"]),
]

# Peak resident memory of the measuring process (VmHWM: reset by exec, unlike ru_maxrss).
PEAK = """
def peak_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
"""

LOAD = (
    PEAK
    + """
import json, sys, time
from pathlib import Path
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore
paths = [Path(p) for p in json.loads(sys.argv[1])]
store = ListStore(Path(sys.argv[2]))
start = time.perf_counter()
outcomes = load_lists(store, paths)
seconds = time.perf_counter() - start
records = sum(len({e.record_id for e in store.iter_entities(o.version.id)}) for o in outcomes)
entities = sum(o.version.entity_count for o in outcomes)
result = {"seconds": seconds, "records": records, "entities": entities, "peak_kib": peak_kib()}
print(json.dumps(result))
"""
)

# Everything bundled, as `make demo` loads it: one call, batches parsed by parallel workers.
LOAD_ALL = (
    PEAK
    + """
import json, resource, sys, time
from pathlib import Path
from sanctionwatch.demo import DEMO_LOADS
from sanctionwatch.lists.loader import load_batches
from sanctionwatch.lists.store import ListStore
root, workers = Path(sys.argv[1]), int(sys.argv[3])
store = ListStore(Path(sys.argv[2]))
start = time.perf_counter()
done = load_batches(store, [[root / p for p in group] for group in DEMO_LOADS], workers=workers)
seconds = time.perf_counter() - start
entities = sum(o.version.entity_count for batch in done for o in batch)
workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "entities": entities, "peak_kib": peak_kib(),
                  "workers_peak_kib": workers_peak}))
"""
)

BASELINE = (
    PEAK
    + """
import csv, json, sys, time
import xml.etree.ElementTree as ET
from pathlib import Path
paths = []
for p in json.loads(sys.argv[1]):
    p = Path(p)
    paths.extend(sorted(p.iterdir()) if p.is_dir() else [p])
start = time.perf_counter()
rows = 0
for path in paths:
    if path.suffix == ".xml":
        for _, element in ET.iterparse(path):
            if element.tag in ("INDIVIDUAL", "ENTITY"):
                rows += 1
                element.clear()
    else:
        with path.open(encoding="utf-8", errors="replace", newline="") as handle:
            rows += sum(1 for _ in csv.reader(handle))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rows": rows, "peak_kib": peak_kib()}))
"""
)


def run(code: str, *args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def main() -> None:
    print(f"Machine: {platform.node()} {platform.machine()}, Python {platform.python_version()}")
    print(f"Date: {datetime.now(UTC).isoformat(timespec='seconds')}")
    print("Command: .venv/bin/python bench/bench_lists.py\n")
    print(
        "| list | records | entities | load s | records/s | peak MiB "
        "| baseline read s | baseline peak MiB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    total = 0.0
    wall = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for label, parts in CASES:
            paths = json.dumps([str(LISTS / p) for p in parts])
            store = str(Path(tmp) / f"{len(label)}-{abs(hash(label))}.sqlite")
            ours = run(LOAD, paths, store)
            base = run(BASELINE, paths)
            total += ours["seconds"]
            print(
                f"| {label} | {ours['records']:,} | {ours['entities']:,} | {ours['seconds']:.2f} "
                f"| {ours['records'] / ours['seconds']:,.0f} | {ours['peak_kib'] / 1024:.0f} "
                f"| {base['seconds']:.2f} | {base['peak_kib'] / 1024:.0f} |"
            )
        print(f"\nSum of the separate loads above: {total:.1f} s.\n")
        print("All bundled lists in one call, as `make demo` loads them (goal: under 10 s):\n")
        print("| parser workers | entities | load s | main peak MiB | worker peak MiB |")
        print("|---:|---:|---:|---:|---:|")
        for workers in (1, 2):
            store = str(Path(tmp) / f"all-{workers}.sqlite")
            every = run(LOAD_ALL, str(LISTS), store, str(workers))
            print(
                f"| {workers} | {every['entities']:,} | {every['seconds']:.2f} "
                f"| {every['peak_kib'] / 1024:.0f} | {every['workers_peak_kib'] / 1024:.0f} |"
            )
    print(f"\n{time.perf_counter() - wall:.1f} s wall for the whole benchmark.")


if __name__ == "__main__":
    main()
