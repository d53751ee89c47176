"""The workspace's case page under load of data: a case whose vessels have 100,000 track
points in total and 500 events (issue 15: p95 server time of the case page and of its map
data under 300 ms; first paint of the case page under 2 s in headless Chromium).

Run: .venv/bin/python bench/bench_workspace.py [--home DIR (kept, reused if built)]
     [--points 100000] [--events 500] [--vessels 4] [--requests 30] [--paints 5]
     [--no-browser] [--markdown FILE] [--json FILE]

The home is workspace_support.py's (built in this process, not timed). Measured:

1. Server time, in process: the app (``create_app``, SQLite cases database) behind
   Starlette's TestClient, signed in with an analyst's bearer token; each request's wall
   time from sending to the whole body read, ``--requests`` times after two warm-up
   requests, for ``GET /cases/{id}`` (the page, HTML), ``GET /api/cases/{id}/map`` (its map
   data) and, for comparison, ``GET /api/cases/{id}`` (the JSON of the case). TestClient
   adds its own small cost (no sockets: one thread hop per request).
2. Where the page's time goes: the page's data (``case_view.load``: the cases database and
   each subject's evidence read from the stores) and the template rendering, each alone.
3. First paint in Chromium (``/usr/lib/chromium/chromium`` via Playwright, headless, with
   ``--enable-unsafe-swiftshader`` for the map's WebGL): the app served by uvicorn on
   127.0.0.1 in a thread of this process; signed in through ``POST /api/login``; the case
   page opened ``--paints`` times in one browser context (the first cold, the rest with the
   static files cached): ``first-contentful-paint`` from the page's performance entries,
   and the navigation's response start, DOMContentLoaded and load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.server_thread

from tests.server_thread import ServerThread
from workspace_support import BUILT, PASSWORD, build  # not a package

from sanctionwatch.cases import accounts
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.principal import cli_principal
from sanctionwatch.config import Settings, load_settings
from sanctionwatch.web import case_view
from sanctionwatch.web.app import create_app
from sanctionwatch.web.auth import ApiKeyAuth
from sanctionwatch.web.pages.common import TEMPLATES

CHROMIUM = Path(os.environ.get("SANCTIONWATCH_CHROMIUM", "/usr/lib/chromium/chromium"))


def percentiles(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {
        "n": len(ordered),
        "p50": round(statistics.median(ordered), 1),
        "p95": round(p95, 1),
        "max": round(ordered[-1], 1),
    }


def timed_ms(call: Callable[[], Any], runs: int) -> list[float]:
    found = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        found.append((time.perf_counter() - began) * 1000)
    return found


def server_times(settings: Settings, case_id: int, runs: int) -> dict[str, Any]:
    """Part 1 and 2 of the module docstring."""
    from fastapi.testclient import TestClient

    with CasesDatabase.open(settings) as db, db.begin() as session:
        token = accounts.create_token(session, cli_principal(), "analyst", label="bench")
    headers = {"Authorization": f"Bearer {token}"}
    app = create_app(settings, auth=ApiKeyAuth.from_key("bench-workspace-key"))
    found: dict[str, Any] = {}
    sizes: dict[str, int] = {}
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for path in (f"/cases/{case_id}", f"/api/cases/{case_id}/map", f"/api/cases/{case_id}"):

            def get(path: str = path) -> None:
                answer = client.get(path, headers=headers)
                assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
                sizes[path] = len(answer.content)

            timed_ms(get, 2)  # warm-up
            found[f"GET {path}"] = percentiles(timed_ms(get, runs)) | {"bytes": sizes[path]}
        page = client.get(f"/cases/{case_id}", headers=headers).text
        found["page_marks"] = page.count('tabindex="0" role="img"')
    loaded: list[Any] = []
    with CasesDatabase.open(settings) as db:
        found["case_view.load"] = percentiles(
            timed_ms(lambda: loaded.append(case_view.load(settings, db, case_id)), runs)
        )
    shown = loaded[-1]
    template = TEMPLATES.env.get_template("case.html")
    context = shown.context() | {
        "principal": None, "can_write": True, "is_admin": False, "csrf_token": "x",
        "section": "cases", "tile_url": "", "title_max": 300, "description_max": 20000,
        "note_max": 100000, "statuses": ("open", "in_review", "closed"), "request": None,
    }  # fmt: skip
    found["render case.html"] = percentiles(timed_ms(lambda: template.render(context), runs))
    found["timeline"] = {"lanes": len(shown.timeline.lanes), "marks": len(shown.timeline.marks)}
    return found


PAINT = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByType("paint").find(e => e.name === "first-contentful-paint");
  return {fcp: fcp ? fcp.startTime : null, response_start: nav.responseStart,
          dom_content_loaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd};
}"""


