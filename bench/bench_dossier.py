"""The dossier of a large case (issue 16: under 20 s for a case with 100,000 track points
and 500 events): ``build_dossier`` end to end, and where its time goes.

Run: .venv/bin/python bench/bench_dossier.py [--home DIR (kept, reused if built)]
     [--points 100000] [--events 500] [--vessels 4] [--runs 3]

The home is workspace_support.py's (built in this process, not timed). Each run writes a
new directory. Measured per run: the whole ``build_dossier`` (facts, figures, HTML, PDF,
exports, manifest), and its parts alone: gathering the facts (``dossier.gather``), the
figures, the HTML, the PDF (Typst), the exports. Same-run baseline: ``case_view.load``,
what the case page reads (the dossier reads it too). Typst memoises within a process, so
the PDF part is the cost of a repeat; the first whole build and the cold command-line
run (a new process, interpreter start included) are the cold costs.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workspace_support import BUILT, build  # not a package

from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.config import load_settings
from sanctionwatch.reports import build as dossier_build
from sanctionwatch.reports import dossier, render
from sanctionwatch.web import case_view


def timed(f: Callable[..., object], *args: object) -> float:
    began = time.perf_counter()
    f(*args)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--vessels", type=int, default=4)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="sw-bench-dossier-")) / "home"
    home.mkdir(parents=True, exist_ok=True)
    settings = load_settings(home, environ={})
    if not (home / BUILT).exists():
        build(
            settings, vessels=args.vessels, points=args.points, events=args.events, seed=args.seed
        )
    case_id = int(json.loads((home / BUILT).read_text(encoding="utf-8"))["case_id"])
    work = Path(tempfile.mkdtemp(prefix="sw-dossier-out-"))
    parts: dict[str, list[float]] = {}
    with CasesDatabase.open(settings) as db:
        for run in range(args.runs):
            out = work / f"run{run}"
            parts.setdefault("build_dossier (whole)", []).append(
                timed(dossier_build.build_dossier, settings, db, case_id, out)
            )
            parts.setdefault("baseline: case_view.load", []).append(
                timed(case_view.load, settings, db, case_id)
            )
            began = time.perf_counter()
            facts, timeline, map_data = dossier.gather(settings, db, case_id)
            parts.setdefault("gather facts", []).append(time.perf_counter() - began)
            began = time.perf_counter()
            figures = dossier_build._figures(timeline, map_data, facts["events"])
            parts.setdefault("figures", []).append(time.perf_counter() - began)
            facts = {**facts, "figures": {"map": "map.svg", "timeline": "timeline.svg"}}
            parts.setdefault("html", []).append(timed(render.render_html, facts, figures))
            parts.setdefault("pdf (typst)", []).append(timed(render.render_pdf, out))
    built = json.loads((home / BUILT).read_text(encoding="utf-8"))
    pages = (work / "run0" / "dossier.pdf").stat().st_size
    command = [sys.executable, "-m", "sanctionwatch", "--home", str(home), "dossier"]
    cold = timed(
        partial(subprocess.run, capture_output=True, check=True),
        [*command, str(case_id), "--out", str(work / "cli")],
    )
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print(f"home: {home} ({built['positions']} positions, {built['events']} events)")
    print(f"dossier.pdf: {pages} bytes; files: {sorted(p.name for p in (work / 'run0').iterdir())}")
    print(f"cold CLI (new process, interpreter start included): {cold:.2f} s")
    for name, times in parts.items():
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"{name}: median {statistics.median(times):.2f} s (runs: {runs})")


if __name__ == "__main__":
    main()
