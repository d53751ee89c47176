"""What the browser tests share: the guard that proves a page stayed offline and ran clean,
signing in, and screenshots for the docs.

Offline proof needs two records: every request the page (or its workers) makes is routed
through :meth:`Guard.route`, which lets 127.0.0.1, ``data:`` and ``blob:`` through and
aborts and records anything else; and the CSP stops outside requests before they are made,
so the init script also records every ``securitypolicyviolation``. A test passes only with
both lists empty (or holding exactly what it declared it expects).

Under our CSP, ``page.wait_for_function`` must get an arrow function (``"() => ..."``): the
string-expression form is evaluated with eval when it polls, which the CSP refuses.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Dialog, Page, Route

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "img"
PASSWORDS = {"admin": "pw-admin-7Hq", "analyst": "pw-analyst-4Rz", "viewer": "pw-viewer-9Lm"}
LOCAL_HOSTS = frozenset({"127.0.0.1"})
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || ""));
});
"""


@dataclass
class Guard:
    """Everything a page did that it should not have: requests leaving 127.0.0.1, CSP
    violations, script errors, console errors and dialogs (an XSS would open one)."""

    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    expected_console: list[re.Pattern[str]] = field(default_factory=list)
    expected_violations: list[re.Pattern[str]] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.route("**/*", self.route)
        context.add_init_script(RECORD_VIOLATIONS)
        context.on("page", self.watch)

    def route(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def watch(self, page: Page) -> None:
        self.pages.append(page)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("console", self._console)
        page.on("dialog", self._dialog)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        if not any(p.search(message.text) for p in self.expected_console):
            self.errors.append(f"console: {message.text}")

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def expect_console(self, pattern: str) -> None:
        """A console error this test causes on purpose (a refused write, say)."""
        self.expected_console.append(re.compile(pattern))

    def expect_violation(self, pattern: str) -> None:
        """A CSP violation this test accepts (the page's own, blocked before any request)."""
        self.expected_violations.append(re.compile(pattern))

    def violations(self) -> list[str]:
        found: list[str] = []
        for page in self.pages:
            if page.is_closed():
                continue
            try:
                found += page.evaluate("() => window.__cspViolations || []")
            except Exception:  # a page mid-navigation has no value to give
                continue
        return [v for v in found if not any(p.search(v) for p in self.expected_violations)]

    def check(self) -> None:
        violations = self.violations()
        assert self.outside == [], f"requests left 127.0.0.1: {self.outside}"
        assert violations == [], f"CSP violations: {violations}"
        assert self.errors == [], f"script or console errors: {self.errors}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"


def sign_in(page: Page, base_url: str, role: str, next_path: str = "/alerts") -> None:
    """Sign in through the form as the user named ``role`` and land on ``next_path``."""
    page.goto(f"{base_url}/login?next={next_path}")
    page.get_by_label("User name").fill(role)
    page.get_by_label("Password").fill(PASSWORDS[role])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}{next_path}*")


def shoot(page: Page, name: str) -> Path | None:
    """Save a screenshot of the page as docs/img/<name>.png when ``SW_SCREENSHOTS=1`` (the
    docs' pictures are refreshed on purpose, not by every test run)."""
    if os.environ.get("SW_SCREENSHOTS") != "1":
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
