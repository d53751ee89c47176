"""Cases: create, read, list, change (title, description, status, assignees)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from sanctionwatch.cases import audit
from sanctionwatch.cases.audit import now_ms
from sanctionwatch.cases.errors import NotFound
from sanctionwatch.cases.models import TITLE_MAX, CaseFile
from sanctionwatch.cases.principal import Principal
from sanctionwatch.errors import InputError

STATUSES = ("open", "in_review", "closed")


def check_title(title: str) -> str:
    title = title.strip()
    if not title or len(title) > TITLE_MAX:
        raise InputError(f"a case title is 1 to {TITLE_MAX} characters, got {len(title)}")
    return title


def create_case(session: Session, actor: Principal, title: str, description: str = "") -> CaseFile:
    """A new open case (audited as ``case_created``)."""
    now = now_ms()
    case = CaseFile(
        title=check_title(title),
        description=description,
        status="open",
        created_by_id=actor.user_id,
        created_ms=now,
        updated_ms=now,
        version=1,
    )
    session.add(case)
    session.flush()
    audit.append(session, actor, "case_created", "case", case.id, {"title": case.title})
    return case


def get_case(session: Session, case_id: int) -> CaseFile:
    case = session.get(CaseFile, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    return case
