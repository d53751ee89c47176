"""Web sessions: signing in sets the right cookies, the cookie authenticates, and a session
ends on sign-out, on expiry and when its user is disabled (both backends)."""

from __future__ import annotations

import dataclasses
from http.cookies import SimpleCookie

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from sanctionwatch.cases import accounts, audit
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.models import WebSession
from sanctionwatch.cases.principal import cli_principal
from sanctionwatch.config import Settings
from sanctionwatch.screening.engine import Screener
from sanctionwatch.web.app import create_app
from sanctionwatch.web.auth import ApiKeyAuth
from tests.cases.conftest import API_KEY, bearer


def add_user(db: CasesDatabase, settings: Settings, name: str, role: str) -> None:
    with db.begin() as session:
        accounts.add_user(session, settings, cli_principal(), name, role, f"pw-{name}")


def sign_in(client: TestClient, name: str) -> str:
    """Sign ``name`` in on ``client`` (cookies kept by the client); the CSRF token."""
    answer = client.post("/api/login", json={"username": name, "password": f"pw-{name}"})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["csrf_token"])


def set_cookie_headers(answer: object) -> dict[str, dict[str, str | bool]]:
    """Each Set-Cookie of a response by cookie name: its attributes, lower-cased."""
    found: dict[str, dict[str, str | bool]] = {}
    for header in answer.headers.get_list("set-cookie"):  # type: ignore[attr-defined]
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            found[name] = {
                "value": morsel.value,
                "httponly": bool(morsel["httponly"]),
                "secure": bool(morsel["secure"]),
                "samesite": str(morsel["samesite"]).lower(),
                "path": morsel["path"],
            }
    return found


