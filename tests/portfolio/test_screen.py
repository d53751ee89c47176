"""Screening the portfolio: hits with their evidence, and what changed since the screen
before (new, changed, removed), on the real lists and across a real list update."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sanctionwatch.lists.loader import load_batches
from sanctionwatch.lists.store import ListStore
from sanctionwatch.portfolio.model import PortfolioHit
from sanctionwatch.portfolio.screen import diff_hits, screen_portfolio, signature_text
from sanctionwatch.portfolio.store import PortfolioStore
from sanctionwatch.screening.engine import Screener
from sanctionwatch.screening.index import build_index
from tests.conftest import UN_2018, UN_2026
from tests.portfolio.conftest import write

CLIENTS = (
    "id,name,schema,imo\n"
    "c1,Kim Jong Un,Person,\n"
    "c2,김정은,Person,\n"
    "c3,ANGARA,Vessel,IMO 9179842\n"
    "c4,Jane Q. Nobody,Person,\n"
    "c5,Korea Mining Development Trading Corporation,,\n"
)


def signature(screener: Screener) -> str:
    return signature_text(screener.index.signature)


def test_first_screen_finds_new_hits_and_a_second_one_no_change(
    portfolio: PortfolioStore, screener: Screener, tmp_path: Path
) -> None:
    portfolio.add(write(tmp_path / "clients.csv", CLIENTS))
    first = screen_portfolio(portfolio, screener, signature(screener))
    assert first.screened == 5 and first.errors == [] and first.removed == []
    by_client = {(h.counterparty_id, h.list, h.record) for h in first.hits}
    assert {("c1", "ofac_sdn", "20157"), ("c2", "ofac_sdn", "20157")} <= by_client
    assert ("c3", "ofac_sdn", "37059") in by_client
    assert "c4" not in {h.counterparty_id for h in first.hits}
    assert {"un", "ofac_sdn"} <= {h.list for h in first.hits if h.counterparty_id == "c5"}
    assert all(h.score >= 0.7 for h in first.hits)
    assert [(c.counterparty_id, c.entity_id) for c in first.changes] == [
        (h.counterparty_id, h.entity_id) for h in first.hits
    ]
    assert {c.change for c in first.changes} == {"new"}
    [kim] = [c for c in first.changes if c.counterparty_id == "c1" and c.record == "20157"]
    assert (kim.counterparty_name, kim.caption, kim.list, kim.score) == (
        "Kim Jong Un", "KIM, Jong Un", "ofac_sdn", 1.0,
    )  # fmt: skip
    record, screening = kim.evidence
    assert record == {
        "kind": "list_record",
        "list": "ofac_sdn",
        "record": "20157",
        "entity_id": kim.entity_id,
        "version": "2024-05-03",
    }
    assert screening["kind"] == "screening" and screening["score"] == 1.0
    assert screening["explanation"]["matched_name"] == "KIM, Jong Un"

    stored = portfolio.hits()
    assert stored == first.hits
    second = screen_portfolio(portfolio, screener, signature(screener))
    assert (second.changes, second.removed) == ([], [])
    assert second.hits == stored == portfolio.hits()
    run = portfolio.last_run()
    assert run is not None and run.id == 2 and (run.new, run.hits) == (0, len(stored))
    assert all(row.screened == run.finished for row in portfolio.rows())


def test_one_party_on_two_lists_is_two_hits(
    portfolio: PortfolioStore, screener: Screener, tmp_path: Path
) -> None:
    """Finding (bench_portfolio.py on every bundled list): OFAC's SDN and non-SDN lists give
    Sberbank the same entity id (ofac-17018), and storing the second hit failed the whole
    screen on the hit table's key."""
    portfolio.add(write(tmp_path / "clients.csv", "id,name\nsber,Sberbank of Russia\n"))
    first = screen_portfolio(portfolio, screener, signature(screener))
    sber = {(h.list, h.entity_id) for h in first.hits}
    assert {("ofac_sdn", "ofac-17018"), ("ofac_cons", "ofac-17018")} <= sber
    assert {(c.list, c.entity_id, c.change) for c in first.changes} >= {
        ("ofac_sdn", "ofac-17018", "new"), ("ofac_cons", "ofac-17018", "new"),
    }  # fmt: skip
    assert portfolio.hits() == first.hits
    again = screen_portfolio(portfolio, screener, signature(screener))
    assert (again.changes, again.removed) == ([], [])


def test_several_processes_find_the_same_hits(
    portfolio: PortfolioStore, screener: Screener, tmp_path: Path
) -> None:
    portfolio.add(write(tmp_path / "clients.csv", CLIENTS))
    one = screen_portfolio(portfolio, screener, signature(screener), workers=1)
    two = screen_portfolio(portfolio, screener, signature(screener), workers=2)
    assert two.hits == one.hits and two.changes == [] and two.screened == 5


