"""Signing in and out: ``POST /api/login``, ``POST /api/logout``, ``GET /api/me``, and the
caller's own tokens (``GET|POST /api/me/tokens``, ``DELETE /api/tokens/{token_id}``).

Sign-in checks the password with argon2 (CPU-bound, hence plain ``def`` routes: they run in
the thread pool), then opens a server-side session: the ``sw_session`` cookie (HttpOnly,
SameSite=Strict) holds a random token whose SHA-256 is the row's key; ``sw_csrf`` and the
JSON answer carry the CSRF token that cookie-authenticated writes must send back.
"""

from __future__ import annotations

import threading

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from sanctionwatch.cases import accounts
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.errors import Unauthenticated
from sanctionwatch.cases.identity import (
    IdentityProvider,
    LocalPasswordProvider,
    OpenedSession,
    close_session,
    open_session,
)
from sanctionwatch.cases.models import NAME_MAX
from sanctionwatch.cases.principal import Principal
from sanctionwatch.web.auth import SESSION_COOKIE
from sanctionwatch.web.security import (
    CasesDb,
    Viewer,
    app_settings,
    check_origin,
    clear_session_cookies,
    set_session_cookies,
)

router = APIRouter(tags=["session"])
_provider_lock = threading.Lock()


class LoginRequest(BaseModel):
    username: str = Field(max_length=200)
    password: str = Field(max_length=accounts.PASSWORD_MAX)


class UserView(BaseModel):
    name: str
    role: str


class LoginResponse(BaseModel):
    user: UserView
    csrf_token: str


class TokenRequest(BaseModel):
    label: str = Field(default="", max_length=NAME_MAX)
    expires_days: int | None = Field(default=None, ge=1, le=3650)


class TokenResponse(BaseModel):
    """The new token, shown once: only its SHA-256 is kept."""

    id: int
    token: str
    expires_ms: int | None


class TokenView(BaseModel):
    id: int
    label: str
    created_ms: int
    expires_ms: int | None
    revoked_ms: int | None


def identity_provider(request: Request) -> IdentityProvider:
    """The app's provider, made on first use (it holds the per-address failure counts)."""
    with _provider_lock:
        provider: IdentityProvider | None = getattr(request.app.state, "identity", None)
        if provider is None:
            provider = LocalPasswordProvider(request.app.state.cases, app_settings(request))
            request.app.state.identity = provider
    return provider


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


@router.post("/api/login", response_model=LoginResponse)
def login(body: LoginRequest, request: Request, response: Response, db: CasesDb) -> LoginResponse:
    """Sign in with a user name and password: sets the session cookies. 401 for wrong
    credentials, 429 (with Retry-After) while the account or this address is locked out."""
    check_origin(request)  # no signing a victim's browser into the attacker's account
    client = client_address(request)
    principal = identity_provider(request).authenticate(body.username, body.password, client=client)
    if principal is None:
        raise Unauthenticated("wrong user name or password")
    opened = start_session(request, db, principal, response)
    return LoginResponse(
        user=UserView(name=principal.name, role=principal.role), csrf_token=opened.csrf_token
    )


def start_session(
    request: Request, db: CasesDatabase, principal: Principal, response: Response
) -> OpenedSession:
    """After a good password (the JSON API and the sign-in form alike): open the server-side
    session, replacing this browser's previous one, and set its cookies on ``response``."""
    settings = app_settings(request)
    with db.begin() as session:
        opened = open_session(
            session,
            settings,
            principal,
            method="password",
            client=client_address(request),
            replacing=request.cookies.get(SESSION_COOKIE),
        )
    set_session_cookies(response, request, settings, opened.token, opened.csrf_token)
    return opened


@router.post("/api/logout", status_code=204)
def logout(principal: Viewer, request: Request, response: Response, db: CasesDb) -> Response:
    """End this browser's session (a bearer token is left as it is: revoke it instead)."""
    session_id: int | None = getattr(request.state, "web_session_id", None)
    if session_id is not None:
        with db.begin() as session:
            close_session(session, principal, session_id)
    response = Response(status_code=204)
    clear_session_cookies(response, request, app_settings(request))
    return response


@router.get("/api/me", response_model=UserView)
def me(principal: Viewer) -> UserView:
    return UserView(name=principal.name, role=principal.role)


@router.get("/api/me/tokens", response_model=list[TokenView])
def my_tokens(principal: Viewer, db: CasesDb) -> list[TokenView]:
    assert principal.user_id is not None
    with db.read() as session:
        return [TokenView(**row) for row in accounts.list_tokens(session, principal.user_id)]


@router.post("/api/me/tokens", response_model=TokenResponse, status_code=201)
def new_own_token(principal: Viewer, body: TokenRequest, db: CasesDb) -> TokenResponse:
    """A personal token for scripts, acting with the caller's own role."""
    with db.begin() as session:
        issued = accounts.issue_token(
            session, principal, principal.name, label=body.label, valid_days=body.expires_days
        )
    return TokenResponse(id=issued.token_id, token=issued.token, expires_ms=issued.expires_ms)


@router.delete("/api/tokens/{token_id}", status_code=204)
def revoke(principal: Viewer, token_id: int, db: CasesDb) -> Response:
    """Revoke a token: the caller's own, or anyone's for an admin."""
    with db.begin() as session:
        accounts.revoke_token(session, principal, token_id)
    return Response(status_code=204)
