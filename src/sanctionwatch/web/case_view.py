"""What the case page shows, gathered from the cases library in one read of the cases
database, then the home's stores read once per subject (outside that read, as the JSON
API does): the case, its subjects with what changed in their evidence since it was taken,
the timeline of their vessels' events, notes, attachments, the case's audit trail and
similar cases.

Each vessel subject's current evidence is read once and serves both its ``changes`` and the
timeline (the events as the stores hold them now, like the map beside it); when it cannot be
read, the timeline falls back to the events in the stored snapshot and says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sanctionwatch.cases import attachments, audit, cases, notes, similar, subjects
from sanctionwatch.cases.audit import now_ms
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.errors import NotFound
from sanctionwatch.cases.evidence import Evidence, changes
from sanctionwatch.cases.models import AlertTriage, AuditEntry, CaseSubject
from sanctionwatch.config import Settings
from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.web.timeline import LaneInput, Timeline, lay_out

TRAIL_MAX = 500


@dataclass
class CasePage:
    case: dict[str, Any]
    subjects: list[dict[str, Any]]
    timeline: Timeline
    timeline_source: str  # "now" or "snapshot"
    notes: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    trail: list[dict[str, Any]]
    similar: list[dict[str, Any]]
    alerts: list[dict[str, Any]]

    def context(self) -> dict[str, Any]:
        return dict(self.__dict__)


def note_for_page(note: dict[str, Any]) -> dict[str, Any]:
    """A note whose ``html`` the template writes as is: it is the markdown rendered by
    cases/notes.py, which lets no raw HTML through (markdown-it with HTML off, then nh3's
    allow-list of tags and URL schemes). Marked here, in one place, so that no template
    ever needs ``|safe``."""
    return {**note, "html": Markup(note["html"])}  # noqa: S704 - sanitised by notes.render


def trail_rows(session: Session, case_id: int) -> list[dict[str, Any]]:
    """The case's audit trail (cases/audit.py ``case_trail``) as the page lists it."""
    alert_ids = session.execute(
        select(AlertTriage.alert_id).where(AlertTriage.case_id == case_id)
    ).scalars()
    return [_trail_row(e) for e in audit.case_trail(session, case_id, set(alert_ids), TRAIL_MAX)]


def _trail_row(entry: AuditEntry) -> dict[str, Any]:
    try:
        detail = json.loads(entry.detail)
    except ValueError:
        detail = entry.detail
    if isinstance(detail, dict):
        text = "; ".join(f"{k}: {_value(v)}" for k, v in sorted(detail.items()) if v is not None)
    else:
        text = str(detail)
    return {
        "seq": entry.seq,
        "at_ms": entry.at_ms,
        "actor": entry.actor_name,
        "action": entry.action.replace("_", " "),
        "target": f"{entry.target_kind} {entry.target_id}",
        "detail": text,
    }


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        return value[:12] + "…"  # a SHA-256: its head is enough to tell it apart on the page
    return str(value)


def load(settings: Settings, db: CasesDatabase, case_id: int) -> CasePage:
    """Everything the case page shows (NotFound for an unknown case)."""
    with db.read() as session:
        case = cases.case_json(session, cases.get_case(session, case_id))
        rows = subjects.case_subjects(session, case_id)
        adders = cases.user_names(session, {s.added_by_id for s in rows if s.added_by_id})
        case_notes = [note_for_page(note) for note in notes.case_notes(session, case_id)]
        stored = attachments.case_attachments(session, case_id)
        names = cases.user_names(session, {a.added_by_id for a in stored if a.added_by_id})
        files = [attachments.attachment_json(a, names.get(a.added_by_id or -1)) for a in stored]
        triaged = session.execute(
            select(AlertTriage).where(AlertTriage.case_id == case_id).order_by(AlertTriage.id)
        ).scalars()
        alerts = [
            {"alert_id": t.alert_id, "by": t.by_name, "at_ms": t.at_ms, "reason": t.reason}
            for t in triaged
        ]
        trail = trail_rows(session, case_id)
        alike = similar.similar_cases(session, case_id)
        session.expunge_all()  # the subjects as read (the read's rollback would expire them)
    at = now_ms()
    now = Evidence(settings, at, at) if rows else None
    shown, lanes, source = [], [], "now"
    seen: set[int] = set()
    for row in rows:
        subject, current = _subject(row, now, adders.get(row.added_by_id or -1))
        shown.append(subject)
        views = (current or subject["snapshot"]).get("vessels", [])
        if row.kind == "vessel" and current is None:
            source = "snapshot"
        for view in views:
            if int(view["mmsi"]) not in seen:
                seen.add(int(view["mmsi"]))
                lanes.append(LaneInput(vessel_label(view), int(view["mmsi"]), view["events"]))
    return CasePage(
        case=case,
        subjects=shown,
        timeline=lay_out(lanes),
        timeline_source=source,
        notes=case_notes,
        attachments=files,
        trail=trail,
        similar=alike,
        alerts=alerts,
    )


