"""The tables of the risk store (``<home>/risk.sqlite``), declared once.

See ``sanctionwatch.tables``. ``risk_state`` says what the stored scores were computed
from (the inputs' signature); ``vessel_risk`` is one vessel's score, level, factors, links
and identity flags as of that signature. The whole set is replaced at once whenever the
signature changes, so a reader never sees scores from two different inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from sanctionwatch.tables import Column, Index, Row, table

RISK = "risk.sqlite"


@table(
    "risk_state",
    "What the stored scores were computed from, and what later steps last ran on.",
    [RISK],
    primary_key=["key"],
)
@dataclass(frozen=True)
class RiskStateRow(Row):
    key: Annotated[str, Column("inputs (the scores), alerts or portfolio (what they ran on)")]
    signature: Annotated[
        str,
        Column(
            "The inputs: last AIS ingest, detector states, list versions, risk and linking "
            "parameters, zones",
            unit="JSON",
        ),
    ]
    computed: Annotated[int, Column("When it was stored", unit="ms since epoch, UTC")]


@table(
    "vessel_risk",
    "One vessel's risk: score, level, factors with their evidence, links, identity flags.",
    [RISK],
    primary_key=["mmsi"],
    indexes=[Index("vessel_risk_score", ("score",))],
)
@dataclass(frozen=True)
class VesselRiskRow(Row):
    mmsi: Annotated[int, Column("The vessel", unit="MMSI")]
    imo: Annotated[int | None, Column("Its latest broadcast IMO number; NULL: none")]
    name: Annotated[str | None, Column("Its latest broadcast name; NULL: none")]
    score: Annotated[float, Column("Sum of the factors' points")]
    level: Annotated[str, Column("high, medium or low (risk/factors.toml [levels])")]
    body: Annotated[
        str,
        Column(
            "The `vessels risk` line (factors, links) with the identity flags added",
            unit="JSON",
        ),
    ]


RISK_TABLES = (RiskStateRow, VesselRiskRow)
