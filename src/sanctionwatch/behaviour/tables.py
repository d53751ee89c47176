"""The tables of the event store (``<home>/ais/events.sqlite``), declared once.

See ``sanctionwatch.tables``. :class:`DetectorStateRow` says what each detector's stored
events were computed from; :class:`EventRow` is one stored event (``behaviour.events.Event``
with the detector that found it and its details as JSON).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from sanctionwatch.tables import Column, Index, Row, table

EVENTS = "ais/events.sqlite"
MS_UTC = "ms since epoch, UTC"


@table(
    "state",
    "What each detector's stored events were computed from.",
    [EVENTS],
    primary_key=["detector"],
)
@dataclass(frozen=True)
class DetectorStateRow(Row):
    detector: Annotated[str, Column("Detector name (gap, encounter, ...)")]
    params: Annotated[str, Column("The detector's parameters then", unit="JSON")]
    ingest_id: Annotated[int, Column("Last ingest included")]
    data_end: Annotated[int | None, Column("Last position time then; NULL: no data", MS_UTC)]


@table(
    "event",
    "One stored event: what a detector found, where and when.",
    [EVENTS],
    indexes=[Index("event_start", ("detector", "start_ms"))],
)
@dataclass(frozen=True)
class EventRow(Row):
    detector: Annotated[str, Column("The detector that found it")]
    mmsi: Annotated[int, Column("The vessel", unit="MMSI")]
    other_mmsi: Annotated[int | None, Column("The other vessel of an encounter", unit="MMSI")]
    start_ms: Annotated[int, Column("When it started", unit=MS_UTC)]
    end_ms: Annotated[int | None, Column("When it ended; NULL: still going", unit=MS_UTC)]
    lat: Annotated[float, Column("Where it happened: latitude, WGS 84", unit="degrees")]
    lon: Annotated[float, Column("Where it happened: longitude, WGS 84", unit="degrees")]
    port: Annotated[str | None, Column("The port it happened in or near; NULL: none")]
    type: Annotated[str, Column("Event type (gap, encounter, loitering, port_call, ...)")]
    details: Annotated[str, Column("What the detector measured", unit="JSON")]


EVENT_TABLES = (DetectorStateRow, EventRow)
