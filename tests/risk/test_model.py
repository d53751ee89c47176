"""score_vessels on hand-made vessels, events and links: levels, factors, evidence, order."""

from __future__ import annotations

from sanctionwatch.linking.model import IdentityFlag
from sanctionwatch.risk.model import VesselRisk, score_vessels
from sanctionwatch.risk.params import default_risk_params
from tests.risk.support import (
    CLEAN_A,
    CLEAN_B,
    LISTED,
    LISTED_IMO,
    event,
    link,
    vessel,
)


def by_mmsi(risks: list[VesselRisk]) -> dict[int, VesselRisk]:
    return {r.mmsi: r for r in risks}


def test_listed_imo_link_is_high_and_cites_the_list_record() -> None:
    params = default_risk_params()
    risks = score_vessels(
        [vessel(LISTED, LISTED_IMO, "NEW NAME", "lr"), vessel(CLEAN_A, 9179842, "ANGARA")],
        [],
        [link(LISTED)],
        [],
        params,
    )
    listed = by_mmsi(risks)[LISTED]
    assert listed.level == "high"
    assert listed.score == 100.0
    [factor] = listed.factors
    assert factor.factor == "sanctioned_identity"
    assert factor.points == 100.0
    records = [e for e in factor.evidence if e["kind"] == "list_record"]
    assert records == [
        {
            "kind": "list_record",
            "list": "un",
            "record": "KPi.079",
            "entity_id": "un-KPi.079",
            "version": "2026-02-27",
            "source": "un",
        }
    ]
    assert "KPi.079" in factor.reason and "imo" in factor.reason
    # The clean ship with its own valid IMO is untouched.
    clean = by_mmsi(risks)[CLEAN_A]
    assert (clean.score, clean.level, clean.factors) == (0.0, "low", ())


def test_an_mmsi_link_is_decisive_even_with_weights_below_high() -> None:
    params = default_risk_params()
    params["sanctioned_identity"]["points"] = 5.0
    [risk] = score_vessels([vessel(LISTED)], [], [link(LISTED, via="mmsi")], [], params)
    assert risk.score == 5.0
    assert risk.level == "high"


def test_name_link_is_weaker_and_scaled_by_confidence() -> None:
    params = default_risk_params()
    [risk] = score_vessels(
        [vessel(CLEAN_A)], [], [link(CLEAN_A, via="name", confidence=0.5)], [], params
    )
    [factor] = risk.factors
    assert factor.factor == "sanctioned_name"
    assert factor.points == params["sanctioned_name"]["points"] * 0.5
    assert risk.level != "high"


def test_owner_link_and_identity_flag() -> None:
    params = default_risk_params()
    flag = IdentityFlag(
        CLEAN_A,
        "zombie_identity",
        "IMO 8712362 broadcast by a 40 m hull",
        ({"kind": "identity", "mmsi": CLEAN_A, "field": "length", "value": 40},),
    )
    [risk] = score_vessels(
        [vessel(CLEAN_A)], [], [link(CLEAN_A, via="owner", confidence=0.8)], [flag], params
    )
    factors = {f.factor: f for f in risk.factors}
    assert factors["sanctioned_owner"].points == params["sanctioned_owner"]["points"] * 0.8
    assert factors["identity_flag"].points == params["identity_flag"]["points"]
    assert factors["identity_flag"].evidence[0]["field"] == "length"
    assert "zombie_identity" in factors["identity_flag"].reason


def test_dprk_mid_scores_with_identity_evidence() -> None:
    params = default_risk_params()
    risks = by_mmsi(score_vessels([vessel(445123456, None, "CHON MA SAN")], [], [], [], params))
    risk = risks[445123456]
    [factor] = risk.factors
    assert factor.factor == "dprk_flag"
    assert factor.points == params["dprk_flag"]["points"]
    assert factor.evidence == (
        {
            "kind": "identity",
            "mmsi": 445123456,
            "field": "mmsi",
            "value": 445123456,
            "mid": 445,
            "flag": "kp",
        },
    )
    assert risk.flag == "kp"  # from the MID when the summary gives none
    # A vessel broadcasting a DPRK flag through a German MMSI: both DPRK and a contradiction.
    [other] = score_vessels([vessel(CLEAN_A, flag="KP")], [], [], [], params)
    assert {f.factor for f in other.factors} == {"dprk_flag", "mid_mismatch"}


def test_identity_events_count_each_kind() -> None:
    params = default_risk_params()
    events = [
        event("identity", CLEAN_A, 1, kind="name_change", reasons=["name_change"]),
        event("identity", CLEAN_A, 2, kind="imo_change", reasons=["imo_change", "invalid_imo"]),
        event("identity", CLEAN_A, 0, 5, kind="shared_mmsi", reasons=["two_tracks"]),
        event("identity", 100000001, 0, 5, kind="unallocated_mid", reasons=["unallocated_mid"]),
    ]
    risks = by_mmsi(score_vessels([], events, [], [], params))
    factors = {f.factor: f for f in risks[CLEAN_A].factors}
    assert set(factors) == {"identity_changes", "invalid_imo", "shared_mmsi"}
    assert factors["identity_changes"].points == 2 * params["identity_changes"]["points"]
    assert [e["start"] for e in factors["identity_changes"].evidence] == [
        "2024-01-01T01:00:00Z",
        "2024-01-01T02:00:00Z",
    ]
    assert factors["shared_mmsi"].evidence[0] == {
        "kind": "event",
        "type": "identity",
        "mmsi": CLEAN_A,
        "other_mmsi": None,
        "start": "2024-01-01T00:00:00Z",
        "end": "2024-01-01T05:00:00Z",
        "port": None,
        "identity_kind": "shared_mmsi",
    }
    assert [f.factor for f in risks[100000001].factors] == ["unallocated_mid"]


