"""Vessel risk: a transparent additive model, each factor with the evidence it rests on.

``score_vessels`` takes what the rest of sanctionwatch produces and gives one ``VesselRisk``
per MMSI, highest score first:

* ``vessels``: identity summaries, one mapping per MMSI with ``mmsi`` and, where known,
  ``imo``, ``name`` and ``flag`` (ISO 3166 alpha-2, any case; the flag broadcast or
  registered, which the model compares with the MID's). Mappings rather than store rows so
  that any source can feed the model: ``risk.vessels`` makes them from
  ``ais.vessels.vessel_histories`` or from identity rows. Missing keys are unknown.
* ``events``: the behaviour detectors' events (``docs/behaviour.md``, "Event contract").
* ``links``, ``flags``: linking's ``Link`` and ``IdentityFlag`` records.

Every MMSI named anywhere (a summary, an event's vessel or other vessel, a link, a flag)
is scored; one with nothing known scores 0, level low. A vessel's score is the sum of its
factors' points (``factors.toml``): first its own factors, then what it inherits through
the encounter graph (``propagation.py``). The level follows ``[levels]``, except that a
link via IMO or MMSI (the listed ship itself) is high whatever the points: decisive.
Recency is measured against the end of the data (the latest time any event reaches), not
the clock, so scoring the same data twice gives the same result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sanctionwatch.ais.mid import mmsi_info
from sanctionwatch.behaviour.events import Event
from sanctionwatch.linking.model import IdentityFlag, Link
from sanctionwatch.risk.behaviour_factors import (
    draught_factor,
    gap_factors,
    loitering_factor,
    port_call_factors,
)
from sanctionwatch.risk.evidence import Factor
from sanctionwatch.risk.identity_factors import (
    flag_factor,
    identity_factors,
    is_decisive,
    link_factors,
)
from sanctionwatch.risk.params import RiskParams
from sanctionwatch.risk.propagation import encounter_factors
from sanctionwatch.risk.zones import Zone, default_zones

Level = Literal["high", "medium", "low"]


@dataclass(frozen=True)
class VesselRisk:
    mmsi: int
    imo: int | None
    name: str | None
    flag: str | None
    score: float
    level: Level
    factors: tuple[Factor, ...] = field(default_factory=tuple)  # largest first
    links: tuple[Link, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The ``vessels risk`` line of the command-line contract (issue 13)."""
        return {
            "mmsi": self.mmsi,
            "imo": self.imo,
            "name": self.name,
            "flag": self.flag,
            "score": self.score,
            "level": self.level,
            "factors": [factor.to_dict() for factor in self.factors],
            "links": [link.to_dict() for link in self.links],
        }


def score_vessels(
    vessels: Iterable[Mapping[str, Any]],
    events: Iterable[Event],
    links: Iterable[Link],
    flags: Iterable[IdentityFlag],
    params: RiskParams,
    zones: tuple[Zone, ...] | None = None,
    data_end_ms: int | None = None,
) -> list[VesselRisk]:
    """Every vessel's score, level and factors, highest score first (then by MMSI).

    ``zones``: the transfer areas loitering is tested against (default: the bundled ones).
    ``data_end_ms``: the end of the data, when ``events`` are only those that can count
    (``risk.relevant``); default: the latest time the events reach.
    """
    zones = default_zones() if zones is None else zones
    summaries = {int(v["mmsi"]): dict(v) for v in vessels}
    links_of: dict[int, list[Link]] = {}
    for link in links:
        links_of.setdefault(link.mmsi, []).append(link)
    flags_of: dict[int, list[IdentityFlag]] = {}
    for flag in flags:
        flags_of.setdefault(flag.mmsi, []).append(flag)
    by_vessel, encounters, events_end_ms = _group(events)
    data_end_ms = events_end_ms if data_end_ms is None else data_end_ms

    mmsis = set(summaries) | set(by_vessel) | set(links_of) | set(flags_of)
    own: dict[int, list[Factor]] = {}
    for mmsi in mmsis:
        mine = by_vessel.get(mmsi) or {}
        own[mmsi] = [
            *link_factors(links_of.get(mmsi, ()), params),
            *flag_factor(flags_of.get(mmsi, ()), params),
            *identity_factors(
                mmsi, summaries.get(mmsi, {}), mine.get("identity", ()), data_end_ms, params
            ),
            *gap_factors(mine.get("gap", ()), params),
            *port_call_factors(mine.get("port_call", ()), params),
            *loitering_factor(mine.get("loitering", ()), zones, params),
            *draught_factor(
                mmsi,
                mine.get("draught_change", ()),
                mine.get("encounter", ()),
                mine.get("gap", ()),
                params,
            ),
        ]
    base = {mmsi: sum(f.points for f in factors) for mmsi, factors in own.items()}
    inherited = encounter_factors(base, encounters, params)

    out = []
    for mmsi in mmsis:
        factors = own[mmsi] + ([inherited[mmsi]] if mmsi in inherited else [])
        factors.sort(key=lambda f: -f.points)
        score = round(sum(f.points for f in factors), 1)
        mine_links = tuple(links_of.get(mmsi, ()))
        level = "high" if is_decisive(mine_links) else _level(score, params)
        summary = summaries.get(mmsi, {})
        out.append(
            VesselRisk(
                mmsi,
                _int_or_none(summary.get("imo")),
                summary.get("name"),
                summary.get("flag") or _mid_flag(mmsi),
                score,
                level,
                tuple(factors),
                mine_links,
            )
        )
    out.sort(key=lambda risk: (-risk.score, risk.mmsi))
    return out


def _group(
    events: Iterable[Event],
) -> tuple[dict[int, dict[str, list[Event]]], list[Event], int]:
    """Events by vessel and type (an encounter under both its vessels), the encounters,
    and the end of the data (the latest start or end of any event; 0 when none)."""
    by_vessel: dict[int, dict[str, list[Event]]] = {}
    encounters = []
    data_end_ms = 0
    for event in events:
        by_vessel.setdefault(event.mmsi, {}).setdefault(event.type, []).append(event)
        reach = event.end_ms if event.end_ms is not None else event.start_ms
        if reach > data_end_ms:
            data_end_ms = reach
        if event.other_mmsi is not None:
            other = by_vessel.setdefault(event.other_mmsi, {})
            if event.type == "encounter":
                other.setdefault("encounter", []).append(event)
                encounters.append(event)
    return by_vessel, encounters, data_end_ms


def _level(score: float, params: RiskParams) -> Level:
    levels = params["levels"]
    if score >= levels["high"]:
        return "high"
    return "medium" if score >= levels["medium"] else "low"


def _mid_flag(mmsi: int) -> str | None:
    info = mmsi_info(mmsi)
    return info.flag or ("/".join(info.flags) if info.flags else None)


def _int_or_none(value: object) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(str(value))
    except ValueError:
        return None


__all__ = ["Level", "VesselRisk", "score_vessels"]
