"""Benchmark the synthetic AIS generator: positions per second and peak memory.

    .venv/bin/python bench/bench_simulate.py              # 0.5 M and 5 M positions
    .venv/bin/python bench/bench_simulate.py --quick      # 30 ships, 1 and 3 days
    .venv/bin/python bench/bench_simulate.py --days 1 10 --vessels 150

Each size runs in a fresh interpreter (``python -c``) so that its peak RSS (VmHWM, read from
/proc at the end of the run) is its own. Sizes differ only in the number of days, with the
same fleet: if the generator streams, peak memory stays flat while the positions grow tenfold.
The run writes every format (NMEA, DMA CSV, MarineCadastre CSV) plus the Parquet truth.

Baseline, measured in the same run: encoding the same kind of position reports one by one
with pyais' ``encode_dict`` (what a straightforward generator would do), NMEA only, on a
sample of 20,000 reports, versus the generator's own vectorised NMEA encoding of that sample.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, sys, time
from pathlib import Path
from sanctionwatch.simulate import simulate
out, days, vessels = Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
started = time.perf_counter()
result = simulate(out, days=days, vessels=vessels, seed=1)
elapsed = time.perf_counter() - started
peak_kib = next(
    int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")
)
size = sum(path.stat().st_size for path in out.iterdir())
print(json.dumps({
    "days": days, "vessels": vessels, "positions": result.positions,
    "received": result.received_positions, "seconds": elapsed,
    "peak_mib": peak_kib / 1024, "output_mib": size / 2**20,
    "nmea_sentences": result.counts.get("nmea_sentences", 0),
}))
"""


def run_size(days: float, vessels: int) -> dict[str, float]:
    out = Path(tempfile.mkdtemp(prefix="bench-simulate-"))
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(out), str(days), str(vessels)],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(f"the generator failed:\n{done.stderr}")
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))
    finally:
        shutil.rmtree(out, ignore_errors=True)


def baseline(sample: int = 20_000) -> tuple[float, float]:
    """(pyais encode_dict messages/s, vectorised encoder messages/s) on the same reports."""
    import numpy as np
    from pyais import encode_dict

    from sanctionwatch.simulate import encode

    rng = np.random.default_rng(0)
    mmsi = rng.integers(200_000_000, 799_999_999, sample)
    lat = np.round(rng.uniform(35, 43, sample) * 600_000) / 600_000
    lon = np.round(rng.uniform(128, 140, sample) * 600_000) / 600_000
    sog = np.round(rng.uniform(0, 20, sample), 1)
    cog = np.round(rng.uniform(0, 360, sample), 1) % 360
    heading = rng.integers(0, 360, sample)
    second = rng.integers(0, 60, sample)
    started = time.perf_counter()
    for i in range(sample):
        encode_dict(
            {
                "msg_type": 1,
                "mmsi": int(mmsi[i]),
                "status": 0,
                "speed": float(sog[i]),
                "lon": float(lon[i]),
                "lat": float(lat[i]),
                "course": float(cog[i]),
                "heading": int(heading[i]),
                "second": int(second[i]),
            },
            talker_id="AI",
        )
    pyais_rate = sample / (time.perf_counter() - started)
    started = time.perf_counter()
    payload = encode.position_payloads(
        np.ones(sample, dtype=np.int64),
        mmsi,
        np.zeros(sample, dtype=np.int64),
        sog,
        lon,
        lat,
        cog,
        heading,
        second,
    )
    encode.sentences(payload, 0, np.full(sample, ord("A"), dtype=np.uint8))
    ours = sample / (time.perf_counter() - started)
    return pyais_rate, ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--vessels", type=int, default=150)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    args = parser.parse_args()
    days, vessels = ([1.0, 3.0], 30) if args.quick else (args.days, args.vessels)
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}")
    rows = [run_size(d, vessels) for d in days]
    print()
    print("| days | vessels | positions | seconds | positions/s | peak MiB | output MiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['days']:g} | {row['vessels']:.0f} | {row['positions']:,.0f} | "
            f"{row['seconds']:.1f} | {row['positions'] / row['seconds']:,.0f} | "
            f"{row['peak_mib']:.0f} | {row['output_mib']:,.0f} |"
        )
    growth = rows[-1]["peak_mib"] / rows[0]["peak_mib"]
    scale = rows[-1]["positions"] / rows[0]["positions"]
    print(f"\nPositions x{scale:.1f}, peak memory x{growth:.2f}: ", end="")
    print("streams (memory does not follow the run's size)" if growth < 1.25 else "DOES NOT STREAM")
    pyais_rate, ours = baseline()
    print(
        "\nBaseline, NMEA encoding of 20,000 type 1 reports: "
        f"pyais encode_dict {pyais_rate:,.0f}/s, "
        f"sanctionwatch.simulate.encode {ours:,.0f}/s (x{ours / pyais_rate:.0f})"
    )


if __name__ == "__main__":
    main()
