"""Ingest AIS files: open (gzip, zip), detect the format from content, read, check, store.

One file (or one member of a zip archive) is one ingest: its positions are all stored or
none are. Everything the file held is accounted for in :class:`IngestCounts`: positions
accepted, duplicates of positions already stored, lines rejected (each written to the
quarantine file with its line number and reason), lines skipped on purpose (proprietary
sentences, base stations, message types that are not vessel positions), and static
reports added to the identity history.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import queue
import re
import stat
import threading
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager as ContextManager
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from sanctionwatch.ais import csv_formats, csv_layouts
from sanctionwatch.ais.counts import IngestCounts, line_outcomes
from sanctionwatch.ais.input_limits import IngestLimits, LineLimiter
from sanctionwatch.ais.model import Chunk, Rejected, StaticReport
from sanctionwatch.ais.quarantine import Quarantine
from sanctionwatch.ais.static_summary import StaticSummary
from sanctionwatch.ais.store import PositionStore
from sanctionwatch.ais.validate import check_positions
from sanctionwatch.ais.writer import IngestWriter
from sanctionwatch.errors import InputError, StoreError, UnknownFormatError

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = 64 * 1024

FORMAT_NMEA = "NMEA"
FORMAT_DMA = "DMA CSV"
FORMAT_MARINECADASTRE = "MarineCadastre CSV"

# What sort of receiver each CSV source is (both are national shore networks).
RECEIVER_TYPE = {FORMAT_DMA: "terrestrial", FORMAT_MARINECADASTRE: "terrestrial"}

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Source:
    """One thing to ingest: a file, or a member of a zip archive."""

    path: Path
    member: str | None = None

    @property
    def label(self) -> str:
        return f"{self.path}:{self.member}" if self.member else str(self.path)

    @property
    def name(self) -> str:
        return f"{self.path.name}:{self.member}" if self.member else self.path.name

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        """The decompressed bytes."""
        with self.open_sized() as (stream, _):
            yield stream

    @contextmanager
    def open_sized(self) -> Iterator[tuple[BinaryIO, int | None]]:
        """The decompressed bytes, and the compressed size when they are compressed (else
        None). Only a regular file is opened: a device, a FIFO or a directory could feed
        bytes without end, or block."""
        if self.member is not None:
            with zipfile.ZipFile(_open_regular(self.path)) as archive:
                info = archive.getinfo(self.member)
                with archive.open(info) as raw:
                    stream, gzipped = _maybe_gunzip(raw)  # type: ignore[arg-type]
                    deflated = info.compress_type != zipfile.ZIP_STORED or gzipped
                    yield stream, info.compress_size if deflated else None
            return
        with _open_regular(self.path) as raw:
            stream, gzipped = _maybe_gunzip(raw)
            yield stream, os.fstat(raw.fileno()).st_size if gzipped else None


def _open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading if it is a regular file (checked on the open file, so a
    path swapped for a FIFO after the check cannot block the read); else InputError."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"{path}: cannot be opened ({exc.strerror})") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError(f"{path}: not a regular file (a directory, device, FIFO or socket)")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _maybe_gunzip(raw: BinaryIO) -> tuple[BinaryIO, bool]:
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[type-var]
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=buffered), True  # type: ignore[return-value]
    return buffered, False


def sources(paths: list[Path]) -> list[Source]:
    """Expand zip archives into their members; check every file can be opened."""
    out: list[Source] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file")
        with _open_regular(path) as handle:
            magic = handle.read(4)
        if magic == ZIP_MAGIC:
            try:
                with zipfile.ZipFile(path) as archive:
                    members = [i.filename for i in archive.infolist() if not i.is_dir()]
            except zipfile.BadZipFile as exc:
                raise InputError(f"{path}: corrupt zip archive ({exc})") from exc
            out.extend(Source(path, member) for member in members)
        else:
            out.append(Source(path))
    return out


def detect_format(source: Source) -> str:
    """NMEA, DMA CSV or MarineCadastre CSV, from the first lines of content."""
    try:
        with source.open() as stream:
            head = stream.read(SNIFF_BYTES)
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        raise InputError(f"{source.label}: cannot be read ({exc})") from exc
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{source.label}: the file is UTF-16; AIS files are ASCII or UTF-8")
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise InputError(f"{source.label}: the file is empty")
    first = lines[0].lstrip(",")
    if first.startswith("# Timestamp") and "MMSI" in first:
        return FORMAT_DMA
    if first.startswith("MMSI,BaseDateTime"):
        return FORMAT_MARINECADASTRE
    if any("VDM," in line or "VDO," in line for line in lines[:50]):
        return FORMAT_NMEA
    raise UnknownFormatError(
        f"{source.label}: not an AIS file this tool reads (line 1: {lines[0][:80]!r}); "
        "expected NMEA !AIVDM sentences, a DMA CSV header '# Timestamp,Type of mobile,MMSI,...' "
        "or a MarineCadastre header 'MMSI,BaseDateTime,...'"
    )


class SourceReadError(Exception):
    """The input file could not be read to its end (truncated, corrupt compression)."""


@contextmanager
def open_limited(
    source: Source, fmt: str, limits: IngestLimits, tap: Callable[[bytes], None] | None = None
) -> Iterator[BinaryIO]:
    """The decompressed bytes of ``source`` with the format's line limit and the
    decompression bound applied (``input_limits.py``); each block read is passed to ``tap``
    (the file's checksum and the progress bar). A read error is a :class:`SourceReadError`."""
    limit = limits.nmea_line_bytes if fmt == FORMAT_NMEA else limits.csv_line_bytes
    with source.open_sized() as (stream, compressed):

        def read_block(size: int) -> bytes:
            try:
                data = stream.read(size)
            except (OSError, EOFError, zipfile.BadZipFile) as exc:
                raise SourceReadError(str(exc)) from exc
            if tap is not None:
                tap(data)
            return data

        limiter = LineLimiter(
            read_block,
            limit,
            limits.excerpt_bytes,
            max_bytes=None if compressed is None else limits.max_decompressed(compressed),
            label=source.label,
        )
        yield io.BufferedReader(limiter, 1 << 20)


def _chunks(
    source: Source, fmt: str, careful: bool, limits: IngestLimits, tap: Callable[[bytes], None]
) -> Iterator[Chunk]:
    def opened() -> ContextManager[BinaryIO]:
        return open_limited(source, fmt, limits, tap)

    if fmt == FORMAT_NMEA:
        from sanctionwatch.ais.nmea import read_nmea

        with opened() as stream:
            yield from read_nmea(stream)
        return
    layout = csv_layouts.DMA if fmt == FORMAT_DMA else csv_layouts.MARINECADASTRE
    yield Chunk(skipped=Counter({"header line": 1}), lines_read=1)
    yield from csv_formats.read_csv(opened, layout, careful=careful)


_DONE = object()


def prefetch(chunks: Iterator[Chunk], depth: int = 2) -> Iterator[Chunk]:
    """Read the next chunks in a background thread while this one is checked and stored.

    pyarrow's CSV parsing and numpy release the GIL, so on two cores reading and storing
    overlap. An exception in the reader is raised here, in the caller's thread; if the
    caller stops early, the reader thread is told to stop and is joined.
    """
    out: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def run() -> None:
        try:
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        out.put(chunk, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            out.put(_DONE)
        except BaseException as exc:  # handed to the consumer, re-raised there
            out.put(exc)

    thread = threading.Thread(target=run, name="ais-reader", daemon=True)
    thread.start()
    try:
        while True:
            item = out.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        while thread.is_alive():
            try:
                out.get_nowait()
            except queue.Empty:
                thread.join(0.05)
        if hasattr(chunks, "close"):
            chunks.close()


def ingest_file(
    store: PositionStore,
    source: Source,
    *,
    progress: Progress | None = None,
    now_ms: int | None = None,
    limits: IngestLimits | None = None,
) -> IngestCounts:
    """Ingest one file or archive member; all of it is stored, or (on an error) none of it.
    ``limits`` bound line length, quarantine size and decompression (default: the package's
    ``limits.toml``)."""
    fmt = detect_format(source)
    started = datetime.now(UTC).isoformat(timespec="seconds")
    limits = limits or IngestLimits.defaults()
    for careful in (False, True):
        try:
            return _ingest(store, source, fmt, careful, started, progress, now_ms, limits)
        except csv_formats.CarefulPathNeeded:
            continue
    raise AssertionError("unreachable: the careful path does not ask for itself")


def _ingest(
    store: PositionStore,
    source: Source,
    fmt: str,
    careful: bool,
    started: str,
    progress: Progress | None,
    now_ms: int | None,
    limits: IngestLimits,
) -> IngestCounts:
    counts = IngestCounts(file=source.label, format=fmt)
    writer = IngestWriter(store, counts, source.name, RECEIVER_TYPE.get(fmt))
    quarantine_path = writer.stage / f"{writer.ingest_id:06d}-{_safe(source.name)}.jsonl"
    rejected_by: Counter[str] = Counter()
    skipped_by: Counter[str] = Counter()
    statics = StaticSummary()
    reader_outcomes: Counter[str] = Counter()
    warnings: Counter[str] = Counter()
    digest = hashlib.sha256()

    def tap(block: bytes) -> None:
        digest.update(block)
        if progress is not None:
            progress(len(block))

    try:
        q = Quarantine(quarantine_path, source.name, limits)
        try:
            for chunk in prefetch(_chunks(source, fmt, careful, limits, tap)):
                counts.lines += chunk.lines_read
                counts.positions_read += len(chunk.positions["mmsi"])
                good, invalid = check_positions(chunk.positions, now_ms=now_ms)
                counts.positions_rejected += len(invalid)
                if not good.all():
                    chunk.positions = {k: v[good] for k, v in chunk.positions.items()}
                writer.add(chunk.positions, chunk.stations)
                # Readers keep the text of what they reject (NMEA) or the fields read (CSV);
                # position checks the decoded values: both CSV and checked rows get the line
                # read back at the end.
                from_text = fmt == FORMAT_NMEA
                for row in chunk.rejected:
                    rejected_by[_reason_group(row.reason)] += 1
                    later = not from_text and not row.reason.startswith("line longer than")
                    q.write(row, text_later=later)
                for row in invalid:
                    rejected_by[_reason_group(row.reason)] += 1
                    q.write(row, text_later=True)
                counts.rejected += len(chunk.rejected) + len(invalid)
                skipped_by.update(chunk.skipped)
                statics.add(_usable_statics(chunk, fmt, q, rejected_by, counts))
                reader_outcomes.update(chunk.outcomes)
                warnings.update(chunk.warnings)
        finally:
            q.close()
        counts.rejected_not_kept = q.not_kept
        counts.rejected_by_reason = dict(rejected_by.most_common())
        counts.skipped_by_reason = dict(skipped_by.most_common())
        counts.warnings = dict(warnings.most_common())
        if q.needs_text:
            with open_limited(source, fmt, limits) as stream:
                q.restore_texts(stream)
        writer.commit(
            statics.reports(),
            quarantine_path if counts.rejected else None,
            digest.hexdigest(),
            started,
        )
        counts.line_outcomes = line_outcomes(counts, reader_outcomes)
    except csv_formats.CarefulPathNeeded:
        writer.abort()
        raise
    except SourceReadError as exc:
        writer.abort()
        raise InputError(
            f"{source.label}: cannot be read to the end ({exc}); nothing stored"
        ) from exc
    except OSError as exc:
        writer.abort()
        raise StoreError(f"{source.label}: could not be stored ({exc}); nothing stored") from exc
    except BaseException:
        writer.abort()
        raise
    store.write_identity_parquet()
    return counts


def _usable_statics(
    chunk: Chunk, fmt: str, quarantine: Quarantine, rejected_by: Counter[str], counts: IngestCounts
) -> list[StaticReport]:
    """Static reports with a valid MMSI; an NMEA type 5 or 24 without one is quarantined,
    and its line counted as rejected instead of static. (A CSV row or a type 19 with a bad
    MMSI is a position line, rejected as a position, so it is not counted twice.)"""
    usable = []
    position_lines: set[int] | None = None
    for report in chunk.statics:
        if 100_000_000 <= report.mmsi <= 999_999_999:
            usable.append(report)
            continue
        if fmt != FORMAT_NMEA:
            continue
        if position_lines is None:
            position_lines = set(chunk.positions["line"].tolist())
        if report.line in position_lines:
            continue
        reason = f"MMSI is not 9 digits: {report.mmsi} (static report)"
        rejected_by[_reason_group(reason)] += 1
        counts.rejected += 1
        chunk.outcomes["static"] -= 1
        quarantine.write(Rejected(report.line, reason, ""), text_later=True)
    return usable


def _reason_group(reason: str) -> str:
    """The reason without its detail, for counting: "MMSI is not 9 digits: 1234" and
    "orphan fragment 1 of 2 (seq 7, channel B)" -> "MMSI is not 9 digits", "orphan fragment
    1 of 2"."""
    return re.sub(r"\s*\(.*$", "", reason.split(": ", 1)[0]).strip()


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[:120]
