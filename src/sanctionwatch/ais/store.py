"""The position store: Parquet files partitioned by day, and a SQLite catalogue beside them.

Layout under ``<home>/ais/``::

    positions/day=2024-03-01/part-000012-0003.parquet   # sorted by mmsi, ts
    identity.parquet                                    # vessel identity history (a copy)
    catalog.sqlite                                      # ingests, parts, identity, activity
    quarantine/000012-<file name>.jsonl                 # rejected lines of ingest 12
    staging/                                            # work in progress, never read

Atomic per file: an ingest writes its parts under ``staging/``, moves them into place, and
only then records them in the catalogue in one SQLite transaction. Readers take the list of
files from the catalogue, so they never see a half-finished ingest.

One writer, many readers (``home_lock.py``): an ingest holds the home's writer lock from
the moment it takes its ingest id until its catalogue transaction has committed, so ids are
never shared and nobody else touches its staging. A part on disk that the catalogue does
not list, a staging folder, a quarantine file no ingest names: these are the leftovers of a
writer that died, and they are deleted only by the next process holding the lock (the lock
being free proves their owner is gone). Readers open the catalogue read-only, never repair
anything, and work on a read-only home. ``snapshot()`` pins one committed state of the
catalogue, for readers that must see the file list and the last ingest id together.

This module opens, repairs and reads the store; ``writer.py`` writes one ingest into it.
The catalogue's tables and the Parquet columns are declared once, in ``tables.py`` (their
reference is docs/store.md); the DDL, the Arrow schemas and the typed rows come from there.

Deduplication: a position is the same as one already stored when mmsi, the second of its
timestamp, and its coordinates at AIS resolution (1/10,000 minute) are equal — the same
report heard by two receivers, or the same file ingested twice.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from sanctionwatch.ais.counts import IngestCounts
from sanctionwatch.ais.tables import CATALOG_TABLES, IdentityRow, IngestRow, PositionRow
from sanctionwatch.errors import StoreError
from sanctionwatch.home_lock import DEFAULT_TIMEOUT_S, WriterLock, acquire, try_acquire
from sanctionwatch.sqlite_files import connect_read_only, connect_writable, home_is_writable
from sanctionwatch.tables import arrow_schema, arrow_table, from_row, schema_sql, select_sql

__all__ = ["CatalogueSnapshot", "IngestCounts", "PositionStore", "open_store"]

# The Parquet layouts and the catalogue's DDL, derived from the declarations in tables.py.
POSITION_SCHEMA: pa.Schema = arrow_schema(PositionRow)
IDENTITY_SCHEMA: pa.Schema = arrow_schema(IdentityRow)
SCHEMA_SQL = schema_sql(*CATALOG_TABLES)

MS_PER_DAY = 86_400_000


@dataclass(frozen=True)
class CatalogueSnapshot:
    """What the catalogue held at one commit: the last ingest and where the data ends."""

    last_ingest_id: int
    data_end_ms: int | None


class PositionStore:
    """The store under ``<home>/ais``, for reading only or for writing.

    ``writable=None`` (the default) opens for writing unless the home cannot be written.
    A writable store takes the home's writer lock for each write (or uses ``writer``, a
    lock its caller already holds, for all of them); ``lock_timeout_s`` bounds the wait.
    """

    def __init__(
        self,
        root: Path,
        *,
        writable: bool | None = None,
        writer: WriterLock | None = None,
        lock_timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self.root = root
        self.home = root.parent
        self.positions_dir = root / "positions"
        self.staging_dir = root / "staging"
        self.quarantine_dir = root / "quarantine"
        self.catalog_path = root / "catalog.sqlite"
        if writable is None:
            writable = writer is not None or home_is_writable(root)
        if writer is not None and (not writable or writer.home.resolve() != self.home.resolve()):
            raise ValueError(f"a writer lock on {writer.home} cannot write {root}")
        self.writable = writable
        self.lock_timeout_s = lock_timeout_s
        self._lock: WriterLock | None = writer  # held for the writes now running
        self._snapshot: CatalogueSnapshot | None = None
        # The flush thread of an ingest reads the part list; access is never concurrent.
        if not writable:
            self.db = connect_read_only(self.catalog_path, SCHEMA_SQL, check_same_thread=False)
            return
        for folder in (self.positions_dir, self.quarantine_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self.db = connect_writable(self.catalog_path, SCHEMA_SQL, check_same_thread=False)
        if writer is not None:
            self._recover()
            return
        # Leftovers are cleared at open when no writer is at work (nobody waits for it).
        free = try_acquire(self.home, "open the AIS store")
        if free is not None:
            with free:
                self._recover()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> PositionStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def writing(self, command: str) -> Iterator[WriterLock]:
        """The home's writer lock for one write: the caller's if it passed one, else taken
        now (waiting up to ``lock_timeout_s``), a dead writer's leftovers cleared, and
        released at the end."""
        if not self.writable:
            raise StoreError(f"{self.root} was opened read-only; '{command}' writes there")
        if self._lock is not None and self._lock.held:
            yield self._lock
            return
        with acquire(self.home, command, self.lock_timeout_s) as lock:
            self._recover()
            self._lock = lock
            try:
                yield lock
            finally:
                self._lock = None

    def _recover(self) -> None:
        """Delete what a dead writer left behind: staging, parts and quarantine files the
        catalogue lacks, identity files half-written. Only ever run under the writer lock.

        The catalogue is read afresh (not through this store's connection, which may be
        inside a snapshot taken before the last commit)."""
        shutil.rmtree(self.staging_dir, ignore_errors=True)
        with closing(connect_read_only(self.catalog_path, SCHEMA_SQL)) as fresh:
            known = {row[0] for row in fresh.execute("SELECT path FROM part")}
            committed = {row[0] for row in fresh.execute("SELECT quarantine FROM ingest")}
        for path in self.positions_dir.rglob("*.parquet"):
            if path.relative_to(self.root).as_posix() not in known:
                path.unlink()
        for path in self.quarantine_dir.glob("*.jsonl"):
            if path.relative_to(self.root).as_posix() not in committed:
                path.unlink()
        for path in self.root.glob(".identity.*.tmp"):
            path.unlink()

    @contextmanager
    def snapshot(self) -> Iterator[CatalogueSnapshot]:
        """One committed state of the catalogue for the whole block: every read through
        this store (part files, identities, ingests) sees it, whatever commits meanwhile.
        Yields that state's last ingest and data end, the watermark of ``detect``."""
        if self._snapshot is not None:
            yield self._snapshot
            return
        self.db.execute("BEGIN")  # deferred: the first read below pins the snapshot
        try:
            row = self.db.execute(
                "SELECT COALESCE(MAX(id), 0), MAX(last_ts) FROM ingest"
            ).fetchone()
            self._snapshot = CatalogueSnapshot(
                int(row[0]), int(row[1]) if row[1] is not None else None
            )
            yield self._snapshot
        finally:
            self._snapshot = None
            if self.db.in_transaction:
                self.db.execute("COMMIT")

    @property
    def current_snapshot(self) -> CatalogueSnapshot | None:
        """The snapshot this store reads in now, if inside ``snapshot()``."""
        return self._snapshot

    # -- reading -----------------------------------------------------------------------

    def part_files(self, start_ms: int | None = None, end_ms: int | None = None) -> list[Path]:
        """The committed Parquet files, optionally only the days that overlap [start, end]."""
        sql = "SELECT path FROM part WHERE 1=1"
        params: list[str] = []
        if start_ms is not None:
            sql += " AND day >= ?"
            params.append(day_of(start_ms))
        if end_ms is not None:
            sql += " AND day <= ?"
            params.append(day_of(end_ms))
        rows = self.db.execute(sql + " ORDER BY day, path", params)
        return [self.root / row[0] for row in rows]

    def files_holding(
        self, low_mmsi: int, high_mmsi: int, start_ms: int | None = None, end_ms: int | None = None
    ) -> list[str]:
        """The committed Parquet files that may hold MMSIs in [low, high] (by each file's MMSI
        range) on the days that overlap [start, end]."""
        return [
            str(self.root / row[0])
            for row in self.db.execute(
                "SELECT path FROM part WHERE min_mmsi <= ? AND max_mmsi >= ?"  # noqa: S608
                + (" AND day >= ?" if start_ms is not None else "")
                + (" AND day <= ?" if end_ms is not None else ""),
                [high_mmsi, low_mmsi]
                + ([day_of(start_ms)] if start_ms is not None else [])
                + ([day_of(end_ms)] if end_ms is not None else []),
            )
        ]

    def track(self, mmsi: int, start_ms: int | None = None, end_ms: int | None = None) -> pa.Table:
        """One vessel's positions in time order (Parquet statistics skip other vessels' rows)."""
        files = self.files_holding(mmsi, mmsi, start_ms, end_ms)
        if not files:
            return POSITION_SCHEMA.empty_table()
        dataset = pads.dataset(files, schema=POSITION_SCHEMA, format="parquet")
        condition = pads.field("mmsi") == mmsi
        if start_ms is not None:
            condition &= pads.field("ts") >= pa.scalar(start_ms, pa.timestamp("ms", tz="UTC"))
        if end_ms is not None:
            condition &= pads.field("ts") <= pa.scalar(end_ms, pa.timestamp("ms", tz="UTC"))
        table = dataset.to_table(filter=condition)
        return table.sort_by([("ts", "ascending")])

    def identities(
        self, mmsi: int | None = None, imo: int | None = None, name: str | None = None
    ) -> list[IdentityRow]:
        """Identity history rows, oldest first per vessel, filtered as asked."""
        sql = select_sql(IdentityRow) + " WHERE 1=1"
        params: list[object] = []
        if mmsi is not None:
            sql += " AND mmsi = ?"
            params.append(mmsi)
        if imo is not None:
            sql += " AND mmsi IN (SELECT mmsi FROM identity WHERE imo = ?)"
            params.append(imo)
        if name is not None:
            sql += " AND mmsi IN (SELECT mmsi FROM identity WHERE name LIKE ? ESCAPE '\\')"
            params.append("%" + _like_escape(name.upper()) + "%")
        cursor = self.db.execute(sql + " ORDER BY mmsi, first_seen, last_seen", params)
        return [from_row(IdentityRow, row) for row in cursor]

    def activity(self, mmsis: list[int] | None = None) -> dict[int, tuple[int, int, int]]:
        """mmsi -> (positions, first ts, last ts) over all ingests."""
        sql = "SELECT mmsi, SUM(positions), MIN(first_ts), MAX(last_ts) FROM activity"
        params: list[int] = []
        if mmsis is not None:
            if not mmsis:
                return {}
            sql += f" WHERE mmsi IN ({','.join('?' * len(mmsis))})"
            params = mmsis
        rows = self.db.execute(sql + " GROUP BY mmsi", params)
        return {row[0]: (row[1], row[2], row[3]) for row in rows}

    def last_positions(self, last_ts: dict[int, int]) -> dict[int, tuple[float, float]]:
        """mmsi -> (lat, lon) of its position at ``last_ts[mmsi]`` (ms; from :meth:`activity`).

        Reads only the parts of the days those times fall on, and in them only the rows of
        these vessels (Parquet statistics skip the rest)."""
        by_day: dict[str, list[int]] = {}
        for vessel, ts in last_ts.items():
            by_day.setdefault(day_of(ts), []).append(vessel)
        found: dict[int, tuple[float, float]] = {}
        for day, vessels in by_day.items():
            low, high = min(vessels), max(vessels)
            files = [
                str(self.root / row[0])
                for row in self.db.execute(
                    "SELECT path FROM part WHERE day = ? AND min_mmsi <= ? AND max_mmsi >= ?",
                    [day, high, low],
                )
            ]
            if not files:
                continue
            dataset = pads.dataset(files, schema=POSITION_SCHEMA, format="parquet")
            table = dataset.to_table(
                columns=["mmsi", "ts", "lat", "lon"],
                filter=pads.field("mmsi").isin(vessels),
            )
            mmsi = table.column("mmsi").to_pylist()
            ts = table.column("ts").cast(pa.int64()).to_pylist()
            lat, lon = table.column("lat").to_pylist(), table.column("lon").to_pylist()
            for row, vessel in enumerate(mmsi):
                if ts[row] == last_ts[vessel]:
                    found[vessel] = (lat[row], lon[row])
        return found

    def mmsis(self, ingest_ids: list[int]) -> set[int]:
        """The vessels with positions from these ingests."""
        marks = ",".join("?" * len(ingest_ids))
        rows = self.db.execute(
            f"SELECT DISTINCT mmsi FROM activity WHERE ingest_id IN ({marks})",  # noqa: S608
            ingest_ids,
        )
        return {int(row[0]) for row in rows}

    def ingests(self) -> list[IngestRow]:
        """Every committed ingest, in commit order."""
        cursor = self.db.execute(select_sql(IngestRow) + " ORDER BY id")
        return [from_row(IngestRow, row) for row in cursor]

    def write_identity_parquet(self) -> Path:
        """Rewrite ``identity.parquet`` (the analytics engines read identity from it).

        Written to a name of its own and renamed, so two writers never mix their bytes; a
        read-only store returns the file the last ingest wrote."""
        path = self.root / "identity.parquet"
        if not self.writable:
            if not path.is_file():
                raise StoreError(f"{path} is missing: nothing has been ingested yet")
            return path
        table = arrow_table(IdentityRow, self.identities())
        tmp = self.root / f".identity.{os.getpid()}.{threading.get_ident()}.tmp"
        try:
            pq.write_table(table, tmp)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return path

    # -- writing -----------------------------------------------------------------------

    def next_ingest_id(self) -> int:
        """The id the next ingest takes; only under the writer lock (``writing()``), which
        it keeps until its catalogue transaction commits, so no two ingests share one."""
        if self._lock is None or not self._lock.held:
            raise StoreError("an ingest id is only handed out under the home's writer lock")
        with closing(connect_read_only(self.catalog_path, SCHEMA_SQL)) as fresh:
            row = fresh.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM ingest").fetchone()
        return int(row[0])


def day_of(ms: int) -> str:
    """The UTC day (YYYY-MM-DD) of a time in milliseconds: the partition it belongs to."""
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d")


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def open_store(
    home: Path,
    *,
    writable: bool | None = None,
    writer: WriterLock | None = None,
    lock_timeout_s: float = DEFAULT_TIMEOUT_S,
) -> PositionStore:
    """The store under ``home/ais``: ``writable=False`` for reading only (never creates or
    repairs anything; works on a read-only home), ``writer=`` a held lock for a command
    that writes, else writable when the home can be written (see :class:`PositionStore`).
    """
    try:
        return PositionStore(
            home / "ais", writable=writable, writer=writer, lock_timeout_s=lock_timeout_s
        )
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open the AIS catalogue in {home / 'ais'}: {exc}") from exc
