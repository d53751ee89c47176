"""Readers for the two CSV layouts analysts hold: Danish Maritime Authority and NOAA MarineCadastre.

Both are read with pyarrow's multi-threaded CSV reader in blocks, so memory stays bounded
and a 10 M-row day goes through at more than a million rows a second. Every value is
checked with vectorised compute functions; a row that cannot be used is returned as a
:class:`Rejected` with its line number and reason, never dropped.

Line numbers: the files have one record per line (no quoted newlines), so a row's line is
its position in the file. The fast path reads typed columns; if pyarrow refuses a block
(a value that is not a number, a row with the wrong number of fields, an empty line), the
reader starts again on the careful path, which reads every field as text on one thread,
keeps the physical line number of every malformed row and converts field by field, so a
bad value rejects its row and not the file.

DMA traps (see the DMA documentation and the shared data notes): dates are
``dd/mm/yyyy HH:MM:SS``; ``Latitude=91`` and ``Longitude=181`` mean unavailable (the store
rejects them with that reason); base stations and aids to navigation appear as rows
("Type of mobile"), which are counted as skipped, not stored as vessel positions.
"""

from __future__ import annotations

import codecs
import io
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager as ContextManager
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from sanctionwatch.ais.csv_layouts import (
    DMA,
    DMA_NAV_STATUS,
    DMA_VESSEL_KINDS,
    MARINECADASTRE,
    CsvLayout,
)
from sanctionwatch.ais.csv_statics import static_reports
from sanctionwatch.ais.input_limits import overlong_reason
from sanctionwatch.ais.model import Chunk, Rejected, empty_positions

BLOCK_BYTES = 16 << 20  # text parsed per block (~100k DMA rows)
PARSE_THREADS = 2  # the machine this was tuned on has two cores

NUMBER = r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$"


class CarefulPathNeeded(Exception):
    """The fast path met something it cannot read; the careful path must read the file."""


def read_csv(
    open_stream: Callable[[], ContextManager[BinaryIO]],
    layout: CsvLayout,
    *,
    careful: bool = False,
) -> Iterator[Chunk]:
    """Read a DMA or MarineCadastre file, in blocks. ``open_stream`` opens it afresh.

    Raises :class:`CarefulPathNeeded` from the fast path (before or after some chunks were
    yielded); the caller then discards what it got and calls again with ``careful=True``.
    """
    if careful:
        yield from _read_careful(open_stream, layout)
    else:
        yield from _read_fast(open_stream, layout)


def _convert_options(layout: CsvLayout, header: list[str], careful: bool) -> pacsv.ConvertOptions:
    return pacsv.ConvertOptions(
        include_columns=_columns_used(layout, header),
        column_types={name: pa.string() for name in header} if careful else _typed(layout, header),
        timestamp_parsers=[layout.timestamp_format] if layout.timestamp_format else None,
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )


def _read_fast(
    open_stream: Callable[[], ContextManager[BinaryIO]], layout: CsvLayout
) -> Iterator[Chunk]:
    """Typed columns, blocks parsed on two threads at once (pyarrow's parser and compute
    functions release the GIL; its streaming reader parses one block at a time)."""

    def refuse(row: pacsv.InvalidRow) -> str:
        return "error"  # pyarrow then raises ArrowInvalid, which asks for the careful path

    with open_stream() as stream:
        header = _header(stream)
        convert = _convert_options(layout, header, careful=False)
        read = pacsv.ReadOptions(column_names=header, use_threads=False, block_size=BLOCK_BYTES)
        parse = pacsv.ParseOptions(invalid_row_handler=refuse, ignore_empty_lines=False)

        def work(block: bytes, first_line: int) -> Chunk:
            if not block.strip():  # blank lines at the end of the file
                blank = block.count(b"\n") + (not block.endswith(b"\n"))
                return Chunk(skipped=Counter({"blank line": blank}), lines_read=blank)
            try:
                table = pacsv.read_csv(
                    pa.py_buffer(block),
                    read_options=read,
                    parse_options=parse,
                    convert_options=convert,
                )
            except pa.ArrowInvalid as exc:
                raise CarefulPathNeeded(str(exc)) from exc
            lines = np.arange(first_line, first_line + table.num_rows, dtype=np.int64)
            chunk = _chunk(table, layout, lines, careful=False)
            chunk.lines_read = table.num_rows
            return chunk

        with ThreadPoolExecutor(max_workers=PARSE_THREADS) as pool:
            pending: deque[Future[Chunk]] = deque()
            for block, first_line in _blocks(stream, first_line=2):
                pending.append(pool.submit(work, block, first_line))
                if len(pending) > PARSE_THREADS:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()


