"""The table of the alert store (``<home>/alerts.sqlite``), declared once.

See ``sanctionwatch.tables``. One row per alert raised; a rule and subject raise a new row
only when the fingerprint of their evidence differs from their last row's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from sanctionwatch.tables import Column, Index, Row, table

ALERTS = "alerts.sqlite"


@table(
    "alert",
    "One alert: a rule that fired on a subject, with its evidence and triage status.",
    [ALERTS],
    primary_key=["id"],
    indexes=[
        Index("alert_subject", ("rule", "subject_key", "id")),
        Index("alert_status", ("status",)),
    ],
)
@dataclass(frozen=True)
class AlertRow(Row):
    id: Annotated[int, Column("Alert number, in the order raised (numbered by SQLite)")]
    rule: Annotated[str, Column("The rule that fired (alerts/rules.toml)")]
    title: Annotated[str, Column("The rule's title")]
    severity: Annotated[str, Column("high, medium or low")]
    subject_key: Annotated[
        str, Column("What it is about: vessel:<mmsi> or counterparty:<id>:<list>:<entity>")
    ]
    subject: Annotated[str, Column("The subject: kind, mmsi, imo, name or id, name", unit="JSON")]
    summary: Annotated[str, Column("One sentence an analyst reads")]
    evidence: Annotated[str, Column("Events, list records, identity rows, links", unit="JSON")]
    fingerprint: Annotated[str, Column("SHA-256 of the evidence that makes it new")]
    status: Annotated[str, Column("Triage status: new (the workspace adds more)")]
    created: Annotated[int, Column("When it was raised", unit="ms since epoch, UTC")]


ALERT_TABLES = (AlertRow,)
