"""Alert triage: the alerts of the home (``alerts.sqlite``) with the team's decisions on them.

Alerts stay where ``run`` raises them, under the home writer lock; the web server only
reads them. Decisions live in the cases database, ``alert_triage``, one row per decision
(append-only: the current decision is an alert's latest row, the older ones its history).
Each row keeps the alert's fingerprint: an alert store replaced under the cases database
(its ids numbered anew) shows its alerts as untriaged rather than wearing another alert's
decision.

Filters on the alert itself (rule, severity, vessel, time) run in SQL on ``alerts.sqlite``;
the status filter needs the decisions first: the latest decision of every triaged alert is
read (one row per alert: a home's alerts number thousands, not millions), checked against
the alerts' fingerprints, and handed to the alert store's query as a list of ids to keep or
to leave out, so paging still happens in SQL.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from sanctionwatch.ais.model import iso_utc
from sanctionwatch.alerts.store import SORTS, Alert, AlertQuery, AlertStore
from sanctionwatch.cases import audit
from sanctionwatch.cases.audit import now_ms
from sanctionwatch.cases.cases import create_case, get_case
from sanctionwatch.cases.db import CasesDatabase, database_url, redacted
from sanctionwatch.cases.errors import Conflict, NotFound
from sanctionwatch.cases.evidence import Evidence
from sanctionwatch.cases.models import REASON_MAX, AlertTriage, CaseSubject
from sanctionwatch.cases.principal import Principal
from sanctionwatch.cases.subjects import Prepared, add_prepared, prepare_subject
from sanctionwatch.config import Settings
from sanctionwatch.errors import InputError, StoreError
from sanctionwatch.sqlite_files import connect_read_only
from sanctionwatch.vessel_view import vessel_number

STATUSES = ("new", "accepted", "dismissed", "unsure")  # new: no decision yet
DECISIONS = STATUSES[1:]
SEVERITIES = ("high", "medium", "low")
ORDERS = ("desc", "asc")
BULK_MAX = 500  # alerts in one triage request
_PAGE_LOOKUP_MAX = 500  # above this many alerts, read every latest decision at once


@dataclass(frozen=True)
class Triaged:
    """What one triage did: the case the alerts went into (accepted), each decision stored,
    the vessels (MMSIs) added to that case as subjects, and those left out because the
    home knows nothing of them (no AIS, no score)."""

    case_id: int | None
    records: list[dict[str, Any]]
    subjects_added: list[int]
    vessels_unknown: list[int]


def record(row: AlertTriage) -> dict[str, Any]:
    """A decision as the API and the history give it."""
    return {
        "id": row.id,
        "alert_id": row.alert_id,
        "fingerprint": row.alert_fingerprint,
        "decision": row.decision,
        "reason": row.reason,
        "case_id": row.case_id,
        "by": row.by_name,
        "at": iso_utc(row.at_ms),
    }


def list_alerts(
    session: Session,
    settings: Settings,
    *,
    rule: str | None = None,
    severity: str | None = None,
    status: str | None = None,
    vessel: str | None = None,
    since: str | None = None,
    until: str | None = None,
    sort: str = "created",
    order: str = "desc",
    limit: int | None = None,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """How many alerts match, and the page of them (``limit`` None: all after ``offset``),
    each as ``alerts list`` gives it with ``status`` its current decision (``new`` when
    untriaged) and ``triage`` that decision (None when untriaged).

    ``vessel``: an MMSI (nine digits) or IMO number (seven) in the alert's subject;
    ``since``/``until``: ISO 8601 dates or date-times (UTC unless they say otherwise) the
    alert was raised at or after / before; ``sort``: created, severity or rule."""
    _check("status", status, STATUSES)
    _check("severity", severity, SEVERITIES)
    _check("sort", sort, tuple(SORTS))
    _check("order", order, ORDERS)
    if offset < 0 or (limit is not None and limit < 0):
        raise InputError("limit and offset cannot be negative")
    mmsi, imo = (None, None) if vessel is None else vessel_number(vessel)
    latest: dict[int, AlertTriage] | None = None
    among: list[int] | None = None
    excluding: list[int] = []
    with AlertStore(settings.home, writable=False) as store:
        if status is not None:
            latest = latest_decisions(session)
            current = store.fingerprints(latest)
            decided = {  # decisions taken on these very alerts (same fingerprint)
                alert_id: row.decision
                for alert_id, row in latest.items()
                if current.get(alert_id) == row.alert_fingerprint
            }
            if status == "new":
                excluding = list(decided)
            else:
                among = [alert_id for alert_id, d in decided.items() if d == status]
        query = AlertQuery(
            rule=rule, severity=severity, mmsi=mmsi, imo=imo,
            since_ms=_ms(since, "since"), until_ms=_ms(until, "until"),
            among=among, excluding=excluding,
            sort=sort, descending=order == "desc", limit=limit, offset=offset,
        )  # fmt: skip
        total, page = store.find(query)
    if latest is None:
        ids = [alert.row.id for alert in page]
        latest = latest_decisions(session, ids if len(ids) <= _PAGE_LOOKUP_MAX else None)
    return total, [with_triage(alert, latest.get(alert.row.id)) for alert in page]


def with_triage(alert: Alert, latest: AlertTriage | None) -> dict[str, Any]:
    """The alert's line with its current decision (a decision taken on another alert of the
    same id, i.e. another fingerprint, does not count)."""
    line = alert.to_dict()
    if latest is not None and latest.alert_fingerprint != alert.row.fingerprint:
        latest = None
    line["status"] = "new" if latest is None else latest.decision
    line["triage"] = None if latest is None else record(latest)
    return line


def latest_decisions(
    session: Session, alert_ids: Collection[int] | None = None
) -> dict[int, AlertTriage]:
    """The current decision of each triaged alert (of ``alert_ids`` only, if given)."""
    newest = select(func.max(AlertTriage.id)).group_by(AlertTriage.alert_id)
    if alert_ids is not None:
        if not alert_ids:
            return {}
        newest = newest.where(AlertTriage.alert_id.in_(list(alert_ids)))
    rows = session.execute(select(AlertTriage).where(AlertTriage.id.in_(newest))).scalars()
    return {row.alert_id: row for row in rows}


def get_alert(session: Session, settings: Settings, alert_id: int) -> dict[str, Any]:
    """One alert with its current decision and every decision taken on it, oldest first."""
    with AlertStore(settings.home, writable=False) as store:
        alert = store.alert(alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    history = [
        row for row in _history(session, alert_id) if row.alert_fingerprint == alert.row.fingerprint
    ]
    line = with_triage(alert, history[-1] if history else None)
    line["history"] = [record(row) for row in history]
    return line


def triage_history(session: Session, alert_id: int) -> list[dict[str, Any]]:
    """Every decision taken on ``alert_id``, oldest first."""
    return [record(row) for row in _history(session, alert_id)]


def _history(session: Session, alert_id: int) -> list[AlertTriage]:
    query = select(AlertTriage).where(AlertTriage.alert_id == alert_id).order_by(AlertTriage.id)
    return list(session.execute(query).scalars())


def triage(
    session: Session,
    settings: Settings,
    actor: Principal,
    alert_ids: Sequence[int],
    decision: str,
    *,
    reason: str | None = None,
    case_id: int | None = None,
    new_case_title: str | None = None,
    vessels: Mapping[int, Prepared | None] | None = None,
) -> Triaged:
    """Record ``decision`` on each alert, in ``session``'s write transaction: all of them or,
    on any error (an unknown id, a bad case), none. ``accepted`` puts them into case
    ``case_id`` or a new case titled ``new_case_title`` (exactly one of the two) and adds the
    vessels they are about to that case (their evidence from ``vessels``, as
    :func:`prepare_vessels` read it before the transaction; read now if None); ``dismissed``
    needs a reason. Each decision is audited as ``alert_triaged``. A later decision on the
    same alert is added, not merged: the history keeps every one."""
    _check("decision", decision, DECISIONS)
    ids = list(dict.fromkeys(alert_ids))
    if not ids:
        raise InputError("name at least one alert")
    if len(ids) > BULK_MAX:
        raise InputError(f"at most {BULK_MAX} alerts at once, got {len(ids)}")
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > REASON_MAX:
        raise InputError(f"a reason is at most {REASON_MAX} characters, got {len(reason)}")
    if decision == "dismissed" and reason is None:
        raise InputError("dismissing an alert needs a reason")
    if decision == "accepted" and (case_id is None) == (new_case_title is None):
        raise InputError("accepting needs either case_id (an existing case) or new_case_title")
    if decision != "accepted" and (case_id is not None or new_case_title is not None):
        raise InputError(f"only an accepted alert goes into a case, not a {decision} one")
    with AlertStore(settings.home, writable=False) as store:
        found = store.by_ids(ids)
    missing = [alert_id for alert_id in ids if alert_id not in found]
    if missing:
        shown = ", ".join(str(alert_id) for alert_id in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        raise NotFound(f"no alert {shown}{more}: nothing was triaged")
    into: int | None = None
    if case_id is not None:
        if get_case(session, case_id).status == "closed":
            raise Conflict(f"case {case_id} is closed: reopen it before adding alerts")
        into = case_id
    elif new_case_title is not None:
        into = create_case(session, actor, new_case_title).id
    now = now_ms()
    rows = [
        AlertTriage(
            alert_id=alert_id, alert_fingerprint=found[alert_id].row.fingerprint,
            decision=decision, reason=reason, case_id=into,
            by_user_id=actor.user_id, by_name=actor.name, at_ms=now,
        )
        for alert_id in ids
    ]  # fmt: skip
    session.add_all(rows)
    session.flush()
    for row in rows:
        detail: dict[str, audit.DetailValue] = {
            "alert_id": row.alert_id,
            "decision": decision,
            "case_id": into,
            "fingerprint": row.alert_fingerprint,
            "reason": reason,
        }
        audit.append(session, actor, "alert_triaged", "alert", row.alert_id, detail)
    added: list[int] = []
    unknown: list[int] = []
    if into is not None:
        alerts = [found[i] for i in ids]
        added, unknown = _add_vessels(session, settings, actor, into, alerts, vessels)
    return Triaged(into, [record(row) for row in rows], added, unknown)


def decide(
    database: CasesDatabase,
    settings: Settings,
    actor: Principal,
    alert_ids: Sequence[int],
    decision: str,
    *,
    reason: str | None = None,
    case_id: int | None = None,
    new_case_title: str | None = None,
) -> Triaged:
    """:func:`triage` in its own write transaction, for the API and the inbox page alike: an
    accepted alert's vessels are read from the home's stores first, outside the transaction
    (which, on SQLite, holds the database's one write lock)."""
    vessels = prepare_vessels(settings, alert_ids) if decision == "accepted" else None
    with database.begin() as session:
        return triage(
            session, settings, actor, alert_ids, decision, reason=reason, case_id=case_id,
            new_case_title=new_case_title, vessels=vessels,
        )  # fmt: skip


def prepare_vessels(settings: Settings, alert_ids: Sequence[int]) -> dict[int, Prepared | None]:
    """The evidence snapshot of each vessel (MMSI) the alerts are about, None for one the
    home knows nothing of. Read before the write transaction (reading the stores can take
    seconds; the cases database is not held meanwhile) and handed to :func:`triage`."""
    with AlertStore(settings.home, writable=False) as store:
        found = store.by_ids(alert_ids)
    evidence = Evidence(settings, now_ms(), now_ms())
    prepared: dict[int, Prepared | None] = {}
    for mmsi in _vessel_mmsis(found[i] for i in alert_ids if i in found):
        try:
            prepared[mmsi] = prepare_subject(settings, "vessel", mmsi=mmsi, evidence=evidence)
        except NotFound:
            prepared[mmsi] = None
    return prepared


def _vessel_mmsis(alerts: Iterable[Alert]) -> list[int]:
    """The MMSIs the alerts' subjects name, each once, in order."""
    mmsis = (json.loads(alert.row.subject).get("mmsi") for alert in alerts)
    return list(dict.fromkeys(int(mmsi) for mmsi in mmsis if mmsi is not None))


def _add_vessels(
    session: Session,
    settings: Settings,
    actor: Principal,
    case_id: int,
    alerts: list[Alert],
    prepared: Mapping[int, Prepared | None] | None,
) -> tuple[list[int], list[int]]:
    """Add the vessels the accepted alerts are about to the case as subjects (those it has
    not got yet); the MMSIs added, and those the home knows nothing of (left out)."""
    added: list[int] = []
    unknown: list[int] = []
    wanted = _vessel_mmsis(alerts)
    if not wanted:
        return added, unknown
    present = set(
        session.execute(
            select(CaseSubject.subject_key).where(CaseSubject.case_id == case_id)
        ).scalars()
    )
    wanted = [mmsi for mmsi in wanted if f"mmsi:{mmsi}" not in present]
    if prepared is None:  # read here, inside the transaction: the caller did not
        prepared = prepare_vessels(settings, [alert.row.id for alert in alerts])
    for mmsi in wanted:
        snapshot = prepared.get(mmsi)
        if snapshot is None:
            unknown.append(mmsi)
            continue
        try:
            add_prepared(session, actor, case_id, snapshot)
        except Conflict:  # added by someone else a moment ago: there it is
            continue
        added.append(mmsi)
    return added, unknown


def _ms(text: str | None, name: str) -> int | None:
    """An ISO 8601 date or date-time (UTC unless it says otherwise) as ms since the epoch."""
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"{name}: {text!r} is not an ISO 8601 date or date-time") from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp() * 1000)


def _check(name: str, value: str | None, allowed: Sequence[str]) -> None:
    if value is not None and value not in allowed:
        raise InputError(f"{name} {value!r} is not one of {', '.join(allowed)}")


@contextmanager
def read_if_present(settings: Settings) -> Iterator[Session | None]:
    """A read-only session on the home's cases database if it was ever created (None
    otherwise), creating, migrating and writing nothing: ``alerts list`` must not make a
    cases database on a home that has none, and works on a read-only home that has one
    (SQLite opened as the home's other stores are: ``mode=ro``, immutable on a read-only
    mount)."""
    from alembic.runtime.migration import MigrationContext

    url = database_url(settings)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not parsed.database or not path.exists():
            yield None
            return
        engine = create_engine(
            "sqlite://", creator=lambda: connect_read_only(path, "", check_same_thread=False)
        )
    else:
        engine = create_engine(url)
    try:
        try:
            connection = engine.connect()
            revision = MigrationContext.configure(connection).get_current_revision()
        except (OperationalError, DBAPIError) as exc:
            raise StoreError(f"cannot open the cases database {redacted(url)}: {exc.orig}") from exc
        with connection, Session(bind=connection) as session:
            yield None if revision is None else session
    finally:
        engine.dispose()
