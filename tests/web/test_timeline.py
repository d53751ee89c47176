"""The case timeline's layout (web/timeline.py): every event of every vessel on one axis,
placed by its time, in its lane and row, with ticks that read as round times; the SVG that
the page writes from it holds one focusable, named mark per event."""

from __future__ import annotations

from typing import Any

from sanctionwatch.behaviour.events import Event
from sanctionwatch.cases.evidence import ms_of
from sanctionwatch.web.timeline import MAX_TICKS, MIN_BAR, LaneInput, lay_out, ticks

T0 = ms_of("2024-03-01T00:00:00Z")
HOUR = 3_600_000


def event(kind: str, mmsi: int, start_h: float, end_h: float | None, **more: Any) -> dict[str, Any]:
    """An event as the event contract gives it (behaviour/events.py's to_dict)."""
    end = None if end_h is None else T0 + int(end_h * HOUR)
    return Event(kind, mmsi, T0 + int(start_h * HOUR), end, 36.5, 123.5, **more).to_dict()


SUNNY, ANGARA = 352001234, 352009999
LANES = [
    LaneInput(
        "SUNNY BAY (352001234)",
        SUNNY,
        [
            event("gap", SUNNY, 30, 72, details={"distance_km": 12.5, "likely_disabling": True}),
            event("encounter", SUNNY, 10, 14, other_mmsi=ANGARA),
            event("port_call", SUNNY, 80, 95, port="Nampo"),
            event("draught_change", SUNNY, 96, None, details={"from_m": 6.1, "to_m": 8.4}),
            event("loitering", SUNNY, 0, 6),
            event("identity", SUNNY, 50, 50.5, details={"kind": "name_change"}),
        ],
    ),
    LaneInput(
        "ANGARA (352009999)",
        ANGARA,
        [
            event("encounter", ANGARA, 10, 14, other_mmsi=SUNNY),
            event("gap", ANGARA, 100, None, details={"open": True}),  # still going
        ],
    ),
]


def test_every_event_of_every_lane_is_drawn_once() -> None:
    laid = lay_out(LANES)
    assert len(laid.marks) == 8 and not laid.empty
    assert [len([m for m in laid.marks if m.lane == i]) for i in (0, 1)] == [6, 2]
    assert sorted((m.lane, m.type, m.start_ms) for m in laid.marks) == sorted(
        (i, e["type"], ms_of(e["start"])) for i, lane in enumerate(LANES) for e in lane.events
    )
    assert [lane.label for lane in laid.lanes] == ["SUNNY BAY (352001234)", "ANGARA (352009999)"]


def test_positions_follow_time_on_one_shared_axis() -> None:
    laid = lay_out(LANES)
    by_start = sorted(laid.marks, key=lambda m: m.start_ms)
    xs = [m.x for m in by_start]
    assert xs == sorted(xs) and xs[0] < xs[-1]
    assert all(laid.left <= m.x <= laid.right for m in laid.marks)
    # the same encounter in both lanes sits at the same x: one axis for every vessel
    met = [m for m in laid.marks if m.type == "encounter"]
    assert len(met) == 2 and met[0].x == met[1].x and met[0].width == met[1].width
    # a longer event is a longer bar (pixels per hour are the same everywhere)
    gap = next(m for m in laid.marks if m.type == "gap" and m.lane == 0)
    loitering = next(m for m in laid.marks if m.type == "loitering")
    assert abs(gap.width / loitering.width - 42 / 6) < 0.1


def test_lanes_rows_and_shapes() -> None:
    laid = lay_out(LANES)
    first, second = laid.lanes
    assert second.y >= first.y + first.height  # lanes do not overlap
    assert [r.key for r in first.rows] == ["gap", "encounter", "port_call", "loitering", "change"]
    assert [r.key for r in second.rows] == ["gap", "encounter"]
    rows = {r.key: r.y for r in first.rows}
    for mark in laid.marks:
        if mark.lane == 0:
            assert rows[mark.row] <= mark.y < rows[mark.row] + 16
    changes = [m for m in laid.marks if m.row == "change"]
    assert {m.type for m in changes} == {"identity", "draught_change"}
    assert all(not m.bar and m.points and m.width == 0 for m in changes)  # diamonds
    assert all(m.bar and m.width >= MIN_BAR for m in laid.marks if m.row != "change")


def test_an_open_event_runs_to_the_end_of_the_axis_and_says_so() -> None:
    laid = lay_out(LANES)
    still = next(m for m in laid.marks if m.open)
    assert still.type == "gap" and still.end_ms is None
    assert abs(still.x + still.width - laid.right) < 1
    assert "still going at the end of the data" in still.label


def test_each_mark_has_a_name_that_says_what_when_and_who() -> None:
    laid = lay_out(LANES)
    gap = next(m for m in laid.marks if m.type == "gap" and m.lane == 0)
    assert gap.label == (
        "AIS gap, SUNNY BAY (352001234): 2024-03-02 06:00 UTC to 2024-03-04 00:00 UTC "
        "(42.0 h); 12.5 km apart, AIS likely switched off"
    )
    met = next(m for m in laid.marks if m.type == "encounter" and m.lane == 1)
    assert "with 352001234" in met.label and met.other_mmsi == SUNNY
    port = next(m for m in laid.marks if m.type == "port_call")
    assert "at Nampo" in port.label and port.port == "Nampo"
    draught = next(m for m in laid.marks if m.type == "draught_change")
    assert "draught 6.1 m to 8.4 m" in draught.label and " to 2024" not in draught.label


def test_ticks_are_round_increasing_and_few() -> None:
    laid = lay_out(LANES)
    assert 2 <= len(laid.ticks) <= MAX_TICKS
    xs = [t.x for t in laid.ticks]
    assert xs == sorted(xs) and all(laid.left <= x <= laid.right for x in xs)
    # 105 hours across: a tick every 12 hours, on the hour
    assert all(
        t.label.startswith("03-0") and t.label[-5:] in ("00:00", "12:00") for t in laid.ticks
    )
    days = ticks(T0, T0 + 20 * 24 * HOUR, 0, 600)
    assert [t.label for t in days][:2] == ["2024-03-04", "2024-03-11"]  # Mondays
    hours = ticks(T0, T0 + 6 * HOUR, 0, 600)
    assert [t.label for t in hours][:2] == ["03-01 00:00", "03-01 01:00"]
    assert len(ticks(T0, T0 + 3 * 365 * 24 * HOUR, 0, 600)) <= MAX_TICKS
    assert ticks(T0, T0, 0, 600) == []


def test_an_empty_case_draws_nothing_and_says_so() -> None:
    empty = lay_out([])
    assert empty.empty and empty.marks == [] and empty.ticks == [] and empty.lanes == []
    assert empty.description == "No events for the case's vessels."
    quiet = lay_out([LaneInput("QUIET (211000001)", 211000001, [])])
    assert quiet.empty and len(quiet.lanes) == 1 and quiet.ticks == []


def test_one_instant_still_gets_an_axis() -> None:
    laid = lay_out([LaneInput("X", SUNNY, [event("draught_change", SUNNY, 5, None)])])
    assert laid.end_ms > laid.start_ms and laid.ticks
    assert laid.left < laid.marks[0].x < laid.right


def test_an_unknown_event_type_is_drawn_as_other() -> None:
    laid = lay_out([LaneInput("X", SUNNY, [event("spoofing", SUNNY, 1, 3)])])
    (mark,) = laid.marks
    assert mark.css == "ev ev-other" and mark.row == "other" and mark.label.startswith("Spoofing")
