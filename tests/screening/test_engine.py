"""Screening against the real bundled lists: candidates, scores, qualifiers, explanations,
provenance, and bad queries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctionwatch.config import Settings
from sanctionwatch.errors import InputError
from sanctionwatch.lists.store import ListStore
from sanctionwatch.screening.engine import Screener
from sanctionwatch.screening.index import build_index, load_index
from sanctionwatch.screening.model import Query
from sanctionwatch.screening.service import open_screener


@pytest.fixture(scope="module")
def home(screening_home: Path) -> Path:
    return screening_home


@pytest.fixture(scope="module")
def screener(home: Path) -> Iterator[Screener]:
    yield open_screener(Settings(home=home))


def _top(screener: Screener, query: Query) -> tuple[str, str, float]:
    [best, *_] = screener.screen(query)
    return best.party.list_name, best.party.record_id, best.score


def test_known_dprk_names_are_found_with_their_list_records(screener: Screener) -> None:
    matches = screener.screen(Query("Kim Jong-un", schema="Person"))
    assert ("ofac_sdn", "20157") in {(m.party.list_name, m.party.record_id) for m in matches}
    komid = screener.screen(Query("KOMID"))
    assert ("un", "KPe.001") in {(m.party.list_name, m.party.record_id) for m in komid}
    # OFAC 9345 gives KOMID as a weak a.k.a. only, which alone does not alert (issue 11)
    assert ("ofac_sdn", "9345") not in {(m.party.list_name, m.party.record_id) for m in komid}
    weak = screener.screen(Query("KOMID"), threshold=0.0, limit=50)
    assert any(
        m.party.record_id == "9345" and "weak_alias_alone" in m.explanation.qualifiers for m in weak
    )
    record = komid[0].to_json()["records"][0]
    assert set(record) == {"list", "id"}


def test_vessels_imo_decides_and_a_name_alone_is_weaker(screener: Screener) -> None:
    assert _top(screener, Query("ANGARA", schema="Vessel", imo="9179842")) == (
        "ofac_sdn",
        "37059",
        1.0,
    )
    by_name = screener.screen(Query("ANGARA", schema="Vessel"))
    assert by_name and by_name[0].party.record_id == "37059" and by_name[0].score < 1.0
    # the other ANGARA, IMO 9124043, is not the sanctioned ship
    other = screener.screen(Query("ANGARA", schema="Vessel", imo="9124043"))
    assert all(m.party.record_id != "37059" for m in other)


def test_birth_date_and_nationality_raise_or_lower(screener: Screener) -> None:
    plain = _top(screener, Query("Kim Jong Un", schema="Person"))[2]
    agreeing = _top(screener, Query("Kim Jong Un", schema="Person", birth_date="1984-01-08"))[2]
    assert agreeing > plain or agreeing == 1.0
    other_year = screener.screen(Query("Kim Jong Un", schema="Person", birth_date="1962"))
    assert all(m.score < plain for m in other_year if m.party.record_id == "20157")
    [match, *_] = screener.screen(Query("Kim Jong Un", schema="Person", birth_date="1984-01-08"))
    assert match.explanation.qualifiers["birth_date"] > 0


def test_explanations_say_which_names_met(screener: Screener) -> None:
    [match, *_] = screener.screen(Query("Korea Mining Development Trading Corp"))
    why = match.to_json()["explanation"]
    assert why["matched_name"].upper().startswith("KOREA MINING DEVELOPMENT")
    assert why["matched_property"] in ("name", "alias")
    assert why["total"] == match.to_json()["score"]
    assert "name_score" in why and "qualifiers" in why


def test_schema_filters_candidates(screener: Screener) -> None:
    vessels = screener.screen(Query("KUM UN SAN 3", schema="Vessel"))
    assert vessels and all(m.party.schema == "Vessel" for m in vessels)
    assert vessels[0].party.record_id == "23163"
    assert all(m.party.record_id != "23517" for m in vessels)  # KUM UN SAN, no number


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (Query(""), "empty name"),
        (Query("   \t "), "empty name"),
        (Query("...---..."), "no letters or digits"),
        (Query("Kim Jong Un", schema="Spaceship"), "unknown schema"),
    ],
)
def test_bad_queries_get_a_clear_error(screener: Screener, query: Query, message: str) -> None:
    with pytest.raises(InputError, match=message):
        screener.screen(query)


def test_huge_and_control_character_names_are_screened(screener: Screener) -> None:
    assert screener.screen(Query("A" * 10_000)) == []
    matches = screener.screen(Query("KIM\x00 JONG\x07 UN", schema="Person"))
    assert matches and matches[0].party.record_id == "20157"


def test_the_index_is_saved_and_rebuilt_when_lists_change(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "index.pickle"
    with ListStore(home / "lists.sqlite") as store:
        first = load_index(store, path)
        assert path.exists()
        again = load_index(store, path)
        assert again.signature == first.signature
        assert len(again.parties) == len(build_index(store).parties) == len(first.parties)


def test_an_index_that_cannot_be_saved_is_used_all_the_same(home: Path, tmp_path: Path) -> None:
    # A home that cannot be written (here: the index's folder is a file) still screens.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    with ListStore(home / "lists.sqlite") as store:
        index = load_index(store, blocker / "index.pickle")
        assert len(index.parties) == len(build_index(store).parties)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]


def test_a_name_in_chinese_characters_finds_its_korean_listing(screener: Screener) -> None:
    [match, *_] = screener.screen(Query("金正恩", schema="Person"))
    assert (match.party.list_name, match.party.record_id) == ("ofac_sdn", "20157")
    assert match.explanation.name.method == "korean"


def test_the_python_api_screens_against_a_home(home: Path) -> None:
    import sanctionwatch

    matches = sanctionwatch.screen("Kim Jong Un", schema="Person", home=home)
    assert matches[0].party.record_id == "20157"
    results = list(
        sanctionwatch.screen_batch(
            [Query("KOMID"), Query(""), Query("ANGARA", imo="9179842")], home=home
        )
    )
    assert [type(r).__name__ for _, r in results] == ["list", "InputError", "list"]
    assert results[2][1][0].score == 1.0


def test_a_mandarin_reading_finds_the_korean_listing(screener: Screener) -> None:
    matches = screener.screen(Query("Cui Longhai", schema="Person"))
    assert ("ofac_sdn", "23213") in {(m.party.list_name, m.party.record_id) for m in matches}
    best = next(m for m in matches if m.party.record_id == "23213")
    assert best.explanation.name.method == "pinyin"


def test_a_name_in_mixed_scripts_is_screened(screener: Screener) -> None:
    matches = screener.screen(Query("Kim Jong Un (김정은)", schema="Person"))
    assert matches and matches[0].party.record_id == "20157"
