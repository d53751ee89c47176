"""Berths spread over a large port: where its ships lie, as scenario data (issue 12).

A large port spreads over tens of kilometres (Global Fishing Watch's anchorage points
labelled QINGDAO span 35.57-36.27 N, 119.77-121.39 E); a scenario may list, per port of its
``[[ports]]``, the berths and anchorages its ships use (``berths = [[lat, lon, "label"],
...]``), so the generated traffic exercises ports as places, not one gazetteer point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sanctionwatch.errors import InputError
from sanctionwatch.geo import Port, haversine_m


class BadScenarioError(InputError):
    """A scenario file says something the generator cannot use."""


# A berth lies in its port's place: GFW's anchorage labels join a World Port Index port
# within 50 km of one of their points (geo/data/PROVENANCE.md), so farther is a slip.
BERTH_MAX_KM = 50.0


@dataclass(frozen=True, slots=True)
class Berth:
    """Where ships lie in a large port: a position (degrees) and what it is."""

    lat: float
    lon: float
    label: str


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_berths(scenario: str, entry: dict[str, Any], port: Port) -> tuple[Berth, ...]:
    """The ``berths`` of one ``[[ports]]`` entry: ``[[lat, lon, "label"], ...]``, checked."""
    listed = entry.get("berths", [])
    where = f"Scenario {scenario!r}, port {entry['port']!r}"
    if not isinstance(listed, list):
        raise BadScenarioError(f'{where}: berths must be a list of [lat, lon, "label"].')
    berths = []
    for number, item in enumerate(listed, start=1):
        shape = isinstance(item, list) and len(item) == 3
        if not (shape and _is_number(item[0]) and _is_number(item[1])):
            raise BadScenarioError(
                f'{where}: berth {number} is {item!r}; give [latitude, longitude, "label"] '
                "in degrees."
            )
        lat, lon, label = float(item[0]), float(item[1]), item[2]
        if not isinstance(label, str) or not label.strip():
            raise BadScenarioError(f"{where}: berth {number} {item!r} needs a label (text).")
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            raise BadScenarioError(
                f"{where}: berth {number} {item!r}: latitude must be within -90..90 and "
                "longitude within -180..180."
            )
        km = haversine_m(lat, lon, port.lat, port.lon) / 1e3
        if km > BERTH_MAX_KM:
            raise BadScenarioError(
                f"{where}: berth {number} {item!r} lies {km:.0f} km from {port.name}'s point; "
                f"a berth must be within {BERTH_MAX_KM:.0f} km of it."
            )
        berths.append(Berth(lat, lon, label.strip()))
    return tuple(berths)
