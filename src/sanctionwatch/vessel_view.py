"""Everything known about one vessel, in one view: identity history, list links, identity
flags, risk factors and events. ``vessels show`` prints it; the API's ``GET
/api/vessels/{mmsi}`` and a case's vessel subject (its evidence snapshot) serve it."""

from __future__ import annotations

import json
from typing import Any

from sanctionwatch.config import Settings
from sanctionwatch.errors import InputError


def contract_line(body: dict[str, Any]) -> dict[str, Any]:
    """A stored risk body as the command-line contract gives it (flags are for the view)."""
    return {key: value for key, value in body.items() if key != "flags"}


def vessel_number(vessel: str) -> tuple[int | None, int | None]:
    """(MMSI, None) for nine digits, (None, IMO) for seven ("IMO 1234567" too); an
    InputError for anything else."""
    text = vessel.strip().upper().removeprefix("IMO").strip()
    if text.isdigit() and len(text) == 9:
        return int(text), None
    if text.isdigit() and len(text) == 7:
        return None, int(text)
    raise InputError(f"{vessel!r} is neither an MMSI (nine digits) nor an IMO number (seven)")


def vessel_mmsis(settings: Settings, vessel: str) -> list[int]:
    """The MMSIs ``vessel`` names: itself if nine digits, else those that broadcast the
    IMO number (seven digits)."""
    from sanctionwatch.ais.store import open_store as open_ais_store

    mmsi, imo = vessel_number(vessel)
    if mmsi is not None:
        return [mmsi]
    with open_ais_store(settings.home, writable=False) as store:
        found = sorted({row.mmsi for row in store.identities(imo=imo)})
    if not found:
        raise InputError(f"no vessel in the AIS store ever broadcast IMO {imo}")
    return found


def vessel_risks(settings: Settings, mmsis: list[int], *, stored: bool) -> dict[int, Any]:
    """Each MMSI's risk body: from the risk store when ``stored`` (it is up to date), else
    computed in memory (a home that cannot be written)."""
    from sanctionwatch.chain import risks_in_memory
    from sanctionwatch.risk.stored import RiskStore

    if stored:
        with RiskStore(settings.home, writable=False) as store:
            return {mmsi: store.risk_of(mmsi) for mmsi in mmsis}
    everything = {int(b["mmsi"]): b for b in risks_in_memory(settings)}
    return {mmsi: everything.get(mmsi) for mmsi in mmsis}


def vessel_view(settings: Settings, mmsi: int, risk: dict[str, Any] | None) -> dict[str, Any]:
    """The view of ``mmsi`` given its risk body; an InputError if nothing is known of it."""
    from sanctionwatch.ais.store import open_store as open_ais_store
    from sanctionwatch.ais.vessels import vessel_histories
    from sanctionwatch.behaviour.stored import EventStore

    with open_ais_store(settings.home, writable=False) as store, EventStore(store) as events:
        histories = vessel_histories(store, mmsi=mmsi)
        mine = events.events(condition=("(mmsi = ? OR other_mmsi = ?)", [mmsi, mmsi]))
    if not histories and risk is None:
        raise InputError(f"MMSI {mmsi} is not in the AIS store")
    return {
        "mmsi": mmsi,
        "identity": histories[0] if histories else None,
        "risk": contract_line(risk) if risk else None,
        "flags": (risk or {}).get("flags", []),
        "events": [json.loads(event.to_json()) for event in mine],
    }