def _blocks(stream: BinaryIO, first_line: int) -> Iterator[tuple[bytes, int]]:
    """The rest of ``stream`` in blocks of whole lines, each with its first line number."""
    line = first_line
    while True:
        block = stream.read(BLOCK_BYTES)
        if not block:
            return
        if not block.endswith(b"\n"):
            block += stream.readline()
        yield block, line
        line += block.count(b"\n")


def _read_careful(
    open_stream: Callable[[], ContextManager[BinaryIO]], layout: CsvLayout
) -> Iterator[Chunk]:
    """Every field as text, on one thread, so pyarrow can tell the physical line number of
    each malformed row; values are converted and checked field by field."""
    bad_rows: list[tuple[int | None, str]] = []

    def keep(row: pacsv.InvalidRow) -> str:
        bad_rows.append((row.number, row.text))
        return "skip"

    with open_stream() as stream:
        header = _header(stream)
        convert = _convert_options(layout, header, careful=True)
        read = pacsv.ReadOptions(column_names=header, block_size=BLOCK_BYTES, use_threads=False)
        parse = pacsv.ParseOptions(invalid_row_handler=keep, ignore_empty_lines=False)
        reader = pacsv.open_csv(
            _Utf8Replacing(stream), read_options=read, parse_options=parse, convert_options=convert
        )
        next_line = 2  # the header is line 1
        for batch in reader:
            table = pa.Table.from_batches([batch])
            lines, next_line, rejected = _line_numbers(table.num_rows, next_line, bad_rows)
            bad_rows.clear()
            chunk = _chunk(table, layout, lines, careful=True)
            chunk.rejected[:0] = rejected
            chunk.lines_read = table.num_rows + len(rejected)
            yield chunk
        if bad_rows:  # malformed rows after the last batch
            _, _, rejected = _line_numbers(0, next_line, bad_rows)
            yield Chunk(rejected=rejected, lines_read=len(rejected))


class _Utf8Replacing(io.RawIOBase):
    """The stream's bytes with invalid UTF-8 replaced by U+FFFD (the careful path only: a
    name in another encoding should cost its characters, not the file)."""

    def __init__(self, inner: BinaryIO) -> None:
        self.inner = inner
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            data = self.inner.read(1 << 20)
            self.pending = self.decoder.decode(data, final=not data).encode("utf-8")
            if not data:
                break
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


def _header(stream: BinaryIO) -> list[str]:
    """Column names from line 1 (the stream is left at line 2). The DMA copy in the shared
    data has an unnamed index column first; an empty name becomes "column 1"."""
    first = stream.readline().decode("utf-8-sig", errors="replace").rstrip("\r\n")
    names = [name.strip() for name in first.split(",")]
    return [name or f"column {i + 1}" for i, name in enumerate(names)]


def _columns_used(layout: CsvLayout, header: list[str]) -> list[str]:
    wanted = [
        layout.timestamp,
        layout.mmsi,
        layout.lat,
        layout.lon,
        layout.sog,
        layout.cog,
        layout.heading,
        layout.nav_status,
        layout.imo,
        layout.callsign,
        layout.vessel_name,
        layout.ship_type,
        layout.length,
        layout.width,
        layout.draught,
        layout.kind,
    ]
    if layout.destination:
        wanted.append(layout.destination)
    return [name for name in wanted if name in header]


def _typed(layout: CsvLayout, header: list[str]) -> dict[str, pa.DataType]:
    # Text columns repeat a few values (names, types, statuses): dictionary arrays parse
    # faster and group faster than plain strings.
    text = pa.dictionary(pa.int32(), pa.string())
    types: dict[str, pa.DataType] = {name: text for name in header}
    for name in (
        layout.lat,
        layout.lon,
        layout.sog,
        layout.cog,
        layout.heading,
        layout.length,
        layout.width,
        layout.draught,
    ):
        types[name] = pa.float64()
    types[layout.mmsi] = pa.int64()
    types[layout.timestamp] = pa.timestamp("s")
    if layout is MARINECADASTRE:
        types[layout.nav_status] = pa.float64()
        types[layout.ship_type] = pa.float64()
    return types


