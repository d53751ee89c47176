"""Bounded input: over-long lines, decompression bombs, floods of bad lines, and inputs
that are not regular files (issue 10).

The memory bounds are checked on a subprocess's peak RSS (``ru_maxrss`` of the child), with
inputs small enough for the test suite but far above the limits they exercise: a 50 MB
line inside a small gzip, a flood of bad-checksum lines.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctionwatch.ais.ingest import Source, ingest_file, sources
from sanctionwatch.ais.input_limits import OVERLONG, IngestLimits, LineLimiter, overlong_reason
from sanctionwatch.ais.store import open_store
from sanctionwatch.errors import InputError
from tests.ais.nmea_support import T0, lines, position, with_tag

ROOT = Path(__file__).resolve().parents[2]


def limited(data: bytes, limit: int, block: int = 7) -> bytes:
    """``data`` through a LineLimiter fed ``block`` bytes at a time."""
    stream = io.BytesIO(data)
    limiter = LineLimiter(lambda size: stream.read(block), limit, 10)
    return io.BufferedReader(limiter, 16).read()


def reference(data: bytes, limit: int) -> list[bytes | int]:
    """Each line of ``data`` (newline kept), or its length (newline included) when it is
    longer than ``limit`` without its newline."""
    out: list[bytes | int] = []
    for line in io.BytesIO(data):
        out.append(line if len(line.rstrip(b"\n")) <= limit else len(line))
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 40), max_size=30),
    st.integers(2, 12),
    st.integers(1, 20),
)
def test_the_limiter_cuts_exactly_the_over_long_lines(
    lengths: list[int], limit: int, block: int
) -> None:
    data = b"".join(b"x" * n + b"\n" for n in lengths) + b"tail" * (len(lengths) % 3)
    got: list[bytes | int] = []
    for line in io.BytesIO(limited(data, limit, block)):
        if line.startswith(OVERLONG):
            got.append(int(line.split(b"(")[1].split(b" ")[0].replace(b",", b"")))
        else:
            got.append(line)
    assert got == reference(data, limit)


def test_the_marker_line_names_the_limit_and_keeps_an_escaped_excerpt() -> None:
    (line,) = io.BytesIO(limited(b"\x1b[2J" + b"A" * 50 + b"\n", 20))
    reason = overlong_reason(line)
    assert reason is not None
    assert reason[0] == "line longer than 20 bytes (55 bytes)"
    assert reason[1] == "\\x1b[2JAAAAAA"  # escaped, ten bytes


def test_limits_come_from_the_package_file_and_can_be_overridden() -> None:
    limits = IngestLimits.defaults()
    assert (limits.nmea_line_bytes, limits.quarantine_rows) == (1_000, 10_000)
    assert IngestLimits.from_mapping({"quarantine_rows": 5}).quarantine_rows == 5
    with pytest.raises(InputError, match="unknown AIS ingest limit"):
        IngestLimits.from_mapping({"rows": 5})
    with pytest.raises(InputError, match="positive whole number"):
        IngestLimits.from_mapping({"quarantine_rows": -1})


def ingest(tmp_path: Path, path: Path, **limits: int) -> object:
    store = open_store(tmp_path / "home")
    try:
        return ingest_file(store, Source(path), limits=IngestLimits.from_mapping(limits))
    finally:
        store.close()


def test_an_over_long_nmea_line_is_one_short_rejection(tmp_path: Path) -> None:
    path = tmp_path / "long.nmea"
    good = with_tag(f"c:{T0}", position())
    path.write_bytes(lines(good) + b"!AIVDM," + b"A" * 100_000 + b"\n" + lines(good))
    counts = ingest(tmp_path, path)
    assert counts.lines == 3  # type: ignore[attr-defined]
    assert counts.line_outcomes == {  # type: ignore[attr-defined]
        "stored": 1,
        "duplicate": 1,
        "rejected:line longer than 1,000 bytes": 1,
    }
    rows = Path(counts.quarantine).read_text("utf-8").splitlines()  # type: ignore[attr-defined]
    (row,) = [json.loads(r) for r in rows]
    assert row["line"] == 2
    assert row["reason"] == "line longer than 1,000 bytes (100,008 bytes)"
    assert len(row["text"]) <= 130


def test_quarantine_keeps_a_bounded_number_of_rows_and_exact_counts(tmp_path: Path) -> None:
    path = tmp_path / "bad.nmea"
    bad = position()[:-2] + "00"  # checksum mismatch
    path.write_bytes(lines(*[bad] * 500))
    counts = ingest(tmp_path, path, quarantine_rows=100)
    assert counts.rejected_by_reason == {"checksum mismatch": 500}  # type: ignore[attr-defined]
    assert counts.rejected_not_kept == 400  # type: ignore[attr-defined]
    rows = Path(counts.quarantine).read_text("utf-8").splitlines()  # type: ignore[attr-defined]
    assert len(rows) == 101
    assert "400 more rejected lines not kept" in json.loads(rows[-1])["reason"]


@pytest.mark.parametrize("kind", ["directory", "fifo", "device"])
def test_only_regular_files_are_read(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "input.nmea"
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="not a regular file"):
        sources([path])


def test_a_decompression_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.nmea.gz"
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(lines(with_tag(f"c:{T0}", position())))
        for _ in range(20):
            out.write(b"\n" * (1 << 20))
    with pytest.raises(InputError, match="decompression bomb"):
        ingest(tmp_path, path, max_expansion=2, expansion_allowance_bytes=1_000_000)


def peak_rss_mb(home: Path, path: Path, check: str) -> float:
    """Ingest ``path`` in a fresh interpreter, run ``check`` on its counts ``c``; the
    process's peak resident memory in MB."""
    code = (
        "import resource\n"
        "from pathlib import Path\n"
        "from sanctionwatch.ais.ingest import Source, ingest_file\n"
        "from sanctionwatch.ais.store import open_store\n"
        f"c = ingest_file(open_store(Path({str(home)!r})), Source(Path({str(path)!r})))\n"
        f"{check}\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], check=True, env=env, cwd=ROOT, capture_output=True
    )
    return int(done.stdout.split()[-1]) / 1024


