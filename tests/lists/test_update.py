"""lists update against a local HTTP server serving real list files: success, retries after
server errors, a truncated body and an HTML error page."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sanctionwatch.config import Settings
from sanctionwatch.lists.store import ListStore
from sanctionwatch.lists.update import load_sources, update_lists
from tests.conftest import FIXTURES, OFAC_SET_2021, UN_2026, store_state

UN_DPRK_EXCERPT = FIXTURES / "un" / "un_dprk_excerpt.xml"

ROUTES: dict[str, tuple[int, str, bytes]] = {}
HITS: dict[str, int] = {}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        HITS[self.path] = HITS.get(self.path, 0) + 1
        if self.path == "/flaky/consolidated.xml" and HITS[self.path] <= 2:
            self.send_response(503)
            self.end_headers()
            return
        route = self.path.replace("/flaky/", "/good/")
        status, content_type, body = ROUTES.get(route, (404, "text/plain", b"not found"))
        if route.startswith("/truncated/"):
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])  # then the connection closes
            self.close_connection = True
            return
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", "Tue, 24 Dec 2025 10:00:00 GMT")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    un = UN_2026.read_bytes()
    ROUTES["/good/consolidated.xml"] = (200, "application/xml", un)
    ROUTES["/truncated/consolidated.xml"] = (200, "application/xml", un)
    ROUTES["/html/consolidated.xml"] = (
        200,
        "text/html; charset=utf-8",
        b"<!DOCTYPE html><html><body><h1>Service unavailable</h1>" + b" " * 600_000,
    )
    for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"):
        ROUTES[f"/ofac/{name}"] = (200, "text/csv", (OFAC_SET_2021 / name).read_bytes())
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _settings(tmp_path: Path, overrides: dict[str, dict[str, object]]) -> Settings:
    return Settings(
        home=tmp_path, download_timeout_seconds=5, download_retries=2, source_overrides=overrides
    )


def test_the_official_urls_are_configured() -> None:
    sources = load_sources()
    assert set(sources) == {"un", "ofac_sdn", "ofac_cons", "uk", "eu"}
    assert sources["un"].files[0].url.startswith("https://scsanctions.un.org/")
    assert [f.name for f in sources["ofac_sdn"].files] == [
        "sdn.csv",
        "add.csv",
        "alt.csv",
        "sdn_comments.csv",
    ]
    assert all(f.url.startswith("https://") for s in sources.values() for f in s.files)


def test_update_downloads_checks_and_loads(server: str, tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        {
            "un": {"url": f"{server}/good/consolidated.xml"},
            "ofac_sdn": {"base_url": f"{server}/ofac"},
        },
    )
    with ListStore(settings.store_path) as store:
        results = update_lists(settings, store, ["un", "ofac_sdn"])
        assert [r.error for r in results] == [None, None]
        un = store.find_version("un")
        assert (un.version, un.version_source) == ("2026-02-27", "content")
        ofac = store.find_version("ofac_sdn")
        # OFAC files state no date: the server's Last-Modified date is the version.
        assert (ofac.version, ofac.version_source) == ("2025-12-24", "download")
        assert sorted(f["name"] for f in ofac.files) == sorted(
            ["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"]
        )
        again = update_lists(settings, store, ["un"])
        assert again[0].outcomes[0].created is False
    assert len(list(settings.downloads_dir.glob("un/*/consolidated.xml"))) == 2


def test_update_retries_after_server_errors(server: str, tmp_path: Path) -> None:
    HITS.pop("/flaky/consolidated.xml", None)
    settings = _settings(tmp_path, {"un": {"url": f"{server}/flaky/consolidated.xml"}})
    with ListStore(settings.store_path) as store:
        [result] = update_lists(settings, store, ["un"])
        assert result.error is None
        assert HITS["/flaky/consolidated.xml"] == 3
        assert store.find_version("un").version == "2026-02-27"


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ("truncated", "truncated"),
        ("html", "HTML page, not the list"),
        ("missing", "HTTP 404"),
    ],
)
def test_bad_downloads_are_refused_and_load_nothing(
    server: str, tmp_path: Path, route: str, message: str
) -> None:
    settings = _settings(tmp_path, {"un": {"url": f"{server}/{route}/consolidated.xml"}})
    with ListStore(settings.store_path) as store:
        before = store_state(store)
        [result] = update_lists(settings, store, ["un"])
        assert result.error is not None
        assert message in result.error
        assert store_state(store) == before
    assert not list(settings.downloads_dir.glob("un/*/consolidated.xml"))


def test_a_body_smaller_than_any_real_copy_is_refused(server: str, tmp_path: Path) -> None:
    ROUTES["/good/tiny.xml"] = (200, "application/xml", b"<CONSOLIDATED_LIST/>")
    settings = _settings(tmp_path, {"un": {"url": f"{server}/good/tiny.xml"}})
    with ListStore(settings.store_path) as store:
        [result] = update_lists(settings, store, ["un"])
        assert result.error is not None and "fewer than the 500000" in result.error
        assert store.list_names() == []


def test_an_update_that_would_remove_most_of_the_list_needs_force(
    server: str, tmp_path: Path
) -> None:
    # Three records of the real list under the real list's date: a partial export.
    ROUTES["/partial/consolidated.xml"] = (200, "application/xml", UN_DPRK_EXCERPT.read_bytes())
    good = _settings(tmp_path, {"un": {"url": f"{server}/good/consolidated.xml"}})
    partial = _settings(
        tmp_path, {"un": {"url": f"{server}/partial/consolidated.xml", "min_bytes": 1000}}
    )
    with ListStore(good.store_path) as store:
        update_lists(good, store, ["un"])
        before = store_state(store)
        [refused] = update_lists(partial, store, ["un"])
        assert refused.error is not None and "more than half" in refused.error
        assert store_state(store) == before
        [forced] = update_lists(partial, store, ["un"], force=True)
        assert forced.error is None and forced.outcomes[0].created
