"""Workspace pages: the cases list (``/cases``) and a case (``/cases/{id}``): its subjects,
the timeline of their events, the map, notes, attachments, audit trail and similar cases.

Reading needs the viewer role; every form posts to a page route that needs the analyst role
(a viewer sees no forms, and is refused 403 if they post anyway). The routes call the same
cases library as the JSON API (routers/cases.py, notes.py, attachments.py). With htmx, a
write answers with the parts of the page it changed (the new note, the case's header) and,
out of band, the refreshed audit trail; without script, a form's answer is a redirect back
to the page. A conflict (an edit made against an old version) is a 409 whose message htmx
shows in the page's ``#flash``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from sanctionwatch.cases import attachments, cases, notes
from sanctionwatch.cases.models import NAME_MAX, NOTE_MAX, TITLE_MAX
from sanctionwatch.web import case_view
from sanctionwatch.web.pages.common import is_htmx, page_router, render
from sanctionwatch.web.security import Analyst, CasesDb, Viewer, app_settings

router = page_router(tags=["pages"])

ID_MAX = 2**31 - 1
PAGE_SIZE = 50
CaseId = Annotated[int, Path(ge=1, le=ID_MAX)]
Status = Literal["open", "in_review", "closed"]
# What the forms need to say the same limits as the library.
FORM = {
    "title_max": TITLE_MAX,
    "description_max": cases.DESCRIPTION_MAX,
    "note_max": NOTE_MAX,
    "statuses": cases.STATUSES,
}


@router.get("/cases")
def cases_list(
    request: Request,
    principal: Viewer,
    db: CasesDb,
    status: Annotated[Status | Literal[""] | None, Query()] = None,
    assignee: Annotated[str | None, Query(max_length=NAME_MAX)] = None,
    q: Annotated[str | None, Query(max_length=TITLE_MAX)] = None,
    offset: Annotated[int, Query(ge=0, le=ID_MAX)] = 0,
) -> Response:
    """Cases, newest first, filtered by status, assignee and words of the title, with how
    many there are of each status."""
    wanted = status or None
    with db.read() as session:
        page = cases.list_cases(
            session, status=wanted, assignee=assignee or None, q=q or None,
            limit=PAGE_SIZE, offset=offset,
        )  # fmt: skip
        found = [cases.case_json(session, case) for case in page.cases]
        counts = case_view.subject_counts(session, [c["id"] for c in found])
        by_status = {s: cases.list_cases(session, status=s, limit=1).total for s in cases.STATUSES}
    for item in found:
        item["subjects"] = counts.get(item["id"], 0)
    context = {
        "cases": found,
        "total": page.total,
        "by_status": by_status,
        "status": wanted or "",
        "assignee": assignee or "",
        "q": q or "",
        "offset": offset,
        "page_size": PAGE_SIZE,
        **FORM,
    }
    return render(request, "cases.html", context, section="cases")


@router.post("/cases")
def create_case(
    principal: Analyst,
    db: CasesDb,
    title: Annotated[str, Form(min_length=1, max_length=TITLE_MAX)],
    description: Annotated[str, Form(max_length=cases.DESCRIPTION_MAX)] = "",
) -> Response:
    """A new case; the answer leads to its page."""
    with db.begin() as session:
        case_id = cases.create_case(session, principal, title, description).id
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.get("/cases/{case_id}")
def case_page(request: Request, principal: Viewer, db: CasesDb, case_id: CaseId) -> Response:
    shown = case_view.load(app_settings(request), db, case_id)
    return render(request, "case.html", shown.context() | FORM, section="cases")


@router.post("/cases/{case_id}/edit")
def edit_case(
    request: Request,
    principal: Analyst,
    db: CasesDb,
    case_id: CaseId,
    version: Annotated[int, Form(ge=1, le=ID_MAX)],
    title: Annotated[str, Form(min_length=1, max_length=TITLE_MAX)],
    description: Annotated[str, Form(max_length=cases.DESCRIPTION_MAX)] = "",
    status: Annotated[Status, Form()] = "open",
    assignees: Annotated[str, Form(max_length=50 * (NAME_MAX + 2))] = "",
) -> Response:
    """Change the case's title, description, status and assignees (names separated by
    commas), made against ``version``: 409 when someone changed it meanwhile."""
    names = [name.strip() for name in assignees.split(",") if name.strip()]
    with db.begin() as session:
        changed = cases.update_case(
            session, principal, case_id, version, title=title, description=description,
            status=status, assignees=names,
        )  # fmt: skip
        case = cases.case_json(session, changed)
    if not is_htmx(request):
        return RedirectResponse(f"/cases/{case_id}", status_code=303)
    with db.read() as session:
        trail = case_view.trail_rows(session, case_id)
    context = {
        "case": case,
        "trail": trail,
        "message": f"Saved: version {case['version']}.",
        **FORM,
    }
    return render(request, "partials/case_saved.html", context)


@router.post("/cases/{case_id}/notes")
def add_note(
    request: Request,
    principal: Analyst,
    db: CasesDb,
    case_id: CaseId,
    text: Annotated[str, Form(min_length=1, max_length=NOTE_MAX)],
) -> Response:
    """A note in the analyst's words; for htmx, the note itself (appended to the list), a
    fresh form and the refreshed audit trail."""
    with db.begin() as session:
        added = notes.add_note(session, principal, case_id, text)
        note = case_view.note_for_page(notes.latest_json(session, added))
    if not is_htmx(request):
        return RedirectResponse(f"/cases/{case_id}#notes", status_code=303)
    with db.read() as session:
        trail = case_view.trail_rows(session, case_id)
    context = {"case": {"id": case_id}, "note": note, "trail": trail, **FORM}
    return render(request, "partials/case_note_added.html", context)


@router.post("/cases/{case_id}/attachments")
def add_attachment(
    request: Request, principal: Analyst, db: CasesDb, case_id: CaseId, file: UploadFile
) -> Response:
    """Attach a file (the attachment store's size and type limits apply: 413, 415)."""
    settings = app_settings(request)
    with db.read() as session:
        cases.get_case(session, case_id)  # before the bytes are stored
    with db.begin() as session:
        attachments.add_attachment(
            session, settings, principal, case_id, file.file, file.content_type, file.filename
        )
    return RedirectResponse(f"/cases/{case_id}#attachments", status_code=303)