def test_an_updated_counterparty_whose_score_moves_is_changed(
    portfolio: PortfolioStore, screener: Screener, tmp_path: Path
) -> None:
    portfolio.add(write(tmp_path / "clients.csv", CLIENTS))
    screen_portfolio(portfolio, screener, signature(screener))
    # c1 now has a birth year: not the listed one's
    update = "id,name,schema,birth_date\nc1,Kim Jong Un,Person,1990\n"
    portfolio.add(write(tmp_path / "update.csv", update))
    result = screen_portfolio(portfolio, screener, signature(screener))
    changed = [c for c in result.changes if c.counterparty_id == "c1"]
    assert changed and {c.change for c in changed} == {"changed"}
    [kim] = [c for c in changed if c.record == "20157"]
    assert kim.score < 1.0
    assert kim.evidence[1]["explanation"]["qualifiers"]["birth_date"] < 0
    assert [c for c in result.changes if c.counterparty_id != "c1"] == []


def test_a_list_update_makes_hits_new_and_removes_others(tmp_path: Path) -> None:
    """UN 2018-10-29 -> 2026-02-27: Jimmy Cherizier (HTi.001) was listed in between, Rasheed
    Bank (IQe.004) delisted; KOMID (KPe.001) is on both."""
    home = tmp_path / "home"
    home.mkdir()
    clients = write(
        tmp_path / "clients.csv",
        "id,name\nhaiti,Jimmy Cherizier\nbank,Rasheed Bank\nkomid,Korea Mining Development "
        "Trading Corporation\nnobody,Jane Q. Nobody\n",
    )
    with ListStore(home / "lists.sqlite") as lists, PortfolioStore(home) as portfolio:
        portfolio.add(clients)
        load_batches(lists, [[UN_2018]])
        old = Screener(build_index(lists))
        before = screen_portfolio(portfolio, old, signature(old))
        assert {(h.counterparty_id, h.record) for h in before.hits} == {
            ("bank", "IQe.004"),
            ("komid", "KPe.001"),
        }
        load_batches(lists, [[UN_2026]])
        new = Screener(build_index(lists))
        assert signature(new) != signature(old)
        after = screen_portfolio(portfolio, new, signature(new))
    assert [(c.counterparty_id, c.record, c.change) for c in after.changes] == [
        ("haiti", "HTi.001", "new")
    ]
    assert [(h.counterparty_id, h.record) for h in after.removed] == [("bank", "IQe.004")]
    assert {(h.counterparty_id, h.record) for h in after.hits} == {
        ("haiti", "HTi.001"),
        ("komid", "KPe.001"),
    }
    [komid] = [h for h in after.hits if h.counterparty_id == "komid"]
    assert komid.version == "2026-02-27"  # the hit now cites the version it was found in


def test_a_counterparty_that_cannot_be_screened_is_an_error_not_the_end(
    portfolio: PortfolioStore, screener: Screener, tmp_path: Path
) -> None:
    portfolio.add(write(tmp_path / "clients.csv", CLIENTS))
    # as a portfolio stored by an older version, whose schemata differ, may hold
    portfolio.db.execute("UPDATE counterparty SET schema = 'Spaceship' WHERE id = 'c2'")
    result = screen_portfolio(portfolio, screener, signature(screener))
    assert result.errors == [
        ("c2", "unknown schema 'Spaceship'; use one of Company, LegalEntity, Organization, "
               "Person, Thing, Vessel")
    ]  # fmt: skip
    assert result.screened == 5 and "c1" in {h.counterparty_id for h in result.hits}


def _hit(**change: object) -> PortfolioHit:
    hit = PortfolioHit(
        "c1", "Ri", "un-kpi-1", "RI", "Person", "un", "KPi.1", "2026", 0.8, {"explanation": {}}
    )
    return replace(hit, **change)  # type: ignore[arg-type]


def test_changes_are_new_changed_record_or_score_and_removed() -> None:
    before = [_hit(), _hit(entity_id="un-kpi-2"), _hit(entity_id="un-kpi-3")]
    after = [
        _hit(),  # unchanged
        _hit(entity_id="un-kpi-2", record="KPi.2b"),  # record changed
        _hit(entity_id="un-kpi-4"),  # new
        _hit(counterparty_id="c2", entity_id="un-kpi-3"),  # new: another counterparty
        _hit(entity_id="un-kpi-1", version="2027"),  # a new version alone: unchanged
    ]
    changes, removed = diff_hits(before, after[:4])
    assert [(c.counterparty_id, c.entity_id, c.change) for c in changes] == [
        ("c1", "un-kpi-2", "changed"),
        ("c1", "un-kpi-4", "new"),
        ("c2", "un-kpi-3", "new"),
    ]
    assert removed == [before[2]]
    assert diff_hits(before[:1], [_hit(score=0.81)])[0][0].change == "changed"
    assert diff_hits(before[:1], after[4:]) == ([], [])
