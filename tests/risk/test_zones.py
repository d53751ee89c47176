"""Transfer zones: the bundled GeoJSON, point in polygon, and loitering inside them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from sanctionwatch.errors import InputError
from sanctionwatch.risk.model import score_vessels
from sanctionwatch.risk.params import default_risk_params
from sanctionwatch.risk.zones import Zone, default_zones, load_zones, point_in_zone
from tests.risk.support import CLEAN_A, event, vessel

# Off Cho-do, at the approach to Nampo, and the middle of the Gulf of Tonkin.
OFF_NAMPO = (38.55, 124.95)
GULF_OF_TONKIN = (19.8, 107.5)
# The open Pacific east of Japan: in no zone.
PACIFIC = (35.0, 150.0)


def test_bundled_zones_are_the_four_areas_each_with_a_source() -> None:
    zones = default_zones()
    assert [z.name for z in zones] == ["Korea Bay", "Off Nampo", "East China Sea", "Gulf of Tonkin"]
    for zone in zones:
        assert zone.source
    names = {z.name for z in zones if point_in_zone(*OFF_NAMPO, z)}
    assert names == {"Off Nampo"}
    assert {z.name for z in zones if point_in_zone(*GULF_OF_TONKIN, z)} == {"Gulf of Tonkin"}
    assert not any(point_in_zone(*PACIFIC, z) for z in zones)


def test_ray_casting_on_a_concave_polygon_with_a_hole() -> None:
    # A "U": the notch between its arms is outside; a hole in the left arm is outside too.
    u = Zone(
        "U",
        "test",
        (
            (
                (0.0, 0.0),
                (3.0, 0.0),
                (3.0, 3.0),
                (2.0, 3.0),
                (2.0, 1.0),
                (1.0, 1.0),
                (1.0, 3.0),
                (0.0, 3.0),
            ),
            ((0.2, 2.0), (0.8, 2.0), (0.8, 2.5), (0.2, 2.5)),
        ),
    )
    # point_in_zone takes (lat, lon); the rings are (lon, lat) as GeoJSON has them.
    assert point_in_zone(0.5, 0.5, u)
    assert point_in_zone(2.0, 2.5, u)
    assert not point_in_zone(2.0, 1.5, u)  # in the notch
    assert not point_in_zone(2.2, 0.5, u)  # in the hole
    assert not point_in_zone(4.0, 0.5, u)


def test_loitering_inside_a_zone_scores_outside_does_not() -> None:
    params = default_risk_params()
    inside = event("loitering", CLEAN_A, 0, 8, where=OFF_NAMPO, hours=8.0)
    outside = event("loitering", CLEAN_A, 20, 28, where=PACIFIC, hours=8.0)
    [risk] = score_vessels([vessel(CLEAN_A)], [inside, outside], [], [], params)
    [factor] = risk.factors
    assert factor.factor == "loitering_zone"
    assert factor.points == params["loitering_zone"]["points"]
    assert "Off Nampo" in factor.reason
    assert [e["start"] for e in factor.evidence] == ["2024-01-01T00:00:00Z"]
    [none] = score_vessels([vessel(CLEAN_A)], [outside], [], [], params)
    assert none.factors == ()


def zones_file(path: Path, properties: dict[str, str], ring: Sequence[Sequence[float]]) -> Path:
    """A GeoJSON file of one polygon zone."""
    feature = {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def test_user_zones_file(tmp_path: Path) -> None:
    ring = [[149, 34], [151, 34], [151, 36], [149, 36], [149, 34]]
    path = zones_file(tmp_path / "zones.geojson", {"name": "Box", "source": "our choice"}, ring)
    zones = load_zones(path)
    assert [z.name for z in zones] == ["Box"]
    assert point_in_zone(*PACIFIC, zones[0])
    params = default_risk_params()
    loiter = event("loitering", CLEAN_A, 0, 8, where=PACIFIC, hours=8.0)
    [risk] = score_vessels([vessel(CLEAN_A)], [loiter], [], [], params, zones=zones)
    assert [f.factor for f in risk.factors] == ["loitering_zone"]


def test_a_zone_without_a_source_is_refused(tmp_path: Path) -> None:
    ring = [[0, 0], [1, 0], [1, 1], [0, 0]]
    path = zones_file(tmp_path / "zones.geojson", {"name": "Box"}, ring)
    with pytest.raises(InputError, match=r"Box.*source"):
        load_zones(path)
