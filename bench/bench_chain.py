"""The stored chain at scale: ``chain.refresh`` (link + score + store + alerts) on a home with
10,000 vessels and 1,000,000 stored events (issue 13's goal: linking and risk for 10,000
vessels with 1 M events in under 10 s, here measured the way ``sanctionwatch vessels risk``
runs it after new data, stores included).

Run: .venv/bin/python bench/bench_chain.py [--vessels 10000] [--events 1000000] [--seed 1]
     [--home DIR (kept, and reused if already built)] [--markdown FILE] [--profile FILE]

The home (built in a child process, not timed, so that the peak RSS below is the chain's):
the bundled UN 2026-02-27 and OFAC SDN 2024-05-03 lists loaded with ``load_lists``; one DMA
CSV ingested with ``ingest_file``: each vessel reports two to four positions an hour apart
somewhere in the 90 days, in the open sea east of Japan; MMSIs from real flag MIDs (1 in 100
DPRK's 445, 1 in 200 the unallocated 199); names from words common in real ship names
(bench_linking.py's) so that screening has work; 1 in 10 vessels sends no static data,
otherwise 78 % broadcast a random valid IMO number, 2 % an invalid one (wrong check digit),
the rest none; 1 in 200 carries a listed identity taken from the loaded lists (a listed IMO
under a new name, or a listed name without IMO). The events are bench_risk.py's synthetic mix
(gaps, port calls, loitering, encounters between random pairs, draught changes, identity
events; 3 % suspects), written straight into ``ais/events.sqlite`` as ``EventStore`` stores
them, each detector's ``state`` row set to the default parameters, the last ingest and the
data end: the stored events are up to date (``EventStore.stale`` is False) and ``refresh``
runs no detection; detection speed is bench_detect.py's. The saved listed data
(``linking-lists.pickle``) is made while building, as the refresh that followed the last list
load would have: the timed runs are "new AIS data, same lists".

Timed, each three times (best and every run):
(a) ``refresh`` on the changed home, under the writer lock; before each run risk.sqlite and
    alerts.sqlite (with their -wal/-shm) are deleted, so every run links, scores, stores and
    raises the alerts afresh, as the first refresh after new data does;
(b) ``refresh`` with nothing changed (the signatures match: nothing is recomputed);
(c) ``up_to_date``, what ``vessels risk`` asks first;
(d) ``RiskStore.risks()``, the read ``vessels risk`` prints from.
Then once: (a) with the saved listed data deleted too (after a new list version). Each
row gives the wall clock and the process's CPU time (``time.process_time``): on a machine
shared with other work the CPU time moves less (the chain runs in one thread: no detection,
so no DuckDB).
Same-run baseline: the library calls alone on the same stores and inputs, each three times:
reading the stored events, ``link_vessels``, ``score_vessels`` (with the vessel summaries),
and then each storing step on its own in a scratch home (``risk_bodies`` +
``RiskStore.replace``, ``vessel_candidates`` + ``AlertStore.raise_alerts``), so that what the
stores add to the two library calls is visible.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import multiprocessing
import os
import platform
import pstats
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_linking import HEADER, LISTS, TYPES, random_imo, random_name  # not a package
from bench_risk import DAYS, HOUR_MS, T0, make_events, new_mmsi

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from sanctionwatch.alerts.evaluate import vessel_candidates
from sanctionwatch.alerts.rules import load_rules
from sanctionwatch.alerts.store import AlertStore
from sanctionwatch.behaviour.detectors import DETECTORS
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.stored import EventStore
from sanctionwatch.behaviour.tables import DetectorStateRow, EventRow
from sanctionwatch.chain import refresh, risk_inputs, up_to_date
from sanctionwatch.config import Settings, load_settings
from sanctionwatch.home_lock import home_writer
from sanctionwatch.linking.links import link_vessels
from sanctionwatch.linking.listed import load_listed
from sanctionwatch.linking.listed_cache import CACHE_NAME, load_listed_cached
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore
from sanctionwatch.risk.model import score_vessels
from sanctionwatch.risk.stored import RiskStore, risk_bodies
from sanctionwatch.risk.vessels import summaries_from_identity_rows
from sanctionwatch.tables import insert_sql, to_params

T = TypeVar("T")
BUILT = "bench-chain.json"  # the build's summary, in the home


# -- building the home (not timed) -------------------------------------------------------


def invalid_imo(rng: random.Random) -> str:
    """Seven digits whose check digit is wrong."""
    digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(5)]
    check = sum(d * w for d, w in zip(digits, (7, 6, 5, 4, 3, 2), strict=True)) % 10
    return "".join(map(str, digits)) + str((check + rng.randint(1, 9)) % 10)


def dma_line(ts_ms: int, mmsi: int, lat: float, lon: float, static: dict[str, str]) -> str:
    stamp = time.strftime("%d/%m/%Y %H:%M:%S", time.gmtime(ts_ms // 1000))
    return (
        f"{stamp},Class A,{mmsi},{lat:.5f},{lon:.5f},Under way using engine,0.0,6.0,0.0,0,"
        f"{static.get('imo', 'Unknown')},,{static.get('name', '')},"
        f"{static.get('type', 'Undefined')},,20,{static.get('length', '')},GPS,8.0,,,AIS,,,,"
    )


def write_csv(
    path: Path, vessels: int, rng: random.Random, listed: list[tuple[str, str]]
) -> tuple[list[int], dict[str, int], int]:
    """The DMA CSV; returns the MMSIs, how many vessels of each identity kind, and the last
    position time."""
    mmsis: list[int] = []
    seen: set[int] = set()
    kinds: dict[str, int] = {}
    last = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        while len(mmsis) < vessels:
            mmsi = new_mmsi(rng, seen)
            if mmsi is None:
                continue
            mmsis.append(mmsi)
            static: dict[str, str] = {}
            kind = "none"
            roll = rng.random()
            if roll >= 0.1:
                static = {"name": random_name(rng), "type": rng.choice(TYPES)}
                static["length"] = str(rng.randint(30, 300))
                if len(mmsis) % 200 == 0 and listed:
                    imo, name = listed[(len(mmsis) // 200) % len(listed)]
                    if len(mmsis) % 400 == 0:
                        kind, static["imo"] = "listed IMO, new name", imo
                    else:
                        kind, static["name"] = "listed name, no IMO", name
                elif roll < 0.88:
                    kind, static["imo"] = "valid IMO", random_imo(rng)
                elif roll < 0.90:
                    kind, static["imo"] = "invalid IMO", invalid_imo(rng)
                else:
                    kind = "name, no IMO"
            kinds[kind] = kinds.get(kind, 0) + 1
            start = T0 + int(rng.random() * (DAYS * 24 - 4) * HOUR_MS)
            lat, lon = rng.uniform(20, 44), rng.uniform(135, 160)
            for step in range(rng.randint(2, 4)):
                ts = start + step * HOUR_MS
                last = max(last, ts)
                out.write(dma_line(ts, mmsi, lat + step * 0.1, lon, static) + "\n")
    return mmsis, kinds, last


def event_row(e: Event) -> tuple[object, ...]:
    """``EventStore``'s stored form of an event (the detector is named after its type)."""
    details = json.dumps(e.details, ensure_ascii=False)
    row = EventRow(
        e.type, e.mmsi, e.other_mmsi, e.start_ms, e.end_ms, e.lat, e.lon, e.port, e.type, details
    )
    return to_params(row)


