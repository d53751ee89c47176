"""Scoring only the events that can count gives exactly the scores of scoring them all."""

from __future__ import annotations

import random
from pathlib import Path

from bench.bench_risk import OFF_NAMPO, T0, make_events, make_links, make_vessels

from sanctionwatch.ais.store import open_store
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.stored import EventStore, _row
from sanctionwatch.behaviour.tables import EventRow
from sanctionwatch.risk.model import score_vessels
from sanctionwatch.risk.params import default_risk_params
from sanctionwatch.risk.relevant import relevant_events
from sanctionwatch.risk.zones import default_zones
from sanctionwatch.tables import insert_sql, to_params

HOUR_MS = 3_600_000


def edge_cases(mmsi: int) -> list[Event]:
    """What the condition must drop, keep, or keep for Python to decide."""
    at_sea = (30.0, 150.0)
    return [
        Event("port_call", mmsi, T0, T0 + HOUR_MS, *at_sea, port="Busan",
              details={"country": "KR", "watched": False}),  # dropped
        Event("port_call", mmsi, T0, T0 + HOUR_MS, *at_sea, port="Najin",
              details={"country": "kp"}),  # kept: the country in any case
        Event("port_call", mmsi, T0, T0 + HOUR_MS, *at_sea, port="Dunai",
              details={"country": "RU", "watched": True}),  # kept
        Event("draught_change", mmsi, T0, None, *at_sea, details={"at_sea": False}),  # dropped
        Event("draught_change", mmsi, T0, None, *at_sea, details={}),  # kept: unknown
        Event("loitering", mmsi, T0, T0 + HOUR_MS, *at_sea, details={"hours": 1.0}),  # dropped
        Event("loitering", mmsi, T0, T0 + HOUR_MS, *OFF_NAMPO, details={"hours": 1.0}),
        # The latest event of all is one that cannot count: the end of the data still is it.
        Event("port_call", mmsi, T0 + 900 * 24 * HOUR_MS, None, *at_sea, port="Busan",
              details={"country": "KR", "watched": False}),
    ]  # fmt: skip


def test_the_relevant_events_score_exactly_as_all_of_them(tmp_path: Path) -> None:
    rng = random.Random(7)
    vessels = make_vessels(600, rng)
    mmsis = [int(v["mmsi"]) for v in vessels]
    events = make_events(mmsis, 30_000, rng) + edge_cases(mmsis[0])
    links, flags = make_links(mmsis, rng)
    with open_store(tmp_path / "home") as store, EventStore(store) as stored:
        rows = [to_params(_row(event.type, event)) for event in events]
        stored.db.execute("BEGIN")
        stored.db.executemany(insert_sql(EventRow), rows)
        stored.db.execute("COMMIT")
        zones = default_zones()
        everything = stored.events()
        relevant = stored.events(condition=relevant_events(zones))
        data_end = stored.data_end()
    assert len(everything) == len(events)
    # Most events cannot count (port calls elsewhere, loitering outside every zone).
    assert len(relevant) < 0.6 * len(everything)
    dropped = {(e.type, e.port, e.lat, repr(e.details)) for e in everything} - {
        (e.type, e.port, e.lat, repr(e.details)) for e in relevant
    }
    assert ("port_call", "Najin", 30.0, "{'country': 'kp'}") not in dropped
    assert ("draught_change", None, 30.0, "{'at_sea': False}") in dropped
    assert ("draught_change", None, 30.0, "{}") not in dropped
    params = default_risk_params()
    full = score_vessels(vessels, everything, links, flags, params, zones)
    lean = score_vessels(vessels, relevant, links, flags, params, zones, data_end)
    assert [r.to_dict() for r in lean] == [r.to_dict() for r in full]
    assert {f.factor for r in full for f in r.factors} >= {
        "dark_gap", "dark_port_call", "dprk_port_call", "route_port_call", "loitering_zone",
        "encounter", "draught_after", "identity_changes",
    }  # fmt: skip
    # Without the data's true end, recency would be measured from another time.
    assert data_end == max(e.end_ms or e.start_ms for e in events)
