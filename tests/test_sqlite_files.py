"""Opening a home's SQLite files: writers never wait on opening, readers never write."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sanctionwatch.sqlite_files import connect_read_only, connect_writable

SCHEMA = "CREATE TABLE IF NOT EXISTS t (x INTEGER);\nCREATE TABLE IF NOT EXISTS u (y TEXT);"


def test_opening_does_not_wait_behind_a_write_in_progress(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    connect_writable(path, SCHEMA).close()
    with closing(sqlite3.connect(path, isolation_level=None, timeout=0)) as loading:
        loading.execute("BEGIN IMMEDIATE")  # a long load holds SQLite's write lock
        loading.execute("INSERT INTO t VALUES (1)")
        # A busy wait would raise "database is locked" here (no timeout): it does not.
        with closing(connect_writable(path, SCHEMA)) as other:
            other.execute("PRAGMA busy_timeout = 0")
            assert other.execute("SELECT count(*) FROM t").fetchone() == (0,)
        with closing(connect_read_only(path, SCHEMA)) as reader:
            assert reader.execute("SELECT count(*) FROM t").fetchone() == (0,)
        loading.execute("COMMIT")


def test_a_reader_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    with closing(connect_read_only(path, SCHEMA)) as reader:
        assert reader.execute("SELECT count(*) FROM u").fetchone() == (0,)
    assert list(tmp_path.iterdir()) == []


def test_a_store_being_created_reads_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    sqlite3.connect(path).close()  # the file exists, its tables not yet committed
    with closing(connect_read_only(path, SCHEMA)) as reader:
        assert reader.execute("SELECT count(*) FROM t").fetchone() == (0,)
