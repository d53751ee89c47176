"""The table declarations: the DDL and Arrow schemas derived from them equal the stores'
own (so the stores can switch to them without touching a byte on disk), rows go in and
come back typed, and the reference page is what the declarations say."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Annotated, TypeVar

import pyarrow as pa
import pytest

from sanctionwatch.ais import store as ais_store
from sanctionwatch.ais.tables import CATALOG_TABLES, IdentityRow, PositionRow
from sanctionwatch.behaviour import stored as event_store
from sanctionwatch.behaviour.tables import EVENT_TABLES
from sanctionwatch.errors import StoreError
from sanctionwatch.lists import store as list_store
from sanctionwatch.lists.tables import LIST_TABLES, ListVersionRow
from sanctionwatch.store_reference import ALL_TABLES, store_reference
from sanctionwatch.tables import (
    Column,
    Row,
    arrow_schema,
    ddl,
    from_row,
    insert_sql,
    schema_sql,
    select_sql,
    table,
    to_params,
)

ROOT = Path(__file__).resolve().parents[1]
SQLITE_TABLES = [cls for cls in ALL_TABLES if cls.__table__.sqlite]


def ddl_before_tables() -> dict[str, str]:
    """The hand-written DDL the stores executed before the declarations (a frozen copy):
    the homes written then hold exactly these tables."""
    text = (ROOT / "tests" / "data" / "store_ddl_before_tables.sql").read_text("utf-8")
    _, *sections = re.split(r"^-- ==== (.+) ====$", text, flags=re.MULTILINE)
    return dict(zip(sections[::2], sections[1::2], strict=True))


BEFORE = ddl_before_tables()
# The declarations must create exactly the tables the old DDL created.
STORES = [
    pytest.param(CATALOG_TABLES, BEFORE["ais catalogue"], id="ais catalogue"),
    pytest.param(EVENT_TABLES, BEFORE["event store"], id="event store"),
    pytest.param(LIST_TABLES, BEFORE["list store"], id="list store"),
]

# The Parquet layouts written before the declarations (positions parts, identity.parquet).
POSITION_SCHEMA_BEFORE = pa.schema(
    [
        ("mmsi", pa.int32()),
        ("ts", pa.timestamp("ms", tz="UTC")),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("sog", pa.float32()),
        ("cog", pa.float32()),
        ("heading", pa.int16()),
        ("nav_status", pa.int8()),
        ("msg_type", pa.int8()),
        ("source", pa.dictionary(pa.int32(), pa.string())),
        ("station", pa.dictionary(pa.int32(), pa.string())),
        ("receiver_type", pa.dictionary(pa.int8(), pa.string())),
        ("line", pa.int64()),
        ("ingest_id", pa.int32()),
    ]
)
IDENTITY_SCHEMA_BEFORE = pa.schema(
    [
        ("key", pa.string()),
        ("mmsi", pa.int64()),
        ("imo", pa.int64()),
        ("name", pa.string()),
        ("callsign", pa.string()),
        ("ship_type", pa.int64()),
        ("length", pa.float64()),
        ("width", pa.float64()),
        ("draught", pa.float64()),
        ("destination", pa.string()),
        ("first_seen", pa.int64()),
        ("last_seen", pa.int64()),
        ("first_source", pa.string()),
    ]
)


def test_the_frozen_copy_holds_every_store() -> None:
    assert sorted(BEFORE) == ["ais catalogue", "event store", "list store"]
    assert all(text.count("CREATE TABLE") >= 2 for text in BEFORE.values())


def shape(script: str) -> dict[str, object]:
    """Everything SQLite knows about the tables a script creates, but not its text."""
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(script)
        out: dict[str, object] = {}
        names = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        for (name,) in names.fetchall():
            indexes = [
                (*row[1:], db.execute(f"PRAGMA index_xinfo({row[1]})").fetchall())
                for row in db.execute(f"PRAGMA index_list({name})").fetchall()
            ]
            out[name] = {
                "columns": db.execute(f"PRAGMA table_xinfo({name})").fetchall(),
                "indexes": sorted(indexes),
                "foreign keys": db.execute(f"PRAGMA foreign_key_list({name})").fetchall(),
            }
        return out
    finally:
        db.close()


@pytest.mark.parametrize(("tables", "existing"), STORES)
def test_derived_ddl_creates_exactly_the_stores_tables(
    tables: tuple[type[Row], ...], existing: str
) -> None:
    derived = shape(schema_sql(*tables))
    assert derived == shape(existing)
    assert sorted(derived) == sorted(cls.__table__.name for cls in tables)


@pytest.mark.parametrize(("tables", "existing"), STORES)
def test_derived_ddl_opens_a_store_made_by_the_existing_ddl(
    tables: tuple[type[Row], ...], existing: str, tmp_path: Path
) -> None:
    """IF NOT EXISTS on a store created by the old text: nothing is added or changed."""
    path = tmp_path / "store.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(existing)
        before = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        db.executescript(schema_sql(*tables))
        after = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    db.close()
    assert after == before


def test_derived_arrow_schemas_equal_the_stored_ones() -> None:
    for derived, stored in [
        (arrow_schema(PositionRow), POSITION_SCHEMA_BEFORE),
        (arrow_schema(IdentityRow), IDENTITY_SCHEMA_BEFORE),
    ]:
        assert derived.equals(stored, check_metadata=True)
        assert [f.nullable for f in derived] == [f.nullable for f in stored]


def test_every_column_says_what_it_is() -> None:
    for cls in ALL_TABLES:
        spec = cls.__table__
        assert spec.doc and "\n" not in spec.doc, spec.name
        for column in spec.columns:
            assert column.meaning.doc.strip(), f"{spec.name}.{column.name}"
            assert "\n" not in column.meaning.doc + column.meaning.unit
            # Every stored time in milliseconds says so in its unit.
            if column.name in {"ts", "first_seen", "last_seen", "data_end"} or column.name.endswith(
                ("_ts", "_ms")
            ):
                assert column.meaning.unit == "ms since epoch, UTC", f"{spec.name}.{column.name}"


def test_the_committed_reference_page_is_generated() -> None:
    """docs/store.md: regenerate with ``python -m sanctionwatch.store_reference``."""
    page = (ROOT / "docs" / "store.md").read_text("utf-8")
    assert page == store_reference()
    for cls in ALL_TABLES:
        assert f"## `{cls.__table__.name}`" in page
        for column in cls.__table__.columns:
            assert f"| `{column.name}` |" in page


R = TypeVar("R", bound=Row)


def sample(cls: type[R], seed: int, nulls: bool) -> R:
    """A row of ``cls`` with distinct values of each column's type (None where allowed)."""
    values: dict[str, object] = {}
    for number, column in enumerate(cls.__table__.columns):
        base = seed * 100 + number
        value: object = {
            int: base * 1_000_000_007,  # beyond 32 bits
            float: base + 0.25,
            str: f"{column.name} {base} ü\x00",  # non-ASCII and NUL survive
            bytes: bytes([base % 256]),
        }[column.python]
        values[column.name] = None if nulls and column.nullable else value
    return from_row(cls, tuple(values.values()))


