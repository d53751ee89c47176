"""Case subjects with their evidence as of a stated time, over a real home (AIS, lists,
risk, portfolio, built by the command line as `run` builds it): the snapshot keeps what the
evidence was, a later change is shown as ``changes`` and never merged, a past ``as_of``
leaves out what was not known then; the web server never writes the home (both backends)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from sanctionwatch.cases import audit, subjects
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.models import AuditEntry, CaseSubject
from sanctionwatch.cases.principal import Principal
from sanctionwatch.cli import cli
from sanctionwatch.config import Settings
from sanctionwatch.errors import InputError
from sanctionwatch.screening.engine import Screener
from sanctionwatch.web.app import create_app
from sanctionwatch.web.auth import ApiKeyAuth
from tests.cases.conftest import API_KEY, bearer
from tests.watch_support import CLEAN, LAUNDERED, OFAC_EXCERPT, UN_EXCERPT, write_day

BOOK = "id,name,schema\nc1,Beratex Group Limited,Company\nc2,Acme Tea Traders,Company\n"


def sw(home: Path, *args: str) -> None:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def watched(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home after `run`: the UN list, a day of AIS (SUNNY BAY, which broadcasts CHONG CHON
    GANG's IMO, meets ANGARA at sea), scored, and a portfolio screened. The OFAC list that
    names the ship is NOT loaded: tests load it later, as a change."""
    root = tmp_path_factory.mktemp("watched")
    home = root / "home"
    sw(home, "lists", "load", str(UN_EXCERPT))
    inbox = root / "inbox"
    inbox.mkdir()
    write_day(inbox / "day0.csv")
    sw(home, "run", "--inbox", str(inbox))
    (root / "book.csv").write_text(BOOK, encoding="utf-8")
    sw(home, "portfolio", "add", str(root / "book.csv"))
    sw(home, "portfolio", "screen")
    return home


def client(settings: Settings, db: CasesDatabase, screener: Screener, home: Path) -> TestClient:
    app = create_app(
        dataclasses.replace(settings, home=home),
        auth=ApiKeyAuth.from_key(API_KEY), screener=screener, cases_db=db,
    )  # fmt: skip
    return TestClient(app, base_url="https://testserver")


@pytest.fixture
def on_watched(
    settings: Settings, db: CasesDatabase, screener: Screener, watched: Path
) -> Iterator[TestClient]:
    with client(settings, db, screener, watched) as api:
        yield api


def contents(home: Path) -> dict[str, str]:
    """Every file of a home and its SHA-256 (SQLite's -wal/-shm side files aside)."""
    return {
        str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(home.rglob("*"))
        if p.is_file() and not p.name.endswith(("-wal", "-shm"))
    }


def add(api: TestClient, case_id: int, headers: dict[str, str], **body: Any) -> Any:
    return api.post(f"/api/cases/{case_id}/subjects", json=body, headers=headers)


def test_a_vessel_is_added_with_its_evidence_and_the_home_is_not_written(
    on_watched: TestClient, db: CasesDatabase, settings: Settings, watched: Path
) -> None:
    api = on_watched
    before = contents(watched)
    ana = bearer(db, settings, "ana", "analyst")
    case_id = api.post("/api/cases", json={"title": "t"}, headers=ana).json()["id"]

    made = add(api, case_id, ana, kind="vessel", mmsi=CLEAN)
    assert made.status_code == 201, made.text
    subject = made.json()
    assert (subject["key"], subject["mmsi"], subject["imo"]) == (f"mmsi:{CLEAN}", CLEAN, "9179842")
    snapshot = subject["snapshot"]
    assert snapshot["limits"] == [] and snapshot["sources"]["risk"] == "stored"
    assert len(snapshot["sources"]["risk_inputs_sha256"]) == 64
    assert list(snapshot["sources"]["lists"]) == ["un"]
    [view] = snapshot["vessels"]
    assert view["identity"]["identities"][0]["name"] == "ANGARA"
    met = [e for e in view["events"] if e["type"] == "encounter"]
    assert [(e["mmsi"], e["other_mmsi"]) for e in met] == [(LAUNDERED, CLEAN)]
    assert view["risk"]["level"] == "low"  # the ship it met is not listed (yet)
    stored = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert subject["snapshot_sha256"] == hashlib.sha256(stored.encode()).hexdigest()

    by_imo = add(api, case_id, ana, kind="vessel", imo="IMO 7937317")
    assert by_imo.status_code == 201, by_imo.text
    assert (by_imo.json()["key"], by_imo.json()["mmsi"]) == ("imo:7937317", LAUNDERED)

    shown = api.get(f"/api/cases/{case_id}", headers=ana).json()["subjects"]
    assert [s["snapshot"] for s in shown] == [snapshot, by_imo.json()["snapshot"]]
    assert [s["changes"] for s in shown] == [[], []]  # nothing changed since
    one = api.get(f"/api/cases/{case_id}/subjects/{subject['id']}", headers=ana).json()
    assert one["snapshot"] == snapshot and one["changes"] == []
    assert contents(watched) == before  # read, never written

    with db.read() as session:
        entries = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
        logged = [json.loads(e.detail) for e in entries if e.action == "subject_added"]
        assert audit.verify(session).intact
    assert logged[0]["key"] == f"mmsi:{CLEAN}"
    assert logged[0]["snapshot_sha256"] == subject["snapshot_sha256"]