def test_old_identity_changes_count_less() -> None:
    params = default_risk_params()
    recent_days = params["identity_changes"]["recent_days"]
    events = [
        event("identity", CLEAN_A, 0, kind="name_change", reasons=["name_change"]),
        # Another vessel's event sets where the data ends: long after the change.
        event("gap", CLEAN_B, (recent_days + 10) * 24, hours=6.0, likely_disabling=False),
    ]
    [factor] = by_mmsi(score_vessels([], events, [], [], params))[CLEAN_A].factors
    assert factor.points == (
        params["identity_changes"]["points"] * params["identity_changes"]["older_share"]
    )


def test_dark_gaps_and_port_calls() -> None:
    params = default_risk_params()
    events = [
        event("gap", CLEAN_A, 0, 20, hours=20.0, likely_disabling=True),
        event(
            "gap",
            CLEAN_A,
            30,
            40,
            hours=10.0,
            likely_disabling=False,
            likely_dark_port_call="Nampo",
            port="Nampo",
        ),
        # A receiver outage is no vessel going dark.
        event(
            "gap",
            CLEAN_A,
            50,
            70,
            hours=20.0,
            likely_disabling=True,
            probable_reception_outage=True,
        ),
        event("port_call", CLEAN_A, 80, 90, port="Najin", country="KP", watched=True),
        event("port_call", CLEAN_A, 100, 110, port="Vostochnyy", country="RU", watched=True),
        event("port_call", CLEAN_A, 120, 130, port="Busan", country="KR", watched=False),
    ]
    [risk] = score_vessels([vessel(CLEAN_A)], events, [], [], params)
    points = {f.factor: f.points for f in risk.factors}
    assert points == {
        "dark_gap": params["dark_gap"]["points"],
        "dark_port_call": params["dark_port_call"]["points"],
        "dprk_port_call": params["dprk_port_call"]["points"],
        "route_port_call": params["route_port_call"]["points"],
    }
    assert risk.score == round(sum(points.values()), 1)
    reasons = {f.factor: f.reason for f in risk.factors}
    assert "Najin" in reasons["dprk_port_call"] and "Vostochnyy" in reasons["route_port_call"]


def test_counted_factors_are_capped() -> None:
    params = default_risk_params()
    events = [event("gap", CLEAN_A, 24 * i, 24 * i + 20, likely_disabling=True) for i in range(50)]
    [risk] = score_vessels([vessel(CLEAN_A)], events, [], [], params)
    [factor] = risk.factors
    assert factor.points == params["dark_gap"]["max_points"]
    assert len(factor.evidence) == 50  # every gap is still cited


def test_vessel_with_nothing_is_scored_low() -> None:
    params = default_risk_params()
    [risk] = score_vessels([{"mmsi": 211999999}], [], [], [], params)
    assert risk.to_dict() == {
        "mmsi": 211999999,
        "imo": None,
        "name": None,
        "flag": "de",
        "score": 0.0,
        "level": "low",
        "factors": [],
        "links": [],
    }
    # An MMSI with no usable digits at all is scored too.
    [odd] = score_vessels([{"mmsi": 0}], [], [], [], params)
    assert (odd.flag, odd.level) == (None, "low")


def test_highest_first_then_by_mmsi() -> None:
    params = default_risk_params()
    events = [event("port_call", CLEAN_B, 0, 10, port="Najin", country="KP", watched=True)]
    risks = score_vessels(
        [vessel(CLEAN_B), vessel(CLEAN_A), vessel(LISTED, LISTED_IMO), vessel(211000009)],
        events,
        [link(LISTED)],
        [],
        params,
    )
    assert [r.mmsi for r in risks] == [LISTED, CLEAN_B, CLEAN_A, 211000009]
    assert [r.score for r in risks] == [100.0, params["dprk_port_call"]["points"], 0.0, 0.0]


def test_to_dict_contract() -> None:
    params = default_risk_params()
    [risk] = score_vessels(
        [vessel(LISTED, LISTED_IMO, "NEW NAME", "lr")], [], [link(LISTED)], [], params
    )
    out = risk.to_dict()
    assert list(out) == ["mmsi", "imo", "name", "flag", "score", "level", "factors", "links"]
    assert out["links"] == [link(LISTED).to_dict()]
    assert list(out["factors"][0]) == ["factor", "points", "reason", "evidence"]
    assert (out["mmsi"], out["imo"], out["name"], out["flag"]) == (
        LISTED,
        LISTED_IMO,
        "NEW NAME",
        "lr",
    )


def test_event_times_print_as_everywhere_else() -> None:
    from sanctionwatch.ais import model as ais_model
    from sanctionwatch.risk import evidence

    for ms in (0, 1_704_067_200_999, 1_709_269_199_500, 4_102_444_800_000):
        assert evidence.iso_utc(ms) == ais_model.iso_utc(ms)