@pytest.mark.parametrize("cls", SQLITE_TABLES, ids=lambda c: c.__table__.name)
def test_rows_round_trip_with_their_types(cls: type[Row]) -> None:
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(ddl(cls))
        rows = [sample(cls, 1, nulls=False), sample(cls, 2, nulls=True)]
        db.executemany(insert_sql(cls), [to_params(row) for row in rows])
        back = [from_row(cls, r) for r in db.execute(select_sql(cls) + " ORDER BY rowid")]
        assert back == rows
        db.row_factory = sqlite3.Row
        by_name = [from_row(cls, r) for r in db.execute("SELECT * FROM " + cls.__table__.name)]
        assert by_name == rows
        for row in back:
            for column in cls.__table__.columns:
                value = getattr(row, column.name)
                assert type(value) is column.python or (value is None and column.nullable)
        if any(c.nullable for c in cls.__table__.columns):
            assert any(getattr(back[1], c.name) is None for c in cls.__table__.columns)
    finally:
        db.close()


def test_an_integer_primary_key_can_be_left_to_sqlite() -> None:
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(ddl(ListVersionRow))
        row = sample(ListVersionRow, 1, nulls=False)
        sql = insert_sql(ListVersionRow, omit=["id"])
        assert sql.startswith("INSERT INTO list_version (list, version, ") and "id," not in sql
        cursor = db.execute(sql, to_params(row, omit=["id"]))
        [stored] = db.execute(select_sql(ListVersionRow)).fetchall()
        assert from_row(ListVersionRow, stored).id == cursor.lastrowid == 1
        assert stored[1:] == to_params(row)[1:]
        # UNIQUE (list, version, content_digest): the same content again is ignored.
        db.execute(insert_sql(ListVersionRow, conflict="IGNORE"), to_params(row))
        assert db.execute("SELECT count(*) FROM list_version").fetchone() == (1,)
        other = replace(row, id=7, content_digest="other")
        db.execute(insert_sql(ListVersionRow, conflict="IGNORE"), to_params(other))
        assert db.execute("SELECT id FROM list_version").fetchall() == [(1,), (7,)]
    finally:
        db.close()


