"""Alert triage as a library: the home's alerts filtered and sorted with the team's current
decision on each, decisions recorded all-or-nothing and audited, history kept (both
backends)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from sanctionwatch.cases import audit
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.errors import Conflict, NotFound
from sanctionwatch.cases.models import AlertTriage, AuditEntry, CaseFile
from sanctionwatch.cases.principal import Principal, cli_principal
from sanctionwatch.cases.triage import (
    get_alert,
    list_alerts,
    read_if_present,
    triage,
    triage_history,
)
from sanctionwatch.cli import cli
from sanctionwatch.config import Settings
from sanctionwatch.errors import InputError
from tests.cases.alerts_support import CLEAN_IMO, LAUNDERED_IMO, seed_alerts
from tests.watch_support import CLEAN, LAUNDERED

ANA = Principal(None, "ana", "analyst")
SEEN, RISK, MET, BOOK = (
    ("sanctioned_vessel_seen", LAUNDERED),
    ("risk_high", CLEAN),
    ("encounter_with_sanctioned", CLEAN),
    ("portfolio_match", None),
)


def ids_of(items: list[dict[str, object]]) -> list[object]:
    return [item["id"] for item in items]


def test_filters_sorts_and_pages(settings: Settings, db: CasesDatabase) -> None:
    ids = seed_alerts(settings.home)
    with db.read() as s:
        total, items = list_alerts(s, settings)
        assert total == 4 and ids_of(items) == [ids[BOOK], ids[MET], ids[RISK], ids[SEEN]]
        assert {item["status"] for item in items} == {"new"}
        assert {item["triage"] for item in items} == {None}
        assert items[3]["subject"] == {
            "kind": "vessel", "mmsi": LAUNDERED, "imo": LAUNDERED_IMO, "name": "SUNNY BAY",
        }  # fmt: skip
        assert ids_of(list_alerts(s, settings, rule="risk_high")[1]) == [ids[RISK]]
        assert ids_of(list_alerts(s, settings, severity="medium")[1]) == [ids[RISK]]
        assert ids_of(list_alerts(s, settings, vessel=str(CLEAN))[1]) == [ids[MET], ids[RISK]]
        assert ids_of(list_alerts(s, settings, vessel=f"IMO {CLEAN_IMO}")[1]) == [
            ids[MET], ids[RISK],
        ]  # fmt: skip
        assert ids_of(list_alerts(s, settings, vessel=str(LAUNDERED_IMO))[1]) == [ids[SEEN]]
        assert ids_of(
            list_alerts(s, settings, since="2024-03-02", until="2024-03-03T06:00:00Z")[1]
        ) == [ids[RISK]]
        assert ids_of(list_alerts(s, settings, sort="created", order="asc")[1]) == [
            ids[SEEN], ids[RISK], ids[MET], ids[BOOK],
        ]  # fmt: skip
        # Highest severity first, newest first among equals.
        assert ids_of(list_alerts(s, settings, sort="severity")[1]) == [
            ids[BOOK], ids[MET], ids[SEEN], ids[RISK],
        ]  # fmt: skip
        assert ids_of(list_alerts(s, settings, sort="rule", order="asc")[1]) == [
            ids[MET], ids[BOOK], ids[RISK], ids[SEEN],
        ]  # fmt: skip
        assert list_alerts(s, settings, limit=2, offset=1) == (
            4, list_alerts(s, settings)[1][1:3],
        )  # fmt: skip
        for bad in ({"status": "closed"}, {"vessel": "12345"}, {"since": "yesterday"},
                    {"sort": "score"}, {"severity": "urgent"}):  # fmt: skip
            with pytest.raises(InputError):
                list_alerts(s, settings, **bad)  # type: ignore[arg-type]


def test_accept_into_a_new_case_then_an_existing_one(settings: Settings, db: CasesDatabase) -> None:
    ids = seed_alerts(settings.home)
    with db.begin() as s:
        done = triage(s, settings, ANA, [ids[SEEN]], "accepted", new_case_title="SUNNY BAY")
    assert done.case_id is not None
    # No AIS in this home: the vessel is named, not added as a subject without evidence.
    assert (done.subjects_added, done.vessels_unknown) == ([], [LAUNDERED])
    [first] = done.records
    assert (first["alert_id"], first["decision"], first["case_id"], first["by"]) == (
        ids[SEEN], "accepted", done.case_id, "ana",
    )  # fmt: skip
    with db.begin() as s:
        again = triage(s, settings, ANA, [ids[MET], ids[RISK]], "accepted", case_id=done.case_id)
    assert again.case_id == done.case_id and again.vessels_unknown == [CLEAN]
    with db.read() as s:
        assert s.get(CaseFile, done.case_id).title == "SUNNY BAY"  # type: ignore[union-attr]
        assert s.scalar(select(func.count()).select_from(CaseFile)) == 1
        accepted = list_alerts(s, settings, status="accepted")[1]
        assert ids_of(accepted) == [ids[MET], ids[RISK], ids[SEEN]]
        assert {a["triage"]["case_id"] for a in accepted} == {done.case_id}
        assert ids_of(list_alerts(s, settings, status="new")[1]) == [ids[BOOK]]
        assert list_alerts(s, settings, status="dismissed") == (0, [])
        # The audit log holds the case and one entry per alert, with its fingerprint.
        assert audit.verify(s).intact
        logged = audit.entries(s)
        assert [e.action for e in logged] == ["case_created", *["alert_triaged"] * 3]
        assert logged[1].target_id == str(ids[SEEN])
        assert '"fingerprint": "' in logged[1].detail
        assert f'"case_id": {done.case_id}' in logged[1].detail


def test_decisions_are_checked_before_anything_is_stored(
    settings: Settings, db: CasesDatabase
) -> None:
    ids = seed_alerts(settings.home)
    refused = [
        ({"decision": "dismissed"}, InputError, "needs a reason"),
        ({"decision": "dismissed", "reason": "   "}, InputError, "needs a reason"),
        ({"decision": "accepted"}, InputError, "either case_id"),
        ({"decision": "accepted", "case_id": 1, "new_case_title": "x"}, InputError, "either"),
        ({"decision": "unsure", "case_id": 1}, InputError, "only an accepted alert"),
        ({"decision": "closed"}, InputError, "not one of"),
        ({"decision": "accepted", "case_id": 999}, NotFound, "no case 999"),
        ({"decision": "unsure", "reason": "x" * 2001}, InputError, "at most 2000"),
        ({"decision": "accepted", "new_case_title": "x" * 301}, InputError, "1 to 300"),
    ]
    for kwargs, error, message in refused:
        with pytest.raises(error, match=message), db.begin() as s:
            triage(s, settings, ANA, [ids[SEEN]], **kwargs)  # type: ignore[arg-type]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(AlertTriage)) == 0
        assert audit.entries(s) == []


def test_a_bulk_triage_with_one_unknown_alert_stores_nothing(
    settings: Settings, db: CasesDatabase
) -> None:
    ids = seed_alerts(settings.home)
    with pytest.raises(NotFound, match="no alert 4242: nothing was triaged"), db.begin() as s:
        triage(s, settings, ANA, [*ids.values(), 4242], "accepted", new_case_title="all")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(AlertTriage)) == 0
        assert s.scalar(select(func.count()).select_from(CaseFile)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0
    with db.begin() as s:
        done = triage(s, settings, cli_principal(), [*ids.values(), ids[SEEN]], "unsure")
    assert len(done.records) == 4 and done.case_id is None  # the repeated id counted once
    with db.read() as s:
        assert list_alerts(s, settings, status="unsure")[0] == 4
        assert audit.verify(s).entries == 4


def test_triage_again_keeps_the_history_and_the_latest_counts(
    settings: Settings, db: CasesDatabase
) -> None:
    ids = seed_alerts(settings.home)
    with db.begin() as s:
        triage(s, settings, ANA, [ids[RISK]], "unsure")
    with db.begin() as s:
        triage(s, settings, ANA, [ids[RISK]], "dismissed", reason="ANGARA's gap is an outage")
    with db.read() as s:
        history = triage_history(s, ids[RISK])
        assert [h["decision"] for h in history] == ["unsure", "dismissed"]
        assert history[1]["reason"] == "ANGARA's gap is an outage"
        one = get_alert(s, settings, ids[RISK])
        assert one["status"] == "dismissed" and one["history"] == history
        assert one["triage"] == history[-1]
        assert list_alerts(s, settings, status="unsure") == (0, [])
        assert ids_of(list_alerts(s, settings, status="dismissed")[1]) == [ids[RISK]]
        with pytest.raises(NotFound, match="no alert 4242"):
            get_alert(s, settings, 4242)


def test_a_decision_on_another_alert_of_the_same_id_does_not_count(
    settings: Settings, db: CasesDatabase
) -> None:
    """The alert store was replaced (its ids numbered anew): the decision taken on the old
    alert numbered like this one is not this alert's."""
    ids = seed_alerts(settings.home)
    with db.begin() as s:
        triage(s, settings, ANA, [ids[SEEN]], "dismissed", reason="seen before")
    with sqlite3.connect(settings.home / "alerts.sqlite") as alerts:
        alerts.execute("UPDATE alert SET fingerprint = 'another' WHERE id = ?", [ids[SEEN]])
    alerts.close()
    with db.read() as s:
        assert ids[SEEN] in ids_of(list_alerts(s, settings, status="new")[1])
        [seen] = list_alerts(s, settings, rule="sanctioned_vessel_seen")[1]
        assert (seen["status"], seen["triage"]) == ("new", None)
        assert list_alerts(s, settings, status="dismissed") == (0, [])
        assert get_alert(s, settings, ids[SEEN])["status"] == "new"


