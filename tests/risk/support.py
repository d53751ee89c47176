"""Hand-made events and links for the risk tests (no stores needed)."""

from __future__ import annotations

from typing import Any

from sanctionwatch.behaviour.events import Event
from sanctionwatch.linking.model import Link, Via

HOUR_MS = 3_600_000
T0 = 1_704_067_200_000  # 2024-01-01T00:00:00Z

LISTED_IMO = 8712362  # check digit valid
CLEAN_A = 211000001  # German MIDs: nothing about the number itself is suspect
CLEAN_B = 211000002
CLEAN_C = 211000003
CLEAN_D = 211000004
LISTED = 636000001  # Liberia


def at(hours: float) -> int:
    return T0 + int(hours * HOUR_MS)


def event(
    event_type: str,
    mmsi: int,
    start_h: float,
    end_h: float | None = None,
    /,
    *,
    other: int | None = None,
    where: tuple[float, float] = (30.0, 124.0),
    port: str | None = None,
    **details: Any,
) -> Event:
    return Event(
        type=event_type,
        mmsi=mmsi,
        start_ms=at(start_h),
        end_ms=None if end_h is None else at(end_h),
        lat=where[0],
        lon=where[1],
        other_mmsi=other,
        port=port,
        details=dict(details),
    )


def encounter(a: int, b: int, start_h: float, end_h: float = 0.0) -> Event:
    """One encounter event (smaller MMSI first, as the detector writes them)."""
    low, high = sorted((a, b))
    return event("encounter", low, start_h, end_h or start_h + 3, other=high, hours=3.0)


def link(mmsi: int, via: Via = "imo", confidence: float = 1.0, record: str = "KPi.079") -> Link:
    return Link(
        mmsi=mmsi,
        entity_id=f"un-{record}",
        caption="CHON MA SAN",
        list="un",
        record=record,
        via=via,
        confidence=confidence,
        reason=f"IMO {LISTED_IMO} (check digit valid) is on the list",
        evidence=(
            {"kind": "identity", "mmsi": mmsi, "field": "imo", "value": LISTED_IMO},
            {
                "kind": "list_record",
                "list": "un",
                "record": record,
                "entity_id": f"un-{record}",
                "version": "2026-02-27",
                "source": "un",
            },
        ),
    )


def vessel(
    mmsi: int, imo: int | None = None, name: str | None = None, flag: str | None = None
) -> dict[str, Any]:
    return {"mmsi": mmsi, "imo": imo, "name": name, "flag": flag}