def test_entities_and_counterparties(
    on_watched: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    api = on_watched
    ana = bearer(db, settings, "ana", "analyst")
    case_id = api.post("/api/cases", json={"title": "t"}, headers=ana).json()["id"]
    entity = add(api, case_id, ana, kind="entity", entity_id="un-kpe-020")
    assert entity.status_code == 201, entity.text
    [record] = entity.json()["snapshot"]["records"]
    assert (record["list"], record["data"]["id"]) == ("un", "un-kpe-020")
    assert "OCEAN MARITIME MANAGEMENT" in " ".join(record["data"]["properties"]["name"])
    party = add(api, case_id, ana, kind="counterparty", counterparty_id="c1")
    assert party.status_code == 201, party.text
    snapshot = party.json()["snapshot"]
    assert snapshot["counterparty"]["name"] == "Beratex Group Limited"
    assert snapshot["hits"] == []  # not on the UN list


def test_bad_subjects_are_refused(
    on_watched: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    api = on_watched
    ana = bearer(db, settings, "ana", "analyst")
    vic = bearer(db, settings, "vic", "viewer")
    case_id = api.post("/api/cases", json={"title": "t"}, headers=ana).json()["id"]
    assert add(api, case_id, ana, kind="vessel", mmsi=LAUNDERED).status_code == 201
    again = add(api, case_id, ana, kind="vessel", mmsi=LAUNDERED)
    assert again.status_code == 409
    cases = [
        ({"kind": "vessel", "mmsi": 999999999}, 404),  # never seen
        ({"kind": "vessel", "imo": "1234567"}, 404),
        ({"kind": "entity", "entity_id": "ofac-17069"}, 404),  # OFAC is not loaded
        ({"kind": "counterparty", "counterparty_id": "nobody"}, 404),
        ({"kind": "ship", "mmsi": CLEAN}, 422),
        ({"kind": "vessel"}, 422),
        ({"kind": "vessel", "mmsi": CLEAN, "imo": "9179842"}, 422),
        ({"kind": "vessel", "mmsi": 12345}, 422),
        ({"kind": "vessel", "imo": "12"}, 422),
        ({"kind": "entity"}, 422),
        ({"kind": "entity", "entity_id": "x" * 201}, 422),
        ({"kind": "vessel", "mmsi": CLEAN, "as_of": "2999-01-01T00:00:00Z"}, 422),
        ({"kind": "vessel", "mmsi": CLEAN, "as_of": "2024-03-01T00:00:00"}, 422),  # no zone
        ({"kind": "vessel", "mmsi": CLEAN, "as_of": "yesterday"}, 422),
    ]
    for body, status in cases:
        assert add(api, case_id, ana, **body).status_code == status, body
    assert add(api, case_id, vic, kind="vessel", mmsi=CLEAN).status_code == 403
    assert add(api, 999, ana, kind="vessel", mmsi=CLEAN).status_code == 404
    assert api.get(f"/api/cases/{case_id}/subjects/999", headers=ana).status_code == 404
    with db.read() as session:
        assert len(session.execute(select(CaseSubject)).all()) == 1


def test_a_past_as_of_leaves_out_what_was_not_known_then(
    on_watched: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    api = on_watched
    ana = bearer(db, settings, "ana", "analyst")
    case_id = api.post("/api/cases", json={"title": "t"}, headers=ana).json()["id"]
    # Three hours into the day of AIS, long before the UN list was loaded (today).
    made = add(api, case_id, ana, kind="vessel", mmsi=CLEAN, as_of="2024-03-01T03:00:00+00:00")
    assert made.status_code == 201, made.text
    snapshot = made.json()["snapshot"]
    assert snapshot["as_of"] == "2024-03-01T03:00:00Z" and snapshot["limits"]
    assert snapshot["sources"]["lists"] == {}  # no list loaded yet at the time
    [view] = snapshot["vessels"]
    assert {e["type"] for e in view["events"]} == {"encounter", "loitering"}  # began at 00:00
    assert view["risk"]["links"] == []
    # The changes since are shown apart: the list loaded since.
    [shown] = api.get(f"/api/cases/{case_id}", headers=ana).json()["subjects"]
    assert shown["snapshot"] == snapshot
    assert {"change": "list_version", "list": "un", "before": None, "after": "2026-02-27"} in (
        shown["changes"]
    )
    before = add(api, case_id, ana, kind="vessel", mmsi=LAUNDERED, as_of="2024-02-01T00:00:00Z")
    [early] = before.json()["snapshot"]["vessels"]
    assert early["events"] == [] and early["identity"]["identities"] == []
    assert add(api, case_id, ana, kind="entity", entity_id="un-kpe-020",
               as_of="2024-02-01T00:00:00Z").status_code == 404  # fmt: skip


def test_later_changes_are_shown_as_changes_never_merged(
    settings: Settings, db: CasesDatabase, screener: Screener, watched: Path, tmp_path: Path
) -> None:
    home = tmp_path / "changing"
    shutil.copytree(watched, home)
    with client(settings, db, screener, home) as api:
        ana = bearer(db, settings, "ana", "analyst")
        case_id = api.post("/api/cases", json={"title": "t"}, headers=ana).json()["id"]
        ship = add(api, case_id, ana, kind="vessel", mmsi=LAUNDERED).json()
        party = add(api, case_id, ana, kind="counterparty", counterparty_id="c1").json()
        entity = add(api, case_id, ana, kind="entity", entity_id="un-kpe-020").json()
        assert ship["snapshot"]["vessels"][0]["risk"]["links"] == []

        # Later: OFAC's list names the ship's IMO and the company; two days on they meet again.
        sw(home, "lists", "load", str(OFAC_EXCERPT))
        inbox = tmp_path / "inbox"
        inbox.mkdir()
        write_day(inbox / "day2.csv", day=2)
        sw(home, "run", "--inbox", str(inbox))

        shown = {
            s["id"]: s for s in api.get(f"/api/cases/{case_id}", headers=ana).json()["subjects"]
        }
    now = shown[ship["id"]]
    assert now["snapshot"] == ship["snapshot"]  # kept as taken
    assert now["snapshot_sha256"] == ship["snapshot_sha256"]
    changes = now["changes"]
    kinds = {c["change"] for c in changes}
    assert {"list_version", "new_link", "risk_score", "risk_level", "new_event"} <= kinds
    assert {"change": "list_version", "list": "ofac_sdn", "before": None,
            "after": "2024-05-03"} in changes  # fmt: skip
    new_links = {
        (c["list"], c["entity_id"], c["via"]) for c in changes if c["change"] == "new_link"
    }
    assert ("ofac_sdn", "ofac-17069", "imo") in new_links
    level = next(c for c in changes if c["change"] == "risk_level")
    assert (level["before"], level["after"]) == ("low", "high")
    events = [c for c in changes if c["change"] == "new_event"]
    assert {(e["type"], e["start"][:10]) for e in events} >= {("encounter", "2024-03-03")}

    party_changes = shown[party["id"]]["changes"]
    hits = {c["entity_id"] for c in party_changes if c["change"] == "new_hit"}
    assert "ofac-27194" in hits
    assert shown[party["id"]]["snapshot"]["hits"] == []
    assert [c for c in shown[entity["id"]]["changes"] if c["list"] != "ofac_sdn"] == []


def test_the_library_call_that_triage_uses(
    settings: Settings, db: CasesDatabase, watched: Path
) -> None:
    on_home = dataclasses.replace(settings, home=watched)
    ana = Principal(None, "cli:ana", "admin")
    with db.begin() as session:
        from sanctionwatch.cases.cases import create_case

        case = create_case(session, ana, "from an alert")
        subject = subjects.add_subject(session, on_home, ana, case.id, "vessel", mmsi=CLEAN)
        assert (subject.subject_key, subject.kind) == (f"mmsi:{CLEAN}", "vessel")
    with db.begin() as session, pytest.raises(InputError):
        subjects.add_subject(session, on_home, ana, case.id, "vessel")


def test_stale_scores_are_computed_in_memory_and_said_so(
    settings: Settings, db: CasesDatabase, screener: Screener, watched: Path, tmp_path: Path
) -> None:
    """New AIS ingested but not scored yet: the server computes risk in memory (it never
    writes the home's stores) and the snapshot records that it did."""
    home = tmp_path / "stale"
    shutil.copytree(watched, home)
    sw(home, "ais", "ingest", str(write_day(tmp_path / "day2.csv", day=2)))
    before = contents(home)
    with client(settings, db, screener, home) as api:
        ana = bearer(db, settings, "ana", "analyst")
        case_id = api.post("/api/cases", json={"title": "t"}, headers=ana).json()["id"]
        made = add(api, case_id, ana, kind="vessel", mmsi=CLEAN)
        assert made.status_code == 201, made.text
        assert api.get(f"/api/cases/{case_id}", headers=ana).status_code == 200
    sources = made.json()["snapshot"]["sources"]
    assert (sources["risk"], sources["risk_inputs_sha256"]) == ("computed in memory", None)
    assert contents(home) == before
