"""Draught changes soon after an encounter or a dark period: cargo moved out of sight."""

from __future__ import annotations

from sanctionwatch.ais.model import iso_utc
from sanctionwatch.behaviour.events import Event
from sanctionwatch.risk.evidence import Factor
from sanctionwatch.risk.model import score_vessels
from sanctionwatch.risk.params import default_risk_params
from tests.risk.support import CLEAN_A, CLEAN_B, encounter, event


def draught(mmsi: int, at_h: float) -> Event:
    return event("draught_change", mmsi, at_h, from_m=6.0, to_m=9.0, change_m=3.0)


def factors(events: list[Event]) -> dict[int, dict[str, Factor]]:
    params = default_risk_params()
    return {
        r.mmsi: {f.factor: f for f in r.factors} for r in score_vessels([], events, [], [], params)
    }


def test_within_n_hours_after_an_encounter() -> None:
    within = default_risk_params()["draught_after"]["within_hours"]
    # The encounter ends at hour 13; B's change comes within the window, A's long after.
    found = factors(
        [
            encounter(CLEAN_A, CLEAN_B, 10, 13),
            draught(CLEAN_B, 13 + within - 1),
            draught(CLEAN_A, 13 + within + 1),
        ]
    )
    b = found[CLEAN_B]["draught_after"]
    assert b.points == default_risk_params()["draught_after"]["points"]
    assert [e["type"] for e in b.evidence] == ["draught_change", "encounter"]
    assert str(CLEAN_A) in b.reason
    assert "draught_after" not in found[CLEAN_A]


def test_after_a_dark_period_but_not_before_it() -> None:
    gap = event("gap", CLEAN_A, 0, 20, hours=20.0, likely_disabling=False)
    found = factors([gap, draught(CLEAN_A, 22)])
    assert [e["type"] for e in found[CLEAN_A]["draught_after"].evidence] == [
        "draught_change",
        "gap",
    ]
    before = factors([event("gap", CLEAN_A, 30, 50, hours=20.0), draught(CLEAN_A, 22)])
    assert "draught_after" not in before[CLEAN_A]
    # A receiver outage is no dark period.
    outage = event("gap", CLEAN_A, 0, 20, hours=20.0, probable_reception_outage=True)
    assert "draught_after" not in factors([outage, draught(CLEAN_A, 22)])[CLEAN_A]


def test_a_long_dark_period_behind_a_later_meeting_still_counts() -> None:
    # The gap began first and lasts past the change; the meeting began later but ended too
    # long before the change: the change follows the gap.
    within = default_risk_params()["draught_after"]["within_hours"]
    gap = event("gap", CLEAN_A, 0, 200, hours=200.0)
    meeting = encounter(CLEAN_A, CLEAN_B, 10, 13)
    change = draught(CLEAN_A, 13 + within + 20)
    found = factors([meeting, gap, change])
    cited = found[CLEAN_A]["draught_after"].evidence
    assert [(e["type"], e["start"]) for e in cited] == [
        ("draught_change", iso_utc(change.start_ms)),
        ("gap", "2024-01-01T00:00:00Z"),
    ]


def test_a_short_silence_is_no_dark_period_unless_deliberate() -> None:
    short = default_risk_params()["draught_after"]["min_gap_hours"] - 2
    gap = event("gap", CLEAN_A, 0, short, hours=short)
    assert "draught_after" not in factors([gap, draught(CLEAN_A, short + 1)])[CLEAN_A]
    dark_call = event("gap", CLEAN_A, 0, short, hours=short, likely_dark_port_call="Nampo")
    assert "draught_after" in factors([dark_call, draught(CLEAN_A, short + 1)])[CLEAN_A]


def test_a_change_in_port_is_trade() -> None:
    in_port = event("draught_change", CLEAN_B, 14, from_m=6.0, to_m=9.0, at_sea=False)
    at_sea = event("draught_change", CLEAN_B, 15, from_m=9.0, to_m=6.0, at_sea=True)
    found = factors([encounter(CLEAN_A, CLEAN_B, 10, 13), in_port, at_sea])
    assert [e["start"] for e in found[CLEAN_B]["draught_after"].evidence] == [
        "2024-01-01T15:00:00Z",
        "2024-01-01T10:00:00Z",
    ]
