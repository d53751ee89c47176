"""The screening and lists pages in Chromium, on the demo home: a name in Hangul finds its
listed party with the explanation, without a reload; a listed ship links to the vessel page
of the MMSI that broadcast its IMO number; a CSV uploaded from the page is screened with a
progress bar that reaches the end, and its result downloads; the lists page shows each
list's versions and its last update."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import FilePayload, Page, expect

from tests.browser.conftest import XSS_MMSI
from tests.browser.support import shoot, sign_in

BATCH = (
    "id,name,schema,imo\n"
    "r1,김정은,Person,\n"
    "r2,Ким Чен Ын,Person,\n"
    "r3,CHONG CHON GANG,Vessel,7937317\n"
    "r4,,Person,\n"
    "r5,Jane Nobody Smithfield,Person,\n"
)


def test_screen_a_name_then_a_file(page: Page, base_url: str, tmp_path: Path) -> None:
    sign_in(page, base_url, "analyst", "/screen")
    marker = page.evaluate("() => (window.__sameDocument = 'yes')")  # gone on a reload
    page.get_by_label("Name", exact=True).fill("김정은")
    page.get_by_label("Kind").select_option("Person")
    page.get_by_role("button", name="Screen", exact=True).click()
    first = page.locator("#results article.match").first
    expect(first).to_contain_text("KIM, Jong Un", timeout=20_000)
    expect(first.locator("table.features")).to_contain_text("korean")
    expect(first).to_contain_text("by korean")
    assert page.evaluate("() => window.__sameDocument") == marker  # no reload

    # a listed ship, found by its IMO number, links to the vessel that broadcast it
    page.get_by_label("Name", exact=True).fill("CHONG CHON GANG")
    page.get_by_label("Kind").select_option("Vessel")
    page.get_by_label("IMO number").fill("7937317")
    page.get_by_role("button", name="Screen", exact=True).click()
    ship = page.locator("#results article.match").first
    expect(ship).to_contain_text("CHONG CHON GANG", timeout=20_000)
    expect(ship.get_by_role("link", name=f"MMSI {XSS_MMSI}")).to_have_attribute(
        "href", f"/vessels/{XSS_MMSI}"
    )
    shoot(page, "screening")

    page.set_input_files(
        "#b-file",
        files=FilePayload(name="names.csv", mimeType="text/csv", buffer=BATCH.encode("utf-8")),
    )
    page.get_by_role("button", name="Upload and screen").click()
    job = page.locator("#batch-status .job")
    expect(job).to_have_attribute("data-state", "done", timeout=60_000)
    bar = job.locator("progress")
    expect(bar).to_have_attribute("max", "5")
    expect(bar).to_have_attribute("value", "5")
    expect(job).to_contain_text("1 rejected")
    expect(job.locator("table.rejected")).to_contain_text("names.csv:5: empty name")
    with page.expect_download() as info:
        job.get_by_role("link", name="Download the result (CSV)").click()
    download = info.value
    assert download.suggested_filename == "screened-names.csv"
    saved = tmp_path / "result.csv"
    download.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    best = {row["id"]: row for row in rows if row["rank"] in ("1", "0", "")}
    assert best["r1"]["caption"] == "KIM, Jong Un"
    assert best["r2"]["caption"] == "KIM, Jong Un"
    assert best["r3"]["caption"] == "CHONG CHON GANG"
    assert best["r4"]["error"].endswith("empty name")
    assert best["r5"]["rank"] == "0"
    shoot(page, "screening-batch")


def test_the_lists_page_shows_versions_and_the_last_update(page: Page, base_url: str) -> None:
    sign_in(page, base_url, "viewer", "/lists")
    un = page.locator('section[aria-labelledby="list-un"]')
    versions = un.get_by_role("table", name="Versions of un, newest first")
    expect(versions.locator("tbody tr")).to_have_count(2)
    expect(versions.locator("tbody tr").first).to_contain_text("2026-02-27")
    expect(versions.locator("tbody tr").last).to_contain_text("2018-10-29")
    expect(un.locator(".diff-summary")).to_contain_text("From 2018-10-29 to 2026-02-27")
    expect(un.locator(".count-added")).to_have_text("111 added")
    expect(page.locator('section[aria-labelledby="list-ofac_sdn"]')).to_be_visible()
    expect(page.get_by_role("heading", name="Portfolio re-screening")).to_be_visible()
    shoot(page, "lists")
