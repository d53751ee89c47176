"""Gaps and loitering: sanctionwatch on DuckDB against MovingPandas, on the same positions.

    .venv/bin/python bench/bench_movingpandas.py [--rows 1000000] [--work DIR] [--vessels K]

Input: the store ``bench_detect.py --sizes 1`` uses (SYNTHETIC ``sanctionwatch simulate``
traffic, 30 daily DMA files joined and cut at ``--rows`` rows; cached under the same work
directory, default ``/tmp/sw-bench-detect``), made here when missing.

Ours: ``detect(DuckDBEngine(store), params, only=["gap"])``, then the same with
``only=["loitering"]``, each with a fresh engine, timed in this process from opening the
store to the events (nothing loaded in advance; one cold run each; the first one also pays
for reading the shore-distance grid, about 0.3 s).

MovingPandas (BSD-3-Clause; ``pip install movingpandas``, in the ``bench`` extra):

- load: the same positions (mmsi, ts, lat, lon from the store's Parquet files) into a
  GeoDataFrame of points in EPSG:4326, time stamps as naive UTC (MovingPandas drops time
  zones anyway). Timed apart; speeds are given with and without it.
- ``TrajectoryCollection(gdf, "mmsi", t="ts")``: one trajectory per MMSI (timed apart, and
  counted in both of its figures below, since either task needs it).
- gaps: ``ObservationGapSplitter(tc).split(gap=timedelta(hours=6))``; a gap is the time
  between the end of one piece of a vessel and the start of its next piece. Compared, as
  (mmsi, start, end), with our closed gaps (open gaps at the end of the data have no
  MovingPandas equivalent).
- stops: ``TrajectoryStopDetector(tc).get_stop_time_ranges(max_diameter=14_816,
  min_duration=timedelta(hours=4))``, then our 20 nm from-shore filter on each stop's mean
  position (``sanctionwatch.geo.shore.distance_to_shore_m``), as our loitering detector does
  with the mean position of each slow stretch.

Why max_diameter = 8 nm (14,816 m): our loitering is "under 2 kn for at least 4 h"; a vessel
under 2 kn covers at most 2 kn x 4 h = 8 nm in the shortest qualifying stretch, so every
4-hour window of a loitering vessel fits in a circle of 8 nm diameter. MovingPandas has no
speed rule: its stop is "stays within max_diameter for min_duration". The two still differ:
a vessel circling at 5 kn inside 8 nm is a MovingPandas stop and not loitering; a vessel
drifting at 1.9 kn in a straight line for 10 h (19 nm) is one loitering event but at most
a few shorter MovingPandas stops; MovingPandas does not end a stop at a silence (we end a
slow stretch after 2 h without a position). So stops are compared by overlap: a loitering
event matches when a stop of the same MMSI overlaps it in time, and the other way round.

Goal (issue 5): ours at least 50x faster than MovingPandas, with the same events.
MovingPandas runs with its default of one process (``n_processes=2`` could at best halve its
times on this 2-core machine); DuckDB uses both cores. ``--vessels K`` runs MovingPandas on
K of the vessels only and scales its times by positions (said so in the output); the
default is all vessels.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ais_ingest import generate  # the bench folder is not a package
from bench_detect import prefix_store

GAP_HOURS = 6.0
STOP_HOURS = 4.0
MAX_DIAMETER_M = 2.0 * STOP_HOURS * 1852.0  # 2 kn for 4 h: 8 nm
MIN_SHORE_NM = 20.0
HOUR_MS = 3_600_000
GOAL_RATIO = 50.0


def ms(value: object) -> int:
    """A pandas / numpy time stamp (naive UTC) as ms since the epoch."""
    import pandas as pd

    return int(pd.Timestamp(value).value) // 1_000_000  # type: ignore[arg-type]  # .value: ns


def overlaps(intervals: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= end and start <= b for a, b in intervals)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "sw-bench-detect"
    )
    parser.add_argument("--vessels", type=int, default=0, help="MovingPandas on K vessels only")
    args = parser.parse_args()
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    csv_path, total = generate(work, args.rows)
    home, stored = prefix_store(work, csv_path, total, args.rows)
    print(f"store: {home} ({stored:,} positions)")

    # MovingPandas warns at import that Stone Soup (for its smoothers) is missing.
    warnings.filterwarnings("ignore", message="Missing optional dependencies")
    import geopandas as gpd
    import movingpandas as mpd
    import numpy as np
    import pyarrow.parquet as pq

    from sanctionwatch.ais.store import open_store
    from sanctionwatch.behaviour.params import default_params
    from sanctionwatch.behaviour.run import detect
    from sanctionwatch.engine.duckdb import DuckDBEngine
    from sanctionwatch.geo.shore import distance_to_shore_m

    params = default_params()
    assert params["gap"]["min_hours"] == GAP_HOURS
    assert params["loitering"]["min_hours"] == STOP_HOURS
    assert params["loitering"]["min_shore_nm"] == MIN_SHORE_NM

    # --- ours -------------------------------------------------------------------------
    ours: dict[str, list] = {}
    ours_s: dict[str, float] = {}
    for name in ("gap", "loitering"):
        started = time.perf_counter()
        engine = DuckDBEngine(open_store(home))
        ours[name] = detect(engine, params, only=[name])
        engine.close()
        ours_s[name] = time.perf_counter() - started
        print(f"ours {name}: {ours_s[name]:.2f} s, {len(ours[name])} events")

    # --- MovingPandas -----------------------------------------------------------------
    warnings.filterwarnings("ignore", category=UserWarning)
    started = time.perf_counter()
    store = open_store(home)
    table = pq.read_table(
        [str(p) for p in store.part_files()], columns=["mmsi", "ts", "lat", "lon"]
    )
    frame = table.to_pandas()
    frame["ts"] = frame["ts"].dt.tz_localize(None)
    everyone = np.unique(frame["mmsi"].to_numpy())
    chosen = everyone
    if args.vessels and args.vessels < len(everyone):
        chosen = everyone[:: max(1, len(everyone) // args.vessels)][: args.vessels]
        frame = frame[frame["mmsi"].isin(chosen)].reset_index(drop=True)
    gdf = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    )
    load_s = time.perf_counter() - started
    share = len(gdf) / stored
    subset = share < 1.0
    print(f"MovingPandas load: {load_s:.2f} s, {len(gdf):,} positions of {len(chosen)} vessels")

    started = time.perf_counter()
    tc = mpd.TrajectoryCollection(gdf, traj_id_col="mmsi", t="ts")
    tc_s = time.perf_counter() - started
    print(f"MovingPandas TrajectoryCollection: {tc_s:.2f} s, {len(tc)} trajectories")

    started = time.perf_counter()
    pieces = mpd.ObservationGapSplitter(tc).split(gap=timedelta(hours=GAP_HOURS))
    by_vessel: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for piece in pieces:
        mmsi, index = str(piece.id).rsplit("_", 1)
        by_vessel[int(mmsi)].append(
            (int(index), ms(piece.get_start_time()), ms(piece.get_end_time()))
        )
    mp_gaps: set[tuple[int, int, int]] = set()
    for mmsi, parts in by_vessel.items():
        parts.sort()
        for (_, _, end), (_, start, _) in pairwise(parts):
            mp_gaps.add((mmsi, end, start))
    split_s = time.perf_counter() - started
    print(f"MovingPandas ObservationGapSplitter: {split_s:.2f} s, {len(pieces)} pieces, "
          f"{len(mp_gaps)} gaps")  # fmt: skip

    started = time.perf_counter()
    ranges = mpd.TrajectoryStopDetector(tc).get_stop_time_ranges(
        max_diameter=MAX_DIAMETER_M, min_duration=timedelta(hours=STOP_HOURS)
    )
    stop_s = time.perf_counter() - started
    started = time.perf_counter()
    trajectories = {int(t.id): t for t in tc}
    mp_stops: list[tuple[int, int, int]] = []
    for stop in ranges:
        points = trajectories[int(stop.traj_id)].df.loc[stop.t_0 : stop.t_n]
        lat, lon = float(points.geometry.y.mean()), float(points.geometry.x.mean())
        if distance_to_shore_m(lat, lon) / 1852.0 >= MIN_SHORE_NM:
            mp_stops.append((int(stop.traj_id), ms(stop.t_0), ms(stop.t_n)))
    filter_s = time.perf_counter() - started
    print(f"MovingPandas TrajectoryStopDetector: {stop_s:.2f} s, {len(ranges)} stops; "
          f"20 nm filter {filter_s:.2f} s, {len(mp_stops)} left")  # fmt: skip
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

    # --- same events? -----------------------------------------------------------------
    kept = {int(m) for m in chosen}
    our_gaps = {(e.mmsi, e.start_ms, e.end_ms) for e in ours["gap"]
                if e.end_ms is not None and e.mmsi in kept}  # fmt: skip
    open_gaps = sum(1 for e in ours["gap"] if e.end_ms is None and e.mmsi in kept)
    both = our_gaps & mp_gaps
    only_ours, only_mp = our_gaps - mp_gaps, mp_gaps - our_gaps
    exactly = sum(1 for _, a, b in only_ours if b - a == int(GAP_HOURS * HOUR_MS))
    inside = sum(1 for m, a, b in only_ours - {(m, a, b) for m, a, b in only_ours
                                               if b - a == int(GAP_HOURS * HOUR_MS)}
                 if any(m == n and c <= a and b <= d for n, c, d in only_mp))  # fmt: skip
    merged = sum(1 for n, c, d in only_mp
                 if sum(m == n and c <= a and b <= d for m, a, b in only_ours) >= 2)  # fmt: skip

    loiter = [(e.mmsi, e.start_ms, e.end_ms if e.end_ms is not None
               else e.start_ms + round(e.details["hours"] * HOUR_MS))
              for e in ours["loitering"] if e.mmsi in kept]  # fmt: skip
    stops_by: dict[int, list[tuple[int, int]]] = defaultdict(list)
    loiter_by: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for m, a, b in mp_stops:
        stops_by[m].append((a, b))
    for m, a, b in loiter:
        loiter_by[m].append((a, b))
    ours_matched = sum(1 for m, a, b in loiter if overlaps(stops_by[m], a, b))
    mp_matched = sum(1 for m, a, b in mp_stops if overlaps(loiter_by[m], a, b))
    # Why MovingPandas stops that no loitering event overlaps are not loitering (after the
    # timings): the vessel's speeds inside each, from the same store.
    moving = short_slow = 0
    engine = DuckDBEngine(open_store(home))
    for m, a, b in mp_stops:
        if overlaps(loiter_by[m], a, b):
            continue
        row = engine.query(
            "SELECT median(sog) AS median_sog, "
            "max(epoch_ms(ts)) FILTER (WHERE sog < 2) - min(epoch_ms(ts)) FILTER (WHERE sog < 2)"
            " AS slow_ms FROM positions WHERE mmsi = ? AND epoch_ms(ts) BETWEEN ? AND ?",
            [m, a, b],
        )[0]
        if row["median_sog"] is not None and row["median_sog"] >= 2.0:
            moving += 1
        elif (row["slow_ms"] or 0) < STOP_HOURS * HOUR_MS:
            short_slow += 1
    engine.close()

    # --- summary ----------------------------------------------------------------------
    scale = 1.0 / share
    mp_gap_s = (tc_s + split_s) * scale
    mp_stop_s = (tc_s + stop_s + filter_s) * scale
    mp_load_s = load_s * scale
    print()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, movingpandas {mpd.__version__}, geopandas "
          f"{gpd.__version__}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average "
          f"{os.getloadavg()[0]:.1f}; peak RSS {peak_mb} MB")  # fmt: skip
    print(f"command: .venv/bin/python bench/bench_movingpandas.py --rows {args.rows}"
          f"{f' --vessels {args.vessels}' if args.vessels else ''}")  # fmt: skip
    print(f"input: {csv_path.name} (SYNTHETIC), {stored:,} positions, {len(everyone)} vessels")
    if subset:
        print(f"NOTE: MovingPandas ran on {len(chosen)} of {len(everyone)} vessels "
              f"({len(gdf):,} positions, {share:.1%}); its times below are SCALED by "
              f"{scale:.1f} to all positions; events are compared on those vessels "
              "only.")  # fmt: skip
    print()
    print("| task | ours s | MovingPandas s | without load: ratio | MovingPandas + load s "
          "| with load: ratio |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|")
    tasks = (("gaps (6 h)", ours_s["gap"], mp_gap_s),
             ("loitering / stops (4 h, 20 nm)", ours_s["loitering"], mp_stop_s))  # fmt: skip
    for task, mine, theirs in tasks:
        print(f"| {task} | {mine:.2f} | {theirs:.2f} | {theirs / mine:.0f}x | "
              f"{theirs + mp_load_s:.2f} | {(theirs + mp_load_s) / mine:.0f}x |")  # fmt: skip
    print(f"\nMovingPandas parts (s{', scaled' if subset else ''}): load {mp_load_s:.2f}, "
          f"TrajectoryCollection {tc_s * scale:.2f}, ObservationGapSplitter "
          f"{split_s * scale:.2f}, TrajectoryStopDetector {stop_s * scale:.2f}, "
          f"shore filter {filter_s * scale:.2f}.")  # fmt: skip
    print()
    print(f"Gaps: ours {len(our_gaps)} closed (+{open_gaps} open, not compared), "
          f"MovingPandas {len(mp_gaps)}; the same (mmsi, start, end): {len(both)}; "
          f"only ours {len(only_ours)}, only MovingPandas {len(only_mp)}.")  # fmt: skip
    if only_ours or only_mp:
        print(f"  why: {exactly} of ours last exactly {GAP_HOURS:g} h (we count >= 6 h, "
              f"MovingPandas > 6 h); {inside} more of ours lie inside a longer MovingPandas "
              f"gap, and {merged} MovingPandas gaps span two or more of ours: MovingPandas "
              "drops a piece between two gaps when it is a lone position or never moves "
              "(length 0), joining the gaps on either side; "
              f"{len(only_ours) - exactly - inside} of ours and "
              f"{len(only_mp) - merged} of MovingPandas' otherwise unexplained.")  # fmt: skip
    print(f"Stops: ours {len(loiter)} loitering events, MovingPandas {len(ranges)} stops, "
          f"{len(mp_stops)} at least {MIN_SHORE_NM:g} nm from shore. Ours overlapped by a "
          f"MovingPandas stop of the same vessel: {ours_matched}/{len(loiter)}; MovingPandas "
          f"stops overlapped by one of ours: {mp_matched}/{len(mp_stops)} (a stop is 'within "
          f"{MAX_DIAMETER_M:,.0f} m for 4 h', loitering 'under 2 kn for 4 h': see the "
          "docstring).")  # fmt: skip
    if mp_matched < len(mp_stops):
        unmatched = len(mp_stops) - mp_matched
        print(f"  why: of the {unmatched} MovingPandas stops with no loitering event, {moving} "
              "have a median speed of 2 kn or more (moving slowly, or round in circles, "
              f"inside {MAX_DIAMETER_M:,.0f} m), and {short_slow} more are under 2 kn for "
              "less than 4 h (first to last slow position): the diameter rule also takes in "
              "the approach and departure at full speed inside the circle (ship-to-ship "
              f"transfers of 3 h or so); {unmatched - moving - short_slow} otherwise.")  # fmt: skip
    same = (
        not only_ours and not only_mp and ours_matched == len(loiter) == mp_matched == len(mp_stops)
    )
    slowest = min(mp_gap_s / ours_s["gap"], mp_stop_s / ours_s["loitering"])
    print(f"\nGoal (issue 5: ours >= {GOAL_RATIO:.0f}x faster with the same events): "
          f"speed {'MET' if slowest >= GOAL_RATIO else 'NOT MET'} (at least {slowest:.0f}x "
          f"without MovingPandas' load); events "
          f"{'the same' if same else 'NOT all the same'}.")  # fmt: skip


if __name__ == "__main__":
    main()
