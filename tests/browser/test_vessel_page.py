"""The vessel page in Chromium: identity history, list links and risk factors as tables, the
map drawn (its canvas holds the track's colours, read back from WebGL), playback moving the
vessel's marker, and a ship broadcasting an XSS attempt as its name shown as text."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from tests.browser.conftest import XSS_MMSI, XSS_NAME
from tests.browser.support import PASSWORDS, shoot

ANGARA = 273316470  # a listed ship of the demo: a track, two dark gaps, draught changes
# The track colours of js/map.js (speed classes): slow, mid, fast, unknown.
TRACK_COLOURS = [(0x21, 0x66, 0xAC), (0x4D, 0xAC, 0x26), (0xD6, 0x60, 0x4D), (0x7B, 0x87, 0x94)]
COUNT_PIXELS = """(colours) => {
  const canvas = window.swMaps[0].map.getCanvas();
  const gl = canvas.getContext("webgl2") || canvas.getContext("webgl");
  const w = gl.drawingBufferWidth, h = gl.drawingBufferHeight;
  const px = new Uint8Array(w * h * 4);
  gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
  const near = (i, c) =>
    Math.abs(px[i] - c[0]) + Math.abs(px[i + 1] - c[1]) + Math.abs(px[i + 2] - c[2]) < 12;
  let track = 0;
  const seen = new Set();
  for (let i = 0; i < px.length; i += 4) {
    if (colours.some((c) => near(i, c))) track++;
    if (seen.size < 64) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
  }
  return {track, distinct: seen.size, total: w * h};
}"""
MAP_READY = "() => document.querySelector('.sw-map')?.dataset.mapReady === 'true'"


def open_vessel(page: Page, base_url: str, mmsi: int, role: str = "viewer") -> None:
    """Sign in (``POST /api/login``: the session cookies land in the page's context) and
    open the vessel page."""
    signed = page.request.post(
        f"{base_url}/api/login", data={"username": role, "password": PASSWORDS[role]}
    )
    assert signed.status == 200, signed.text()
    page.goto(f"{base_url}/vessels/{mmsi}")


def test_the_vessel_page_shows_identity_links_factors_events_and_draws_the_map(
    page: Page, base_url: str
) -> None:
    open_vessel(page, base_url, ANGARA)
    expect(page.locator("main h1")).to_contain_text("ANGARA")
    history = page.locator("table.identity-history tbody tr")
    expect(history).to_have_count(3)
    expect(history.first).to_contain_text("UBVG8")
    expect(history.nth(1)).to_contain_text("6.6")  # the draught, loaded after the dark gap
    expect(page.locator("ul.links")).to_contain_text("via imo, confidence 1.00")
    factors = page.locator("table.factors")
    for factor in ("sanctioned_identity", "dark_port_call", "draught_after"):
        expect(factors).to_contain_text(factor)
    factors.locator("summary").first.click()
    expect(factors.locator("ul.evidence").first).to_contain_text("list record: list ofac_sdn")
    expect(page.locator("table.events")).to_contain_text("likely dark port call Najin")
    page.wait_for_function(MAP_READY, timeout=30_000)
    counted = page.evaluate(COUNT_PIXELS, [list(c) for c in TRACK_COLOURS])
    assert counted["track"] > 200, counted  # the track is drawn
    assert counted["distinct"] > 8, counted  # and the rest is not one blank colour
    listed = page.locator("table.events tbody tr").count()
    assert listed >= 4
    expect(page.locator(".map-status")).to_contain_text(f"{listed} event(s)")  # all on the map
    shoot(page, "vessel")


def test_play_moves_the_vessel_marker_and_pause_stops_it(page: Page, base_url: str) -> None:
    open_vessel(page, base_url, ANGARA)
    page.wait_for_function(MAP_READY, timeout=30_000)
    before = page.evaluate("() => window.swMaps[0].positions()")
    assert [p[0] for p in before] == [ANGARA]
    clock = page.locator(".map-now")
    start = clock.inner_text()
    play = page.get_by_role("button", name="Play")
    play.focus()
    page.keyboard.press("Enter")  # keyboard, as a reader without a mouse would
    expect(page.locator(".map-play")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function(
        "(before) => JSON.stringify(window.swMaps[0].positions()) !== before",
        arg=json.dumps(before),
        timeout=15_000,
    )
    expect(clock).not_to_have_text(start)
    page.get_by_role("button", name="Pause").click()
    expect(page.locator(".map-play")).to_have_attribute("aria-pressed", "false")
    slider = page.get_by_label("Time")
    slider.focus()
    page.keyboard.press("End")
    expect(clock).to_have_text("2023-10-04 23:52 UTC")  # the track's last report
    last = page.evaluate("() => window.swMaps[0].positions()")
    assert last[0][0] == ANGARA and last != before


def test_a_name_that_is_an_xss_attempt_shows_as_text_and_runs_nothing(
    page: Page, base_url: str
) -> None:
    open_vessel(page, base_url, XSS_MMSI)
    broadcast = XSS_NAME.upper()  # the AIS store keeps names upper case, as ships send them
    expect(page.locator("main h1 .vessel-name")).to_have_text(broadcast)
    expect(page.locator("table.identity-history tbody tr").first).to_contain_text(broadcast)
    page.wait_for_function(MAP_READY, timeout=30_000)
    assert page.evaluate("() => document.images.length") == 0
    scripts = page.evaluate("() => [...document.scripts].map(s => s.src || s.type || 'inline')")
    assert all(s.startswith(base_url) for s in scripts), scripts
    assert page.evaluate("() => window.swMaps[0].positions().length") == 1