def test_a_value_of_the_wrong_type_is_a_damaged_store() -> None:
    row = list(to_params(sample(IdentityRow, 1, nulls=True)))
    assert from_row(IdentityRow, [*row[:6], 12, *row[7:]]).length == 12.0  # REAL given an int
    for position, bad in [(1, "123"), (1, None), (1, 1.0), (1, True), (0, 5), (6, "long")]:
        with pytest.raises(StoreError, match="the store is damaged: identity"):
            from_row(IdentityRow, [*row[:position], bad, *row[position + 1 :]])
    with pytest.raises(StoreError, match="a row of 3 values for 13 columns"):
        from_row(IdentityRow, row[:3])


def test_declarations_that_cannot_be_stored_are_refused() -> None:
    with pytest.raises(TypeError, match="frozen dataclass"):

        @table("t", "not frozen", ["x.sqlite"])
        @dataclass
        class Loose(Row):
            a: Annotated[int, Column("a")]

    with pytest.raises(TypeError, match="Annotated"):

        @table("t", "bare type", ["x.sqlite"])
        @dataclass(frozen=True)
        class Bare(Row):
            a: int

    with pytest.raises(TypeError, match="no column"):

        @table("t", "bad key", ["x.sqlite"], primary_key=["b"])
        @dataclass(frozen=True)
        class Keyless(Row):
            a: Annotated[int, Column("a")]

    with pytest.raises(TypeError, match="not int, float, str or bytes"):

        @table("t", "a list column", ["x.sqlite"])
        @dataclass(frozen=True)
        class Listy(Row):
            a: Annotated[list[int], Column("a")]


def test_declared_order_is_the_dataclass_order() -> None:
    for cls in ALL_TABLES:
        assert [c.name for c in cls.__table__.columns] == [f.name for f in fields(cls)]


def test_the_stores_run_the_derived_ddl_and_schemas() -> None:
    assert schema_sql(*CATALOG_TABLES) == ais_store.SCHEMA_SQL
    assert schema_sql(*EVENT_TABLES) == event_store.SCHEMA_SQL
    assert schema_sql(*LIST_TABLES) == list_store.SCHEMA
    assert ais_store.POSITION_SCHEMA.equals(arrow_schema(PositionRow), check_metadata=True)
    assert ais_store.IDENTITY_SCHEMA.equals(arrow_schema(IdentityRow), check_metadata=True)
