"""One dossier, end to end: gather the case's facts (dossier.py), draw its figures
(figures.py), render the JSON, HTML and PDF (render.py), write the exports (exports.py)
and, last, the manifest over every file written (manifest.py).

The output directory must be new or empty: the manifest lists every file in it, and a
stray file from elsewhere must not be vouched for as part of the dossier.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.config import Settings
from sanctionwatch.errors import InputError
from sanctionwatch.reports import dossier as facts
from sanctionwatch.reports import exports, figures, manifest, render


def event_labels(map_data: dict[str, Any], events: list[dict[str, Any]]) -> dict[int, str]:
    """The map's events (by their ``id`` in the map data) labelled with the dossier's
    event numbers, matched by type, vessel and start (the map gives seconds)."""
    numbers = {(e["type"], e["mmsi"], e["start_ms"] // 1000): e["n"] for e in events}
    labels = {}
    for event in map_data.get("events", []):
        n = numbers.get((event["type"], event["mmsi"], event["start"]))
        if n is not None:
            labels[int(event["id"])] = str(n)
    return labels


def _figures(
    timeline: Any, map_data: dict[str, Any], events: list[dict[str, Any]]
) -> dict[str, str | None]:
    labels = event_labels(map_data, events)
    return {
        "timeline": None if timeline.empty else figures.timeline_svg(timeline),
        "map": figures.map_svg(map_data, event_labels=labels) if map_data["vessels"] else None,
    }


def check_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise InputError(f"{out_dir}: the dossier's directory must be new or empty")


def build_dossier(settings: Settings, db: CasesDatabase, case_id: int, out_dir: Path) -> list[Path]:
    """Write case ``case_id``'s dossier into ``out_dir``; the files written, the manifest
    last (NotFound for an unknown case, InputError for a directory that is not empty)."""
    check_out_dir(out_dir)
    dossier, timeline, map_data = facts.gather(settings, db, case_id)
    written = render.render(out_dir, dossier, _figures(timeline, map_data, dossier["events"]))
    vessels = [v for s in _vessel_subjects(settings, db, case_id) for v in s]
    written += exports.write_exports(out_dir, settings, vessels=vessels, map_data=map_data)
    written.append(manifest.write_manifest(out_dir, case_id, dossier["built_at"]))
    return written


def _vessel_subjects(
    settings: Settings, db: CasesDatabase, case_id: int
) -> list[list[dict[str, Any]]]:
    """Each vessel subject's ``vessel_view`` outputs, as its evidence snapshot holds them."""
    import json

    from sanctionwatch.cases import subjects

    with db.read() as session:
        rows = subjects.case_subjects(session, case_id)
        return [json.loads(r.snapshot).get("vessels", []) for r in rows if r.kind == "vessel"]
