"""Similar cases: other cases that share a vessel (MMSI), an IMO number, a list entity or an
encounter partner with this one, each with the reasons.

What a subject stands for is read from its columns and its stored snapshot: a vessel's
MMSIs, the IMO numbers they broadcast, the list entities it is linked to, and the vessels it
met (the other side of its encounter events). An encounter partner counts when the other
case has that vessel as a subject. Candidates are found through the indexed columns
(``mmsi``, ``imo``, ``entity_id``), so the cost follows the matches, not the number of cases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sanctionwatch.cases.cases import get_case
from sanctionwatch.cases.models import CaseFile, CaseSubject


@dataclass
class Facets:
    """What a case's subjects stand for."""

    mmsis: set[int] = field(default_factory=set)
    imos: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)
    partners: set[tuple[int, int]] = field(default_factory=set)  # (own vessel, met)

    def add(self, subject: CaseSubject) -> None:
        if subject.mmsi is not None:
            self.mmsis.add(subject.mmsi)
        if subject.imo is not None:
            self.imos.add(subject.imo)
        if subject.entity_id is not None:
            self.entities.add(subject.entity_id)
        snapshot: dict[str, Any] = json.loads(subject.snapshot)
        for view in snapshot.get("vessels", []):
            mmsi = int(view["mmsi"])
            self.mmsis.add(mmsi)
            for identity in (view.get("identity") or {}).get("identities", []):
                if identity.get("imo") and identity.get("imo_valid"):
                    self.imos.add(str(identity["imo"]))
            for link in (view.get("risk") or {}).get("links", []):
                self.entities.add(str(link["entity_id"]))
            for event in view.get("events", []):
                if event.get("type") == "encounter":
                    sides = {event.get("mmsi"), event.get("other_mmsi")} - {None, mmsi}
                    self.partners.update((mmsi, int(side)) for side in sides)
        for hit in snapshot.get("hits", []):
            self.entities.add(str(hit["entity_id"]))


def facets_of(subjects: list[CaseSubject]) -> Facets:
    found = Facets()
    for subject in subjects:
        found.add(subject)
    return found


def reasons(mine: Facets, theirs: Facets) -> list[dict[str, Any]]:
    """Why two cases are alike (empty: they are not)."""
    found: list[dict[str, Any]] = []
    found += [{"reason": "vessel", "mmsi": m} for m in sorted(mine.mmsis & theirs.mmsis)]
    found += [{"reason": "imo", "imo": i} for i in sorted(mine.imos & theirs.imos)]
    found += [{"reason": "entity", "entity_id": e} for e in sorted(mine.entities & theirs.entities)]
    # One encounter is in both vessels' events: seen from either case, it is one reason.
    met = {(own, other) for own, other in mine.partners if other in theirs.mmsis}
    met |= {(own, other) for other, own in theirs.partners if own in mine.mmsis}
    found += [
        {"reason": "encounter_partner", "mmsi": other, "met_by": own} for own, other in sorted(met)
    ]
    return found


def similar_cases(session: Session, case_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """Other cases alike to ``case_id``, most reasons first, then newest."""
    get_case(session, case_id)
    mine_subjects = _subjects(session, CaseSubject.case_id == case_id)
    mine = facets_of(mine_subjects)
    wanted = []
    vessels = mine.mmsis | {other for _, other in mine.partners}
    if vessels:
        wanted.append(CaseSubject.mmsi.in_(sorted(vessels)))
    if mine.imos:
        wanted.append(CaseSubject.imo.in_(sorted(mine.imos)))
    if mine.entities:
        wanted.append(CaseSubject.entity_id.in_(sorted(mine.entities)))
    if not wanted:
        return []
    candidates = select(CaseSubject.case_id).where(CaseSubject.case_id != case_id, or_(*wanted))
    others = _subjects(session, CaseSubject.case_id.in_(candidates))
    by_case: dict[int, list[CaseSubject]] = {}
    for subject in others:
        by_case.setdefault(subject.case_id, []).append(subject)
    found: list[dict[str, Any]] = []
    for other_id, subjects in by_case.items():
        why = reasons(mine, facets_of(subjects))
        if why:
            case = session.get(CaseFile, other_id)
            assert case is not None
            found.append(
                {"id": case.id, "title": case.title, "status": case.status,
                 "created_ms": case.created_ms, "reasons": why}
            )  # fmt: skip
    found.sort(key=lambda c: (-len(c["reasons"]), -c["created_ms"], -c["id"]))
    return found[:limit]


def _subjects(session: Session, condition: Any) -> list[CaseSubject]:
    query = select(CaseSubject).where(condition).order_by(CaseSubject.id)
    return list(session.execute(query).scalars())
