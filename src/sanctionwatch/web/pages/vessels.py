"""Workspace page: one vessel (``/vessels/{mmsi}``), what ``GET /api/vessels/{mmsi}`` gives,
for reading: the identity history as a table, the list links with how each was made, the
risk with every factor and its evidence, the events, and the map of its track.

The view is the API's (``routers.vessels.get_vessel``: the same stored or in-memory risk, the
same 404), so the page and the API cannot disagree. Evidence items are dictionaries of
several kinds (an identity row, a list record, an event); they are written out here as one
line of text each, which the template escapes like every other value.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from sanctionwatch.web.pages.common import page_router, render
from sanctionwatch.web.routers.vessels import Mmsi, get_vessel
from sanctionwatch.web.security import Viewer, app_settings

router = page_router(tags=["pages"])

# The fields an evidence item is shown by, in this order, per kind; other kinds show all.
EVIDENCE_FIELDS = {
    "identity": ("mmsi", "field", "value", "first_seen", "last_seen", "source"),
    "list_record": ("list", "record", "version", "source"),
    "event": ("type", "mmsi", "other_mmsi", "port", "start", "end"),
}


def evidence_line(item: dict[str, Any]) -> str:
    """``kind: key value, ...`` for one evidence item, leaving out empty values."""
    kind = str(item.get("kind", "evidence"))
    keys = EVIDENCE_FIELDS.get(kind) or tuple(k for k in item if k != "kind")
    parts = [
        f"{key.replace('_', ' ')} {item[key]}" for key in keys if item.get(key) not in (None, "")
    ]
    return f"{kind.replace('_', ' ')}: " + ", ".join(parts)


def detail_line(details: dict[str, Any]) -> str:
    """An event's details as ``key value`` pairs (nested values left out: the map and the
    API have them)."""
    parts = []
    for key, value in details.items():
        label = key.replace("_", " ")
        if value is True:
            parts.append(label)
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            parts.append(f"{label} {value}")
    return ", ".join(parts)


def other_mmsis(request: Request, mmsi: int, imos: set[int]) -> list[int]:
    """Other MMSIs that broadcast one of this vessel's IMO numbers."""
    from sanctionwatch.ais.store import open_store

    if not imos:
        return []
    with open_store(app_settings(request).home, writable=False) as store:
        found = {row.mmsi for imo in imos for row in store.identities(imo=imo)}
    return sorted(found - {mmsi})


@router.get("/vessels/{mmsi}")
def vessel_page(request: Request, principal: Viewer, mmsi: Mmsi) -> Response:
    view = get_vessel(request, principal, mmsi)
    identity = view["identity"] or {}
    risk = view["risk"] or {}
    rows = identity.get("identities") or []
    named = [row["name"] for row in rows if row.get("name")]
    name = risk.get("name") or (named[-1] if named else None)
    factors = [
        {**factor, "evidence_lines": [evidence_line(e) for e in factor.get("evidence", [])]}
        for factor in risk.get("factors", [])
    ]
    links = [
        {**link, "evidence_lines": [evidence_line(e) for e in link.get("evidence", [])]}
        for link in risk.get("links", [])
    ]
    events = [
        {**event, "summary": detail_line(event.get("details") or {})} for event in view["events"]
    ]
    imos = {int(row["imo"]) for row in rows if row.get("imo")}
    return render(
        request,
        "vessel.html",
        {
            "view": view,
            "mmsi": view["mmsi"],
            "name": name,
            "identity": identity,
            "rows": rows,
            "risk": risk,
            "factors": factors,
            "links": links,
            "events": events,
            "flags": view["flags"],
            "others": other_mmsis(request, view["mmsi"], imos),
        },
        section="alerts",
    )
