"""The portfolio: a compliance team's counterparties, kept with their current hits so that
each screen (after a list changes) can say which hits are new or changed.

Stored in ``<home>/portfolio.sqlite`` (tables declared in ``portfolio/tables.py``). Adding a
file and recording a screen each write in one transaction, under the home's writer lock (the
caller's, passed as ``writer=``, or one taken for the write). A read-only store
(``writable=False``) never creates or changes anything, and works on a read-only home.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sanctionwatch.errors import StoreError
from sanctionwatch.home_lock import DEFAULT_TIMEOUT_S, WriterLock, acquire
from sanctionwatch.portfolio.model import AddOutcome, Counterparty, PortfolioHit, RejectedRow
from sanctionwatch.portfolio.rows import fill_excerpts, read_counterparties
from sanctionwatch.portfolio.tables import (
    PORTFOLIO,
    PORTFOLIO_TABLES,
    CounterpartyRow,
    HitRow,
    PortfolioRejectedRow,
    ScreenRunRow,
)
from sanctionwatch.screening.batch_io import open_queries
from sanctionwatch.sqlite_files import SqliteFile, is_disk_full
from sanctionwatch.tables import from_row, insert_sql, schema_sql, select_sql, to_params

SCHEMA_SQL = schema_sql(*PORTFOLIO_TABLES)


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class PortfolioStore(SqliteFile):
    """The portfolio of the home ``home``; see the module docstring."""

    def __init__(
        self,
        home: Path,
        *,
        writer: WriterLock | None = None,
        writable: bool = True,
        lock_timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        # Usable from any thread: a screen on several processes reads the counterparties
        # in the worker pool's feeder thread (while this one only waits for results).
        super().__init__(
            home / PORTFOLIO, SCHEMA_SQL, "the portfolio", writable=writable, any_thread=True
        )
        if writable:
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.home = home
        self._writer = writer
        self._lock_timeout_s = lock_timeout_s

    # -- reading -----------------------------------------------------------------------

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM counterparty").fetchone()[0])

    def rows(self) -> Iterator[CounterpartyRow]:
        """Every counterparty as stored, by id."""
        for row in self.db.execute(select_sql(CounterpartyRow) + " ORDER BY id"):
            yield from_row(CounterpartyRow, row)

    def counterparties(self) -> Iterator[Counterparty]:
        """Every counterparty, by id (streamed: a portfolio can hold millions)."""
        for row in self.rows():
            yield Counterparty(
                row.id, row.name, row.schema, row.birth_date, row.nationality, row.imo,
                row.country, row.source, row.line,
            )  # fmt: skip

    def hits(self) -> list[PortfolioHit]:
        """The current hits, by counterparty, best score first."""
        sql = select_sql(HitRow) + " ORDER BY counterparty_id, score DESC, list, entity_id"
        return [_hit(from_row(HitRow, row)) for row in self.db.execute(sql)]

    def rejected(self) -> list[tuple[str, RejectedRow]]:
        """Every rejected row kept, with its file, by file and line."""
        sql = select_sql(PortfolioRejectedRow) + " ORDER BY source, line"
        rows = [from_row(PortfolioRejectedRow, row) for row in self.db.execute(sql)]
        return [(r.source, RejectedRow(r.line, r.reason, r.raw)) for r in rows]

    def last_run(self) -> ScreenRunRow | None:
        row = self.db.execute(select_sql(ScreenRunRow) + " ORDER BY id DESC LIMIT 1").fetchone()
        return from_row(ScreenRunRow, row) if row is not None else None

    # -- writing -----------------------------------------------------------------------

    @contextmanager
    def _transaction(self, command: str) -> Iterator[None]:
        """One write transaction under the writer lock: all of it, or (on any error) none."""
        if not self.writable:
            raise StoreError(f"{self.path} was opened read-only; '{command}' writes there")
        with ExitStack() as held:
            if self._writer is None or not self._writer.held:
                held.enter_context(acquire(self.home, command, self._lock_timeout_s))
            try:
                self.db.execute("BEGIN IMMEDIATE")
                yield
                self.db.execute("COMMIT")
            except BaseException as exc:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    why = "disk full" if is_disk_full(exc) else f"SQLite error ({exc})"
                    raise StoreError(f"{why} while writing {self.path}; nothing changed") from exc
                raise

    def add(self, path: Path) -> AddOutcome:
        """Add the counterparties of the file at ``path`` (the ``screen`` input format).

        Rows that cannot be used are rejected with their line and reason (and kept, with
        their text, replacing those of an earlier add of the same file); the rest are
        stored: a new id added, a stored id with other values updated (its hits stay until
        the next screen decides), the same values left alone. Re-adding a file changes
        nothing. All in one transaction.
        """
        source = str(path.resolve())
        outcome = AddOutcome(str(path))
        seen: dict[str, tuple[int, str]] = {}  # id -> (line, digest) in this file
        when = now_utc()
        with open_queries(path) as handle, self._transaction("portfolio add"):
            for item in read_counterparties(handle, str(path)):
                if isinstance(item, RejectedRow):
                    outcome.rejected.append(item)
                    continue
                counterparty, digest = item
                if (earlier := seen.get(counterparty.id)) is not None:
                    if earlier[1] == digest:
                        outcome.duplicates += 1
                    else:
                        outcome.rejected.append(_conflict(counterparty, earlier[0]))
                    continue
                seen[counterparty.id] = (counterparty.line, digest)
                self._store(counterparty, digest, source, when, outcome)
            outcome.rejected = fill_excerpts(path, outcome.rejected)
            self.db.execute("DELETE FROM rejected WHERE source = ?", [source])
            self.db.executemany(
                insert_sql(PortfolioRejectedRow),
                [
                    to_params(PortfolioRejectedRow(source, r.line, r.reason, r.raw, when))
                    for r in outcome.rejected
                ],
            )
        return outcome

    def _store(
        self, counterparty: Counterparty, digest: str, source: str, when: str, outcome: AddOutcome
    ) -> None:
        stored = self.db.execute(
            "SELECT digest, added FROM counterparty WHERE id = ?", [counterparty.id]
        ).fetchone()
        if stored is not None and stored[0] == digest:
            outcome.unchanged += 1
            return
        c = counterparty
        row = CounterpartyRow(
            c.id, c.name, c.schema, c.birth_date, c.nationality, c.imo, c.country, digest,
            source, c.line, stored[1] if stored else when, when, None,
        )  # fmt: skip
        self.db.execute(insert_sql(CounterpartyRow, conflict="REPLACE"), to_params(row))
        if stored is None:
            outcome.added += 1
        else:
            outcome.updated += 1

    def record_screen(
        self,
        hits: Iterable[PortfolioHit],
        *,
        signature: str,
        threshold: float,
        started: str,
        counts: dict[str, int],
    ) -> None:
        """Replace the stored hits by ``hits`` (found against ``signature``), mark every
        counterparty screened and record the run (``counts``: counterparties, errors, hits,
        new, changed, removed), in one transaction."""
        when = now_utc()
        with self._transaction("portfolio screen"):
            self.db.execute("DELETE FROM hit")
            self.db.executemany(
                insert_sql(HitRow), (to_params(_hit_row(h, signature, when)) for h in hits)
            )
            self.db.execute("UPDATE counterparty SET screened = ?", [when])
            number = self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM screen_run")
            run = ScreenRunRow(
                int(number.fetchone()[0]), signature, threshold, started, when,
                counts["counterparties"], counts["errors"], counts["hits"], counts["new"],
                counts["changed"], counts["removed"],
            )  # fmt: skip
            self.db.execute(insert_sql(ScreenRunRow), to_params(run))


def _conflict(counterparty: Counterparty, first_line: int) -> RejectedRow:
    return RejectedRow(
        counterparty.line,
        f"id {counterparty.id!r} already given at line {first_line} with other values",
        "",
    )


def _hit(row: HitRow) -> PortfolioHit:
    return PortfolioHit(
        row.counterparty_id, row.counterparty_name, row.entity_id, row.caption, row.schema,
        row.list, row.record, row.version, row.score, json.loads(row.match),
    )  # fmt: skip


def _hit_row(hit: PortfolioHit, signature: str, when: str) -> HitRow:
    return HitRow(
        hit.counterparty_id, hit.counterparty_name, hit.entity_id, hit.caption, hit.schema,
        hit.list, hit.record, hit.version, hit.score, signature,
        json.dumps(hit.match, ensure_ascii=False, sort_keys=True), when,
    )  # fmt: skip
