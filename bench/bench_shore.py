"""Distance-to-shore lookup throughput: ``distance_to_shore_m`` on random positions.

Run: .venv/bin/python bench/bench_shore.py [--points 10000000] [--repeat 5]
Positions are uniform in latitude and longitude over the globe (seed 0), the worst case for
the CPU cache: real tracks move a few hundred metres between reports and hit the same grid
rows. Loading the grid (once per process) is timed separately; the lookup figure is the best
of ``--repeat`` runs. Prints lookups per second.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np

from sanctionwatch.geo.shore import distance_to_shore_m, shore_grid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    shore_grid()
    load_s = time.perf_counter() - started

    rng = np.random.default_rng(0)
    lat = rng.uniform(-90.0, 90.0, args.points)
    lon = rng.uniform(-180.0, 180.0, args.points)
    best = float("inf")
    for _ in range(args.repeat):
        started = time.perf_counter()
        distance = distance_to_shore_m(lat, lon)
        best = min(best, time.perf_counter() - started)
    off_land = float(np.mean(distance > 0))
    print(
        f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    print(f"grid load: {load_s:.2f} s (once per process)")
    print(
        f"{args.points:,} random positions ({off_land:.0%} off land): best of {args.repeat} "
        f"{best:.3f} s = {args.points / best / 1e6:.1f} M lookups/s"
    )


if __name__ == "__main__":
    main()
