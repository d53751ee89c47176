"""The truth as Parquet: every transmitted position, every static report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from sanctionwatch.simulate.window import Window
from sanctionwatch.simulate.writers.common import StaticLookup

POSITIONS_SCHEMA = pa.schema(
    [
        ("mmsi", pa.int64()),
        ("ts", pa.timestamp("ms", tz="UTC")),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("sog", pa.float32()),
        ("cog", pa.float32()),
        ("heading", pa.int16()),
        ("nav_status", pa.int8()),
        ("vessel", pa.int32()),
        ("msg_type", pa.int8()),
        ("received", pa.bool_()),
        ("station", pa.dictionary(pa.int16(), pa.string())),
    ]
)

STATICS_SCHEMA = pa.schema(
    [
        ("mmsi", pa.int64()),
        ("ts", pa.timestamp("ms", tz="UTC")),
        ("vessel", pa.int32()),
        ("msg_type", pa.int8()),
        ("received", pa.bool_()),
        ("station", pa.dictionary(pa.int16(), pa.string())),
        ("imo", pa.int64()),
        ("name", pa.string()),
        ("callsign", pa.string()),
        ("ship_type", pa.int16()),
        ("length", pa.int16()),
        ("width", pa.int16()),
        ("draught", pa.float32()),
        ("destination", pa.string()),
        ("eta", pa.timestamp("s", tz="UTC")),
    ]
)


class TruthParquetWriter:
    """``positions.parquet`` (every transmitted position) and ``statics.parquet``."""

    def __init__(
        self, out_dir: Path, lookup: StaticLookup, stations: list[str], metadata: dict[str, str]
    ) -> None:
        self.positions_path = out_dir / "synthetic-positions.parquet"
        self.statics_path = out_dir / "synthetic-statics.parquet"
        meta = {key.encode(): value.encode() for key, value in metadata.items()}
        self.positions = pq.ParquetWriter(self.positions_path, POSITIONS_SCHEMA.with_metadata(meta))
        self.statics = pq.ParquetWriter(self.statics_path, STATICS_SCHEMA.with_metadata(meta))
        self.lookup = lookup
        self.stations = pa.array(stations, pa.string())
        self.rows = 0
        self.static_rows = 0

    def _station(self, station: npt.NDArray[np.int16]) -> pa.Array:
        indices = pa.array(station.astype(np.int16), mask=station < 0)
        return pa.DictionaryArray.from_arrays(indices, self.stations)

    def write(self, window: Window) -> None:
        cols = window.positions
        if cols["ts"].size:
            table = pa.table(
                {
                    "mmsi": cols["mmsi"],
                    "ts": pa.array(cols["ts"] * 1000).cast(pa.timestamp("ms", tz="UTC")),
                    "lat": cols["lat"],
                    "lon": cols["lon"],
                    "sog": cols["sog"],
                    "cog": cols["cog"],
                    "heading": cols["heading"],
                    "nav_status": cols["nav_status"],
                    "vessel": cols["vessel"],
                    "msg_type": cols["msg_type"],
                    "received": cols["received"],
                    "station": self._station(cols["station"]),
                },
                schema=POSITIONS_SCHEMA,
            )
            self.positions.write_table(table)
            self.rows += table.num_rows
        st = window.statics
        if st["ts"].size:
            values, inverse = self.lookup.unique(st["vessel"], st["identity"], st["voyage"])
            rows = [values[i] for i in inverse]
            table = pa.table(
                {
                    "mmsi": st["mmsi"],
                    "ts": pa.array(st["ts"] * 1000).cast(pa.timestamp("ms", tz="UTC")),
                    "vessel": st["vessel"],
                    "msg_type": np.where(st["class_b"], 24, 5).astype(np.int8),
                    "received": st["received"],
                    "station": self._station(st["station"]),
                    "imo": [v.imo for v in rows],
                    "name": [v.name for v in rows],
                    "callsign": [v.callsign for v in rows],
                    "ship_type": [v.ship_type for v in rows],
                    "length": [v.length for v in rows],
                    "width": [v.width for v in rows],
                    "draught": [v.draught for v in rows],
                    "destination": [v.destination for v in rows],
                    "eta": pa.array([v.eta for v in rows], pa.int64()).cast(
                        pa.timestamp("s", tz="UTC")
                    ),
                },
                schema=STATICS_SCHEMA,
            )
            self.statics.write_table(table)
            self.static_rows += table.num_rows

    def close(self) -> None:
        self.positions.close()
        self.statics.close()
