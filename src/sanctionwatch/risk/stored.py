"""Stored links and scores, recomputed only when what they come from changed.

Linking and scoring read the AIS identity histories, the stored behaviour events and the
current list versions, with the linking and risk parameters and the transfer zones. The
risk store (``<home>/risk.sqlite``, tables in ``risk/tables.py``) keeps the last result
with a signature of those inputs: the last AIS ingest, each detector's stored state, each
list's current version and content digest, and the parameters. ``vessels risk`` reads the
stored scores while the signature still holds, and recomputes them all when it does not.

Recomputing everything rather than the vessels touched is deliberate: one new encounter
changes the inherited risk of every vessel connected to it, and a new list version can
link any vessel; a full run over 10,000 vessels and 1 M stored events, stores included,
takes 6.6 s on two cores (bench/bench_chain.py). The stored set is replaced in one
transaction, so a reader sees the old scores or the new ones, never a mix, and a run
killed half way leaves the old ones.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sanctionwatch.ais.store import CatalogueSnapshot, PositionStore
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.stored import EventStore
from sanctionwatch.linking.links import LinkStats, link_vessels
from sanctionwatch.linking.listed_cache import versions_signature
from sanctionwatch.linking.model import IdentityFlag
from sanctionwatch.linking.params import LinkingParams
from sanctionwatch.lists.store import ListStore
from sanctionwatch.risk.model import VesselRisk, score_vessels
from sanctionwatch.risk.params import RiskParams
from sanctionwatch.risk.relevant import relevant_events
from sanctionwatch.risk.tables import RISK_TABLES, RiskStateRow, VesselRiskRow
from sanctionwatch.risk.vessels import summaries_from_identity_rows
from sanctionwatch.risk.zones import Zone
from sanctionwatch.sqlite_files import SqliteFile
from sanctionwatch.tables import from_row, insert_sql, schema_sql, select_sql, to_params

SCHEMA_SQL = schema_sql(*RISK_TABLES)
RISK_FORMAT = 1  # bump when what is stored, or how it is computed, changes
LEVEL_ORDER = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class RiskInputs:
    """Everything a scoring run reads besides the stores' contents."""

    risk: RiskParams
    linking: LinkingParams
    zones: tuple[Zone, ...]


def signature(
    snapshot: CatalogueSnapshot,
    detector_states: Iterable[tuple[str, str, int]],
    list_store: ListStore,
    inputs: RiskInputs,
) -> str:
    """The inputs of a scoring run, as canonical JSON: equal text, equal scores."""
    zones = hashlib.sha256(repr(inputs.zones).encode()).hexdigest()
    return json.dumps(
        {
            "format": RISK_FORMAT,
            "ais": snapshot.last_ingest_id,
            "events": sorted(detector_states),
            "lists": versions_signature(list_store),
            "risk": inputs.risk,
            "linking": asdict(inputs.linking),
            "zones": zones,
        },
        sort_keys=True,
    )


def compute_risks(
    ais_store: PositionStore,
    list_store: ListStore,
    events: list[Event],
    inputs: RiskInputs,
    stats: LinkStats | None = None,
    data_end_ms: int | None = None,
) -> tuple[list[VesselRisk], list[IdentityFlag]]:
    """Link every vessel and score it: every vessel with positions or an identity is in
    the result (one heard only in position reports scores on its events and MID alone).
    ``events`` may be only those that can count (``risk.relevant``), with ``data_end_ms``
    the end of all of them."""
    result = link_vessels(ais_store, list_store, params=inputs.linking, stats=stats)
    summaries = summaries_from_identity_rows(ais_store.identities())
    known = {int(summary["mmsi"]) for summary in summaries}
    summaries += [
        {"mmsi": mmsi, "imo": None, "name": None, "flag": None}
        for mmsi in sorted(ais_store.activity())
        if mmsi not in known
    ]
    risks = score_vessels(
        summaries, events, result.links, result.flags, inputs.risk, inputs.zones, data_end_ms
    )
    return risks, list(result.flags)


