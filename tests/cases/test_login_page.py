"""Signing in and out through the workspace's HTML form (both backends): the same checks as
``POST /api/login`` (argon2, lock-out, Origin), the same cookies, and a page that sends an
unsigned visitor to the form and back."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.config import Settings
from tests.cases.test_sessions_api import add_user

ORIGIN = {"Origin": "https://testserver"}


def form_sign_in(api: TestClient, name: str, password: str, next_path: str = "/alerts") -> object:
    return api.post(
        "/login",
        data={"username": name, "password": password, "next": next_path},
        headers=ORIGIN,
        follow_redirects=False,
    )


def test_the_form_signs_in_and_goes_where_the_visitor_was_going(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    add_user(db, settings, "ana", "analyst")
    answer = form_sign_in(api, "ana", "pw-ana", "/cases/7?tab=notes")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert answer.headers["location"] == "/cases/7?tab=notes"  # type: ignore[attr-defined]
    assert {"sw_session", "sw_csrf"} <= set(api.cookies.keys())
    assert api.get("/api/me").json() == {"name": "ana", "role": "analyst"}


def test_a_wrong_password_shows_the_form_again_with_no_cookie(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    add_user(db, settings, "ana", "analyst")
    answer = form_sign_in(api, "ana", "wrong")
    assert answer.status_code == 401  # type: ignore[attr-defined]
    assert "Wrong user name or password." in answer.text  # type: ignore[attr-defined]
    assert 'value="ana"' in answer.text  # type: ignore[attr-defined]
    assert "sw_session" not in api.cookies


def test_lock_out_applies_to_the_form_too(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    add_user(db, settings, "ana", "analyst")
    for _ in range(settings.login_max_failures):
        form_sign_in(api, "ana", "wrong")
    answer = form_sign_in(api, "ana", "pw-ana")
    assert answer.status_code == 429  # type: ignore[attr-defined]
    assert "locked" in answer.text  # type: ignore[attr-defined]
    assert "sw_session" not in api.cookies


def test_another_site_cannot_sign_a_visitor_in(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    add_user(db, settings, "ana", "analyst")
    answer = api.post(
        "/login",
        data={"username": "ana", "password": "pw-ana"},
        headers={"Origin": "https://evil.example.org"},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert "sw_session" not in api.cookies


def test_an_offsite_next_is_ignored(api: TestClient, db: CasesDatabase, settings: Settings) -> None:
    add_user(db, settings, "ana", "analyst")
    answer = form_sign_in(api, "ana", "pw-ana", "//evil.example.org/phish")
    assert answer.headers["location"] == "/alerts"  # type: ignore[attr-defined]


def test_unsigned_visitors_are_sent_to_the_form(api: TestClient) -> None:
    answer = api.get("/cases?status=open", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fcases%3Fstatus%3Dopen"
    # htmx asks for a fragment: it gets a full-page redirect instruction instead
    fragment = api.get("/alerts", headers={"HX-Request": "true"}, follow_redirects=False)
    assert fragment.status_code == 401
    assert fragment.headers["hx-redirect"] == "/login?next=%2Falerts"


def test_sign_out_needs_the_csrf_token_and_ends_the_session(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    add_user(db, settings, "viv", "viewer")
    form_sign_in(api, "viv", "pw-viv")
    refused = api.post("/logout", headers=ORIGIN, follow_redirects=False)
    assert refused.status_code == 403 and "CSRF" in refused.text
    csrf = api.cookies["sw_csrf"]
    answer = api.post("/logout", data={"csrf_token": csrf}, headers=ORIGIN, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/login")
    assert api.get("/api/me").status_code == 401


def test_pages_show_who_is_signed_in_and_escape_it(
    api: TestClient, db: CasesDatabase, settings: Settings
) -> None:
    add_user(db, settings, "ana", "analyst")
    form_sign_in(api, "ana", "pw-ana")
    page = api.get("/docs")  # public, but the header of signed-in pages is on base.html
    assert page.status_code == 200
    error = api.get("/cases/987654321", follow_redirects=False)
    assert error.status_code == 404 and "text/html" in error.headers["content-type"]
    assert "ana" in error.text and 'name="csrf_token"' in error.text
