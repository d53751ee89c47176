"""Team API: cases, their subjects (with evidence as of a stated time, and what changed in it
since) and similar cases. Reading needs the viewer role, changing the analyst role.

Subjects' evidence is read from the home's stores read-only (the web server never writes
them): outside the cases database's write transaction, so a slow read holds no lock there.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from sanctionwatch.cases import attachments, cases, notes, similar, subjects
from sanctionwatch.cases.audit import now_ms
from sanctionwatch.cases.evidence import Evidence, ms_of
from sanctionwatch.cases.models import NAME_MAX, TITLE_MAX, AlertTriage, CaseSubject
from sanctionwatch.web.security import Analyst, CasesDb, Viewer, app_settings

router = APIRouter(tags=["cases"])

ID_MAX = 2**31 - 1
CaseId = Annotated[int, Path(ge=1, le=ID_MAX, description="The case's id")]
SubjectId = Annotated[int, Path(ge=1, le=ID_MAX, description="The subject's id")]
Status = Literal["open", "in_review", "closed"]


class NewCase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: str = Field(default="", max_length=cases.DESCRIPTION_MAX)


class CaseChange(BaseModel):
    """What to change (fields left out stay) and the version the change was made against."""

    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=1, le=ID_MAX)
    title: str | None = Field(default=None, min_length=1, max_length=TITLE_MAX)
    description: str | None = Field(default=None, max_length=cases.DESCRIPTION_MAX)
    status: Status | None = None
    assignees: list[Annotated[str, Field(max_length=NAME_MAX)]] | None = Field(
        default=None, max_length=50
    )


class NewSubject(BaseModel):
    """A vessel (``mmsi`` or ``imo``), a list ``entity_id``, or a portfolio
    ``counterparty_id``; ``as_of``: the time the evidence is taken as of (default now)."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["vessel", "entity", "counterparty"]
    mmsi: int | None = Field(default=None, ge=0, le=999_999_999)
    imo: str | None = Field(default=None, max_length=20)
    entity_id: str | None = Field(default=None, max_length=subjects.ID_MAX)
    counterparty_id: str | None = Field(default=None, max_length=subjects.ID_MAX)
    as_of: str | None = Field(default=None, max_length=40, description="ISO 8601 with a zone")


@router.get("/api/cases")
def list_cases(
    principal: Viewer,
    db: CasesDb,
    status: Status | None = None,
    assignee: str | None = Query(default=None, max_length=NAME_MAX),
    q: str | None = Query(default=None, max_length=TITLE_MAX, description="Words of the title"),
    limit: int = Query(default=50, ge=1, le=cases.PAGE_MAX),
    offset: int = Query(default=0, ge=0, le=ID_MAX),
) -> dict[str, Any]:
    """Cases, newest first."""
    with db.read() as session:
        page = cases.list_cases(
            session, status=status, assignee=assignee, q=q, limit=limit, offset=offset
        )
        found = [cases.case_json(session, case) for case in page.cases]
    return {"cases": found, "total": page.total, "limit": limit, "offset": offset}


@router.post("/api/cases", status_code=201)
def create_case(principal: Analyst, db: CasesDb, body: NewCase) -> dict[str, Any]:
    with db.begin() as session:
        case = cases.create_case(session, principal, body.title, body.description)
        return cases.case_json(session, case)


@router.get("/api/cases/{case_id}")
def get_case(request: Request, principal: Viewer, db: CasesDb, case_id: CaseId) -> dict[str, Any]:
    """A case with its assignees, subjects (their snapshot and what changed since), notes,
    attachments and the alerts triaged into it."""
    with db.read() as session:
        case = cases.case_json(session, cases.get_case(session, case_id))
        rows = subjects.case_subjects(session, case_id)
        names = cases.user_names(session, {s.added_by_id for s in rows if s.added_by_id})
        case["notes"] = notes.case_notes(session, case_id)
        stored = attachments.case_attachments(session, case_id)
        adders = cases.user_names(session, {a.added_by_id for a in stored if a.added_by_id})
        case["attachments"] = [
            attachments.attachment_json(a, adders.get(a.added_by_id or -1)) for a in stored
        ]
        case["alerts"] = _triaged(session, case_id)
        session.expunge_all()  # the subjects as read (the read's rollback would expire them)
    at = now_ms()
    now = Evidence(app_settings(request), at, at) if rows else None
    case["subjects"] = [subjects.subject_json(s, now, names.get(s.added_by_id or -1)) for s in rows]
    return case


def _triaged(session: Session, case_id: int) -> list[dict[str, Any]]:
    query = select(AlertTriage).where(AlertTriage.case_id == case_id).order_by(AlertTriage.id)
    return [
        {"alert_id": t.alert_id, "decision": t.decision, "reason": t.reason,
         "by": t.by_name, "at_ms": t.at_ms}
        for t in session.execute(query).scalars()
    ]  # fmt: skip


@router.patch("/api/cases/{case_id}")
def patch_case(
    principal: Analyst, db: CasesDb, case_id: CaseId, body: CaseChange
) -> dict[str, Any]:
    """Change a case; 409 when ``version`` is not its current version."""
    with db.begin() as session:
        case = cases.update_case(
            session, principal, case_id, body.version, title=body.title,
            description=body.description, status=body.status, assignees=body.assignees,
        )  # fmt: skip
        return cases.case_json(session, case)


@router.post("/api/cases/{case_id}/subjects", status_code=201)
def add_subject(
    request: Request, principal: Analyst, db: CasesDb, case_id: CaseId, body: NewSubject
) -> dict[str, Any]:
    """Add a subject with its evidence as of ``as_of``; 404 unknown, 409 already there."""
    settings = app_settings(request)
    with db.read() as session:
        cases.get_case(session, case_id)
    prepared = subjects.prepare_subject(
        settings, body.kind, mmsi=body.mmsi, imo=body.imo, entity_id=body.entity_id,
        counterparty_id=body.counterparty_id,
        as_of_ms=ms_of(body.as_of) if body.as_of is not None else None,
    )  # fmt: skip
    with db.begin() as session:
        subject = subjects.add_prepared(session, principal, case_id, prepared)
        return subjects.subject_json(subject, None, principal.name)


@router.get("/api/cases/{case_id}/subjects/{subject_id}")
def get_subject(
    request: Request, principal: Viewer, db: CasesDb, case_id: CaseId, subject_id: SubjectId
) -> dict[str, Any]:
    """One subject: its snapshot as taken, and what changed in the evidence since."""
    with db.read() as session:
        subject: CaseSubject = subjects.get_subject(session, case_id, subject_id)
        names = cases.user_names(session, {subject.added_by_id} if subject.added_by_id else set())
        session.expunge(subject)
    at = now_ms()
    now = Evidence(app_settings(request), at, at)
    return subjects.subject_json(subject, now, names.get(subject.added_by_id or -1))


@router.get("/api/cases/{case_id}/similar")
def similar_cases(principal: Viewer, db: CasesDb, case_id: CaseId) -> dict[str, Any]:
    """Cases sharing a vessel, an IMO number, a list entity or an encounter partner."""
    with db.read() as session:
        return {"case_id": case_id, "similar": similar.similar_cases(session, case_id)}
