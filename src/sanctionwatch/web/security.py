"""Who is calling the team API, and whether their role allows the route.

A request is authenticated by a personal token (``Authorization: Bearer swt_...``) or, from
a browser, by the session cookie ``sw_session`` (set by ``POST /api/login``). Routes declare
the role they need with the typed dependencies below (``Viewer``, ``Analyst``, ``Admin``): a
role includes the ones before it (admin > analyst > viewer).

CSRF: a browser sends the session cookie with any request, including one a hostile page
makes it send. So a POST/PUT/PATCH/DELETE authenticated by the cookie must also carry the
session's CSRF token (header ``X-CSRF-Token``, or form field ``csrf_token``), which another
site cannot read, and if the browser says where the request comes from (``Origin``), that must
be this server. A request with a bearer token is exempt: nothing ambient authenticated it.

"This server" is the scheme and host the request arrived with. Behind a reverse proxy that
terminates TLS, the proxy must pass the ``Host`` header on and the server must trust its
``X-Forwarded-Proto`` (uvicorn does for a proxy on 127.0.0.1 by default), or every browser
write is refused as cross-origin, and ``cookie_secure = "auto"`` sees plain http.
"""

from __future__ import annotations

import hmac
from ipaddress import ip_address
from typing import Annotated

from fastapi import Depends, Request, Response, Security
from fastapi.concurrency import run_in_threadpool

from sanctionwatch.cases.accounts import token_owner
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.errors import Forbidden, Unauthenticated
from sanctionwatch.cases.identity import SessionOwner, session_owner
from sanctionwatch.cases.principal import Principal, Role
from sanctionwatch.config import Settings
from sanctionwatch.web.auth import SESSION_COOKIE, authorization_header

CSRF_COOKIE = "sw_csrf"  # readable by the pages' scripts, which copy it into the header
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
LOOPBACK_NAMES = frozenset({"localhost"})


def cases_db(request: Request) -> CasesDatabase:
    database: CasesDatabase = request.app.state.cases
    return database


CasesDb = Annotated[CasesDatabase, Depends(cases_db)]


def app_settings(request: Request) -> Settings:
    """The settings the app was made with."""
    settings: Settings = request.app.state.settings
    return settings


async def current_principal(
    request: Request,
    database: CasesDb,
    authorization: Annotated[str | None, Security(authorization_header)],
) -> Principal:
    """The caller, from their bearer token or session cookie; 401 when there is no valid
    credential, 403 when a cookie-authenticated write fails the CSRF checks."""
    if authorization:
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            with_token = await run_in_threadpool(_token_principal, database, token.strip())
            if with_token is None:
                raise Unauthenticated("invalid, expired or revoked token")
            request.state.principal = with_token
            return with_token
    if cookie := request.cookies.get(SESSION_COOKIE):
        owner = await run_in_threadpool(_session, database, cookie)
        if owner is None:
            raise Unauthenticated("the session has ended (expired or signed out): sign in again")
        if request.method in UNSAFE_METHODS:
            await check_csrf(request, owner.csrf_token)
        request.state.principal = owner.principal
        request.state.web_session_id = owner.session_id
        request.state.csrf_token = owner.csrf_token  # for the pages' forms and htmx headers
        return owner.principal
    raise Unauthenticated("sign in (POST /api/login) or send 'Authorization: Bearer <token>'")


def _token_principal(database: CasesDatabase, token: str) -> Principal | None:
    with database.read() as session:
        owner = token_owner(session, token)
    return None if owner is None else owner.principal


def _session(database: CasesDatabase, token: str) -> SessionOwner | None:
    with database.read() as session:
        return session_owner(session, token)


def check_origin(request: Request) -> None:
    """A browser's ``Origin``, when sent, must be this server's own (403 otherwise)."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    own = f"{request.url.scheme}://{request.url.netloc}".lower()
    if origin.strip().lower().rstrip("/") != own:
        raise Forbidden("cross-origin request refused")


async def check_csrf(request: Request, expected: str) -> None:
    check_origin(request)
    presented = request.headers.get(CSRF_HEADER)
    if presented is None and request.headers.get("content-type", "").lower().startswith(FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        presented = value if isinstance(value, str) else None
    if not presented or not hmac.compare_digest(presented.encode(), expected.encode()):
        raise Forbidden(f"missing or wrong CSRF token: send the {CSRF_HEADER} header")


class RoleRequirement:
    """The dependency that lets through callers with ``role`` or a stronger one. A class,
    not a closure, so the route-policy test can find each route's role in its dependencies."""

    def __init__(self, role: Role) -> None:
        self.role = role
        self.__name__ = f"require_{role}"

    async def __call__(
        self, principal: Annotated[Principal, Depends(current_principal)]
    ) -> Principal:
        if not principal.can(self.role):
            raise Forbidden(
                f"this needs the {self.role} role; {principal.name} is {principal.role}"
            )
        return principal


def require(role: Role) -> RoleRequirement:
    return RoleRequirement(role)


Viewer = Annotated[Principal, Depends(require("viewer"))]
Analyst = Annotated[Principal, Depends(require("analyst"))]
Admin = Annotated[Principal, Depends(require("admin"))]


# --- cookies --------------------------------------------------------------------------------


def secure_cookies(request: Request, settings: Settings) -> bool:
    """Whether cookies get ``Secure``: always, except when ``cookie_secure`` says never, or
    says auto and the browser reached us over plain http on this machine (where a Secure
    cookie would never be sent back)."""
    if settings.cookie_secure in ("always", "never"):
        return settings.cookie_secure == "always"
    return not (request.url.scheme == "http" and _is_loopback(request.url.hostname or ""))


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def set_session_cookies(
    response: Response, request: Request, settings: Settings, token: str, csrf_token: str
) -> None:
    secure = secure_cookies(request, settings)
    max_age = int(settings.session_ttl_seconds)
    for name, value, http_only in ((SESSION_COOKIE, token, True), (CSRF_COOKIE, csrf_token, False)):
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path="/",
            secure=secure,
            httponly=http_only,
            samesite="strict",
        )


def clear_session_cookies(response: Response, request: Request, settings: Settings) -> None:
    secure = secure_cookies(request, settings)
    for name, http_only in ((SESSION_COOKIE, True), (CSRF_COOKIE, False)):
        response.delete_cookie(name, path="/", secure=secure, httponly=http_only, samesite="strict")
