"""One vessel's track written as GeoJSON, CSV or Parquet."""

from __future__ import annotations

import json
import math
from typing import IO, Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from sanctionwatch.safe_text import spreadsheet_safe_arrow

TRACK_COLUMNS = [
    "mmsi",
    "ts",
    "lat",
    "lon",
    "sog",
    "cog",
    "heading",
    "nav_status",
    "msg_type",
    "source",
    "station",
    "line",
]


def write_track(table: pa.Table, fmt: str, out: IO[Any]) -> None:
    """Write ``table`` (rows of one vessel, in time order) to ``out`` in ``fmt``."""
    table = table.select(TRACK_COLUMNS)
    if fmt == "parquet":
        pq.write_table(table, out)
    elif fmt == "csv":
        plain = table.set_column(
            table.column_names.index("ts"), "ts", table.column("ts").cast(pa.string())
        )
        for name in ("source", "station"):  # text: never a live spreadsheet formula
            text = spreadsheet_safe_arrow(plain.column(name).cast(pa.string()))
            plain = plain.set_column(plain.column_names.index(name), name, text)
        sink = pa.BufferOutputStream()
        pacsv.write_csv(plain, sink)
        out.write(sink.getvalue().to_pybytes().decode("utf-8"))
    else:
        json.dump(geojson(table), out, ensure_ascii=False)
        out.write("\n")


def geojson(table: pa.Table) -> dict[str, Any]:
    """A FeatureCollection: the track as one LineString, and each position as a Point."""
    rows = table.to_pylist()
    points = []
    for row in rows:
        props = {k: _plain(v) for k, v in row.items() if k not in ("lat", "lon")}
        points.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                "properties": props,
            }
        )
    features: list[dict[str, Any]] = []
    if rows:
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[row["lon"], row["lat"]] for row in rows],
                },
                "properties": {
                    "mmsi": rows[0]["mmsi"],
                    "start": _plain(rows[0]["ts"]),
                    "end": _plain(rows[-1]["ts"]),
                    "positions": len(rows),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features + points}


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
