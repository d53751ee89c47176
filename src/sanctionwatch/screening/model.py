"""What screening takes and gives: a query, and matches with the explanation of each score."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Query:
    """One name to screen, with what else is known about it.

    ``schema`` is a FollowTheMoney schema name (Person, Organization, Company, LegalEntity,
    Vessel) or None for any; ``birth_date`` is ISO (partial allowed: 1984, 1984-01);
    ``nationality`` and ``country`` are ISO codes or country names; ``imo`` a 7-digit IMO
    number (with or without the "IMO" prefix).
    """

    name: str
    id: str | None = None
    schema: str | None = None
    birth_date: str | None = None
    nationality: str | None = None
    country: str | None = None
    imo: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class NameComparison:
    """How one query name met one listed name."""

    query_name: str
    matched_name: str
    matched_property: str  # name, alias, weakAlias, previousName
    method: str  # what decided the name score: "exact", "tokens", "korean", "script", ...
    score: float
    features: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Explanation:
    """Why a candidate scored what it did: the best name comparison, then each qualifier's
    adjustment (positive raises, negative lowers), then the total."""

    name: NameComparison
    qualifiers: dict[str, float]
    total: float
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "query_name": self.name.query_name,
            "matched_name": self.name.matched_name,
            "matched_property": self.name.matched_property,
            "method": self.name.method,
            "name_score": round(self.name.score, 4),
            "features": {k: round(v, 4) for k, v in self.name.features.items()},
            "qualifiers": {k: round(v, 4) for k, v in self.qualifiers.items()},
            "total": round(self.total, 4),
            "notes": self.notes,
        }
