"""How well the risk ranking finds planted evaders (issue 13, "Evaluation").

Given the ranking ``score_vessels`` made and the ships ``simulate.evaders`` planted, say where
each evader and decoy ranks, the precision and recall of the evaders in the top ``k``
(k = evaders + 2), and whether each evader's factors cite what makes it one: the list record
whose identity it uses together with the identity field that carried it (IMO number, MMSI,
name), or, for the ship that met a listed one, that encounter event.

Ties count against the model: an evader ranks last among equal scores, a decoy first. A
vessel with a score of 0 ranks nowhere: an order among the many vessels with nothing against
them would only be their MMSIs'.

The goals: every evader in the top k, no decoy in the top 10, every evader's evidence cited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sanctionwatch.risk.model import VesselRisk

DECOY_TOP = 10
IDENTITY_FIELD = {"imo": "imo", "mmsi": "mmsi", "name": "name", "former_name": "name"}


class PlantedShip(Protocol):
    """What the evaluation reads of a planted ship (``simulate.evaders.Planted``)."""

    @property
    def key(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def trick(self) -> str: ...
    @property
    def mmsi(self) -> int: ...
    @property
    def listed(self) -> Mapping[str, str] | None: ...
    @property
    def cites(self) -> str | None: ...
    @property
    def partner(self) -> str | None: ...


@dataclass(frozen=True)
class Placed:
    """One planted ship in the ranking: rank (1 = riskiest; ties count against the model:
    an evader last among equal scores, a decoy first; None = nothing held against it)."""

    key: str
    kind: str
    trick: str
    mmsi: int
    rank: int | None
    score: float | None
    level: str | None
    cited: bool | None  # evaders: its factors cite its evidence; decoys: None
    factors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    k: int
    precision_at_k: float
    recall_at_k: float
    placed: tuple[Placed, ...]
    vessels: int  # ranked in all
    # the top of the ranking: (mmsi, score, level, factor names), at least DECOY_TOP long
    top: tuple[tuple[int, float, str, tuple[str, ...]], ...] = field(default_factory=tuple)

    @property
    def evaders(self) -> list[Placed]:
        return [p for p in self.placed if p.kind == "evader"]

    @property
    def decoys(self) -> list[Placed]:
        return [p for p in self.placed if p.kind == "decoy"]

    @property
    def goals_met(self) -> dict[str, bool]:
        return {
            "every evader in the top k": all(
                p.rank is not None and p.rank <= self.k for p in self.evaders
            ),
            f"no decoy in the top {DECOY_TOP}": all(
                p.rank is None or p.rank > DECOY_TOP for p in self.decoys
            ),
            "every evader cites its evidence": all(p.cited for p in self.evaders),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "precision_at_k": round(self.precision_at_k, 3),
            "recall_at_k": round(self.recall_at_k, 3),
            "vessels": self.vessels,
            "goals": self.goals_met,
            "placed": [p.__dict__ for p in self.placed],
            "top": [list(entry) for entry in self.top],
        }


def evaluate(risks: Sequence[VesselRisk], planted: Sequence[PlantedShip]) -> Evaluation:
    """Ranks, precision@k and recall@k of the evaders, and their citations (see module)."""
    by_mmsi = {risk.mmsi: risk for risk in risks}
    mmsi_of = {ship.key: ship.mmsi for ship in planted}
    placed = []
    for ship in planted:
        risk = by_mmsi.get(ship.mmsi)
        cited = None
        if ship.kind == "evader":
            cited = risk is not None and cites(risk, ship, mmsi_of)
        placed.append(
            Placed(
                key=ship.key,
                kind=ship.kind,
                trick=ship.trick,
                mmsi=ship.mmsi,
                rank=_rank(risk, risks, worst=ship.kind == "evader"),
                score=risk.score if risk else None,
                level=risk.level if risk else None,
                cited=cited,
                factors=tuple(f.factor for f in risk.factors) if risk else (),
            )
        )
    evaders = [p for p in placed if p.kind == "evader"]
    k = len(evaders) + 2
    found = sum(1 for p in evaders if p.rank is not None and p.rank <= k)
    return Evaluation(
        k=k,
        precision_at_k=found / k,
        recall_at_k=found / len(evaders) if evaders else 0.0,
        placed=tuple(placed),
        vessels=len(risks),
        top=tuple(
            (r.mmsi, r.score, r.level, tuple(f.factor for f in r.factors))
            for r in risks[: max(k, DECOY_TOP)]
        ),
    )


def _rank(risk: VesselRisk | None, risks: Sequence[VesselRisk], worst: bool) -> int | None:
    """Where ``risk`` stands: among vessels of equal score, last for an evader and first
    for a decoy (ties count against the model); None when nothing is held against the
    vessel (score 0), since an order among those would only be the MMSIs'."""
    if risk is None or risk.score <= 0:
        return None
    above = sum(1 for other in risks if other.score > risk.score)
    equal = sum(1 for other in risks if other.score == risk.score)
    return above + (equal if worst else 1)


def cites(risk: VesselRisk, ship: PlantedShip, mmsi_of: Mapping[str, int]) -> bool:
    """True when one factor of ``risk`` cites what makes ``ship`` an evader."""
    if ship.cites == "encounter":
        partner = mmsi_of.get(ship.partner or "")
        pair = {ship.mmsi, partner}
        return any(
            e.get("kind") == "event"
            and e.get("type") == "encounter"
            and {e.get("mmsi"), e.get("other_mmsi")} == pair
            for factor in risk.factors
            for e in factor.evidence
        )
    if ship.listed is None or ship.cites not in IDENTITY_FIELD:
        return False
    record = (ship.listed["list"], ship.listed["record"])
    wanted = IDENTITY_FIELD[ship.cites]
    for factor in risk.factors:
        kinds = {(e.get("list"), e.get("record")) for e in factor.evidence if _is(e, "list_record")}
        fields = {e.get("field") for e in factor.evidence if _is(e, "identity")}
        if record in kinds and wanted in fields:
            return True
    return False


def _is(evidence: Mapping[str, Any], kind: str) -> bool:
    return evidence.get("kind") == kind


__all__ = ["DECOY_TOP", "Evaluation", "Placed", "PlantedShip", "cites", "evaluate"]
