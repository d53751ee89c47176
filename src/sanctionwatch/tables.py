"""Store tables declared once, as data; the SQLite DDL, Arrow schema and typed rows derived.

A table is a frozen dataclass whose fields are its columns, in stored order. Each field is
``Annotated[<python type>, Column(<description>, unit=...)]``: the Python type says what a
value is and whether it may be missing (``| None``); the :class:`Column` says what it means.
The :func:`table` decorator adds what belongs to the table as a whole (name, description,
keys, indexes, where it is stored). From that one declaration come:

* :func:`ddl`: ``CREATE TABLE IF NOT EXISTS`` with NOT NULL, PRIMARY KEY, UNIQUE,
  REFERENCES and ``CREATE INDEX IF NOT EXISTS``;
* :func:`arrow_schema` and :func:`arrow_table`: the Parquet (or export) layout;
* :func:`insert_sql`, :func:`select_sql`, :func:`to_params` and :func:`from_row`: rows that
  mypy checks, instead of ``dict[str, object]`` read back with ``int(str(row[...]))``;
* :func:`reference_markdown`: the reference page (docs/store.md) that cannot drift.

The idea is followthemoney's: a schema is data, and everything else is generated from it.
Only what the stores need is supported (INTEGER, REAL, TEXT and BLOB columns).

Two rules keep the derived forms identical to the stores written before this module:
a single-column primary key carries no NOT NULL (SQLite allows NULL in a TEXT primary key
for historical reasons; the row class still forbids it), and every Arrow field is nullable
(the Parquet files already written declare every column optional; the Python type says
which values can really be missing).
"""

from __future__ import annotations

import dataclasses
import operator
import sqlite3
import types
import typing
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypeVar

import pyarrow as pa

from sanctionwatch.errors import StoreError

__all__ = [
    "Column",
    "Index",
    "Row",
    "Table",
    "arrow_schema",
    "arrow_table",
    "ddl",
    "from_row",
    "insert_sql",
    "reference_markdown",
    "schema_sql",
    "select_sql",
    "table",
    "to_params",
]

SQL_TYPES: dict[type, str] = {int: "INTEGER", float: "REAL", str: "TEXT", bytes: "BLOB"}
ARROW_TYPES: dict[type, Callable[[], Any]] = {
    int: pa.int64, float: pa.float64, str: pa.string, bytes: pa.binary
}  # fmt: skip


@dataclass(frozen=True)
class Column:
    """What one column means: the metadata of its ``Annotated`` type."""

    doc: str  # one line: what the value is
    unit: str = ""  # "ms since epoch, UTC", "knots", "degrees", "metres", "JSON", ...
    references: str | None = None  # "ingest(id)": a foreign key
    arrow: Any = None  # a pyarrow DataType when not the default for the Python type


@dataclass(frozen=True)
class Index:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class TableColumn:
    """A column as derived from its field: name, Python type, nullability, meaning."""

    name: str
    python: type
    nullable: bool
    meaning: Column

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.python]

    @property
    def arrow_type(self) -> Any:
        return self.meaning.arrow if self.meaning.arrow is not None else ARROW_TYPES[self.python]()


@dataclass(frozen=True)
class Table:
    """A whole table: what :func:`table` derives from the class and its arguments."""

    name: str
    doc: str
    stored_in: tuple[str, ...]  # paths under the home folder
    sqlite: bool  # False: a Parquet-only table (no DDL)
    columns: tuple[TableColumn, ...]
    primary_key: tuple[str, ...]
    unique: tuple[tuple[str, ...], ...]
    indexes: tuple[Index, ...]
    # A row's values in column order (what to_params gives without omit).
    values: Callable[[Any], tuple[object, ...]] = dataclasses.field(compare=False, repr=False)


class Row:
    """Base of every row class; :func:`table` sets ``__table__``."""

    __table__: ClassVar[Table]


R = TypeVar("R", bound=Row)


