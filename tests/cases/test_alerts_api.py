"""The alerts API: list, filter and sort the home's alerts with their decisions; triage one
or many (analysts only), all-or-nothing and audited (both backends)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sanctionwatch.cases import audit
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.config import Settings
from tests.cases.alerts_support import seed_alerts
from tests.cases.conftest import bearer
from tests.watch_support import CLEAN, LAUNDERED

SEEN, RISK, MET, BOOK = (
    ("sanctioned_vessel_seen", LAUNDERED),
    ("risk_high", CLEAN),
    ("encounter_with_sanctioned", CLEAN),
    ("portfolio_match", None),
)


def ids_of(answer: dict[str, object]) -> list[object]:
    return [item["id"] for item in answer["items"]]  # type: ignore[attr-defined]


def test_list_filter_sort_and_page(api: TestClient, db: CasesDatabase, settings: Settings) -> None:
    ids = seed_alerts(settings.home)
    viewer = bearer(db, settings, "vera", "viewer")
    assert api.get("/api/alerts").status_code == 401
    everything = api.get("/api/alerts", headers=viewer).json()
    assert everything["total"] == 4
    assert ids_of(everything) == [ids[BOOK], ids[MET], ids[RISK], ids[SEEN]]
    first = everything["items"][3]
    assert set(first) == {
        "id", "rule", "title", "severity", "subject", "summary", "evidence", "status",
        "created", "triage",
    }  # fmt: skip
    assert (first["status"], first["triage"], first["created"]) == (
        "new", None, "2024-03-01T06:00:00Z",
    )  # fmt: skip
    assert first["subject"]["name"] == "SUNNY BAY"
    queries = {
        "vessel=7937317": [ids[SEEN]],
        f"vessel={CLEAN}&sort=created&order=asc": [ids[RISK], ids[MET]],
        "severity=high&sort=rule&order=asc": [ids[MET], ids[BOOK], ids[SEEN]],
        "since=2024-03-02&until=2024-03-04": [ids[MET], ids[RISK]],
        "rule=portfolio_match": [ids[BOOK]],
        "sort=severity&limit=2&offset=1": [ids[MET], ids[SEEN]],
    }
    for query, expected in queries.items():
        answer = api.get(f"/api/alerts?{query}", headers=viewer).json()
        assert ids_of(answer) == expected, query
    assert api.get("/api/alerts?limit=1", headers=viewer).json()["total"] == 4
    for bad in ("status=closed", "limit=0", "limit=1001", "sort=score", "vessel=12",
                "since=yesterday", "offset=-1", "severity=urgent"):  # fmt: skip
        assert api.get(f"/api/alerts?{bad}", headers=viewer).status_code == 422, bad


def test_accept_into_a_new_case_then_an_existing_one(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ids = seed_alerts(settings.home)
    ana = bearer(db, settings, "ana", "analyst")
    answer = api.post(
        f"/api/alerts/{ids[SEEN]}/triage",
        json={"decision": "accepted", "new_case_title": "SUNNY BAY is CHONG CHON GANG"},
        headers=ana,
    )
    assert answer.status_code == 200, answer.text
    case_id = answer.json()["case_id"]
    record = answer.json()["triage"]
    assert (record["alert_id"], record["decision"], record["case_id"], record["by"]) == (
        ids[SEEN], "accepted", case_id, "ana",
    )  # fmt: skip
    bulk = api.post(
        "/api/alerts/triage",
        json={"alert_ids": [ids[MET], ids[RISK]], "decision": "accepted", "case_id": case_id},
        headers=ana,
    )
    assert bulk.status_code == 200, bulk.text
    assert [r["alert_id"] for r in bulk.json()["triaged"]] == [ids[MET], ids[RISK]]
    assert bulk.json()["case_id"] == case_id
    accepted = api.get("/api/alerts?status=accepted", headers=ana).json()
    assert ids_of(accepted) == [ids[MET], ids[RISK], ids[SEEN]]
    assert {item["triage"]["case_id"] for item in accepted["items"]} == {case_id}
    assert ids_of(api.get("/api/alerts?status=new", headers=ana).json()) == [ids[BOOK]]
    one = api.get(f"/api/alerts/{ids[SEEN]}", headers=ana).json()
    assert one["status"] == "accepted" and [h["decision"] for h in one["history"]] == ["accepted"]
    with db.read() as s:
        assert audit.verify(s).intact
        logged = [(e.action, e.target_id, e.actor_name, e.actor_id) for e in audit.entries(s)]
    triaged = [e for e in logged if e[0] == "alert_triaged"]
    assert [e[1] for e in triaged] == [str(ids[SEEN]), str(ids[MET]), str(ids[RISK])]
    assert {e[2] for e in triaged} == {"ana"} and triaged[0][3] is not None
    assert [e[0] for e in logged].count("case_created") == 1


def test_bad_decisions_are_422_and_store_nothing(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ids = seed_alerts(settings.home)
    ana = bearer(db, settings, "ana", "analyst")
    url = f"/api/alerts/{ids[RISK]}/triage"
    for body in (
        {"decision": "dismissed"},
        {"decision": "dismissed", "reason": ""},
        {"decision": "dismissed", "reason": "x" * 2001},
        {"decision": "accepted", "new_case_title": "x" * 100_000},
        {"decision": "accepted"},
        {"decision": "accepted", "case_id": 1, "new_case_title": "both"},
        {"decision": "closed"},
        {"decision": "unsure", "owner": "me"},
        {"decision": "unsure", "case_id": "one"},
    ):
        assert api.post(url, json=body, headers=ana).status_code == 422, body
    assert api.post(url, json={"decision": "accepted", "case_id": 77}, headers=ana).status_code == (
        404
    )
    assert (
        api.post(
            "/api/alerts/triage", json={"alert_ids": [], "decision": "unsure"}, headers=ana
        ).status_code
        == 422
    )
    too_many = {"alert_ids": list(range(1, 502)), "decision": "unsure"}
    assert api.post("/api/alerts/triage", json=too_many, headers=ana).status_code == 422
    assert api.get("/api/alerts?status=new", headers=ana).json()["total"] == 4
    ok = api.post(url, json={"decision": "dismissed", "reason": "an outage"}, headers=ana)
    assert ok.status_code == 200 and ok.json()["case_id"] is None
    assert ok.json()["triage"]["reason"] == "an outage"
    with db.read() as s:
        assert [e.action for e in audit.entries(s)] == [
            "user_added", "token_created", "alert_triaged",
        ]  # fmt: skip


def test_a_bulk_triage_with_an_unknown_alert_is_404_and_stores_nothing(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ids = seed_alerts(settings.home)
    ana = bearer(db, settings, "ana", "analyst")
    with db.read() as s:
        before = audit.verify(s).entries
    answer = api.post(
        "/api/alerts/triage",
        json={"alert_ids": [*ids.values(), 9999], "decision": "accepted", "new_case_title": "t"},
        headers=ana,
    )
    assert answer.status_code == 404
    assert answer.json()["detail"] == "no alert 9999: nothing was triaged"
    single = api.post("/api/alerts/9999/triage", json={"decision": "unsure"}, headers=ana)
    assert single.status_code == 404
    assert api.get("/api/alerts/9999", headers=ana).status_code == 404
    assert api.get("/api/alerts?status=new", headers=ana).json()["total"] == 4
    with db.read() as s:
        assert audit.verify(s).entries == before


def test_a_viewer_reads_but_cannot_triage(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    ids = seed_alerts(settings.home)
    viewer = bearer(db, settings, "vera", "viewer")
    one = api.post(f"/api/alerts/{ids[SEEN]}/triage", json={"decision": "unsure"}, headers=viewer)
    many = api.post(
        "/api/alerts/triage", json={"alert_ids": [ids[SEEN]], "decision": "unsure"}, headers=viewer
    )
    assert (one.status_code, many.status_code) == (403, 403)
    assert api.post(f"/api/alerts/{ids[SEEN]}/triage", json={"decision": "unsure"}).status_code == (
        401
    )
    assert api.get(f"/api/alerts/{ids[SEEN]}", headers=viewer).json()["history"] == []
    assert api.get("/api/alerts?status=unsure", headers=viewer).json() == {"total": 0, "items": []}
