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
    # rules that lowered the name score -> what each took off (negative): the evidence
    # rules of docs/screening.md ("How a score is made")
    rules: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Explanation:
    """Why a candidate scored what it did: the best name comparison, then each qualifier's
    adjustment (positive raises, negative lowers), then the total."""

    name: NameComparison
    qualifiers: dict[str, float]
    total: float
    notes: list[str] = field(default_factory=list)

    def rules(self) -> dict[str, float]:
        """Every rule that lowered the score, with what it took off (negative): the name
        rules (scaled as the name was weighted), then the qualifiers that lowered it."""
        found = {k: round(v, 4) for k, v in self.name.rules.items() if v < 0}
        found.update({k: round(v, 4) for k, v in self.qualifiers.items() if v < 0})
        return found

    def why_below(self, threshold: float) -> str:
        """In words, why the total is below ``threshold``."""
        rules = self.rules()
        head = f"{self.total:.2f} is below the threshold {threshold:.2f}"
        if not rules:
            return (
                f"{head}: the names are not alike enough ({self.name.method} "
                f"{self.name.score:.2f}, {self.name.matched_name!r})"
            )
        without = min(1.0, self.total - sum(rules.values()))
        lowered = ", ".join(f"{rule} {delta:+.2f}" for rule, delta in rules.items())
        if without >= threshold:
            return f"{head}; lowered by {lowered} (about {without:.2f} without them)"
        return (
            f"{head}: the names are not alike enough ({self.name.method} "
            f"{self.name.score:.2f}, {self.name.matched_name!r}); also lowered by {lowered}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "query_name": self.name.query_name,
            "matched_name": self.name.matched_name,
            "matched_property": self.name.matched_property,
            "method": self.name.method,
            "name_score": round(self.name.score, 4),
            "features": {k: round(v, 4) for k, v in self.name.features.items()},
            "qualifiers": {k: round(v, 4) for k, v in self.qualifiers.items()},
            "rules": self.rules(),
            "total": round(self.total, 4),
            "notes": self.notes,
        }
