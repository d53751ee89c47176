"""Portfolio screening throughput: one process, every core, and Spark, on N counterparties.

    .venv/bin/python bench/bench_portfolio.py [--sizes 20000,100000] [--no-spark]

Needs the `bench` extra (Faker) and the `spark` extra with Java 17+ for the Spark run.

A portfolio is mostly people and firms on no list: realistic unlisted names from Faker in 16
locales (bench_screening_negative.py's generator and seeds, names spelled like a listed name
removed), persons and companies, plus 0.5 % names exactly as the lists give them (parties
picked with a fixed seed). They are written to a CSV, added with ``PortfolioStore.add``, and
screened against every bundled list (UN 2026, OFAC SDN 2024 with aliases, OFAC non-SDN 2025,
UK OFSI 2018) in one run by:

- ``screen_portfolio`` on one process, then on every core (``workers``): the local runs;
- ``screen_portfolio_spark`` on local[2] (the index broadcast, ``mapPartitions``).

Each later run must report no change against the one before (same hits). Times exclude list
loading and the index build (done once, as a home does); the Spark session's start is timed
on its own. Prints Markdown for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

from bench_screening import machine
from bench_screening_negative import LOCALES, generate, remove_listed
from bench_screening_speed import BATCHES, LISTS

from sanctionwatch.lists.loader import default_workers, load_batches
from sanctionwatch.lists.store import ListStore
from sanctionwatch.portfolio.model import PortfolioScreenResult
from sanctionwatch.portfolio.screen import screen_portfolio, signature_text
from sanctionwatch.portfolio.store import PortfolioStore
from sanctionwatch.screening.engine import Screener
from sanctionwatch.screening.index import ScreeningIndex, build_index

LISTED_SHARE = 0.005  # names exactly as listed
SMALL = 200  # counterparties of the run that measures Spark's fixed cost
SEED = 13


def load_index() -> ScreeningIndex:
    """The index of every bundled list (as `make demo` loads them)."""
    with TemporaryDirectory() as tmp, ListStore(Path(tmp) / "lists.sqlite") as store:
        load_batches(store, [[LISTS / p for p in batch] for batch in BATCHES])
        return build_index(store)


def counterparties(index: ScreeningIndex, size: int) -> list[tuple[str, str, str]]:
    """``size`` (id, name, schema) rows: unlisted Faker names cycled to size (a real book
    has namesakes too), then LISTED_SHARE of them replaced by listed names."""
    per_locale = -(-size // len(LOCALES))
    persons, companies = per_locale * 3 // 4, per_locale - per_locale * 3 // 4
    names = [n for locale in LOCALES for n in generate(locale, persons, companies)]
    kept, _ = remove_listed(names, index)
    rows = [(f"cp-{i}", kept[i % len(kept)].name, kept[i % len(kept)].schema) for i in range(size)]
    chooser = random.Random(SEED)
    for position in chooser.sample(range(size), int(size * LISTED_SHARE)):
        party = chooser.choice(index.parties)
        rows[position] = (f"cp-{position}", party.caption, "")
    return rows


def timed(run: Callable[[], PortfolioScreenResult]) -> tuple[float, PortfolioScreenResult]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def bench_size(
    index: ScreeningIndex, size: int, spark: object | None, spark_only: bool = False
) -> list[str]:
    rows = counterparties(index, size)
    screener, signature = Screener(index), signature_text(index.signature)
    lines: list[str] = []
    with TemporaryDirectory() as tmp:
        home = Path(tmp)
        source = home / "portfolio.csv"
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "name", "schema"])
            writer.writerows(rows)
        with PortfolioStore(home) as store:
            start = time.perf_counter()
            outcome = store.add(source)
            added = time.perf_counter() - start
            assert outcome.added == size and not outcome.rejected, outcome.to_json()
            workers = default_workers()
            seconds, first = timed(lambda: screen_portfolio(store, screener, signature))
            if spark_only:
                from sanctionwatch.portfolio.spark_batch import screen_portfolio_spark

                seconds, _ = timed(lambda: screen_portfolio_spark(store, index, signature, spark))
                return [_line(size, "Spark local[2]: the fixed cost", seconds, "")]
            lines.append(_line(size, "add (read, check, store)", added, ""))
            hits = len(first.hits)
            alerted = len({h.counterparty_id for h in first.hits})
            note = f"{hits:,} hits on {alerted:,} counterparties ({alerted / size:.2%})"
            lines.append(_line(size, "local, 1 process", seconds, note))
            seconds, again = timed(
                lambda: screen_portfolio(store, screener, signature, workers=workers)
            )
            assert (again.changes, again.removed) == ([], []), "local runs differ"
            lines.append(_line(size, f"local, {workers} processes", seconds, "no change"))
            if spark is not None:
                from sanctionwatch.portfolio.spark_batch import screen_portfolio_spark

                seconds, on_spark = timed(
                    lambda: screen_portfolio_spark(store, index, signature, spark)
                )
                assert (on_spark.changes, on_spark.removed) == ([], []), "Spark differs"
                assert on_spark.hits == first.hits
                lines.append(_line(size, "Spark local[2]", seconds, "no change: same hits"))
    return lines


def _line(size: int, how: str, seconds: float, note: str) -> str:
    return f"| {size:,} | {how} | {seconds:.1f} | {size / seconds:,.0f} | {note} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="20000,100000", help="comma-separated portfolio sizes")
    parser.add_argument("--no-spark", action="store_true", help="local runs only")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    load_before = os.getloadavg()[0]
    print("loading the lists and building the index ...", file=sys.stderr)
    index = load_index()
    spark = None
    started = 0.0
    if not args.no_spark:
        from sanctionwatch.engine.spark import start_session

        start = time.perf_counter()
        spark = start_session("local[2]")
        started = time.perf_counter() - start
    lines = []
    if spark is not None:  # what a Spark screen costs whatever the size: broadcast, tasks
        lines += bench_size(index, SMALL, spark, spark_only=True)
    for size in sizes:
        print(f"{size:,} counterparties ...", file=sys.stderr)
        lines += bench_size(index, size, spark)
    if spark is not None:
        spark.stop()  # type: ignore[attr-defined]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(
        "## Portfolio screening (`bench/bench_portfolio.py`)\n\n"
        f"{datetime.now(UTC):%Y-%m-%d}, {machine()}, load average before {load_before:.2f}, "
        f"after {os.getloadavg()[0]:.2f}. {len(index.parties):,} listed parties (every bundled "
        "list). Counterparties: Faker names of 16 locales (3/4 persons), listed spellings "
        f"removed, plus {LISTED_SHARE:.1%} names as listed. Spark session start: "
        f"{started:.1f} s (not included). Driver peak RSS {peak:,.0f} MiB.\n\n"
        "| counterparties | how | seconds | per second | note |\n|---|---|---|---|---|\n"
        + "\n".join(lines)
        + f"\n\nCommand: `.venv/bin/python bench/bench_portfolio.py --sizes {args.sizes}`\n"
    )


if __name__ == "__main__":
    main()