def table(
    name: str,
    doc: str,
    stored_in: Sequence[str],
    *,
    primary_key: Sequence[str] = (),
    unique: Sequence[Sequence[str]] = (),
    indexes: Sequence[Index] = (),
    sqlite: bool = True,
) -> Callable[[type[R]], type[R]]:
    """Class decorator (above ``@dataclass(frozen=True)``): declare a store table."""

    def declare(cls: type[R]) -> type[R]:
        if not dataclasses.is_dataclass(cls) or not cls.__dataclass_params__.frozen:
            raise TypeError(f"{cls.__name__}: a table is declared on a frozen dataclass")
        hints = typing.get_type_hints(cls, include_extras=True)
        columns = tuple(_column(cls, f.name, hints[f.name]) for f in dataclasses.fields(cls))
        known = {c.name for c in columns}
        for group in (primary_key, *unique, *(i.columns for i in indexes)):
            if not set(group) <= known:
                raise TypeError(f"{cls.__name__}: no column {sorted(set(group) - known)}")
        cls.__table__ = Table(
            name, doc, tuple(stored_in), sqlite, columns, tuple(primary_key),
            tuple(tuple(u) for u in unique), tuple(indexes),
            _values_getter([c.name for c in columns]),
        )  # fmt: skip
        return cls

    return declare


def _column(cls: type, name: str, hint: Any) -> TableColumn:
    if typing.get_origin(hint) is not typing.Annotated:
        raise TypeError(f"{cls.__name__}.{name}: declare as Annotated[<type>, Column(...)]")
    python, *extras = typing.get_args(hint)
    meaning = next((e for e in extras if isinstance(e, Column)), None)
    if meaning is None:
        raise TypeError(f"{cls.__name__}.{name}: no Column(...) in its Annotated type")
    nullable = False
    if isinstance(python, types.UnionType) or typing.get_origin(python) is typing.Union:
        options = [a for a in typing.get_args(python) if a is not type(None)]
        nullable = len(options) < len(typing.get_args(python))
        python = options[0] if len(options) == 1 else python
    if python not in SQL_TYPES:
        raise TypeError(f"{cls.__name__}.{name}: {python} is not int, float, str or bytes")
    return TableColumn(name, python, nullable, meaning)


# -- SQLite ------------------------------------------------------------------------------


def ddl(cls: type[Row]) -> str:
    """``CREATE TABLE IF NOT EXISTS`` and its indexes, each column's description a comment."""
    spec = cls.__table__
    if not spec.sqlite:
        raise TypeError(f"table {spec.name} is stored only as Parquet")
    single_key = spec.primary_key if len(spec.primary_key) == 1 else ()
    lines: list[tuple[str, str]] = []
    for column in spec.columns:
        text = f"{column.name} {column.sql_type}"
        if column.name in single_key:
            text += " PRIMARY KEY"
        elif not column.nullable:
            text += " NOT NULL"
        if column.meaning.references:
            text += f" REFERENCES {column.meaning.references}"
        unit = f" [{column.meaning.unit}]" if column.meaning.unit else ""
        lines.append((text, column.meaning.doc + unit))
    if len(spec.primary_key) > 1:
        lines.append((f"PRIMARY KEY ({', '.join(spec.primary_key)})", ""))
    lines += [(f"UNIQUE ({', '.join(group)})", "") for group in spec.unique]
    body = [
        f"    {text}{',' if i < len(lines) - 1 else ''}" + (f"  -- {doc}" if doc else "")
        for i, (text, doc) in enumerate(lines)
    ]
    statements = [f"CREATE TABLE IF NOT EXISTS {spec.name} (  -- {spec.doc}", *body, ");"]
    statements += [
        f"CREATE INDEX IF NOT EXISTS {i.name} ON {spec.name}({', '.join(i.columns)});"
        for i in spec.indexes
    ]
    return "\n".join(statements) + "\n"


def schema_sql(*tables: type[Row]) -> str:
    """The DDL of several tables, for ``executescript`` (referenced tables first)."""
    return "".join(ddl(cls) for cls in tables)


def _names(cls: type[Row], omit: Collection[str]) -> list[str]:
    return [c.name for c in cls.__table__.columns if c.name not in omit]


def insert_sql(
    cls: type[Row],
    omit: Collection[str] = (),
    conflict: Literal["IGNORE", "REPLACE"] | None = None,
) -> str:
    """``INSERT INTO t (a, b, ...) VALUES (?, ?, ...)`` in declared order, without ``omit``
    (an ``INTEGER PRIMARY KEY`` the database numbers, say); ``conflict``: ``INSERT OR ...``."""
    names = _names(cls, omit)
    verb = "INSERT" if conflict is None else f"INSERT OR {conflict}"
    marks = ", ".join("?" * len(names))
    return f"{verb} INTO {cls.__table__.name} ({', '.join(names)}) VALUES ({marks})"


