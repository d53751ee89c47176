"""API keys: one key per server, sent as yente clients send it (``Authorization: ApiKey <key>``,
or ``Authorization: Bearer <key>``). The screening routes also let in the team's users (a
personal token or a signed-in browser), with any role.

The key comes from ``SANCTIONWATCH_API_KEY``, else from ``<home>/api-key.sha256``, which holds
only the key's SHA-256 digest: the plain key is shown once, when ``sanctionwatch serve`` makes
it, and never stored. Presented keys are hashed and compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, ClassVar

from fastapi import Request, Security
from fastapi.security import APIKeyHeader

from sanctionwatch.cases.accounts import TOKEN_PREFIX
from sanctionwatch.config import ENV_PREFIX, Settings
from sanctionwatch.errors import InputError, SanctionwatchError

KEY_ENV = f"{ENV_PREFIX}API_KEY"
KEY_FILE = "api-key.sha256"
SCHEMES = ("apikey", "bearer")
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
# The team's browser session cookie (web/security.py); its holders may screen too.
SESSION_COOKIE = "sw_session"

# Declared as a header scheme so /docs shows an "Authorize" button; checked by require_api_key.
authorization_header = APIKeyHeader(
    name="Authorization",
    auto_error=False,
    description="`ApiKey <key>` (as yente clients send it) or `Bearer <key>`.",
)


class AuthenticationError(SanctionwatchError):
    """No API key, or the wrong one."""

    http_status = 401
    headers: ClassVar[dict[str, str]] = {"WWW-Authenticate": "ApiKey"}


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ApiKeyAuth:
    """What a request must present. ``digest`` None means authentication is off."""

    digest: str | None

    @classmethod
    def from_key(cls, key: str) -> ApiKeyAuth:
        return cls(key_digest(key))

    @classmethod
    def disabled(cls) -> ApiKeyAuth:
        return cls(None)

    @property
    def enabled(self) -> bool:
        return self.digest is not None

    def check(self, authorization: str | None) -> None:
        """Accept the ``Authorization`` header value, or raise AuthenticationError."""
        if self.digest is None:
            return
        if not authorization:
            raise AuthenticationError("an API key is required: send 'Authorization: ApiKey <key>'")
        scheme, _, key = authorization.strip().partition(" ")
        if scheme.lower() not in SCHEMES or not key.strip():
            raise AuthenticationError(
                "malformed Authorization header: use 'ApiKey <key>' or 'Bearer <key>'"
            )
        if not hmac.compare_digest(key_digest(key.strip()), self.digest):
            raise AuthenticationError("invalid API key")


def configured_auth(settings: Settings, environ: Mapping[str, str] | None = None) -> ApiKeyAuth:
    """The key set in the environment, else the one stored under ``home``; an error if none
    is (``sanctionwatch serve`` makes one on first start)."""
    auth = _existing_auth(settings, os.environ if environ is None else environ)
    if auth is None:
        raise SanctionwatchError(
            f"no API key: set {KEY_ENV}, or start 'sanctionwatch serve' once to create one"
        )
    return auth


def ensure_api_key(
    settings: Settings, environ: Mapping[str, str] | None = None
) -> tuple[ApiKeyAuth, str | None]:
    """The configured key, or a new one made and stored (as its digest) under ``home``.

    Returns the auth and, only when a key was just made, the plain key to show once.
    """
    auth = _existing_auth(settings, os.environ if environ is None else environ)
    if auth is not None:
        return auth, None
    key = secrets.token_urlsafe(32)
    path = settings.home / KEY_FILE
    try:
        # O_EXCL: never overwrite a key another process made meanwhile; 0600: no one else reads
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return configured_auth(settings, {}), None
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key_digest(key) + "\n")
    return ApiKeyAuth.from_key(key), key


def _existing_auth(settings: Settings, environ: Mapping[str, str]) -> ApiKeyAuth | None:
    if KEY_ENV in environ:
        key = environ[KEY_ENV].strip()
        if not key:
            raise InputError(f"{KEY_ENV} is set but empty")
        return ApiKeyAuth.from_key(key)
    path = settings.home / KEY_FILE
    if not path.exists():
        return None
    return ApiKeyAuth(_read_digest(path))


def _read_digest(path: Path) -> str:
    try:
        digest = path.read_text(encoding="ascii").strip().lower()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the API key digest: {exc}") from exc
    if not _HEX_DIGEST.fullmatch(digest):
        raise InputError(f"{path}: not a SHA-256 digest; delete it and restart to create a new key")
    return digest


async def require_api_key(
    request: Request, authorization: Annotated[str | None, Security(authorization_header)]
) -> None:
    """FastAPI dependency: the app's :class:`ApiKeyAuth` must accept the request, or the
    caller is a signed-in team member (a personal ``swt_`` token, or the session cookie with
    the CSRF checks of web/security.py); any team role may screen."""
    auth: ApiKeyAuth = request.app.state.auth
    try:
        auth.check(authorization)
    except AuthenticationError:
        if not _team_credential(request, authorization):
            raise
        from sanctionwatch.web.security import current_principal  # it imports this module

        await current_principal(request, request.app.state.cases, authorization)


def _team_credential(request: Request, authorization: str | None) -> bool:
    if authorization:
        scheme, _, token = authorization.strip().partition(" ")
        return scheme.lower() == "bearer" and token.strip().startswith(TOKEN_PREFIX)
    return SESSION_COOKIE in request.cookies
