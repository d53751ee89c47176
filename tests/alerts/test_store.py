"""Alerts are raised once per rule and subject until their evidence changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sanctionwatch.alerts.evaluate import portfolio_candidates, vessel_candidates
from sanctionwatch.alerts.rules import default_rules
from sanctionwatch.alerts.store import AlertStore
from sanctionwatch.portfolio.model import PortfolioHitChange
from tests.risk.support import encounter

LISTED, MET, OTHER = 352001234, 352009999, 440000001


def body(
    mmsi: int,
    level: str = "low",
    links: list[dict[str, Any]] | None = None,
    factors: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "mmsi": mmsi, "imo": None, "name": f"SHIP {mmsi}", "flag": None, "score": 0.0,
        "level": level, "links": links or [],
        "factors": [{"factor": f, "points": 10.0, "reason": f"{f} seen", "evidence": []}
                    for f in factors],
    }  # fmt: skip


def link(via: str, entity: str = "ofac-17069", confidence: float = 1.0) -> dict[str, Any]:
    return {"entity_id": entity, "caption": "CHONG CHON GANG", "list": "ofac_sdn",
            "record": "17069", "via": via, "confidence": confidence, "evidence": [
                {"kind": "list_record", "list": "ofac_sdn", "record": "17069"}]}  # fmt: skip


def rules_of(kind: str) -> list[Any]:
    return [r for r in default_rules() if r.kind == kind]


def test_the_same_evidence_raises_nothing_new_and_a_change_raises_again(tmp_path: Path) -> None:
    bodies = [body(LISTED, "high", [link("imo")]), body(OTHER)]
    with AlertStore(tmp_path, writable=True) as store:
        first = store.raise_alerts(vessel_candidates(default_rules(), bodies, []))
        assert [(a.row.rule, a.row.subject_key) for a in first] == [
            ("sanctioned_vessel_seen", f"vessel:{LISTED}")
        ]
        assert store.raise_alerts(vessel_candidates(default_rules(), bodies, [])) == []
        # A second listed entity behind the same vessel: new evidence, a new alert.
        bodies[0]["links"].append(link("mmsi", "un-kps-001"))
        again = store.raise_alerts(vessel_candidates(default_rules(), bodies, []))
        assert [a.row.rule for a in again] == ["sanctioned_vessel_seen"]
        assert [a.row.id for a in store.alerts()] == [again[0].row.id, first[0].row.id]
        assert store.alerts("new") == store.alerts() and store.alerts("closed") == []


def test_risk_level_fires_on_new_kinds_of_reason_not_on_points(tmp_path: Path) -> None:
    [rule] = rules_of("risk_level")
    with AlertStore(tmp_path, writable=True) as store:
        assert (
            store.raise_alerts(vessel_candidates([rule], [body(MET, "medium", [], ("gap",))], []))
            == []
        )
        high = body(MET, "high", [], ("encounter", "dark_gap"))
        assert len(store.raise_alerts(vessel_candidates([rule], [high], []))) == 1
        high["score"] = 90.0  # more points, same reasons
        assert store.raise_alerts(vessel_candidates([rule], [high], [])) == []
        high["factors"].append(
            {"factor": "dprk_port_call", "points": 30, "reason": "r", "evidence": []}
        )
        assert len(store.raise_alerts(vessel_candidates([rule], [high], []))) == 1
        # A vessel linked via IMO is left to sanctioned_vessel_seen.
        listed = body(LISTED, "high", [link("imo")], ("sanctioned_identity",))
        assert vessel_candidates([rule], [listed], []) == []


def test_each_new_encounter_with_a_listed_vessel_raises_one_alert(tmp_path: Path) -> None:
    [rule] = rules_of("encounter")
    bodies = [body(LISTED, "high", [link("imo")]), body(MET), body(OTHER)]
    first = [encounter(LISTED, MET, 10)]
    with AlertStore(tmp_path, writable=True) as store:
        raised = store.raise_alerts(vessel_candidates([rule], bodies, first))
        assert [a.row.subject_key for a in raised] == [f"vessel:{MET}"]
        assert raised[0].to_dict()["evidence"][0]["type"] == "encounter"
        assert store.raise_alerts(vessel_candidates([rule], bodies, first)) == []
        both = [*first, encounter(MET, LISTED, 40), encounter(MET, OTHER, 50)]
        [again] = store.raise_alerts(vessel_candidates([rule], bodies, both))
        assert "2 such encounters" in again.row.summary


def test_a_name_link_below_the_rule_confidence_raises_nothing() -> None:
    rules = [r for r in default_rules() if r.name == "possible_sanctioned_vessel"]
    weak = body(MET, "low", [link("name", confidence=0.6)])
    strong = body(OTHER, "medium", [link("name", confidence=0.8)])
    assert [c.subject_key for c in vessel_candidates(rules, [weak, strong], [])] == [
        f"vessel:{OTHER}"
    ]


def test_portfolio_changes_raise_one_alert_per_counterparty_and_entity(tmp_path: Path) -> None:
    change = PortfolioHitChange(
        "c1", "Chong Chon Gang Shipping", "un-kpe-001", "CHONG CHON GANG SHIPPING CO", "un",
        "KPe.010", 0.93, "new", ({"kind": "list_record", "list": "un", "record": "KPe.010"},),
    )  # fmt: skip
    with AlertStore(tmp_path, writable=True) as store:
        [raised] = store.raise_alerts(portfolio_candidates(default_rules(), [change]))
        assert raised.to_dict()["subject"] == {
            "kind": "counterparty", "id": "c1", "name": "Chong Chon Gang Shipping",
        }  # fmt: skip
        assert "newly matches CHONG CHON GANG SHIPPING CO (un record KPe.010)" in raised.row.summary
        assert store.raise_alerts(portfolio_candidates(default_rules(), [change])) == []
