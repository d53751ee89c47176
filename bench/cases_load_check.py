"""The checks after a cases load or kill -9 run (bench/bench_cases_load.py,
tests/cases/test_kill.py): the database against what the clients were told, and the
latencies the clients measured. See cases_load_support.py for the run itself."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench.cases_load_support import TAG, Outcome, Seed
from sqlalchemy import text

from sanctionwatch.cases import audit
from sanctionwatch.cases.db import CasesDatabase, database_url
from sanctionwatch.config import Settings


@dataclass
class Findings:
    """What the database holds after a run, against what the clients were told."""

    server_errors: int  # answers 5xx
    refused: int  # answers 4xx: none expected (every request is valid and authorised)
    client_errors: list[str]  # answers the client could not use (see Outcome.status)
    acked: dict[str, int]  # op -> acknowledged writes
    stored: dict[str, int]  # op -> bench rows in the database
    missing: list[str]  # acknowledged writes not in the database
    duplicated: list[str]  # a write's text stored more than once
    audit_intact: bool
    audit_entries: int
    audit_expected: int  # setup + every stored bench row

    @property
    def ok(self) -> bool:
        return (
            self.server_errors == 0
            and self.refused == 0
            and not self.client_errors
            and not self.missing
            and not self.duplicated
            and self.audit_intact
            and self.audit_entries == self.audit_expected
        )


def check(settings: Settings, seed: Seed, outcomes: Sequence[Outcome]) -> Findings:
    """Compare the database with the acknowledged writes (see the module docstring)."""
    like = {"tag": TAG + "%"}
    with CasesDatabase(database_url(settings), migrate=False) as database:
        with database.engine.connect() as connection:
            triage_rows: dict[int, str] = dict(
                connection.execute(
                    text("SELECT id, reason FROM alert_triage WHERE reason LIKE :tag"), like
                ).all()
            )
            note_rows: dict[int, str] = dict(
                connection.execute(
                    text(
                        "SELECT v.note_id, v.text FROM note_version v"
                        " WHERE v.version = 1 AND v.text LIKE :tag"
                    ),
                    like,
                ).all()
            )
        with database.read() as session:
            verdict = audit.verify(session)
    stored_by_op = {"triage": triage_rows, "note": note_rows}
    missing, acked = [], Counter[str]()
    for outcome in outcomes:
        rows = stored_by_op.get(outcome.op, {})
        for row_id in outcome.acked:
            acked[outcome.op] += 1
            if _label(rows.get(row_id, "")) != outcome.text:
                missing.append(f"{outcome.op} {row_id} ({outcome.text})")
    texts = Counter(_label(value) for rows in stored_by_op.values() for value in rows.values())
    return Findings(
        server_errors=sum(1 for o in outcomes if o.status is not None and o.status >= 500),
        refused=sum(1 for o in outcomes if o.status is not None and 400 <= o.status < 500),
        client_errors=[o.op for o in outcomes if o.status == -1],
        acked=dict(acked),
        stored={op: len(rows) for op, rows in stored_by_op.items()},
        missing=missing,
        duplicated=sorted(label for label, n in texts.items() if n > 1),
        audit_intact=verdict.intact,
        audit_entries=verdict.entries,
        audit_expected=seed.setup_entries + len(triage_rows) + len(note_rows),
    )


def _label(value: str) -> str:
    """A stored write's label: the triage reason, the note text before its first colon."""
    return value.split(":", 1)[0]


def latency_table(outcomes: Sequence[Outcome], elapsed_s: float) -> list[dict[str, Any]]:
    """Per operation: requests, statuses, p50/p95/max latency (ms), throughput (req/s)."""
    rows = []
    for op in sorted({o.op for o in outcomes}):
        mine = [o for o in outcomes if o.op == op]
        times = sorted(o.seconds * 1000 for o in mine)
        rows.append({
            "op": op,
            "requests": len(mine),
            "statuses": dict(Counter(str(o.status) for o in mine)),
            "p50_ms": round(_percentile(times, 50), 1),
            "p95_ms": round(_percentile(times, 95), 1),
            "max_ms": round(times[-1], 1),
            "per_s": round(len(mine) / elapsed_s, 1),
        })  # fmt: skip
    return rows


def _percentile(sorted_values: Sequence[float], percent: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(percent / 100 * len(sorted_values)) - 1))
    return sorted_values[index]
