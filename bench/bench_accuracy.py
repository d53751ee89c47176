"""Accuracy of every detector against the traffic generator's ground truth.

    .venv/bin/python bench/bench_accuracy.py [--days 3] [--work DIR]

For each scenario (region and density) and seed: generate SYNTHETIC traffic (NMEA), ingest
it, run every registered detector on DuckDB, and score the events per type with
``behaviour/accuracy.py`` (match: same type, same vessels, overlapping times; recall over
the truth events the received AIS can show). "merged": detected events that match two or
more truth events; "split": truth events matched by two or more detected events (the
overlap rule alone hides both). Prints a markdown table for bench/RESULTS.md, then the
port calls at the large ports whose scenarios place berths across their anchorages
(Qingdao, Dalian, Vladivostok, Nakhodka, Busan): truth calls the AIS shows, how many were
found, and the detected calls there that match no truth call.

Goals (issue 5): recall >= 0.95 and precision >= 0.9 for every type on every scenario.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from sanctionwatch.behaviour.accuracy import Score, score, visible
from sanctionwatch.behaviour.detectors import DETECTORS
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.simulate import simulate

# (scenario, vessels, seeds): the Sea of Japan at medium density, the Yellow Sea dense,
# the East China Sea sparse.
RUNS = [
    ("rajin", 24, (11, 12)),
    ("rajin", 60, (13,)),
    ("yellow_sea", 150, (21, 31)),
    ("east_china_sea", 30, (21, 31)),
]
# The large ports with berths spread over their anchorages (scenario data, issue 12).
BERTH_PORTS = {"CNQIN": "Qingdao Gang", "CNDAL": "Dalian", "RUVVO": "Vladivostok",
               "RUNJK": "Nakhodka", "KRPUS": "Busan"}  # fmt: skip


@dataclass
class BerthPorts:
    """Port calls at the ports of ``BERTH_PORTS``: visible truth, found, false detections."""

    truth: int = 0
    found: int = 0
    at_berth: int = 0  # truth calls lying at a listed berth (details.berth)
    at_berth_found: int = 0
    wrong: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)


def berth_ports(s: Score, truth: list[dict[str, Any]]) -> BerthPorts:
    """How the port calls at the large berth ports fared (from a port_call score)."""
    missed = {id(t) for t in s.missed}
    out = BerthPorts()
    for t in truth:
        if t["type"] != "port_call" or not visible(t):
            continue
        if t["details"].get("locode") not in BERTH_PORTS:
            continue
        out.truth += 1
        found = id(t) not in missed
        out.found += found
        if t["details"].get("berth"):
            out.at_berth += 1
            out.at_berth_found += found
        if not found:
            out.missed.append(t)
    names = set(BERTH_PORTS.values())
    out.wrong = [e for e in s.false_positives if e.get("port") in names]
    return out


def run(
    work: Path, scenario: str, vessels: int, seed: int, days: float
) -> tuple[dict[str, Score], BerthPorts]:
    out = work / f"{scenario}-{vessels}-{seed}"
    result = simulate(
        out / "sim", scenario=scenario, days=days, vessels=vessels, seed=seed, formats=["nmea"]
    )
    store = open_store(out / "home")
    for path in result.files["nmea"]:
        ingest_file(store, Source(path))
    started = time.perf_counter()
    engine = DuckDBEngine(store)
    events = detect(engine, load_params())
    seconds = time.perf_counter() - started
    engine.close()
    store.close()
    truth = [json.loads(line) for line in result.truth_path.read_text("utf-8").splitlines()]
    print(f"  {scenario} seed {seed}: {result.received_positions:,} positions received, "
          f"{len(events)} events in {seconds:.1f} s")  # fmt: skip
    scores = score(events, truth, DETECTORS)
    return scores, berth_ports(scores["port_call"], truth)


def cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=float, default=3.0)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="sw-accuracy-"))
    print(f"machine: {platform.machine()}, {platform.python_version()}, "
          f"date {datetime.now(UTC):%Y-%m-%d}; {args.days:g} days per run")  # fmt: skip
    rows = []
    failures = []
    berth_rows = []
    berth_examples = []
    for scenario, vessels, seeds in RUNS:
        for seed in seeds:
            scores, berths = run(work, scenario, vessels, seed, args.days)
            berth_rows.append(
                f"| {scenario} | {vessels} | {seed} | {berths.truth} | {berths.found} "
                f"| {berths.at_berth} | {berths.at_berth_found} | {len(berths.wrong)} |"
            )
            berth_examples.append((scenario, seed, berths))
            for kind, s in scores.items():
                rows.append(
                    f"| {scenario} | {vessels} | {seed} | {kind} | {s.truth} | {s.detected} "
                    f"| {cell(s.precision)} | {cell(s.recall)} | {s.merged} | {s.split} |"
                )
                if (s.precision is not None and s.precision < 0.9) or (
                    s.recall is not None and s.recall < 0.95
                ):
                    failures.append((scenario, seed, kind, s.false_positives[:3], s.missed[:3]))
    header = (
        "| scenario | vessels | seed | type | truth | found | precision | recall | merged | split |"
    )
    print("\n" + header)
    print("|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print("\nPort calls at Qingdao, Dalian, Vladivostok, Nakhodka and Busan:")
    print("| scenario | vessels | seed | truth calls | found | at a berth | at a berth found "
          "| false calls there |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(berth_rows))
    for scenario, seed, berths in berth_examples:
        for item in berths.missed[:3]:
            print(f"  {scenario} seed {seed} missed:", json.dumps(item)[:300])
        for item in berths.wrong[:3]:
            print(f"  {scenario} seed {seed} false:", json.dumps(item)[:300])
    for scenario, seed, kind, wrong, missed in failures:
        print(f"\nBELOW GOAL: {scenario} seed {seed} {kind}")
        for item in wrong:
            print("  false positive:", json.dumps(item)[:300])
        for item in missed:
            print("  missed:", json.dumps(item)[:300])


if __name__ == "__main__":
    main()
