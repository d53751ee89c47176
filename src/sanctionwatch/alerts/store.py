"""The alert store: alerts raised once per rule and subject until their evidence changes.

``raise_alerts`` takes the candidates of one evaluation and stores those whose rule and
subject have no alert yet, or whose last alert has another fingerprint; all in one
transaction, so a run killed half way raises the whole set on its next run, never half of
it twice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sanctionwatch.ais.model import iso_utc
from sanctionwatch.alerts.evaluate import Candidate
from sanctionwatch.alerts.tables import ALERT_TABLES, AlertRow
from sanctionwatch.sqlite_files import SqliteFile
from sanctionwatch.tables import from_row, insert_sql, schema_sql, select_sql, to_params

SCHEMA_SQL = schema_sql(*ALERT_TABLES)


@dataclass(frozen=True)
class Alert:
    row: AlertRow

    def to_dict(self) -> dict[str, Any]:
        """The ``alerts list`` line of the command-line contract."""
        row = self.row
        return {
            "id": row.id,
            "rule": row.rule,
            "title": row.title,
            "severity": row.severity,
            "subject": json.loads(row.subject),
            "summary": row.summary,
            "evidence": json.loads(row.evidence),
            "status": row.status,
            "created": iso_utc(row.created),
        }


class AlertStore(SqliteFile):
    """``<home>/alerts.sqlite``, writable or for reading only."""

    def __init__(self, home: Path, *, writable: bool) -> None:
        super().__init__(home / "alerts.sqlite", SCHEMA_SQL, "the alert store", writable=writable)

    def raise_alerts(self, candidates: Iterable[Candidate]) -> list[Alert]:
        """Store the candidates that are new (see the module docstring); the alerts raised."""
        self.check_writable()
        raised = []
        now = int(time.time() * 1000)
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for c in candidates:
                last = self.db.execute(
                    "SELECT fingerprint FROM alert WHERE rule = ? AND subject_key = ?"
                    " ORDER BY id DESC LIMIT 1",
                    [c.rule, c.subject_key],
                ).fetchone()
                if last is not None and last[0] == c.fingerprint:
                    continue
                row = AlertRow(
                    0, c.rule, c.title, c.severity, c.subject_key,
                    json.dumps(c.subject, ensure_ascii=False, sort_keys=True), c.summary,
                    json.dumps(list(c.evidence), ensure_ascii=False, sort_keys=True),
                    c.fingerprint, "new", now,
                )  # fmt: skip
                cursor = self.db.execute(
                    insert_sql(AlertRow, omit=["id"]), to_params(row, omit=["id"])
                )
                raised.append(
                    Alert(from_row(AlertRow, (cursor.lastrowid, *to_params(row, omit=["id"]))))
                )
        return raised

    def alerts(self, status: str | None = None) -> list[Alert]:
        """Alerts, newest first, of ``status`` if given."""
        sql = select_sql(AlertRow)
        params: list[object] = []
        if status is not None:
            sql += " WHERE status = ?"
            params.append(status)
        sql += " ORDER BY id DESC"
        return [Alert(from_row(AlertRow, row)) for row in self.db.execute(sql, params)]
