"""AIS NMEA decode throughput: sanctionwatch's ``read_nmea`` against plain pyais, same run.

Run: .venv/bin/python bench/bench_ais_decode.py [LOG.txt.gz] [--repeat 30]
The log (default: AMSA's risky-AIS network log, 44,687 lines) is decompressed and repeated in
memory so that each timing covers about a million sentences; both readers get the same bytes.
Throughput is AIS sentences (``!..VDM`` / ``!..VDO``) in the input per second, for both, best
of three runs. The baseline is pyais's own stream reader (``IterMessages``: framing and
multi-sentence assembly) and ``decode()`` of every message, which is how pyais reads a log.
Ours does more per sentence (checksums, tag blocks, timestamps, rejection reasons, static
reports) and yields position columns. Prints a Markdown table row for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gzip
import io
import platform
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pyais.stream import IterMessages

from sanctionwatch.ais.nmea import read_nmea

DEFAULT_LOG = Path("/work/shared/data/ais/nmea/amsa_risky_ais.txt.gz")


def run_ours(data: bytes) -> int:
    """Positions read by read_nmea from ``data``."""
    positions = 0
    for chunk in read_nmea(io.BytesIO(data)):
        positions += len(chunk.positions["mmsi"])
    return positions


def run_pyais(data: bytes) -> int:
    """Messages pyais assembles and decodes from ``data`` (errors skipped, as a reader would)."""
    decoded = 0
    for message in IterMessages(data.splitlines()):
        try:
            message.decode()
        except Exception:  # pyais raises on empty payloads and unknown types; count and go on
            continue
        decoded += 1
    return decoded


def best_of(runs: int, function: Callable[[bytes], int], data: bytes) -> tuple[float, int]:
    """Fastest wall time of ``runs`` calls, and the function's result."""
    best, result = float("inf"), 0
    for _ in range(runs):
        start = time.perf_counter()
        result = function(data)
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("log", nargs="?", type=Path, default=DEFAULT_LOG)
    parser.add_argument("--repeat", type=int, default=30, help="copies of the log in memory")
    parser.add_argument("--runs", type=int, default=3, help="timings per reader (best kept)")
    args = parser.parse_args()
    opener = gzip.open if args.log.suffix == ".gz" else open
    with opener(args.log, "rb") as handle:
        one = handle.read()
    if not one.endswith(b"\n"):  # so that copies do not run into each other
        one += b"\n"
    data = one * args.repeat
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    sentences = len(re.findall(rb"![^,\\]{2}VD[MO],", data))
    ours_s, positions = best_of(args.runs, run_ours, data)
    pyais_s, decoded = best_of(args.runs, run_pyais, data)
    ours_rate, pyais_rate = sentences / ours_s, sentences / pyais_s
    print(f"# {platform.processor() or platform.machine()}, Python {sys.version.split()[0]}")
    print(f"# {args.log.name} x{args.repeat}: {lines:,} lines, {sentences:,} AIS sentences")
    print(f"# ours: {positions:,} positions in {ours_s:.2f} s")
    print(f"# pyais: {decoded:,} messages decoded in {pyais_s:.2f} s")
    print(
        "| log | AIS sentences | ours s | ours sentences/s | pyais s | pyais sentences/s | ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {args.log.name} x{args.repeat} | {sentences:,} | {ours_s:.2f} | {ours_rate:,.0f} "
        f"| {pyais_s:.2f} | {pyais_rate:,.0f} | {ours_rate / pyais_rate:.1f}x |"
    )


if __name__ == "__main__":
    main()
