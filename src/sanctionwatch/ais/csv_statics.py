"""Static reports (vessel identity) from the rows of a DMA or MarineCadastre CSV block.

Both layouts repeat a vessel's identity columns on every position row; this turns a
block's usable rows into the distinct identity combinations, each with its first and last
time, as the identity history wants them (``ais/writer.py``).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pyarrow as pa

from sanctionwatch.ais.csv_layouts import DMA, DMA_SHIP_TYPE, CsvLayout
from sanctionwatch.ais.model import IDENTITY_FIELDS, StaticReport


def static_reports(
    table: pa.Table,
    layout: CsvLayout,
    mmsi: pa.Array,
    ts_s: pa.Array,
    lines: np.ndarray,
    good: np.ndarray,
) -> list[StaticReport]:
    """The distinct identity combinations of the usable rows, each with first and last time.

    Rows are grouped on the raw text first (vectorised, and a vessel repeats the same
    values row after row), and only the few distinct groups are then read field by field.
    """
    sources = {
        "imo": layout.imo, "name": layout.vessel_name, "callsign": layout.callsign,
        "ship_type": layout.ship_type, "length": layout.length, "width": layout.width,
        "draught": layout.draught, "destination": layout.destination,
    }  # fmt: skip
    data: dict[str, object] = {"mmsi": mmsi, "ts": ts_s, "line": pa.array(lines)}
    for field_name, column in sources.items():
        if column and column in table.column_names:
            data[field_name] = table.column(column)
    raw = pa.table(data).unify_dictionaries()
    if not good.all():
        raw = raw.filter(pa.array(good))
    if raw.num_rows == 0:
        return []
    keys = [name for name in raw.column_names if name not in ("ts", "line")]
    grouped = raw.group_by(keys, use_threads=False).aggregate(
        [("ts", "min"), ("ts", "max"), ("ts", "count"), ("line", "min")]
    )
    merged: dict[tuple[object, ...], list[int]] = {}
    columns = grouped.to_pydict()
    raw_fields = [columns.get(name, [None] * grouped.num_rows) for name in IDENTITY_FIELDS]
    for mmsi_value, first, last, count, line, *raw_values in zip(
        columns["mmsi"], columns["ts_min"], columns["ts_max"], columns["ts_count"],
        columns["line_min"], *raw_fields, strict=True,
    ):  # fmt: skip
        values = _identity_values(tuple(raw_values), layout)
        if values is None:
            continue  # the row says nothing about the vessel
        key = (int(mmsi_value), *values)
        seen = merged.get(key)
        if seen is None:
            merged[key] = [first, last, count, line]
        else:
            seen[3] = line if first < seen[0] else seen[3]
            seen[0], seen[1], seen[2] = min(seen[0], first), max(seen[1], last), seen[2] + count
    return [
        StaticReport(
            mmsi=int(str(key[0])),
            ts=int(first) * 1000,
            last_ts=int(last) * 1000,
            count=int(count),
            line=int(line),
            **dict(zip(IDENTITY_FIELDS, key[1:], strict=True)),  # type: ignore[arg-type]
        )
        for key, (first, last, count, line) in merged.items()
    ]


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