def build(home: Path, vessels: int, count: int, seed: int) -> None:
    """Lists, AIS and events as described in the module docstring; a summary in ``BUILT``."""
    rng = random.Random(seed)
    settings = load_settings(home, environ={})
    summary: dict[str, Any] = {}
    began = time.perf_counter()
    with ListStore(settings.store_path) as lists:
        for path in LISTS:
            load_lists(lists, [path])
        ships = load_listed(lists).vessels
        listed = [(v.imo_numbers[0], v.names[0][1]) for v in ships if v.imo_numbers and v.names]
        load_listed_cached(lists)  # the saved copy the last refresh after a list load left
    summary["lists_s"] = time.perf_counter() - began
    summary["listed_ships"] = len(listed)
    began = time.perf_counter()
    csv_path = home / "traffic.csv"
    mmsis, summary["identities"], _ = write_csv(csv_path, vessels, rng, listed)
    with open_store(home) as ais:
        counts = ingest_file(ais, Source(csv_path))
        with ais.snapshot() as snapshot:
            last_ingest, data_end = snapshot.last_ingest_id, snapshot.data_end_ms
    csv_path.unlink()
    summary["ais_s"] = time.perf_counter() - began
    summary["positions"] = counts.accepted
    summary["rejected"] = counts.rejected
    began = time.perf_counter()
    events = make_events(mmsis, count, rng)
    summary["events_by_type"] = dict(sorted(Counter(e.type for e in events).items()))
    summary["events"] = len(events)
    params = load_params(None)
    with open_store(home) as ais, EventStore(ais) as stored, stored.db:
        stored.db.execute("BEGIN")  # one transaction (the connection is in autocommit)
        stored.db.executemany(insert_sql(EventRow), (event_row(e) for e in events))
        for name in DETECTORS:
            state = DetectorStateRow(
                name, json.dumps(params[name], sort_keys=True), last_ingest, data_end
            )
            stored.db.execute(insert_sql(DetectorStateRow, conflict="REPLACE"), to_params(state))
    del events
    with (
        open_store(home, writable=False) as ais,
        EventStore(ais) as stored,
        ais.snapshot() as snapshot,
    ):
        assert not stored.stale(snapshot, params), "the stored events should be up to date"
    summary["events_s"] = time.perf_counter() - began
    summary["vessels"] = len(mmsis)
    (home / BUILT).write_text(json.dumps(summary), encoding="utf-8")


