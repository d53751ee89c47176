"""DuckDB -> Spark SQL: each rule of engine/translate.py, as text.

What each translation means is checked by running it on both engines in test_spark.py
(``test_each_rule_means_the_same_on_both_engines``).
"""

from __future__ import annotations

import pytest

from sanctionwatch.engine.translate import to_spark


def spark(expression: str) -> str:
    """The Spark text of one DuckDB select expression."""
    sql = to_spark(f"SELECT {expression} FROM t")
    assert sql.startswith("SELECT ") and sql.endswith(" FROM t"), sql
    return sql[len("SELECT ") : -len(" FROM t")]


@pytest.mark.parametrize(
    ("duckdb", "expected"),
    [
        # epoch_ms of a timestamp: milliseconds (sqlglot alone writes TIMESTAMP_MILLIS)
        ("epoch_ms(ts)", "UNIX_MILLIS(ts)"),
        ("epoch_ms(p.ts) - 5", "UNIX_MILLIS(p.ts) - 5"),
        # ... of a number written in the SQL: the timestamp of it
        ("epoch_ms(1700000000000)", "TIMESTAMP_MILLIS(1700000000000)"),
        ("make_timestamp(t * 1000)", "TIMESTAMP_MICROS(t * 1000)"),
        # seconds with the fraction, microseconds, nanoseconds
        ("epoch(ts)", "(CAST(UNIX_MICROS(ts) AS DOUBLE) / 1000000)"),
        ("epoch_us(ts)", "UNIX_MICROS(ts)"),
        ("epoch_ns(ts)", "(UNIX_MICROS(ts) * 1000)"),
        ("to_timestamp(x)", "TIMESTAMP_SECONDS(x)"),
        # exact percentiles
        ("quantile_cont(x, 0.25)", "PERCENTILE(x, 0.25)"),
        ("percentile_cont(0.25) WITHIN GROUP (ORDER BY x)", "PERCENTILE(x, 0.25)"),
        ("percentile_cont(0.25) WITHIN GROUP (ORDER BY x DESC)", "PERCENTILE(x, 1 - 0.25)"),
        ("median(x)", "MEDIAN(x)"),
        # isnan keeps NULL
        ("isnan(x)", "IF(x IS NULL, NULL, ISNAN(x))"),
        # floor/ceil keep DuckDB's DOUBLE ...
        ("floor(x)", "CAST(FLOOR(x) AS DOUBLE)"),
        ("ceil(x / 2)", "CAST(CEIL(x / 2) AS DOUBLE)"),
        # ... but not inside a cast to an integer, nor of an integer or decimal
        ("CAST(floor(x / 0.05) AS BIGINT)", "CAST(FLOOR(x / 0.05) AS BIGINT)"),
        ("floor(CAST(x AS INT))", "FLOOR(CAST(BROUND(x) AS INT))"),
        ("floor(2.5)", "FLOOR(2.5)"),
        # a cast to an integer rounds (ties to even for DOUBLEs, away for decimals)
        ("CAST(x AS BIGINT)", "CAST(BROUND(x) AS BIGINT)"),
        ("x::INTEGER", "CAST(BROUND(x) AS INT)"),
        ("TRY_CAST(x / 2 AS SMALLINT)", "TRY_CAST(BROUND(x / 2) AS SMALLINT)"),
        ("CAST(2.5 AS INTEGER)", "CAST(ROUND(2.5) AS INT)"),
        # ... unless it is surely an integer already, a condition or a string
        ("CAST(1 AS BIGINT)", "CAST(1 AS BIGINT)"),
        ("CAST(count(*) AS INTEGER)", "CAST(COUNT(*) AS INT)"),
        ("CAST(epoch_ms(ts) AS BIGINT)", "CAST(UNIX_MILLIS(ts) AS BIGINT)"),
        ("CAST(round(x) AS BIGINT)", "CAST(ROUND(x) AS BIGINT)"),
        ("CAST(x > 1 AS INTEGER)", "CAST(x > 1 AS INT)"),
        ("CAST('42' AS INTEGER)", "CAST('42' AS INT)"),
        ("CAST(x AS DOUBLE)", "CAST(x AS DOUBLE)"),
        # // divides decimals exactly in DuckDB
        ("7.5 // 2", "7.5 / 2"),
        ("a // b", "a DIV b"),
    ],
)
def test_rules(duckdb: str, expected: str) -> None:
    assert spark(duckdb) == expected


@pytest.mark.parametrize(
    ("duckdb", "expected"),
    [
        ("arg_min(port, d)", "MIN_BY(port, d)"),
        ("arg_max(lat, ts)", "MAX_BY(lat, ts)"),
        ("count(*) FILTER (WHERE sog < 0.2)", "COUNT(*) FILTER(WHERE sog < 0.2)"),
        ("power(x, 2)", "POWER(x, 2)"),
        ("x ^ 2", "POWER(x, 2)"),
        # the same without digits (half away from zero); with digits, a known difference
        ("round(x)", "ROUND(x)"),
        ("round(x, 2)", "ROUND(x, 2)"),
        ("isnan(x) OR x IS NULL", "IF(x IS NULL, NULL, ISNAN(x)) OR x IS NULL"),
    ],
)
def test_what_sqlglot_translates_right_alone(duckdb: str, expected: str) -> None:
    assert spark(duckdb) == expected


def test_rules_apply_inside_each_other() -> None:
    # Children first: the epoch_ms inside floor is translated, and the floor directly
    # inside the integer cast stays as it is.
    assert spark("CAST(floor(epoch_ms(ts) / 600000) AS BIGINT)") == (
        "CAST(FLOOR(UNIX_MILLIS(ts) / 600000) AS BIGINT)"
    )
    assert spark("360.0 * floor((epoch(ts) + 180.0) / 360.0)") == (
        "360.0 * CAST(FLOOR(((CAST(UNIX_MICROS(ts) AS DOUBLE) / 1000000) + 180.0) / 360.0) "
        "AS DOUBLE)"
    )


def test_whole_statements() -> None:
    sql = to_spark(
        "WITH p AS (SELECT mmsi, epoch_ms(ts) AS t FROM positions WHERE mmsi = ?) "
        "SELECT mmsi, lead(t) OVER w AS next_t FROM p "
        "WINDOW w AS (PARTITION BY mmsi ORDER BY t) ORDER BY mmsi"
    )
    # DuckDB sorts NULLs last, Spark first: spelled out. Placeholders stay for Spark.
    assert sql == (
        "WITH p AS (SELECT mmsi, UNIX_MILLIS(ts) AS t FROM positions WHERE mmsi = ?) "
        "SELECT mmsi, LEAD(t) OVER w AS next_t FROM p "
        "WINDOW w AS (PARTITION BY mmsi ORDER BY t NULLS LAST) ORDER BY mmsi NULLS LAST"
    )
    # A root that is itself rewritten.
    assert to_spark("SELECT 1 AS x") == "SELECT 1 AS x"
    # Backslashes in string literals are escaped for Spark (they are plain in DuckDB).
    assert to_spark("SELECT 'a\\b' AS s") == "SELECT 'a\\\\b' AS s"


def test_one_statement_only() -> None:
    with pytest.raises(ValueError, match="one SQL statement"):
        to_spark("SELECT 1; SELECT 2")
