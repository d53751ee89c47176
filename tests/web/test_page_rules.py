"""Rules every page template and every answer keeps, checked without a browser: the CSP
(scripts and styles from this server's files only), and templates that could not break it
(no inline script or style, no event-handler attributes, no htmx eval, no ``|safe`` on
data). The browser tests prove the same on the rendered pages."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.config import Settings
from sanctionwatch.web.headers import policies, tile_origin
from sanctionwatch.web.pages.common import TEMPLATE_DIR, iso_time, safe_next

TEMPLATES = sorted(TEMPLATE_DIR.rglob("*.html"))
FORBIDDEN = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle=", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+=", re.IGNORECASE),
    "htmx eval (hx-on)": re.compile(r"\bhx-on\b|\bhx-on:|\bdata-hx-on"),
    "htmx js: value": re.compile(r"(hx-vals|hx-headers)=['\"]js:"),
    "safe filter": re.compile(r"\|\s*safe\b"),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "outside origin": re.compile(r"(src|href)=\"(https?:)?//", re.IGNORECASE),
}


def test_there_are_templates_to_check() -> None:
    assert {"base.html", "login.html", "docs.html"} <= {p.name for p in TEMPLATES}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATE_DIR)))
def test_templates_keep_to_the_csp(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    for rule, pattern in FORBIDDEN.items():
        assert not pattern.search(text), f"{template.name}: {rule}: {pattern.search(text)}"


def test_the_rules_catch_what_they_are_for() -> None:
    assert FORBIDDEN["inline script"].search("<script>alert(1)</script>")
    assert not FORBIDDEN["inline script"].search('<script src="/static/js/map.js"></script>')
    assert not FORBIDDEN["inline script"].search('<script type="application/json" id="d">')
    assert FORBIDDEN["event handler attribute"].search('<img src="x" onerror="alert(1)">')
    assert FORBIDDEN["style attribute"].search('<div style="width:3px">')
    assert FORBIDDEN["safe filter"].search("{{ vessel.name|safe }}")
    assert FORBIDDEN["outside origin"].search('<script src="https://cdn.example.org/x.js">')


def test_the_policy_allows_only_this_server(tmp_path: Path) -> None:
    default, per_path = policies(Settings(home=tmp_path))
    directives = dict(part.split(" ", 1) for part in default.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in default and "*" not in default
    # ReDoc alone gets inline styles, never inline scripts
    redoc = dict(part.split(" ", 1) for part in per_path["/redoc"].split("; "))
    assert redoc["style-src"] == "'self' 'unsafe-inline'" and redoc["script-src"] == "'self'"


def test_a_configured_tile_server_is_the_one_origin_added(tmp_path: Path) -> None:
    settings = replace(
        Settings(home=tmp_path), map_tile_url="https://tiles.example.org/{z}/{x}/{y}.png"
    )
    default, _ = policies(settings)
    directives = dict(part.split(" ", 1) for part in default.split("; "))
    assert directives["img-src"].endswith(" https://tiles.example.org")
    assert directives["connect-src"] == "'self' https://tiles.example.org"
    assert directives["script-src"] == "'self'"
    assert tile_origin("") is None


def test_every_answer_carries_the_headers(client: TestClient) -> None:
    for path in ("/login", "/healthz", "/static/css/app.css", "/openapi.json", "/docs"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert "script-src 'self';" in answer.headers["content-security-policy"], path
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert answer.headers["referrer-policy"] == "same-origin", path
    redoc = client.get("/redoc").headers["content-security-policy"]
    assert "style-src 'self' 'unsafe-inline'" in redoc


def test_api_docs_are_served_from_the_package(client: TestClient) -> None:
    page = client.get("/docs").text
    assert '<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js">' in page
    assert "cdn" not in page.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert "cdn" not in client.get("/redoc").text.lower()


def test_the_base_map_is_sent_compressed(client: TestClient) -> None:
    answer = client.get("/static/geo/land-50m.geojson", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["content-encoding"] == "gzip"
    assert answer.json()["type"] == "FeatureCollection"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/cases/3?tab=notes", "/cases/3?tab=notes"),
        (None, "/alerts"),
        ("", "/alerts"),
        ("//evil.example.org/x", "/alerts"),
        ("https://evil.example.org/", "/alerts"),
        ("/\\evil.example.org", "/alerts"),
    ],
)
def test_after_sign_in_only_a_path_on_this_server(value: str | None, expected: str) -> None:
    assert safe_next(value) == expected


def test_times_read_the_same_everywhere() -> None:
    assert iso_time(1_709_272_800_000) == "2024-03-01 06:00 UTC"
    assert iso_time("2024-03-01T06:00:00Z") == "2024-03-01 06:00 UTC"
    assert iso_time(None) == "" and iso_time("not a time") == "not a time"
