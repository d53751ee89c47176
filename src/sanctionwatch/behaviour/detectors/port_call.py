"""Port calls: a vessel comes within ``enter_km`` (3 km) of any point of a port, stops
(below ``stopped_kn``, 0.2 kn) and stays within ``leave_km`` (4 km) of one of its points
until it leaves (GFW's port-visit rule, against the place: ``geo/places.py``). A port is a
place made of points: its Global Fishing Watch anchorage points plus its World Port Index
point (or the manual entry, such as Dunai); the event names the place and the anchorage
point it came closest to (``details.anchorage``: label, sublabel, kind, distance_km).

Spatial join by grid keys plus haversine, with no spatial extension: each point is listed
under every 0.01-degree cell (about 1 km) its ``leave_km`` circle touches (computed in Python
with numpy, with the antimeridian wrapped and cells narrowing towards the poles), and each
position looks up its own cell. Large ports have hundreds of points a few hundred metres
apart, so within one cell only the points of a place that can be its nearest for some
position in the cell are kept (a point farther from the whole cell than another point of the
same place is at most is dropped): the nearest point stays exact and a position in a dense
anchorage meets a handful of rows, not hundreds. The cells are small for that reason: at
0.05 degrees a position at Busan met 45 rows on average and the query took three times as
long. Places are numbered in the table (``place``, ``point``: indexes into
``geo.places.place_points()``); the events name them. Calls at watched ports
are marked ``watched``.

A call is the vessel's positions near one port until it is seen away from it (beyond
``leave_km``) for more than ``max_away_hours`` (1 h), or is silent there for more than
``max_silence_hours`` (12 h). Positions elsewhere between two near the port in less than
an hour do not end it: two ships sharing one MMSI (one moored at Pohang, the other at
Ch'ongjin, in the rajin scenario) would otherwise cut each call into dozens. A departure
the vessel could make (its next position, away from every port, reachable at
``max_shuttle_speed_kn``) and an absence of ``min_trip_minutes`` (15) or more do end it: a
fast ferry's 30-minute round trip to a pier no gazetteer knows was inside one call. So does
a stop at another port in between that the vessel could have sailed to: a ferry shuttling
every half hour between Helsingør and Helsingborg, 4.4 km apart, made one 6.7 h "call" at
Helsingborg overlapping its calls at Helsingør; passing another place's point without
stopping there (a tanker crossing Miraflores Lake at 4 kn, 300 m from a point of "Panama
Canal Anchorage") does not. A call needs ``min_stop_minutes`` (30) still (at or below
``moving_kn``, 0.5 kn, GFW's end of a port stop; each still position counts until the next
position): a ship lies 10-20 minutes in a lock chamber of the Panama Canal, whose chambers
hold GFW anchorage points. The event's position is where the vessel was when closest to the
port's points (its berth or anchorage), not the place's reference point. A vessel
still in port when the data ends (its last position near the port, within
``max_silence_hours`` of the end) gives an open call (end null; ``hours`` so far), which a
later run closes. One already in port when the data begins (its first position there,
within ``max_silence_hours`` of the start) has ``open_start``: its arrival was not seen, and
``start`` is when it was first seen (half the calls of a real 84-minute Solent excerpt).
"""

from __future__ import annotations

import math
from functools import cache
from typing import cast

import numpy as np
import numpy.typing as npt

from sanctionwatch.behaviour.detectors.base import Detector, Row, Window, render_sql
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.places import watched_ports
from sanctionwatch.geo.places import PlacePoints, place_key, place_points
from sanctionwatch.geo.units import KNOT_M_PER_MS, METRES_PER_DEGREE, MS_PER_HOUR, hours_ms

CELL_DEG = 0.01
# Slack on the flat-earth box distances used to prune points (metres, and a share).
_SLACK_M, _SLACK = 30.0, 1.01
_BATCH_POINTS = 4000  # points per batch: bounds the memory of the cell table's making


@cache
def port_cells(radius_km: float) -> dict[str, list[object]]:
    """Columns of the ``port_cells`` table: (cell_lat, cell_lon) -> place point, for every
    cell within ``radius_km`` of the point (a bounding box in cells, generous by one cell),
    less the points another point of the same place beats everywhere in the cell."""
    return cells_for(place_points(), radius_km * 1000)


