"""The loitering, draught change and identity detectors keep their SQL in files
(``behaviour/sql/*.sql.j2``, issue 12): their Python modules build no SQL, and every query
they run renders from its own template, with the default parameters, into one DuckDB
statement that sqlglot parses and ``engine/translate.py`` translates for Spark."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import sqlglot

import sanctionwatch.behaviour.detectors.base as base
from sanctionwatch.behaviour.detectors.base import Window
from sanctionwatch.behaviour.params import default_params
from sanctionwatch.engine.translate import to_spark
from tests.behaviour.test_sql_templates import _strings, recorded

DETECTORS_DIR = Path(base.__file__).parent
SQL_DIR = DETECTORS_DIR.parent / "sql"
MODULES = ["loitering", "draught_change", "identity", "identity_segments", "identity_tracks"]
WINDOW = Window(start_ms=1_700_000_000_000, end_ms=1_710_000_000_000)
# SQL keywords, and the functions that only SQL fragments would spell out.
SQL_WORDS = re.compile(
    r"\b(SELECT|FROM|WHERE|JOIN|GROUP BY|ORDER BY|OVER|CASE WHEN|WITH|UNION)\b"
    r"|\b(epoch_ms|arg_min|arg_max|least|greatest|coalesce|asin|radians)\("
)


@pytest.mark.parametrize("name", MODULES)
def test_module_builds_no_sql(name: str) -> None:
    path = DETECTORS_DIR / f"{name}.py"
    assert path.is_file()
    strings = _strings(ast.parse(path.read_text(encoding="utf-8")))
    assert [(line, text) for line, text in strings if SQL_WORDS.search(text)] == []
    assert "haversine_sql" not in path.read_text(encoding="utf-8")  # SQL pieces made in Python


@pytest.mark.parametrize("name", MODULES)
def test_module_is_under_400_lines(name: str) -> None:
    assert len((DETECTORS_DIR / f"{name}.py").read_text(encoding="utf-8").splitlines()) < 400


def _queries() -> list[tuple[str, str, Callable[[ModuleType], str]]]:
    """(module, template, a call of the module's function that makes that query)."""
    params = default_params()
    identity = params["identity"]

    def part(module: ModuleType) -> object:
        t = np.array([1_700_000_000_000, 1_700_000_600_000], dtype=np.int64)
        return module.Part(t, np.array([38.7, 38.8]), np.array([125.3, 125.4]))

    return [
        ("loitering", "loitering", lambda m: m.sql(params["loitering"], WINDOW)),
        ("draught_change", "draught_change", lambda m: m.sql(params["draught_change"], WINDOW)),
        ("identity", "identity", lambda m: m.sql(identity, WINDOW)),
        ("identity", "identity_first_last", lambda m: m.first_last_sql(WINDOW)),
        ("identity", "identity_heard_nearby",
         lambda m: m.heard_nearby_sql((1, 2), 38.7, 125.3, 1_700_000_000_000,
                                      1_700_007_200_000, identity["handover_hole_km"])),
        ("identity_tracks", "identity_suspects", lambda m: m.suspects_sql(identity, WINDOW)),
        ("identity_tracks", "identity_suspect_positions",
         lambda m: m.positions_sql([440123000, 445000001], WINDOW)),
        ("identity_segments", "identity_impostors",
         lambda m: m.impostor_sql(445000001, part(m), identity, WINDOW)),
        ("identity_segments", "identity_locate",
         lambda m: m.locate_sql(445000001, 1_700_000_000_000, identity)),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("module_name", "template", "make"), _queries(), ids=[q[1] for q in _queries()]
)
def test_query_renders_from_its_template_for_duckdb_and_spark(
    module_name: str,
    template: str,
    make: Callable[[ModuleType], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert (SQL_DIR / f"{template}.sql.j2").is_file()
    module, rendered = recorded(module_name, monkeypatch)
    sql = make(module)
    assert rendered == [template]
    assert "{{" not in sql and "{%" not in sql and "{#" not in sql
    statements = sqlglot.parse(sql, read="duckdb")
    assert len(statements) == 1 and statements[0] is not None
    spark = to_spark(sql).lower()
    assert "unix_millis" in spark  # epoch_ms(ts) translated for Spark
    assert "arg_m" not in spark  # arg_min / arg_max written as Spark's min_by / max_by


@pytest.mark.parametrize("template", ["loitering", "draught_change", "identity"])
def test_each_cte_says_what_it_does(template: str) -> None:
    """A newcomer reads the query top to bottom: a comment line above each CTE."""
    lines = (SQL_DIR / f"{template}.sql.j2").read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(r"^(WITH )?\w+ AS \(", line)]
    assert starts
    assert [lines[i] for i in starts if not lines[i - 1].startswith("--")] == []
