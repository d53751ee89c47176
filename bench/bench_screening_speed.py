"""Screening speed: index build, batch throughput on 1 and 2 processes, single-query latency
of the engine and of `POST /match` over real HTTP, against nomenklatura logic-v2 scoring the
same candidates (the same-run baseline).

Run: .venv/bin/python bench/bench_screening_speed.py   (needs the `bench` extra: nomenklatura)
Queries: the query side (name1) of tests/data/screening/dprk_pairs.csv, with their schemata.
"""

from __future__ import annotations

import csv
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import httpx

from sanctionwatch.lists.loader import load_batches
from sanctionwatch.lists.store import ListStore
from sanctionwatch.screening.batch_io import QueryRow
from sanctionwatch.screening.engine import CANDIDATES, Screener
from sanctionwatch.screening.index import build_index, query_keys
from sanctionwatch.screening.model import Query
from sanctionwatch.screening.names import analyse_name
from sanctionwatch.screening.parallel import screen_rows

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT / "data" / "lists"
BATCHES = [
    ["un/un_consolidated_2026-02-27.xml"],
    ["ofac/sdn_2024-05-03.csv", "ofac/aux_2025-12-24"],
    ["ofac/cons_nonsdn_2025-12-19"],
    ["uk/ofsi_conlist_2018-04-13.csv"],
]
BASELINE_QUERIES = 100  # logic-v2 is slow: a sample of the queries
HTTP_ROUNDS = 5  # timed passes over the sample through /match (after one warm-up pass)


def queries() -> list[Query]:
    with (ROOT / "tests/data/screening/dprk_pairs.csv").open(encoding="utf-8") as handle:
        return [
            Query(row["name1"], id=str(i), schema=row["schema"], imo=row.get("imo1") or None)
            for i, row in enumerate(csv.DictReader(handle))
        ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def logic_v2_per_query(screener: Screener, sample: list[Query]) -> list[float]:
    """Seconds logic-v2 takes to score the candidates our index gives each query."""
    from followthemoney import ValueEntity, model
    from nomenklatura.matching import get_algorithm

    algorithm = get_algorithm("logic-v2")
    assert algorithm is not None
    config = algorithm.default_config()
    warm = ValueEntity(model.get("Person"), {"id": uuid4().hex})
    warm.add("name", "Kim Jong Un")
    algorithm.compare(warm, warm, config)  # load its models before timing
    seconds = []
    for query in sample:
        keys = query_keys(analyse_name(query.name, query.schema))
        parties = [
            screener.index.parties[i] for i in screener.index.candidates(keys, None, CANDIDATES)
        ]
        left = ValueEntity(model.get(query.schema or "LegalEntity"), {"id": uuid4().hex})
        left.add("name", query.name)
        rights = []
        for party in parties:
            right = ValueEntity(model.get(party.schema), {"id": uuid4().hex})
            for _, form in party.names:
                right.add("name", form.original)
            rights.append(right)
        start = time.perf_counter()
        for right in rights:
            if left.schema.can_match(right.schema):
                algorithm.compare(left, right, config)
        seconds.append(time.perf_counter() - start)
    return seconds


def http_latency(home: Path, sample: list[Query]) -> tuple[float, float, float]:
    """Start `sanctionwatch serve` and time single-query /match requests: p50, p99 (ms), startup."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "SANCTIONWATCH_API_KEY": "bench-key"}
    command = [
        sys.executable,
        "-m",
        "sanctionwatch",
        "--home",
        str(home),
        "serve",
        "--port",
        str(port),
    ]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
            if server.poll() is not None or time.monotonic() - started > 120:
                raise SystemExit("serve did not start")
        startup = time.monotonic() - started
        timings = []
        headers = {"Authorization": "ApiKey bench-key"}
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            for number, query in enumerate(sample * (1 + HTTP_ROUNDS)):
                props: dict[str, list[str]] = {"name": [query.name]}
                if query.imo:
                    props["imoNumber"] = [query.imo]
                body = {"queries": {"q": {"schema": query.schema or "Thing", "properties": props}}}
                start = time.perf_counter()
                response = client.post("/match/default", json=body)
                elapsed = time.perf_counter() - start
                assert response.status_code == 200, response.text
                if number >= len(sample):  # the first pass warms caches
                    timings.append(elapsed * 1000)
        return percentile(timings, 0.5), percentile(timings, 0.99), startup
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    python = platform.python_version()
    print(
        f"Machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {python}"
    )
    print(f"Date: {datetime.now(UTC).isoformat(timespec='seconds')}")
    print("Command: .venv/bin/python bench/bench_screening_speed.py\n")
    every = queries()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        with ListStore(home / "lists.sqlite") as store:
            load_batches(store, [[LISTS / p for p in batch] for batch in BATCHES])
            start = time.perf_counter()
            index = build_index(store)
            build = time.perf_counter() - start
        screener = Screener(index)
        names = sum(len(p.names) for p in index.parties)
        parties = len(index.parties)
        print(
            f"Index: {parties:,} parties, {names:,} names, built in {build:.1f} s (goal: < 30 s).\n"
        )

        # A second set: 5,000 names drawn from the lists themselves (every one a hit, and
        # common names such as "Mohammed ..." with many candidates).
        rng = random.Random(7)
        listed = [form.original for party in index.parties for _, form in party.names]
        drawn = [Query(rng.choice(listed), id=str(i)) for i in range(5000)]
        for q in every[:200]:  # warm the caches as a long-running service would have them
            screener.screen(q)
        print("| batch | queries | processes | seconds | queries/s |")
        print("|---|---:|---:|---:|---:|")
        for label, batch in (("DPRK pair queries", every), ("names drawn from the lists", drawn)):
            rows = [QueryRow(i, q) for i, q in enumerate(batch)]
            for workers in (1, 2):
                start = time.perf_counter()
                done = sum(1 for _ in screen_rows(screener, rows, 0.7, 5, "bench", workers, True))
                seconds = time.perf_counter() - start
                rate = done / seconds
                print(f"| {label} | {done:,} | {workers} | {seconds:.2f} | {rate:,.0f} |")

        single = []
        for query in every:
            start = time.perf_counter()
            screener.screen(query)
            single.append((time.perf_counter() - start) * 1000)
        sample = every[:: max(1, len(every) // BASELINE_QUERIES)][:BASELINE_QUERIES]
        baseline = [s * 1000 for s in logic_v2_per_query(screener, sample)]
        ours_sample = []
        for query in sample:
            start = time.perf_counter()
            screener.screen(query)
            ours_sample.append((time.perf_counter() - start) * 1000)
        print("\n| single query, engine only | queries | p50 ms | p99 ms | mean ms |")
        print("|---|---:|---:|---:|---:|")
        for label, values in (
            ("ours (candidates + scoring), all queries", single),
            ("ours, the baseline's sample", ours_sample),
            ("logic-v2 scoring the same candidates", baseline),
        ):
            p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
            mean = statistics.mean(values)
            print(f"| {label} | {len(values):,} | {p50:.2f} | {p99:.2f} | {mean:.2f} |")

        p50, p99, startup = http_latency(home, sample)
        print(
            f"\nPOST /match over real HTTP (one query a request, keep-alive, "
            f"{len(sample) * HTTP_ROUNDS} "
            "requests "
            f"after a warm-up pass): p50 {p50:.1f} ms, p99 {p99:.1f} ms (goal: p99 under 20 ms); "
            f"server start {startup:.1f} s."
        )


if __name__ == "__main__":
    main()
