"""Every page of the workspace against the WCAG 2.x A and AA rules that axe-core checks
(labels, names, contrast, landmarks, table headers, ARIA use). axe is injected by the test
(a context that bypasses the CSP for that one script, tests/browser/vendor/axe-core); the
pages themselves are served exactly as always."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.support import PASSWORDS

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
ANGARA = 273316470  # a listed ship of the demo, with a track, events and an alert


@pytest.fixture
def a11y_page(chromium: Browser, base_url: str) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1366, "height": 860}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base_url}/login")
    page.get_by_label("User name").fill("analyst")
    page.get_by_label("Password").fill(PASSWORDS["analyst"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/alerts*")
    yield page
    context.close()


def serious_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
            const r = await axe.run(document, {runOnly: tags});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_every_page_passes_axe(a11y_page: Page, base_url: str) -> None:
    page = a11y_page
    made = page.request.post(
        f"{base_url}/api/cases",
        data={"title": "Accessibility check", "description": "A case to look at."},
        headers={
            "X-CSRF-Token": next(
                c["value"] for c in page.context.cookies() if c["name"] == "sw_csrf"
            )
        },
    )
    assert made.status == 201, made.text()
    case_id = made.json()["id"]
    added = page.request.post(
        f"{base_url}/api/cases/{case_id}/subjects",
        data={"kind": "vessel", "mmsi": ANGARA},
        headers={
            "X-CSRF-Token": next(
                c["value"] for c in page.context.cookies() if c["name"] == "sw_csrf"
            )
        },
    )
    assert added.status == 201, added.text()
    found: dict[str, list[dict[str, Any]]] = {}
    for path in (
        "/alerts",
        "/cases",
        f"/cases/{case_id}",
        f"/vessels/{ANGARA}",
        "/screen",
        "/lists",
    ):
        page.goto(f"{base_url}{path}")
        page.wait_for_load_state("networkidle")
        assert page.locator("main h1").count() >= 1, path
        if violations := serious_violations(page):
            found[path] = violations
    page.context.clear_cookies()
    page.goto(f"{base_url}/login")
    if violations := serious_violations(page):
        found["/login"] = violations
    assert found == {}
