"""Alerts for the triage tests, raised by the real rules on risk bodies shaped as the chain
stores them: CHONG CHON GANG's listed IMO 7937317 broadcast as "SUNNY BAY" from a Panama
MMSI (tests/watch_support.py), the clean ANGARA that met it at sea, and a portfolio
counterparty matching BERATEX GROUP LIMITED (OFAC SDN 27194)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sanctionwatch.alerts.evaluate import portfolio_candidates, vessel_candidates
from sanctionwatch.alerts.rules import default_rules
from sanctionwatch.alerts.store import AlertStore
from sanctionwatch.portfolio.model import PortfolioHitChange
from tests.risk.support import encounter
from tests.watch_support import CLEAN, FERRY, LAUNDERED

LAUNDERED_IMO, CLEAN_IMO = 7937317, 9179842
# When each alert was raised (set after raising, so the time filters have distinct times).
CREATED = {
    ("sanctioned_vessel_seen", LAUNDERED): "2024-03-01T06:00:00Z",
    ("risk_high", CLEAN): "2024-03-02T06:00:00Z",
    ("encounter_with_sanctioned", CLEAN): "2024-03-03T06:00:00Z",
    ("portfolio_match", None): "2024-03-04T06:00:00Z",
}


def _link() -> dict[str, Any]:
    return {
        "entity_id": "ofac-17069", "caption": "CHONG CHON GANG", "list": "ofac_sdn",
        "record": "17069", "via": "imo", "confidence": 1.0,
        "reason": "IMO 7937317 (check digit valid) is on the list",
        "evidence": [
            {"kind": "identity", "mmsi": LAUNDERED, "field": "imo", "value": LAUNDERED_IMO},
            {"kind": "list_record", "list": "ofac_sdn", "record": "17069",
             "entity_id": "ofac-17069", "version": "2024-05-03"},
        ],
    }  # fmt: skip


def _body(mmsi: int, imo: int, name: str, level: str, score: float, **more: Any) -> dict[str, Any]:
    return {"mmsi": mmsi, "imo": imo, "name": name, "flag": "pa", "score": score,
            "level": level, "links": [], "factors": [], **more}  # fmt: skip


def _factor(factor: str, points: float, reason: str) -> dict[str, Any]:
    return {"factor": factor, "points": points, "reason": reason, "evidence": []}


def seed_alerts(home: Path) -> dict[tuple[str, int | None], int]:
    """Raise the four alerts under ``home``; their ids by (rule, subject MMSI)."""
    bodies = [
        _body(LAUNDERED, LAUNDERED_IMO, "SUNNY BAY", "high", 130.0, links=[_link()],
              factors=[_factor("sanctioned_identity", 100.0, "CHONG CHON GANG via imo")]),
        _body(CLEAN, CLEAN_IMO, "ANGARA", "high", 75.0, factors=[
            _factor("encounter", 45.0, f"met {LAUNDERED} (CHONG CHON GANG) at sea"),
            _factor("dark_gap", 30.0, "42 h silent at sea")]),
        _body(FERRY, 9312341, "NEW CAMELLIA", "low", 0.0),
    ]  # fmt: skip
    change = PortfolioHitChange(
        "c1", "Beratex Group Limited", "ofac-27194", "BERATEX GROUP LIMITED", "ofac_sdn",
        "27194", 0.97, "new",
        ({"kind": "list_record", "list": "ofac_sdn", "record": "27194",
          "entity_id": "ofac-27194", "version": "2024-05-03"},
         {"kind": "screening", "score": 0.97, "explanation": "name matches"}),
    )  # fmt: skip
    rules = default_rules()
    candidates = vessel_candidates(rules, bodies, [encounter(LAUNDERED, CLEAN, 10)])
    candidates += portfolio_candidates(rules, [change])
    with AlertStore(home, writable=True) as store:
        raised = store.raise_alerts(candidates)
    ids = {(a.row.rule, a.to_dict()["subject"].get("mmsi")): a.row.id for a in raised}
    assert set(ids) == set(CREATED)
    with sqlite3.connect(home / "alerts.sqlite") as db:
        for key, when in CREATED.items():
            db.execute(
                "UPDATE alert SET created = CAST(strftime('%s', ?) AS INTEGER) * 1000 WHERE id = ?",
                [when, ids[key]],
            )
    db.close()
    return ids
