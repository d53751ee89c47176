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
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from sanctionwatch.ais.model import Chunk, Rejected, StaticReport, empty_positions

BLOCK_BYTES = 16 << 20  # pyarrow reads this much text per batch (~100k DMA rows)

# ITU-R M.1371 navigational status codes, by the words DMA writes for them.
DMA_NAV_STATUS = {
    "under way using engine": 0,
    "at anchor": 1,
    "not under command": 2,
    "restricted manoeuverability": 3,
    "restricted maneuverability": 3,
    "restricted manoeuvrability": 3,
    "constrained by her draught": 4,
    "moored": 5,
    "aground": 6,
    "engaged in fishing": 7,
    "under way sailing": 8,
    "reserved for future amendment [hsc]": 9,
    "reserved for future amendment [wig]": 10,
    "power-driven vessel towing astern": 11,
    "power-driven vessel pushing ahead or towing alongside": 12,
    "reserved for future use": 13,
    "ais-sart is active": 14,
    "unknown value": 15,
    "undefined": 15,
}

# DMA writes the ship type as words; the store keeps ITU codes (first code of each range).
DMA_SHIP_TYPE = {
    "wig": 20,
    "fishing": 30,
    "towing": 31,
    "towing long/wide": 32,
    "dredging": 33,
    "diving": 34,
    "military": 35,
    "sailing": 36,
    "pleasure": 37,
    "hsc": 40,
    "pilot": 50,
    "sar": 51,
    "tug": 52,
    "port tender": 53,
    "anti-pollution": 54,
    "law enforcement": 55,
    "spare 1": 56,
    "spare 2": 57,
    "medical": 58,
    "not party to conflict": 59,
    "passenger": 60,
    "cargo": 70,
    "tanker": 80,
    "other": 90,
}

# "Type of mobile" values that are vessels; the others (Base Station, AtoN, SAR Airborne...)
# are counted and skipped.
DMA_VESSEL_KINDS = {"class a": 1, "class b": 18}


@dataclass(frozen=True)
class CsvLayout:
    """Where one CSV layout keeps each field."""

    name: str
    timestamp: str
    timestamp_format: str | None  # strptime format; None = ISO 8601
    mmsi: str
    lat: str
    lon: str
    sog: str
    cog: str
    heading: str
    nav_status: str
    imo: str
    callsign: str
    vessel_name: str
    ship_type: str
    length: str
    width: str
    draught: str
    destination: str | None
    kind: str  # the column saying what sort of station sent the row


DMA = CsvLayout(
    name="DMA CSV",
    timestamp="# Timestamp",
    timestamp_format="%d/%m/%Y %H:%M:%S",
    mmsi="MMSI",
    lat="Latitude",
    lon="Longitude",
    sog="SOG",
    cog="COG",
    heading="Heading",
    nav_status="Navigational status",
    imo="IMO",
    callsign="Callsign",
    vessel_name="Name",
    ship_type="Ship type",
    length="Length",
    width="Width",
    draught="Draught",
    destination="Destination",
    kind="Type of mobile",
)

MARINECADASTRE = CsvLayout(
    name="MarineCadastre CSV",
    timestamp="BaseDateTime",
    timestamp_format=None,
    mmsi="MMSI",
    lat="LAT",
    lon="LON",
    sog="SOG",
    cog="COG",
    heading="Heading",
    nav_status="Status",
    imo="IMO",
    callsign="CallSign",
    vessel_name="VesselName",
    ship_type="VesselType",
    length="Length",
    width="Width",
    draught="Draft",
    destination=None,
    kind="TransceiverClass",
)

NUMBER = r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$"


class CarefulPathNeeded(Exception):
    """The fast path met something it cannot read; the careful path must read the file."""


