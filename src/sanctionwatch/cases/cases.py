"""Cases: create, read, list, change (title, description, status, assignees).

A change names the version it was made against: a change made against an older version is
refused (Conflict, 409) rather than merged, so two analysts editing at once never overwrite
each other silently. Every change is audited with what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sanctionwatch.cases import audit
from sanctionwatch.cases.audit import DetailValue, now_ms
from sanctionwatch.cases.errors import Conflict, NotFound
from sanctionwatch.cases.models import TITLE_MAX, CaseAssignee, CaseFile, UserAccount
from sanctionwatch.cases.principal import Principal
from sanctionwatch.errors import InputError

STATUSES = ("open", "in_review", "closed")
DESCRIPTION_MAX = 20_000
PAGE_MAX = 500


def check_title(title: str) -> str:
    title = title.strip()
    if not title or len(title) > TITLE_MAX:
        raise InputError(f"a case title is 1 to {TITLE_MAX} characters, got {len(title)}")
    return title


def check_description(description: str) -> str:
    if len(description) > DESCRIPTION_MAX:
        raise InputError(f"a case description is at most {DESCRIPTION_MAX} characters")
    return description


def create_case(session: Session, actor: Principal, title: str, description: str = "") -> CaseFile:
    """A new open case (audited as ``case_created``)."""
    now = now_ms()
    case = CaseFile(
        title=check_title(title),
        description=check_description(description),
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


def assignee_names(session: Session, case_id: int) -> list[str]:
    query = (
        select(UserAccount.name)
        .join(CaseAssignee, CaseAssignee.user_id == UserAccount.id)
        .where(CaseAssignee.case_id == case_id)
        .order_by(UserAccount.name)
    )
    return list(session.execute(query).scalars())


def user_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(UserAccount.id, UserAccount.name).where(UserAccount.id.in_(ids)))
    return {user_id: name for user_id, name in rows}


def case_json(session: Session, case: CaseFile) -> dict[str, Any]:
    """A case as the API gives it (without its subjects, notes and attachments)."""
    creator = user_names(session, {case.created_by_id} if case.created_by_id else set())
    return {
        "id": case.id,
        "title": case.title,
        "description": case.description,
        "status": case.status,
        "version": case.version,
        "created_by": creator.get(case.created_by_id or -1),
        "created_ms": case.created_ms,
        "updated_ms": case.updated_ms,
        "assignees": assignee_names(session, case.id),
    }


@dataclass(frozen=True)
class CasePage:
    cases: list[CaseFile]
    total: int


def list_cases(
    session: Session,
    *,
    status: str | None = None,
    assignee: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> CasePage:
    """Cases, newest first, filtered by status, an assignee's name and words of the title."""
    if status is not None and status not in STATUSES:
        raise InputError(f"status is one of {', '.join(STATUSES)}, not {status!r}")
    if not 1 <= limit <= PAGE_MAX or offset < 0:
        raise InputError(f"limit is 1 to {PAGE_MAX} and offset at least 0")
    query = select(CaseFile)
    if status is not None:
        query = query.where(CaseFile.status == status)
    if assignee is not None:
        query = query.where(
            CaseFile.id.in_(
                select(CaseAssignee.case_id)
                .join(UserAccount, UserAccount.id == CaseAssignee.user_id)
                .where(UserAccount.name == assignee)
            )
        )
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(CaseFile.title.ilike(pattern, escape="\\"))
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    ordered = query.order_by(CaseFile.created_ms.desc(), CaseFile.id.desc())
    found = list(session.execute(ordered.limit(limit).offset(offset)).scalars())
    return CasePage(found, int(total))


def update_case(
    session: Session,
    actor: Principal,
    case_id: int,
    version: int,
    *,
    title: str | None = None,
    description: str | None = None,
    status: str | None = None,
    assignees: list[str] | None = None,
) -> CaseFile:
    """Change what is given (None: unchanged) if ``version`` is the case's current one, else
    Conflict. Raises the version and audits ``case_updated`` with the changed fields."""
    case = session.execute(
        select(CaseFile).where(CaseFile.id == case_id).with_for_update()
    ).scalar_one_or_none()
    if case is None:
        raise NotFound(f"no case {case_id}")
    if case.version != version:
        raise Conflict(
            f"case {case_id} is at version {case.version}, the change was made against "
            f"version {version}: reload it and apply the change again"
        )
    changed: dict[str, DetailValue] = {}
    if title is not None and (title := check_title(title)) != case.title:
        case.title = changed["title"] = title
    if description is not None and check_description(description) != case.description:
        case.description = description
        changed["description"] = True  # its text may be long: the log says it changed
    if status is not None and status != case.status:
        if status not in STATUSES:
            raise InputError(f"status is one of {', '.join(STATUSES)}, not {status!r}")
        changed["status_from"], changed["status"] = case.status, status
        case.status = status
    if assignees is not None:
        _set_assignees(session, case, assignees, changed)
    if changed:
        case.version += 1
        case.updated_ms = now_ms()
        session.flush()
        audit.append(
            session, actor, "case_updated", "case", case.id, {**changed, "version": case.version}
        )
    return case


def _set_assignees(
    session: Session, case: CaseFile, names: list[str], changed: dict[str, DetailValue]
) -> None:
    wanted = sorted(set(names))
    users = session.execute(select(UserAccount).where(UserAccount.name.in_(wanted))).scalars()
    by_name = {user.name: user for user in users}
    if unknown := [name for name in wanted if name not in by_name]:
        raise InputError(f"no user called {', '.join(repr(n) for n in unknown)}")
    current = assignee_names(session, case.id)
    if current == wanted:
        return
    for row in session.execute(select(CaseAssignee).where(CaseAssignee.case_id == case.id)):
        session.delete(row[0])
    session.flush()
    for name in wanted:
        session.add(CaseAssignee(case_id=case.id, user_id=by_name[name].id))
    changed["assignees"] = wanted
