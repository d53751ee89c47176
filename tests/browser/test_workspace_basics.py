"""Signing in and out, the offline API docs, and the guard itself: no page may reach past
127.0.0.1, break the CSP, raise a script error or open a dialog."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import Guard, shoot, sign_in


def test_unsigned_visitors_are_sent_to_sign_in_and_come_back(
    page: Page, base_url: str, guard: Guard
) -> None:
    guard.expect_console(r"status of 401")  # the wrong password's answer, on purpose
    page.goto(f"{base_url}/lists")
    assert page.url == f"{base_url}/login?next=%2Flists"
    shoot(page, "login")
    page.get_by_label("User name").fill("analyst")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong user name or password.")
    sign_in(page, base_url, "analyst", "/lists")
    expect(page.get_by_role("navigation", name="Sections")).to_be_visible()
    expect(page.locator("header .who")).to_contain_text("analyst")


def test_sign_out_ends_the_session(page: Page, base_url: str, context: BrowserContext) -> None:
    sign_in(page, base_url, "viewer")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base_url}/login")
    assert {c["name"] for c in context.cookies()} & {"sw_session", "sw_csrf"} == set()
    page.goto(f"{base_url}/alerts")
    assert page.url.startswith(f"{base_url}/login?next=")


def test_swagger_ui_renders_offline(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/docs")
    expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=20_000)
    assert page.locator(".opblock").count() > 20  # the whole API, from /openapi.json
    shoot(page, "api-docs")


def test_redoc_renders_offline(page: Page, base_url: str, guard: Guard) -> None:
    # ReDoc 2 always draws its maker's logo from cdn.redoc.ly: the CSP blocks it before any
    # request is made (the route log stays empty), and the component hides itself.
    guard.expect_violation(r"^img-src https://cdn\.redoc\.ly/")
    guard.expect_console(r"cdn\.redoc\.ly")
    page.goto(f"{base_url}/redoc")
    expect(page.get_by_role("heading", name="sanctionwatch").first).to_be_visible(timeout=20_000)
    expect(page.get_by_text("/api/vessels/{mmsi}").first).to_be_attached()


def test_the_guard_catches_a_request_leaving_the_machine(page: Page, guard: Guard) -> None:
    """The proof above is only as good as the guard: a page with no CSP that loads from
    another host must be recorded (then cleared, so that this test itself passes)."""
    page.goto("data:text/html,<img src='https://tiles.example.org/0/0/0.png'>")
    page.wait_for_load_state("load")
    assert guard.outside == ["https://tiles.example.org/0/0/0.png"]
    guard.outside.clear()
    guard.errors.clear()  # the aborted image is logged as a console error too
