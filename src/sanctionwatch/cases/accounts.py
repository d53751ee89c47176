"""Local accounts: users with a role, argon2 password hashes, personal API tokens, and the
bookkeeping of failed sign-ins (the lock-out).

Tokens and session ids are 32 random bytes; only their SHA-256 is stored (a stolen database
gives no usable token), and checking one costs a hash and an indexed lookup, not an argon2
verification. Every change here is audited in the caller's transaction.

Lock-out: ``failed_logins`` counts wrong passwords since the last successful sign-in. Each
time it reaches a multiple of ``login_max_failures`` the account is locked, the n-th time for
``login_lock_seconds * 2**(n-1)``; a successful sign-in resets the count. The counters live in
the database, so they survive restarts and hold across server processes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from sanctionwatch.cases import audit
from sanctionwatch.cases.audit import now_ms
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.errors import Conflict, NotFound
from sanctionwatch.cases.models import NAME_MAX, ApiToken, UserAccount, WebSession
from sanctionwatch.cases.principal import ROLES, Principal, Role
from sanctionwatch.config import Settings
from sanctionwatch.errors import InputError

TOKEN_PREFIX = "swt_"  # noqa: S105 - a prefix, recognisable in logs and secret scanners
# argon2 pre-hashes any length, but a megabyte "password" is a request to waste CPU.
PASSWORD_MAX = 1024
DAY_MS = 86_400_000


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


def check_password(password: str) -> str:
    if not password or len(password) > PASSWORD_MAX:
        raise InputError(f"a password is 1 to {PASSWORD_MAX} characters")
    return password


def find_user(session: Session, name: str, *, for_update: bool = False) -> UserAccount | None:
    query = select(UserAccount).where(UserAccount.name == name)
    if for_update:  # PostgreSQL: concurrent sign-ins count failures one at a time
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def get_user(session: Session, name: str, *, for_update: bool = False) -> UserAccount:
    user = find_user(session, name, for_update=for_update)
    if user is None:
        raise NotFound(f"no user named {name!r}")
    return user


def add_user(
    session: Session, settings: Settings, actor: Principal, name: str, role: str, password: str
) -> UserAccount:
    """A new enabled local account (audited as ``user_added``)."""
    name, role = check_name(name), check_role(role)
    check_password(password)
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


def team_has_users(database: CasesDatabase) -> bool:
    """Whether anyone can sign in yet (``serve`` says how to add the first user if not)."""
    with database.read() as session:
        return session.execute(select(UserAccount.id).limit(1)).first() is not None


def list_users(session: Session) -> list[dict[str, Any]]:
    """Every account, by name, with how many live tokens it has (no secrets)."""
    now = now_ms()
    live = (
        select(ApiToken.user_id, func.count().label("tokens"))
        .where(ApiToken.revoked_ms.is_(None))
        .where((ApiToken.expires_ms.is_(None)) | (ApiToken.expires_ms > now))
        .group_by(ApiToken.user_id)
        .subquery()
    )
    rows = session.execute(
        select(UserAccount, live.c.tokens)
        .outerjoin(live, live.c.user_id == UserAccount.id)
        .order_by(UserAccount.name)
    ).all()
    return [
        {
            "name": user.name,
            "role": user.role,
            "disabled": user.disabled,
            "locked_until_ms": user.locked_until_ms if (user.locked_until_ms or 0) > now else None,
            "created_ms": user.created_ms,
            "tokens": tokens or 0,
        }
        for user, tokens in rows
    ]


def set_role(session: Session, actor: Principal, name: str, role: str) -> UserAccount:
    """Give user ``name`` another role (audited ``role_changed``). The last enabled admin
    keeps theirs: the team would otherwise need the command line to manage users again."""
    role = check_role(role)
    user = get_user(session, name, for_update=True)
    if user.role == role:
        return user
    if user.role == "admin" and not user.disabled:
        _keep_an_admin(session, user)
    previous, user.role = user.role, role
    audit.append(session, actor, "role_changed", "user", name, {"from": previous, "to": role})
    return user


def set_disabled(session: Session, actor: Principal, name: str, disabled: bool) -> UserAccount:
    """Disable user ``name`` (ends their sessions, revokes their tokens; audited
    ``user_disabled``) or enable them again (``user_enabled``; their old tokens stay revoked)."""
    user = get_user(session, name, for_update=True)
    if user.disabled == disabled:
        return user
    if disabled:
        if user.role == "admin":
            _keep_an_admin(session, user)
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))
        live = (ApiToken.user_id == user.id, ApiToken.revoked_ms.is_(None))
        revoked = session.execute(select(func.count()).select_from(ApiToken).where(*live))
        revoked_count = revoked.scalar_one()
        session.execute(update(ApiToken).where(*live).values(revoked_ms=now_ms()))
        user.disabled = True
        audit.append(
            session, actor, "user_disabled", "user", name, {"tokens_revoked": revoked_count}
        )
    else:
        user.disabled, user.failed_logins, user.locked_until_ms = False, 0, None
        audit.append(session, actor, "user_enabled", "user", name, {})
    return user


def disable_user(session: Session, actor: Principal, name: str) -> UserAccount:
    return set_disabled(session, actor, name, True)


def _keep_an_admin(session: Session, user: UserAccount) -> None:
    others = session.execute(
        select(func.count())
        .select_from(UserAccount)
        .where(UserAccount.role == "admin", UserAccount.id != user.id, ~UserAccount.disabled)
    ).scalar_one()
    if not others:
        raise Conflict(f"{user.name} is the last enabled admin; make another admin first")


@dataclass(frozen=True)
class IssuedToken:
    """A token just made: the plain ``token`` is shown once and never stored."""

    token: str
    token_id: int
    expires_ms: int | None


def issue_token(
    session: Session,
    actor: Principal,
    name: str,
    *,
    label: str = "",
    expires_ms: int | None = None,
    valid_days: int | None = None,
) -> IssuedToken:
    """A new personal token for user ``name`` (audited ``token_created``), expiring at
    ``expires_ms``, or ``valid_days`` after now, or never."""
    user = get_user(session, name)
    if user.disabled:
        raise Conflict(f"user {name!r} is disabled")
    created = now_ms()
    if valid_days is not None:
        expires_ms = created + valid_days * DAY_MS
    if expires_ms is not None and expires_ms <= created:
        raise InputError("a token's expiry must be in the future")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        token_sha256=token_digest(token),
        label=label[:NAME_MAX],
        created_ms=created,
        expires_ms=expires_ms,
    )
    session.add(row)
    session.flush()
    detail: dict[str, audit.DetailValue] = {
        "token_id": row.id,
        "label": row.label,
        "expires_ms": expires_ms,
    }
    audit.append(session, actor, "token_created", "user", name, detail)
    return IssuedToken(token, row.id, expires_ms)


def create_token(
    session: Session, actor: Principal, name: str, *, label: str = "", expires_ms: int | None = None
) -> str:
    """A new personal token for user ``name``; the plain token is returned once, never stored."""
    return issue_token(session, actor, name, label=label, expires_ms=expires_ms).token


def list_tokens(session: Session, user_id: int) -> list[dict[str, Any]]:
    """A user's tokens, newest first (ids, labels and dates; never the token)."""
    rows = session.execute(
        select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
    ).scalars()
    return [
        {
            "id": row.id,
            "label": row.label,
            "created_ms": row.created_ms,
            "expires_ms": row.expires_ms,
            "revoked_ms": row.revoked_ms,
        }
        for row in rows
    ]