def test_sign_in_answers_the_user_and_the_cookie_authenticates(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    add_user(db, settings, "ana", "analyst")
    answer = api.post("/api/login", json={"username": "ana", "password": "pw-ana"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["user"] == {"name": "ana", "role": "analyst"}
    cookies = set_cookie_headers(answer)
    assert cookies["sw_csrf"]["value"] == body["csrf_token"]
    assert cookies["sw_session"]["value"] not in body.values()
    assert api.get("/api/me").json() == {"name": "ana", "role": "analyst"}
    with db.read() as session:
        logins = [
            (e.actor_name, e.target_id) for e in audit.entries(session) if e.action == "login"
        ]
        stored = session.execute(select(WebSession.token_sha256)).scalars().all()
    assert logins == [("ana", "ana")]
    # only the token's SHA-256 is stored
    assert stored == [accounts.token_digest(str(cookies["sw_session"]["value"]))]


def test_wrong_password_is_401_and_sets_no_cookie(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    add_user(db, settings, "ana", "analyst")
    answer = api.post("/api/login", json={"username": "ana", "password": "pw-bob"})
    assert answer.status_code == 401
    assert "set-cookie" not in answer.headers
    assert api.get("/api/me").status_code == 401


def test_cookie_flags(api: TestClient, db: CasesDatabase, settings: Settings) -> None:
    add_user(db, settings, "ana", "analyst")
    cookies = set_cookie_headers(
        api.post("/api/login", json={"username": "ana", "password": "pw-ana"})
    )
    assert cookies["sw_session"]["httponly"] is True
    assert cookies["sw_csrf"]["httponly"] is False  # the pages' scripts read it
    for cookie in cookies.values():
        assert cookie["samesite"] == "strict"
        assert cookie["path"] == "/"
        assert cookie["secure"] is False  # the fixture's settings say cookie_secure = never


@pytest.mark.parametrize(
    ("base_url", "secure"),
    [
        ("https://testserver", True),
        ("https://127.0.0.1", True),
        ("http://testserver", True),  # plain http to a remote name: Secure all the same
        ("http://127.0.0.1:8000", False),  # a browser on this machine over plain http
        ("http://localhost", False),
        ("http://[::1]:8000", False),
    ],
)
def test_cookies_are_secure_unless_plain_http_on_loopback(
    settings: Settings, db: CasesDatabase, screener: Screener, base_url: str, secure: bool
) -> None:
    auto = dataclasses.replace(settings, cookie_secure="auto")
    add_user(db, auto, "ana", "analyst")
    app = create_app(auto, auth=ApiKeyAuth.from_key(API_KEY), screener=screener, cases_db=db)
    with TestClient(app, base_url=base_url) as client:
        answer = client.post("/api/login", json={"username": "ana", "password": "pw-ana"})
    cookies = set_cookie_headers(answer)
    assert {name: c["secure"] for name, c in cookies.items()} == {
        "sw_session": secure,
        "sw_csrf": secure,
    }


def test_cookie_secure_always_even_on_loopback_http(
    settings: Settings, db: CasesDatabase, screener: Screener
) -> None:
    always = dataclasses.replace(settings, cookie_secure="always")
    add_user(db, always, "ana", "analyst")
    app = create_app(always, auth=ApiKeyAuth.from_key(API_KEY), screener=screener, cases_db=db)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        answer = client.post("/api/login", json={"username": "ana", "password": "pw-ana"})
    assert set_cookie_headers(answer)["sw_session"]["secure"] is True


def test_logout_ends_the_session_even_for_a_replayed_cookie(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    add_user(db, settings, "ana", "analyst")
    csrf = sign_in(api, "ana")
    cookie = api.cookies["sw_session"]
    answer = api.post("/api/logout", headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 204
    assert set(set_cookie_headers(answer)) == {"sw_session", "sw_csrf"}  # both cleared
    replay = TestClient(api.app, base_url="https://testserver", cookies={"sw_session": cookie})
    assert replay.get("/api/me").status_code == 401
    with db.read() as session:
        assert session.execute(select(WebSession)).first() is None
        actions = [e.action for e in audit.entries(session)]
    assert actions[-2:] == ["login", "logout"]


def test_an_expired_session_is_401(api: TestClient, db: CasesDatabase, settings: Settings) -> None:
    add_user(db, settings, "ana", "analyst")
    sign_in(api, "ana")
    assert api.get("/api/me").status_code == 200
    with db.begin() as session:
        session.execute(update(WebSession).values(expires_ms=audit.now_ms() - 1))
    answer = api.get("/api/me")
    assert answer.status_code == 401
    assert "session" in answer.json()["detail"]


def test_the_session_lasts_session_ttl_seconds(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    add_user(db, settings, "ana", "analyst")
    before = audit.now_ms()
    sign_in(api, "ana")
    with db.read() as session:
        created, expires = session.execute(
            select(WebSession.created_ms, WebSession.expires_ms)
        ).one()
    ttl_ms = int(settings.session_ttl_seconds * 1000)
    assert before + ttl_ms <= expires == created + ttl_ms


def test_a_disabled_users_session_and_token_are_401(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    headers = bearer(db, settings, "ana", "analyst")
    sign_in(api, "ana")
    assert api.get("/api/me").status_code == 200
    assert api.get("/api/me", headers=headers).status_code == 200
    admin = bearer(db, settings, "boss", "admin")
    assert api.patch("/api/users/ana", json={"disabled": True}, headers=admin).status_code == 200
    assert api.get("/api/me").status_code == 401
    assert api.get("/api/me", headers=headers).status_code == 401
    assert api.post("/api/login", json={"username": "ana", "password": "pw-ana"}).status_code == 401


def test_bearer_token_wins_over_a_cookie(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    add_user(db, settings, "ana", "analyst")
    sign_in(api, "ana")
    viewer = bearer(db, settings, "vic", "viewer")
    assert api.get("/api/me", headers=viewer).json()["name"] == "vic"
    bad = {"Authorization": "Bearer swt_not-a-token"}
    assert api.get("/api/me", headers=bad).status_code == 401  # never falls back to the cookie


MATCH = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim Jong Un"]}}}}


def test_team_members_may_screen_and_the_api_key_still_works(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    key = {"Authorization": f"ApiKey {API_KEY}"}
    assert api.post("/match/default", json=MATCH, headers=key).status_code == 200
    viewer = bearer(db, settings, "vic", "viewer")
    assert api.post("/match/default", json=MATCH, headers=viewer).status_code == 200
    assert api.get("/search/default?q=kim", headers=viewer).status_code == 200
    add_user(db, settings, "ana", "analyst")
    csrf = sign_in(api, "ana")
    assert api.get("/search/default?q=kim").status_code == 200
    assert api.post("/match/default", json=MATCH).status_code == 403  # no CSRF token
    answer = api.post("/match/default", json=MATCH, headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 200


def test_screening_refuses_what_it_refused_before(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    anonymous = TestClient(api.app, base_url="https://testserver")
    for headers in ({}, {"Authorization": "ApiKey wrong"}, {"Authorization": "Bearer wrong"}):
        answer = anonymous.post("/match/default", json=MATCH, headers=headers)
        assert answer.status_code == 401
        assert "API key" in answer.json()["detail"]
    headers = bearer(db, settings, "vic", "viewer")
    with db.begin() as session:
        accounts.disable_user(session, cli_principal(), "vic")
    assert anonymous.post("/match/default", json=MATCH, headers=headers).status_code == 401


def test_re_enabling_a_user_does_not_bring_back_their_sessions_or_tokens(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    headers = bearer(db, settings, "ana", "analyst")
    sign_in(api, "ana")
    admin = bearer(db, settings, "boss", "admin")
    for disabled in (True, False):
        answer = api.patch("/api/users/ana", json={"disabled": disabled}, headers=admin)
        assert answer.json()["disabled"] is disabled
    assert api.get("/api/me").status_code == 401
    assert api.get("/api/me", headers=headers).status_code == 401
    sign_in(api, "ana")  # a new sign-in works again
    assert api.get("/api/me").status_code == 200
    with db.read() as session:
        actions = [(e.action, e.target_id) for e in audit.entries(session)]
    assert actions[-3:] == [("user_disabled", "ana"), ("user_enabled", "ana"), ("login", "ana")]


def test_signing_in_again_replaces_the_browsers_session(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    add_user(db, settings, "ana", "analyst")
    sign_in(api, "ana")
    planted = api.cookies["sw_session"]
    sign_in(api, "ana")
    assert api.cookies["sw_session"] != planted
    assert api.get("/api/me").status_code == 200
    replay = TestClient(api.app, base_url="https://testserver", cookies={"sw_session": planted})
    assert replay.get("/api/me").status_code == 401
    with db.read() as session:
        assert len(session.execute(select(WebSession.id)).all()) == 1
