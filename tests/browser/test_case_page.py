"""The case page in a real browser: an alert of the demo accepted into a new case, its
timeline drawing one focusable mark per event of the case's vessels (arrow keys move between
them), the map element on the case's map data, and a note added without a reload. The
server is shared with the other pages' tests: this one triages one alert of rule
``encounter_with_sanctioned``, the highest id still new (the inbox tests take the lowest),
and builds its case through the API if none is left."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import XSS_MMSI
from tests.browser.support import Guard, shoot, sign_in


def csrf(page: Page) -> dict[str, str]:
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "sw_csrf")
    return {"X-CSRF-Token": token}


def new_case_from_an_alert(page: Page, base_url: str) -> int:
    """Accept an encounter alert into a new case (or, if every one is decided already,
    put one's vessel into a new case through the API)."""
    listed = page.request.get(f"{base_url}/api/alerts?rule=encounter_with_sanctioned&limit=500")
    assert listed.status == 200, listed.text()
    alerts: list[dict[str, Any]] = listed.json()["items"]
    assert alerts, "the demo raises encounter_with_sanctioned alerts"
    fresh = sorted(
        (a for a in alerts if a["status"] == "new" and a["subject"].get("mmsi") != XSS_MMSI),
        key=lambda a: -int(a["id"]),
    )
    if fresh:
        alert_id = fresh[0]["id"]
        answer = page.request.post(
            f"{base_url}/api/alerts/{alert_id}/triage",
            data={"decision": "accepted", "new_case_title": f"Case page test: alert {alert_id}"},
            headers=csrf(page),
        )
        assert answer.status == 200, answer.text()
        return int(answer.json()["case_id"])
    made = page.request.post(
        f"{base_url}/api/cases", data={"title": "Case page test"}, headers=csrf(page)
    )
    assert made.status == 201, made.text()
    case_id = int(made.json()["id"])
    added = page.request.post(
        f"{base_url}/api/cases/{case_id}/subjects",
        data={"kind": "vessel", "mmsi": alerts[-1]["subject"]["mmsi"]},
        headers=csrf(page),
    )
    assert added.status == 201, added.text()
    return case_id


def events_of_the_case(page: Page, base_url: str, case_id: int) -> int:
    """How many events the case's vessels have (each vessel once), as the API gives them."""
    case = page.request.get(f"{base_url}/api/cases/{case_id}").json()
    by_vessel = {
        view["mmsi"]: len(view["events"])
        for subject in case["subjects"]
        for view in subject["snapshot"].get("vessels", [])
    }
    return sum(by_vessel.values())


def test_the_case_page_timeline_map_and_a_note(page: Page, base_url: str) -> None:
    sign_in(page, base_url, "analyst", "/cases")
    case_id = new_case_from_an_alert(page, base_url)
    expected = events_of_the_case(page, base_url, case_id)
    assert expected >= 1

    page.goto(f"{base_url}/cases/{case_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Case page test")
    marks = page.locator(".timeline svg .ev[tabindex='0']")
    assert marks.count() == expected
    assert page.locator(".timeline-table tr.event-row").count() == expected
    first_name = marks.first.get_attribute("aria-label") or ""
    assert " UTC" in first_name and marks.first.locator("title").text_content() == first_name
    # keyboard: each event takes the focus and the arrow keys move along the timeline
    marks.first.focus()
    expect(marks.first).to_be_focused()
    if expected > 1:
        page.keyboard.press("ArrowRight")
        expect(marks.nth(1)).to_be_focused()
    # the map element is there, on the case's map data (its drawing is the map's own test)
    expect(page.locator(f".map[data-map-url='/api/cases/{case_id}/map']")).to_be_attached()

    page.evaluate("() => { window.__sameDocument = true; }")
    page.get_by_label("Add a note").fill("Met the *listed* ship at sea; see the timeline.")
    page.get_by_role("button", name="Add the note").click()
    note = page.locator("#notes-list article.analyst-note").last
    expect(note).to_contain_text("Met the listed ship at sea")
    expect(note.locator("em")).to_have_text("listed")
    expect(note.locator(".by")).to_contain_text("analyst")
    expect(page.get_by_label("Add a note")).to_have_value("")  # a fresh form
    expect(page.locator("#audit-trail")).to_contain_text("note added")
    assert page.evaluate("() => window.__sameDocument === true")  # no reload
    page.wait_for_load_state("networkidle")
    shoot(page, "case")


def test_an_edit_made_against_an_old_version_is_refused_in_flash(
    page: Page, base_url: str, guard: Guard
) -> None:
    guard.expect_console(r"\b409\b")  # the refused save, on purpose (browser and htmx log it)
    sign_in(page, base_url, "analyst", "/cases")
    page.get_by_label("Title", exact=True).fill("Case page test: edit")
    page.get_by_role("button", name="Create the case").click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    case_id = int(page.url.rsplit("/", 1)[1])
    page.get_by_text("Edit the case").click()
    page.get_by_label("Status").select_option("in_review")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#flash")).to_have_text("Saved: version 2.")
    expect(page.locator("#case-head h1 .badge")).to_have_text("in review")
    # someone else changes the case meanwhile; this page's form is still at version 2
    other = page.request.patch(
        f"{base_url}/api/cases/{case_id}", data={"version": 2, "title": "Theirs"},
        headers=csrf(page),
    )  # fmt: skip
    assert other.status == 200, other.text()
    page.get_by_text("Edit the case").click()
    page.get_by_label("Title", exact=True).fill("Mine")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#flash [role='alert']")).to_contain_text("is at version 3")
    assert page.request.get(f"{base_url}/api/cases/{case_id}").json()["title"] == "Theirs"