def test_a_closed_case_takes_no_more_alerts(settings: Settings, db: CasesDatabase) -> None:
    ids = seed_alerts(settings.home)
    with db.begin() as s:
        case_id = triage(s, settings, ANA, [ids[SEEN]], "accepted", new_case_title="t").case_id
        s.get(CaseFile, case_id).status = "closed"  # type: ignore[union-attr]
    with pytest.raises(Conflict, match="is closed"), db.begin() as s:
        triage(s, settings, ANA, [ids[MET]], "accepted", case_id=case_id)


def test_a_home_without_a_cases_database_gets_none_created(settings: Settings) -> None:
    with read_if_present(settings) as session:
        assert session is None
    assert not (settings.home / "cases.sqlite").exists()
    with CasesDatabase.open(settings):
        pass
    with read_if_present(settings) as session:
        assert session is not None
        assert list_alerts(session, settings) == (0, [])


def test_alerts_list_shows_the_latest_decision(settings: Settings, db: CasesDatabase) -> None:
    """The command line's `alerts list` keeps its keys; its status is the team's decision."""
    ids = seed_alerts(settings.home)
    with db.begin() as s:
        triage(s, settings, ANA, [ids[SEEN]], "accepted", new_case_title="SUNNY BAY")
        triage(s, settings, ANA, [ids[RISK]], "unsure")
    with db.begin() as s:
        triage(s, settings, ANA, [ids[RISK]], "dismissed", reason="an outage")
    env = {"SANCTIONWATCH_DATABASE_URL": settings.database_url}  # None: unset (SQLite)

    def listed(*options: str, code: int = 0) -> list[dict[str, object]]:
        args = ["--home", str(settings.home), "alerts", "list", *options]
        result = CliRunner().invoke(cli, args, env=env)
        assert result.exit_code == code, result.output
        return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]

    everything = listed()
    assert [(a["id"], a["status"]) for a in everything] == [
        (ids[BOOK], "new"), (ids[MET], "new"), (ids[RISK], "dismissed"), (ids[SEEN], "accepted"),
    ]  # fmt: skip
    assert {frozenset(a) for a in everything} == {
        frozenset({"id", "rule", "title", "severity", "subject", "summary", "evidence",
                   "status", "created"})
    }  # fmt: skip
    assert ids_of(listed("--status", "new")) == [ids[BOOK], ids[MET]]
    assert ids_of(listed("--status", "accepted")) == [ids[SEEN]]
    assert listed("--status", "unsure") == []
    listed("--status", "closed", code=2)
