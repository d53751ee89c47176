"""The cases database: which one, how it is opened, and its schema brought to the latest
migration.

SQLite (default, ``HOME/cases.sqlite``): WAL, foreign keys on, ``synchronous=FULL`` (a write
that was answered survives a power cut, not only a killed process), and every write
transaction begins ``BEGIN IMMEDIATE``: writers queue for SQLite's lock at the start rather
than failing at commit. Reads use a second engine with plain deferred transactions, so they
never wait for writers (WAL readers see the last commit).

PostgreSQL (``SANCTIONWATCH_DATABASE_URL``, e.g. ``postgresql://user:pw@host/db``): through
pg8000 (BSD, pure Python) unless the URL names another driver (``postgresql+psycopg://``,
which the user installs: psycopg is LGPL, so it is not a dependency).
"""

from __future__ import annotations

import importlib.resources
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, Self

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from sanctionwatch.cases.models import Meta
from sanctionwatch.config import Settings
from sanctionwatch.errors import InputError, StoreError

SQLITE_FILE = "cases.sqlite"
HOME_ID_FILE = "home-id"
HOME_ID_KEY = "home_id"
BUSY_TIMEOUT_S = 30


def database_url(settings: Settings) -> str:
    """The SQLAlchemy URL of the home's cases database."""
    if settings.database_url:
        try:
            url = make_url(settings.database_url)
        except ArgumentError as exc:
            raise InputError(f"SANCTIONWATCH_DATABASE_URL is not a database URL: {exc}") from exc
        if url.drivername == "postgresql":  # SQLAlchemy's default would be psycopg2
            url = url.set(drivername="postgresql+pg8000")
        if url.get_backend_name() not in ("postgresql", "sqlite"):
            raise InputError(
                f"SANCTIONWATCH_DATABASE_URL: {url.get_backend_name()} is not supported "
                "(PostgreSQL or SQLite)"
            )
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{settings.home / SQLITE_FILE}"


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


class CasesDatabase:
    """An open cases database. ``begin()`` for a write transaction, ``read()`` for reading.

    Call :meth:`migrate` (or open with ``migrate=True``) before first use of a new database.
    """

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        if self.is_sqlite:
            self.engine = _sqlite_engine(url, immediate=True)
            self._read_engine = _sqlite_engine(url, immediate=False)
        else:
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
            self._read_engine = self.engine
        self._writes = sessionmaker(self.engine, expire_on_commit=False)
        # PostgreSQL queues writers itself (row locks); see begin() for SQLite.
        self._write_turn: AbstractContextManager[object] = (
            threading.RLock() if self.is_sqlite else nullcontext()
        )
        self._reads = sessionmaker(self._read_engine, expire_on_commit=False)
        try:
            if migrate:
                self.migrate()
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(cls, settings: Settings, *, migrate: bool = True) -> Self:
        """The home's cases database (created and migrated when ``migrate``), checked to
        belong to this home (see :meth:`claim`)."""
        database = cls(database_url(settings), migrate=migrate)
        try:
            if migrate:
                database.claim(settings.home)
        except BaseException:
            database.close()
            raise
        return database

    def claim(self, home: Path) -> None:
        """Tie this database to ``home``, or refuse if it belongs to another one.

        Triage decisions name alerts by their id in the home's ``alerts.sqlite``: a second
        home pointed at the same (PostgreSQL) database would read them as decisions about
        its own, unrelated alerts. The home's id is a random UUID in ``HOME/home-id`` (made
        on first use; a copied or restored home keeps it); the database keeps the first id
        it saw in its ``meta`` table.
        """
        home_id = _home_id(home)
        with self.begin() as session:
            stored = session.get(Meta, HOME_ID_KEY)
            if stored is None:
                session.add(Meta(key=HOME_ID_KEY, value=home_id))
            elif stored.value != home_id:
                raise StoreError(
                    f"the cases database {redacted(self.url)} belongs to another home (id "
                    f"{stored.value}; {home} is {home_id}): give each home its own database"
                )

    def migrate(self) -> None:
        """Bring the schema to the latest migration (creating it on a new database)."""
        from alembic import command

        try:
            with self.engine.begin() as connection:
                config = _alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except (OperationalError, DBAPIError) as exc:
            raise StoreError(
                f"cannot open the cases database {redacted(self.url)}: {exc.orig}"
            ) from exc

    def revision(self) -> str | None:
        """The migration the schema is at (None: not created yet)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def tables(self) -> list[str]:
        return sorted(inspect(self.engine).get_table_names())

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back on an error.

        On SQLite, this process's writers also queue on a lock of their own first: SQLite
        lets one writer in at a time and makes the others poll with growing sleeps, so under
        load a writer could wait seconds while later ones got in (measured in
        bench/bench_cases_load.py: the lock cut the 95th percentile and the worst case).
        Writers in other processes (the command line) still meet SQLite's busy timeout.
        """
        with self._write_turn, self._writes.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read transaction (rolled back at the end: nothing is written through it)."""
        with self._reads() as session, session.begin():
            yield session
            session.rollback()

    def close(self) -> None:
        self.engine.dispose()
        self._read_engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _home_id(home: Path) -> str:
    path = home / HOME_ID_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        text = path.read_text(encoding="ascii").strip()
        try:
            return str(uuid.UUID(text))
        except ValueError as exc:
            raise StoreError(f"{path}: not a home id (a UUID); was it edited?") from exc
    home_id = str(uuid.uuid4())
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(home_id + "\n")
    return home_id


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    path = make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi: sqlite3.Connection, _record: Any) -> None:
        # Autocommit at the driver: SQLAlchemy's "begin" event below then owns BEGIN (pysqlite
        # would otherwise start its own deferred transaction late, on the first write).
        dbapi.isolation_level = None
        for pragma in (
            "journal_mode=WAL",
            "foreign_keys=ON",
            "synchronous=FULL",
            f"busy_timeout={BUSY_TIMEOUT_S * 1000}",
        ):
            dbapi.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    location = importlib.resources.files("sanctionwatch.cases") / "migrations"
    config.set_main_option("script_location", str(location))
    return config
