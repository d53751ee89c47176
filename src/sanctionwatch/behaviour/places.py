"""Where an event happened: distance to shore, and the nearest watched port."""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt

from sanctionwatch.geo.ports import Port, find_port, haversine_m, load_ports

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
    called at: both ends within ``max_km``, and there and back at ``max_speed_kn`` or less.

    DPRK ports first (a call there is what going dark hides), then by distance; with the
    farther of the two end distances in metres.
    """
    found = []
    for port in watched_ports():
        there = float(haversine_m(start[0], start[1], port.lat, port.lon))
        back = float(haversine_m(end[0], end[1], port.lat, port.lon))
        if max(there, back) > max_km * 1000:
            continue
        if hours > 0 and (there + back) / 1852 / hours <= max_speed_kn:
            found.append((port, max(there, back)))
    found.sort(key=lambda item: (item[0].country != "KP", item[1]))
    return found


def nearest_port(lat: float, lon: float) -> tuple[str, float] | None:
    """The nearest gazetteer port and its distance in metres."""
    names, lats, lons = _port_arrays()
    if not names:
        return None
    distances = haversine_m(lat, lon, lats, lons)
    best = int(np.argmin(distances))
    return names[best], float(distances[best])


@cache
def _port_arrays() -> tuple[list[str], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    ports = load_ports()
    lats = np.array([p.lat for p in ports], dtype=np.float64)
    lons = np.array([p.lon for p in ports], dtype=np.float64)
    return [p.name for p in ports], lats, lons


def shore_distance_m(lat: float, lon: float) -> float:
    from sanctionwatch.geo.shore import distance_to_shore_m

    return float(distance_to_shore_m(lat, lon))
