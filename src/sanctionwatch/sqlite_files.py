"""Opening a home's SQLite files for writing, or for reading only.

Readers open with ``mode=ro``: they never create, migrate or repair anything, so they work
on a home they cannot write (a published store on a read-only mount). SQLite in WAL mode
still wants to create the ``-shm`` index beside the file; where the directory cannot be
written and no ``-shm`` is there, the file is opened ``immutable`` (SQLite then reads it as
it is, without locks: right for a read-only mount, whose files nobody changes). A file that
does not exist yet reads as an empty store (an in-memory database with the schema), so
``status`` on a fresh home says "nothing yet" without creating anything.

Writers open read-write, switch to WAL (readers see the last commit while a writer works)
and create what is missing.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Self

from sanctionwatch.errors import StoreError

BUSY_TIMEOUT_S = 30.0  # a writer's commit can hold SQLite's own lock briefly


def connect_writable(
    path: Path, schema: str, *, check_same_thread: bool = True
) -> sqlite3.Connection:
    """``path`` read-write in WAL mode, with ``schema`` (idempotent DDL) applied."""
    db = sqlite3.connect(
        path, isolation_level=None, timeout=BUSY_TIMEOUT_S, check_same_thread=check_same_thread
    )
    try:
        db.execute("PRAGMA journal_mode=WAL")
        _create(db, schema)
    except BaseException:
        db.close()
        raise
    return db


def _create(db: sqlite3.Connection, schema: str) -> None:
    """Apply ``schema`` in one transaction, so a reader sees every table or none.

    Deferred first: when every table exists the DDL is a no-op that takes no write lock
    (an open must not wait behind a long load). Two processes creating a store at once can
    collide on the upgrade to a write; then once more, waiting for the write lock."""
    try:
        db.executescript(f"BEGIN;\n{schema}\nCOMMIT;")
    except sqlite3.OperationalError:
        if db.in_transaction:
            db.execute("ROLLBACK")
        db.executescript(f"BEGIN IMMEDIATE;\n{schema}\nCOMMIT;")


def connect_read_only(
    path: Path, schema: str, *, check_same_thread: bool = True
) -> sqlite3.Connection:
    """``path`` for reading only (never written, never created); empty with ``schema`` if
    it does not exist."""
    if not path.exists():
        return _empty(schema, check_same_thread)
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        db = _probe(uri, check_same_thread)
    except sqlite3.OperationalError:
        if _can_write(path.parent):
            raise
        db = _probe(uri + "&immutable=1", check_same_thread)
    if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
        db.close()  # created a moment ago, its tables not yet committed
        return _empty(schema, check_same_thread)
    return db


def _empty(schema: str, check_same_thread: bool) -> sqlite3.Connection:
    """An empty store: the schema in memory."""
    db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=check_same_thread)
    db.executescript(schema)
    return db


def home_is_writable(directory: Path) -> bool:
    """Whether a store under ``directory`` can be opened for writing: true when the
    directory does not exist yet (it will be created) or can be written."""
    while not directory.exists() and directory.parent != directory:
        directory = directory.parent
    return _can_write(directory)


def is_disk_full(exc: BaseException) -> bool:
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL


def _can_write(directory: Path) -> bool:
    # access() says no for a read-only mount even to root, and for a chmod a-w directory
    # to anyone but root (who can write there anyway).
    return os.access(directory, os.W_OK)


def _probe(uri: str, check_same_thread: bool) -> sqlite3.Connection:
    db = sqlite3.connect(
        uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S,
        check_same_thread=check_same_thread,
    )  # fmt: skip
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the file for real
    except BaseException:
        db.close()
        raise
    return db


class SqliteFile:
    """One small SQLite store of a home (risk scores, alerts, the portfolio): opened for
    writing or for reading only (then never created or changed), closed as a context
    manager, and a clear StoreError naming the file and what it holds if it cannot be
    opened. Subclasses add their reads and writes over ``self.db``."""

    def __init__(
        self, path: Path, schema: str, what: str, *, writable: bool, any_thread: bool = False
    ) -> None:
        self.path = path
        self.writable = writable
        try:
            if writable:
                self.db = connect_writable(path, schema, check_same_thread=not any_thread)
            else:
                self.db = connect_read_only(path, schema, check_same_thread=not any_thread)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open {what}: {exc}") from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def check_writable(self) -> None:
        if not self.writable:
            raise StoreError(f"{self.path} was opened read-only")
