"""Static reports (vessel identity) from the rows of a DMA or MarineCadastre CSV block.

Both layouts repeat a vessel's identity columns on every position row. This turns a block's
usable rows into runs, as the identity history wants them (``ais/writer.py``): per vessel,
in time order, consecutive rows that say the same are one report with its first and last
time and a count. A name that goes A -> B -> A is three reports, each starting at the first
row that showed it, so every change is timed to its message (grouping a block's rows by
value alone made A span the whole block and lost the return to A).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sanctionwatch.ais.csv_layouts import DMA, DMA_SHIP_TYPE, CsvLayout
from sanctionwatch.ais.model import IDENTITY_FIELDS, StaticReport

RADIX_SORTABLE = 1 << 16  # numpy sorts 16-bit integers by radix, in linear time


def static_reports(
    table: pa.Table,
    layout: CsvLayout,
    mmsi: pa.Array | pa.ChunkedArray,
    ts_s: pa.Array | pa.ChunkedArray,
    lines: np.ndarray,
    good: np.ndarray,
) -> list[StaticReport]:
    """The runs of identity values of the usable rows, per vessel in time order.

    Vectorised: the rows are ordered by vessel, time and line, each identity column is
    reduced to integer codes, and a run starts wherever the vessel or any code changes
    from the row before. Only the runs' first rows are then read field by field.
    """
    rows = np.flatnonzero(good)
    if rows.size == 0:
        return []
    sources = {
        "imo": layout.imo, "name": layout.vessel_name, "callsign": layout.callsign,
        "ship_type": layout.ship_type, "length": layout.length, "width": layout.width,
        "draught": layout.draught, "destination": layout.destination,
    }  # fmt: skip
    present = {
        name: table.column(column)
        for name, column in sources.items()
        if column and column in table.column_names
    }
    vessel = _codes(mmsi, dense=True)[rows]
    ts = np.asarray(pc.fill_null(ts_s, 0).to_numpy(zero_copy_only=False), dtype=np.int64)[rows]
    order = _time_order(vessel, ts)
    vessel, ts = vessel[order], ts[order]
    picked = rows[order]  # table row of each ordered row
    change = np.empty(rows.size, dtype=bool)
    change[0] = True
    change[1:] = vessel[1:] != vessel[:-1]
    for column in present.values():
        codes = _codes(column)[picked]
        change[1:] |= codes[1:] != codes[:-1]
    starts = np.flatnonzero(change)
    ends = np.r_[starts[1:], rows.size]
    first_rows = pa.array(picked[starts])
    raw = {name: column.take(first_rows).to_pylist() for name, column in present.items()}
    raw_fields = [raw.get(name, [None] * starts.size) for name in IDENTITY_FIELDS]
    mmsi_values = mmsi.take(first_rows).to_pylist()
    firsts, lasts = ts[starts].tolist(), ts[ends - 1].tolist()
    counts, first_lines = (ends - starts).tolist(), lines[picked[starts]].tolist()
    out: list[StaticReport] = []
    previous: tuple[object, ...] | None = None  # (mmsi, *values) of the last run kept
    for mmsi_value, first, last, count, line, *raw_values in zip(
        mmsi_values, firsts, lasts, counts, first_lines, *raw_fields, strict=True
    ):
        values = _identity_values(tuple(raw_values), layout)
        if values is None:
            continue  # the rows say nothing about the vessel
        key = (int(mmsi_value), *values)
        if key == previous:  # raw text differed ("abc", "ABC "), the values do not
            out[-1] = _widened(out[-1], last, count)
            continue
        previous = key
        out.append(
            StaticReport(
                mmsi=int(mmsi_value),
                ts=int(first) * 1000,
                last_ts=int(last) * 1000,
                count=int(count),
                line=int(line),
                **dict(zip(IDENTITY_FIELDS, values, strict=True)),  # type: ignore[arg-type]
            )
        )
    return out


def _time_order(vessel: np.ndarray, ts: np.ndarray) -> np.ndarray:
    """Row order by vessel, then time, then line (rows come in line order, and the sorts
    are stable). Files are usually in time order already: one stable sort by vessel then
    suffices, by radix when the block has fewer than 65,536 vessels."""
    if ts.size > 1 and not bool((ts[1:] >= ts[:-1]).all()):
        return np.lexsort((ts, vessel))
    if vessel.size and int(vessel.max()) < RADIX_SORTABLE:
        return np.argsort(vessel.astype(np.uint16), kind="stable")
    return np.argsort(vessel, kind="stable")


def _codes(column: pa.Array | pa.ChunkedArray, dense: bool = False) -> np.ndarray:
    """One integer per row, equal for equal raw values (null: -1, or NaN's bits).

    Text becomes dictionary indices (the fast path reads it as dictionaries already: a
    value repeated in the dictionary only splits a run, merged again once the values are
    read), numbers their float64 bits unless ``dense`` asks for 0, 1, 2... codes. The
    codes are only ever compared row with row.
    """
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if dense or pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        column = pc.dictionary_encode(column)
    if pa.types.is_dictionary(column.type):
        return np.asarray(pc.fill_null(column.indices, -1).to_numpy(), dtype=np.int64)
    numbers = pc.fill_null(column.cast(pa.float64()), np.nan).to_numpy(zero_copy_only=False)
    return np.ascontiguousarray(numbers, dtype=np.float64).view(np.int64)


def _widened(report: StaticReport, last_s: int, count: int) -> StaticReport:
    return StaticReport(
        mmsi=report.mmsi,
        ts=report.ts,
        last_ts=max(report.last_ts or report.ts, last_s * 1000),
        count=report.count + count,
        line=report.line,
        **{name: getattr(report, name) for name in IDENTITY_FIELDS},
    )


@lru_cache(maxsize=1 << 16)
def _identity_values(raw: tuple[object, ...], layout: CsvLayout) -> tuple[object, ...] | None:
    """The raw identity fields as the history keeps them, or None if all say nothing.

    Memoised: a vessel repeats the same raw values in every block of a file."""
    values = tuple(
        _identity_value(name, value, layout)
        for name, value in zip(IDENTITY_FIELDS, raw, strict=True)
    )
    return None if all(v is None for v in values) else values


def _identity_value(name: str, value: object, layout: CsvLayout) -> object:
    """One raw field as the identity history keeps it; None when it says nothing."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if value in ("", "Unknown", "Undefined"):
            return None
    if name == "imo":
        match = re.fullmatch(r"(?:IMO)?\s*(\d{1,10})(?:\.0)?", str(value))
        imo = int(match.group(1)) if match else 0
        return imo or None  # 0 = "not available" in AIS
    if name == "ship_type":
        if layout is DMA:
            return DMA_SHIP_TYPE.get(str(value).lower())
        number = _float(value)
        return int(number) if number else None
    if name in ("length", "width", "draught"):
        number = _float(value)
        return number if number and number > 0 else None
    return str(value).upper() if name == "name" else str(value)


def _float(value: object) -> float | None:
    if isinstance(value, int | float):
        return float(value) if value == value else None  # NaN -> None
    try:
        return float(str(value))
    except ValueError:
        return None
