"""A case's subjects (vessels by MMSI or IMO, list entities, portfolio counterparties), each
with the evidence about it as it stood at a stated time.

The snapshot is kept as canonical JSON text with its SHA-256 and is never changed after: when
the lists, detections or scores change later, :func:`subject_json` shows the difference as
``changes`` beside the snapshot instead of merging it in (see evidence.py for what a snapshot
holds, and what a past ``as_of`` can and cannot reconstruct).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sanctionwatch.cases import audit
from sanctionwatch.cases.audit import now_ms
from sanctionwatch.cases.cases import get_case
from sanctionwatch.cases.errors import Conflict, NotFound
from sanctionwatch.cases.evidence import Evidence, changes, iso
from sanctionwatch.cases.models import CaseSubject
from sanctionwatch.cases.principal import Principal
from sanctionwatch.config import Settings
from sanctionwatch.errors import InputError, SanctionwatchError

KINDS = ("vessel", "entity", "counterparty")
ID_MAX = 200


def subject_key(
    kind: str,
    *,
    mmsi: int | None = None,
    imo: str | None = None,
    entity_id: str | None = None,
    counterparty_id: str | None = None,
) -> str:
    """The subject's key within a case (``mmsi:N``, ``imo:N``, ``entity:ID``,
    ``counterparty:ID``); an InputError when the kind's identifier is missing or malformed."""
    if kind == "vessel":
        if (mmsi is None) == (imo is None):
            raise InputError("a vessel subject names an mmsi or an imo (one of them)")
        if mmsi is not None:
            if not 100_000_000 <= mmsi <= 999_999_999:
                raise InputError(f"an MMSI has nine digits, not {mmsi}")
            return f"mmsi:{mmsi}"
        return f"imo:{normal_imo(str(imo))}"
    if kind == "entity":
        return f"entity:{_identifier(entity_id, 'entity_id')}"
    if kind == "counterparty":
        return f"counterparty:{_identifier(counterparty_id, 'counterparty_id')}"
    raise InputError(f"a subject's kind is one of {', '.join(KINDS)}, not {kind!r}")


def normal_imo(imo: str) -> str:
    text = imo.strip().upper().removeprefix("IMO").strip()
    if not (text.isdigit() and len(text) == 7):
        raise InputError(f"an IMO number has seven digits, not {imo[:20]!r}")
    return text


def _identifier(value: str | None, name: str) -> str:
    if value is None or not value.strip() or len(value) > ID_MAX:
        raise InputError(f"a {name} of 1 to {ID_MAX} characters is needed")
    return value.strip()


def take_snapshot(evidence: Evidence, key: str) -> dict[str, Any]:
    """The evidence about the subject ``key`` as ``evidence`` reads it."""
    kind, _, ident = key.partition(":")
    if kind == "mmsi":
        return evidence.vessel(mmsi=int(ident))
    if kind == "imo":
        return evidence.vessel(imo=ident)
    if kind == "entity":
        return evidence.entity(ident)
    return evidence.counterparty(ident)


