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

LOAD = """
import json, resource, sys, time
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
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "records": records, "entities": entities, "peak_kib": peak}))
"""

BASELINE = """
import csv, json, resource, sys, time
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
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "rows": rows, "peak_kib": peak}))
"""


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
    print(
        f"\nAll bundled lists: {total:.1f} s of loading (goal: under 10 s); "
        f"{time.perf_counter() - wall:.1f} s wall for the whole benchmark."
    )


if __name__ == "__main__":
    main()
