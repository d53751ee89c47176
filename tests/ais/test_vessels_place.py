"""`ais vessels` says where each vessel was last heard, as a place (issue 12).

Ports are places made of points (geo/places.py): Qingdao's old main harbour berth at
36.083 N 120.30 E lies 6 km from the World Port Index point of Qingdao Gang but about
120 m from a Global Fishing Watch anchorage point labelled QINGDAO, so a ship last heard
there is in Qingdao; a ship in mid Yellow Sea is far from every place.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sanctionwatch.cli import cli

HEADER = (
    "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,"
    "Length,Width,Draft,Cargo,TransceiverClass"
)
ROWS = [
    # Sails in over two days and ends moored at Qingdao's old main harbour.
    "412000001,2023-01-10T08:00:00,35.50000,121.50000,11.0,300.0,300.0,HAI XING,,BQRT,70,0,,,,,A",
    "412000001,2023-01-11T02:00:00,36.07000,120.33000,3.0,300.0,300.0,HAI XING,,BQRT,70,0,,,,,A",
    "412000001,2023-01-11T04:00:00,36.08300,120.30000,0.0,300.0,300.0,HAI XING,,BQRT,70,5,,,,,A",
    # Last heard under way in the middle of the Yellow Sea.
    "440000002,2023-01-11T01:00:00,35.00000,123.60000,12.0,90.0,90.0,SEA ONE,,DSAB,80,0,,,,,A",
    "440000002,2023-01-11T03:00:00,35.00000,124.00000,12.0,90.0,90.0,SEA ONE,,DSAB,80,0,,,,,A",
]


def _run(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    return result.exit_code, result.output


def _ingested(tmp_path: Path) -> Path:
    source = tmp_path / "two_ships.csv"
    source.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    home = tmp_path / "home"
    code, out = _run(home, "ais", "ingest", str(source))
    assert code == 0, out
    return home


def test_json_gives_the_last_position_and_the_place_it_lies_in(tmp_path: Path) -> None:
    home = _ingested(tmp_path)
    code, out = _run(home, "ais", "vessels", "--json")
    assert code == 0, out
    by_mmsi = {v["mmsi"]: v for v in map(json.loads, out.splitlines())}
    moored = by_mmsi[412000001]["last_heard"]
    assert (moored["lat"], moored["lon"]) == (36.083, 120.3)
    place = moored["place"]
    assert place["name"].upper().startswith("QINGDAO") and place["country"] == "CN"
    # Its nearest point is an anchorage labelled QINGDAO, not the WPI point 6 km away.
    assert place["anchorage"] == "QINGDAO" and place["distance_km"] < 1.0
    assert place["in_port"] is True
    at_sea = by_mmsi[440000002]["last_heard"]
    assert (at_sea["lat"], at_sea["lon"]) == (35.0, 124.0)
    assert at_sea["place"]["in_port"] is False and at_sea["place"]["distance_km"] > 50


def test_table_names_the_place(tmp_path: Path) -> None:
    home = _ingested(tmp_path)
    code, out = _run(home, "ais", "vessels", "--mmsi", "412000001")
    assert code == 0, out
    assert "last heard 2023-01-11T04:00:00Z at 36.083, 120.3: in Qingdao" in out
    code, out = _run(home, "ais", "vessels", "--mmsi", "440000002")
    assert code == 0, out
    assert "last heard 2023-01-11T03:00:00Z at 35.0, 124.0: at sea" in out