def read_csv(
    open_stream: Callable[[], BinaryIO], layout: CsvLayout, *, careful: bool = False
) -> Iterator[Chunk]:
    """Read a DMA or MarineCadastre file, in blocks. ``open_stream`` opens it afresh.

    Raises :class:`CarefulPathNeeded` from the fast path (before or after some chunks were
    yielded); the caller then discards what it got and calls again with ``careful=True``.
    """
    bad_rows: list[tuple[int | None, str]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        if not careful:
            raise CarefulPathNeeded(f"row {row.number}: {row.text[:80]!r}")
        bad_rows.append((row.number, row.text))
        return "skip"

    with open_stream() as stream:
        header = _header(stream)
        columns = _columns_used(layout, header)
        convert = pacsv.ConvertOptions(
            include_columns=columns,
            column_types={name: pa.string() for name in header}
            if careful
            else _typed(layout, header),
            timestamp_parsers=[layout.timestamp_format] if layout.timestamp_format else None,
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        )
        read = pacsv.ReadOptions(
            column_names=header, block_size=BLOCK_BYTES, use_threads=not careful
        )
        parse = pacsv.ParseOptions(invalid_row_handler=on_invalid, ignore_empty_lines=False)
        source = _Utf8Replacing(stream) if careful else stream
        try:
            reader = pacsv.open_csv(
                source, read_options=read, parse_options=parse, convert_options=convert
            )
        except pa.ArrowInvalid as exc:
            if careful:
                raise
            raise CarefulPathNeeded(str(exc)) from exc
        next_line = 2  # the header is line 1
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except pa.ArrowInvalid as exc:
                if careful:
                    raise
                raise CarefulPathNeeded(str(exc)) from exc
            table = pa.Table.from_batches([batch])
            lines, next_line, rejected = _line_numbers(table.num_rows, next_line, bad_rows)
            bad_rows.clear()
            chunk = _chunk(table, layout, lines, careful)
            chunk.rejected[:0] = rejected
            chunk.lines_read = table.num_rows + len(rejected)
            yield chunk


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
    types: dict[str, pa.DataType] = {name: pa.string() for name in header}
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
        # pyarrow counts physical rows from 1 including the header.
        line = number if number is not None else 0
        skipped_lines.add(line)
        reason = "empty line" if not text.strip() else "wrong number of fields"
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

    # Timestamps.
    ts_col = table.column(layout.timestamp)
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
    length = _number(table, layout.length, careful, problems)
    width = _number(table, layout.width, careful, problems)
    draught = _number(table, layout.draught, careful, problems)

    if layout is DMA:
        nav = _coded(table.column(layout.nav_status), DMA_NAV_STATUS)
        kind_text = pc.utf8_lower(pc.utf8_trim_whitespace(table.column(layout.kind)))
        msg_type = pc.fill_null(
            pc.index_in(kind_text, pa.array(list(DMA_VESSEL_KINDS))), -1
        ).to_numpy()
        msg_type = np.where(msg_type == 0, 1, np.where(msg_type == 1, 18, 0))
        is_vessel = msg_type > 0
        ship_type = _coded(table.column(layout.ship_type), DMA_SHIP_TYPE)
    else:
        nav = _number(table, layout.nav_status, careful, problems)
        kind_text = pc.utf8_upper(pc.utf8_trim_whitespace(table.column(layout.kind)))
        msg_type = np.where(
            pc.fill_null(pc.equal(kind_text, "B"), False).to_numpy(zero_copy_only=False), 18, 1
        )
        is_vessel = np.ones(n, dtype=bool)
        ship_type = _number(table, layout.ship_type, careful, problems)

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

    identity = {
        "mmsi": mmsi,
        "ts": ts_s,
        "line": pa.array(lines),
        "imo": _imo(table.column(layout.imo)) if layout.imo in table.column_names else None,
        "name": _text(table, layout.vessel_name),
        "callsign": _text(table, layout.callsign),
        "ship_type": ship_type,
        "length": length,
        "width": width,
        "draught": draught,
        "destination": _text(table, layout.destination) if layout.destination else None,
    }
    chunk.statics = _statics(identity, good)
    return chunk


def _iso_timestamps(text: pa.Array) -> pa.Array:
    """ISO 8601 text ('2023-01-11T00:00:00', also with a space or a Z) as timestamps, else null."""
    cleaned = pc.replace_substring(pc.replace_substring(text, "T", " "), "Z", "")
    return pc.strptime(cleaned, format="%Y-%m-%d %H:%M:%S", unit="s", error_is_null=True)


def _coded(column: pa.ChunkedArray, codes: dict[str, int]) -> pa.Array:
    """Words -> codes (case-insensitive); unknown words -> null."""
    keys = list(codes)
    index = pc.index_in(pc.utf8_lower(pc.utf8_trim_whitespace(column)), pa.array(keys))
    values = pa.array([float(codes[k]) for k in keys])
    return pc.take(values, index)


def _text(table: pa.Table, name: str) -> pa.Array | None:
    if name not in table.column_names:
        return None
    text = pc.utf8_trim_whitespace(table.column(name).cast(pa.string()))
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    # DMA writes "Unknown" where it has no value.
    return pc.if_else(pc.equal(text, "Unknown"), pa.scalar(None, pa.string()), text)


def _imo(column: pa.ChunkedArray) -> pa.Array:
    """'IMO9307839', '9307839', 'Unknown', '' -> 9307839 or null; 0 -> null (AIS: not available)."""
    text = pc.utf8_trim_whitespace(column.cast(pa.string()))
    digits = pc.extract_regex(text, r"^(?:IMO)?\s*(?P<n>\d{1,10})(?:\.0)?$")
    number = pc.struct_field(digits, "n").cast(pa.int64())
    return pc.if_else(pc.equal(number, 0), pa.scalar(None, pa.int64()), number)


def _statics(identity: dict[str, object], good: np.ndarray) -> list[StaticReport]:
    """The distinct identity combinations of the usable rows, each with first and last time."""
    fields = [k for k, v in identity.items() if v is not None and k not in ("ts", "line")]
    data = {k: v for k, v in identity.items() if v is not None}
    table = pa.table(data).filter(pa.array(good))
    says_something = None
    for name in fields:
        if name == "mmsi":
            continue
        present = pc.is_valid(table.column(name))
        says_something = present if says_something is None else pc.or_(says_something, present)
    if says_something is None or table.num_rows == 0:
        return []
    table = table.filter(says_something)
    if table.num_rows == 0:
        return []
    grouped = table.group_by(fields, use_threads=False).aggregate(
        [("ts", "min"), ("ts", "max"), ("ts", "count"), ("line", "min")]
    )
    out = []
    for row in grouped.to_pylist():
        out.append(
            StaticReport(
                mmsi=int(row["mmsi"]),
                ts=int(row["ts_min"]) * 1000,
                last_ts=int(row["ts_max"]) * 1000,
                count=int(row["ts_count"]),
                line=int(row["line_min"]),
                imo=row.get("imo"),
                name=row.get("name"),
                callsign=row.get("callsign"),
                ship_type=int(row["ship_type"]) if row.get("ship_type") else None,
                length=row.get("length") or None,
                width=row.get("width") or None,
                draught=row.get("draught") or None,
                destination=row.get("destination"),
            )
        )
    return out


def _row_texts(table: pa.Table, rows: np.ndarray) -> list[str]:
    """The rejected rows as comma-joined text (the columns this reader read)."""
    picked = table.take(pa.array(rows))
    columns = [col.to_pylist() for col in picked.columns]
    return [
        ",".join("" if v is None else str(v) for v in values)
        for values in zip(*columns, strict=True)
    ]
