"""Team API: one vessel, everything known about it (``vessels show`` as JSON).

The server only reads the home: when the stored scores are current (``chain.up_to_date``)
the vessel's stored risk is served, else its risk is computed now from the stored events and
lists and not stored (``run``, under the home writer lock, is what brings the stores up to
date). Computing in memory scores every vessel of the home, so it costs what ``vessels
risk`` costs on a home that cannot be written; the answer says which it was
(``risk_stored``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from sanctionwatch.cases.errors import NotFound
from sanctionwatch.errors import InputError
from sanctionwatch.web.security import Viewer, app_settings

router = APIRouter(tags=["vessels"])

Mmsi = Annotated[str, Path(pattern=r"^[0-9]{9}$", description="The vessel's MMSI, nine digits")]


@router.get("/api/vessels/{mmsi}")
def get_vessel(request: Request, principal: Viewer, mmsi: Mmsi) -> dict[str, Any]:
    """Identity history, list links, risk with its factors, identity flags and events of the
    vessel broadcasting ``mmsi``; 404 when the home knows nothing of it."""
    from sanctionwatch.chain import up_to_date
    from sanctionwatch.vessel_view import vessel_risks, vessel_view

    settings = app_settings(request)
    number = int(mmsi)
    stored = up_to_date(settings)
    risk = vessel_risks(settings, [number], stored=stored).get(number)
    try:
        view = vessel_view(settings, number, risk)
    except InputError as exc:  # its one refusal: nothing is known of this MMSI
        raise NotFound(exc.message) from exc
    return {**view, "risk_stored": stored}
