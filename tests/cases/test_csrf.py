"""CSRF: a write authenticated by the session cookie needs the session's CSRF token and, when
the browser names its origin, this server's origin; a bearer-token write needs neither
(both backends)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.cases import accounts
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.principal import cli_principal
from sanctionwatch.config import Settings
from tests.cases.conftest import bearer

# A write any signed-in user may make, with a JSON body: a token for themself.
WRITE = "/api/me/tokens"


@pytest.fixture
def csrf(api: TestClient, db: CasesDatabase, settings: Settings) -> str:
    """``api`` signed in as analyst ana by cookie; the session's CSRF token."""
    with db.begin() as session:
        accounts.add_user(session, settings, cli_principal(), "ana", "analyst", "pw-ana")
    answer = api.post("/api/login", json={"username": "ana", "password": "pw-ana"})
    assert answer.status_code == 200
    return str(answer.json()["csrf_token"])


def test_a_cookie_write_without_the_token_is_403(api: TestClient, csrf: str) -> None:
    answer = api.post(WRITE, json={})
    assert answer.status_code == 403
    assert "CSRF" in answer.json()["detail"]


def test_a_cookie_write_with_a_wrong_token_is_403(api: TestClient, csrf: str) -> None:
    assert api.post(WRITE, json={}, headers={"X-CSRF-Token": csrf[:-1] + "x"}).status_code == 403
    assert api.post(WRITE, json={}, headers={"X-CSRF-Token": ""}).status_code == 403


def test_another_sessions_token_is_refused(
    api: TestClient, csrf: str, db: CasesDatabase, settings: Settings
) -> None:
    with db.begin() as session:
        accounts.add_user(session, settings, cli_principal(), "bob", "analyst", "pw-bob")
    other = TestClient(api.app, base_url="https://testserver")
    bobs = other.post("/api/login", json={"username": "bob", "password": "pw-bob"}).json()
    assert api.post(WRITE, json={}, headers={"X-CSRF-Token": bobs["csrf_token"]}).status_code == 403


def test_a_cookie_write_with_the_token_is_let_through(api: TestClient, csrf: str) -> None:
    answer = api.post(WRITE, json={"label": "x"}, headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 201
    assert answer.json()["token"].startswith("swt_")


def test_the_readable_csrf_cookie_is_the_token(api: TestClient, csrf: str) -> None:
    assert api.cookies["sw_csrf"] == csrf


def test_reads_need_no_token(api: TestClient, csrf: str) -> None:
    assert api.get("/api/me").status_code == 200


def test_a_form_post_may_carry_the_token_as_a_field(api: TestClient, csrf: str) -> None:
    assert api.post("/api/logout", data={"csrf_token": "wrong"}).status_code == 403
    assert api.get("/api/me").status_code == 200
    assert api.post("/api/logout", data={"csrf_token": csrf}).status_code == 204
    assert api.get("/api/me").status_code == 401


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://testserver", "https://testserver:8443", "null"]
)
def test_a_foreign_origin_is_403_even_with_the_token(
    api: TestClient, csrf: str, origin: str
) -> None:
    headers = {"X-CSRF-Token": csrf, "Origin": origin}
    assert api.post(WRITE, json={}, headers=headers).status_code == 403


def test_the_servers_own_origin_is_let_through(api: TestClient, csrf: str) -> None:
    headers = {"X-CSRF-Token": csrf, "Origin": "https://testserver"}
    assert api.post(WRITE, json={}, headers=headers).status_code == 201


def test_a_foreign_origin_cannot_sign_in(api: TestClient, csrf: str) -> None:
    answer = api.post(
        "/api/login",
        json={"username": "ana", "password": "pw-ana"},
        headers={"Origin": "https://evil.example"},
    )
    assert answer.status_code == 403


def test_bearer_writes_are_exempt(api: TestClient, db: CasesDatabase, settings: Settings) -> None:
    headers = bearer(db, settings, "bob", "analyst")
    assert api.post(WRITE, json={}, headers=headers).status_code == 201
    # even when a session cookie rides along: the bearer token is what authenticated it
    with_cookie = TestClient(api.app, base_url="https://testserver")
    with db.begin() as session:
        accounts.add_user(session, settings, cli_principal(), "ana", "analyst", "pw-ana")
    with_cookie.post("/api/login", json={"username": "ana", "password": "pw-ana"})
    answer = with_cookie.post(WRITE, json={}, headers=headers)
    assert answer.status_code == 201
