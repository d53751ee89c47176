"""Stored events, so that each ``detect`` run only works on what is new.

The events of every detector are kept in ``<home>/ais/events.sqlite`` with what they were
computed from: the parameters, the last ingest seen and where the data ended. A later run
works out, per detector, the earliest time the new ingests touch (``dirty``), and
recomputes from a little before it:

* ``resume`` = min(dirty, data end last time) - ``CONTEXT_HOURS``, pulled back further to
  the start of any stored event that ends after that point or is still open (an event
  spanning the boundary is recomputed whole, so it is extended, never duplicated);
* the detector runs over [``resume`` - ``CONTEXT_HOURS``, end of data): the extra context
  lets an event that begins just before ``resume`` come out exactly as a full run finds it;
* stored events starting at or after ``resume`` are replaced by the new ones starting there.

``CONTEXT_HOURS`` must exceed every duration a detector looks back over (the longest is
port_call's 12 h silence); events from before ``resume`` cannot change, since nothing
within that margin of them is new. The test suite checks that incremental runs give the
same events as one full run.

Changing the parameters of a detector throws its stored events away (they are recomputed
in full); so does ``full=True``.

What a run saw is one snapshot of the catalogue (``PositionStore.snapshot()``): the engine's
views (the Parquet files) are built inside it and the watermark stored with the events is
that snapshot's last ingest, so an ingest committing meanwhile is neither half-seen nor
skipped: the next run finds it new. An update writes under the home's writer lock.
The two tables are declared once, in ``tables.py``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from sanctionwatch.ais.store import CatalogueSnapshot, PositionStore
from sanctionwatch.behaviour.detectors import DETECTORS
from sanctionwatch.behaviour.detectors.base import Window
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.params import Params
from sanctionwatch.behaviour.run import SqlEngine, detect
from sanctionwatch.behaviour.tables import EVENT_TABLES, DetectorStateRow, EventRow
from sanctionwatch.errors import InputError, StoreError
from sanctionwatch.geo.units import hours_ms
from sanctionwatch.sqlite_files import connect_read_only, connect_writable
from sanctionwatch.tables import from_row, insert_sql, schema_sql, select_sql, to_params

CONTEXT_HOURS = 48.0
CONTEXT_MS = hours_ms(CONTEXT_HOURS)

SCHEMA_SQL = schema_sql(*EVENT_TABLES)  # derived from the declarations in tables.py
# The columns ``events`` reads, in Event's order; the order it gives them in (start, MMSI,
# type, other MMSI, port, then as stored: sorted by SQLite in a third of the time Python's
# sort takes, bench/bench_chain.py); and the rows whose values it cannot trust.
_EVENT_COLUMNS = "type, mmsi, start_ms, end_ms, lat, lon, other_mmsi, port, details"
_ORDER = "start_ms, mmsi, type, COALESCE(other_mmsi, 0), COALESCE(port, ''), rowid"
_BAD_TYPES = (
    "SELECT detector FROM event WHERE (typeof(type) != 'text' OR typeof(mmsi) != 'integer'"
    " OR typeof(start_ms) != 'integer' OR typeof(end_ms) NOT IN ('integer', 'null')"
    " OR typeof(lat) != 'real' OR typeof(lon) != 'real'"
    " OR typeof(other_mmsi) NOT IN ('integer', 'null') OR typeof(port) NOT IN ('text', 'null')"
    " OR typeof(details) != 'text')"
)


@dataclass(frozen=True)
class RunReport:
    """What one detector's update did (the CLI prints it)."""

    detector: str
    mode: str  # "full", "incremental" or "unchanged"
    recomputed_from_ms: int | None
    events_replaced: int
    events_found: int


