"""Workspace page: the alerts inbox at ``/alerts``.

``GET /alerts`` is the whole page, or for htmx (the filter form, the pager) only the
results region, with ``HX-Push-Url`` set to the view's clean URL so the address bar can be
shared. ``POST /alerts/triage`` records one decision on the selected alerts with the same
library call as ``POST /api/alerts/triage`` (all of them or none), then redraws the view the
analyst was looking at (read from ``HX-Current-URL``) and says what was done in ``#flash``.
Errors (no reason to dismiss, an alert gone, a closed case) are raised as
``SanctionwatchError`` and shown in ``#flash`` by ``common.page_error``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlsplit

from fastapi import Form, Request
from fastapi.responses import HTMLResponse
from pydantic import Field
from sqlalchemy.orm import Session

from sanctionwatch.cases import triage
from sanctionwatch.cases.cases import list_cases
from sanctionwatch.cases.models import REASON_MAX, TITLE_MAX
from sanctionwatch.errors import InputError
from sanctionwatch.web.pages.alerts_view import (
    ORDER_LABELS,
    PAGE_SIZE,
    SORT_LABELS,
    Inbox,
    InboxView,
    load_inbox,
    view_from,
)
from sanctionwatch.web.pages.common import is_htmx, page_router, render
from sanctionwatch.web.routers.alerts import ID_MAX
from sanctionwatch.web.security import Analyst, CasesDb, Viewer, app_settings

router = page_router(tags=["pages"])
OPEN_CASES_MAX = 200  # offered in the "existing case" list, newest first
AlertNumber = Annotated[int, Field(ge=1, le=ID_MAX)]
DECISION_WORDS = {"accepted": "accepted", "dismissed": "dismissed", "unsure": "marked unsure"}


@router.get("/alerts")
def inbox(request: Request, principal: Viewer, db: CasesDb) -> HTMLResponse:
    """The inbox in the state the query string names (see ``alerts_view.InboxView``)."""
    view = view_from(request.query_params)
    settings = app_settings(request)
    partial = is_htmx(request) and request.headers.get("hx-history-restore-request") != "true"
    with db.read() as session:
        loaded = load_inbox(session, settings, view)
        cases = _open_cases(session) if _can_write(request) and not partial else []
    headers = {"Vary": "HX-Request"}
    if partial:
        headers["HX-Push-Url"] = loaded.view.url()
        return render(request, "partials/alerts_results.html", _context(loaded, oob=True),
                      section="alerts", headers=headers)  # fmt: skip
    context = _context(loaded, cases=cases)
    return render(request, "alerts.html", context, section="alerts", headers=headers)


@router.post("/alerts/triage")
def triage_selected(
    request: Request,
    principal: Analyst,
    db: CasesDb,
    decision: Annotated[Literal["accepted", "dismissed", "unsure"], Form()],
    alert_id: Annotated[list[AlertNumber] | None, Form(max_length=triage.BULK_MAX)] = None,
    reason: Annotated[str, Form(max_length=REASON_MAX)] = "",
    case_id: Annotated[int | None, Form(ge=1)] = None,
    new_case_title: Annotated[str, Form(max_length=TITLE_MAX)] = "",
) -> HTMLResponse:
    """One decision on the selected alerts (``alert_id``, repeated): accepted into the case
    ``case_id`` or a new case titled ``new_case_title``, dismissed with a ``reason``, or
    unsure. All are recorded or, on any error, none."""
    ids = list(dict.fromkeys(alert_id or []))
    if not ids:
        raise InputError("select at least one alert first")
    title: str | None = None
    if decision == "accepted" and case_id is None:
        title = new_case_title.strip()
        if not title:
            raise InputError("give the new case a title, or choose an existing case")
    settings = app_settings(request)
    done = triage.decide(
        db, settings, principal, ids, decision, reason=reason or None,
        case_id=case_id if decision == "accepted" else None, new_case_title=title,
    )  # fmt: skip
    view = _current_view(request)
    with db.read() as session:
        loaded = load_inbox(session, settings, view)
        cases = _open_cases(session)
    message = {
        "text": _done_text(ids, decision, done.case_id, done.vessels_unknown),
        "case_id": done.case_id,
    }
    context = _context(loaded, oob=is_htmx(request), cases=cases, done=message)
    if not is_htmx(request):  # a form posted without script: the page, with the message
        return render(request, "alerts.html", context, section="alerts")
    return render(request, "partials/alerts_results.html", context, section="alerts",
                  headers={"HX-Retarget": "#alert-results", "HX-Reswap": "innerHTML"})  # fmt: skip


def _current_view(request: Request) -> InboxView:
    """The view the page showed when the form was posted (its address, which htmx sends);
    the first page of the whole inbox when that is not known or not this page."""
    current = urlsplit(request.headers.get("hx-current-url", ""))
    if current.path != "/alerts":
        return InboxView()
    try:
        return view_from(dict(parse_qsl(current.query)))
    except InputError:
        return InboxView()


def _open_cases(session: Session) -> list[dict[str, Any]]:
    """Cases an alert can still go into (any not closed), newest first."""
    found = []
    for status in ("open", "in_review"):
        found += list_cases(session, status=status, limit=OPEN_CASES_MAX).cases
    found.sort(key=lambda case: (case.created_ms, case.id), reverse=True)
    return [{"id": c.id, "title": c.title, "status": c.status} for c in found[:OPEN_CASES_MAX]]


def _can_write(request: Request) -> bool:
    principal = getattr(request.state, "principal", None)
    return principal is not None and bool(principal.can("analyst"))


def _done_text(ids: list[int], decision: str, case_id: int | None, unknown: list[int]) -> str:
    """What was recorded, in words (the vessels a case did not get are named)."""
    shown = ", ".join(str(i) for i in ids[:20])
    more = f" and {len(ids) - 20} more" if len(ids) > 20 else ""
    text = f"{'Alert' if len(ids) == 1 else 'Alerts'} {shown}{more} {DECISION_WORDS[decision]}"
    if case_id is not None:
        text += f" into case {case_id}"
    if unknown:
        text += f" (vessels {', '.join(map(str, unknown))} not added: the home has no data on them)"
    return text + "."


def _context(
    loaded: Inbox,
    *,
    oob: bool = False,
    cases: list[dict[str, Any]] | None = None,
    done: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "title_max": TITLE_MAX,
        "reason_max": REASON_MAX,
        "inbox": loaded,
        "view": loaded.view,
        "oob": oob,
        "cases": cases or [],
        "done": done,
        "page_size": PAGE_SIZE,
        "sorts": SORT_LABELS,
        "orders": ORDER_LABELS,
        "severities": triage.SEVERITIES,
        "statuses": triage.STATUSES,
    }
