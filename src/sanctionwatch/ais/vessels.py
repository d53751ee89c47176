"""Vessel identity histories, with the checks an analyst runs on them.

For each MMSI: what it transmitted over time (IMO, name, call sign, ship type, size,
draught, destination, each with first and last seen), the flag its MID implies, how many
positions are stored, and the problems visible in the identity alone: an MID that no
state was allocated, an IMO number whose check digit is wrong, and changes of IMO number,
name or call sign. And where it was last heard: the position, and the port it lies in
(a place made of anchorage and gazetteer points, ``geo/places.py``) or the nearest one.
"""

from __future__ import annotations

from typing import Any

from sanctionwatch.ais.mid import mmsi_info
from sanctionwatch.ais.model import iso_utc
from sanctionwatch.ais.store import PositionStore
from sanctionwatch.ais.tables import IdentityRow
from sanctionwatch.geo.places import nearest_place
from sanctionwatch.lists.identifiers import is_ship_imo


def vessel_histories(
    store: PositionStore,
    mmsi: int | None = None,
    imo: int | None = None,
    name: str | None = None,
    in_port_km: float = 3.0,
) -> list[dict[str, Any]]:
    """Histories of the vessels that match (all vessels when no filter is given).

    ``in_port_km``: a last position this close to a point of a port is in that port (the
    port-call detector's ``enter_km``, which the command line passes in)."""
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
    last = store.last_positions({vessel: seen[2] for vessel, seen in activity.items()})
    return [
        {
            **_history(vessel, by_mmsi[vessel], activity.get(vessel)),
            "last_heard": _last_heard(activity.get(vessel), last.get(vessel), in_port_km),
        }
        for vessel in sorted(by_mmsi)
    ]


def _last_heard(
    activity: tuple[int, int, int] | None, position: tuple[float, float] | None, in_port_km: float
) -> dict[str, Any] | None:
    """When and where the vessel was last heard, and the port it lay in or nearest."""
    if activity is None or position is None:
        return None
    lat, lon = position
    near = nearest_place(lat, lon)
    place = None
    if near is not None:
        place = {
            "name": near.place.name,
            "country": near.place.country,
            "locode": near.place.locode,
            "anchorage": near.label,
            "sublabel": near.sublabel,
            "distance_km": round(near.metres / 1000, 2),
            "in_port": near.metres <= in_port_km * 1000,
        }
    return {"time": iso_utc(activity[2]), "lat": lat, "lon": lon, "place": place}


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
