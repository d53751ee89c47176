"""A case's dossier as data: every fact the rendered dossier shows, each with where it came
from, in one JSON-able dict (``dossier.json``, the input of both the HTML and the Typst
rendering, so the two cannot disagree).

The case, its subjects with their stored evidence snapshots (and what changed since), its
notes, audit trail and timeline are read as the case page reads them (``web.case_view``);
the events of its vessels and the map as the case map reads them (``web.mapdata``).
Provenance, fact by fact:

- a list fact (a link of a vessel to a list entity, an entity's record): the list, the
  version in force when the evidence was taken and when it was loaded, the record id;
- an AIS fact: an identity's input file and line of first report, a track's files; each
  file with the SHA-256 the catalogue recorded when it was ingested and the line range;
- an event: the detector, its version and the parameters its stored events were computed
  with, and the positions it spans (file, SHA-256, lines);
- the analyst's words (the case description, notes) are marked ``by: analyst`` with their
  author and time, so no reader mistakes them for a finding of the tool.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from sanctionwatch import __version__
from sanctionwatch.ais.model import iso_utc
from sanctionwatch.ais.store import open_store
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.stored import EventStore
from sanctionwatch.cases import audit
from sanctionwatch.cases.audit import now_ms
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.models import AlertTriage
from sanctionwatch.config import Settings
from sanctionwatch.reports import provenance
from sanctionwatch.web import case_view, mapdata
from sanctionwatch.web.timeline import Timeline

FORMAT = "sanctionwatch-dossier/1"
TRAIL_MAX = 100_000  # the whole trail of a case (the page shows the latest 500)
ANALYST = "analyst"  # whose words: the analyst's, not a finding of the tool


def gather(
    settings: Settings, db: CasesDatabase, case_id: int
) -> tuple[dict[str, Any], Timeline, dict[str, Any]]:
    """The dossier of ``case_id`` (NotFound for an unknown case), the case's timeline as the
    page lays it out, and its map data as the case map serves it (for the figures)."""
    page = case_view.load(settings, db, case_id)
    mmsis = list(
        dict.fromkeys(
            int(view["mmsi"])
            for subject in page.subjects
            for view in subject["snapshot"].get("vessels", [])
        )
    )
    with open_store(settings.home, writable=False) as store, EventStore(store) as stored:
        ingests = provenance.ingest_files(store)
        states = provenance.detector_states(stored)
        marks = ",".join("?" * len(mmsis))
        condition: tuple[str, list[object]] = (
            f"(mmsi IN ({marks}) OR other_mmsi IN ({marks}))",
            [*mmsis, *mmsis],
        )
        events = mapdata.unique_events(stored.events(condition=condition)) if mmsis else []
        partners = {e.other_mmsi for e in events if e.other_mmsi is not None}
        rows = provenance.read_rows(store, sorted({*mmsis, *partners}))
    map_data = mapdata.map_data(settings, mmsis, window_from_events=True)
    numbered = [_event(n, e, states, rows, ingests) for n, e in enumerate(events, 1)]
    index = {(e["type"], e["mmsi"], e["start"]): e["n"] for e in numbered}
    lists = _lists_used(page.subjects)
    trail = _trail(db, case_id)
    dossier = {
        "format": FORMAT,
        "built_at": iso_utc(now_ms()),
        "sanctionwatch": __version__,
        "case": page.case,
        "summary": summary_of(page.case, trail),
        "subjects": [_subject(s, rows, ingests, index) for s in page.subjects],
        "events": numbered,
        "notes": [_note(note) for note in page.notes],
        "attachments": [
            {**a, "added": iso_utc(a["added_ms"])} for a in page.attachments
        ],  # listed with their SHA-256, not copied: the case keeps them
        "alerts": page.alerts,
        "trail": trail,
        "methodology": {
            "detectors": provenance.detector_definitions(states),
            "lists": lists,
            "ais_files": [i for i in ingests.values() if i["ingest"] in _used(rows)],
            "timeline": page.timeline.description,
            "timeline_source": page.timeline_source,
            "map": {"window": map_data["window"], "decimation": map_data["decimation"]},
        },
    }
    return dossier, page.timeline, map_data


def _trail(db: CasesDatabase, case_id: int) -> list[dict[str, Any]]:
    """The case's audit trail, oldest first, each entry with its chain hash: the entries
    can be checked against the log (``audit verify``, ``audit export``)."""
    with db.read() as session:
        alert_ids = session.execute(
            select(AlertTriage.alert_id).where(AlertTriage.case_id == case_id)
        ).scalars()
        entries = audit.case_trail(session, case_id, set(alert_ids), TRAIL_MAX)
        rows = [
            {
                "seq": e.seq,
                "at": iso_utc(e.at_ms),
                "at_ms": e.at_ms,
                "actor": e.actor_name,
                "action": e.action,
                "target": f"{e.target_kind} {e.target_id}",
                "detail": e.detail,  # the JSON as logged and hashed, whole
                "hash": e.hash,
            }
            for e in entries
        ]
    return rows[::-1]


def _used(rows: dict[int, provenance.Rows]) -> set[int]:
    """The ingests that stored any position of the case's vessels and their partners."""
    return {int(i) for r in rows.values() for i in set(r.ingest.tolist())}