def revoke_token(session: Session, actor: Principal, token_id: int) -> None:
    """Revoke token ``token_id`` (audited ``token_revoked``): its owner or an admin may.
    Someone else's token answers as not found, so ids do not reveal who holds tokens."""
    found = session.execute(
        select(ApiToken, UserAccount.name)
        .join(UserAccount, ApiToken.user_id == UserAccount.id)
        .where(ApiToken.id == token_id)
    ).first()
    if found is None or not (actor.can("admin") or found[0].user_id == actor.user_id):
        raise NotFound(f"no token {token_id}")
    row, owner = found
    if row.revoked_ms is None:
        row.revoked_ms = now_ms()
        audit.append(session, actor, "token_revoked", "user", owner, {"token_id": token_id})


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


# --- failed sign-ins ------------------------------------------------------------------------


def lock_remaining_ms(user: UserAccount, now: int) -> int:
    """How long the account stays locked (0: not locked)."""
    return max(0, (user.locked_until_ms or 0) - now)


def record_failure(settings: Settings, user: UserAccount, now: int) -> int:
    """Count one wrong password for ``user`` (a row read for update); returns
    the lock-out it starts in milliseconds, 0 when it starts none."""
    user.failed_logins += 1
    threshold = max(1, settings.login_max_failures)
    if user.failed_logins % threshold:
        return 0
    lockouts = user.failed_logins // threshold
    lock_ms = int(settings.login_lock_seconds * 1000) << min(lockouts - 1, 20)
    user.locked_until_ms = now + lock_ms
    return lock_ms


def record_success(user: UserAccount, rehashed: str | None) -> None:
    """A right password: reset the failure count; ``rehashed`` replaces a hash made with
    older argon2 parameters (made by the caller, the one moment the password is at hand)."""
    user.failed_logins, user.locked_until_ms = 0, None
    if rehashed is not None:
        user.password_hash = rehashed
