"""Port calls of two Isle of Wight fast ferries in the real Solent excerpt
(`data/ais/solent_dstl_20160112.csv.gz`, Stone Soup 1.9.1, MIT; provenance in
data/ais/PROVENANCE.md), checked by hand in docs/real-traffic-check.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.params import default_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine

SOLENT = Path(__file__).resolve().parents[2] / "data" / "ais" / "solent_dstl_20160112.csv.gz"

# Berthed at Cowes 13:07-13:21, away towards Southampton at 34-36 kn (last heard 13:23:09,
# 4.2 km from Cowes' point, silent until 14:01:33), berthed at Cowes again 14:08-14:18.
COWES_FAST_CRAFT = 235008564
# Portsmouth Harbour until 13:25:50, then 21 kn to Ryde Pier Head (50.7396 N 1.1595 W,
# 7.9 km from Portsmouth Harbour's nearest point), berthed there 13:35-13:49, back in the
# harbour's 4 km from 13:56:08.
RYDE_FAST_CAT = 235069877


def ms(hhmm: str) -> int:
    return int(datetime.fromisoformat(f"2016-01-12T{hhmm}:00+00:00").timestamp() * 1000)


@pytest.fixture(scope="module")
def calls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Event]]:
    store = open_store(tmp_path_factory.mktemp("solent") / "home")
    ingest_file(store, Source(SOLENT))
    engine = DuckDBEngine(store)
    yield detect(engine, default_params(), only=["port_call"])
    engine.close()


def test_moored_and_anchored_ships_make_one_open_call(calls: list[Event]) -> None:
    # 212890000: berthed in Portsmouth Harbour all 84 minutes; 236112059: at anchor in St
    # Helens Roads off Bembridge (0.3-0.6 kn of swing).
    found = {(e.mmsi, e.port): e for e in calls if e.mmsi in (212890000, 236112059)}
    assert sorted(found) == [(212890000, "Portsmouth Harbour"), (236112059, "Saint Helens")]
    assert found[(236112059, "Saint Helens")].details["anchorage"]["sublabel"] == "BEMBRIDGE"
    assert all(e.details["open_start"] and e.details["open"] for e in found.values())


def test_no_call_spans_a_fast_ferry_crossing(calls: list[Event]) -> None:
    # Before: one call from the first berthing to the second (away less than
    # max_away_hours, and Ryde Pier Head is 4.3 km from the nearest place). Now a reachable
    # departure and 15 minutes away end a call (min_trip_minutes), and berthings of 14-23
    # minutes are no calls (min_stop_minutes 30): tests/behaviour/test_port_call.py has
    # the round trip with longer berthings.
    for mmsi in (COWES_FAST_CRAFT, RYDE_FAST_CAT):
        spanning = [
            e for e in calls
            if e.mmsi == mmsi and e.start_ms <= ms("13:40") <= (e.end_ms or ms("23:59"))
        ]  # fmt: skip
        assert spanning == []