def first_paints(settings: Settings, case_id: int, runs: int) -> dict[str, Any]:
    """Part 3 of the module docstring."""
    from playwright.sync_api import sync_playwright

    found: list[dict[str, float]] = []
    with ServerThread(settings) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--enable-unsafe-swiftshader"]
        )
        context = browser.new_context(viewport={"width": 1366, "height": 860})
        page = context.new_page()
        signed = page.request.post(
            f"{base}/api/login", data={"username": "analyst", "password": PASSWORD}
        )
        assert signed.status == 200, signed.text()
        for _ in range(runs):
            page.goto(f"{base}/cases/{case_id}", wait_until="load")
            page.wait_for_function(  # the arrow form: the CSP refuses eval
                "() => performance.getEntriesByType('paint')"
                ".some(e => e.name === 'first-contentful-paint')"
            )
            found.append(page.evaluate(PAINT))
        ready = page.locator(".map[data-map-ready='true']")
        began = time.perf_counter()
        page.goto(f"{base}/cases/{case_id}", wait_until="commit")
        ready.wait_for(state="attached", timeout=60_000)
        map_ready_ms = (time.perf_counter() - began) * 1000
        version = browser.version
        browser.close()
    fcps = [run["fcp"] for run in found if run["fcp"] is not None]
    return {
        "chromium": version,
        "first_contentful_paint_ms": [round(v, 1) for v in fcps],
        "cold_fcp_ms": round(fcps[0], 1) if fcps else None,
        "warm_fcp_p50_ms": round(statistics.median(fcps[1:]), 1) if len(fcps) > 1 else None,
        "response_start_ms": [round(run["response_start"], 1) for run in found],
        "dom_content_loaded_ms": [round(run["dom_content_loaded"], 1) for run in found],
        "load_ms": [round(run["load"], 1) for run in found],
        "map_ready_ms (wall, from navigation)": round(map_ready_ms, 1),
    }


def machine() -> str:
    cpus = os.cpu_count()
    load = os.getloadavg()
    return (
        f"{platform.machine()}, {cpus} CPUs, Python {platform.python_version()}, load {load[0]:.2f}"
    )


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"Workspace bench, {result['date']} on {result['machine']}",
        f"home: {result['built']['positions']:,} positions, {result['built']['events']} events, "
        f"{len(result['built']['mmsis'])} vessels in case {result['built']['case_id']}",
        "",
        "| server time (TestClient, in process) | n | p50 ms | p95 ms | max ms | bytes |",
        "|---|---|---|---|---|---|",
    ]
    for name, row in result["server"].items():
        if isinstance(row, dict) and "p50" in row:
            lines.append(
                f"| {name} | {row['n']} | {row['p50']} | {row['p95']} | {row['max']} | "
                f"{row.get('bytes', '')} |"
            )
    if browser := result.get("browser"):
        lines += [
            "",
            f"Chromium {browser['chromium']} (headless): first-contentful-paint cold "
            f"{browser['cold_fcp_ms']} ms, warm p50 {browser['warm_fcp_p50_ms']} ms "
            f"(all: {browser['first_contentful_paint_ms']}); load {browser['load_ms']}; "
            f"map drawn {browser['map_ready_ms (wall, from navigation)']} ms after navigating",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--vessels", type=int, default=4)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--paints", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--markdown", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="sw-bench-workspace-")) / "home"
    home.mkdir(parents=True, exist_ok=True)
    settings = load_settings(home, environ={})
    if not (home / BUILT).exists():
        print(f"building {home} ...", file=sys.stderr)
        build(
            settings, vessels=args.vessels, points=args.points, events=args.events, seed=args.seed
        )
    built = json.loads((home / BUILT).read_text(encoding="utf-8"))
    case_id = int(built["case_id"])
    result: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "home": str(home),
        "built": built,
        "server": server_times(settings, case_id, args.requests),
    }
    if not args.no_browser:
        result["browser"] = first_paints(settings, case_id, args.paints)
    text = markdown(result)
    print(json.dumps(result, indent=2))
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
