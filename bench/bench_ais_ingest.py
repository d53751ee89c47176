"""AIS store benchmarks: CSV ingest speed and memory, and one vessel's month-long track.

    .venv/bin/python bench/bench_ais_ingest.py [--rows 10000000] [--work DIR]

1. Generates SYNTHETIC traffic with ``sanctionwatch simulate`` (DMA CSV, one file per day
   for 30 days) and joins the days into one DMA file of about ``--rows`` rows.
2. Ingest: ``sanctionwatch ais ingest`` of that file in a fresh process (rows/s, peak RSS),
   against two baselines on the same file in the same run: pyarrow reading the CSV and
   nothing else (the floor for any reader), and DuckDB converting the CSV to one Parquet
   file (the obvious alternative; no checks, no dedup, no identities).
3. Track: the month-long track of the busiest vessel through ``PositionStore.track``
   (catalogue pruning + Parquet statistics), against DuckDB scanning every stored file
   with ``WHERE mmsi = ?``. Best of 5 after one warm-up.

Goals (issue 4): ingest at least 1 M rows/s on 2 cores, under 600 MB peak.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def generate(work: Path, rows: int) -> tuple[Path, int]:
    """A DMA file of about ``rows`` synthetic rows (30 days joined), and its row count."""
    from sanctionwatch.simulate import simulate

    target = work / f"dma-{rows}.csv"
    count_file = target.with_suffix(".rows")
    if target.exists() and count_file.exists():
        return target, int(count_file.read_text())
    days = 30
    # The rajin run reports about 3,900 positions per vessel per day (measured).
    vessels = max(20, round(rows / days / 3_900))
    started = time.perf_counter()
    result = simulate(work / "sim", days=days, vessels=vessels, formats=["dma"], seed=7)
    print(f"generated {result.received_positions:,} positions ({vessels} vessels, {days} days) "
          f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    total = 0
    with target.open("wb") as out:
        for index, path in enumerate(result.files["dma"]):
            with path.open("rb") as day:
                header = day.readline()
                if index == 0:
                    out.write(header)
                for line in day:
                    out.write(line)
                    total += 1
                    if total >= rows:
                        break
            if total >= rows:
                break
    shutil.rmtree(work / "sim")
    count_file.write_text(str(total))
    return target, total


def child_rss(imports: str, code: str) -> tuple[float, int, str]:
    """Run ``imports`` then ``code`` in a fresh process: (seconds ``code`` took, not counting
    interpreter start-up and imports; the process's peak RSS in MB; what it printed)."""
    program = (
        f"{imports}\nimport resource, time\nstarted = time.perf_counter()\n{code}\n"
        "print(time.perf_counter() - started)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    done = subprocess.run([PY, "-c", program], capture_output=True, text=True, check=True)
    *out, seconds, peak_kb = done.stdout.strip().splitlines()
    return float(seconds), int(peak_kb) // 1024, "\n".join(out)


def bomb(work: Path) -> None:
    """Peak memory on a decompression bomb: a gzip of about 1 MB holding one line of 1 GB,
    ingested with the default limits (refused once it expands past 100x its size + 64 MiB)
    and with the expansion bound lifted (the whole 1 GB line is read, in bounded memory)."""
    import gzip

    path = work / "bomb-1gb-line.nmea.gz"
    if not path.exists():
        with gzip.open(path, "wb", compresslevel=9) as out:
            out.write(b"!AIVDM,1,1,,A,")
            block = b"A" * (1 << 20)
            for _ in range(1024):
                out.write(block)
            out.write(b"\n")
    print(f"bomb: {path} ({path.stat().st_size / 1e6:.1f} MB gzip, one 1 GiB line)")
    imports = (
        "from pathlib import Path\nimport shutil\n"
        "from sanctionwatch.ais.store import open_store\n"
        "from sanctionwatch.ais.ingest import Source, ingest_file\n"
        "from sanctionwatch.ais.input_limits import IngestLimits\n"
        "from sanctionwatch.errors import InputError\n"
    )
    home = work / "bomb-home"
    for name, overrides in (
        ("default limits", "{}"),
        ("expansion bound lifted", "{'max_expansion': 100_000}"),
    ):
        code = (
            f"shutil.rmtree({str(home)!r}, ignore_errors=True)\n"
            "try:\n"
            f"    c = ingest_file(open_store(Path({str(home)!r})), Source(Path({str(path)!r})), "
            f"limits=IngestLimits.from_mapping({overrides}))\n"
            "    print('lines', c.lines, 'rejected', c.rejected_by_reason, "
            "'quarantine bytes', Path(c.quarantine).stat().st_size)\n"
            "except InputError as exc:\n"
            "    print('refused:', exc.message[-90:])\n"
        )
        seconds, peak, out = child_rss(imports, code)
        print(f"| bomb, {name} | {seconds:.1f} | | {peak} | {out.strip()} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sw-bench-ais")
    parser.add_argument("--bomb", action="store_true", help="Only the decompression bomb.")
    args = parser.parse_args()
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    if args.bomb:
        bomb(work)
        return
    csv_path, rows = generate(work, args.rows)
    size_mb = csv_path.stat().st_size / 1e6
    print(f"input: {csv_path} ({rows:,} rows, {size_mb:,.0f} MB)")

    home = work / "home"
    shutil.rmtree(home, ignore_errors=True)
    ingest_imports = (
        "from pathlib import Path\n"
        "from sanctionwatch.ais.store import open_store\n"
        "from sanctionwatch.ais.ingest import Source, ingest_file\n"
    )
    ingest_code = (
        f"c = ingest_file(open_store(Path({str(home)!r})), Source(Path({str(csv_path)!r})))\n"
        "print(c.accepted, c.rejected, c.duplicates)\n"
    )
    arrow_code = f"r = p.open_csv({str(csv_path)!r})\nprint(sum(b.num_rows for b in r))\n"
    duck_out = work / "duckdb.parquet"
    duck_code = (
        "import duckdb\n"
        'duckdb.sql("SET threads = 2")\n'
        f'duckdb.sql("COPY (SELECT * FROM read_csv({str(csv_path)!r}, header=true, '
        f"timestampformat='%d/%m/%Y %H:%M:%S')) TO {str(duck_out)!r} (FORMAT parquet)\")\n"
        "print('ok')\n"
    )
    results = {}
    runs = (
        ("pyarrow read only", "import pyarrow.csv as p", arrow_code),
        ("duckdb csv->parquet", "import duckdb", duck_code),
        ("sanctionwatch ais ingest", ingest_imports, ingest_code),
    )
    for name, imports, code in runs:
        best = None
        for _ in range(2):
            if name.startswith("sanctionwatch"):
                shutil.rmtree(home, ignore_errors=True)
            seconds, peak, out = child_rss(imports, code)
            if best is None or seconds < best[0]:
                best = (seconds, peak, out.strip())
        results[name] = best
        print(
            f"{name}: {best[0]:.2f} s, {rows / best[0]:,.0f} rows/s, peak {best[1]} MB; {best[2]}"
        )

    # Track query on what was ingested (the last ingest run left the store in place).
    sys.path.insert(0, str(ROOT / "src"))
    import duckdb

    from sanctionwatch.ais.store import open_store

    store = open_store(home)
    busiest = store.db.execute(
        "SELECT mmsi, SUM(positions) FROM activity GROUP BY mmsi ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    mmsi, count = int(busiest[0]), int(busiest[1])
    files = [str(p) for p in store.part_files()]

    def ours() -> int:
        return int(store.track(mmsi).num_rows)

    con = duckdb.connect()
    con.execute("SET threads = 2")

    def scan() -> int:
        table = con.execute(
            "SELECT * FROM read_parquet(?) WHERE mmsi = ? ORDER BY ts", [files, mmsi]
        ).to_arrow_table()
        return int(table.num_rows)

    def plain() -> int:
        # The same rows as DuckDB's own CSV -> Parquet conversion left them (not sorted).
        table = con.execute(
            'SELECT * FROM read_parquet(?) WHERE MMSI = ? ORDER BY "# Timestamp"',
            [str(duck_out), mmsi],
        ).to_arrow_table()
        return int(table.num_rows)

    timings = {}
    for name, fn in (
        ("PositionStore.track", ours),
        ("duckdb over the same sorted parts", scan),
        ("duckdb over its own csv->parquet file", plain),
    ):
        fn()
        best_s = min(_time(fn) for _ in range(5))
        timings[name] = best_s
        print(f"track of MMSI {mmsi} ({count:,} positions, 30 days) {name}: {best_s * 1000:.1f} ms")
    assert ours() == scan() == plain() == count
    duck_out.unlink(missing_ok=True)

    print()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}; "
          f"{datetime.now(UTC):%Y-%m-%d}")  # fmt: skip
    print("| measurement | s | rows/s | peak RSS MB |")
    print("|---|---:|---:|---:|")
    for name, (seconds, peak, _) in results.items():
        print(f"| {name} ({rows:,} DMA rows, {size_mb:,.0f} MB) | {seconds:.2f} | "
              f"{rows / seconds:,.0f} | {peak} |")  # fmt: skip
    for name, seconds in timings.items():
        print(f"| month track, {count:,} positions: {name} | {seconds:.4f} | | |")


def _time(fn: object) -> float:
    started = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
