"""Browser tests: the workspace served by uvicorn on 127.0.0.1, driven by Playwright in the
distribution's Chromium (``apt-get install chromium``; Playwright's own browser download is
not used). The home is the demo's (``sanctionwatch demo``: real lists, the real AIS samples
and the synthetic scenario), plus one ship whose AIS name is an XSS attempt, and three users.

Without Chromium the tests are skipped, except in CI (``CI`` set), where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from sanctionwatch.cases import accounts
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.principal import cli_principal
from sanctionwatch.config import Settings, load_settings
from tests.browser.support import PASSWORDS, Guard
from tests.cli_process import run_cli
from tests.server_thread import ServerThread

CHROMIUM = Path(os.environ.get("SANCTIONWATCH_CHROMIUM", "/usr/lib/chromium/chromium"))
# A vessel broadcasting an XSS attempt as its name, with the IMO of a listed ship (CHONG CHON
# GANG, OFAC SDN), so the chain links it and raises an alert: its name shows on every page.
XSS_NAME = '<img src=x onerror=alert(1)>"</script><script>alert(2)</script>'
XSS_MMSI, XSS_IMO = 352000777, 7937317
MARINECADASTRE_HEADER = (
    "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,"
    "Length,Width,Draft,Cargo,TransceiverClass"
)


def xss_track_csv() -> str:
    rows = [MARINECADASTRE_HEADER]
    name = XSS_NAME.replace('"', '""')
    for step in range(12):
        lat, lon = 38.70 + step * 0.02, 124.90 + step * 0.03
        rows.append(
            f"{XSS_MMSI},2024-03-0{1 + step // 6}T{(step % 6) * 4:02d}:00:00,{lat:.4f},{lon:.4f},"
            f'9.5,45,45,"{name}",IMO{XSS_IMO},3EXS7,70,0,120,18,7.5,70,A'
        )
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="package")
def workspace_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home as ``make demo`` leaves it, plus the XSS ship, plus admin/analyst/viewer."""
    home = tmp_path_factory.mktemp("workspace") / "home"
    demo = run_cli(home, "demo", timeout_s=600)
    assert demo.returncode == 0, demo.stderr[-2000:]
    inbox = home.parent / "inbox"
    inbox.mkdir()
    (inbox / "xss-ship.csv").write_text(xss_track_csv(), encoding="utf-8")
    ran = run_cli(home, "run", "--inbox", str(inbox), timeout_s=600)
    assert ran.returncode == 0, ran.stderr[-2000:]
    settings = workspace_settings(home)
    with CasesDatabase.open(settings) as db, db.begin() as session:
        for role, password in PASSWORDS.items():
            accounts.add_user(session, settings, cli_principal(), role, role, password)
    return home


def workspace_settings(home: Path) -> Settings:
    # argon2 at its lowest settings: signing in is not what these tests measure.
    return replace(
        load_settings(home, environ={}),
        password_time_cost=1,
        password_memory_kib=8,
        password_parallelism=1,
    )


# Package scope, not session: sync Playwright keeps an event loop running in this thread
# while it is open, and tests run after this package call asyncio.run().
@pytest.fixture(scope="package")
def base_url(workspace_home: Path) -> Iterator[str]:
    with ServerThread(workspace_settings(workspace_home)) as url:
        yield url


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} not found in CI: .ci/run should install chromium")
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--enable-unsafe-swiftshader"]
        )
        yield browser
        browser.close()


@pytest.fixture
def guard() -> Guard:
    return Guard()


@pytest.fixture
def context(chromium: Browser, guard: Guard) -> Iterator[BrowserContext]:
    """A fresh browser profile (no cookies) for one test, guarded; the guard is checked
    when the test ends."""
    ctx = chromium.new_context(viewport={"width": 1366, "height": 860}, locale="en-GB")
    guard.attach(ctx)
    yield ctx
    try:
        guard.check()
    finally:
        ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
