"""GET /api/vessels/{mmsi} over a real home: the OFAC excerpt loaded, a day of AIS in which
CHONG CHON GANG's IMO, broadcast as "SUNNY BAY", meets ANGARA at sea (tests/watch_support.py).
Stored risk when the home is up to date, risk computed now (nothing written) when it is not;
both backends (the cases database holds the callers' tokens)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from sanctionwatch.cases import audit
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.models import CaseSubject
from sanctionwatch.cli import cli
from sanctionwatch.config import Settings
from sanctionwatch.screening.engine import Screener
from sanctionwatch.web.app import create_app
from sanctionwatch.web.auth import ApiKeyAuth
from tests.cases.conftest import API_KEY, FAST_HASHING, bearer
from tests.watch_support import CLEAN, FERRY, LAUNDERED, OFAC_EXCERPT, write_day


def sw(home: Path, *args: str) -> None:
    result = CliRunner(env={"SANCTIONWATCH_DATABASE_URL": None}).invoke(
        cli, ["--home", str(home), *args]
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two homes with the same data: one brought up to date by `run`, one only ingested
    and detected (its scores not stored)."""
    built = {}
    for name in ("run", "ingested"):
        root = tmp_path_factory.mktemp(f"vessels-{name}")
        home = root / "home"
        sw(home, "lists", "load", str(OFAC_EXCERPT))
        day = write_day(root / "day0.csv")
        if name == "run":
            inbox = root / "inbox"
            inbox.mkdir()
            day.rename(inbox / day.name)
            sw(home, "run", "--inbox", str(inbox))
        else:
            sw(home, "ais", "ingest", str(day))
            sw(home, "detect", "--out", str(root / "events.jsonl"))
        built[name] = home
    return built


def client_on(
    home: Path, settings: Settings, db: CasesDatabase, screener: Screener
) -> Iterator[TestClient]:
    """The API over ``home`` whose cases database is the test's (``settings``')."""
    url = settings.database_url or f"sqlite:///{settings.home / 'cases.sqlite'}"
    on_home = Settings(home=home, database_url=url, cookie_secure="never", **FAST_HASHING)  # type: ignore[arg-type]
    app = create_app(on_home, auth=ApiKeyAuth.from_key(API_KEY), screener=screener, cases_db=db)
    with TestClient(app, base_url="https://testserver") as client:
        yield client


@pytest.fixture
def on_run(
    homes: dict[str, Path], settings: Settings, db: CasesDatabase, screener: Screener
) -> Iterator[TestClient]:
    yield from client_on(homes["run"], settings, db, screener)


@pytest.fixture
def on_ingested(
    homes: dict[str, Path], settings: Settings, db: CasesDatabase, screener: Screener
) -> Iterator[TestClient]:
    yield from client_on(homes["ingested"], settings, db, screener)


def contents(home: Path) -> dict[Path, bytes]:
    """What the home's stores hold: every file but what a reader may leave (SQLite's
    shared-memory index, an empty write-ahead log) and the caches of derived data that any
    reader refreshes atomically (``*.pickle``: the screening index, the listed vessels)."""
    found = {}
    for path in home.rglob("*"):
        if not path.is_file() or path.suffix in (".sqlite-shm", ".pickle"):
            continue
        if path.suffix == ".sqlite-wal" and path.stat().st_size == 0:
            continue
        found[path] = path.read_bytes()
    return found


def test_a_vessel_with_its_identity_links_risk_and_events(
    on_run: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    viewer = bearer(db, settings, "vera", "viewer")
    answer = on_run.get(f"/api/vessels/{LAUNDERED}", headers=viewer)
    assert answer.status_code == 200, answer.text
    view = answer.json()
    assert set(view) == {"mmsi", "identity", "risk", "flags", "events", "risk_stored"}
    assert view["mmsi"] == LAUNDERED and view["risk_stored"] is True
    assert view["identity"]["identities"][0]["name"] == "SUNNY BAY"
    assert view["risk"]["level"] == "high"
    link = next(k for k in view["risk"]["links"] if k["via"] == "imo")
    assert (link["list"], link["record"], link["caption"]) == (
        "ofac_sdn",
        "17069",
        "CHONG CHON GANG",
    )
    assert "sanctioned_identity" in {f["factor"] for f in view["risk"]["factors"]}
    assert [e["type"] for e in view["events"]] == ["encounter", "loitering"]
    assert view["events"][0]["other_mmsi"] == CLEAN
    ferry = on_run.get(f"/api/vessels/{FERRY}", headers=viewer).json()
    assert ferry["risk"]["level"] == "low" and ferry["events"] == []


def test_unknown_and_malformed_mmsis(
    on_run: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    viewer = bearer(db, settings, "vera", "viewer")
    assert on_run.get(f"/api/vessels/{LAUNDERED}").status_code == 401
    unknown = on_run.get("/api/vessels/412000001", headers=viewer)
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "MMSI 412000001 is not in the AIS store"
    for bad in ("35200123", "3520012345", "IMO7937317", "35200123x", "-35200123"):
        assert on_run.get(f"/api/vessels/{bad}", headers=viewer).status_code == 422, bad


def test_a_home_not_up_to_date_is_scored_in_memory_and_not_written(
    on_ingested: TestClient, on_run: TestClient, homes: dict[str, Path], db: CasesDatabase,
    settings: Settings,
) -> None:  # fmt: skip
    viewer = bearer(db, settings, "vera", "viewer")
    home = homes["ingested"]
    before = contents(home)
    computed = on_ingested.get(f"/api/vessels/{CLEAN}", headers=viewer).json()
    assert contents(home) == before
    stored = on_run.get(f"/api/vessels/{CLEAN}", headers=viewer).json()
    assert computed["risk_stored"] is False and stored["risk_stored"] is True
    assert computed["risk"]["factors"][0]["factor"] == "encounter"
    assert computed["risk"] == stored["risk"]


def test_accepted_alerts_bring_their_vessels_into_the_case(
    on_run: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    """The alerts `run` raised on the real home; accepting them adds each vessel once, with
    its evidence snapshot."""
    ana = bearer(db, settings, "ana", "analyst")
    alerts = on_run.get("/api/alerts?sort=created&order=asc", headers=ana).json()["items"]
    by_rule = {(a["rule"], a["subject"]["mmsi"]): a["id"] for a in alerts}
    seen = by_rule[("sanctioned_vessel_seen", LAUNDERED)]
    met = by_rule[("encounter_with_sanctioned", CLEAN)]
    first = on_run.post(
        f"/api/alerts/{seen}/triage",
        json={"decision": "accepted", "new_case_title": "SUNNY BAY"},
        headers=ana,
    ).json()
    assert (first["subjects_added"], first["vessels_unknown"]) == ([LAUNDERED], [])
    more = on_run.post(
        "/api/alerts/triage",
        json={"alert_ids": [met, seen], "decision": "accepted", "case_id": first["case_id"]},
        headers=ana,
    ).json()
    assert (more["subjects_added"], more["vessels_unknown"]) == ([CLEAN], [])
    with db.read() as s:
        rows = s.execute(
            select(CaseSubject.subject_key, CaseSubject.snapshot).where(
                CaseSubject.case_id == first["case_id"]
            )
        ).all()
        assert [e.action for e in audit.entries(s)].count("subject_added") == 2
        assert audit.verify(s).intact
    assert sorted(key for key, _ in rows) == [f"mmsi:{LAUNDERED}", f"mmsi:{CLEAN}"]
    snapshot = json.loads(dict(rows)[f"mmsi:{LAUNDERED}"])
    assert snapshot["vessels"][0]["risk"]["level"] == "high"
