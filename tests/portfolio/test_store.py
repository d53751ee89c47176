"""The portfolio store: adding files with broken rows (reported with their line, the rest
loaded), re-adding, updating, one transaction, read-only opens."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sanctionwatch.errors import InputError, StoreError
from sanctionwatch.portfolio.model import RejectedRow
from sanctionwatch.portfolio.rows import EXCERPT_CHARS, content_digest, derived_id
from sanctionwatch.portfolio.store import PortfolioStore
from sanctionwatch.screening.batch_io import MAX_LINE_CHARS
from tests.portfolio.conftest import write

CSV = (
    "id,name,schema,birth_date,nationality,imo,country\n"  # line 1
    "c1,Kim Jong Un,Person,1984-01-08,KP,,\n"  # 2
    ",김정은,Person,,,,\n"  # 3: no id
    "c3,ANGARA,Vessel,,,IMO 9179842,\n"  # 4
    ",,Person,,,,\n"  # 5: empty name
    "c5,Kim Jong Un,Person,08/01/1984,,,\n"  # 6: not an ISO date
    "c6,Jane Q. Nobody,Person,,,,\n"  # 7
    "c7,Ri Pyong Chol,Spaceship,,,,\n"  # 8: unknown schema
    "c8,!!!,,,,,\n"  # 9: no letters
    'c9,"an, extra",Person,,,,,"column"\n'  # 10: more columns than the header
    "c1,Kim Jong Un,Person,1984-01-08,KP,,\n"  # 11: c1 again, same values
    "c1,Kim Jong Il,Person,,,,\n"  # 12: c1 again, other values
)


def state(store: PortfolioStore) -> list[tuple[object, ...]]:
    """Everything the store holds, row by row."""
    return [
        tuple(row)
        for table in ("counterparty", "hit", "rejected", "screen_run")
        for row in store.db.execute(f"SELECT * FROM {table} ORDER BY 1, 2")
    ]


def test_broken_rows_are_reported_with_their_line_and_the_rest_loaded(
    portfolio: PortfolioStore, tmp_path: Path
) -> None:
    source = write(tmp_path / "clients.csv", CSV)
    outcome = portfolio.add(source)
    assert (outcome.added, outcome.updated, outcome.unchanged, outcome.duplicates) == (4, 0, 0, 1)
    assert [(r.line, r.reason) for r in outcome.rejected] == [
        (5, "empty name"),
        (6, "birth_date '08/01/1984' is not an ISO date"),
        (8, "unknown schema 'Spaceship'; use one of Company, LegalEntity, Organization, "
            "Person, Thing, Vessel"),
        (9, "name '!!!' has no letters or digits to compare"),
        (10, "more columns than the header"),
        (12, "id 'c1' already given at line 2 with other values"),
    ]  # fmt: skip
    assert outcome.rows == 11  # every line but the header
    # each rejected row keeps its text, and the store keeps them with the file
    assert outcome.rejected[1].raw == "c5,Kim Jong Un,Person,08/01/1984,,,"
    assert portfolio.rejected() == [(str(source.resolve()), r) for r in outcome.rejected]
    stored = {c.id: c for c in portfolio.counterparties()}
    assert len(stored) == 4 and {"c1", "c3", "c6"} < set(stored)
    assert stored["c1"].name == "Kim Jong Un" and stored["c1"].line == 2  # the first c1 kept
    assert stored["c1"].nationality == "KP"
    [derived] = [c for c in stored.values() if c.id.startswith("row-")]
    assert (derived.name, derived.line) == ("김정은", 3)
    assert derived.id == derived_id(content_digest({"name": "김정은", "schema": "Person"}))
    assert stored["c3"].query().imo == "IMO 9179842"


def test_json_lines_with_broken_lines(portfolio: PortfolioStore, tmp_path: Path) -> None:
    source = write(
        tmp_path / "clients.jsonl",
        '{"id": "j1", "name": "Korea Mining Development Trading Corporation"}\n'
        "\n"
        '{"id": "j2", "name": \n'
        '["not", "an", "object"]\n'
        '{"id": 7, "name": "Ocean Maritime Management", "schema": "Company"}\n'
        '{"name": "' + "x" * (MAX_LINE_CHARS + 10) + '"}\n'
        '{"name": "Chon Ma San", "schema": "Vessel"}\n',
    )
    outcome = portfolio.add(source)
    assert outcome.added == 3
    assert [(r.line, r.reason.split(" (")[0]) for r in outcome.rejected] == [
        (3, "not JSON"),
        (4, "a JSON object per line is needed"),
        (6, f"line longer than {MAX_LINE_CHARS} characters; not read"),
    ]
    assert outcome.rejected[0].raw == '{"id": "j2", "name": '
    assert len(outcome.rejected[2].raw) == EXCERPT_CHARS  # a long line's text is cut
    assert sorted(c.id for c in portfolio.counterparties())[:2] == ["7", "j1"]


def test_adding_the_same_file_again_changes_nothing(
    portfolio: PortfolioStore, tmp_path: Path
) -> None:
    source = write(tmp_path / "clients.csv", CSV)
    portfolio.add(source)
    before = state(portfolio)
    again = portfolio.add(source)
    assert (again.added, again.updated, again.unchanged, len(again.rejected)) == (0, 0, 4, 6)
    assert state(portfolio) == before


def test_an_updated_row_replaces_the_stored_one(portfolio: PortfolioStore, tmp_path: Path) -> None:
    portfolio.add(write(tmp_path / "a.csv", CSV))
    [first] = [r for r in portfolio.rows() if r.id == "c6"]
    update = write(
        tmp_path / "b.csv", "id,name,country\nc6,Jane Q. Somebody,GB\nc10,Chon Ma San,\n"
    )
    outcome = portfolio.add(update)
    assert (outcome.added, outcome.updated, outcome.unchanged) == (1, 1, 0)
    [row] = [r for r in portfolio.rows() if r.id == "c6"]
    assert (row.name, row.country, row.schema) == ("Jane Q. Somebody", "GB", None)
    assert (row.source, row.line, row.added) == (str(update.resolve()), 2, first.added)
    assert row.digest != first.digest and row.screened is None
    assert portfolio.count() == 5
    # a row without an id is known by its values: the same values are the same counterparty
    # (whatever file or line they come from), other values another one
    again = portfolio.add(write(tmp_path / "c.csv", "schema,name\nPerson,김정은\nPerson,김 정은\n"))
    assert (again.added, again.unchanged) == (1, 1)
    assert portfolio.count() == 6


def test_a_file_that_is_not_the_format_adds_nothing(
    portfolio: PortfolioStore, tmp_path: Path
) -> None:
    portfolio.add(write(tmp_path / "a.csv", CSV))
    before = state(portfolio)
    with pytest.raises(InputError, match="needs a 'name' column"):
        portfolio.add(write(tmp_path / "bad.csv", "id,full_name\n1,Kim Jong Un\n"))
    with pytest.raises(InputError, match="no such file"):
        portfolio.add(tmp_path / "missing.csv")
    assert state(portfolio) == before


def test_an_error_midway_rolls_the_whole_file_back(
    portfolio: PortfolioStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One transaction: a failure after some rows were written leaves the store as it was."""
    portfolio.add(write(tmp_path / "a.csv", CSV))
    before = state(portfolio)

    def fail(path: Path, rejected: list[RejectedRow]) -> list[RejectedRow]:
        raise OSError("the disk went away")

    monkeypatch.setattr("sanctionwatch.portfolio.store.fill_excerpts", fail)
    with pytest.raises(OSError, match="went away"):
        portfolio.add(write(tmp_path / "b.csv", "id,name\nn1,New Name\nc6,Jane Changed\n,,\n"))
    assert state(portfolio) == before


def test_a_read_only_open_creates_and_changes_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with PortfolioStore(home, writable=False) as store:
        assert store.count() == 0 and store.hits() == [] and store.last_run() is None
        with pytest.raises(StoreError, match="opened read-only"):
            store.add(write(tmp_path / "a.csv", CSV))
    assert list(home.iterdir()) == []
    with PortfolioStore(home) as store:
        store.add(tmp_path / "a.csv")
    with PortfolioStore(home, writable=False) as store:
        assert store.count() == 4
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.db.execute("DELETE FROM counterparty")
