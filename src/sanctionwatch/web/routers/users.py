"""Managing the team's accounts (admin only): ``GET|POST /api/users``,
``PATCH /api/users/{name}``, ``POST /api/users/{name}/tokens``. Every change is audited."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from sanctionwatch.cases import accounts
from sanctionwatch.cases.models import NAME_MAX
from sanctionwatch.web.routers.session import TokenRequest, TokenResponse
from sanctionwatch.web.security import Admin, CasesDb, app_settings

router = APIRouter(tags=["users"])
RoleName = Literal["admin", "analyst", "viewer"]


class UserRow(BaseModel):
    name: str
    role: str
    disabled: bool
    locked_until_ms: int | None
    created_ms: int
    tokens: int


class NewUser(BaseModel):
    name: str = Field(min_length=1, max_length=NAME_MAX)
    role: RoleName
    password: str = Field(min_length=1, max_length=accounts.PASSWORD_MAX)


class UserChange(BaseModel):
    role: RoleName | None = None
    disabled: bool | None = None


@router.get("/api/users", response_model=list[UserRow])
def list_users(principal: Admin, db: CasesDb) -> list[UserRow]:
    with db.read() as session:
        return [UserRow(**row) for row in accounts.list_users(session)]


@router.post("/api/users", response_model=UserRow, status_code=201)
def add_user(principal: Admin, body: NewUser, request: Request, db: CasesDb) -> UserRow:
    settings = app_settings(request)
    with db.begin() as session:
        accounts.add_user(session, settings, principal, body.name, body.role, body.password)
    return _row(db, body.name.strip())


@router.patch("/api/users/{name}", response_model=UserRow)
def change_user(principal: Admin, name: str, body: UserChange, db: CasesDb) -> UserRow:
    """Change a user's role and/or disable (or re-enable) them; disabling ends their
    sessions and revokes their tokens at once."""
    with db.begin() as session:
        if body.role is not None:
            accounts.set_role(session, principal, name, body.role)
        if body.disabled is not None:
            accounts.set_disabled(session, principal, name, body.disabled)
    return _row(db, name)


@router.post("/api/users/{name}/tokens", response_model=TokenResponse, status_code=201)
def new_token(principal: Admin, name: str, body: TokenRequest, db: CasesDb) -> TokenResponse:
    """A token for user ``name`` (shown once), e.g. for a service account's scripts."""
    with db.begin() as session:
        issued = accounts.issue_token(
            session, principal, name, label=body.label, valid_days=body.expires_days
        )
    return TokenResponse(id=issued.token_id, token=issued.token, expires_ms=issued.expires_ms)


def _row(db: CasesDb, name: str) -> UserRow:
    with db.read() as session:
        accounts.get_user(session, name)  # 404 for an unknown name
        return next(UserRow(**row) for row in accounts.list_users(session) if row["name"] == name)
