"""Run the detectors on an engine and collect their events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from sanctionwatch.behaviour.detectors import DETECTORS
from sanctionwatch.behaviour.detectors.base import Window
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.params import Params
from sanctionwatch.errors import InputError


class SqlEngine(Protocol):
    """What a detector needs: SQL over a ``positions`` view (and ``identity``)."""

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]: ...

    def register_table(self, name: str, columns: dict[str, list[Any]]) -> None:
        """Make ``columns`` queryable as table ``name`` (replacing any earlier one)."""
        ...

    def close(self) -> None: ...


def detect(
    engine: SqlEngine,
    params: Params,
    window: Window | None = None,
    only: Iterable[str] | None = None,
) -> list[Event]:
    """Every event the chosen detectors (default: all) find, in (start, mmsi) order."""
    window = window or Window()
    names = list(only) if only is not None else list(DETECTORS)
    unknown = [n for n in names if n not in DETECTORS]
    if unknown:
        raise InputError(f"no detector named {unknown} (known: {sorted(DETECTORS)})")
    events: list[Event] = []
    for name in names:
        detector = DETECTORS[name]
        if detector.tables is not None:
            for table, columns in detector.tables(params[name]).items():
                engine.register_table(table, columns)
        rows = engine.query(detector.sql(params[name], window))
        events.extend(detector.events(rows, params[name]))
        if detector.follow_up is not None:
            events.extend(detector.follow_up(engine.query, rows, params[name], window))
    events.sort(key=lambda e: (e.start_ms, e.mmsi, e.type))
    return events