def cells_for(points: PlacePoints, radius_m: float) -> dict[str, list[object]]:
    """The ``port_cells`` columns for ``points``, worked out a few thousand points at a time
    (whole places per batch, so the pruning within a place sees all of its points)."""
    by_place = np.argsort(points.place, kind="stable")
    boundaries = np.nonzero(np.diff(points.place[by_place]))[0] + 1
    batches = np.split(by_place, boundaries)
    kept: list[tuple[npt.NDArray[np.int64], ...]] = []
    batch: list[npt.NDArray[np.int64]] = []
    for i, members in enumerate(batches):
        batch.append(members)
        if sum(len(m) for m in batch) >= _BATCH_POINTS or i == len(batches) - 1:
            kept.append(_cells_of(points, np.concatenate(batch), radius_m))
            batch = []
    point = np.concatenate([k[0] for k in kept]) if kept else np.zeros(0, dtype=np.int64)
    columns = {
        "cell_lat": np.concatenate([k[1] for k in kept]).astype(np.int32) if kept else point,
        "cell_lon": np.concatenate([k[2] for k in kept]).astype(np.int32) if kept else point,
        "place": points.place[point].astype(np.int32),
        "point": point.astype(np.int32),
        "point_lat": points.lat[point],
        "point_lon": points.lon[point],
    }
    # Numpy columns go to Arrow without a Python object per value (pa.table takes them).
    return cast(dict[str, list[object]], columns)


