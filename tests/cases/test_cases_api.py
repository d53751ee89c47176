"""Cases over the API: create, list (filters, paging, newest first), read, change with an
optimistic version (409 on a stale one), assignees, roles, bad input (both backends)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import select

from sanctionwatch.cases import audit
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.models import AlertTriage, AuditEntry
from sanctionwatch.config import Settings
from tests.cases.conftest import bearer


def actions(db: CasesDatabase) -> list[tuple[str, dict[str, object]]]:
    with db.read() as session:
        rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()
        return [(e.action, json.loads(e.detail)) for e in rows]


def test_an_analyst_creates_and_reads_a_case(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    made = api.post(
        "/api/cases", json={"title": "  SUNNY BAY  ", "description": "why"}, headers=ana
    )
    assert made.status_code == 201, made.text
    case = made.json()
    assert (case["title"], case["status"], case["version"], case["created_by"]) == (
        "SUNNY BAY", "open", 1, "ana",
    )  # fmt: skip
    got = api.get(f"/api/cases/{case['id']}", headers=ana).json()
    assert got["title"] == "SUNNY BAY" and got["description"] == "why"
    assert got["subjects"] == got["notes"] == got["attachments"] == got["alerts"] == []
    assert got["assignees"] == []
    assert actions(db)[-1] == ("case_created", {"title": "SUNNY BAY"})


def test_viewers_read_but_cannot_write_and_strangers_get_401(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    vic = bearer(db, settings, "vic", "viewer")
    case_id = api.post("/api/cases", json={"title": "t"}, headers=ana).json()["id"]
    assert api.get("/api/cases", headers=vic).status_code == 200
    assert api.get(f"/api/cases/{case_id}", headers=vic).status_code == 200
    assert api.post("/api/cases", json={"title": "x"}, headers=vic).status_code == 403
    patch = {"version": 1, "status": "closed"}
    assert api.patch(f"/api/cases/{case_id}", json=patch, headers=vic).status_code == 403
    assert api.get("/api/cases").status_code == 401
    assert api.get(f"/api/cases/{case_id}").status_code == 401


def test_bad_input_is_refused(api: TestClient, db: CasesDatabase, settings: Settings) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    huge = api.post("/api/cases", json={"title": "x" * 100_000}, headers=ana)
    assert huge.status_code == 422 and "title" in huge.json()["detail"]
    assert api.post("/api/cases", json={"title": " "}, headers=ana).status_code == 422
    assert api.post("/api/cases", json={}, headers=ana).status_code == 422
    assert api.post("/api/cases", json={"title": "t", "x": 1}, headers=ana).status_code == 422
    body = b'{"title": "' + b"x" * (1 << 20) + b'"}'
    over = api.post("/api/cases", content=body, headers={**ana, "Content-Type": "application/json"})
    assert over.status_code == 413
    assert api.get("/api/cases/999", headers=ana).status_code == 404
    assert api.get("/api/cases/abc", headers=ana).status_code == 422
    assert api.patch("/api/cases/999", json={"version": 1}, headers=ana).status_code == 404
    for params in ({"status": "pending"}, {"limit": 0}, {"limit": 501}, {"offset": -1}):
        assert api.get("/api/cases", params=params, headers=ana).status_code == 422, params
    with db.read() as session:
        assert audit.verify(session).entries == 2  # the user and the token only


def test_list_filters_pages_and_orders_newest_first(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    bearer(db, settings, "bob", "analyst")
    titles = ["Tanker A", "tanker 50%", "Bulk carrier", "Ferry", "TANKER_C"]
    ids = [api.post("/api/cases", json={"title": t}, headers=ana).json()["id"] for t in titles]
    assert api.patch(
        f"/api/cases/{ids[1]}", json={"version": 1, "status": "closed", "assignees": ["bob"]},
        headers=ana,
    ).status_code == 200  # fmt: skip

    every = api.get("/api/cases", headers=ana).json()
    assert [c["id"] for c in every["cases"]] == ids[::-1] and every["total"] == 5
    tankers = api.get("/api/cases", params={"q": "tanker"}, headers=ana).json()
    assert [c["title"] for c in tankers["cases"]] == ["TANKER_C", "tanker 50%", "Tanker A"]
    # LIKE's wildcards in q are taken literally.
    percent = api.get("/api/cases", params={"q": "50%"}, headers=ana).json()["cases"]
    assert [c["id"] for c in percent] == [ids[1]]
    underscore = api.get("/api/cases", params={"q": "r_c"}, headers=ana).json()["cases"]
    assert [c["id"] for c in underscore] == [ids[4]]
    closed = api.get("/api/cases", params={"status": "closed"}, headers=ana).json()["cases"]
    assert [c["id"] for c in closed] == [ids[1]]
    bobs = api.get("/api/cases", params={"assignee": "bob"}, headers=ana).json()["cases"]
    assert [c["id"] for c in bobs] == [ids[1]] and bobs[0]["assignees"] == ["bob"]
    page = api.get("/api/cases", params={"limit": 2, "offset": 2}, headers=ana).json()
    assert [c["id"] for c in page["cases"]] == [ids[2], ids[1]] and page["total"] == 5


def test_patch_needs_the_current_version_and_is_audited(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    bearer(db, settings, "bob", "analyst")
    case_id = api.post("/api/cases", json={"title": "t"}, headers=ana).json()["id"]
    url = f"/api/cases/{case_id}"

    change = {"version": 1, "title": "new", "status": "in_review", "assignees": ["bob", "ana"]}
    changed = api.patch(url, json=change, headers=ana)
    assert changed.status_code == 200, changed.text
    assert changed.json()["version"] == 2 and changed.json()["assignees"] == ["ana", "bob"]
    action, detail = actions(db)[-1]
    assert action == "case_updated"
    assert detail == {"title": "new", "status_from": "open", "status": "in_review",
                      "assignees": ["ana", "bob"], "version": 2}  # fmt: skip

    # Someone who read version 1 is refused, not merged; nothing changes.
    stale = api.patch(url, json={"version": 1, "title": "mine"}, headers=ana)
    assert stale.status_code == 409 and "version 2" in stale.json()["detail"]
    assert api.get(url, headers=ana).json()["title"] == "new"
    assert api.patch(url, json={"status": "closed"}, headers=ana).status_code == 422  # no version

    unknown = api.patch(url, json={"version": 2, "assignees": ["nobody"]}, headers=ana)
    assert unknown.status_code == 422 and "nobody" in unknown.json()["detail"]
    assert api.patch(url, json={"version": 2, "status": "done"}, headers=ana).status_code == 422
    cleared = api.patch(url, json={"version": 2, "assignees": []}, headers=ana).json()
    assert cleared["assignees"] == [] and cleared["version"] == 3
    same = api.patch(url, json={"version": 3, "title": "new"}, headers=ana).json()
    assert same["version"] == 3  # nothing changed: no new version, no entry
    assert [a for a, _ in actions(db)].count("case_updated") == 2
    with db.read() as session:
        assert audit.verify(session).intact


def test_the_alerts_triaged_into_a_case_are_shown(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ana = bearer(db, settings, "ana", "analyst")
    case_id = api.post("/api/cases", json={"title": "t"}, headers=ana).json()["id"]
    with db.begin() as session:
        session.add(AlertTriage(alert_id=7, alert_fingerprint="f", decision="accepted",
                                case_id=case_id, by_name="ana", at_ms=5))  # fmt: skip
    alerts = api.get(f"/api/cases/{case_id}", headers=ana).json()["alerts"]
    assert alerts == [
        {"alert_id": 7, "decision": "accepted", "reason": None, "by": "ana", "at_ms": 5}
    ]
