"""Local accounts: users with a role, argon2 password hashes, personal API tokens.

Tokens and session ids are 32 random bytes; only their SHA-256 is stored (a stolen database
gives no usable token), and checking one costs a hash and an indexed lookup, not an argon2
verification.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from sanctionwatch.cases import audit
from sanctionwatch.cases.audit import now_ms
from sanctionwatch.cases.errors import Conflict, NotFound
from sanctionwatch.cases.models import NAME_MAX, ApiToken, UserAccount
from sanctionwatch.cases.principal import ROLES, Principal, Role
from sanctionwatch.config import Settings
from sanctionwatch.errors import InputError

TOKEN_PREFIX = "swt_"  # noqa: S105 - a prefix, recognisable in logs and secret scanners


def password_hasher(settings: Settings) -> PasswordHasher:
    return PasswordHasher(
        time_cost=settings.password_time_cost,
        memory_cost=settings.password_memory_kib,
        parallelism=settings.password_parallelism,
    )


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def principal_of(user: UserAccount) -> Principal:
    role = check_role(user.role)  # a CHECK constraint keeps it in ROLES
    return Principal(user.id, user.name, role)


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_MAX or not name.isprintable():
        raise InputError(
            f"a user name is 1 to {NAME_MAX} printable characters, got {len(name)} characters"
        )
    return name


def check_role(role: str) -> Role:
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    return role


def get_user(session: Session, name: str) -> UserAccount:
    user = session.execute(select(UserAccount).where(UserAccount.name == name)).scalar_one_or_none()
    if user is None:
        raise NotFound(f"no user named {name!r}")
    return user


def add_user(
    session: Session, settings: Settings, actor: Principal, name: str, role: str, password: str
) -> UserAccount:
    """A new enabled local account (audited as ``user_added``)."""
    name, role = check_name(name), check_role(role)
    if session.execute(select(UserAccount.id).where(UserAccount.name == name)).first():
        raise Conflict(f"a user named {name!r} exists already")
    user = UserAccount(
        name=name,
        role=role,
        password_hash=password_hasher(settings).hash(password),
        disabled=False,
        failed_logins=0,
        created_ms=now_ms(),
    )
    session.add(user)
    session.flush()
    audit.append(session, actor, "user_added", "user", name, {"role": role})
    return user


def create_token(
    session: Session, actor: Principal, name: str, *, label: str = "", expires_ms: int | None = None
) -> str:
    """A new personal token for user ``name``; the plain token is returned once, never stored."""
    user = get_user(session, name)
    if user.disabled:
        raise Conflict(f"user {name!r} is disabled")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        token_sha256=token_digest(token),
        label=label[:NAME_MAX],
        created_ms=now_ms(),
        expires_ms=expires_ms,
    )
    session.add(row)
    session.flush()
    audit.append(session, actor, "token_created", "user", name, {"token_id": row.id})
    return token


@dataclass(frozen=True)
class TokenOwner:
    principal: Principal
    token_id: int


def token_owner(session: Session, token: str) -> TokenOwner | None:
    """Whose token this is, if it is valid now (not revoked, not expired, user enabled)."""
    found = session.execute(
        select(ApiToken, UserAccount)
        .join(UserAccount, ApiToken.user_id == UserAccount.id)
        .where(ApiToken.token_sha256 == token_digest(token))
    ).first()
    if found is None:
        return None
    row, user = found
    now = now_ms()
    if row.revoked_ms is not None or user.disabled:
        return None
    if row.expires_ms is not None and row.expires_ms <= now:
        return None
    return TokenOwner(principal_of(user), row.id)
