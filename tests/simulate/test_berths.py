"""Berths spread over a large port's anchorages (issue 12): scenario data, where ships lie,
how they get there, and what the truth says."""

from __future__ import annotations

import copy
import dataclasses
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sanctionwatch.errors import InputError
from sanctionwatch.geo import find_port, haversine_m
from sanctionwatch.geo.places import nearest_place
from sanctionwatch.simulate import load_scenario, simulate
from sanctionwatch.simulate.berths import Berth
from sanctionwatch.simulate.land import land_mask
from sanctionwatch.simulate.plan import VesselPlan
from sanctionwatch.simulate.routes import Router
from sanctionwatch.simulate.scenario import scenario_from_toml
from tests.simulate.conftest import Run, read_run
from tests.simulate.test_reporting import spec

# The ports the issue names, and the scenario that places berths in each.
BERTH_PORTS = {
    "yellow_sea": ["Qingdao Gang", "Dalian"],
    "rajin": ["Vladivostok", "Nakhodka"],
    "east_china_sea": ["Busan"],
}
OLD_MAIN_HARBOUR = (36.083, 120.30)


def berths_of(scenario: str) -> dict[str, tuple[Berth, ...]]:
    return {port.name: berths for port, berths in load_scenario(scenario).berths}


def raw(scenario: str) -> dict[str, Any]:
    folder = resources.files("sanctionwatch.simulate").joinpath("scenarios")
    return tomllib.loads(folder.joinpath(f"{scenario}.toml").read_text("utf-8"))


@pytest.mark.parametrize("scenario", sorted(BERTH_PORTS))
def test_berths_spread_over_the_ports_anchorages(scenario: str) -> None:
    berths = berths_of(scenario)
    assert sorted(BERTH_PORTS[scenario]) == sorted(name for name in berths if berths[name])
    mask = land_mask()
    for name, listed in berths.items():
        port = find_port(name)
        assert 3 <= len(listed) <= 5
        distances = [haversine_m(b.lat, b.lon, port.lat, port.lon) for b in listed]
        # Spread across the place: most of them several km from the gazetteer point.
        assert sum(d > 4000 for d in distances) >= len(listed) - 1, name
        assert max(distances) > 9000, name
        for berth in listed:
            assert berth.label
            assert not mask.is_land(np.array([berth.lat]), np.array([berth.lon]))[0], berth
            # Each lies at an anchorage point of the port's own place (none nearer).
            near = nearest_place(berth.lat, berth.lon)
            assert near is not None
            assert near.place.name == port.name and near.metres < 500, berth


def test_qingdaos_old_main_harbour_is_a_berth() -> None:
    qingdao = berths_of("yellow_sea")["Qingdao Gang"]
    assert OLD_MAIN_HARBOUR in [(b.lat, b.lon) for b in qingdao]


@pytest.mark.parametrize(
    ("berths", "wanted"),
    [
        ([[36.083, 120.30]], "latitude, longitude"),
        ([[36.083, "120.30", "old main harbour"]], "latitude, longitude"),
        ([[36.083, 120.30, ""]], "label"),
        ([[96.0, 120.30, "north of the pole"]], "latitude"),
        ([[35.0, 123.5, "open sea"]], "km from"),
        ("36.083, 120.30", "a list"),
    ],
)
def test_a_bad_berth_is_refused_with_the_scenario_and_port(berths: Any, wanted: str) -> None:
    data = copy.deepcopy(raw("yellow_sea"))
    entry = next(e for e in data["ports"] if e["port"] == "CNQIN")
    entry["berths"] = berths
    with pytest.raises(InputError) as caught:
        scenario_from_toml(data, "yellow_sea")
    message = str(caught.value)
    assert "yellow_sea" in message and "CNQIN" in message and wanted in message


def test_a_port_without_berths_moors_near_its_point_as_before() -> None:
    plan = VesselPlan(spec("A"), Router(), 0, 36.0, 120.5)
    qingdao = find_port("Qingdao Gang")
    lat, lon = plan.berth(qingdao)
    assert haversine_m(lat, lon, qingdao.lat, qingdao.lon) < 310


def test_ships_lie_at_listed_berths_and_routes_end_there() -> None:
    berths = dict(load_scenario("yellow_sea").berths)
    qingdao, dalian = find_port("Qingdao Gang"), find_port("Dalian")
    mask = land_mask()
    router = Router()
    chosen = set()
    for index in range(12):
        ship = dataclasses.replace(spec("A"), index=index)
        plan = VesselPlan(ship, router, 0, 37.0, 122.0, berths=berths)
        for port in (qingdao, dalian):
            lat, lon = plan.berth(port)
            gaps = [haversine_m(lat, lon, b.lat, b.lon) for b in berths[port]]
            assert min(gaps) < 300
            assert plan.berth(port) == (lat, lon)  # the same place every call
            chosen.add((port.name, int(np.argmin(gaps))))
        # From a berth at Qingdao to one at Dalian, and out to sea: never across land.
        plan.moor(qingdao, 3600)
        route = plan.route_to(dalian.lat, dalian.lon, dalian)
        assert (route.lat[0], route.lon[0]) == plan.berth(qingdao)
        assert (route.lat[-1], route.lon[-1]) == plan.berth(dalian)
        t = np.linspace(0, route.length_m, int(route.length_m / 100))
        lat_path, lon_path, _ = route.at(t)
        assert not mask.is_land(lat_path, lon_path).any(), index
    # Ships spread over the berths, not all at one.
    assert len({c for c in chosen if c[0] == "Qingdao Gang"}) >= 3


@pytest.fixture(scope="module")
def yellow_sea(tmp_path_factory: pytest.TempPathFactory) -> Run:
    out: Path = tmp_path_factory.mktemp("berths")
    return read_run(
        simulate(out, scenario="yellow_sea", days=2.0, vessels=50, seed=21, formats=["nmea"])
    )


def test_port_calls_at_berth_ports_lie_at_a_berth(yellow_sea: Run) -> None:
    berths = berths_of("yellow_sea")
    calls = [e for e in yellow_sea.of_type("port_call") if e["port"] in ("Qingdao Gang", "Dalian")]
    assert len(calls) >= 6
    for call in calls:
        listed = berths[call["port"]]
        label = call["details"]["berth"]
        [berth] = [b for b in listed if b.label == label]
        assert haversine_m(call["lat"], call["lon"], berth.lat, berth.lon) < 300
    # Calls elsewhere keep the old berth near the port point, and name no berth.
    others = [e for e in yellow_sea.of_type("port_call") if e["port"] not in berths]
    assert others and not any("berth" in e["details"] for e in others)
    for call in others:
        port = find_port(call["details"]["locode"] or call["port"])
        assert haversine_m(call["lat"], call["lon"], port.lat, port.lon) < 310


def test_ships_sail_to_berths_at_sea(yellow_sea: Run) -> None:
    p = yellow_sea.positions
    berths = [b for listed in berths_of("yellow_sea").values() for b in listed]
    blat = np.array([b.lat for b in berths])
    blon = np.array([b.lon for b in berths])
    near = np.zeros(p["lat"].shape, dtype=bool)
    for lat, lon in zip(blat, blon, strict=True):
        near |= haversine_m(p["lat"], p["lon"], lat, lon) < 30_000
    assert near.sum() > 1000
    # Within 30 km of Qingdao's and Dalian's berths, no position is on land.
    assert not land_mask().is_land(p["lat"][near], p["lon"][near]).any()
