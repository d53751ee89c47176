"""Team API: what the workspace's map draws, for one vessel or for the vessels of a case.

``GET /api/vessels/{mmsi}/map`` and ``GET /api/cases/{case_id}/map`` (viewer role) answer::

    {
      "window": {"start": s | null, "end": s | null},     # seconds since the epoch, UTC
      "decimation": {"rule": "...", "budget": 8000, "points": 4100, "decimated_from": 100000},
      "vessels": [{
          "mmsi": 352000777, "name": "..." | null,
          "points": 4100, "decimated_from": 100000,
          "track": {"t": [s, ...], "lon": [...], "lat": [...], "sog": [kn | null, ...]},
          "breaks": [i, ...]        # the segment from point i to i + 1 is a gap (draw dashed)
      }],
      "gaps": [{"mmsi", "start": s, "end": s | null, "from": [lon, lat],
                "to": [lon, lat] | null, "hours"}],
      "events": [{"id", "type", "mmsi", "other_mmsi", "partner": name | null,
                  "start": s, "end": s | null, "lon", "lat", "port", "text"}],
      "layers": {"ports": [{"name", "country", "lon", "lat"}],     # the watched ports
                 "zones": {GeoJSON FeatureCollection, properties name and source}}
    }

``track`` holds parallel arrays in time order; every vessel is on the same time axis, so
playback interpolates each one at one slider time. Tracks are thinned server-side
(``web/mapdata.py``: a grid-cell rule, always keeping both ends of every gap and the points
around each event) to about ``points`` over all vessels (default 8,000: more than a laptop
screen shows, and the answer stays near 100 ms for 100,000 positions); ``decimated_from``
says how many positions there were. ``type`` is the detector's (gap, encounter, port_call,
loitering, identity, draught_change). Names come from AIS and lists: untrusted text, shown
as text, never as HTML. A vessel's window is its whole track unless ``start``/``end`` are
given; a case's runs from a day before its vessels' first event to a day after their last.
The answer is written directly (no per-item encoding pass): it is large and asked often.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from sanctionwatch.cases import cases, subjects
from sanctionwatch.cases.errors import NotFound
from sanctionwatch.cases.evidence import ms_of
from sanctionwatch.cases.models import CaseSubject
from sanctionwatch.web import mapdata
from sanctionwatch.web.responses import SafeJSONResponse
from sanctionwatch.web.security import CasesDb, Viewer, app_settings

router = APIRouter(tags=["maps"])

ID_MAX = 2**31 - 1
Mmsi = Annotated[str, Path(pattern=r"^[0-9]{9}$", description="The vessel's MMSI, nine digits")]
CaseId = Annotated[int, Path(ge=1, le=ID_MAX, description="The case's id")]
Points = Annotated[
    int,
    Query(ge=100, le=200_000, description="At most this many track points over all vessels"),
]
When = Annotated[
    str | None, Query(max_length=40, description="ISO 8601 time with a zone (default: all)")
]


def _ms(text: str | None) -> int | None:
    return None if text is None else ms_of(text)


@router.get("/api/vessels/{mmsi}/map", response_class=SafeJSONResponse)
def vessel_map(
    request: Request,
    principal: Viewer,
    mmsi: Mmsi,
    points: Points = mapdata.POINT_BUDGET,
    start: When = None,
    end: When = None,
) -> SafeJSONResponse:
    """The vessel's track (decimated), gaps and events, with the ports and zones layers;
    404 when the home knows nothing of it."""
    settings = app_settings(request)
    number = int(mmsi)
    data = mapdata.map_data(settings, [number], start_ms=_ms(start), end_ms=_ms(end), budget=points)
    if not data["vessels"][0]["decimated_from"] and not mapdata.known(settings, number):
        raise NotFound(f"MMSI {number} is not in the AIS store")
    return SafeJSONResponse({"mmsi": number, **data})


def _subject_mmsis(subject: CaseSubject) -> list[int]:
    """The MMSIs of a vessel subject: its own, or those its snapshot found for its IMO."""
    if subject.mmsi is not None:
        return [subject.mmsi]
    snapshot: dict[str, Any] = json.loads(subject.snapshot)
    return sorted({int(view["mmsi"]) for view in snapshot.get("vessels", []) if "mmsi" in view})


@router.get("/api/cases/{case_id}/map", response_class=SafeJSONResponse)
def case_map(
    request: Request,
    principal: Viewer,
    db: CasesDb,
    case_id: CaseId,
    points: Points = mapdata.POINT_BUDGET,
    start: When = None,
    end: When = None,
) -> SafeJSONResponse:
    """Every vessel subject of the case on one time axis; 404 for an unknown case."""
    with db.read() as session:
        cases.get_case(session, case_id)
        found = [s for s in subjects.case_subjects(session, case_id) if s.kind == "vessel"]
        mmsis = list(dict.fromkeys(m for s in found for m in _subject_mmsis(s)))
    data = mapdata.map_data(
        app_settings(request),
        mmsis,
        start_ms=_ms(start),
        end_ms=_ms(end),
        window_from_events=True,
        budget=points,
    )
    return SafeJSONResponse({"case_id": case_id, **data})
