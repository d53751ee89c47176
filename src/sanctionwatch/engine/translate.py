"""DuckDB SQL -> Spark SQL: sqlglot's translation plus the fixes our detectors need.

The detectors are written once, in DuckDB's dialect. sqlglot (``read="duckdb"``,
``write="spark"``) translates most of it right: ``arg_min``/``arg_max`` become
``min_by``/``max_by``, ``count(*) FILTER (WHERE ...)`` and named windows stay as they are,
``power``, ``^`` and ``**`` become ``POWER``, ``a // b`` becomes ``a DIV b``, and every
``ORDER BY`` gets DuckDB's ``NULLS LAST`` spelled out (Spark sorts NULLs first). Where its
result means something else in Spark, one rule below rewrites the parsed DuckDB tree
before it is written out. Each rule has its own test (``tests/engine/test_translate.py``):

``epoch_ms(x)``
    DuckDB: milliseconds since the epoch of timestamp ``x`` (or, given a number, the
    timestamp of it). sqlglot always writes ``TIMESTAMP_MILLIS(x)``, the second meaning.
    Rule: ``unix_millis(x)``, unless ``x`` is a number written in the SQL. To turn a
    column of milliseconds into a timestamp, write ``make_timestamp(ms * 1000)``.
``epoch(x)``, ``epoch_us(x)``, ``epoch_ns(x)``
    DuckDB: seconds (a DOUBLE, with the fraction), microseconds, nanoseconds. sqlglot
    writes ``UNIX_TIMESTAMP(x)`` (whole seconds) and unknown ``EPOCH_US``/``EPOCH_NS``.
    Rule: ``unix_micros(x) / 1e6`` as a DOUBLE, ``unix_micros(x)``, ``unix_micros(x) * 1000``.
``to_timestamp(seconds)``
    sqlglot writes ``CAST(FROM_UNIXTIME(x) AS TIMESTAMP)``, which drops the fraction of a
    second. Rule: ``timestamp_seconds(x)``.
``quantile_cont(x, q)``, ``percentile_cont(q) WITHIN GROUP (ORDER BY x)``
    sqlglot writes ``PERCENTILE_CONT(x, q)`` (not a Spark function) and
    ``PERCENTILE_APPROX`` (approximate). Rule: ``percentile(x, q)``, exact and interpolated
    like DuckDB's. (``median(x)`` is Spark's exact median already; over a FLOAT column
    DuckDB answers a FLOAT and Spark a DOUBLE of the same interpolation.)
``isnan(x)``
    DuckDB: NULL for NULL; Spark: false. Rule: ``IF(x IS NULL, NULL, isnan(x))``.
``floor(x)``, ``ceil(x)``
    DuckDB keeps the type (DOUBLE for a DOUBLE); Spark answers a BIGINT. Rule:
    ``CAST(floor(x) AS DOUBLE)``, except directly inside a cast to an integer (the usual
    ``CAST(floor(x) AS BIGINT)`` stays as it is) and for an integer or decimal argument.
``CAST(x AS <integer>)`` (and ``TRY_CAST``)
    DuckDB rounds a DOUBLE to the nearest integer, ties to even (2.5 -> 2, 3.5 -> 4),
    and a DECIMAL half away from zero; Spark truncates. Rule: ``CAST(bround(x) AS ...)``
    (``round`` for a decimal literal), unless ``x`` is surely an integer already (an
    integer literal, floor/ceil/round, count, an integer cast, epoch_ms, integer
    arithmetic of those), a boolean condition or a string literal.
``a // b`` with a decimal literal
    DuckDB divides non-integers exactly (``7.5 // 2`` is 3.75); Spark's ``DIV`` truncates.
    Rule: ``a / b`` when either side is a decimal literal. (A DOUBLE column in ``//``
    stays ``DIV``, which Spark refuses with a type error rather than answer otherwise.)

Known differences left, which the detectors avoid:

- ``round(x, n)`` with digits: DuckDB rounds the exact binary value of a DOUBLE (2.675 is
  2.67499999... and gives 2.67), Spark its shortest decimal form (2.68). ``round(x)``
  without digits agrees (half away from zero). Round in Python instead.
- Division by zero is an error in Spark (ANSI mode) where DuckDB answers inf or NaN:
  guard divisions (``nullif(b, 0)``).
- ``list(x ORDER BY y)`` loses its order (sqlglot writes ``COLLECT_LIST``);
  ``time_bucket`` has no Spark equivalent.
- A timestamp made from a number (``make_timestamp``, ``to_timestamp``) is a DuckDB
  TIMESTAMP (naive) or TIMESTAMPTZ, always a UTC instant in Spark: rows come back aware.
- Sums and means of DOUBLEs may differ in the last digit (another order of addition), and
  the engines' sin/cos/asin may differ by one unit in the last place: detectors round what
  they report.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

INTEGER_TYPES = frozenset(exp.DataType.INTEGER_TYPES - {exp.DataType.Type.BIT})


def to_spark(sql: str) -> str:
    """One DuckDB statement as Spark SQL (``?`` placeholders are kept)."""
    statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    if len(statements) != 1:
        raise ValueError(f"expected one SQL statement, got {len(statements)}")
    tree = statements[0]
    # Children first: a rule sees its arguments already translated, and the node it
    # replaces is still in the tree (its parent is the original one).
    for node in reversed(list(tree.walk())):
        if not isinstance(node, exp.Expression):
            continue
        parent, key, index = node.parent, node.arg_key, node.index
        new = _rewrite(node)  # may take node into the new tree (which moves it)
        if new is None or new is node:
            continue
        if parent is None or key is None:
            tree = new
        else:
            parent.set(key, new, index)
    return tree.sql(dialect="spark", unsupported_level=ErrorLevel.RAISE)


def _rewrite(node: exp.Expression) -> exp.Expression | None:
    if isinstance(node, exp.UnixToTime):
        return _unix_to_time(node)
    if isinstance(node, exp.TimeToUnix):  # DuckDB epoch(x): seconds as a DOUBLE
        seconds = exp.Cast(this=_fn("unix_micros", node.this), to=exp.DataType.build("DOUBLE"))
        return exp.Paren(this=exp.Div(this=seconds, expression=exp.Literal.number(1_000_000)))
    if isinstance(node, exp.Anonymous) and str(node.this).lower() in ("epoch_us", "epoch_ns"):
        [arg] = node.expressions
        micros = _fn("unix_micros", arg)
        if str(node.this).lower() == "epoch_us":
            return micros
        return exp.Paren(this=exp.Mul(this=micros, expression=exp.Literal.number(1000)))
    if isinstance(node, exp.WithinGroup) and isinstance(node.this, exp.PercentileCont):
        order = node.expression
        [ordered] = order.expressions if isinstance(order, exp.Order) else [order]
        column = ordered.this if isinstance(ordered, exp.Ordered) else ordered
        if isinstance(ordered, exp.Ordered) and ordered.args.get("desc"):
            fraction: exp.Expression = exp.Sub(
                this=exp.Literal.number(1), expression=node.this.this
            )
        else:
            fraction = node.this.this
        return _fn("percentile", column, fraction)
    if isinstance(node, exp.PercentileCont) and node.expression is not None:
        return _fn("percentile", node.this, node.expression)
    if isinstance(node, exp.IsNan):
        return exp.If(
            this=exp.Is(this=node.this.copy(), expression=exp.Null()),
            true=exp.Null(),
            false=node,
        )
    if isinstance(node, exp.Floor | exp.Ceil):
        return _floor(node)
    if isinstance(node, exp.Cast):  # TryCast too
        return _integer_cast(node)
    if isinstance(node, exp.IntDiv) and (_is_decimal(node.this) or _is_decimal(node.expression)):
        return exp.Div(this=node.this, expression=node.expression)
    return None


def _fn(name: str, *args: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this=name, expressions=list(args))


def _unix_to_time(node: exp.UnixToTime) -> exp.Expression | None:
    if any(node.args.get(k) is not None for k in ("zone", "hours", "minutes", "format")):
        return None
    scale = node.args.get("scale")
    if scale is None or (isinstance(scale, exp.Literal) and scale.this == "0"):
        # to_timestamp(seconds): keep the fraction of a second
        return _fn("timestamp_seconds", node.this)
    if isinstance(scale, exp.Literal) and scale.this == "3" and not _is_number(node.this):
        return _fn("unix_millis", node.this)  # epoch_ms(timestamp)
    return None


def _floor(node: exp.Floor | exp.Ceil) -> exp.Expression | None:
    if node.args.get("decimals") is not None or node.args.get("to") is not None:
        return None
    parent = node.parent
    if isinstance(parent, exp.Cast) and _is_integer_type(parent.to):
        return None
    if _is_integer(node.this) or _is_decimal(node.this):
        return None
    return exp.Cast(this=node, to=exp.DataType.build("DOUBLE"))


def _integer_cast(node: exp.Cast) -> exp.Expression | None:
    if not _is_integer_type(node.to):
        return None
    value = node.this
    if (
        _is_integral(value)
        or _is_boolean(value)
        or (isinstance(value, exp.Literal) and value.is_string)
    ):
        return None
    rounding = "round" if _is_decimal(value) else "bround"
    node.set("this", _fn(rounding, value))
    return node


def _is_integer_type(to: exp.Expression | None) -> bool:
    return isinstance(to, exp.DataType) and to.this in INTEGER_TYPES


def _is_number(node: exp.Expression) -> bool:
    """A number written in the SQL (or arithmetic of such numbers)."""
    if isinstance(node, exp.Paren | exp.Neg):
        return _is_number(node.this)
    if isinstance(node, exp.Literal):
        return node.is_number
    if isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Div):
        return _is_number(node.this) and _is_number(node.expression)
    return False


def _is_decimal(node: exp.Expression) -> bool:
    """A literal with a decimal point (a DECIMAL in both DuckDB and Spark)."""
    if isinstance(node, exp.Paren | exp.Neg):
        return _is_decimal(node.this)
    return (
        isinstance(node, exp.Literal)
        and node.is_number
        and "." in node.this
        and "e" not in node.this.lower()
    )


def _is_integer(node: exp.Expression) -> bool:
    """Surely of an integer type, whatever the column types."""
    if isinstance(node, exp.Paren | exp.Neg):
        return _is_integer(node.this)
    if isinstance(node, exp.Literal):
        return node.is_int
    if isinstance(node, exp.Cast):
        return _is_integer_type(node.to)
    if isinstance(node, exp.Count | exp.IntDiv):
        return True
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower() in ("unix_millis", "unix_micros", "unix_seconds")
    if isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Mod):
        return _is_integer(node.this) and _is_integer(node.expression)
    return False


def _is_integral(node: exp.Expression) -> bool:
    """Surely a whole number: of an integer type, or rounded to one (floor, ceil, round)."""
    if isinstance(node, exp.Paren | exp.Neg):
        return _is_integral(node.this)
    if isinstance(node, exp.Floor | exp.Ceil | exp.Round):
        return node.args.get("decimals") is None
    if isinstance(node, exp.Anonymous) and str(node.this).lower() in ("round", "bround"):
        return len(node.expressions) == 1
    if isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Mod):
        return _is_integral(node.this) and _is_integral(node.expression)
    return _is_integer(node)


def _is_boolean(node: exp.Expression) -> bool:
    if isinstance(node, exp.Paren):
        return _is_boolean(node.this)
    return isinstance(node, exp.Predicate | exp.Connector | exp.Not | exp.Boolean)
