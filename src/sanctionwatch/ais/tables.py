"""The tables of the position store, declared once (see ``sanctionwatch.tables``).

``catalog.sqlite`` holds :class:`IngestRow`, :class:`PartRow`, :class:`ActivityRow` and
:class:`IdentityRow`; the Parquet parts hold :class:`PositionRow` columns; ``identity.parquet``
is a copy of the identity table for the analytics engines, in :class:`IdentityRow`'s Arrow
schema. Times are milliseconds since the Unix epoch, UTC, unless the unit says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import pyarrow as pa

from sanctionwatch.tables import Column, Index, Row, table

MS_UTC = "ms since epoch, UTC"
ISO_UTC = "ISO 8601, UTC"
CATALOG = "ais/catalog.sqlite"


@table("ingest", "One row per committed ingest of one input file.", [CATALOG], primary_key=["id"])
@dataclass(frozen=True)
class IngestRow(Row):
    id: Annotated[int, Column("Ingest number, increasing in commit order")]
    file: Annotated[str, Column("The input file as named on the command line")]
    format: Annotated[str, Column("The format it was read as (NMEA, DMA CSV, ...)")]
    sha256: Annotated[str, Column("SHA-256 of the file's bytes", unit="hex")]
    started: Annotated[str, Column("When the ingest started", unit=ISO_UTC)]
    finished: Annotated[str, Column("When the ingest was committed", unit=ISO_UTC)]
    lines: Annotated[int, Column("Input lines read", unit="lines")]
    accepted: Annotated[int, Column("Positions stored (new, not duplicates)", unit="rows")]
    duplicates: Annotated[int, Column("Positions already stored, dropped", unit="rows")]
    rejected: Annotated[int, Column("Lines rejected, each with a reason", unit="lines")]
    rejected_by_reason: Annotated[str, Column("Rejected lines per reason", unit="JSON")]
    skipped_by_reason: Annotated[
        str, Column("Lines not AIS or not stored, per reason", unit="JSON")
    ]
    statics: Annotated[int, Column("Static and voyage reports read", unit="reports")]
    first_ts: Annotated[int | None, Column("Earliest stored position; NULL: none", unit=MS_UTC)]
    last_ts: Annotated[int | None, Column("Latest stored position; NULL: none", unit=MS_UTC)]
    quarantine: Annotated[
        str | None, Column("Rejected lines file, relative to the store root; NULL: none")
    ]


@table(
    "part",
    "One Parquet file of positions, sorted by mmsi and time, all of one UTC day.",
    [CATALOG],
    primary_key=["path"],
    indexes=[Index("part_day", ("day",))],
)
@dataclass(frozen=True)
class PartRow(Row):
    path: Annotated[str, Column("The file, relative to the store root")]
    ingest_id: Annotated[int, Column("The ingest that wrote it", references="ingest(id)")]
    day: Annotated[str, Column("The UTC day of its positions", unit="YYYY-MM-DD")]
    rows: Annotated[int, Column("Positions in the file", unit="rows")]
    min_mmsi: Annotated[int, Column("Smallest MMSI in the file", unit="MMSI")]
    max_mmsi: Annotated[int, Column("Largest MMSI in the file", unit="MMSI")]


@table(
    "activity",
    "Positions per vessel per ingest, for fast vessel listings.",
    [CATALOG],
    primary_key=["mmsi", "ingest_id"],
)
@dataclass(frozen=True)
class ActivityRow(Row):
    mmsi: Annotated[int, Column("The vessel", unit="MMSI")]
    ingest_id: Annotated[int, Column("The ingest", references="ingest(id)")]
    positions: Annotated[int, Column("Its positions stored by that ingest", unit="rows")]
    first_ts: Annotated[int, Column("Its earliest of them", unit=MS_UTC)]
    last_ts: Annotated[int, Column("Its latest of them", unit=MS_UTC)]


@table(
    "identity",
    "Vessel identity history: one row per identity a vessel reported, with when.",
    [CATALOG, "ais/identity.parquet"],
    primary_key=["key"],
    indexes=[Index("identity_mmsi", ("mmsi", "first_seen")), Index("identity_imo", ("imo",))],
)
@dataclass(frozen=True)
class IdentityRow(Row):
    key: Annotated[str, Column("mmsi:first_seen:JSON of the identity fields")]
    mmsi: Annotated[int, Column("The vessel", unit="MMSI")]
    imo: Annotated[int | None, Column("IMO number as reported; NULL: not said", unit="IMO")]
    name: Annotated[str | None, Column("Vessel name, upper case; NULL: not said")]
    callsign: Annotated[str | None, Column("Radio call sign; NULL: not said")]
    ship_type: Annotated[int | None, Column("AIS ship and cargo type; NULL: not said", unit="code")]
    length: Annotated[float | None, Column("Length overall; NULL: not said", unit="metres")]
    width: Annotated[float | None, Column("Beam; NULL: not said", unit="metres")]
    draught: Annotated[float | None, Column("Present draught; NULL: not said", unit="metres")]
    destination: Annotated[str | None, Column("Destination as typed; NULL: not said")]
    first_seen: Annotated[int, Column("First report of this identity", unit=MS_UTC)]
    last_seen: Annotated[int, Column("Last report of this identity", unit=MS_UTC)]
    first_source: Annotated[str, Column("file:line of the first report")]


def _dictionary(index: object) -> object:
    return pa.dictionary(index, pa.string())


@table(
    "position",
    "Positions, one Parquet file per (ingest, UTC day, flush), sorted by mmsi then ts.",
    ["ais/positions/day=YYYY-MM-DD/part-<ingest>-<n>.parquet"],
    sqlite=False,
)
@dataclass(frozen=True)
class PositionRow(Row):
    mmsi: Annotated[int, Column("The vessel", unit="MMSI", arrow=pa.int32())]
    ts: Annotated[
        int, Column("Time of the report", unit=MS_UTC, arrow=pa.timestamp("ms", tz="UTC"))
    ]
    lat: Annotated[float, Column("Latitude, WGS 84", unit="degrees")]
    lon: Annotated[float, Column("Longitude, WGS 84", unit="degrees")]
    sog: Annotated[
        float | None, Column("Speed over ground; null: not available", "knots", arrow=pa.float32())
    ]
    cog: Annotated[
        float | None,
        Column("Course over ground; null: not available", "degrees", arrow=pa.float32()),
    ]
    heading: Annotated[
        int | None, Column("True heading; null: not available", "degrees", arrow=pa.int16())
    ]
    nav_status: Annotated[
        int | None, Column("AIS navigational status; null: none", "code 0-15", arrow=pa.int8())
    ]
    msg_type: Annotated[
        int, Column("AIS message type; 0: from a CSV file", "code", arrow=pa.int8())
    ]
    source: Annotated[str, Column("Name of the input file", arrow=_dictionary(pa.int32()))]
    station: Annotated[
        str | None,
        Column("Receiving station the input names; null: none", arrow=_dictionary(pa.int32())),
    ]
    receiver_type: Annotated[
        str | None,
        Column("Receiver kind (terrestrial, ...); null: unknown", arrow=_dictionary(pa.int8())),
    ]
    line: Annotated[int, Column("1-based number of the (last) input line it came from")]
    ingest_id: Annotated[int, Column("The ingest that stored it", arrow=pa.int32())]


CATALOG_TABLES = (IngestRow, PartRow, ActivityRow, IdentityRow)
