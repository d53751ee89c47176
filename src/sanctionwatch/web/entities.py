"""Listed parties and matches in yente's entity shape.

Properties come from what the screening index keeps of each party (names by property, birth
dates, countries, IMO numbers, programmes), so answering needs no store read. The index
merges nationality, citizenship and country into one list: it is given as ``nationality``
for people and ``country`` for everything else.
"""

from __future__ import annotations

from collections import defaultdict

from sanctionwatch.screening.engine import Match
from sanctionwatch.screening.index import IndexedParty
from sanctionwatch.web.features import explanations, features
from sanctionwatch.web.schemas import EntityResponse, ScoredEntityResponse, SearchResult


def party_properties(party: IndexedParty) -> dict[str, list[str]]:
    """FollowTheMoney properties of an indexed party (only non-empty ones)."""
    properties: dict[str, list[str]] = defaultdict(list)
    for prop, form in party.names:
        if form.original not in properties[prop]:
            properties[prop].append(form.original)
    properties["birthDate"] = list(party.birth_dates)
    properties["nationality" if party.schema == "Person" else "country"] = list(party.countries)
    properties["imoNumber"] = [f"IMO{number}" for number in party.imo_numbers]
    properties["program"] = list(party.programs)
    return {prop: values for prop, values in properties.items() if values}


def _entity_fields(party: IndexedParty) -> dict[str, object]:
    return {
        "id": party.entity_id,
        "caption": party.caption,
        "schema": party.schema,
        "properties": party_properties(party),
        "datasets": [party.list_name],
        "referents": [],
        "target": True,
        "first_seen": None,
        "last_seen": _datetime(party.version),
        "last_change": None,
        "records": [{"list": party.list_name, "id": party.record_id, "version": party.version}],
    }


def entity_response(party: IndexedParty) -> EntityResponse:
    return EntityResponse.model_validate(_entity_fields(party))


def search_result(match: Match) -> SearchResult:
    return SearchResult.model_validate({**_entity_fields(match.party), "score": _round(match)})


def scored_entity(match: Match, threshold: float) -> ScoredEntityResponse:
    """A match as yente's ``ScoredEntityResponse``, with our full explanation added."""
    score = _round(match)
    return ScoredEntityResponse.model_validate(
        {
            **_entity_fields(match.party),
            "score": score,
            "match": score >= threshold,
            "features": features(match.explanation),
            "explanations": explanations(match.explanation),
            "token": None,
            "explanation": match.explanation.to_json(),
        }
    )


def _round(match: Match) -> float:
    return round(match.score, 4)


def _datetime(version: str) -> str | None:
    """A list version date (YYYY-MM-DD) as yente's ISO timestamp."""
    return f"{version}T00:00:00" if len(version) == 10 else None
