"""Team API: the home's alerts with the team's decisions, and triage (one alert or many).

Alerts are read from the home's ``alerts.sqlite`` (never written here: ``run`` raises them);
decisions go to the cases database (``cases/triage.py``). Reading needs the viewer role,
deciding the analyst role.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from sanctionwatch.cases import triage
from sanctionwatch.cases.db import CasesDatabase
from sanctionwatch.cases.models import REASON_MAX, TITLE_MAX
from sanctionwatch.cases.principal import Principal
from sanctionwatch.web.security import Analyst, CasesDb, Viewer, app_settings

router = APIRouter(tags=["alerts"])

PAGE_MAX = 1000
ID_MAX = 2**63 - 1  # SQLite's integer
AlertId = Annotated[int, Path(ge=1, le=ID_MAX, description="The alert's id (alerts list)")]


class TriageBody(BaseModel):
    """A decision on alerts: ``accepted`` into case ``case_id`` or a new case titled
    ``new_case_title`` (exactly one), ``dismissed`` with a ``reason``, or ``unsure``."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["accepted", "dismissed", "unsure"]
    reason: str | None = Field(default=None, max_length=REASON_MAX)
    case_id: int | None = Field(default=None, ge=1, le=ID_MAX)
    new_case_title: str | None = Field(default=None, max_length=TITLE_MAX)


class BulkTriageBody(TriageBody):
    """The same decision on several alerts: all are recorded, or (any error) none."""

    alert_ids: list[Annotated[int, Field(ge=1, le=ID_MAX)]] = Field(
        min_length=1, max_length=triage.BULK_MAX
    )


@router.get("/api/alerts")
def list_alerts(
    request: Request,
    principal: Viewer,
    db: CasesDb,
    rule: str | None = Query(default=None, max_length=200),
    severity: Literal["high", "medium", "low"] | None = None,
    status: Literal["new", "accepted", "dismissed", "unsure"] | None = None,
    vessel: str | None = Query(default=None, max_length=20, description="MMSI or IMO number"),
    since: str | None = Query(default=None, max_length=40, description="ISO 8601, inclusive"),
    until: str | None = Query(default=None, max_length=40, description="ISO 8601, exclusive"),
    sort: Literal["created", "severity", "rule"] = "created",
    order: Literal["desc", "asc"] = "desc",
    limit: int = Query(default=100, ge=1, le=PAGE_MAX),
    offset: int = Query(default=0, ge=0),
) -> dict[str, Any]:
    """Alerts, newest first by default, each with ``status`` (its current decision, ``new``
    when untriaged) and ``triage`` (that decision: who, when, reason, case; null if none)."""
    with db.read() as session:
        total, items = triage.list_alerts(
            session, app_settings(request), rule=rule, severity=severity, status=status,
            vessel=vessel, since=since, until=until, sort=sort, order=order,
            limit=limit, offset=offset,
        )  # fmt: skip
    return {"total": total, "items": items}


@router.get("/api/alerts/{alert_id}")
def get_alert(
    request: Request, principal: Viewer, db: CasesDb, alert_id: AlertId
) -> dict[str, Any]:
    """One alert with its current decision and every decision taken on it (``history``)."""
    with db.read() as session:
        return triage.get_alert(session, app_settings(request), alert_id)


@router.post("/api/alerts/triage")
def triage_alerts(
    request: Request, principal: Analyst, db: CasesDb, body: BulkTriageBody
) -> dict[str, Any]:
    """One decision on up to 500 alerts (all or none; an unknown id is a 404 naming it)."""
    done = _decide(db, request, principal, body.alert_ids, body)
    return {
        "case_id": done.case_id,
        "triaged": done.records,
        "subjects_added": done.subjects_added,
        "vessels_unknown": done.vessels_unknown,
    }


@router.post("/api/alerts/{alert_id}/triage")
def triage_alert(
    request: Request, principal: Analyst, db: CasesDb, alert_id: AlertId, body: TriageBody
) -> dict[str, Any]:
    """A decision on one alert; the answer holds the stored decision and its case."""
    done = _decide(db, request, principal, [alert_id], body)
    return {
        "case_id": done.case_id,
        "triage": done.records[0],
        "subjects_added": done.subjects_added,
        "vessels_unknown": done.vessels_unknown,
    }


def _decide(
    db: CasesDatabase, request: Request, principal: Principal, ids: list[int], body: TriageBody
) -> triage.Triaged:
    return triage.decide(
        db, app_settings(request), principal, ids, body.decision, reason=body.reason,
        case_id=body.case_id, new_case_title=body.new_case_title,
    )  # fmt: skip