def test_a_50_mb_line_in_a_gzip_ingests_in_bounded_memory(tmp_path: Path) -> None:
    """Before the limits, the line was held whole (several copies): 50 MB of line took
    several hundred MB. Now it is skipped in blocks of 1 MB."""
    path = tmp_path / "one-line.nmea.gz"
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(lines(with_tag(f"c:{T0}", position())))
        out.write(b"!AIVDM,1,1,,A,")
        for _ in range(50):
            out.write(b"\\" * (1 << 20))
        out.write(b"\n")
    check = (
        "assert c.lines == 2 and c.accepted == 1 and c.rejected == 1, c\n"
        "assert Path(c.quarantine).stat().st_size < 2000"
    )
    small = tmp_path / "small.nmea"
    small.write_bytes(lines(with_tag(f"c:{T0}", position())))
    baseline = peak_rss_mb(tmp_path / "home0", small, "assert c.accepted == 1")
    assert peak_rss_mb(tmp_path / "home", path, check) < baseline + 40


def test_a_flood_of_bad_lines_ingests_in_bounded_memory(tmp_path: Path) -> None:
    """300,000 bad-checksum lines: the rejections are counted, 10,000 kept."""
    path = tmp_path / "bad.nmea.gz"
    bad = (position()[:-2] + "00" + "\n").encode()
    with gzip.open(path, "wb") as out:
        out.write(bad * 300_000)
    check = (
        "assert c.rejected == 300_000 and c.rejected_not_kept == 290_000, c\n"
        "assert Path(c.quarantine).stat().st_size < 5_000_000"
    )
    small = tmp_path / "small.nmea"
    small.write_bytes(lines(with_tag(f"c:{T0}", position())))
    baseline = peak_rss_mb(tmp_path / "home0", small, "assert c.accepted == 1")
    assert peak_rss_mb(tmp_path / "home", path, check) < baseline + 150


def test_an_over_long_csv_row_is_one_short_rejection(tmp_path: Path) -> None:
    from tests.ais.test_csv_ingest import DMA_HEADER, dma_row

    good = dma_row("08/02/2018 00:00:00", "219000001", "55.0", "10.0")
    long_row = dma_row("08/02/2018 00:00:01", "219000002", "55.0", "10.0", name="N" * 3000)
    path = tmp_path / "dma.csv"
    path.write_text("\n".join([DMA_HEADER, good, long_row, good]) + "\n", encoding="utf-8")
    counts = ingest(tmp_path, path, csv_line_bytes=1000)
    assert counts.line_outcomes == {  # type: ignore[attr-defined]
        "skipped:header line": 1,
        "stored": 1,
        "duplicate": 1,
        "rejected:line longer than 1,000 bytes": 1,
    }