def _event(
    n: int,
    event: Event,
    states: dict[str, dict[str, Any]],
    rows: dict[int, provenance.Rows],
    ingests: dict[int, dict[str, Any]],
) -> dict[str, Any]:
    """One event with the detector that found it (the detector is named after the type it
    finds), its parameters and the positions it spans."""
    state = states.get(event.type, {})
    return {
        "n": n,
        **event.to_dict(),
        "start_ms": event.start_ms,
        "detector": {
            "name": event.type,
            "version": f"sanctionwatch {__version__}",
            "parameters": state.get("parameters"),
        },
        "sources": provenance.event_sources(event, rows, ingests),
    }


def summary_of(case: dict[str, Any], trail: list[dict[str, Any]]) -> dict[str, Any]:
    """The case description, with who last wrote it and when: from the audit trail (the
    case's creation, or its latest change of description), which names the command line's
    user too (the case's ``created_by`` names accounts only)."""
    author, at_ms = case.get("created_by"), case.get("created_ms")
    edits = [
        row
        for row in trail
        if row["target"] == f"case {case['id']}"
        and (row["action"] == "case_created" or _changed_description(row["detail"]))
    ]
    if edits:
        last = max(edits, key=lambda row: int(row["seq"]))
        author, at_ms = last["actor"], last["at_ms"]
    return {
        "by": ANALYST,
        "author": author,
        "at": iso_utc(at_ms) if at_ms is not None else None,
        "text": case.get("description") or "",
    }


def _changed_description(detail: str) -> bool:
    try:
        said = json.loads(detail)
    except ValueError:
        return False
    return isinstance(said, dict) and said.get("description") is True


def _note(note: dict[str, Any]) -> dict[str, Any]:
    return {
        "by": ANALYST,
        "id": note["id"],
        "author": note["author"],
        "created": iso_utc(note["created_ms"]),
        "edited": iso_utc(note["edited_ms"]),
        "version": note["version"],
        "text": note["text"],  # the markdown as written: rendered as text, never as HTML
    }


