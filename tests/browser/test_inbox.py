"""The alerts inbox in a real browser: counts, filtering without a reload, selecting and
triaging alerts (into a new case, into that case again, dismissed with a reason), the XSS
ship's name shown as text, and a viewer who sees no triage controls and whose write is
refused. The server is shared with the other pages' tests: these tests triage only alerts
still new, lowest ids first (never the XSS ship's), and assume no pristine state."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import XSS_MMSI, XSS_NAME
from tests.browser.support import shoot, sign_in

ROWS = "#alert-table tbody tr[data-alert-id]"


def new_rows(page: Page) -> Locator:
    """Rows of alerts still new, not the XSS ship's (other pages' tests rely on it)."""
    return page.locator(f"{ROWS}[data-status='new']").filter(
        has_not=page.locator(f"a[href='/vessels/{XSS_MMSI}']")
    )


def mark_document(page: Page) -> None:
    """A flag on the window that a reload would lose."""
    page.evaluate("() => { window.__sameDocument = true; }")


def same_document(page: Page) -> bool:
    return bool(page.evaluate("() => window.__sameDocument === true"))


def test_counts_and_filtering_without_a_reload(page: Page, base_url: str) -> None:
    sign_in(page, base_url, "analyst", "/alerts")
    rows = page.locator(ROWS)
    expect(rows.first).to_be_visible()
    total = rows.count()
    assert total >= 19  # the demo's alerts and the XSS ship's
    expect(page.get_by_role("heading", name="Counts over all alerts")).to_be_visible()
    expect(page.locator("#alerts-status")).to_contain_text(f"{total} alerts match")
    # Each rule's count is the number of its rows (one page holds them all).
    for rule in ("sanctioned_vessel_seen", "encounter_with_sanctioned"):
        shown = page.locator(f".count-table tr[data-rule='{rule}'] td.num").inner_text()
        assert int(shown) == page.locator(f"{ROWS}[data-rule='{rule}']").count() > 0
    high = page.locator(".count-table tr[data-severity='high'] td.num").inner_text()
    assert int(high) == page.locator(f"{ROWS}:has(.sev-high)").count() > 0

    mark_document(page)
    page.get_by_label("Severity").select_option("high")
    page.wait_for_url(re.compile(r"/alerts\?severity=high$"))
    expect(page.get_by_role("heading", name="Counts for the current filters")).to_be_visible()
    expect(rows).to_have_count(int(high))
    page.get_by_label("Severity").select_option("low")
    page.wait_for_url(re.compile(r"/alerts\?severity=low$"))
    expect(page.locator("#alert-table")).to_contain_text("No alert matches these filters.")
    expect(page.locator("#alerts-status")).to_have_text("No alert matches these filters.")
    # Back: the previous view again, from the server (htmx keeps no copy of the page).
    page.go_back()
    page.wait_for_url(re.compile(r"/alerts\?severity=high$"))
    expect(rows).to_have_count(int(high))
    expect(page.get_by_label("Severity")).to_have_value("high")
    # A count is a link to its filter; the form follows the address.
    page.get_by_label("Severity").select_option("")
    page.wait_for_url(f"{base_url}/alerts")
    page.locator(".count-table tr[data-rule='encounter_with_sanctioned'] a").click()
    page.wait_for_url(re.compile(r"/alerts\?rule=encounter_with_sanctioned$"))
    expect(page.get_by_label("Rule")).to_have_value("encounter_with_sanctioned")
    assert {r.get_attribute("data-rule") for r in rows.all()} == {"encounter_with_sanctioned"}
    # Sorting by a column header, then back: the history holds each view.
    page.get_by_role("link", name="Created").click()
    page.wait_for_url(re.compile(r"order=asc"))
    expect(page.get_by_label("Order")).to_have_value("asc")
    assert same_document(page)
    # The same address loaded afresh shows the same state.
    page.goto(f"{base_url}/alerts?rule=encounter_with_sanctioned&order=asc")
    expect(page.get_by_label("Rule")).to_have_value("encounter_with_sanctioned")
    expect(rows).to_have_count(
        int(page.locator("tr[data-rule='encounter_with_sanctioned'] td.num").inner_text())
    )


def test_triage_into_a_new_case_then_dismiss_with_a_reason(page: Page, base_url: str) -> None:
    sign_in(page, base_url, "analyst", "/alerts?order=asc")  # lowest ids first
    expect(page.locator(ROWS).first).to_be_visible()
    mark_document(page)
    # "Select all on this page" checks every box; unchecking clears them.
    page.get_by_label("Select all alerts on this page").check()
    expect(page.locator("#selected-count")).to_contain_text(
        f"{page.locator(ROWS).count()} alerts selected"
    )
    page.get_by_label("Select all alerts on this page").uncheck()
    expect(page.locator("#selected-count")).to_have_text("No alert selected.")

    first = new_rows(page).first
    accepted_id = first.get_attribute("data-alert-id")
    first.get_by_label(f"Select alert {accepted_id}").focus()
    page.keyboard.press("Space")  # keyboard works as well as the mouse
    expect(page.locator("#selected-count")).to_have_text(f"1 alert selected: {accepted_id}.")
    page.get_by_label("New case title").fill(f"Inbox test: alert {accepted_id}")
    page.get_by_role("button", name="Accept into new case").click()
    row = page.locator(f"#alert-{accepted_id}")
    expect(row.locator("td.status .badge")).to_have_text("accepted")
    case_link = row.locator("td.status a")
    expect(case_link).to_have_attribute("href", re.compile(r"^/cases/\d+$"))
    case_path = case_link.get_attribute("href")
    assert case_path is not None
    case_id = case_path.rsplit("/", 1)[1]
    flash = page.locator("#flash")
    expect(flash).to_contain_text(f"Alert {accepted_id} accepted into case {case_id}")
    expect(flash.get_by_role("link", name=f"Open case {case_id}")).to_have_attribute(
        "href", case_path
    )
    decided = page.request.get(f"{base_url}/api/alerts/{accepted_id}").json()
    assert (decided["status"], str(decided["triage"]["case_id"])) == ("accepted", case_id)
    expect(page.get_by_label("New case title")).to_have_value("")  # the form was cleared

    # Another alert into the same case, chosen from the list of open cases.
    second = new_rows(page).first
    second_id = second.get_attribute("data-alert-id")
    second.get_by_label(f"Select alert {second_id}").check()
    page.get_by_label("Existing case").select_option(case_id)
    page.get_by_role("button", name="Accept into case").click()
    expect(page.locator(f"#alert-{second_id} td.status a")).to_have_attribute("href", case_path)

    # Dismissing: with a reason, shown in the row.
    third = new_rows(page).first
    dismissed_id = third.get_attribute("data-alert-id")
    third.get_by_label(f"Select alert {dismissed_id}").check()
    page.get_by_label("Reason for dismissing").fill("same hull, checked the registry")
    page.get_by_role("button", name="Dismiss").click()
    status = page.locator(f"#alert-{dismissed_id} td.status")
    expect(status.locator(".badge")).to_have_text("dismissed")
    expect(status.locator(".reason")).to_have_text("same hull, checked the registry")
    answer = page.request.get(f"{base_url}/api/alerts/{dismissed_id}").json()
    assert (answer["status"], answer["triage"]["reason"]) == (
        "dismissed", "same hull, checked the registry",
    )  # fmt: skip
    assert same_document(page)
    shoot(page, "alerts")
    # On paper: the table and its decisions, not the controls.
    page.emulate_media(media="print")
    expect(page.locator("#alert-table")).to_be_visible()
    expect(page.locator(f"#alert-{dismissed_id} td.status .reason")).to_be_visible()
    for control in (".triage", "#alert-filters", "#select-all", f"#select-{dismissed_id}"):
        expect(page.locator(control)).to_be_hidden()


def test_the_xss_ships_name_is_text(page: Page, base_url: str) -> None:
    sign_in(page, base_url, "analyst", f"/alerts?vessel={XSS_MMSI}")
    link = page.locator(f"{ROWS} a.vessel[href='/vessels/{XSS_MMSI}']").first
    expect(link).to_be_visible()
    assert link.inner_text() in (XSS_NAME, XSS_NAME.upper())  # names are kept upper-case
    assert page.evaluate("() => document.querySelectorAll('main img, main script').length") == 0
    evidence = page.locator(f"{ROWS} details").first
    evidence.locator("summary").click()
    expect(evidence.locator("ul.evidence")).to_be_visible()
    expect(evidence).to_contain_text("CHONG CHON GANG")  # the listed ship its IMO belongs to
    assert page.evaluate("() => document.querySelectorAll('main img, main script').length") == 0


def test_a_viewer_has_no_triage_controls_and_cannot_triage(page: Page, base_url: str) -> None:
    sign_in(page, base_url, "viewer", "/alerts")
    expect(page.locator(ROWS).first).to_be_visible()
    assert page.locator("#alert-table input[type='checkbox']").count() == 0
    assert page.locator(".triage-form").count() == 0
    expect(page.get_by_role("button", name="Dismiss")).to_have_count(0)
    alert_id = page.locator(ROWS).first.get_attribute("data-alert-id")
    before = page.request.get(f"{base_url}/api/alerts/{alert_id}").json()["history"]
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    refused = page.request.post(
        f"{base_url}/alerts/triage",
        form={"alert_id": str(alert_id), "decision": "dismissed", "reason": "viewer"},
        headers={"X-CSRF-Token": cookies["sw_csrf"], "HX-Request": "true"},
    )
    assert refused.status == 403
    assert "role" in refused.text()
    assert page.request.get(f"{base_url}/api/alerts/{alert_id}").json()["history"] == before
