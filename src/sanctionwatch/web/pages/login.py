"""Signing in and out from a browser: ``GET|POST /login`` (a plain form, no script needed)
and ``POST /logout``; ``/`` leads to the alerts inbox.

The form posts to the same identity provider as ``POST /api/login`` (argon2, lock-out,
audited failures) and sets the same cookies. Before a session exists there is no CSRF token
to check, so the sign-in form relies on the ``Origin`` check (another site cannot sign a
visitor into the attacker's account) and SameSite=Strict cookies.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from sanctionwatch.cases.identity import close_session
from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.web.pages.common import page_router, render, safe_next
from sanctionwatch.web.routers.session import client_address, identity_provider, start_session
from sanctionwatch.web.security import (
    CasesDb,
    Viewer,
    app_settings,
    check_origin,
    clear_session_cookies,
)

router = page_router(tags=["pages"])
FIELD_MAX = 1024


@router.get("/")
def home(principal: Viewer) -> Response:
    return RedirectResponse("/alerts", status_code=303)


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": safe_next(next), "error": "", "username": ""})


@router.post("/login")
def login(
    request: Request,
    db: CasesDb,
    username: Annotated[str, Form(min_length=1, max_length=FIELD_MAX)],
    password: Annotated[str, Form(min_length=1, max_length=FIELD_MAX)],
    next: Annotated[str, Form(max_length=FIELD_MAX)] = "/alerts",
) -> Response:
    check_origin(request)
    target = safe_next(next)
    try:
        principal = identity_provider(request).authenticate(
            username, password, client=client_address(request)
        )
        error, status = ("Wrong user name or password.", 401) if principal is None else ("", 200)
    except SanctionwatchError as exc:  # locked out (429, with Retry-After)
        principal, error, status = None, exc.message, exc.http_status
    if principal is None:
        context = {"next": target, "error": error, "username": username}
        return render(request, "login.html", context, status_code=status)
    response = RedirectResponse(target, status_code=303)
    start_session(request, db, principal, response)
    return response


@router.post("/logout")
def logout(principal: Viewer, request: Request, db: CasesDb) -> Response:
    """End this browser's session (the form carries the CSRF token) and go to sign-in."""
    session_id: int | None = getattr(request.state, "web_session_id", None)
    if session_id is not None:
        with db.begin() as session:
            close_session(session, principal, session_id)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookies(response, request, app_settings(request))
    return response
