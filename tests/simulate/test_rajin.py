"""The built-in "rajin" scenario: the documented vessels, their IMO numbers, dark shuttles."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq

from sanctionwatch.geo import find_port, haversine_m
from tests.simulate.conftest import Run, epoch

DOCUMENTED = {
    "ANGARA": 9179842,
    "LADY R": 9161003,
    "MAIA-1": 9358010,
    "MARIA": 8517839,
    "PATRIOT": 9003550,
    "CHON MA SAN": 8660313,
    "SAEBYOL": 8916293,
    "KUM UN SAN 3": 8705539,
    "EVER GLORY": 8909915,
    "YU JONG 2": 8604917,
}
SHUTTLES = ("angara", "maria", "lady-r", "maia-1")


def test_documented_vessels_with_their_imo_numbers(run: Run) -> None:
    documented = {v["identities"][0]["name"]: v for v in run.manifest["vessels"] if v["documented"]}
    assert {name: v["identities"][0]["imo"] for name, v in documented.items()} == DOCUMENTED
    for vessel in documented.values():
        assert vessel["sources"]
        assert "mmsi" in vessel["invented"]  # no source gives an MMSI
    for key in SHUTTLES:
        identity = run.vessel(key)["identities"][0]
        assert identity["flag"] == "RU" and str(identity["mmsi"]).startswith("273")
    assert run.vessel("maria")["identities"][0]["callsign"] == "UBRH7"  # OFAC SDN
    assert "callsign" not in run.vessel("maria")["invented"]


def test_truth_marks_invented_mmsis(run: Run) -> None:
    for event in run.events:
        if event["details"].get("vessel") in SHUTTLES:
            assert event["details"]["documented"] is True
            assert event["details"]["mmsi_invented"] is True


def test_shuttles_go_dark_some_tens_of_km_from_rajin(run: Run) -> None:
    rajin = find_port("Rajin")
    p = run.positions
    for key in SHUTTLES:
        index = run.vessel(key)["vessel"]
        rows = p["vessel"] == index
        distance = haversine_m(p["lat"][rows], p["lon"][rows], rajin.lat, rajin.lon)
        assert distance.min() > 30_000  # never seen near Rajin
    # Each dark period at Rajin starts and ends some tens of km out (the last report before
    # it and the first after it).
    checked = 0
    for key in SHUTTLES:
        index = run.vessel(key)["vessel"]
        rows = np.flatnonzero(p["vessel"] == index)
        for period in run.vessel(key)["dark_periods"]:
            if period["port"] != "Najin":
                continue
            before = rows[p["ts"][rows] < epoch(period["off"])]
            after = rows[p["ts"][rows] >= epoch(period["on"])]
            if before.size:
                off = haversine_m(p["lat"][before[-1]], p["lon"][before[-1]], rajin.lat, rajin.lon)
                assert 30_000 < off < 80_000
                checked += 1
            if after.size:
                on = haversine_m(p["lat"][after[0]], p["lon"][after[0]], rajin.lat, rajin.lon)
                assert 30_000 < on < 80_000
    assert checked >= len(SHUTTLES)
    dark_at_rajin = [
        event
        for event in run.of_type("gap")
        if any(cause.get("port") == "Najin" for cause in event["details"]["causes"])
    ]
    assert {event["details"]["vessel"] for event in dark_at_rajin} == set(SHUTTLES)


def test_rajin_calls_are_in_the_truth_but_not_in_the_ais(run: Run) -> None:
    calls = [e for e in run.of_type("port_call") if e["port"] == "Najin"]
    shuttle_calls = [e for e in calls if e["details"]["vessel"] in SHUTTLES]
    assert shuttle_calls
    assert not any(e["details"]["ais_visible"] for e in shuttle_calls)
    # A DPRK tanker at home transmits: a call at a watched port an analyst can see.
    assert any(e["details"]["ais_visible"] for e in calls if e["details"]["vessel"] == "yu-jong-2")
    loaded = [
        e
        for e in run.of_type("draught_change")
        if e["port"] == "Najin" and e["details"]["vessel"] in SHUTTLES
    ]
    assert loaded and all(e["details"]["to_m"] > e["details"]["from_m"] for e in loaded)


def test_dunai_calls_use_the_manual_gazetteer_entry(run: Run) -> None:
    calls = [e for e in run.of_type("port_call") if e["port"] == "Dunai"]
    assert calls
    assert all(e["details"]["port_source"] == "manual" for e in calls)
    assert {e["details"]["vessel"] for e in calls} <= {"angara", "maria"}


def test_everything_says_it_is_synthetic(run: Run) -> None:
    out = run.result.out_dir
    names = sorted(path.name for path in out.iterdir())
    assert all(
        name.startswith("synthetic-")
        for name in names
        if name not in ("README.txt", "manifest.json")
    )
    assert "SYNTHETIC DATA" in (out / "README.txt").read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["synthetic"] is True and "SYNTHETIC" in manifest["notice"]
    metadata = pq.read_schema(run.result.positions_path).metadata
    assert metadata[b"synthetic"] == b"true"
    listed = {entry["path"] for entry in manifest["files"]}
    assert listed == {name for name in names if name.startswith("synthetic-")}


def test_encounter_between_patriot_and_chon_ma_san(run: Run) -> None:
    (first, *_) = run.of_type("encounter")
    assert first["details"]["vessel"] == "patriot"
    assert first["details"]["other_vessel"] == "chon-ma-san"
    after = [
        e
        for e in run.of_type("gap")
        if e["details"]["vessel"] == "chon-ma-san" and epoch(e["start"]) >= epoch(first["end"])
    ]
    assert after and after[0]["details"]["gfw_likely_disabling"]
    assert np.isfinite(first["details"]["distance_from_shore_nm"])
