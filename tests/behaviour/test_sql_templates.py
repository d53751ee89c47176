"""The detectors' queries as files (``behaviour/sql/<detector>.sql.j2``): each renders with
the default parameters into one statement that parses in DuckDB's dialect and translates for
Spark, each detector that has one renders it (not SQL of its own), and the shared
longitude-wrapping macros give the right numbers."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import sqlglot
from sqlglot import exp

import sanctionwatch.behaviour.detectors.base as base
from sanctionwatch.ais.store import open_store
from sanctionwatch.behaviour.detectors import DETECTORS
from sanctionwatch.behaviour.detectors.base import Window, render_sql
from sanctionwatch.behaviour.params import default_params
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.engine.translate import to_spark

SQL_DIR = Path(base.__file__).parent.parent / "sql"
TEMPLATES = sorted(p.name.removesuffix(".sql.j2") for p in SQL_DIR.glob("*.sql.j2"))
# Templates named after a registered detector (the detector knows the values to pass).
DETECTOR_TEMPLATES = [name for name in TEMPLATES if name in DETECTORS]
MOVED = ["encounter", "gap", "port_call"]  # detectors whose SQL has left Python
WINDOW = Window(start_ms=1_700_000_000_000, end_ms=1_710_000_000_000)
# SQL keywords, and functions that only SQL fragments would spell out.
SQL_WORDS = re.compile(
    r"\b(SELECT|FROM|WHERE|JOIN|GROUP BY|ORDER BY|OVER|CASE WHEN|WITH|UNION)\b"
    r"|\b(epoch_ms|floor|least|greatest|coalesce|asin|radians|avg)\("
)


def test_the_moved_detectors_have_their_own_template() -> None:
    assert set(MOVED) <= set(DETECTOR_TEMPLATES)


def recorded(module_name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, list[str]]:
    """The detector module, and the list of the templates it renders from now on."""
    module = importlib.import_module(f"sanctionwatch.behaviour.detectors.{module_name}")
    rendered: list[str] = []

    def recording(template: str, **values: object) -> str:
        rendered.append(template)
        return render_sql(template, **values)

    monkeypatch.setattr(module, "render_sql", recording)
    return module, rendered


@pytest.mark.parametrize("name", DETECTOR_TEMPLATES)
def test_template_renders_to_one_duckdb_statement(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, rendered = recorded(name, monkeypatch)
    sql = DETECTORS[name].sql(default_params()[name], WINDOW)
    assert rendered == [name]
    statements = sqlglot.parse(sql, read="duckdb")
    assert len(statements) == 1
    assert isinstance(statements[0], exp.Select)
    assert "{{" not in sql and "{%" not in sql and "{#" not in sql
    assert "unix_millis" in to_spark(sql).lower()  # epoch_ms(ts) translated for Spark


def _strings(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, literal text) of every string in the module but its docstrings; an
    f-string's literal parts joined with a space where a value goes."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [v.value if isinstance(v, ast.Constant) else " " for v in node.values]
            found.append((node.lineno, "".join(str(p) for p in parts)))
            docstrings.update(id(v) for v in node.values)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            found.append((node.lineno, node.value))
    return found


@pytest.mark.parametrize("name", MOVED)
def test_moved_detector_builds_no_sql_in_python(name: str) -> None:
    module = importlib.import_module(f"sanctionwatch.behaviour.detectors.{name}")
    assert module.__file__ is not None
    strings = _strings(ast.parse(Path(module.__file__).read_text(encoding="utf-8")))
    assert [(line, text) for line, text in strings if "\n" in text] == []
    assert [(line, text) for line, text in strings if SQL_WORDS.search(text)] == []
    assert "haversine_sql" not in Path(module.__file__).read_text(encoding="utf-8")


def test_each_encounter_cte_says_what_it_does() -> None:
    """A newcomer reads the query top to bottom: a comment line above each CTE."""
    lines = (SQL_DIR / "encounter.sql.j2").read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(r"^(WITH )?\w+ AS \(", line)]
    assert len(starts) >= 17
    assert [lines[i] for i in starts if not lines[i - 1].startswith("--")] == []


def test_longitude_wrapping_macros(tmp_path: Path) -> None:
    m: Any = base._sql_templates().get_template("macros.sql.j2").module
    sql = (
        f"SELECT {m.wrap_lon('190.0')} AS east, {m.wrap_lon('-180.0')} AS west,"
        f" {m.wrap_lon('180.0')} AS antimeridian, {m.wrap_lon('-540.5')} AS twice,"
        f" {m.wrap_lon('10.0 - 350.0')} AS difference,"
        f" {m.wrap_cell('-1', 72)} AS before_first, {m.wrap_cell('72 + 1', 72)} AS past,"
        f" {m.lon_cell('-180.0', 72)} AS first_cell, {m.lon_cell('179.9', 72)} AS last_cell,"
        f" {m.lon_cell('0.0', 72)} AS greenwich"
    )
    means = (
        f"SELECT {m.mean_lon('lon')} AS across, {m.mean_lon('lat')} AS plain"
        " FROM (VALUES (179.0, 10.0), (-177.0, 20.0)) AS t(lon, lat)"
    )
    engine = DuckDBEngine(open_store(tmp_path))
    try:
        row, mean = engine.query(sql)[0], engine.query(means)[0]
    finally:
        engine.close()
    assert row == {
        "east": -170.0,
        "west": -180.0,
        "antimeridian": -180.0,
        "twice": 179.5,
        "difference": 20.0,
        "before_first": 71,
        "past": 1,
        "first_cell": 0,
        "last_cell": 71,
        "greenwich": 36,
    }
    assert mean["across"] == pytest.approx(-179.0)
    assert mean["plain"] == pytest.approx(15.0)
