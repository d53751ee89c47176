"""Writing one ingest into the position store: dedup, day buffers, Parquet parts, commit.

Split from ``store.py`` (which opens, repairs and reads the store) and ``dedup.py`` (the
keys that say two positions are one): this module holds what an ingest does, from
buffering a day's positions to the catalogue transaction that makes its parts visible.

An :class:`IngestWriter` holds the home's writer lock from its creation (when it takes its
ingest id) until ``commit`` or ``abort`` ends: one ingest at a time per home, and its
staging is never mistaken for a dead writer's leftovers.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from sanctionwatch.ais.counts import IngestCounts
from sanctionwatch.ais.dedup import SeenKeys, dedup_keys, dedup_order, stored_day_keys
from sanctionwatch.ais.model import IDENTITY_FIELDS, Columns, StaticReport
from sanctionwatch.ais.store import (
    MS_PER_DAY,
    POSITION_SCHEMA,
    PositionStore,
    day_of,
)
from sanctionwatch.ais.tables import ActivityRow, IdentityRow, IngestRow, PartRow
from sanctionwatch.errors import StoreError
from sanctionwatch.sqlite_files import is_disk_full
from sanctionwatch.tables import from_row, insert_sql, select_sql, to_params

DICTIONARY_COLUMNS = ["source", "station", "receiver_type", "msg_type", "nav_status", "ingest_id"]
FLUSH_ROWS = 1_000_000  # rows of one day buffered before they are written as a part
ROW_GROUP_ROWS = 16_384  # small row groups keep per-vessel scans selective (measured: 16k


# rows halved a month-long track query against 64k, for the same file size)
class IngestWriter:
    """Collects one file's positions by day, dedups them, and commits them at the end."""

    def __init__(
        self, store: PositionStore, counts: IngestCounts, source: str, receiver_type: str | None
    ) -> None:
        self.store = store
        self.counts = counts
        self.source = source
        self.receiver_type = receiver_type
        self._lock = ExitStack()  # the writer lock, released by commit() or abort()
        self._lock.enter_context(store.writing("ais ingest"))
        try:
            self.ingest_id = store.next_ingest_id()
            self.stage = store.staging_dir / f"{self.ingest_id:06d}"
            self.stage.mkdir(parents=True, exist_ok=True)
        except BaseException:
            self._lock.close()
            raise
        self.seen: dict[str, SeenKeys] = {}
        self.buffers: dict[str, list[Columns]] = {}
        self.buffered: dict[str, int] = {}
        self.parts: list[tuple[Path, str, int, int, int]] = []  # staged path, day, rows, min, max
        self.activity: dict[int, list[int]] = {}
        self.stations: dict[str, int] = {}
        # Flushing (sort, dedup, Parquet) runs on one background thread while the next
        # blocks are read; numpy and pyarrow release the GIL for the heavy parts. One
        # thread, so the dedup state and the counters are only ever touched by it.
        self.flusher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ais-flush")
        self.flushing: list[Future[None]] = []

    def add(self, positions: Columns, stations: list[str]) -> None:
        """Buffer ``positions`` (already validated) by day; dedup happens when a day is flushed."""
        if len(positions["mmsi"]) == 0:
            return
        days = (positions["ts"] // MS_PER_DAY).astype(np.int64)
        first = int(days[0])
        if (days == first).all():  # the usual case: a chunk within one day
            self._buffer(day_of(first * MS_PER_DAY), positions, stations)
        else:
            for day_number in np.unique(days).tolist():
                rows = days == day_number
                part = {name: col[rows] for name, col in positions.items()}
                self._buffer(day_of(day_number * MS_PER_DAY), part, stations)
        self._flush_days_before(day_of(int(days.min()) * MS_PER_DAY))

    def _flush_days_before(self, day: str) -> None:
        """Input mostly runs forward in time: once it has moved past a day, that day's buffer
        and dedup keys are written out and let go, so memory does not grow with the number
        of days in a file. (A day that comes back later is flushed again as another part,
        its keys reloaded from what was stored and staged.)"""
        for older in [d for d in self.buffers if d < day]:
            self._flush_soon(older, release=True)

    def _buffer(self, day: str, positions: Columns, stations: list[str]) -> None:
        rows = len(positions["mmsi"])
        if rows == 0:
            return
        # Chunk-local station numbers -> this ingest's station numbers.
        codes = np.array([self.stations.setdefault(n, len(self.stations)) for n in stations])
        local = positions["station"]
        station = np.where(local >= 0, codes[np.maximum(local, 0)] if len(codes) else -1, -1)
        columns = {**positions, "station": station.astype(np.int32)}
        self.buffers.setdefault(day, []).append(columns)
        self.buffered[day] = self.buffered.get(day, 0) + rows
        if self.buffered[day] >= FLUSH_ROWS:
            self._flush_soon(day)

    def _flush_soon(self, day: str, release: bool = False) -> None:
        parts = self.buffers.pop(day, [])
        self.buffered.pop(day, None)
        self.flushing = [f for f in self.flushing if not f.done() or f.exception()]
        if len(self.flushing) > 1:  # bound the memory held by queued flushes
            self.flushing[0].result()
        self.flushing.append(self.flusher.submit(self._flush, day, parts, release))

    def _wait(self) -> None:
        try:
            for future in self.flushing:
                future.result()
        finally:
            self.flusher.shutdown(wait=True)

    def _flush(self, day: str, parts: list[Columns], release: bool = False) -> None:
        """Sort one day's buffer, drop duplicates (within it, and of what is already stored
        or flushed), and stage it as a Parquet part sorted by mmsi and time. ``release``:
        the input has moved past this day; forget its dedup keys afterwards."""
        try:
            self._flushday_of(day, parts)
        finally:
            if release:
                self.seen.pop(day, None)

    def _flushday_of(self, day: str, parts: list[Columns]) -> None:
        if not parts:
            return
        columns = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
        del parts
        k1, k2 = dedup_keys(columns["mmsi"], columns["ts"], columns["lat"], columns["lon"])
        order = dedup_order(k1, k2, columns["ts"])
        s1, s2 = k1[order], k2[order]
        keep = np.ones(len(order), dtype=bool)
        keep[1:] = (s1[1:] != s1[:-1]) | (s2[1:] != s2[:-1])
        if day not in self.seen:
            staged = [path for path, part_day, *_ in self.parts if part_day == day]
            self.seen[day] = stored_day_keys(self.store, day, staged)
        keep[keep] = ~self.seen[day].contains(s1[keep], s2[keep])
        self.seen[day].add_sorted(s1[keep], s2[keep])
        self.counts.duplicates += int(len(keep) - keep.sum())
        if not keep.any():
            return
        table = self._table({name: col[order[keep]] for name, col in columns.items()})
        del columns
        number = sum(1 for part in self.parts if part[1] == day)
        path = self.stage / f"day={day}" / f"part-{self.ingest_id:06d}-{number:04d}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        # zstd level 1 and dictionaries only where values repeat: measured fastest here for
        # about the same size as the defaults (bench/RESULTS.md).
        pq.write_table(
            table,
            path,
            row_group_size=ROW_GROUP_ROWS,
            compression="zstd",
            compression_level=1,
            use_dictionary=DICTIONARY_COLUMNS,
        )
        mmsi = table.column("mmsi").to_numpy()
        ts = table.column("ts").cast(pa.int64()).to_numpy()
        self.parts.append((path, day, table.num_rows, int(mmsi[0]), int(mmsi[-1])))
        # Per-vessel activity: mmsi is sorted, so each vessel is one contiguous run.
        starts = np.flatnonzero(np.r_[True, mmsi[1:] != mmsi[:-1]])
        ends = np.r_[starts[1:], len(mmsi)]
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
            vessel = int(mmsi[s])
            first, last = int(ts[s:e].min()), int(ts[s:e].max())
            entry = self.activity.get(vessel)
            if entry is None:
                self.activity[vessel] = [e - s, first, last]
            else:
                entry[0] += e - s
                entry[1] = min(entry[1], first)
                entry[2] = max(entry[2], last)
        self.counts.accepted += table.num_rows

    def _table(self, columns: Columns) -> pa.Table:
        """Position columns (model conventions) -> a table in the stored schema."""
        rows = len(columns["mmsi"])
        station_names = pa.array(list(self.stations), pa.string())
        station = columns["station"]
        return pa.table(
            {
                "mmsi": pa.array(columns["mmsi"], pa.int32()),
                "ts": pa.array(columns["ts"], pa.timestamp("ms", tz="UTC")),
                "lat": columns["lat"],
                "lon": columns["lon"],
                "sog": pa.array(columns["sog"], pa.float32(), from_pandas=True),
                "cog": pa.array(columns["cog"], pa.float32(), from_pandas=True),
                "heading": pa.array(columns["heading"], mask=columns["heading"] < 0),
                "nav_status": pa.array(columns["nav_status"], mask=columns["nav_status"] < 0),
                "msg_type": columns["msg_type"],
                "source": pa.DictionaryArray.from_arrays(
                    np.zeros(rows, dtype=np.int32), [self.source]
                ),
                "station": pa.DictionaryArray.from_arrays(
                    pa.array(station, pa.int32(), mask=station < 0), station_names
                ),
                "receiver_type": pa.DictionaryArray.from_arrays(
                    pa.array(
                        np.zeros(rows, dtype=np.int8),
                        mask=np.full(rows, self.receiver_type is None),
                    ),
                    pa.array([self.receiver_type or ""], pa.string()),
                ),
                "line": columns["line"],
                "ingest_id": pa.array(np.full(rows, self.ingest_id, dtype=np.int32)),
            },
            schema=POSITION_SCHEMA,
        )

    def commit(
        self, statics: list[StaticReport], quarantine: Path | None, sha256: str, started: str
    ) -> None:
        """Move the parts into place and record the ingest, all or nothing."""
        for day in list(self.buffers):
            self._flush_soon(day)
        self._wait()
        counts = self.counts
        if self.activity:
            counts.first_ts = min(v[1] for v in self.activity.values())
            counts.last_ts = max(v[2] for v in self.activity.values())
        counts.vessels = len(self.activity)
        counts.statics = sum(s.count for s in statics)
        counts.ingest_id = self.ingest_id
        root = self.store.root
        moved: list[tuple[str, str, int, int, int]] = []
        try:
            for path, day, rows, low, high in self.parts:
                target = self.store.positions_dir / f"day={day}" / path.name
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
                moved.append((target.relative_to(root).as_posix(), day, rows, low, high))
            quarantine_rel = None
            if quarantine is not None:
                target = self.store.quarantine_dir / quarantine.name
                os.replace(quarantine, target)
                quarantine_rel = target.relative_to(root).as_posix()
                counts.quarantine = str(target)
            self._record(moved, statics, quarantine_rel, sha256, started)
        except BaseException:
            for rel, *_ in moved:
                (root / rel).unlink(missing_ok=True)
            raise
        finally:
            shutil.rmtree(self.stage, ignore_errors=True)
            self._lock.close()

    def abort(self) -> None:
        try:
            self.flusher.shutdown(wait=True, cancel_futures=True)
            shutil.rmtree(self.stage, ignore_errors=True)
        finally:
            self._lock.close()

    def _record(
        self,
        moved: list[tuple[str, str, int, int, int]],
        statics: list[StaticReport],
        quarantine: str | None,
        sha256: str,
        started: str,
    ) -> None:
        counts = self.counts
        db = self.store.db
        try:
            db.execute("BEGIN IMMEDIATE")
            ingest = IngestRow(
                id=self.ingest_id,
                file=counts.file,
                format=counts.format,
                sha256=sha256,
                started=started,
                finished=datetime.now(UTC).isoformat(timespec="seconds"),
                lines=counts.lines,
                accepted=counts.accepted,
                duplicates=counts.duplicates,
                rejected=counts.rejected,
                rejected_by_reason=json.dumps(counts.rejected_by_reason),
                skipped_by_reason=json.dumps(counts.skipped_by_reason),
                statics=counts.statics,
                first_ts=counts.first_ts,
                last_ts=counts.last_ts,
                quarantine=quarantine,
            )
            db.execute(insert_sql(IngestRow), to_params(ingest))
            db.executemany(
                insert_sql(PartRow),
                [
                    to_params(PartRow(rel, self.ingest_id, day, rows, low, high))
                    for rel, day, rows, low, high in moved
                ],
            )
            db.executemany(
                insert_sql(ActivityRow),
                [
                    to_params(ActivityRow(m, self.ingest_id, positions, first, last))
                    for m, (positions, first, last) in sorted(self.activity.items())
                ],
            )
            record_identities(db, statics, counts.file)
            db.execute("COMMIT")
        except BaseException as exc:
            if db.in_transaction:  # SQLite rolls back by itself on some errors (disk full)
                db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                why = "disk full" if is_disk_full(exc) else str(exc)
                raise StoreError(
                    f"{counts.file}: could not be recorded in {self.store.catalog_path} "
                    f"({why}); nothing stored"
                ) from exc
            raise


def record_identities(db: sqlite3.Connection, statics: list[StaticReport], file: str) -> None:
    """Add runs of static reports (``StaticSummary`` in static_summary.py) to the identity history,
    a sequence per vessel: a run that says what the identity active at its start says
    extends it; anything else starts a new row, even a return to an earlier identity.

    Idempotent: ingesting the same reports again only widens first/last seen, never adds.
    What a partial report leaves out (a type 24 part A says only the name, part B only the
    rest; a CSV row may leave columns blank) is filled from the identity active at its
    start, so the history shows changes, not gaps.
    """
    for report in sorted(statics, key=lambda r: (r.mmsi, r.ts, r.line)):
        active = _active_identity(db, report.mmsi, report.ts)
        values: dict[str, Any] = {}  # the identity fields, filled from the active row
        for name in IDENTITY_FIELDS:
            value = getattr(report, name)
            if name == "name" and isinstance(value, str):
                value = value.upper()
            if value is None and active is not None:
                value = getattr(active, name)
            values[name] = value
        until = report.last_ts if report.last_ts is not None else report.ts
        if active is not None and all(getattr(active, n) == values[n] for n in IDENTITY_FIELDS):
            db.execute(
                "UPDATE identity SET last_seen = MAX(last_seen, ?) WHERE key = ?",
                (until, active.key),
            )
            continue
        key = f"{report.mmsi}:{report.ts}:" + json.dumps([values[n] for n in IDENTITY_FIELDS])
        row = IdentityRow(
            key=key,
            mmsi=report.mmsi,
            **values,
            first_seen=report.ts,
            last_seen=until,
            first_source=f"{file}:{report.line}",
        )
        db.execute(
            insert_sql(IdentityRow)
            + " ON CONFLICT(key) DO UPDATE SET last_seen = MAX(last_seen, excluded.last_seen)",
            to_params(row),
        )


def _active_identity(db: sqlite3.Connection, mmsi: int, ts: int) -> IdentityRow | None:
    """The identity row in force at ``ts``: the latest to start at or before it."""
    row = db.execute(
        select_sql(IdentityRow) + " WHERE mmsi = ? AND first_seen <= ?"
        " ORDER BY first_seen DESC LIMIT 1",
        (mmsi, ts),
    ).fetchone()
    return from_row(IdentityRow, row) if row is not None else None
