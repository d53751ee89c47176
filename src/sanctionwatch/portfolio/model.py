"""What the portfolio holds and what screening it gives: counterparties, their hits, and
the changes a screen finds (what the alerts of a "counterparty newly matches a list" rule
are made from)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sanctionwatch.screening.model import Query


@dataclass(frozen=True)
class Counterparty:
    """One counterparty: the screening fields of its row, and where the row came from.

    ``id`` is the file's ``id`` column, else ``row-`` and a digest of the values (the same
    row always gets the same id). ``line`` is the row's first line in ``source`` (a CSV's
    header is line 1).
    """

    id: str
    name: str
    schema: str | None = None
    birth_date: str | None = None
    nationality: str | None = None
    imo: str | None = None
    country: str | None = None
    source: str = ""
    line: int = 0

    def query(self) -> Query:
        return Query(
            name=self.name,
            id=self.id,
            schema=self.schema,
            birth_date=self.birth_date,
            nationality=self.nationality,
            country=self.country,
            imo=self.imo,
        )


@dataclass(frozen=True)
class PortfolioHit:
    """A counterparty that matches a listed party at or above the screen's threshold.

    ``match`` is the match as ``sanctionwatch screen`` gives it (entity, score, records,
    explanation); ``version`` is the list version the party was read from.
    """

    counterparty_id: str
    counterparty_name: str
    entity_id: str
    caption: str
    schema: str
    list: str
    record: str
    version: str
    score: float
    match: dict[str, Any] = field(compare=True, hash=False)

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes a hit the same hit: the counterparty and the listed party, named by
        its list and entity id (OFAC's SDN and non-SDN lists share entity ids)."""
        return self.counterparty_id, self.list, self.entity_id

    def evidence(self) -> tuple[dict[str, Any], ...]:
        """The list record the hit is on, and the screening that found it."""
        return (
            {
                "kind": "list_record",
                "list": self.list,
                "record": self.record,
                "entity_id": self.entity_id,
                "version": self.version,
            },
            {"kind": "screening", "score": self.score, "explanation": self.match["explanation"]},
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "counterparty_id": self.counterparty_id,
            "counterparty_name": self.counterparty_name,
            "entity_id": self.entity_id,
            "caption": self.caption,
            "schema": self.schema,
            "list": self.list,
            "record": self.record,
            "version": self.version,
            "score": self.score,
            "explanation": self.match["explanation"],
        }


@dataclass(frozen=True)
class PortfolioHitChange:
    """A hit that is new or changed since the screen before: what an alert is raised on.

    ``change``: "new" when no stored hit was on this listed entity (list and entity id) for
    this counterparty before;
    "changed" when the score or the list record changed. ``evidence``: the list record
    (``{"kind": "list_record", "list", "record", "entity_id", "version"}``) and the screening
    (``{"kind": "screening", "score", "explanation"}``).
    """

    counterparty_id: str
    counterparty_name: str
    entity_id: str
    caption: str
    list: str  # list name, e.g. "ofac_sdn"
    record: str  # the list's record id
    score: float
    change: Literal["new", "changed"]
    evidence: tuple[dict[str, Any], ...]

    @classmethod
    def of(cls, hit: PortfolioHit, change: Literal["new", "changed"]) -> PortfolioHitChange:
        return cls(
            hit.counterparty_id,
            hit.counterparty_name,
            hit.entity_id,
            hit.caption,
            hit.list,
            hit.record,
            hit.score,
            change,
            hit.evidence(),
        )


@dataclass(frozen=True)
class PortfolioScreenResult:
    """What one screen of the whole portfolio found.

    ``hits``: every current hit (what is stored now); ``changes``: the hits that are new or
    changed since the screen before; ``removed``: the stored hits no longer found;
    ``errors``: counterparties that could not be screened (id, reason).
    """

    signature: str
    threshold: float
    screened: int
    hits: list[PortfolioHit]
    changes: list[PortfolioHitChange]
    removed: list[PortfolioHit]
    errors: list[tuple[str, str]] = field(default_factory=list)

    def statuses(self) -> dict[tuple[str, str, str], str]:
        """(counterparty id, list, entity id) -> "new" or "changed"; a hit not here is
        unchanged."""
        return {(c.counterparty_id, c.list, c.entity_id): c.change for c in self.changes}


@dataclass(frozen=True)
class RejectedRow:
    """A row of an added file that could not be used: its line, why, and what it held."""

    line: int
    reason: str
    raw: str


@dataclass
class AddOutcome:
    """What ``add`` did with one file. Every row with content is counted once: added (a new
    id), updated (an id already stored, with other values), unchanged, duplicate (an id
    given again further down the file with the same values) or rejected."""

    source: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.added + self.updated + self.unchanged + self.duplicates + len(self.rejected)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "rows": self.rows,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "rejected": [{"line": r.line, "reason": r.reason, "raw": r.raw} for r in self.rejected],
        }