def _subject(
    row: CaseSubject, now: Evidence | None, added_by: str | None
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The subject as the API gives it (subjects.subject_json) and its evidence read now
    (None when it cannot be read): read once, for ``changes`` and for the timeline."""
    subject = subjects.subject_json(row, None, added_by)
    current = None
    if now is not None:
        try:
            current = subjects.take_snapshot(now, row.subject_key)
            subject["changes"] = changes(subject["snapshot"], current)
        except NotFound as exc:
            subject["changes"] = [{"change": "gone", "detail": exc.message}]
        except SanctionwatchError as exc:  # a store that cannot be read now
            subject["changes_unavailable"] = exc.message
    subject["summary"] = summary(subject["snapshot"])
    return subject, current


def vessel_label(view: dict[str, Any]) -> str:
    """A vessel's latest broadcast name and its MMSI ("SUNNY BAY (352001234)")."""
    identities = (view.get("identity") or {}).get("identities", [])
    names = [i for i in identities if i.get("name")]
    if names:
        latest = max(names, key=lambda i: str(i.get("last_seen")))
        return f"{latest['name']} ({view['mmsi']})"
    return f"MMSI {view['mmsi']}"


def summary(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The facts of a snapshot the page lists (the full snapshot is in the API)."""
    if snapshot.get("kind") == "vessel":
        return {"vessels": [_vessel_summary(v) for v in snapshot.get("vessels", [])]}
    if snapshot.get("kind") == "entity":
        records = snapshot.get("records", [])
        return {
            "caption": next((_caption(r.get("data")) for r in records), snapshot.get("entity_id")),
            "lists": [f"{r['list']} {r['version']}" for r in records],
        }
    party = snapshot.get("counterparty", {})
    return {
        "caption": party.get("name") or party.get("id"),
        "hits": [
            f"{h.get('caption') or h.get('entity_id')} ({h.get('list')})"
            for h in snapshot.get("hits", [])
        ],
    }


def _caption(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    if data.get("caption"):
        return str(data["caption"])
    names = (data.get("properties") or {}).get("name") or []
    return str(names[0]) if names else None


def _vessel_summary(view: dict[str, Any]) -> dict[str, Any]:
    identity = view.get("identity") or {}
    identities = identity.get("identities", [])
    risk = view.get("risk") or {}
    kinds: dict[str, int] = {}
    for event in view.get("events", []):
        kinds[event["type"]] = kinds.get(event["type"], 0) + 1
    return {
        "mmsi": view["mmsi"],
        "label": vessel_label(view),
        "names": sorted({i["name"] for i in identities if i.get("name")}),
        "imos": sorted({str(i["imo"]) for i in identities if i.get("imo")}),
        "flag": identity.get("mid_flag"),
        "positions": identity.get("positions"),
        "score": risk.get("score"),
        "level": risk.get("level"),
        "links": [
            f"{link.get('caption')} ({link.get('list')}, via {link.get('via')})"
            for link in risk.get("links", [])
        ],
        "events": dict(sorted(kinds.items())),
    }


def subject_counts(session: Session, case_ids: list[int]) -> dict[int, int]:
    """How many subjects each case has (the cases list shows it)."""
    if not case_ids:
        return {}
    query = (
        select(CaseSubject.case_id, func.count())
        .where(CaseSubject.case_id.in_(case_ids))
        .group_by(CaseSubject.case_id)
    )
    return {case_id: int(count) for case_id, count in session.execute(query)}