def _cells_of(
    points: PlacePoints, idx: npt.NDArray[np.int64], radius_m: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(point, cell_lat, cell_lon) kept for the points ``idx`` (whole places)."""
    per_turn = round(360 / CELL_DEG)
    lat_cells = math.ceil(radius_m / (METRES_PER_DEGREE * CELL_DEG)) + 1
    cos_lat = np.maximum(np.cos(np.radians(points.lat[idx])), 0.01)
    lon_cells = np.ceil(radius_m / (METRES_PER_DEGREE * CELL_DEG * cos_lat)).astype(np.int64) + 1
    lon_cells = np.minimum(lon_cells, per_turn // 2)
    base_lat = np.floor(points.lat / CELL_DEG).astype(np.int64)
    base_lon = np.floor(points.lon / CELL_DEG).astype(np.int64)
    parts: list[tuple[npt.NDArray[np.int64], ...]] = []
    for width in np.unique(lon_cells):
        group = idx[lon_cells == width]
        dy, dx = np.meshgrid(np.arange(-lat_cells, lat_cells + 1), np.arange(-width, width + 1))
        point = np.repeat(group, dy.size)
        parts.append((point, base_lat[point] + np.tile(dy.ravel(), group.size),
                      base_lon[point] + np.tile(dx.ravel(), group.size)))  # fmt: skip
    point = np.concatenate([p[0] for p in parts])
    cell_lat = np.concatenate([p[1] for p in parts])
    cell_lon = np.concatenate([p[2] for p in parts])  # unwrapped: distances need it so
    near, far = _box_distances(points, point, cell_lat, cell_lon)
    polar = np.abs(points.lat[point]) > 80  # the flat-earth box is too rough there: keep all
    keep = (near <= radius_m * _SLACK + _SLACK_M) | polar
    point, cell_lat, cell_lon = point[keep], cell_lat[keep], cell_lon[keep]
    near, far, polar = near[keep], far[keep], polar[keep]
    cell_lon = (cell_lon + per_turn // 2) % per_turn - per_turn // 2
    # Within each (cell, place), the smallest "farthest distance" bounds the place's
    # distance anywhere in the cell: points nearer than that nowhere in it never win.
    place = points.place[point]
    key = ((cell_lat + per_turn) * per_turn + cell_lon + per_turn) * len(points.places) + place
    order = np.argsort(key)
    ordered = key[order]
    starts = np.nonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))[0]
    bound = np.minimum.reduceat(far[order], starts)
    bound_of = np.repeat(bound, np.diff(np.append(starts, order.size)))
    keep = np.empty(order.size, dtype=bool)
    keep[order] = (near[order] <= bound_of * _SLACK + _SLACK_M) | polar[order]
    return point[keep], cell_lat[keep], cell_lon[keep]


def _box_distances(
    points: PlacePoints,
    point: npt.NDArray[np.int64],
    cell_lat: npt.NDArray[np.int64],
    cell_lon: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Nearest and farthest distance (metres, flat earth at the point) from each point to
    each cell's box; the caller allows some slack."""
    lat, lon = points.lat[point], points.lon[point]
    south, west = cell_lat * CELL_DEG, cell_lon * CELL_DEG
    north, east = south + CELL_DEG, west + CELL_DEG
    scale = np.cos(np.radians(lat))
    dy_near = np.maximum(np.maximum(south - lat, lat - north), 0.0)
    dx_near = np.maximum(np.maximum(west - lon, lon - east), 0.0) * scale
    dy_far = np.maximum(np.abs(south - lat), np.abs(north - lat))
    dx_far = np.maximum(np.abs(west - lon), np.abs(east - lon)) * scale
    near = np.hypot(dy_near, dx_near) * METRES_PER_DEGREE
    far = np.hypot(dy_far, dx_far) * METRES_PER_DEGREE
    return near, far


def sql(params: dict[str, float], window: Window) -> str:
    """The query of ``behaviour/sql/port_call.sql.j2`` with this run's parameters."""
    return render_sql(
        "port_call",
        window=window.where(),
        cell_deg=CELL_DEG,
        enter_m=params["enter_km"] * 1000,
        leave_m=params["leave_km"] * 1000,
        silence_ms=hours_ms(params["max_silence_hours"]),
        away_ms=hours_ms(params["max_away_hours"]),
        trip_ms=hours_ms(params["min_trip_minutes"] / 60),
        min_stop_ms=hours_ms(params["min_stop_minutes"] / 60),
        stopped_kn=float(params["stopped_kn"]),
        moving_kn=float(params["moving_kn"]),
        # metres a vessel may cover per millisecond between two ports (a fast ferry)
        reach_m_per_ms=params["max_shuttle_speed_kn"] * KNOT_M_PER_MS,
    )


def events(rows: list[Row], params: dict[str, float]) -> list[Event]:
    points = place_points()
    watched = {place_key(port) for port in watched_ports()}
    silence_ms = hours_ms(params["max_silence_hours"])
    out = []
    for row in rows:
        place = points.places[int(row["port"])]
        start, last = int(row["start_ms"]), int(row["end_ms"])
        # Still in port when the data ends (its last position is the vessel's last, within
        # max_silence_hours of the end): the call is open (end null), as gaps are.
        still = last == int(row["vessel_last"]) and int(row["data_end"]) - last <= silence_ms
        # Already there when the data begins (the vessel's first position, within
        # max_silence_hours of the start): the arrival was not seen, so the call is open at
        # its start; ``start`` is when it was first seen.
        first = int(row["first_ms"])
        already = first == int(row["vessel_first"]) and first - int(row["data_start"]) <= silence_ms
        closest_km = round(float(row["closest_m"]) / 1000, 2)
        point = int(row["closest_point"])
        details = {
            "hours": round((last - start) / MS_PER_HOUR, 2),
            "open": still,
            "open_start": already,
            "country": place.country,
            "locode": place.locode,
            "watched": place.key in watched,
            "closest_km": closest_km,
            "anchorage": {
                "label": points.label[point] or place.name,
                "sublabel": points.sublabel[point],
                "kind": points.kind[point],
                "distance_km": closest_km,
            },
            "positions": int(row["positions"]),
            "stopped_positions": int(row["stopped_positions"]),
            "stopped_hours": round(int(row["stopped_ms"]) / MS_PER_HOUR, 2),
        }
        # Where the vessel was when closest to the port's points (its berth or anchorage),
        # not the place's reference point, which can lie tens of km away at a large port.
        out.append(Event("port_call", int(row["mmsi"]), start, None if still else last,
                         float(row["closest_lat"]), float(row["closest_lon"]),
                         port=place.name, details=details))  # fmt: skip
    return out


DETECTOR = Detector(
    name="port_call",
    sql=sql,
    events=events,
    tables=lambda p: {"port_cells": port_cells(p["leave_km"])},
)
