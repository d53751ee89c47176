"""Screening: find the listed parties a query may be, score each, explain each score."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from followthemoney import model
from rigour.text import ascii_text

from sanctionwatch.errors import InputError
from sanctionwatch.lists.model import country_code
from sanctionwatch.safe_text import unicode_problem
from sanctionwatch.screening.index import IndexedParty, ScreeningIndex, query_keys
from sanctionwatch.screening.model import Explanation, NameComparison, Query
from sanctionwatch.screening.names import NameForm, analyse_name, terms
from sanctionwatch.screening.score import compare_forms, normalise_imo, vessel_adjustment

DEFAULT_THRESHOLD = 0.7
DEFAULT_LIMIT = 5
CANDIDATES = 20  # parties scored in full per query, taken by blocking-key weight
CANDIDATE_SHARE = 0.3  # ... and only those with at least this share of the best one's weight

# How much a name found only as a previous or weak (low-quality) alias counts.
PROPERTY_WEIGHT = {"name": 1.0, "alias": 1.0, "previousName": 0.95, "weakAlias": 0.9}
# Qualifiers, as nomenklatura's matchers use them: agreement raises a little, disagreement
# lowers more (a different birth year is strong evidence of a different person).
DOB_MATCH = 0.05
DOB_YEAR_MISMATCH = -0.15
DOB_DAY_MISMATCH = -0.1
COUNTRY_MATCH = 0.03
COUNTRY_MISMATCH = -0.1
SCHEMATA = frozenset({"Person", "Organization", "Company", "LegalEntity", "Vessel", "Thing"})
# OFAC's "weak a.k.a." (FtM weakAlias) is a short or common name that OFAC does not expect
# screening against; it helps confirm a hit. Met through one alone, with no birth date,
# country or IMO number agreeing, the score is scaled so that even an exact weak alias
# (0.9 by PROPERTY_WEIGHT) stays below the default threshold.
WEAK_ALIAS_ALONE = 0.65
# A person against an organisation (FtM: Person matches LegalEntity, but a listed
# LegalEntity here is always a firm or group: none has a birth date): sharing a word is not
# being the same party. Scaled so that even an exact name stays below the default threshold.
PERSON_VS_ORGANISATION = 0.6
ORGANISATION_SCHEMATA = frozenset({"Organization", "Company", "LegalEntity", "Vessel"})
# Legal-form words too ambiguous to call a query a company by (name particles, short words).
_AMBIGUOUS_FORMS = frozenset({"de", "as", "ab", "ao", "rl", "oy", "sa", "kk"})
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Match:
    party: IndexedParty
    score: float
    explanation: Explanation

    def suppressed_json(self, threshold: float) -> dict[str, Any]:
        """A candidate below ``threshold``, as :meth:`to_json` with why it is below."""
        return {**self.to_json(), "why_below": self.explanation.why_below(threshold)}

    def to_json(self) -> dict[str, Any]:
        return {
            "entity_id": self.party.entity_id,
            "caption": self.party.caption,
            "schema": self.party.schema,
            "score": round(self.score, 4),
            "datasets": [self.party.list_name],
            "records": [{"list": self.party.list_name, "id": self.party.record_id}],
            "programs": self.party.programs,
            "explanation": self.explanation.to_json(),
        }


def check_query(query: Query) -> None:
    """Refuse a query no screening can answer, with the reason."""
    if not query.name or not query.name.strip():
        raise InputError("empty name")
    for key, value in query.to_json().items():  # JSON's "\ud800" reads as a lone surrogate
        if isinstance(value, str) and (problem := unicode_problem(value)):
            raise InputError(f"{key} {problem}")
    if query.schema is not None and query.schema not in SCHEMATA:
        raise InputError(
            f"unknown schema {query.schema!r}; use one of {', '.join(sorted(SCHEMATA))}"
        )
    if analyse_name(query.name, query.schema).is_empty:
        raise InputError(f"name {query.name[:60]!r} has no letters or digits to compare")


class Screener:
    """Screens queries against one :class:`ScreeningIndex`."""

    def __init__(self, index: ScreeningIndex) -> None:
        self.index = index

    def screen(
        self, query: Query, threshold: float = DEFAULT_THRESHOLD, limit: int = DEFAULT_LIMIT
    ) -> list[Match]:
        """The parties ``query`` may be, best first, those scoring at least ``threshold``."""
        return self.screen_explained(query, threshold, limit)[0]

    def screen_explained(
        self, query: Query, threshold: float = DEFAULT_THRESHOLD, limit: int = DEFAULT_LIMIT
    ) -> tuple[list[Match], list[Match]]:
        """The matches, as :meth:`screen`, and the best ``limit`` candidates that were
        scored but fell below ``threshold`` (each explanation says which rules lowered it)."""
        check_query(query)
        form = analyse_name(query.name, query.schema)
        imo = normalise_imo(query.imo)
        keys = query_keys(form)
        scored = []
        for position in self.index.candidates(keys, imo, CANDIDATES, CANDIDATE_SHARE):
            party = self.index.parties[position]
            if not _schema_compatible(query.schema, party.schema):
                continue
            scored.append(score_party(query, party, keys))
        scored.sort(key=lambda m: (-m.score, m.party.entity_id))
        matches = [m for m in scored if m.score >= threshold]
        below = [m for m in scored if m.score < threshold and m.score > 0]
        return matches[:limit], below[:limit]

    def screen_batch(
        self,
        queries: Iterable[Query],
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = DEFAULT_LIMIT,
    ) -> Iterator[tuple[Query, list[Match] | InputError]]:
        """Each query with its matches, or the error that made it unanswerable (the rest of
        the batch goes on)."""
        for query in queries:
            try:
                yield query, self.screen(query, threshold, limit)
            except InputError as exc:
                yield query, exc


def _schema_compatible(query_schema: str | None, party_schema: str) -> bool:
    if query_schema in (None, "Thing"):
        return True
    query, party = model.get(query_schema), model.get(party_schema)
    return query is not None and party is not None and bool(query.can_match(party))


def score_party(query: Query, party: IndexedParty, keys: set[str] | None = None) -> Match:
    """Score one party for ``query``: its best name, then the qualifiers.

    With the query's blocking ``keys``, names of the party that share none are skipped
    (they cannot score well, and most parties have several names); the first name is
    always compared, so that a party found by its IMO number alone still gets a score.
    """
    form = analyse_name(query.name, query.schema)
    schema = query.schema if query.schema not in (None, "Thing") else party.schema
    best: NameComparison | None = None  # through a name, alias or previous name
    weak: NameComparison | None = None  # through a weak alias
    for position, (prop, candidate) in enumerate(party.names):
        if (
            keys is not None
            and position
            and party.name_keys
            and not keys & party.name_keys[position]
        ):
            continue
        compared = compare_forms(form, candidate, schema)
        weight = PROPERTY_WEIGHT.get(prop, 1.0)
        found = NameComparison(
            query.name,
            candidate.original,
            prop,
            compared.method,
            compared.score * weight,
            compared.features,
            {rule: delta * weight for rule, delta in compared.rules.items()},
        )
        if prop == "weakAlias":
            weak = found if weak is None or found.score > weak.score else weak
        elif best is None or found.score > best.score:
            best = found
    qualifiers: dict[str, float] = {}
    notes: list[str] = []
    birth = (
        _birth_date_adjustment(query.birth_date, party.birth_dates)
        if query.birth_date and party.birth_dates
        else None
    )
    country: float | None = None
    wanted = query.nationality or query.country
    if wanted and party.countries:
        code = country_code(wanted)
        if code is None:
            notes.append(f"country {wanted!r} not recognised; not compared")
        else:
            country = COUNTRY_MATCH if code in party.countries else COUNTRY_MISMATCH
    imo_agrees = normalise_imo(query.imo) in party.imo_numbers if query.imo else False
    corroborated = (birth or 0.0) > 0 or (country or 0.0) > 0 or imo_agrees
    total = best.score if best is not None else 0.0
    if weak is not None and weak.score > total:
        lowered = weak.score if corroborated else weak.score * WEAK_ALIAS_ALONE
        if lowered > total or best is None:
            best, total = weak, lowered
            if not corroborated:
                qualifiers["weak_alias_alone"] = round(lowered - weak.score, 4)
                notes.append(
                    "met through a weak alias only (OFAC does not screen on weak aliases "
                    "alone) and no birth date, country or IMO number agrees: score lowered"
                )
    assert best is not None  # indexed parties have at least one name
    if corroborated and (lifted := -best.rules.get("single_name", 0.0)) > 0:
        # one shared single name is not a match alone; with a birth date, country or IMO
        # number that agrees it is not alone
        total += lifted
        qualifiers["single_name_corroborated"] = round(lifted, 4)
        notes.append(
            "a single name met inside a longer one, but a birth date, country or IMO number "
            "agrees: the single-name rule is lifted"
        )
    name_score = total
    if party.schema == "Vessel":
        total, decided = vessel_adjustment(
            total, query.imo, party.imo_numbers[0] if party.imo_numbers else None
        )
        if query.imo and len(party.imo_numbers) > 1:
            total, decided = (1.0, "imo_match") if imo_agrees else (total, decided)
        qualifiers[decided] = round(total - name_score, 4)
    if birth is not None:
        qualifiers["birth_date"] = birth
        total += birth
    if country is not None:
        qualifiers["country"] = country
        total += country
    if _person_vs_organisation(query.schema, form, party.schema) and not (
        (birth or 0.0) > 0 or imo_agrees
    ):
        lowered = total * PERSON_VS_ORGANISATION
        qualifiers["person_vs_organisation"] = round(lowered - total, 4)
        notes.append(
            f"a {'person' if query.schema == 'Person' else 'company name'} against a listed "
            f"{party.schema}: a name alone does not make them the same party; score lowered"
        )
        total = lowered
    total = max(0.0, min(1.0, total))
    return Match(party, total, Explanation(best, qualifiers, total, notes))


def _person_vs_organisation(query_schema: str | None, form: NameForm, party_schema: str) -> bool:
    """A person query against a listed organisation, or a query named like a company (a
    legal form: Ltd, GmbH, OOO ...) and not said to be a person against a listed person."""
    if query_schema == "Person":
        return party_schema in ORGANISATION_SCHEMATA
    if party_schema == "Person" and query_schema in (None, "Thing", "LegalEntity"):
        forms = terms().legal_forms - _AMBIGUOUS_FORMS
        # as written too: rigour puts "Co., Ltd." in one compare form ("coltd")
        words = {*form.ascii.split(), *_WORD.findall(ascii_text(form.original).lower())}
        return not words.isdisjoint(forms)
    return False


def _birth_date_adjustment(query_date: str, listed: list[str]) -> float:
    """Compare at the precision both sides have: agreeing raises, a different year lowers
    most, the same year with a different month or day lowers less."""
    best = DOB_YEAR_MISMATCH
    for value in listed:
        common = min(len(query_date), len(value))
        if query_date[:common] == value[:common]:
            return DOB_MATCH
        if query_date[:4] == value[:4]:
            best = max(best, DOB_DAY_MISMATCH)
    return best
