"""`GET /api/audit` and `GET /api/audit/verify`: the log and its verdict, for admins only
(both backends)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text

from sanctionwatch.cases import audit
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.principal import Principal
from sanctionwatch.config import Settings
from tests.cases.conftest import bearer

ANA = Principal(1, "ana", "analyst")


def fill(db: CasesDatabase, n: int) -> None:
    for i in range(1, n + 1):
        with db.begin() as session:
            audit.append(session, ANA, "note_added", "case", i, {"note": i})


def test_admins_page_through_the_log_with_hashes(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    admin = bearer(db, settings, "ada", "admin")  # user_added + token_created: entries 1, 2
    fill(db, 5)
    with db.read() as session:
        expected = [audit.export_line(entry) for entry in audit.entries(session)]
        verdict = audit.verify(session)
    answer = api.get("/api/audit", headers=admin)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["entries"] == expected and len(expected) == 7
    assert body["head"] == {"seq": 7, "hash": verdict.head_hash}

    page = api.get("/api/audit", params={"after": 2, "limit": 3}, headers=admin).json()
    assert [entry["seq"] for entry in page["entries"]] == [3, 4, 5]
    assert page["entries"][0]["hash"] == expected[2]["hash"]
    assert page["entries"][0]["prev_hash"] == expected[1]["hash"]
    last = api.get("/api/audit", params={"after": 7}, headers=admin).json()
    assert last["entries"] == [] and last["head"]["seq"] == 7


def test_page_bounds_are_checked(api: TestClient, db: CasesDatabase, settings: Settings) -> None:
    admin = bearer(db, settings, "ada", "admin")
    for params in (
        {"limit": 0},
        {"limit": 1001},
        {"after": -1},
        {"limit": "many"},
        {"after": 2**63},
    ):
        assert api.get("/api/audit", params=params, headers=admin).status_code == 422, params
    assert api.get("/api/audit", params={"limit": 1000}, headers=admin).status_code == 200


def test_default_page_is_a_hundred(api: TestClient, db: CasesDatabase, settings: Settings) -> None:
    admin = bearer(db, settings, "ada", "admin")
    fill(db, 120)
    entries = api.get("/api/audit", headers=admin).json()["entries"]
    assert [entry["seq"] for entry in entries] == list(range(1, 101))


def test_verify_reports_the_first_broken_entry(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    admin = bearer(db, settings, "ada", "admin")
    fill(db, 4)
    intact = api.get("/api/audit/verify", headers=admin)
    assert intact.status_code == 200
    assert intact.json()["intact"] is True and intact.json()["entries"] == 6
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET actor_name = 'eve' WHERE seq = 4"))
    broken = api.get("/api/audit/verify", headers=admin).json()
    assert broken["intact"] is False and broken["broken_at"] == 4 and "edited" in broken["reason"]


def test_only_admins_read_the_log(api: TestClient, db: CasesDatabase, settings: Settings) -> None:
    for path in ("/api/audit", "/api/audit/verify"):
        assert api.get(path).status_code == 401
        assert api.get(path, headers={"Authorization": "Bearer swt_wrong"}).status_code == 401
    analyst = bearer(db, settings, "ana", "analyst")
    viewer = bearer(db, settings, "vic", "viewer")
    for path in ("/api/audit", "/api/audit/verify"):
        assert api.get(path, headers=analyst).status_code == 403
        assert api.get(path, headers=viewer).status_code == 403


def test_a_broken_detail_is_listed_and_reported(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    admin = bearer(db, settings, "ada", "admin")
    fill(db, 3)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET detail = 'not json' WHERE seq = 3"))
        connection.execute(text("UPDATE audit_entry SET detail = '[1]' WHERE seq = 4"))
    page = api.get("/api/audit", headers=admin)
    assert page.status_code == 200
    assert [entry["detail"] for entry in page.json()["entries"]][2:4] == ["not json", [1]]
    verdict = api.get("/api/audit/verify", headers=admin).json()
    assert verdict["broken_at"] == 3 and "edited" in verdict["reason"]
