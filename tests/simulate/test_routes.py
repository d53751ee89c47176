"""Sea routes stay at sea; generated positions are never on land away from a port."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import searoute

from sanctionwatch.geo import find_port, haversine_m
from sanctionwatch.simulate import load_scenario
from sanctionwatch.simulate.land import land_mask
from sanctionwatch.simulate.routes import Router
from tests.simulate.conftest import Run

PORTS = [
    "Najin",
    "Vostochnyy",
    "Dunai",
    "Vladivostok",
    "Ch'ongjin",
    "Busan",
    "Niigata Ko",
    "Sakaiminato",
    "Zarubino",
    "Otaru Ko",
    "Qingdao Gang",
]


def test_land_mask_knows_land_from_sea() -> None:
    mask = land_mask()
    lat = np.array([40.0, 38.0, 45.0, 36.0, 41.0])
    lon = np.array([134.0, 131.0, 128.0, 138.0, 131.5])
    assert mask.is_land(lat, lon).tolist() == [False, False, True, True, False]
    # The middle of the Sea of Japan is far from any coast; Rajin's port point is on it.
    assert mask.distance_to_shore_m(np.array([40.0]), np.array([134.0]))[0] > 100_000
    rajin = find_port("Rajin")
    assert mask.distance_to_shore_m(np.array([rajin.lat]), np.array([rajin.lon]))[0] < 5_000


@pytest.fixture(scope="module")
def router() -> Router:
    return Router()


def test_routes_between_ports_do_not_cross_land(router: Router) -> None:
    mask = land_mask()
    for a, b in itertools.combinations([find_port(name) for name in PORTS], 2):
        route = router.route((a.lat, a.lon), (b.lat, b.lon))
        # Sample between the vertices too, as positions are interpolated there.
        t = np.linspace(0, route.length_m, max(50, int(route.length_m / 500)))
        lat, lon, _ = route.at(t)
        away = (haversine_m(lat, lon, a.lat, a.lon) > 5_000) & (
            haversine_m(lat, lon, b.lat, b.lon) > 5_000
        )
        assert not (mask.is_land(lat, lon) & away).any(), (a.name, b.name)


def test_routes_cut_out_the_network_detours(router: Router) -> None:
    rajin, vostochnyy = find_port("Rajin"), find_port("Vostochnyy")
    mended = router.route((rajin.lat, rajin.lon), (vostochnyy.lat, vostochnyy.lon)).length_m
    raw = searoute.searoute(
        [rajin.lon, rajin.lat], [vostochnyy.lon, vostochnyy.lat], append_orig_dest=True
    )
    straight = haversine_m(rajin.lat, rajin.lon, vostochnyy.lat, vostochnyy.lon)
    assert straight < mended < raw["properties"]["length"] * 1000 * 0.9


def test_reversed_routes_are_the_same_path(router: Router) -> None:
    a, b = find_port("Busan"), find_port("Vladivostok")
    there = router.route((a.lat, a.lon), (b.lat, b.lon))
    back = router.route((b.lat, b.lon), (a.lat, a.lon))
    assert back.length_m == pytest.approx(there.length_m)
    assert np.allclose(back.lat[::-1], there.lat)


def test_generated_positions_are_at_sea(run: Run) -> None:
    p = run.positions
    land = land_mask().is_land(p["lat"], p["lon"])
    ports = [port for port, _ in load_scenario("rajin").ports]
    ports += [find_port(name) for name in ("Najin", "Ch'ongjin", "Dunai", "Pos'yet")]
    ports += [find_port(v["home"]) for v in run.manifest["vessels"]]
    near_port = np.zeros(land.size, dtype=bool)
    for port in ports:
        near_port |= haversine_m(p["lat"], p["lon"], port.lat, port.lon) < 6_000
    assert not (land & ~near_port).any()