class EventStore:
    """The events stored beside ``store``; read-only when the store was opened read-only."""

    def __init__(self, store: PositionStore) -> None:
        self.store = store
        path = store.root / "events.sqlite"
        try:
            if store.writable:
                self.db = connect_writable(path, SCHEMA_SQL)
            else:
                self.db = connect_read_only(path, SCHEMA_SQL)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open the event store: {exc}") from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------

    def events(
        self,
        window: Window | None = None,
        only: Iterable[str] | None = None,
        condition: tuple[str, list[object]] | None = None,
    ) -> list[Event]:
        """Stored events overlapping ``window`` (an open event overlaps everything after its
        start), of the detectors in ``only`` (default all), in (start, mmsi, type) order.
        ``condition``: a further SQL condition on the event table, with its parameters,
        for a caller that needs only some events (``risk.relevant``).

        Read lean, since risk scoring reads every stored event (a million takes seconds):
        the column types are checked once, in SQL, rather than value by value in Python
        (``tables.from_row``, which costs more than the rest of the read together)."""
        chosen = "1=1"
        params: list[object] = []
        if only is not None:
            names = list(only)
            chosen += f" AND detector IN ({','.join('?' * len(names))})"
            params += names
        if window is not None and window.end_ms is not None:
            chosen += " AND start_ms < ?"
            params.append(window.end_ms)
        if window is not None and window.start_ms is not None:
            chosen += " AND (end_ms IS NULL OR end_ms >= ?)"
            params.append(window.start_ms)
        if condition is not None:
            chosen += f" AND {condition[0]}"
            params += condition[1]
        damaged = self.db.execute(f"{_BAD_TYPES} AND {chosen} LIMIT 1", params)
        if (bad := damaged.fetchone()) is not None:
            raise StoreError(
                f"{self.store.root / 'events.sqlite'}: an event of {bad[0]!r} holds a value of "
                "the wrong type; the event store is damaged (run detect --full)"
            )
        loads = json.loads
        sql = f"SELECT {_EVENT_COLUMNS} FROM event WHERE {chosen} ORDER BY {_ORDER}"  # noqa: S608 - placeholders only
        rows = self.db.execute(sql, params)
        return [
            Event(kind, mmsi, start, end, lat, lon, other, port, loads(details))
            for kind, mmsi, start, end, lat, lon, other, port, details in rows
        ]

    def data_end(self) -> int | None:
        """The latest start or end of any stored event (None: no event)."""
        found = self.db.execute("SELECT MAX(COALESCE(end_ms, start_ms)) FROM event").fetchone()
        return None if found[0] is None else int(found[0])

    def states(self) -> list[tuple[str, str, int]]:
        """Each detector's stored state: (detector, its parameters as JSON, last ingest)."""
        rows = self.db.execute(select_sql(DetectorStateRow) + " ORDER BY detector")
        return [(s.detector, s.params, s.ingest_id) for s in map(_state, rows)]

    def stale(self, snapshot: CatalogueSnapshot, params: Params) -> bool:
        """Whether ``update`` with ``params`` would change anything for ``snapshot``: a
        detector never run, run with other parameters, or before the last ingest."""
        stored = {name: (wanted, ingest) for name, wanted, ingest in self.states()}
        return any(
            stored.get(name) is None
            or stored[name][0] != json.dumps(params[name], sort_keys=True)
            or stored[name][1] < snapshot.last_ingest_id
            for name in DETECTORS
        )

    # -- updating ----------------------------------------------------------------------

    def update(
        self,
        engine: SqlEngine,
        params: Params,
        only: Iterable[str] | None = None,
        full: bool = False,
        *,
        snapshot: CatalogueSnapshot | None = None,
    ) -> list[RunReport]:
        """Bring the stored events of the detectors in ``only`` (default all) up to date.

        ``engine``'s views must have been built inside ``store.snapshot()``, and that
        snapshot is passed here (or the call made inside that block): its last ingest is
        the watermark stored with the events.
        """
        names = list(only) if only is not None else list(DETECTORS)
        unknown = [n for n in names if n not in DETECTORS]
        if unknown:
            raise InputError(f"no detector named {unknown} (known: {sorted(DETECTORS)})")
        snapshot = snapshot or self.store.current_snapshot
        if snapshot is None:
            raise ValueError(
                "EventStore.update needs the catalogue snapshot the engine's views were built"
                " in: build the engine inside `with store.snapshot() as snapshot:`"
            )
        with self.store.writing("detect"):
            return [self._update_one(engine, name, params, snapshot, full) for name in names]

    def _update_one(
        self,
        engine: SqlEngine,
        name: str,
        params: Params,
        snapshot: CatalogueSnapshot,
        full: bool,
    ) -> RunReport:
        last_ingest, data_end = snapshot.last_ingest_id, snapshot.data_end_ms
        wanted = json.dumps(params[name], sort_keys=True)
        found_state = self.db.execute(
            select_sql(DetectorStateRow) + " WHERE detector = ?", [name]
        ).fetchone()
        state = from_row(DetectorStateRow, found_state) if found_state is not None else None
        resume: int | None = None
        if state is not None and state.params == wanted and not full:
            # Stored from this snapshot or a later one (a run that started after ours):
            # never store older events over newer ones.
            if state.ingest_id >= last_ingest:
                return RunReport(name, "unchanged", None, 0, 0)
            dirty = self._dirty_since(state.ingest_id, last_ingest)
            if dirty is not None and state.data_end is not None:
                resume = self._resume_point(name, min(dirty, state.data_end) - CONTEXT_MS)
        mode = "full" if resume is None else "incremental"
        window = Window(resume - CONTEXT_MS) if resume is not None else None
        found = [e for e in detect(engine, params, window, [name]) if
                 resume is None or e.start_ms >= resume]  # fmt: skip
        with self.db:  # one transaction: the old events stay if anything fails
            self.db.execute("BEGIN")
            if resume is None:
                replaced = self.db.execute("DELETE FROM event WHERE detector = ?", [name])
            else:
                replaced = self.db.execute(
                    "DELETE FROM event WHERE detector = ? AND start_ms >= ?", [name, resume]
                )
            self.db.executemany(insert_sql(EventRow), [to_params(_row(name, e)) for e in found])
            self.db.execute(
                insert_sql(DetectorStateRow, conflict="REPLACE"),
                to_params(DetectorStateRow(name, wanted, last_ingest, data_end)),
            )
        return RunReport(name, mode, resume, replaced.rowcount, len(found))

    def _dirty_since(self, ingest_id: int, until_id: int) -> int | None:
        """The earliest time the ingests after ``ingest_id`` (up to ``until_id``) touch;
        None when one of them has no positions to date it by (statics only: recompute
        everything)."""
        rows = self.store.db.execute(
            "SELECT first_ts, statics FROM ingest WHERE id > ? AND id <= ?", [ingest_id, until_id]
        ).fetchall()
        if any(first is None and statics for first, statics in rows):
            return None
        times = [int(first) for first, _ in rows if first is not None]
        # Ingests that added nothing (all duplicates or rejected) change nothing.
        return min(times) if times else 2**62

    def _resume_point(self, name: str, resume: int) -> int:
        """Pulled back to the start of every stored event still going at ``resume``."""
        row = self.db.execute(
            "SELECT MIN(start_ms) FROM event"
            " WHERE detector = ? AND (end_ms IS NULL OR end_ms >= ?)",
            [name, resume],
        ).fetchone()
        return min(resume, int(row[0])) if row[0] is not None else resume


def _row(detector: str, e: Event) -> EventRow:
    details = json.dumps(e.details, ensure_ascii=False)
    return EventRow(detector, e.mmsi, e.other_mmsi, e.start_ms, e.end_ms, e.lat, e.lon, e.port,
                    e.type, details)  # fmt: skip


def _state(row: sqlite3.Row | tuple[object, ...]) -> DetectorStateRow:
    return from_row(DetectorStateRow, row)


def open_events(store: PositionStore) -> EventStore:
    return EventStore(store)


__all__ = ["CONTEXT_HOURS", "EventStore", "RunReport", "open_events"]