def _line_numbers(
    rows: int, next_line: int, bad_rows: list[tuple[int | None, str]]
) -> tuple[np.ndarray, int, list[Rejected]]:
    """Physical line of each parsed row, given the malformed rows pyarrow skipped in between."""
    rejected = []
    skipped_lines = set()
    for number, text in bad_rows:
        # pyarrow counts from 1 at the first line it reads, which is line 2 of the file
        # (the header was read before).
        line = number + 1 if number is not None else 0
        skipped_lines.add(line)
        reason = "empty line" if not text.strip() else "wrong number of fields"
        if overlong := overlong_reason(text.encode("utf-8", "replace")):
            reason, text = overlong
        rejected.append(Rejected(line, reason, text))
    if not skipped_lines:
        lines = np.arange(next_line, next_line + rows, dtype=np.int64)
        return lines, next_line + rows, rejected
    out = np.empty(rows, dtype=np.int64)
    line = next_line
    for i in range(rows):
        while line in skipped_lines:
            line += 1
        out[i] = line
        line += 1
    while line in skipped_lines:
        line += 1
    return out, line, rejected


def _number(
    table: pa.Table, name: str, careful: bool, problems: list[tuple[str, pa.Array]]
) -> pa.Array:
    """A float64 column; on the careful path a text that is not a number is a problem."""
    if name not in table.column_names:
        return pa.nulls(table.num_rows, pa.float64())
    column = table.column(name)
    if not careful:
        return column.cast(pa.float64())
    text = pc.utf8_trim_whitespace(column)
    empty = pc.or_kleene(pc.is_null(text), pc.equal(text, ""))
    ok = pc.match_substring_regex(text, NUMBER)
    bad = pc.and_(pc.invert(pc.fill_null(empty, False)), pc.invert(pc.fill_null(ok, False)))
    problems.append((f"{name} is not a number", bad))
    return pc.if_else(ok, text, pa.scalar(None, pa.string())).cast(pa.float64())


