"""The list store's declared tables read what a load stores today, typed, and write it back
identically (the UN, UK, EU and FtM fixtures; the UN edge records leave two rejected rows)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.model import Rejected
from sanctionwatch.lists.store import ListStore, StoredEntity
from sanctionwatch.lists.tables import (
    LIST_TABLES,
    EntityBlobRow,
    ListRejectedRow,
    ListVersionRow,
    VersionEntityRow,
)
from sanctionwatch.tables import from_row, insert_sql, schema_sql, select_sql, to_params
from tests.conftest import FIXTURES

FILES = [
    FIXTURES / "un" / "un_dprk_excerpt.xml",
    FIXTURES / "un" / "un_edge_records.xml",
    FIXTURES / "uk" / "uk_sanctions_list_sample.csv",
    FIXTURES / "eu" / "eu_fsf_excerpt.xml",
    FIXTURES / "ftm" / "opensanctions_us_ofac_sdn_dprk_excerpt.ftm.json",
]


def loaded(path: Path) -> sqlite3.Connection:
    """A list store holding the fixtures, opened for reading its tables directly."""
    with ListStore(path) as store:
        for file in FILES:
            # force: two excerpts of the UN list are not a list shrinking from one to the next
            load_lists(store, [file], force=True)
    return sqlite3.connect(path)


def test_rows_are_what_the_store_reads(tmp_path: Path) -> None:
    path = tmp_path / "lists.sqlite"
    with closing(loaded(path)) as db, ListStore(path) as store:
        versions = [from_row(ListVersionRow, r) for r in db.execute(select_sql(ListVersionRow))]
        assert len(versions) == len(FILES)
        for row in versions:
            stored = store.get_version_by_id(row.id)
            assert (stored.list_name, stored.version, stored.loaded_at) == (
                row.list,
                row.version,
                row.loaded_at,
            )
            assert (stored.files, stored.warnings) == (
                json.loads(row.files),
                json.loads(row.warnings),
            )
            assert (stored.entity_count, stored.rejected_count) == (
                row.entity_count,
                row.rejected_count,
            )
        blobs = {
            r.digest: r
            for r in (from_row(EntityBlobRow, b) for b in db.execute(select_sql(EntityBlobRow)))
        }
        members = [from_row(VersionEntityRow, r) for r in db.execute(select_sql(VersionEntityRow))]
        for row in versions:
            expected = [
                StoredEntity(
                    m.entity_id,
                    blobs[m.digest].schema,
                    blobs[m.digest].caption,
                    json.loads(blobs[m.digest].data),
                    m.record_id,
                    m.source,
                )
                for m in sorted(members, key=lambda m: m.entity_id)
                if m.version_id == row.id
            ]
            assert len(expected) == row.entity_count > 0
            assert list(store.iter_entities(row.id)) == expected
        rejected = [from_row(ListRejectedRow, r) for r in db.execute(select_sql(ListRejectedRow))]
        assert len(rejected) == 2
        for row in versions:
            assert store.rejected_rows(row.id) == [
                Rejected(r.file, r.line, r.reason, r.raw)
                for r in rejected
                if r.version_id == row.id
            ]


def test_the_list_store_copied_through_the_declarations_is_identical(tmp_path: Path) -> None:
    with (
        closing(loaded(tmp_path / "lists.sqlite")) as db,
        closing(sqlite3.connect(tmp_path / "copy.sqlite")) as copy,
    ):
        copy.execute("PRAGMA foreign_keys=ON")  # as the list store runs
        copy.executescript(schema_sql(*LIST_TABLES))
        for cls in LIST_TABLES:
            rows = [from_row(cls, r) for r in db.execute(select_sql(cls))]
            copy.executemany(insert_sql(cls), [to_params(row) for row in rows])
            typeof = ", ".join(f"{c.name}, typeof({c.name})" for c in cls.__table__.columns)
            query = f"SELECT {typeof} FROM {cls.__table__.name} ORDER BY rowid"
            assert copy.execute(query).fetchall() == db.execute(query).fetchall()
        assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
