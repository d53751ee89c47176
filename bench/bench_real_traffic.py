"""Behaviour detection on the bundled REAL AIS: how many events of each type, and which.

    .venv/bin/python bench/bench_real_traffic.py [--json FILE] [--list TYPE[,TYPE]]

Real traffic is mostly what we are NOT looking for: ferries, harbour launches, moored boats,
pilots and tugs. Every event raised on it is an event an analyst must read, so this counts
them, per file and type, and lists the encounters and identity events in full (the types
that were all false on real traffic before, issue 12). Each file is ingested into its own
fresh store (``data/ais``; provenance in ``data/ais/PROVENANCE.md``) and every detector runs
with the default parameters through DuckDB. Run it at two commits (a worktree with
``PYTHONPATH=<worktree>/src``) for a before/after; prints Markdown for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from sanctionwatch.behaviour.params import default_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine

ROOT = Path(__file__).resolve().parents[1]
FILES = [
    "solent_dstl_20160112.csv.gz",  # The Solent and Portsmouth Harbour, 84 min, 91 vessels
    "aisparser_panama_20140405.nmea.gz",  # Panama Canal, Balboa to Cristobal, 1 h, 271 vessels
    "noaa_marinecadastre_20230111_1000rows.csv",  # US waters, first 1,000 rows of a day
    "amsa_risky_ais.txt.gz",  # Australian coastal network, no per-line times
    "pyais_nmea_data_sample.txt",  # Aegean, with 100 broken messages
]
LISTED = ("encounter", "identity")


def run_file(path: Path) -> list[dict[str, Any]]:
    """Every event the detectors raise on ``path`` alone, as dictionaries."""
    with TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "home")
        ingest_file(store, Source(path))
        engine = DuckDBEngine(store)
        try:
            return [event.to_dict() for event in detect(engine, default_params())]
        finally:
            engine.close()


def _commit(path: Path) -> str:
    """The commit checked out where ``path`` is (the code that ran, maybe a worktree)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _describe(event: dict[str, Any]) -> str:
    details = {k: v for k, v in event.get("details", {}).items() if k not in ("positions",)}
    text = json.dumps(details, sort_keys=True, default=str)
    return (
        f"`{event['type']}` MMSI {event['mmsi']} from {event['start']} "
        f"at {event['lat']:.4f} {event['lon']:.4f}: {text[:300]}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write every event here")
    parser.add_argument("--list", default=",".join(LISTED), help="event types listed in full")
    args = parser.parse_args(argv)
    listed = tuple(t for t in args.list.split(",") if t)
    found: dict[str, list[dict[str, Any]]] = {}
    for name in FILES:
        print(f"detecting on {name} ...", file=sys.stderr)
        found[name] = run_file(ROOT / "data" / "ais" / name)
    import sanctionwatch.behaviour.run as run_module  # which code ran (a worktree or this)

    print("## Behaviour detection on real AIS (`bench/bench_real_traffic.py`)\n")
    print(
        f"- Machine: {platform.system()} {platform.machine()}, Python {platform.python_version()}."
    )
    code = Path(run_module.__file__).parents[2]
    print(f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Code: {code} (at {_commit(code)}).")
    command = ["bench/bench_real_traffic.py", *(argv or sys.argv[1:])]
    print(f"- Command: `.venv/bin/python {' '.join(command)}`\n")
    types = sorted({e["type"] for events in found.values() for e in events})
    print("| file | " + " | ".join(types) + " |")
    print("| :--- | " + " | ".join("---:" for _ in types) + " |")
    for name, events in found.items():
        counts = Counter(e["type"] for e in events)
        print(f"| {name} | " + " | ".join(str(counts.get(t, 0)) for t in types) + " |")
    for name, events in found.items():
        shown = [e for e in events if e["type"].startswith(listed)]
        if shown:
            print(f"\n{name}, {', '.join(listed)} events:")
            for event in shown:
                print(f"- {_describe(event)}")
    if args.json:
        args.json.write_text(json.dumps(found, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
