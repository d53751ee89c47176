"""Risk through the encounter graph: a clean ship that met a risky one inherits a share."""

from __future__ import annotations

from sanctionwatch.risk.evidence import Factor
from sanctionwatch.risk.model import VesselRisk, score_vessels
from sanctionwatch.risk.params import default_risk_params
from tests.risk.support import CLEAN_A, CLEAN_B, CLEAN_C, CLEAN_D, LISTED, encounter, event, link


def factor_of(risk: VesselRisk, name: str) -> Factor:
    return next(f for f in risk.factors if f.factor == name)


def test_inherits_a_share_and_decays_over_two_hops() -> None:
    params = default_risk_params()
    share = params["encounter"]["share"]
    # LISTED met A; A met B; C met nobody risky (only D, who is clean).
    events = [
        encounter(LISTED, CLEAN_A, 10),
        encounter(CLEAN_A, CLEAN_B, 40),
        encounter(CLEAN_C, CLEAN_D, 50),
    ]
    risks = {r.mmsi: r for r in score_vessels([], events, [link(LISTED)], [], params)}
    assert risks[LISTED].score == 100.0  # no echo back from the ships it met
    a = factor_of(risks[CLEAN_A], "encounter")
    assert a.points == 100.0 * share
    assert str(LISTED) in a.reason
    assert a.evidence[0]["type"] == "encounter"
    assert {a.evidence[0]["mmsi"], a.evidence[0]["other_mmsi"]} == {LISTED, CLEAN_A}
    b = factor_of(risks[CLEAN_B], "encounter")
    assert b.points == 100.0 * share * share
    assert str(LISTED) in b.reason and str(CLEAN_A) in b.reason
    # Both hops are cited: B's meeting with A, and A's with the listed ship.
    assert [(e["mmsi"], e["other_mmsi"]) for e in b.evidence] == [
        (CLEAN_A, CLEAN_B),
        (CLEAN_A, LISTED),
    ]
    assert risks[CLEAN_C].factors == () and risks[CLEAN_D].factors == ()
    assert risks[CLEAN_A].score > risks[CLEAN_B].score > risks[CLEAN_C].score == 0.0


def test_propagation_stops_after_max_hops() -> None:
    params = default_risk_params()
    params["encounter"]["max_hops"] = 1.0
    events = [encounter(LISTED, CLEAN_A, 10), encounter(CLEAN_A, CLEAN_B, 40)]
    risks = {r.mmsi: r for r in score_vessels([], events, [link(LISTED)], [], params)}
    assert factor_of(risks[CLEAN_A], "encounter").points == 100.0 * params["encounter"]["share"]
    assert risks[CLEAN_B].factors == ()


def test_a_low_risk_ship_passes_nothing_on() -> None:
    params = default_risk_params()
    # A name change alone is below source_min_score: meeting that ship inherits nothing.
    events = [
        event("identity", CLEAN_A, 0, kind="name_change", reasons=["name_change"]),
        encounter(CLEAN_A, CLEAN_B, 10),
    ]
    risks = {r.mmsi: r for r in score_vessels([], events, [], [], params)}
    assert risks[CLEAN_A].score < params["encounter"]["source_min_score"]
    assert risks[CLEAN_B].factors == ()


def test_two_sources_add_up_to_the_cap() -> None:
    params = default_risk_params()
    other_listed = 636000002
    events = [encounter(LISTED, CLEAN_A, 10), encounter(other_listed, CLEAN_A, 20)]
    links = [link(LISTED), link(other_listed, record="KPi.080")]
    risks = {r.mmsi: r for r in score_vessels([], events, links, [], params)}
    a = factor_of(risks[CLEAN_A], "encounter")
    # Two listed ships met: 50 + 50, cut to the cap (below high: meetings alone are medium).
    assert a.points == params["encounter"]["max_points"] < 2 * 100.0 * params["encounter"]["share"]
    assert risks[CLEAN_A].level == "medium"
    assert str(LISTED) in a.reason and str(other_listed) in a.reason
    params["encounter"]["max_points"] = 500.0
    risks = {r.mmsi: r for r in score_vessels([], events, links, [], params)}
    assert factor_of(risks[CLEAN_A], "encounter").points == 2 * 100.0 * params["encounter"]["share"]


def test_each_vessel_keeps_its_largest_sources() -> None:
    params = default_risk_params()
    params["encounter"]["max_sources"] = 1.0
    small = 211000009  # two DPRK port calls: a source, smaller than the listed ship
    events = [
        event("port_call", small, 0, 10, port="Najin", country="KP", watched=True),
        event("port_call", small, 50, 60, port="Najin", country="KP", watched=True),
        encounter(small, CLEAN_A, 20),
        encounter(LISTED, CLEAN_A, 30),
    ]
    risks = {r.mmsi: r for r in score_vessels([], events, [link(LISTED)], [], params)}
    assert risks[small].score >= params["encounter"]["source_min_score"]
    a = factor_of(risks[CLEAN_A], "encounter")
    assert a.points == 100.0 * params["encounter"]["share"]
    assert str(LISTED) in a.reason and str(small) not in a.reason
    params["encounter"]["max_sources"] = 2.0
    risks = {r.mmsi: r for r in score_vessels([], events, [link(LISTED)], [], params)}
    assert str(small) in factor_of(risks[CLEAN_A], "encounter").reason
    assert [(e["mmsi"], e["other_mmsi"]) for e in a.evidence] == [(CLEAN_A, LISTED)]
