"""Distance to shore from the bundled 0.05-degree grid, checked against known geography.

Land points below are published coordinates (rounded to about 0.01 degree) of the land
nearest each sea point; the grid must agree with a haversine to them within 3 km (the
islands' own size plus the grid's error). Nothing here needs global-land-mask or scipy.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sanctionwatch.geo import haversine_m
from sanctionwatch.geo.shore import distance_to_shore_m, shore_grid

CAP_M = 1_000_000.0
NM = 1852.0

# (sea point, its nearest land, what that land is)
NEAREST_LAND = [
    ((40.0, 135.0), (37.85, 136.917), "Hegura-jima, off the Noto Peninsula (Sea of Japan)"),
    ((65.5, -169.5), (65.767, -169.067), "Big Diomede, Bering Strait"),
    ((60.0, -179.9), (62.27, 179.13), "Cape Navarin, Chukotka: across the antimeridian"),
    ((0.0, -160.0), (-0.367, -160.017), "Jarvis Island: 0 N 160 W is not open ocean"),
    ((-30.0, -130.0), (-25.067, -130.1), "Pitcairn Island"),
    ((37.5, 131.5), (37.242, 131.867), "Liancourt Rocks (Dokdo / Takeshima)"),
]


@pytest.mark.parametrize(("sea", "land", "what"), NEAREST_LAND, ids=[n[2] for n in NEAREST_LAND])
def test_distance_matches_a_haversine_to_the_known_nearest_land(
    sea: tuple[float, float], land: tuple[float, float], what: str
) -> None:
    expected = haversine_m(*sea, *land)
    assert abs(distance_to_shore_m(*sea) - expected) < 3_000.0, what


def test_middle_of_the_sea_of_japan_is_far_from_shore() -> None:
    distance = distance_to_shore_m(40.0, 135.0)
    assert distance > 100_000.0
    assert distance > 50 * NM  # a gap starting here is "likely deliberate" (GFW)


def test_rajin_port_is_at_the_shore() -> None:
    assert distance_to_shore_m(42.2333, 130.30) < 3_000.0


def test_pyongyang_is_on_land() -> None:
    assert distance_to_shore_m(39.03, 125.75) == 0.0


def test_open_pacific_is_at_the_cap() -> None:
    # Point Nemo, the oceanic pole of inaccessibility (48.877 S, 123.393 W): about 2,690 km
    # from Ducie, Motu Nui and Maher Island. 35 N 150 W lies between Hawaii and California,
    # more than 1,500 km from either.
    assert distance_to_shore_m(-48.877, -123.393) == CAP_M
    assert distance_to_shore_m(35.0, -150.0) == CAP_M


def test_bering_strait_mirror_point_is_in_chukotka() -> None:
    # 65.5 N 169.5 W is sea between the Diomedes and Chukotka; 169.5 E is inland Chukotka.
    assert 30_000.0 < distance_to_shore_m(65.5, -169.5) < 40_000.0
    assert distance_to_shore_m(65.5, 169.5) == 0.0


@pytest.mark.parametrize("lat", [-17.0, 51.5, 60.0, 65.0])
def test_continuous_across_the_antimeridian(lat: float) -> None:
    assert distance_to_shore_m(lat, 180.0) == distance_to_shore_m(lat, -180.0)
    east, west = distance_to_shore_m(lat, 179.999), distance_to_shore_m(lat, -179.999)
    assert abs(east - west) < 200.0  # 222 m apart at most


def _nearest_land_node_m(lat: float, lon: float, radius_m: float) -> float:
    """Brute force: haversine from the point to every land node of the grid nearby."""
    grid = shore_grid()
    n_lat, n_lon = grid.distance.shape
    node_lat = grid.north_deg - (np.arange(n_lat) + 0.5) * grid.step_deg
    node_lon = grid.west_deg + (np.arange(n_lon) + 0.5) * grid.step_deg
    reach_deg = math.degrees(radius_m / 6_371_008.8) + 2 * grid.step_deg
    rows = np.abs(node_lat - lat) <= reach_deg
    wrapped_lon = (node_lon - lon + 180.0) % 360.0 - 180.0
    cos_lat = math.cos(math.radians(min(abs(lat) + reach_deg, 89.0)))
    columns = np.abs(wrapped_lon) <= reach_deg / cos_lat
    land_rows, land_columns = np.nonzero(grid.distance[np.ix_(rows, columns)] == 0)
    return float(
        haversine_m(lat, lon, node_lat[rows][land_rows], node_lon[columns][land_columns]).min()
    )


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (36.0, 124.0),  # Yellow Sea, to Shandong
        (56.0, 3.0),  # North Sea, to Yorkshire
        (41.5, 131.5),  # off Rason and Primorye
        (60.0, -179.9),  # to Chukotka, across the antimeridian
        (-60.0, -50.0),  # Scotia Sea, to the South Orkneys
    ],
)
def test_agrees_with_a_brute_force_over_the_grids_land_nodes(lat: float, lon: float) -> None:
    distance = distance_to_shore_m(lat, lon)
    brute = _nearest_land_node_m(lat, lon, distance + 50_000.0)
    # The nearest land node can be up to half a node diagonal (3.9 km) farther than the
    # nearest 1-km land pixel, and at most 0.7 km nearer (a node is land if a pixel touching
    # it is), plus interpolation.
    assert brute - 4_000.0 <= distance <= brute + 1_000.0


def test_exact_at_the_grid_nodes() -> None:
    grid = shore_grid()
    rows = np.array([0, 1000, 1040, 2000, 3599])
    columns = np.array([0, 6199, 6299, 3600, 7199])
    lat = grid.north_deg - (rows + 0.5) * grid.step_deg
    lon = grid.west_deg + (columns + 0.5) * grid.step_deg
    expected = grid.distance[rows, columns] * grid.unit_m
    assert np.abs(distance_to_shore_m(lat, lon) - expected).max() < 0.01  # float rounding
    assert len(set(expected.tolist())) == 5  # land, open sea and mid-range all covered


def test_a_distance_never_changes_faster_than_the_position() -> None:
    # A true distance field changes by at most the distance moved. A transform done in
    # degrees would break this east-west at high latitude (by 1 / cos(lat)). Bilinear
    # interpolation can steepen the field a little inside one cell: allow 1 km.
    rng = np.random.default_rng(7)
    lat = rng.uniform(-80.0, 80.0, 50_000)
    lon = rng.uniform(-180.0, 180.0, 50_000)
    heading = rng.uniform(0.0, 2 * np.pi, 50_000)
    step_deg = 10_000.0 / 111_195.0
    lat2 = lat + step_deg * np.sin(heading)
    lon2 = (lon + step_deg * np.cos(heading) / np.cos(np.radians(lat)) + 180.0) % 360.0 - 180.0
    moved = haversine_m(lat, lon, lat2, lon2)
    change = np.abs(distance_to_shore_m(lat, lon) - distance_to_shore_m(lat2, lon2))
    assert np.all(change <= moved + 1_000.0)
    assert np.count_nonzero(change > 0) > 20_000  # most pairs are at sea, below the cap


def test_vectorised_broadcast_and_scalar_agree() -> None:
    lat = np.array([[40.0, 39.03], [65.5, -48.877]])
    lon = np.array([[135.0, 125.75], [-169.5, -123.393]])
    result = distance_to_shore_m(lat, lon)
    assert result.shape == (2, 2)
    assert result.dtype == np.float64
    expected = [
        [distance_to_shore_m(float(a), float(b)) for a, b in zip(r, s, strict=True)]
        for r, s in zip(lat, lon, strict=True)
    ]
    assert result.tolist() == expected
    assert isinstance(distance_to_shore_m(40.0, 135.0), float)
    row = distance_to_shore_m(np.array([40.0, 41.0, 42.0]), 135.0)
    assert row.shape == (3,)


def test_positions_that_are_not_positions_give_nan() -> None:
    # AIS sends 91 / 181 for "not available".
    result = distance_to_shore_m(
        np.array([91.0, 40.0, np.nan, -90.5, 40.0]), np.array([181.0, 181.0, 135.0, 0.0, np.inf])
    )
    assert np.isnan(result).all()
    assert math.isnan(distance_to_shore_m(91.0, 181.0))
    assert not math.isnan(distance_to_shore_m(90.0, 180.0))
    assert not math.isnan(distance_to_shore_m(-90.0, -180.0))


def test_grid_is_the_documented_shape_and_units() -> None:
    grid = shore_grid()
    assert grid.distance.shape == (3600, 7200)
    assert (grid.step_deg, grid.unit_m, grid.cap_m) == (0.05, 100.0, CAP_M)
    assert int(grid.distance.max()) == CAP_M / grid.unit_m
    assert 0.25 < np.mean(grid.distance == 0) < 0.4  # land is 29 % of the Earth, plus lakes
