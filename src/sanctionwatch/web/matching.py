"""Matching by example: a yente query entity becomes one screening query per name, and each
listed party keeps its best score over those names.

Used from the example: every name-like property (``name``, ``alias``, ``weakAlias``,
``previousName``; ``firstName`` ... ``lastName`` joined when no name is given), and the first
``birthDate``, ``nationality`` (else ``citizenship``), ``country`` (else ``jurisdiction``) and
``imoNumber``. Properties FollowTheMoney does not know for the schema are ignored with a
warning, as yente does.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from followthemoney import model

from sanctionwatch.errors import InputError
from sanctionwatch.safe_text import unicode_problem
from sanctionwatch.screening.engine import Match, Screener
from sanctionwatch.screening.model import Query
from sanctionwatch.screening.names import MAX_NAME_CHARS
from sanctionwatch.web.entities import scored_entity
from sanctionwatch.web.schemas import EntityExample, EntityMatches, TotalSpec

log = logging.getLogger(__name__)
NAME_PROPERTIES = ("name", "alias", "weakAlias", "previousName")
NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")
MAX_NAMES = 50  # names per example: more is not a description of one party
# Every candidate the engine scores comes back; filters and the limit apply after merging.
_ALL = 10_000


@dataclass(frozen=True)
class MatchFilters:
    """yente's result filters (``exclude_schema``, ``include_dataset``, ...)."""

    exclude_schema: Collection[str] = ()
    include_dataset: Collection[str] = ()
    exclude_dataset: Collection[str] = ()
    exclude_entity_ids: Collection[str] = ()

    def allows(self, match: Match) -> bool:
        party = match.party
        return (
            party.schema not in self.exclude_schema
            and (not self.include_dataset or party.list_name in self.include_dataset)
            and party.list_name not in self.exclude_dataset
            and party.entity_id not in self.exclude_entity_ids
        )


@dataclass(frozen=True)
class ExampleQueries:
    queries: list[Query]
    warnings: list[str] = field(default_factory=list)


def values(example: EntityExample, prop: str) -> list[str]:
    """The non-blank values of ``prop``, stripped (a single string counts as one value)."""
    raw = example.properties.get(prop, [])
    found = [raw] if isinstance(raw, str) else raw
    return [value.strip() for value in found if value.strip()]


def example_queries(example: EntityExample) -> ExampleQueries:
    """One :class:`Query` per name of ``example``; InputError if it has no usable name."""
    schema = model.get(example.schema_)
    warnings = (
        [
            f"property {prop!r} ignored: not a property of {schema.name}"
            for prop in example.properties
            if prop not in schema.properties
        ]
        if schema is not None
        else []
    )
    names = [name for prop in NAME_PROPERTIES for name in values(example, prop)]
    if not names:
        parts = [part for prop in NAME_PARTS for part in values(example, prop)[:1]]
        names = [" ".join(parts)] if parts else []
    if not names:
        raise InputError(
            "the query has no name: give 'name' (or 'alias', or 'firstName' and 'lastName')"
        )
    if len(names) > MAX_NAMES:
        raise InputError(f"too many names ({len(names)}; at most {MAX_NAMES})")
    for name in names:
        if len(name) > MAX_NAME_CHARS:
            raise InputError(
                f"name of {len(name)} characters is too long (at most {MAX_NAME_CHARS})"
            )
    queries = [
        Query(
            name=name,
            id=example.id,
            schema=example.schema_,
            birth_date=first_value(example, "birthDate"),
            nationality=first_value(example, "nationality", "citizenship"),
            country=first_value(example, "country", "jurisdiction"),
            imo=first_value(example, "imoNumber"),
        )
        for name in dict.fromkeys(names)
    ]
    return ExampleQueries(queries, warnings)


def first_value(example: EntityExample, *props: str) -> str | None:
    """The first value of the first of ``props`` that has one."""
    for prop in props:
        found = values(example, prop)
        if found:
            return found[0]
    return None


def best_matches(
    screener: Screener,
    queries: list[Query],
    cutoff: float,
    limit: int,
    filters: MatchFilters | None = None,
) -> list[Match]:
    """Screen each query; every party keeps its best match; best first, at most ``limit``."""
    best: dict[str, Match] = {}
    for query in queries:
        for match in screener.screen(query, cutoff, _ALL):
            if filters is not None and not filters.allows(match):
                continue
            kept = best.get(match.party.entity_id)
            if kept is None or match.score > kept.score:
                best[match.party.entity_id] = match
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.party.entity_id))
    return ranked[:limit]


def match_example(
    screener: Screener,
    example: EntityExample,
    *,
    threshold: float,
    cutoff: float,
    limit: int,
    filters: MatchFilters,
) -> EntityMatches:
    """yente's answer to one example; an unusable example gets status 400 and the reason."""
    echo = {
        "id": example.id,
        "schema": example.schema_,
        "properties": {
            text_key(prop): [value] if isinstance(value, str) else value
            for prop, value in example.properties.items()
        },
    }
    try:
        prepared = example_queries(example)
        matches = best_matches(screener, prepared.queries, cutoff, limit, filters)
    except InputError as exc:
        return _failed(400, exc.message, echo)
    except Exception as exc:  # a bug met on one example must not fail the whole batch
        log.error("matching one example failed: %r", exc)
        return _failed(500, f"internal error ({type(exc).__name__})", echo)
    return EntityMatches(
        status=200,
        results=[scored_entity(match, threshold) for match in matches],
        total=TotalSpec(value=len(matches)),
        query=echo,
        warnings=prepared.warnings,
    )


def _failed(status: int, detail: str, echo: dict[str, Any]) -> EntityMatches:
    return EntityMatches(
        status=status, results=[], total=TotalSpec(value=0), query=echo, detail=detail
    )


def text_key(key: str) -> str:
    """A key from the request, usable as a key of the answer: a lone surrogate (which
    UTF-8 cannot encode, and which the serializer refuses in keys) becomes its escape."""
    if unicode_problem(key):
        return key.encode("utf-8", "backslashreplace").decode("utf-8")
    return key
