"""Rules on what a name match may rest on (issue 11), against the real bundled lists: a weak
alias never carries a match alone, and a person is not an organisation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctionwatch.config import Settings
from sanctionwatch.screening.engine import DEFAULT_THRESHOLD, Match, Screener
from sanctionwatch.screening.model import Query
from sanctionwatch.screening.service import open_screener


@pytest.fixture(scope="module")
def screener(screening_home: Path) -> Iterator[Screener]:
    yield open_screener(Settings(home=screening_home))


def _scored(screener: Screener, query: Query, record_id: str) -> Match:
    """The listed party ``record_id`` of OFAC as scored for ``query``, alert or not."""
    found = [
        m
        for m in screener.screen(query, threshold=0.0, limit=100)
        if (m.party.list_name, m.party.record_id) == ("ofac_sdn", record_id)
    ]
    assert found, f"OFAC {record_id} not among the candidates of {query.name!r}"
    return found[0]


def _alerts(screener: Screener, query: Query) -> set[str]:
    return {m.party.record_id for m in screener.screen(query) if m.party.list_name == "ofac_sdn"}


# OFAC 15911: KHAKI, Parviz, born 1968-08-26, weak a.k.a. MARTIN.
# OFAC 30650: SARAYA AL-MUKHTAR, weak a.k.a.s AMB and SAM.


@pytest.mark.parametrize(
    ("name", "record_id"), [("Jon Martin", "15911"), ("Sam Roy", "30650"), ("Martin", "15911")]
)
def test_a_weak_alias_alone_does_not_alert(screener: Screener, name: str, record_id: str) -> None:
    assert record_id not in _alerts(screener, Query(name, schema="Person"))
    assert record_id not in _alerts(screener, Query(name))
    match = _scored(screener, Query(name), record_id)
    why = match.to_json()["explanation"]
    assert why["matched_property"] == "weakAlias"
    assert why["qualifiers"]["weak_alias_alone"] < 0
    assert match.score < DEFAULT_THRESHOLD
    assert any("weak alias" in note for note in why["notes"])


def test_a_weak_alias_with_an_agreeing_birth_date_still_alerts(screener: Screener) -> None:
    query = Query("Jon Martin", schema="Person", birth_date="1968-08-26")
    assert "15911" in _alerts(screener, query)
    why = _scored(screener, query, "15911").explanation
    assert "weak_alias_alone" not in why.qualifiers
    assert why.qualifiers["birth_date"] > 0
    # a birth date that disagrees is no support
    assert "15911" not in _alerts(screener, Query("Jon Martin", birth_date="1975"))


def test_a_strong_name_of_the_same_party_is_unaffected(screener: Screener) -> None:
    match = _scored(screener, Query("Parviz Khaki", schema="Person"), "15911")
    assert match.explanation.name.matched_property == "name"
    assert "weak_alias_alone" not in match.explanation.qualifiers
    assert match.score >= 0.95


@pytest.mark.parametrize(
    ("name", "record_id"),
    [("Denise Yang", "17829"), ("KOMID", "9345"), ("Saraya al-Mukhtar", "30650")],
)
def test_a_person_query_does_not_alert_on_an_organisation(
    screener: Screener, name: str, record_id: str
) -> None:
    assert record_id not in _alerts(screener, Query(name, schema="Person"))
    match = _scored(screener, Query(name, schema="Person"), record_id)
    assert match.party.schema == "LegalEntity"
    assert match.explanation.qualifiers["person_vs_organisation"] < 0
    assert match.score < DEFAULT_THRESHOLD
    # without a schema the query may be the firm: the rule does not apply
    assert (
        "person_vs_organisation"
        not in _scored(screener, Query(name), record_id).explanation.qualifiers
    )
    if name == "Saraya al-Mukhtar":
        assert record_id in _alerts(screener, Query(name))


def test_a_company_name_without_schema_does_not_alert_on_a_person(screener: Screener) -> None:
    for schema in (None, "LegalEntity"):
        query = Query("Kim Jong Un Trading Co., Ltd.", schema=schema)
        assert "20157" not in _alerts(screener, query)
        match = _scored(screener, query, "20157")
        assert match.explanation.qualifiers["person_vs_organisation"] < 0
        assert match.score < DEFAULT_THRESHOLD
    # the person's own name, with no schema, still alerts at full strength
    assert _scored(screener, Query("Kim Jong Un"), "20157").score >= 0.95
    assert "20157" in _alerts(screener, Query("Kim Jong Un"))
