"""Settings: one frozen object, created once (by the CLI or the app factory) and passed in.

Values come from, in rising priority: the defaults below, ``<home>/config.toml``, and
environment variables prefixed ``SANCTIONWATCH_``. Nothing is read at import time.

``config.toml`` example::

    [download]
    timeout_seconds = 60
    retries = 3

    [store]
    lock_timeout_seconds = 600   # how long a second writer waits for the first (0: refuse)

    [risk]                # your own weights or transfer zones (paths relative to the home)
    factors = "my-factors.toml"
    zones = "my-zones.geojson"

    [alerts]
    rules = "my-rules.toml"

    [cases]               # the team's cases database (docs/team-setup.md)
    database_url = "postgresql://sanctionwatch:PASSWORD@db.example.org/sanctionwatch"
    attachments_dir = "/srv/sanctionwatch/attachments"
    attachments_max_bytes = 26214400

    [accounts]
    session_ttl_seconds = 43200
    login_max_failures = 5       # wrong passwords in a row before the account is locked
    login_lock_seconds = 900     # the first lock-out; each further one doubles it
    cookie_secure = "auto"       # "auto": Secure unless served over plain http on loopback

    [web]
    map_tile_url = "https://tiles.example.org/{z}/{x}/{y}.png"  # unset: the offline base map

    [sources.un]          # override an official URL (a mirror, or a local server in tests)
    url = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from sanctionwatch.errors import InputError

ENV_PREFIX = "SANCTIONWATCH_"


@dataclass(frozen=True)
class Settings:
    """Everything configurable. ``home`` holds all state (the store, downloads, config.toml)."""

    home: Path
    download_timeout_seconds: float = 60.0
    download_retries: int = 3
    # How long a command that writes waits for another writer on the same home (home_lock.py).
    lock_timeout_seconds: float = 600.0
    # Per-source overrides of the official URLs in lists/sources.toml: {"un": {"url": ...}}.
    source_overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # Overrides of the AIS ingest limits in ais/limits.toml ([ais.limits] in config.toml),
    # checked by ais.input_limits.IngestLimits.from_mapping when an ingest starts.
    ais_limits: Mapping[str, Any] = field(default_factory=dict)
    # Files replacing the bundled risk weights (risk/factors.toml), transfer zones
    # (risk/zones.geojson) and alert rules (alerts/rules.toml): [risk] factors, [risk] zones
    # and [alerts] rules in config.toml, relative to the home. None: the bundled ones.
    risk_factors: Path | None = None
    risk_zones: Path | None = None
    alert_rules: Path | None = None
    # The cases database: None is HOME/cases.sqlite; else a SQLAlchemy URL (PostgreSQL).
    database_url: str | None = None
    # Where attachments' bytes go (content-addressed); None is HOME/attachments.
    attachments_dir: Path | None = None
    attachments_max_bytes: int = 25 << 20
    # argon2id parameters for new password hashes (argon2-cffi's defaults: RFC 9106's
    # second recommended option). Tests lower them; a hash made with others is upgraded at
    # the next successful sign-in.
    password_time_cost: int = 3
    password_memory_kib: int = 65536
    password_parallelism: int = 4
    session_ttl_seconds: float = 12 * 3600.0
    login_max_failures: int = 5
    login_lock_seconds: float = 900.0
    # "auto": cookies are Secure unless the request came over plain http to a loopback
    # address (a browser on the same machine); "always"; "never" (tests only).
    cookie_secure: str = "auto"
    # A raster tile URL template ({z}/{x}/{y}) drawn under the workspace map; "" draws only
    # the bundled offline land. Its origin is added to the pages' CSP (web/headers.py).
    map_tile_url: str = ""

    @property
    def store_path(self) -> Path:
        return self.home / "lists.sqlite"

    @property
    def downloads_dir(self) -> Path:
        return self.home / "downloads"

    @property
    def attachments_path(self) -> Path:
        return self.attachments_dir or self.home / "attachments"


def default_home(environ: Mapping[str, str] | None = None) -> Path:
    """``$SANCTIONWATCH_HOME``, else the platform's user data directory."""
    environ = os.environ if environ is None else environ
    if value := environ.get(f"{ENV_PREFIX}HOME"):
        return Path(value).expanduser()
    return Path(platformdirs.user_data_dir("sanctionwatch"))