def canonical(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Prepared:
    """A subject's key and evidence snapshot, read before the write transaction starts (the
    stores are read outside it, so the cases database is not held meanwhile)."""

    kind: str
    key: str
    mmsi: int | None
    imo: str | None
    entity_id: str | None
    as_of_ms: int
    taken_ms: int
    snapshot: dict[str, Any]


def prepare_subject(
    settings: Settings,
    kind: str,
    *,
    mmsi: int | None = None,
    imo: str | None = None,
    entity_id: str | None = None,
    counterparty_id: str | None = None,
    as_of_ms: int | None = None,
    evidence: Evidence | None = None,
) -> Prepared:
    """The subject's key and its evidence as of ``as_of_ms`` (default now); NotFound for an
    unknown vessel, entity or counterparty."""
    key = subject_key(
        kind, mmsi=mmsi, imo=imo, entity_id=entity_id, counterparty_id=counterparty_id
    )
    taken = now_ms()
    if evidence is None:
        evidence = Evidence(settings, taken if as_of_ms is None else as_of_ms, taken)
    snapshot = take_snapshot(evidence, key)
    ident = key.partition(":")[2]
    return Prepared(
        kind=kind,
        key=key,
        mmsi=mmsi if mmsi is not None else _only_mmsi(snapshot),
        imo=_imo_of(key, snapshot),
        entity_id=ident if kind == "entity" else None,
        as_of_ms=evidence.as_of_ms,
        taken_ms=evidence.taken_ms,
        snapshot=snapshot,
    )


def add_subject(
    session: Session,
    settings: Settings,
    actor: Principal,
    case_id: int,
    kind: str,
    *,
    mmsi: int | None = None,
    imo: str | None = None,
    entity_id: str | None = None,
    counterparty_id: str | None = None,
    as_of_ms: int | None = None,
) -> CaseSubject:
    """Add a subject to a case with its evidence as of ``as_of_ms`` (default now): NotFound
    for an unknown case, vessel, entity or counterparty, Conflict if the case has it already.
    Audited as ``subject_added`` with the snapshot's SHA-256."""
    key = subject_key(
        kind, mmsi=mmsi, imo=imo, entity_id=entity_id, counterparty_id=counterparty_id
    )
    get_case(session, case_id)
    _refuse_duplicate(session, case_id, key)
    prepared = prepare_subject(
        settings, kind, mmsi=mmsi, imo=imo, entity_id=entity_id,
        counterparty_id=counterparty_id, as_of_ms=as_of_ms,
    )  # fmt: skip
    return add_prepared(session, actor, case_id, prepared)


def add_prepared(
    session: Session, actor: Principal, case_id: int, prepared: Prepared
) -> CaseSubject:
    """Store a prepared subject in ``case_id`` (see :func:`add_subject`)."""
    get_case(session, case_id)
    _refuse_duplicate(session, case_id, prepared.key)
    text = canonical(prepared.snapshot)
    subject = CaseSubject(
        case_id=case_id,
        kind=prepared.kind,
        subject_key=prepared.key,
        mmsi=prepared.mmsi,
        imo=prepared.imo,
        entity_id=prepared.entity_id,
        added_by_id=actor.user_id,
        added_ms=prepared.taken_ms,
        as_of_ms=prepared.as_of_ms,
        snapshot=text,
        snapshot_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
    session.add(subject)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:  # added by someone else a moment ago
        raise Conflict(f"case {case_id} already has the subject {prepared.key}") from exc
    audit.append(
        session, actor, "subject_added", "case", case_id,
        {"subject_id": subject.id, "key": prepared.key, "as_of": iso(prepared.as_of_ms),
         "snapshot_sha256": subject.snapshot_sha256},
    )  # fmt: skip
    return subject


def _refuse_duplicate(session: Session, case_id: int, key: str) -> None:
    existing = session.execute(
        select(CaseSubject.id).where(CaseSubject.case_id == case_id, CaseSubject.subject_key == key)
    ).first()
    if existing is not None:
        raise Conflict(f"case {case_id} already has the subject {key}")


def _only_mmsi(snapshot: dict[str, Any]) -> int | None:
    """An IMO subject's MMSI when exactly one broadcast it (so similar cases find it)."""
    mmsis = {int(v["mmsi"]) for v in snapshot.get("vessels", [])}
    return mmsis.pop() if len(mmsis) == 1 else None


def _imo_of(key: str, snapshot: dict[str, Any]) -> str | None:
    """The IMO a vessel subject is known by: its own, or the last valid one its MMSI broadcast."""
    if key.startswith("imo:"):
        return key.removeprefix("imo:")
    for view in snapshot.get("vessels", []):
        identities = (view.get("identity") or {}).get("identities", [])
        valid = [i for i in identities if i.get("imo") and i.get("imo_valid")]
        if valid:
            return str(max(valid, key=lambda i: str(i.get("last_seen")))["imo"])
    return None


def get_subject(session: Session, case_id: int, subject_id: int) -> CaseSubject:
    subject = session.get(CaseSubject, subject_id)
    if subject is None or subject.case_id != case_id:
        raise NotFound(f"case {case_id} has no subject {subject_id}")
    return subject


def case_subjects(session: Session, case_id: int) -> list[CaseSubject]:
    query = select(CaseSubject).where(CaseSubject.case_id == case_id).order_by(CaseSubject.id)
    return list(session.execute(query).scalars())


def subject_json(
    subject: CaseSubject, now: Evidence | None, added_by: str | None = None
) -> dict[str, Any]:
    """A subject as the API gives it: the stored snapshot untouched, and ``changes`` since
    it was taken as ``now`` reads the evidence (None: not compared)."""
    snapshot = json.loads(subject.snapshot)
    found: list[dict[str, Any]] | None = None
    problem = None
    if now is not None:
        try:
            found = changes(snapshot, take_snapshot(now, subject.subject_key))
        except NotFound as exc:
            found = [{"change": "gone", "detail": exc.message}]
        except SanctionwatchError as exc:  # a store that cannot be read now
            problem = exc.message
    return {
        "id": subject.id,
        "case_id": subject.case_id,
        "kind": subject.kind,
        "key": subject.subject_key,
        "mmsi": subject.mmsi,
        "imo": subject.imo,
        "entity_id": subject.entity_id,
        "added_by": added_by,
        "added_ms": subject.added_ms,
        "as_of": iso(subject.as_of_ms),
        "snapshot": snapshot,
        "snapshot_sha256": subject.snapshot_sha256,
        "changes": found,
        "changes_unavailable": problem,
    }
