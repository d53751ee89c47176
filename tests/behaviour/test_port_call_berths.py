"""Generated ships lying at berths spread over a large port's anchorages get port calls
named as that port's place (issue 12): Qingdao's old main harbour lies 6 km from the World
Port Index point for Qingdao Gang."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sanctionwatch.behaviour.accuracy import ms as maybe_ms
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.geo.ports import find_port, haversine_m
from tests.behaviour.support import simulated_store

OLD_MAIN_HARBOUR = (36.083, 120.30)
HOUR_MS = 3_600_000


def ms(text: str | None, default: int = 0) -> int:
    """Unix milliseconds of an ISO time; ``default`` for a missing one (a call still open)."""
    value = maybe_ms(text)
    return default if value is None else value


RUN = (ms("2019-08-12T00:00:00Z"), ms("2019-08-14T00:00:00Z"))  # the scenario's start, 2 days


def seen_ms(call: dict[str, Any]) -> int:
    """How long a truth call lasts within the run (calls may begin before it, or outlast it)."""
    return min(ms(call["end"], RUN[1]), RUN[1]) - max(ms(call["start"]), RUN[0])


def test_a_ship_berthed_at_qingdaos_old_main_harbour_calls_at_qingdao(tmp_path: Path) -> None:
    store, truth = simulated_store(tmp_path, scenario="yellow_sea", vessels=50, seed=21, days=2)
    qingdao = find_port("Qingdao Gang")
    # Truth calls at the old main harbour berth, seen for 12 h or more with AIS on.
    berthed = [
        t
        for t in truth
        if t["type"] == "port_call"
        and t["details"].get("berth") == "old main harbour"
        and t["details"]["ais_visible"]
        and seen_ms(t) >= 12 * HOUR_MS
    ]
    assert berthed
    for call in berthed:
        assert haversine_m(call["lat"], call["lon"], *OLD_MAIN_HARBOUR) < 300
        assert haversine_m(call["lat"], call["lon"], qingdao.lat, qingdao.lon) > 5000
    engine = DuckDBEngine(store)
    events = detect(engine, load_params(), None, ["port_call"])
    engine.close()
    for call in berthed:
        found = [
            e
            for e in events
            if e.mmsi == call["mmsi"]
            and e.start_ms < ms(call["end"], RUN[1])
            and (e.end_ms is None or e.end_ms > ms(call["start"]))
        ]
        assert [e.port for e in found] == ["Qingdao Gang"], call
