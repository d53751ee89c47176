"""The tables of the portfolio store (``<home>/portfolio.sqlite``), declared once.

See ``sanctionwatch.tables``. :class:`CounterpartyRow` is one counterparty as its file gave
it; :class:`HitRow` one of its current hits (replaced by each screen); :class:`RejectedRow`
a row of an added file that could not be used; :class:`ScreenRunRow` one screen of the
whole portfolio, with what it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from sanctionwatch.tables import Column, Index, Row, table

PORTFOLIO = "portfolio.sqlite"
ISO_UTC = "ISO 8601, UTC"


@table(
    "counterparty",
    "One counterparty of the portfolio: the screening fields of its row, and its origin.",
    [PORTFOLIO],
    primary_key=["id"],
)
@dataclass(frozen=True)
class CounterpartyRow(Row):
    id: Annotated[str, Column("The file's id column, else 'row-' and a digest of the values")]
    name: Annotated[str, Column("Name, as given")]
    schema: Annotated[str | None, Column("FollowTheMoney schema (Person, Company, ...)")]
    birth_date: Annotated[str | None, Column("Birth date, ISO (1984, 1984-01 allowed)")]
    nationality: Annotated[str | None, Column("Nationality: ISO code or country name")]
    imo: Annotated[str | None, Column("IMO number, as given")]
    country: Annotated[str | None, Column("Country: ISO code or country name")]
    digest: Annotated[str, Column("SHA-256 of the values above: tells an updated row")]
    source: Annotated[str, Column("The file it was last added or updated from (absolute)")]
    line: Annotated[int, Column("Its first line in that file (a CSV header is line 1)")]
    added: Annotated[str, Column("When it was first added", unit=ISO_UTC)]
    updated: Annotated[str, Column("When its values last changed", unit=ISO_UTC)]
    screened: Annotated[
        str | None, Column("When it was last screened; NULL: not since added or changed", ISO_UTC)
    ]


@table(
    "hit",
    "A current hit: a counterparty matching a listed party at or above the last screen's "
    "threshold (every screen replaces them all).",
    [PORTFOLIO],
    primary_key=["counterparty_id", "list", "entity_id"],
    indexes=[Index("hit_entity", ("entity_id",))],
)
@dataclass(frozen=True)
class HitRow(Row):
    counterparty_id: Annotated[str, Column("The counterparty", references="counterparty(id)")]
    counterparty_name: Annotated[str, Column("Its name when screened")]
    entity_id: Annotated[str, Column("The listed party's entity id (unique within a list)")]
    caption: Annotated[str, Column("The listed party's caption")]
    schema: Annotated[str, Column("The listed party's schema")]
    list: Annotated[str, Column("The list (un, ofac_sdn, ...)")]
    record: Annotated[str, Column("The list's own record id")]
    version: Annotated[str, Column("The list version it was read from")]
    score: Annotated[float, Column("Screening score", unit="0..1")]
    signature: Annotated[str, Column("The list versions screened against (list:version id)")]
    match: Annotated[str, Column("The match as `screen` gives it, with explanation", "JSON")]
    screened: Annotated[str, Column("When it was found", unit=ISO_UTC)]


@table(
    "rejected",
    "A row of an added file that could not be used (re-adding the file replaces its rows).",
    [PORTFOLIO],
    primary_key=["source", "line"],
)
@dataclass(frozen=True)
class PortfolioRejectedRow(Row):
    source: Annotated[str, Column("The file (absolute)")]
    line: Annotated[int, Column("The row's first line in it")]
    reason: Annotated[str, Column("Why it was not used")]
    raw: Annotated[str, Column("The row's text, cut to 500 characters")]
    added: Annotated[str, Column("When the file was added", unit=ISO_UTC)]


@table(
    "screen_run",
    "One screen of the whole portfolio: against which list versions, and what it changed.",
    [PORTFOLIO],
    primary_key=["id"],
)
@dataclass(frozen=True)
class ScreenRunRow(Row):
    id: Annotated[int, Column("Run number")]
    signature: Annotated[str, Column("The list versions screened against (list:version id)")]
    threshold: Annotated[float, Column("Score threshold", unit="0..1")]
    started: Annotated[str, Column("When it started", unit=ISO_UTC)]
    finished: Annotated[str, Column("When it finished", unit=ISO_UTC)]
    counterparties: Annotated[int, Column("Counterparties screened")]
    errors: Annotated[int, Column("Counterparties that could not be screened")]
    hits: Annotated[int, Column("Hits found")]
    new: Annotated[int, Column("Hits new since the run before")]
    changed: Annotated[int, Column("Hits whose score or record changed")]
    removed: Annotated[int, Column("Hits no longer found")]


PORTFOLIO_TABLES = (CounterpartyRow, HitRow, PortfolioRejectedRow, ScreenRunRow)
