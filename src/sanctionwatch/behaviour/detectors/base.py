"""What a detector is: SQL over the ``positions`` view, and Python that turns rows into events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2

from sanctionwatch.behaviour.events import Event
from sanctionwatch.geo.units import EARTH_RADIUS_M

Row = dict[str, Any]
# Runs one more SQL statement on the detector's engine (``SqlEngine.query``).
Query = Callable[[str], list[Row]]


@dataclass(frozen=True)
class Window:
    """The time range asked for, in ms since the epoch (None: unbounded)."""

    start_ms: int | None = None
    end_ms: int | None = None

    def where(self, column: str = "ts") -> str:
        """A SQL condition on ``column`` (a TIMESTAMPTZ); numbers only, so it is safe to
        format into the SQL (and keeps the SQL portable to engines without named parameters)."""
        return self.where_ms(f"epoch_ms({column})")

    def where_ms(self, expression: str) -> str:
        """The same condition on an expression already in milliseconds since the epoch."""
        parts = ["TRUE"]
        if self.start_ms is not None:
            parts.append(f"{expression} >= {int(self.start_ms)}")
        if self.end_ms is not None:
            parts.append(f"{expression} < {int(self.end_ms)}")
        return " AND ".join(parts)


@dataclass(frozen=True)
class Detector:
    name: str
    # SQL (DuckDB dialect) given the parameters of this detector and the window; the
    # parameters are numbers from params.toml, formatted in as literals.
    sql: Callable[[dict[str, float], Window], str]
    # Rows of that SQL -> events (enrichment that needs Python: shore distance, ports).
    events: Callable[[list[Row], dict[str, float]], list[Event]]
    # Extra tables the SQL joins (name -> columns), registered with the engine first.
    tables: Callable[[dict[str, float]], dict[str, dict[str, list[object]]]] | None = None
    # Optional second stage, for work one statement cannot do (the identity detector's
    # track segmenter): given a query function on the same engine, the rows of ``sql``,
    # the parameters and the window, more events (added to those of ``events``).
    follow_up: Callable[[Query, list[Row], dict[str, float], Window], list[Event]] | None = None


@cache
def _sql_templates() -> jinja2.Environment:
    """The detectors' query templates (``behaviour/sql/*.sql.j2``). Not HTML, so no
    autoescaping: what goes in is numbers and SQL conditions made by our own code."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("sanctionwatch.behaviour", "sql"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 (SQL text, never HTML)
        keep_trailing_newline=True,
    )
    environment.globals["earth_radius_m"] = EARTH_RADIUS_M
    return environment


def render_sql(name: str, **values: object) -> str:
    """The query ``behaviour/sql/<name>.sql.j2`` with ``values`` (numbers, and conditions
    such as :meth:`Window.where`, made by our code: never user text)."""
    return _sql_templates().get_template(f"{name}.sql.j2").render(**values)
