"""Where an event happened: distance to shore, and the nearest port or watched port.

Distances to a port are to its nearest point: its anchorage points as well as its gazetteer
point (``geo/places.py``), so encounters ("10 km or more from any port"), draught changes
placed in port and dark port calls see a large port as large as it is.
"""

from __future__ import annotations

from functools import cache

from sanctionwatch.geo.places import distance_to_place_m, nearest_place, place_key
from sanctionwatch.geo.ports import Port, find_port
from sanctionwatch.geo.units import METRES_PER_NM

# Ports whose calls matter for DPRK monitoring (issue 5, case notes): always reported.
WATCHED = ("Najin", "Ch'ongjin", "Nampo", "Songnim", "Vostochnyy", "Vladivostok", "Nakhodka",
           "Zarubino", "Dunai")  # fmt: skip


@cache
def watched_ports() -> tuple[Port, ...]:
    return tuple(find_port(name) for name in WATCHED)


def dark_call_ports(
    start: tuple[float, float],
    end: tuple[float, float],
    hours: float,
    max_km: float,
    max_speed_kn: float,
) -> list[tuple[Port, float]]:
    """Watched ports a vessel silent from ``start`` to ``end`` for ``hours`` could have
    called at: both ends within ``max_km`` of one of its points (anchorage or gazetteer
    point), and there and back at ``max_speed_kn`` or less.

    DPRK ports first (a call there is what going dark hides), then by distance; with the
    farther of the two end distances in metres.
    """
    found = []
    for port in watched_ports():
        there = distance_to_place_m(start[0], start[1], place_key(port))
        back = distance_to_place_m(end[0], end[1], place_key(port))
        if max(there, back) > max_km * 1000:
            continue
        if hours > 0 and (there + back) / METRES_PER_NM / hours <= max_speed_kn:
            found.append((port, max(there, back)))
    found.sort(key=lambda item: (item[0].country != "KP", item[1]))
    return found


def nearest_port(lat: float, lon: float) -> tuple[str, float] | None:
    """The nearest port (place) and the distance in metres to its nearest point."""
    near = nearest_place(lat, lon)
    return None if near is None else (near.place.name, near.metres)


def shore_distance_m(lat: float, lon: float) -> float:
    from sanctionwatch.geo.shore import distance_to_shore_m

    return float(distance_to_shore_m(lat, lon))
