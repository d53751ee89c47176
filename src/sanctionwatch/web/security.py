"""Who is calling the team API, and whether their role allows the route.

A request is authenticated by a personal token (``Authorization: Bearer swt_...``) or, from
a browser, by the session cookie (see routers/session.py). Routes declare the role they need
with the typed dependencies below (``Viewer``, ``Analyst``, ``Admin``): a role includes the
ones before it (admin > analyst > viewer).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Security

from sanctionwatch.cases.accounts import token_owner
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.errors import Forbidden, Unauthenticated
from sanctionwatch.cases.principal import Principal, Role
from sanctionwatch.web.auth import authorization_header


def cases_db(request: Request) -> CasesDatabase:
    database: CasesDatabase = request.app.state.cases
    return database


CasesDb = Annotated[CasesDatabase, Depends(cases_db)]


def current_principal(
    request: Request,
    database: CasesDb,
    authorization: Annotated[str | None, Security(authorization_header)],
) -> Principal:
    """The caller, from their token; 401 when there is no valid credential."""
    if authorization:
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            with database.read() as session:
                owner = token_owner(session, token.strip())
            if owner is not None:
                request.state.principal = owner.principal
                return owner.principal
            raise Unauthenticated("invalid, expired or revoked token")
    raise Unauthenticated("sign in (POST /api/login) or send 'Authorization: Bearer <token>'")


def require(role: Role) -> Callable[..., Principal]:
    """A dependency that lets through callers with ``role`` or a stronger one."""

    def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.can(role):
            raise Forbidden(f"this needs the {role} role; {principal.name} is {principal.role}")
        return principal

    dependency.__name__ = f"require_{role}"
    return dependency


Viewer = Annotated[Principal, Depends(require("viewer"))]
Analyst = Annotated[Principal, Depends(require("analyst"))]
Admin = Annotated[Principal, Depends(require("admin"))]
