"""The Spark engine against the DuckDB engine: same views, same rows, same events.

One local[2] Spark session serves every test (starting one takes seconds); each engine
runs in its own session of it (its own temporary views). Needs the ``spark`` extra and
Java 17+, which CI installs: nothing here is skipped.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pyspark.sql import SparkSession

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import POSITION_SCHEMA, PositionStore, open_store
from sanctionwatch.behaviour.detectors import DETECTORS
from sanctionwatch.behaviour.detectors.base import Window
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.engine.spark import INSTALL_HINT, SparkEngine, start_session
from sanctionwatch.errors import InputError
from sanctionwatch.simulate import simulate


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    session = start_session("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PositionStore]:
    """Two days of the rajin scenario, 20 vessels, NMEA, ingested."""
    root = tmp_path_factory.mktemp("spark")
    result = simulate(root / "sim", days=2, vessels=20, seed=5, formats=["nmea"])
    store = open_store(root / "home")
    for path in result.files["nmea"]:
        ingest_file(store, Source(path))
    yield store
    store.close()


@pytest.fixture(scope="module")
def engines(
    spark: SparkSession, simulated: PositionStore
) -> Iterator[tuple[DuckDBEngine, SparkEngine]]:
    duck, sparky = DuckDBEngine(simulated), SparkEngine(simulated, session=spark)
    yield duck, sparky
    duck.close()
    sparky.close()


def events_json(events: list[Event]) -> list[str]:
    return sorted(json.dumps(e.to_dict(), sort_keys=True) for e in events)


# -- the detectors -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(DETECTORS))
def test_every_detector_finds_the_same_events(
    engines: tuple[DuckDBEngine, SparkEngine], name: str
) -> None:
    duck, sparky = engines
    params = load_params()
    expected = events_json(detect(duck, params, None, [name]))
    assert events_json(detect(sparky, params, None, [name])) == expected


def test_the_scenario_gives_every_detector_something(
    engines: tuple[DuckDBEngine, SparkEngine],
) -> None:
    # Else the comparison above proves little: each detector finds events in this data
    # (none is missing from the registry's list of what the scenario holds).
    duck, _ = engines
    found = {e.type for e in detect(duck, load_params())}
    assert {"gap", "loitering", "port_call", "draught_change"} <= found
    assert found <= set(DETECTORS)


def test_a_window_gives_the_same_events(engines: tuple[DuckDBEngine, SparkEngine]) -> None:
    duck, sparky = engines
    [row] = duck.query("SELECT epoch_ms(min(ts)) AS first FROM positions")
    first = int(row["first"])
    window = Window(first + 12 * 3_600_000, first + 36 * 3_600_000)
    params = load_params()
    expected = detect(duck, params, window)
    assert expected
    assert events_json(detect(sparky, params, window)) == events_json(expected)
    # The window did cut: fewer events than over everything.
    assert len(expected) < len(detect(duck, params))


def test_an_empty_store(spark: SparkSession, tmp_path: Path) -> None:
    store = open_store(tmp_path / "home")
    engine = SparkEngine(store, session=spark)
    assert engine.query("SELECT count(*) AS n FROM positions") == [{"n": 0}]
    assert engine.query("SELECT count(*) AS n FROM identity") == [{"n": 0}]
    assert engine.spark.table("positions").columns == POSITION_SCHEMA.names
    assert detect(engine, load_params()) == []
    engine.close()


# -- rows and values ---------------------------------------------------------------------


def test_rows_have_the_same_python_values(engines: tuple[DuckDBEngine, SparkEngine]) -> None:
    duck, sparky = engines
    sql = (
        "SELECT mmsi, ts, lat, lon, sog, cog, heading, nav_status, msg_type, source, station, "
        "receiver_type, line, ingest_id FROM positions ORDER BY mmsi, ts, lat, lon LIMIT 50"
    )
    expected, rows = duck.query(sql), sparky.query(sql)
    assert rows == expected
    for row, want in zip(rows, expected, strict=True):
        assert [type(v) for v in row.values()] == [type(v) for v in want.values()]
    assert rows[0]["ts"].utcoffset().total_seconds() == 0
    [identity] = sparky.query("SELECT * FROM identity ORDER BY mmsi, first_seen LIMIT 1")
    assert identity == duck.query("SELECT * FROM identity ORDER BY mmsi, first_seen LIMIT 1")[0]


def test_parameters_are_bound(engines: tuple[DuckDBEngine, SparkEngine]) -> None:
    duck, sparky = engines
    [vessel] = duck.query("SELECT mmsi, count(*) AS n FROM positions GROUP BY mmsi LIMIT 1")
    sql = "SELECT count(*) AS n FROM positions WHERE mmsi = ? AND lat > ?"
    assert sparky.query(sql, [vessel["mmsi"], -90.0]) == [{"n": vessel["n"]}]
    hostile = "SELECT count(*) AS n FROM identity WHERE name = ?"
    assert sparky.query(hostile, ["x' OR '1'='1"]) == [{"n": 0}]
    assert sparky.query("SELECT ? AS s", ["it's \\ fine"]) == [{"s": "it's \\ fine"}]


def test_register_table(engines: tuple[DuckDBEngine, SparkEngine]) -> None:
    _, sparky = engines
    sparky.register_table("extra", {"k": [1, 2, 3], "name": ["a", None, "c"]})
    assert sparky.query("SELECT sum(k) AS s, count(name) AS n FROM extra") == [{"s": 6, "n": 2}]
    sparky.register_table("extra", {"k": [10]})  # replaces
    assert sparky.query("SELECT * FROM extra") == [{"k": 10}]


# Each rule of translate.py, run on both engines (the text is tested in test_translate.py).
RULES = [
    "SELECT mmsi, epoch_ms(ts) AS t, epoch(ts) AS s, epoch_us(ts) AS us, epoch_ns(ts) AS ns "
    "FROM positions ORDER BY mmsi, ts LIMIT 20",
    "SELECT to_timestamp(1700000000.25) AS v",
    "SELECT mmsi, quantile_cont(lat, 0.25) AS q, median(lat) AS m, "
    "percentile_cont(0.75) WITHIN GROUP (ORDER BY lon) AS p, "
    "percentile_cont(0.75) WITHIN GROUP (ORDER BY lon DESC) AS pd "
    "FROM positions GROUP BY mmsi ORDER BY mmsi",
    "SELECT isnan(CAST(NULL AS DOUBLE)) AS a, isnan(CAST('NaN' AS DOUBLE)) AS b, isnan(1.5) AS c",
    "SELECT floor(lat) AS f, ceil(lon) AS c, CAST(floor(lat / 0.05) AS BIGINT) AS cell "
    "FROM positions ORDER BY mmsi, ts LIMIT 20",
    "SELECT x, CAST(x AS BIGINT) AS b, CAST(x AS INTEGER) AS i, CAST(x AS SMALLINT) AS s "
    "FROM (VALUES (2.5::DOUBLE), (3.5::DOUBLE), (-2.5::DOUBLE), (2.4::DOUBLE), "
    "(-0.6::DOUBLE)) t(x) ORDER BY x",
    "SELECT CAST(2.5 AS INTEGER) AS a, CAST(-2.5 AS BIGINT) AS b, CAST(sog AS INTEGER) AS c "
    "FROM positions ORDER BY mmsi, ts LIMIT 20",
    # round without digits agrees (with digits: a known difference, see translate.py)
    "SELECT x, round(x) AS r FROM (VALUES (2.5::DOUBLE), (-2.5::DOUBLE), (0.5::DOUBLE), "
    "(1.4999999999999998::DOUBLE), (2.675::DOUBLE)) t(x) ORDER BY x",
    "SELECT 7 // 2 AS a, -7 // 2 AS b, 7.5 // 2 AS c",
    "SELECT mmsi, arg_max(lat, ts) AS last_lat, arg_min(lon, ts) AS first_lon, "
    "count(*) FILTER (WHERE sog < 1) AS slow, min(ts) FILTER (WHERE sog >= 1) AS moving "
    "FROM positions GROUP BY mmsi ORDER BY mmsi",
    # ties in arg_max broken by a tuple (draught_change.py): the same row on both
    "SELECT g, arg_max(x, (t, x, y)) AS x, arg_max(y, (t, x, y)) AS y FROM (VALUES "
    "(1, 5, 1.0, 2.0), (1, 5, 3.0, 1.0), (1, 4, 9.0, 9.0), (1, 5, 3.0, 0.5)) v(g, t, x, y) "
    "GROUP BY g",
    "SELECT power(lat, 2) AS p, lat ^ 2 AS q, lat ** 3 AS r FROM positions "
    "ORDER BY mmsi, ts LIMIT 20",
]


@pytest.mark.parametrize("sql", RULES)
def test_each_rule_means_the_same_on_both_engines(
    engines: tuple[DuckDBEngine, SparkEngine], sql: str
) -> None:
    duck, sparky = engines
    expected, rows = duck.query(sql), sparky.query(sql)
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        assert row.keys() == want.keys()
        for key, value in want.items():
            assert same(row[key], value), (key, row, want)


def same(got: Any, want: Any) -> bool:
    """Equal values; floats to 12 significant digits (percentile interpolation is written
    differently in the two engines), decimals as numbers."""
    if isinstance(want, float) and isinstance(got, float | Decimal):
        if math.isnan(want):
            return math.isnan(float(got))
        return math.isclose(float(got), want, rel_tol=1e-12, abs_tol=1e-12)
    if isinstance(want, Decimal) and isinstance(got, float | Decimal):
        return Decimal(got) == want
    if isinstance(want, datetime) and isinstance(got, datetime):
        return want.replace(tzinfo=want.tzinfo or UTC) == got
    return bool(type(got) is type(want) and got == want)


# -- errors ------------------------------------------------------------------------------


def test_without_pyspark(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # import fails
    with pytest.raises(InputError) as caught:
        SparkEngine(open_store(tmp_path / "home"))
    assert caught.value.message == INSTALL_HINT
    assert INSTALL_HINT == (
        "the Spark engine needs the optional extra: pip install 'sanctionwatch[spark]'"
    )


def test_spark_connect_without_its_client(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql.connect.session", None)
    with pytest.raises(InputError, match=r"pyspark\[connect\]"):
        SparkEngine(open_store(tmp_path / "home"), remote="sc://localhost:15002")


def test_master_or_remote(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not both"):
        SparkEngine(open_store(tmp_path / "home"), master="local[1]", remote="sc://x:1")


def test_a_spark_error_shows_the_translated_sql(
    engines: tuple[DuckDBEngine, SparkEngine],
) -> None:
    _, sparky = engines
    with pytest.raises(Exception) as caught:
        sparky.query("SELECT no_such_column FROM positions")
    assert "Spark SQL (translated from DuckDB's)" in "\n".join(caught.value.__notes__)


def test_without_java(tmp_path: Path) -> None:
    # In a process of its own: this one's JVM is running already.
    script = (
        "from pathlib import Path\n"
        "from sanctionwatch.ais.store import open_store\n"
        "from sanctionwatch.engine.spark import SparkEngine\n"
        "from sanctionwatch.errors import InputError\n"
        "try:\n"
        f"    SparkEngine(open_store(Path({str(tmp_path / 'home')!r})))\n"
        "except InputError as error:\n"
        "    print(error.message)\n"
    )
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "no-java")}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == (
        "Spark could not start its JVM: install Java 17 or newer (java on PATH or JAVA_HOME set)"
    ), done.stderr
