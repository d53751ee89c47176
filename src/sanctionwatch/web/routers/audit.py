"""Team API: the audit log, for admins. ``GET /api/audit`` pages through the entries with
their hashes (so a client can re-check the chain itself), ``GET /api/audit/verify`` checks
the whole chain on the server. Reading the log is not itself logged (it changes nothing)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from sanctionwatch.cases import audit
from sanctionwatch.cases.models import AuditHead
from sanctionwatch.web.security import Admin, CasesDb

router = APIRouter(tags=["audit"])

PAGE_MAX = 1000
SEQ_MAX = 2**63 - 1  # a BIGINT: above it the database would refuse the query (a 500)


class AuditEntryOut(BaseModel):
    """One entry: the fields its hash is taken over, and the hash."""

    seq: int
    at_ms: int
    actor_id: int | None
    actor_name: str
    action: str
    target_kind: str
    target_id: str
    detail: Any  # an object; other JSON or text only in an entry edited outside sanctionwatch
    prev_hash: str
    hash: str


class AuditHeadOut(BaseModel):
    """The chain's last entry (record it elsewhere to prove later that nothing was cut)."""

    seq: int
    hash: str


class AuditPage(BaseModel):
    entries: list[AuditEntryOut]
    head: AuditHeadOut


class AuditVerdict(BaseModel):
    """``intact`` false: ``broken_at`` is the first entry that does not hold, and why."""

    intact: bool
    entries: int
    head_seq: int
    head_hash: str
    broken_at: int | None
    reason: str


@router.get("/api/audit", response_model=AuditPage)
def audit_page(
    _admin: Admin,
    database: CasesDb,
    after: Annotated[int, Query(ge=0, le=SEQ_MAX, description="Entries after this seq.")] = 0,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX, description="At most this many.")] = 100,
) -> AuditPage:
    """The entries after ``after``, oldest first, and the chain's head."""
    with database.read() as session:
        rows = [
            audit.export_line(entry) for entry in audit.entries(session, after=after, limit=limit)
        ]
        head = session.get(AuditHead, 1)
        head_out = (
            AuditHeadOut(seq=head.seq, hash=head.hash)
            if head
            else AuditHeadOut(seq=0, hash=audit.GENESIS)
        )
    return AuditPage(entries=[AuditEntryOut(**row) for row in rows], head=head_out)


@router.get("/api/audit/verify", response_model=AuditVerdict)
def audit_verify(_admin: Admin, database: CasesDb) -> AuditVerdict:
    """Walk the whole chain (as ``sanctionwatch audit verify`` does)."""
    with database.read() as session:
        verdict = audit.verify(session)
    return AuditVerdict(
        intact=verdict.intact,
        entries=verdict.entries,
        head_seq=verdict.head_seq,
        head_hash=verdict.head_hash,
        broken_at=verdict.broken_at,
        reason=verdict.reason,
    )
