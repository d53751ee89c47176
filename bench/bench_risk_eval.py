"""Evaluation of linking and risk on generated traffic with evaders that use real listed
identities (issue 13, "Evaluation").

Run: .venv/bin/python bench/bench_risk_eval.py [--scenario rajin] [--seeds 1 2 3]
     [--days 3] [--vessels 60] [--json out.json]

For each seed: load the bundled lists (data/lists: UN 2018 and 2026, OFAC SDN 2021 and 2024,
OFAC non-SDN 2025, UK OFSI 2018, as ``make demo`` does; linking uses each list's latest
version), generate the scenario's ordinary traffic with the evaders and decoys of
``sanctionwatch.simulate.evaders`` in place of its cast (identities drawn from those lists
with the seed), ingest the NMEA, detect, link, score, and report: k (evaders + 2),
precision@k and recall@k of the evaders, the rank of every evader and decoy, and whether
every evader's factors cite its evidence. Goals: every evader in the top k, no decoy in the
top 10, every evader's evidence cited. Ties count against the model (an evader ranks last among
equal scores, a decoy first) and a score of 0 ranks nowhere (risk.evaluation). Input:
SYNTHETIC traffic; the lists are real.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from sanctionwatch.ais.vessels import vessel_histories
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.linking.links import link_vessels
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore
from sanctionwatch.risk.evaluation import Evaluation, evaluate
from sanctionwatch.risk.model import score_vessels
from sanctionwatch.risk.params import default_risk_params
from sanctionwatch.risk.vessels import summaries_from_histories
from sanctionwatch.simulate.evaders import simulate_evaders

LISTS = Path(__file__).resolve().parents[1] / "data" / "lists"
BUNDLED = (  # in date order within each list, as make demo loads them
    [LISTS / "un" / "un_consolidated_2018-10-29.xml"],
    [LISTS / "un" / "un_consolidated_2026-02-27.xml"],
    [LISTS / "ofac" / "sdn_set_2021-07-07"],
    [LISTS / "ofac" / "sdn_2024-05-03.csv", LISTS / "ofac" / "aux_2025-12-24"],
    [LISTS / "ofac" / "cons_nonsdn_2025-12-19"],
    [LISTS / "uk" / "ofsi_conlist_2018-04-13.csv"],
)


def load_bundled(store: ListStore) -> None:
    for paths in BUNDLED:
        load_lists(store, paths, workers=1)


def run_once(
    work: Path, lists: ListStore, scenario: str, seed: int, days: float, vessels: int
) -> tuple[Evaluation, dict[str, float]]:
    """One seed, the whole chain; the evaluation and the time each step took (s)."""
    times: dict[str, float] = {}
    t = time.perf_counter()
    result, planted = simulate_evaders(
        work / "sim", lists, scenario=scenario, seed=seed, days=days, vessels=vessels
    )
    times["simulate"] = time.perf_counter() - t
    with open_store(work / "home") as store:
        t = time.perf_counter()
        for path in result.files["nmea"]:
            ingest_file(store, Source(path))
        times["ingest"] = time.perf_counter() - t
        t = time.perf_counter()
        engine = DuckDBEngine(store)
        events = detect(engine, load_params(), None)
        engine.close()
        times["detect"] = time.perf_counter() - t
        t = time.perf_counter()
        linked = link_vessels(store, lists)
        times["link"] = time.perf_counter() - t
        summaries = summaries_from_histories(vessel_histories(store))
    t = time.perf_counter()
    risks = score_vessels(summaries, events, linked.links, linked.flags, default_risk_params())
    times["score"] = time.perf_counter() - t
    return evaluate(risks, planted), times


def report(seed: int, ev: Evaluation) -> str:
    lines = [
        f"seed {seed}: {ev.vessels} vessels ranked; k = {ev.k}; "
        f"precision@k {ev.precision_at_k:.3f}; recall@k {ev.recall_at_k:.3f}",
    ]
    for p in ev.placed:
        cited = "" if p.cited is None else f" cited={'yes' if p.cited else 'NO'}"
        lines.append(
            f"  {p.kind:6} {p.trick:14} mmsi {p.mmsi} rank {p.rank or 'none (score 0)'} "
            f"score {p.score} "
            f"{p.level}{cited} [{', '.join(p.factors)}]"
        )
    planted = {p.mmsi for p in ev.placed}
    for rank, (mmsi, score, level, factors) in enumerate(ev.top, start=1):
        if mmsi not in planted and score > 0:
            lines.append(
                f"  other  rank {rank}: mmsi {mmsi} score {score} {level} [{', '.join(factors)}]"
            )
    goals = ev.goals_met
    lines.append(
        "  goals: " + "; ".join(f"{g}: {'met' if ok else 'MISSED'}" for g, ok in goals.items())
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="rajin")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--days", type=float, default=3.0)
    parser.add_argument("--vessels", type=int, default=60)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    machine = f"{platform.machine()} {platform.processor() or ''}".strip()
    print(f"machine: {machine}, {os.cpu_count()} cores, python {platform.python_version()}")
    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with ListStore(root / "lists.sqlite") as lists:
            t = time.perf_counter()
            load_bundled(lists)
            print(f"lists loaded in {time.perf_counter() - t:.1f} s")
            for seed in args.seeds:
                work = root / f"seed-{seed}"
                ev, times = run_once(work, lists, args.scenario, seed, args.days, args.vessels)
                print(report(seed, ev))
                print("  times: " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items()))
                out.append(
                    {"scenario": args.scenario, "seed": seed, **ev.to_dict(), "times": times}
                )
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), "utf-8")


if __name__ == "__main__":
    main()