def select_sql(cls: type[Row]) -> str:
    """``SELECT a, b, ... FROM t``: the columns in the order :func:`from_row` takes them."""
    return f"SELECT {', '.join(_names(cls, ()))} FROM {cls.__table__.name}"  # noqa: S608


def to_params(row: Row, omit: Collection[str] = ()) -> tuple[object, ...]:
    """The values of ``row`` in the order of :func:`insert_sql` (with the same ``omit``)."""
    if not omit:
        return type(row).__table__.values(row)
    return tuple(getattr(row, name) for name in _names(type(row), omit))


def _values_getter(names: Sequence[str]) -> Callable[[Any], tuple[object, ...]]:
    """One ``attrgetter`` per table, made once: a list load turns hundreds of thousands of
    rows into parameters, and looking the column names up for each row cost a third of it."""
    get = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda row: (get(row),)
    return typing.cast(Callable[[Any], tuple[object, ...]], get)


def from_row(cls: type[R], row: sqlite3.Row | Sequence[object]) -> R:
    """A typed row from a ``sqlite3.Row`` (by name) or a tuple (in declared order), each
    value checked against its column: a store that holds something else is damaged."""
    spec = cls.__table__
    values = [row[c.name] for c in spec.columns] if isinstance(row, sqlite3.Row) else list(row)
    if len(values) != len(spec.columns):
        raise StoreError(
            f"table {spec.name}: a row of {len(values)} values for {len(spec.columns)} columns"
        )
    fields = {c.name: _checked(spec, c, v) for c, v in zip(spec.columns, values, strict=True)}
    return typing.cast(Callable[..., R], cls)(**fields)


def _checked(spec: Table, column: TableColumn, value: object) -> object:
    if value is None and column.nullable:
        return None
    if column.python is float and type(value) is int:  # REAL columns may hand back an int
        return float(value)
    if type(value) is not column.python:
        raise StoreError(
            f"the store is damaged: {spec.name}.{column.name} holds {value!r:.60}, "
            f"expected {column.sql_type}{' or NULL' if column.nullable else ''}"
        )
    return value


# -- Arrow -------------------------------------------------------------------------------


def arrow_schema(cls: type[Row]) -> Any:
    """The ``pyarrow.Schema`` of the table (every field nullable: see the module docstring)."""
    return pa.schema([pa.field(c.name, c.arrow_type) for c in cls.__table__.columns])


def arrow_table(cls: type[R], rows: Iterable[R]) -> Any:
    """Rows as a ``pyarrow.Table`` in the table's schema."""
    names = _names(cls, ())
    columns: dict[str, list[object]] = {name: [] for name in names}
    for row in rows:
        for name in names:
            columns[name].append(getattr(row, name))
    return pa.table(columns, schema=arrow_schema(cls))


# -- reference ---------------------------------------------------------------------------


def reference_markdown(title: str, intro: str, tables: Iterable[type[Row]]) -> str:
    """A Markdown page describing every table and column (docs/store.md is this output)."""
    out = [f"# {title}", "", intro, ""]
    for cls in tables:
        spec = cls.__table__
        out += [f"## `{spec.name}`", "", spec.doc, ""]
        out.append("- stored in " + ", ".join(f"`{path}`" for path in spec.stored_in))
        if spec.primary_key:
            out.append(f"- primary key ({', '.join(spec.primary_key)})")
        out += [f"- unique ({', '.join(group)})" for group in spec.unique]
        out += [f"- index `{i.name}` ({', '.join(i.columns)})" for i in spec.indexes]
        out += ["", "| column | SQLite | Arrow | unit | null | description |", "|---" * 6 + "|"]
        for c in spec.columns:
            sql = c.sql_type if spec.sqlite else "-"
            null = "yes" if c.nullable else ""
            ref = f" (references `{c.meaning.references}`)" if c.meaning.references else ""
            out.append(
                f"| `{c.name}` | {sql} | {c.arrow_type} | {c.meaning.unit} | {null} "
                f"| {c.meaning.doc}{ref} |"
            )
        out.append("")
    return "\n".join(out)