def _lists_used(subjects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every list version any subject's evidence was taken against."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for subject in subjects:
        for name, version in subject["snapshot"].get("sources", {}).get("lists", {}).items():
            found[(name, str(version.get("version")))] = {"list": name, **version}
    return [found[key] for key in sorted(found)]


def _subject(
    subject: dict[str, Any],
    rows: dict[int, provenance.Rows],
    ingests: dict[int, dict[str, Any]],
    index: dict[tuple[Any, ...], int],
) -> dict[str, Any]:
    snapshot = subject["snapshot"]
    lists = snapshot.get("sources", {}).get("lists", {})
    out: dict[str, Any] = {
        "id": subject["id"],
        "kind": subject["kind"],
        "key": subject["key"],
        "added_by": subject["added_by"],
        "added": iso_utc(subject["added_ms"]),
        "as_of": snapshot.get("as_of"),
        "taken_at": snapshot.get("taken_at"),
        "snapshot_sha256": subject["snapshot_sha256"],
        "sources": snapshot.get("sources", {}),
        "limits": snapshot.get("limits", []),
        "changes": subject.get("changes"),
        "changes_unavailable": subject.get("changes_unavailable"),
    }
    if subject["kind"] == "vessel":
        out["vessels"] = [_vessel(v, lists, rows, ingests, index) for v in snapshot["vessels"]]
    elif subject["kind"] == "entity":
        out["records"] = [_record(r) for r in snapshot.get("records", [])]
    else:
        out["counterparty"] = snapshot.get("counterparty", {})
        out["hits"] = [_hit(h, lists) for h in snapshot.get("hits", [])]
    return out


def _vessel(
    view: dict[str, Any],
    lists: dict[str, Any],
    rows: dict[int, provenance.Rows],
    ingests: dict[int, dict[str, Any]],
    index: dict[tuple[Any, ...], int],
) -> dict[str, Any]:
    mmsi = int(view["mmsi"])
    identity = view.get("identity") or {}
    risk = view.get("risk") or {}
    identities = [
        {**i, "provenance": provenance.identity_source(i.get("source"), ingests)}
        for i in identity.get("identities", [])
    ]
    mine = rows.get(mmsi)
    return {
        "mmsi": mmsi,
        "label": case_view.vessel_label(view),
        "flag": identity.get("mid_flag"),
        "mid_allocated_to": identity.get("mid_allocated_to"),
        "problems": identity.get("problems", []),
        "identities": identities,
        "track": {
            "positions": identity.get("positions"),
            "first": identity.get("first_position"),
            "last": identity.get("last_position"),
            "sources": provenance.track_sources(mine, ingests) if mine is not None else [],
        },
        "risk": {
            "score": risk.get("score"),
            "level": risk.get("level"),
            "links": [_link(link, lists) for link in risk.get("links", [])],
            "factors": [_factor(f, lists, index, ingests) for f in risk.get("factors", [])],
        },
        "flags": view.get("flags", []),
        "events": [index.get((e["type"], e["mmsi"], e["start"])) for e in view.get("events", [])],
    }


def _list_provenance(name: str, record: Any, entity_id: Any, lists: dict[str, Any]) -> str:
    version = lists.get(name, {})
    return (
        f"list {name}, version {version.get('version', 'unknown')} "
        f"(loaded {version.get('loaded_at', 'unknown')}), record {record} ({entity_id})"
    )


def _link(link: dict[str, Any], lists: dict[str, Any]) -> dict[str, Any]:
    name = str(link.get("list"))
    return {
        **link,
        "version": lists.get(name, {}).get("version"),
        "provenance": _list_provenance(name, link.get("record"), link.get("entity_id"), lists),
    }


def _factor(
    factor: dict[str, Any],
    lists: dict[str, Any],
    index: dict[tuple[Any, ...], int],
    ingests: dict[int, dict[str, Any]],
) -> dict[str, Any]:
    evidence = [_evidence(e, lists, index, ingests) for e in factor.get("evidence", [])]
    return {**factor, "evidence": evidence}


def _evidence(
    item: dict[str, Any],
    lists: dict[str, Any],
    index: dict[tuple[Any, ...], int],
    ingests: dict[int, dict[str, Any]],
) -> dict[str, Any]:
    """An evidence item of a risk factor, with where it came from in words."""
    kind = item.get("kind")
    if kind == "list_record":
        where = _list_provenance(
            str(item.get("list")), item.get("record"), item.get("entity_id"), lists
        )
        if item.get("source"):
            where += f", from {item['source']}"
    elif kind == "event":
        n = index.get((item.get("type"), item.get("mmsi"), item.get("start")))
        where = f"event {n} below" if n else "an event no longer stored"
    elif kind == "identity":
        found = provenance.identity_source(item.get("source"), ingests)
        where = (
            f"AIS report of MMSI {item.get('mmsi')}: {found['file']} line {found['line']}, "
            f"SHA-256 {', '.join(found['sha256']) or 'unknown'}"
        )
    else:
        where = "as the risk store recorded it"
    return {**item, "provenance": where}


def _record(record: dict[str, Any]) -> dict[str, Any]:
    data = record.get("data") or {}
    return {
        "list": record.get("list"),
        "version": record.get("version"),
        "loaded_at": record.get("loaded_at"),
        "digest": record.get("digest"),
        "entity_id": data.get("id"),
        "caption": data.get("caption")
        or next(iter(data.get("properties", {}).get("name", [])), None),
        "schema": data.get("schema"),
        "properties": data.get("properties", {}),
        "provenance": _list_provenance(
            str(record.get("list")),
            data.get("id"),
            data.get("id"),
            {str(record.get("list")): record},
        ),
    }


def _hit(hit: dict[str, Any], lists: dict[str, Any]) -> dict[str, Any]:
    """A screening match, with the list version it was read from (the portfolio's own
    record of the hit) and when that version was loaded."""
    name = str(hit.get("list"))
    version = {**lists.get(name, {}), "version": hit.get("version")}
    where = _list_provenance(name, hit.get("record"), hit.get("entity_id"), {name: version})
    return {**hit, "provenance": where}
