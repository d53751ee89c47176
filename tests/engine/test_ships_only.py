"""The engines' ``positions`` view holds ships only: an aid to navigation moored in a port
(MMSI 99...) got port calls and gaps on real traffic (issue 12); detectors are for ships."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.mid import NON_SHIP_MMSI_RANGES, mmsi_info
from sanctionwatch.ais.store import open_store
from sanctionwatch.behaviour.params import default_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.engine.duckdb import DuckDBEngine

HEADER = (
    "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,"
    "Length,Width,Draft,Cargo,TransceiverClass\n"
)
SHIP, BUOY, SART = 273316470, 992736001, 970012345
VLADIVOSTOK = (43.1, 131.9)  # a few hundred metres from WPI's point for Vladivostok


def _csv(path: Path) -> Path:
    start = datetime(2023, 10, 1, tzinfo=UTC)
    rows = [HEADER]
    for minutes in range(0, 12 * 60, 10):  # 12 h moored, every 10 min
        ts = (start + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S")
        lat, lon = VLADIVOSTOK
        rows.append(f"{SHIP},{ts},{lat},{lon},0.0,0.0,0,ANGARA,,UBCP3,70,5,120,16,6.6,,A\n")
        rows.append(f"{BUOY},{ts},{lat + 0.001},{lon},0.0,0.0,0,BUOY 1,,,0,,,,,,A\n")
        rows.append(f"{SART},{ts},{lat},{lon + 0.001},0.0,0.0,0,,,,0,,,,,,A\n")
    path.write_text("".join(rows), encoding="utf-8")
    return path


def test_the_ranges_are_the_non_ship_kinds() -> None:
    kinds = {mmsi_info(low).kind for low, _, _ in NON_SHIP_MMSI_RANGES}
    assert "ship" not in kinds and "aid to navigation" in kinds
    assert mmsi_info(SHIP).kind == "ship"


def test_an_aid_to_navigation_gets_no_port_call(tmp_path: Path) -> None:
    store = open_store(tmp_path / "home")
    ingest_file(store, Source(_csv(tmp_path / "moored.csv")))
    engine = DuckDBEngine(store)
    try:
        seen = {row["mmsi"] for row in engine.query("SELECT DISTINCT mmsi FROM positions")}
        events = detect(engine, default_params(), only=["port_call", "gap", "loitering"])
    finally:
        engine.close()
    assert seen == {SHIP}
    calls = [e for e in events if e.type == "port_call"]
    assert [e.mmsi for e in calls] == [SHIP]
    assert {e.mmsi for e in events} == {SHIP}