# -- timing ------------------------------------------------------------------------------


Times = list[tuple[float, float]]  # (wall, CPU) seconds of each run


def clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def since(began: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = clock()
    return wall - began[0], cpu - began[1]


def timed(call: Callable[[], T], runs: int = 3) -> tuple[Times, T]:
    times, result = [], None
    for _ in range(runs):
        began = clock()
        result = call()
        times.append(since(began))
    assert result is not None
    return times, result


def remove(home: Path, *names: str) -> None:
    for name in names:
        for suffix in ("", "-wal", "-shm", "-journal"):
            (home / f"{name}{suffix}").unlink(missing_ok=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    with open("/proc/meminfo") as lines:
        memory = next(int(ln.split()[1]) / 2**20 for ln in lines if ln.startswith("MemTotal"))
    return (
        f"{platform.system()} {platform.machine()}, nproc {os.cpu_count()}, {memory:.0f} GiB RAM,"
        f" Python {platform.python_version()}"
    )


def fmt(times: Times) -> str:
    """Wall clock: best (each run); CPU: best (each run)."""
    walls, cpus = [w for w, _ in times], [c for _, c in times]
    return (
        f"**{min(walls):.2f}** ({', '.join(f'{t:.2f}' for t in walls)}) |"
        f" {min(cpus):.2f} ({', '.join(f'{t:.2f}' for t in cpus)})"
    )


def measure(settings: Settings, profile: Path | None) -> tuple[list[str], dict[str, Any]]:
    """The rows of the result table (markdown) and a few counts."""
    home = settings.home
    rows: list[str] = []
    facts: dict[str, Any] = {"rss_start_mb": peak_mb()}

    def changed_refresh() -> Any:
        remove(home, "risk.sqlite", "alerts.sqlite")
        began = clock()
        with home_writer(settings, "bench refresh") as lock:
            done = refresh(settings, lock)
        assert done.rescored and not done.detected, "a rescore without detection was expected"
        return done, since(began)

    runs = [changed_refresh() for _ in range(3)]
    done = runs[-1][0]
    facts.update(vessels=done.vessels, alerts=len(done.alerts), rss_refresh_mb=peak_mb())
    rows.append(f"| (a) `refresh`, changed home | {fmt([t for _, t in runs])} |")

    def unchanged() -> Any:
        with home_writer(settings, "bench refresh") as lock:
            same = refresh(settings, lock)
        assert not same.rescored and not same.alerts
        return same

    rows.append(f"| (b) `refresh`, nothing changed | {fmt(timed(unchanged)[0])} |")
    times, fresh = timed(lambda: up_to_date(settings))
    assert fresh
    rows.append(f"| (c) `up_to_date` | {fmt(times)} |")

    def read() -> list[dict[str, Any]]:
        with RiskStore(home, writable=False) as store:
            return store.risks()

    times, bodies = timed(read)
    facts["levels"] = dict(Counter(str(b["level"]) for b in bodies))
    rows.append(f"| (d) `RiskStore.risks()` ({len(bodies):,} lines) | {fmt(times)} |")
    remove(home, CACHE_NAME)
    cold = changed_refresh()[1]
    rows.append(f"| (a) once more, saved listed data deleted (new lists) | {fmt([cold])} |")
    if profile is not None:
        remove(home, "risk.sqlite", "alerts.sqlite")
        with home_writer(settings, "bench refresh") as lock:
            cProfile.runctx("refresh(settings, lock)", globals(), locals(), str(profile))
        stats = pstats.Stats(str(profile), stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
    rows += baseline(settings, facts)
    facts["rss_end_mb"] = peak_mb()
    return rows, facts


def baseline(settings: Settings, facts: dict[str, Any]) -> list[str]:
    """The library calls alone, on the same stores (read-only) and inputs."""
    inputs = risk_inputs(settings)
    rules = load_rules(settings.alert_rules)
    rows = ["| *baseline, same run:* | | |"]
    with (
        open_store(settings.home, writable=False) as ais,
        EventStore(ais) as stored,
        ais.snapshot(),
        ListStore(settings.store_path, writable=False) as lists,
    ):
        times, events = timed(stored.events)
        rows.append(f"| `EventStore.events()` ({len(events):,} events) | {fmt(times)} |")
        times, result = timed(lambda: link_vessels(ais, lists, params=inputs.linking))
        facts["links"] = len(result.links)
        facts["flags"] = len(result.flags)
        rows.append(f"| `link_vessels` ({len(result.links)} links) | {fmt(times)} |")

        def summaries() -> list[dict[str, Any]]:
            found = summaries_from_identity_rows(ais.identities())
            known = {int(s["mmsi"]) for s in found}
            extra = [m for m in sorted(ais.activity()) if m not in known]
            return found + [{"mmsi": m, "imo": None, "name": None, "flag": None} for m in extra]

        times, vessels = timed(summaries)
        rows.append(f"| vessel summaries from the AIS store ({len(vessels):,}) | {fmt(times)} |")
        times, risks = timed(
            lambda: score_vessels(
                vessels, events, result.links, result.flags, inputs.risk, inputs.zones
            )
        )
        rows.append(f"| `score_vessels` | {fmt(times)} |")
    scratch = Path(tempfile.mkdtemp(prefix="bench-chain-scratch-"))
    try:
        bodies = risk_bodies(risks, result.flags)

        def store_risks() -> int:
            remove(scratch, "risk.sqlite")
            with RiskStore(scratch, writable=True) as store:
                return store.replace(risk_bodies(risks, result.flags), "bench")

        rows.append(f"| `risk_bodies` + `RiskStore.replace` | {fmt(timed(store_risks)[0])} |")
        times, candidates = timed(lambda: vessel_candidates(rules, bodies, events))
        rows.append(f"| `vessel_candidates` ({len(candidates):,}) | {fmt(times)} |")

        def store_alerts() -> int:
            remove(scratch, "alerts.sqlite")
            with AlertStore(scratch, writable=True) as store:
                return len(store.raise_alerts(candidates))

        rows.append(f"| `AlertStore.raise_alerts` | {fmt(timed(store_alerts)[0])} |")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vessels", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--home", type=Path, help="build here and keep it (reused if built)")
    parser.add_argument("--markdown", type=Path, help="also write the result block here")
    parser.add_argument("--profile", type=Path, help="cProfile one refresh into this file")
    args = parser.parse_args()
    folder = None if args.home else tempfile.mkdtemp(prefix="bench-chain-")
    home = (args.home or Path(folder or ".") / "home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    try:
        if not (home / BUILT).exists():
            # A child process, so that the peak RSS measured here is the chain's only.
            began = time.perf_counter()
            child = multiprocessing.get_context("fork").Process(
                target=build, args=(home, args.vessels, args.events, args.seed)
            )
            child.start()
            child.join()
            if child.exitcode != 0:
                raise SystemExit(f"building the home failed (exit code {child.exitcode})")
            print(f"home built in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        built = json.loads((home / BUILT).read_text(encoding="utf-8"))
        # The environment ignored: no SANCTIONWATCH_* setting changes what is measured.
        rows, facts = measure(load_settings(home, environ={}), args.profile)
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    text = report(args, built, rows, facts, load_before, os.getloadavg())
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")


def report(
    args: argparse.Namespace,
    built: dict[str, Any],
    rows: list[str],
    facts: dict[str, Any],
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> str:
    command = "`.venv/bin/python bench/bench_chain.py`" + (
        f" (--vessels {args.vessels} --events {args.events} --seed {args.seed})"
        if (args.vessels, args.events, args.seed) != (10_000, 1_000_000, 1)
        else ""
    )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = (
        ", ".join(f"{x:.2f}" for x in load_before)
        + " before; "
        + ", ".join(f"{x:.2f}" for x in load_after)
    )
    lines = [
        "## The stored chain: `chain.refresh` on 10,000 vessels / 1 M events"
        " (`bench/bench_chain.py`)",
        "",
        f"- Machine: {machine()}; load average (1, 5, 15 min) {load} after.",
        f"- Date: {stamp}. Command: {command}.",
        f"- Home (built untimed in {built['lists_s'] + built['ais_s'] + built['events_s']:.0f} s):"
        f" UN 2026-02-27 + OFAC SDN 2024-05-03 ({built['listed_ships']} listed ships with IMO"
        f" and name); {built['vessels']:,} vessels ({built['identities']}) from one DMA CSV"
        f" ({built['positions']:,} positions stored, {built['rejected']} rejected);"
        f" {built['events']:,} stored events {built['events_by_type']}, detectors' states"
        " current (no detection runs: see bench_detect.py).",
        f"- Result: {facts['vessels']:,} vessels scored and stored, levels {facts['levels']};"
        f" {facts['links']} links, {facts['flags']} identity flags;"
        f" {facts['alerts']:,} alerts raised by each changed-home refresh.",
        f"- Peak RSS of the measuring process: {facts['rss_start_mb']:.0f} MB after imports,"
        f" {facts['rss_refresh_mb']:.0f} MB after the three (a) refreshes,"
        f" {facts['rss_end_mb']:.0f} MB at the end (baseline included).",
        "",
        "| step | wall s: best (runs) | CPU s: best (runs) |",
        "|---|---:|---:|",
        *rows,
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