def scoring_events(stored: EventStore, inputs: RiskInputs) -> tuple[list[Event], int | None]:
    """The stored events that can count towards a score, and the end of all of them."""
    return stored.events(condition=relevant_events(inputs.zones)), stored.data_end()


def risk_bodies(risks: Iterable[VesselRisk], flags: Iterable[IdentityFlag]) -> list[dict[str, Any]]:
    """The stored form: each ``vessels risk`` line, with the vessel's identity flags."""
    flags_of: dict[int, list[dict[str, Any]]] = {}
    for flag in flags:
        flags_of.setdefault(flag.mmsi, []).append(flag.to_dict())
    return [{**risk.to_dict(), "flags": flags_of.get(risk.mmsi, [])} for risk in risks]


class RiskStore(SqliteFile):
    """``<home>/risk.sqlite``: the last scores and what they were computed from."""

    def __init__(self, home: Path, *, writable: bool) -> None:
        super().__init__(home / "risk.sqlite", SCHEMA_SQL, "the risk store", writable=writable)

    def signature(self) -> str | None:
        """The inputs of the stored scores; None before the first run."""
        return self.state("inputs")

    def state(self, key: str) -> str | None:
        """A stored signature: ``inputs`` (of the scores), or what a later step (alerts, the
        portfolio screen) last ran on."""
        row = self.db.execute(select_sql(RiskStateRow) + " WHERE key = ?", [key]).fetchone()
        return from_row(RiskStateRow, row).signature if row is not None else None

    def set_state(self, key: str, value: str) -> None:
        self.check_writable()
        with self.db:
            self.db.execute(
                insert_sql(RiskStateRow, conflict="REPLACE"),
                to_params(RiskStateRow(key, value, int(time.time() * 1000))),
            )

    def replace(self, bodies: Iterable[dict[str, Any]], inputs_signature: str) -> int:
        """Store these scores (``risk_bodies``) instead of the old ones, at once."""
        self.check_writable()
        rows = [
            VesselRiskRow(
                int(body["mmsi"]),
                body.get("imo"),
                body.get("name"),
                float(body["score"]),
                str(body["level"]),
                json.dumps(body, ensure_ascii=False),
            )
            for body in bodies
        ]
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("DELETE FROM vessel_risk")
            self.db.executemany(insert_sql(VesselRiskRow), [to_params(row) for row in rows])
            self.db.execute(
                insert_sql(RiskStateRow, conflict="REPLACE"),
                to_params(RiskStateRow("inputs", inputs_signature, int(time.time() * 1000))),
            )
        return len(rows)

    def risks(self, min_level: str = "low", limit: int | None = None) -> list[dict[str, Any]]:
        """Stored risk lines at ``min_level`` or above, highest score first (then MMSI)."""
        levels = [level for level, rank in LEVEL_ORDER.items() if rank >= LEVEL_ORDER[min_level]]
        sql = (
            f"SELECT body FROM vessel_risk WHERE level IN ({','.join('?' * len(levels))})"  # noqa: S608 - placeholders only
            " ORDER BY score DESC, mmsi"
        )
        params: list[object] = list(levels)
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [json.loads(body) for (body,) in self.db.execute(sql, params)]

    def risk_of(self, mmsi: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT body FROM vessel_risk WHERE mmsi = ?", [mmsi]).fetchone()
        return json.loads(row[0]) if row is not None else None


def filter_bodies(
    bodies: Iterable[dict[str, Any]], min_level: str = "low", limit: int | None = None
) -> list[dict[str, Any]]:
    """``RiskStore.risks`` over bodies computed in memory (a home that cannot be written)."""
    kept = [b for b in bodies if LEVEL_ORDER[str(b["level"])] >= LEVEL_ORDER[min_level]]
    kept.sort(key=lambda b: (-float(b["score"]), int(b["mmsi"])))
    return kept if limit is None else kept[:limit]


__all__ = [
    "LEVEL_ORDER",
    "RiskInputs",
    "RiskStore",
    "compute_risks",
    "filter_bodies",
    "risk_bodies",
    "scoring_events",
    "signature",
]
