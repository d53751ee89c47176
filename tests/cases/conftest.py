"""The cases suite runs every test on both backends: SQLite under a temporary home, and a
real PostgreSQL server (``SANCTIONWATCH_TEST_DATABASE_URL``, as ``.ci/run`` sets it, or one
started here for the session). Each PostgreSQL test gets a database of its own."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.cases import accounts
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.principal import cli_principal
from sanctionwatch.config import Settings
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore
from sanctionwatch.screening.engine import Screener
from sanctionwatch.screening.service import open_screener
from sanctionwatch.web.app import create_app
from sanctionwatch.web.auth import ApiKeyAuth
from tests import pg_server

BACKENDS = ["sqlite", "postgresql"]
# argon2 at its lowest settings: the suite hashes hundreds of passwords.
FAST_HASHING = {"password_time_cost": 1, "password_memory_kib": 8, "password_parallelism": 1}


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A PostgreSQL server for the session (its ``postgres`` database's URL)."""
    if url := os.environ.get(pg_server.ENV_URL):
        yield url
        return
    if pg_server.bin_dir() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL binaries not found in CI: .ci/run should install them")
        pytest.skip("PostgreSQL binaries not found (apt-get install postgresql)")
    url, directory = pg_server.start()
    try:
        yield url
    finally:
        pg_server.stop(directory)


def fresh_pg_database(server_url: str) -> tuple[str, str]:
    """A new, empty database on the server: its URL and name."""
    name = f"t_{secrets.token_hex(6)}"
    return pg_server.create_database(server_url, name), name


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Settings]:
    """Settings for a fresh home whose cases database is on ``backend`` (not created yet)."""
    home = tmp_path / "home"
    home.mkdir()
    if backend == "sqlite":
        yield Settings(home=home, cookie_secure="never", **FAST_HASHING)  # type: ignore[arg-type]
        return
    server = request.getfixturevalue("pg_url")
    url, name = fresh_pg_database(server)
    try:
        yield Settings(
            home=home,
            database_url=url,
            cookie_secure="never",
            **FAST_HASHING,  # type: ignore[arg-type]
        )
    finally:
        pg_server.drop_database(server, name)


@pytest.fixture
def db(settings: Settings) -> Iterator[CasesDatabase]:
    """The home's cases database, migrated to the latest schema."""
    with CasesDatabase.open(settings) as opened:
        yield opened


# --- the team API over a test client --------------------------------------------------------

API_KEY = "screening-key-not-secret"
FTM_EXCERPT = (
    Path(__file__).parents[1]
    / "data"
    / "lists"
    / "ftm"
    / ("opensanctions_us_ofac_sdn_dprk_excerpt.ftm.json")
)


@pytest.fixture(scope="session")
def screener(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    """A screener over a small real list (an OFAC SDN excerpt in FtM), loaded once."""
    home = tmp_path_factory.mktemp("lists-home")
    with ListStore(home / "lists.sqlite") as store:
        load_lists(store, [FTM_EXCERPT])
    return open_screener(Settings(home=home))


@pytest.fixture
def api(settings: Settings, db: CasesDatabase, screener: Screener) -> Iterator[TestClient]:
    """The whole API on ``settings``' home and cases database (base URL https://testserver)."""
    app = create_app(settings, auth=ApiKeyAuth.from_key(API_KEY), screener=screener, cases_db=db)
    with TestClient(app, base_url="https://testserver") as client:
        yield client


def bearer(db: CasesDatabase, settings: Settings, name: str, role: str) -> dict[str, str]:
    """Headers for a new user ``name`` with ``role`` (password ``pw-<name>``), by token."""
    with db.begin() as session:
        accounts.add_user(session, settings, cli_principal(), name, role, f"pw-{name}")
        token = accounts.create_token(session, cli_principal(), name)
    return {"Authorization": f"Bearer {token}"}