def load_settings(home: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings for ``home`` (created if missing) from config.toml and the environment."""
    environ = os.environ if environ is None else environ
    home = (home or default_home(environ)).expanduser().resolve()
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the home directory {home}: {exc.strerror}") from exc
    config: dict[str, Any] = {}
    config_path = home / "config.toml"
    if config_path.exists():
        try:
            config = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{config_path}: not valid TOML: {exc}") from exc
    download = config.get("download", {})
    timeout = environ.get(f"{ENV_PREFIX}DOWNLOAD_TIMEOUT", download.get("timeout_seconds", 60.0))
    retries = environ.get(f"{ENV_PREFIX}DOWNLOAD_RETRIES", download.get("retries", 3))
    store = config.get("store", {})
    lock_timeout = environ.get(
        f"{ENV_PREFIX}LOCK_TIMEOUT_SECONDS", store.get("lock_timeout_seconds", 600.0)
    )
    cases = config.get("cases", {})
    accounts = config.get("accounts", {})
    database_url = environ.get(f"{ENV_PREFIX}DATABASE_URL", cases.get("database_url")) or None
    attachments_dir = environ.get(f"{ENV_PREFIX}ATTACHMENTS_DIR", cases.get("attachments_dir"))
    try:
        return Settings(
            home=home,
            download_timeout_seconds=float(timeout),
            download_retries=int(retries),
            lock_timeout_seconds=_seconds(lock_timeout, "lock_timeout_seconds"),
            source_overrides=dict(config.get("sources", {})),
            ais_limits=dict(config.get("ais", {}).get("limits", {})),
            risk_factors=_path(home, config.get("risk", {}).get("factors")),
            risk_zones=_path(home, config.get("risk", {}).get("zones")),
            alert_rules=_path(home, config.get("alerts", {}).get("rules")),
            database_url=database_url,
            attachments_dir=_path(home, attachments_dir),
            attachments_max_bytes=int(cases.get("attachments_max_bytes", 25 << 20)),
            session_ttl_seconds=_seconds(
                accounts.get("session_ttl_seconds", 12 * 3600.0), "session_ttl_seconds"
            ),
            login_max_failures=int(accounts.get("login_max_failures", 5)),
            login_lock_seconds=_seconds(
                accounts.get("login_lock_seconds", 900.0), "login_lock_seconds"
            ),
            cookie_secure=_choice(
                accounts.get("cookie_secure", "auto"), "cookie_secure", ("auto", "always", "never")
            ),
            map_tile_url=_tile_url(
                environ.get(f"{ENV_PREFIX}MAP_TILE_URL", config.get("web", {}).get("map_tile_url"))
            ),
        )
    except (TypeError, ValueError) as exc:
        raise InputError(f"invalid setting in {config_path} or environment: {exc}") from exc


def _path(home: Path, value: object) -> Path | None:
    """A file named in config.toml, relative to the home unless absolute."""
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise InputError(f"{home / 'config.toml'}: {value!r} is not a file name")
    return home / Path(value).expanduser()


def _tile_url(value: object) -> str:
    """A tile URL template: http(s), with {z}, {x} and {y}; None or "" for none."""
    if value is None or value == "":
        return ""
    text = str(value)
    if not text.startswith(("https://", "http://")) or not all(
        part in text for part in ("{z}", "{x}", "{y}")
    ):
        raise InputError(
            f"map_tile_url: {text!r} is not an http(s) URL with {{z}}, {{x}} and {{y}}"
        )
    return text


def _choice(value: object, name: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise InputError(f"{name}: {value!r} is not one of {', '.join(choices)}")
    return str(value)


def _seconds(value: object, name: str) -> float:
    """A duration in seconds, 0 or more."""
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        seconds = -1.0
    if not seconds >= 0:  # also refuses NaN
        raise InputError(f"{name}: {value!r} is not a number of seconds (0 or more)")
    return seconds
