"""The audit log: every state change, appended to a hash chain in the same transaction as
the change itself (so no change commits without its entry, and no entry without its change).

Entry ``n`` holds ``hash_n = SHA-256(canonical_n)`` where ``canonical_n`` is the entry's
fields (``seq, at_ms, actor_id, actor_name, action, target_kind, target_id, detail,
prev_hash``) as JSON with sorted keys and no spaces, ``prev_hash`` being ``hash_(n-1)``
(64 zeros for the first). :func:`verify` recomputes every hash from the stored columns: an
edited row, a deleted row (a gap in ``seq``) or an inserted one (a wrong ``prev_hash``) breaks
the chain at that entry.

What it cannot prove by itself: someone able to rewrite the database could cut the chain's
tail and rewrite ``audit_head`` to match. ``verify`` prints the head's ``seq`` and hash; a team
that records them elsewhere (a ticket, an e-mail) can later prove nothing was cut.

Appends are serialised by locking the one-row ``audit_head`` (``SELECT ... FOR UPDATE`` on
PostgreSQL; on SQLite every write transaction already holds the database's write lock).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sanctionwatch.cases.models import AuditEntry, AuditHead
from sanctionwatch.cases.principal import Principal

GENESIS = "0" * 64
# Detail values: no floats (their text form may differ between versions, and the hash with it).
DetailValue = str | int | bool | None | list[str] | list[int]


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def canonical(fields: Mapping[str, Any]) -> bytes:
    """The bytes an entry's hash is taken over."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def entry_fields(entry: AuditEntry) -> dict[str, Any]:
    """An entry as the chain hashes it (``detail`` parsed, so its key order does not matter)."""
    return {
        "seq": entry.seq,
        "at_ms": entry.at_ms,
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "target_kind": entry.target_kind,
        "target_id": entry.target_id,
        "detail": _parsed(entry.detail),
        "prev_hash": entry.prev_hash,
    }


def _parsed(detail: str) -> Any:
    """A stored detail parsed; its text as is when it is not JSON (only an edit made outside
    sanctionwatch does that: the hash then fails, and verify names the entry, not a crash)."""
    try:
        return json.loads(detail)
    except ValueError:
        return detail


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(canonical(entry_fields(entry))).hexdigest()


def append(
    session: Session,
    actor: Principal,
    action: str,
    target_kind: str,
    target_id: str | int | None,
    detail: Mapping[str, DetailValue] | None = None,
) -> AuditEntry:
    """Append one entry in ``session``'s transaction (which must be a write transaction)."""
    _check_detail(detail or {})
    # The head row is made by the first migration; locking it queues concurrent appenders.
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one()
    entry = AuditEntry(
        seq=head.seq + 1,
        at_ms=now_ms(),
        actor_id=actor.user_id,
        actor_name=actor.name,
        action=action,
        target_kind=target_kind,
        target_id="" if target_id is None else str(target_id),
        detail=json.dumps(dict(detail or {}), sort_keys=True, ensure_ascii=False),
        prev_hash=head.hash,
        hash="",
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    head.seq, head.hash = entry.seq, entry.hash
    session.flush()
    return entry


def _check_detail(detail: Mapping[str, DetailValue]) -> None:
    for key, value in detail.items():
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, float) for v in values):
            raise TypeError(f"audit detail {key!r}: floats are not allowed (use int or str)")


@dataclass(frozen=True)
class Verdict:
    """What :func:`verify` found. ``broken_at`` None: the chain is intact."""

    entries: int
    head_seq: int
    head_hash: str
    broken_at: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(session: Session) -> Verdict:
    """Walk the chain from the first entry; stop at the first that does not hold."""
    previous_seq, previous_hash, count = 0, GENESIS, 0
    for entry in _entries(session):
        count += 1
        if entry.seq != previous_seq + 1:
            missing = previous_seq + 1
            return Verdict(count, previous_seq, previous_hash, missing, "entry missing (deleted)")
        if entry.prev_hash != previous_hash:
            return Verdict(
                count, previous_seq, previous_hash, entry.seq,
                "its prev_hash is not the previous entry's hash (inserted or re-chained)",
            )  # fmt: skip
        if entry_hash(entry) != entry.hash:
            return Verdict(
                count, previous_seq, previous_hash, entry.seq,
                "its content does not match its hash (edited)",
            )  # fmt: skip
        previous_seq, previous_hash = entry.seq, entry.hash
    head = session.get(AuditHead, 1)
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if (head_seq, head_hash) != (previous_seq, previous_hash):
        reason = f"the head says entry {head_seq} is last, the log ends at {previous_seq}"
        return Verdict(count, previous_seq, previous_hash, min(head_seq, previous_seq + 1), reason)
    return Verdict(count, previous_seq, previous_hash)


def _entries(session: Session, batch: int = 1000) -> Iterator[AuditEntry]:
    """All entries in ``seq`` order, read in batches (the log grows without bound)."""
    after = -1
    while True:
        query = select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq)
        rows = session.execute(query.limit(batch)).scalars().all()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq
        session.expunge_all()


def export_line(entry: AuditEntry) -> dict[str, Any]:
    """One line of ``audit export``: the hashed fields and the hash."""
    return {**entry_fields(entry), "hash": entry.hash}


def entries(session: Session, *, after: int = 0, limit: int | None = None) -> list[AuditEntry]:
    """Entries after ``after`` in order (the API's page)."""
    query = select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq)
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query).scalars())


def case_trail(
    session: Session, case_id: int, alert_ids: Collection[int] = (), limit: int = 500
) -> list[AuditEntry]:
    """The entries about one case, newest first: its own (target ``case``: created, changed,
    subjects, notes, attachments) and the decisions on the alerts triaged into it (which
    name the alert as their target). What a case page shows to anyone who may read the case,
    while the whole log stays for admins."""
    about = (AuditEntry.target_kind == "case") & (AuditEntry.target_id == str(case_id))
    if alert_ids:
        alerts = [str(alert_id) for alert_id in sorted(set(alert_ids))]
        about = about | ((AuditEntry.target_kind == "alert") & AuditEntry.target_id.in_(alerts))
    query = select(AuditEntry).where(about).order_by(AuditEntry.seq.desc()).limit(limit)
    return list(session.execute(query).scalars())
