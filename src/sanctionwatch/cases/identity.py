"""Who may sign in, and the web session a sign-in opens.

An :class:`IdentityProvider` answers one question: are these credentials someone's? The one
shipped here, :class:`LocalPasswordProvider`, checks a local account's argon2 password and
keeps its lock-out (accounts.py). Whatever the provider, a successful sign-in ends the same
way: :func:`open_session` writes a ``web_session`` row and the browser gets its cookie
(web/routers/session.py); from then on every request is checked the same way
(web/security.py), and roles, CSRF and the audit log do not care how the user signed in.

Plugging in OIDC: an OpenID Connect provider does not fit ``authenticate(username,
password)`` (the browser is sent to the provider and comes back with a code), so it plugs in
one step later, as two routes beside ``POST /api/login`` in web/routers/session.py:
``GET /api/login/oidc`` redirects to the provider (state and nonce kept in a short-lived
cookie), and ``GET /api/login/oidc/callback`` exchanges the code, validates the ID token
(issuer, audience, nonce, signature), then looks up ``user_account`` by
``external_subject == <the token's sub>`` (creating it with the viewer role, and no
``password_hash``, on first sign-in if the team allows that; an admin grants more with
``users role``), refuses a disabled account, and calls ``open_session(...,
method="oidc")``: the same session, cookie, CSRF token and audit ``login`` entry as a password
sign-in. Both routes must be added to web/public_routes.py's PUBLIC set (a test walks the route
table). Accounts without a ``password_hash`` can never sign in with a password, so a
provider-only account cannot be reached through ``POST /api/login``. API tokens stay local:
``users token`` works the same for any account.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sanctionwatch.cases import accounts, audit
from sanctionwatch.cases.audit import now_ms
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.errors import Locked
from sanctionwatch.cases.models import NAME_MAX, UserAccount, WebSession
from sanctionwatch.cases.principal import Principal
from sanctionwatch.config import Settings


class IdentityProvider(Protocol):
    """Checks credentials: the signed-in principal, or None when they are not someone's.
    May raise :class:`~sanctionwatch.cases.errors.Locked` (429) instead of answering."""

    def authenticate(
        self, username: str, password: str, *, client: str = ""
    ) -> Principal | None: ...


class ClientLimiter:
    """Failed sign-ins per client address, counted in this process over a fixed window: one
    address guessing across many user names (which no account's lock-out sees) is refused
    with 429 once it reaches ``max_failures``. At most ``max_clients`` addresses are kept
    (the longest idle go first), so a flood of addresses cannot grow memory without bound."""

    def __init__(
        self,
        max_failures: int,
        window_s: float,
        *,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures, self.window_s, self.max_clients = max_failures, window_s, max_clients
        self._clock = clock
        self._failures: OrderedDict[str, tuple[float, int]] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, client: str) -> None:
        """Raise Locked while ``client`` is over its limit."""
        with self._lock:
            started, count = self._current(client)
        if count >= self.max_failures:
            retry_after = started + self.window_s - self._clock()
            raise Locked(
                "too many failed sign-ins from this address; try later", int(retry_after) + 1
            )

    def record(self, client: str) -> bool:
        """Count one failure; True when it is the one that reaches the limit."""
        with self._lock:
            started, count = self._current(client)
            self._failures[client] = (started, count + 1)
            self._failures.move_to_end(client)
            while len(self._failures) > self.max_clients:
                self._failures.popitem(last=False)
        return count + 1 == self.max_failures

    def _current(self, client: str) -> tuple[float, int]:
        now = self._clock()
        started, count = self._failures.get(client, (now, 0))
        if now - started >= self.window_s:
            return now, 0
        return started, count


@dataclass(frozen=True)
class _Account:
    """What a sign-in needs of an account, read before the (slow) password check."""

    password_hash: str | None
    disabled: bool
    locked_ms: int


class LocalPasswordProvider:
    """Local accounts with argon2 passwords and a lock-out.

    Every refusal is audited (``login_failed``; ``login_locked`` when it locks the account) in
    a transaction of its own, committed before the refusal is answered. An unknown name costs
    the same argon2 verification as a known one, so timing does not tell which names exist.
    """

    def __init__(
        self, database: CasesDatabase, settings: Settings, limiter: ClientLimiter | None = None
    ) -> None:
        self.database, self.settings = database, settings
        self.hasher = accounts.password_hasher(settings)
        # Many names from one address: ten accounts' worth of failures per lock period.
        self.limiter = limiter or ClientLimiter(
            10 * max(1, settings.login_max_failures), settings.login_lock_seconds
        )
        self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))

    def authenticate(self, username: str, password: str, *, client: str = "") -> Principal | None:
        self.limiter.check(client)
        name = username.strip()
        account = self._account(name)
        if account is None or account.disabled or account.password_hash is None:
            self._verify(self._dummy_hash, password)
            self._refuse(name, client, "unknown_user" if account is None else "disabled")
            return None
        if account.locked_ms:
            self._refuse(name, client, "locked")
            raise _locked(name, account.locked_ms)
        if not self._verify(account.password_hash, password):
            lock_ms = self._count_failure(name, client)
            if lock_ms:
                raise _locked(name, lock_ms)
            return None
        # argon2 outside the transaction: SQLite's write lock is not held while hashing
        stale = self.hasher.check_needs_rehash(account.password_hash)
        rehashed = self.hasher.hash(password) if stale else None
        with self.database.begin() as session:
            user = accounts.get_user(session, name, for_update=True)
            locked_ms = accounts.lock_remaining_ms(user, now_ms())
            if not user.disabled and not locked_ms:
                if user.password_hash != account.password_hash:  # changed meanwhile
                    rehashed = None
                accounts.record_success(user, rehashed)
                return accounts.principal_of(user)
        if locked_ms:  # locked by another request while this one was verifying
            raise _locked(name, locked_ms)
        return None

    def _account(self, name: str) -> _Account | None:
        if not name or len(name) > NAME_MAX:
            return None
        with self.database.read() as session:
            user = accounts.find_user(session, name)
            if user is None:
                return None
            return _Account(
                user.password_hash, user.disabled, accounts.lock_remaining_ms(user, now_ms())
            )

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):  # a mismatch; a hash argon2 cannot read
            return False

    def _count_failure(self, name: str, client: str) -> int:
        address_locked = self.limiter.record(client)
        with self.database.begin() as session:
            user = accounts.get_user(session, name, for_update=True)
            lock_ms = accounts.record_failure(self.settings, user, now_ms())
            actor = _anonymous(client)
            failures = user.failed_logins
            detail: dict[str, audit.DetailValue] = {
                "reason": "wrong_password",
                "failures": failures,
            }
            audit.append(session, actor, "login_failed", "user", name, detail)
            if lock_ms:
                detail = {"failures": failures, "seconds": -(-lock_ms // 1000)}
                audit.append(session, actor, "login_locked", "user", name, detail)
            if address_locked:
                self._address_locked(session, client)
        return lock_ms

    def _refuse(self, name: str, client: str, reason: str) -> None:
        address_locked = self.limiter.record(client)
        with self.database.begin() as session:
            audit.append(
                session, _anonymous(client), "login_failed", "user", name[:200], {"reason": reason}
            )
            if address_locked:
                self._address_locked(session, client)

    def _address_locked(self, session: Session, client: str) -> None:
        """The one entry for an address reaching its limit (what it tries next while
        refused is not logged: that would let it fill the log)."""
        detail: dict[str, audit.DetailValue] = {
            "failures": self.limiter.max_failures,
            "seconds": int(self.limiter.window_s),
        }
        audit.append(session, _anonymous(client), "login_locked", "client", client, detail)


def _locked(name: str, remaining_ms: int) -> Locked:
    return Locked(f"{name} is locked after failed sign-ins; try later", -(-remaining_ms // 1000))


def _anonymous(client: str) -> Principal:
    """The actor of a refused sign-in: whoever was at that address."""
    return Principal(None, f"client:{client or 'unknown'}"[: NAME_MAX + 8], "viewer")


# --- web sessions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenedSession:
    """A new session: ``token`` goes in the HttpOnly cookie, ``csrf_token`` to the page."""

    token: str
    csrf_token: str
    expires_ms: int


@dataclass(frozen=True)
class SessionOwner:
    principal: Principal
    session_id: int
    csrf_token: str


def open_session(
    session: Session,
    settings: Settings,
    principal: Principal,
    *,
    method: str,
    client: str = "",
    replacing: str | None = None,
) -> OpenedSession:
    """A session for ``principal``, who has just signed in by ``method`` (audited ``login``).

    Sessions last ``session_ttl_seconds`` from sign-in, however active (``last_seen_ms`` is
    not advanced: that would be a write per request); expired rows are dropped here, and so
    is the session whose cookie the browser still sent (``replacing``): a sign-in always
    gets a fresh session id, never one planted earlier.
    """
    assert principal.user_id is not None, "only accounts have web sessions"
    now = now_ms()
    stale = WebSession.expires_ms <= now
    if replacing:
        stale = stale | (WebSession.token_sha256 == accounts.token_digest(replacing))
    session.execute(delete(WebSession).where(stale))
    token, csrf_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    row = WebSession(
        user_id=principal.user_id,
        token_sha256=accounts.token_digest(token),
        csrf_token=csrf_token,
        created_ms=now,
        expires_ms=now + int(settings.session_ttl_seconds * 1000),
        last_seen_ms=now,
    )
    session.add(row)
    session.flush()
    detail: dict[str, audit.DetailValue] = {
        "method": method,
        "client": client,
        "session_id": row.id,
    }
    audit.append(session, principal, "login", "user", principal.name, detail)
    return OpenedSession(token, csrf_token, row.expires_ms)


def session_owner(session: Session, token: str) -> SessionOwner | None:
    """Whose session cookie this is, if the session is live and its user enabled."""
    found = session.execute(
        select(WebSession, UserAccount)
        .join(UserAccount, WebSession.user_id == UserAccount.id)
        .where(WebSession.token_sha256 == accounts.token_digest(token))
    ).first()
    if found is None:
        return None
    row, user = found
    if user.disabled or row.expires_ms <= now_ms():
        return None
    return SessionOwner(accounts.principal_of(user), row.id, row.csrf_token)


def close_session(session: Session, actor: Principal, session_id: int) -> None:
    """Sign out: the session's row goes (audited ``logout``)."""
    row = session.get(WebSession, session_id)
    if row is not None:
        session.delete(row)
        audit.append(session, actor, "logout", "user", actor.name, {"session_id": session_id})
