"""The vessel summaries ``score_vessels`` takes, from what the AIS side already has.

A summary is ``{"mmsi", "imo", "name", "flag"}``: the latest IMO number and name the MMSI
broadcast (each the value of the identity row seen last that has one), and a flag only
when one is known apart from the MID. AIS carries no flag, and the store's flag is the
MID's (docs/behaviour.md, "MID against broadcast flag"), so these helpers give none: the
model then shows the MID's flag, and compares a flag with the MID only when another
source (a registry, a list record) supplies one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sanctionwatch.ais.tables import IdentityRow


def summaries_from_histories(histories: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Summaries from ``ais.vessels.vessel_histories`` (its ``identities`` per MMSI)."""
    out = []
    for history in histories:
        rows = sorted(history.get("identities") or [], key=lambda r: str(r.get("last_seen")))
        out.append(_summary(int(history["mmsi"]), rows))
    return out


def summaries_from_identity_rows(rows: Iterable[IdentityRow]) -> list[dict[str, Any]]:
    """Summaries from the store's identity rows (``PositionStore.identities()``)."""
    by_mmsi: dict[int, list[IdentityRow]] = {}
    for row in rows:
        by_mmsi.setdefault(row.mmsi, []).append(row)
    return [
        _summary(mmsi, [{"imo": r.imo, "name": r.name} for r in sorted(found, key=_last)])
        for mmsi, found in sorted(by_mmsi.items())
    ]


def _last(row: IdentityRow) -> int:
    return row.last_seen


def _summary(mmsi: int, rows_oldest_first: list[Mapping[str, Any]]) -> dict[str, Any]:
    latest: dict[str, Any] = {"mmsi": mmsi, "imo": None, "name": None, "flag": None}
    for row in rows_oldest_first:
        for key in ("imo", "name"):
            if row.get(key) is not None:
                latest[key] = row[key]
    return latest


__all__ = ["summaries_from_histories", "summaries_from_identity_rows"]
