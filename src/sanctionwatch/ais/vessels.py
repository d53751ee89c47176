"""Vessel identity histories, with the checks an analyst runs on them.

For each MMSI: what it transmitted over time (IMO, name, call sign, ship type, size,
draught, destination, each with first and last seen), the flag its MID implies, how many
positions are stored, and the problems visible in the identity alone: an MID that no
state was allocated, an IMO number whose check digit is wrong, and changes of IMO number,
name or call sign.
"""

from __future__ import annotations

from typing import Any

from sanctionwatch.ais.mid import mmsi_info
from sanctionwatch.ais.model import iso_utc
from sanctionwatch.ais.store import PositionStore
from sanctionwatch.ais.tables import IdentityRow
from sanctionwatch.lists.identifiers import is_ship_imo


def vessel_histories(
    store: PositionStore, mmsi: int | None = None, imo: int | None = None, name: str | None = None
) -> list[dict[str, Any]]:
    """Histories of the vessels that match (all vessels when no filter is given)."""
    rows = store.identities(mmsi=mmsi, imo=imo, name=name)
    by_mmsi: dict[int, list[IdentityRow]] = {}
    for row in rows:
        by_mmsi.setdefault(row.mmsi, []).append(row)
    if mmsi is not None or (imo is None and name is None):
        # Vessels with positions but no static report belong in the listing too.
        activity = store.activity([mmsi] if mmsi is not None else None)
        for vessel in activity:
            by_mmsi.setdefault(vessel, [])
    else:
        activity = store.activity(list(by_mmsi))
    return [_history(vessel, by_mmsi[vessel], activity.get(vessel)) for vessel in sorted(by_mmsi)]


def _history(
    mmsi: int, rows: list[IdentityRow], activity: tuple[int, int, int] | None
) -> dict[str, Any]:
    info = mmsi_info(mmsi)
    problems = [info.problem] if info.problem else []
    identities = []
    for row in rows:
        imo = row.imo
        valid = is_ship_imo(str(imo)) if imo is not None else None
        if valid is False:
            problems.append(f"IMO {imo} has a wrong check digit")
        identities.append(
            {
                "first_seen": iso_utc(row.first_seen),
                "last_seen": iso_utc(row.last_seen),
                "imo": imo,
                "imo_valid": valid,
                "name": row.name,
                "callsign": row.callsign,
                "ship_type": row.ship_type,
                "length": row.length,
                "width": row.width,
                "draught": row.draught,
                "destination": row.destination,
                "source": row.first_source,
            }
        )
    for field, label in (("imo", "IMO number"), ("name", "name"), ("callsign", "call sign")):
        values = _distinct_in_order(getattr(r, field) for r in rows)
        if len(values) > 1:
            problems.append(f"{label} changed: {' -> '.join(str(v) for v in values)}")
    positions, first, last = activity if activity else (0, None, None)
    return {
        "mmsi": mmsi,
        "mmsi_kind": info.kind,
        "mid": info.mid,
        "mid_flag": info.flag or ("/".join(info.flags) if info.flags else None),
        "mid_allocated_to": info.allocated_to,
        "positions": positions,
        "first_position": iso_utc(first) if first is not None else None,
        "last_position": iso_utc(last) if last is not None else None,
        "problems": sorted(set(problems), key=problems.index),
        "identities": identities,
    }


def _distinct_in_order(values: Any) -> list[Any]:
    seen: list[Any] = []
    for value in values:
        if value is not None and value not in seen:
            seen.append(value)
    return seen