def _chunk(table: pa.Table, layout: CsvLayout, lines: np.ndarray, careful: bool) -> Chunk:
    chunk = Chunk()
    problems: list[tuple[str, pa.Array]] = []
    n = table.num_rows
    if n == 0:
        return chunk

    # An empty line reads as a row of nulls.
    ts_col = table.column(layout.timestamp)
    if ts_col.null_count:
        empty = pc.is_null(ts_col)
        for name in table.column_names:
            empty = pc.and_(empty, pc.is_null(table.column(name)))
        problems.append(("empty line", empty))

    # Timestamps.
    if careful:
        text = pc.utf8_trim_whitespace(ts_col)
        if layout.timestamp_format:
            ts = pc.strptime(text, format=layout.timestamp_format, unit="s", error_is_null=True)
        else:
            ts = _iso_timestamps(text)
        problems.append((f"{layout.timestamp} is not a date and time", pc.is_null(ts)))
    else:
        ts = ts_col
        problems.append((f"{layout.timestamp} is missing", pc.is_null(ts)))
    ts_s = pc.fill_null(pc.cast(pc.cast(ts, pa.timestamp("s")), pa.int64()), 0)

    # MMSI.
    if careful:
        text = pc.utf8_trim_whitespace(table.column(layout.mmsi))
        ok = pc.match_substring_regex(text, r"^\d{1,12}$")
        problems.append(("MMSI is not a number", pc.invert(pc.fill_null(ok, False))))
        mmsi = pc.if_else(ok, text, pa.scalar(None, pa.string())).cast(pa.int64())
    else:
        mmsi = table.column(layout.mmsi)
        problems.append(("MMSI is missing", pc.is_null(mmsi)))
    lat = _number(table, layout.lat, careful, problems)
    lon = _number(table, layout.lon, careful, problems)
    problems.append(("position missing", pc.or_(pc.is_null(lat), pc.is_null(lon))))
    sog = _number(table, layout.sog, careful, problems)
    cog = _number(table, layout.cog, careful, problems)
    heading = _number(table, layout.heading, careful, problems)

    if layout is DMA:
        nav = _coded(_text_column(table, layout.nav_status), DMA_NAV_STATUS)
        kind_text = pc.utf8_lower(pc.utf8_trim_whitespace(_text_column(table, layout.kind)))
        msg_type = pc.fill_null(
            pc.index_in(kind_text, pa.array(list(DMA_VESSEL_KINDS))), -1
        ).to_numpy()
        msg_type = np.where(msg_type == 0, 1, np.where(msg_type == 1, 18, 0))
        is_vessel = msg_type > 0
    else:
        nav = _number(table, layout.nav_status, careful, problems)
        kind_text = pc.utf8_upper(pc.utf8_trim_whitespace(_text_column(table, layout.kind)))
        msg_type = np.where(
            pc.fill_null(pc.equal(kind_text, "B"), False).to_numpy(zero_copy_only=False), 18, 1
        )
        is_vessel = np.ones(n, dtype=bool)

    # Every row that cannot be a position, with the first reason that applies.
    reason_index = np.full(n, -1, dtype=np.int16)
    reasons: list[str] = []
    for reason, mask in problems:
        hit = pc.fill_null(mask, False).to_numpy(zero_copy_only=False)
        hit &= reason_index < 0
        if hit.any():
            reason_index[hit] = len(reasons)
            reasons.append(reason)
    skip_kind = (~is_vessel) & (reason_index < 0)
    if skip_kind.any():
        kinds = kind_text.filter(pa.array(skip_kind))
        for value, count in Counter(kinds.to_pylist()).items():
            chunk.skipped[f"{layout.kind} {value or 'empty'} (not a vessel)"] += count
    good = (reason_index < 0) & is_vessel
    bad = np.flatnonzero(reason_index >= 0)
    if bad.size:
        raw = _row_texts(table, bad)
        chunk.rejected.extend(
            Rejected(int(lines[i]), reasons[reason_index[i]], text)
            for i, text in zip(bad.tolist(), raw, strict=True)
        )

    def arr(values: pa.Array | pa.ChunkedArray, fill: float, dtype: type) -> np.ndarray:
        return np.asarray(pc.fill_null(values, fill).to_numpy(zero_copy_only=False))[good].astype(
            dtype
        )

    positions = empty_positions()
    positions["mmsi"] = arr(mmsi, 0, np.int64)
    positions["ts"] = arr(ts_s, 0, np.int64) * 1000
    positions["lat"] = arr(lat, np.nan, np.float64)
    positions["lon"] = arr(lon, np.nan, np.float64)
    positions["sog"] = arr(sog, np.nan, np.float32)
    positions["cog"] = arr(cog, np.nan, np.float32)
    hdg = arr(heading, -1, np.float64)
    positions["heading"] = np.where((hdg < 0) | (hdg >= 360), -1, np.round(hdg)).astype(np.int16)
    nav_num = arr(nav, -1, np.float64)
    positions["nav_status"] = np.where((nav_num < 0) | (nav_num > 15), -1, nav_num).astype(np.int8)
    positions["msg_type"] = msg_type[good].astype(np.int8)
    positions["line"] = lines[good]
    positions["station"] = np.full(int(good.sum()), -1, dtype=np.int32)
    # "not available" conventions carried into CSV by some exporters.
    positions["sog"][positions["sog"] >= 102.3] = np.nan
    positions["cog"][positions["cog"] >= 360] = np.nan
    chunk.positions = positions

    chunk.statics = static_reports(table, layout, mmsi, ts_s, lines, good)
    return chunk


def _iso_timestamps(text: pa.Array) -> pa.Array:
    """ISO 8601 text ('2023-01-11T00:00:00', also with a space or a Z) as timestamps, else null."""
    cleaned = pc.replace_substring(pc.replace_substring(text, "T", " "), "Z", "")
    return pc.strptime(cleaned, format="%Y-%m-%d %H:%M:%S", unit="s", error_is_null=True)


def _text_column(table: pa.Table, name: str) -> pa.ChunkedArray:
    """A text column as plain strings (the fast path reads text as dictionary arrays)."""
    column = table.column(name)
    return column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column


def _coded(column: pa.ChunkedArray, codes: dict[str, int]) -> pa.Array:
    """Words -> codes (case-insensitive); unknown words -> null."""
    keys = list(codes)
    index = pc.index_in(pc.utf8_lower(pc.utf8_trim_whitespace(column)), pa.array(keys))
    values = pa.array([float(codes[k]) for k in keys])
    return pc.take(values, index)


def _row_texts(table: pa.Table, rows: np.ndarray) -> list[str]:
    """The rejected rows as comma-joined text (the columns this reader read)."""
    picked = table.take(pa.array(rows))
    columns = [col.to_pylist() for col in picked.columns]
    return [
        ",".join("" if v is None else str(v) for v in values)
        for values in zip(*columns, strict=True)
    ]
