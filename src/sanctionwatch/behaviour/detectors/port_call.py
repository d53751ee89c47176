"""Port calls: a vessel comes within ``enter_km`` (3 km) of a port, stops (below
``stopped_kn``, 0.2 kn) and stays within ``leave_km`` (4 km) until it leaves (GFW's
port-visit rule), against every World Port Index port and the manual entries (Dunai).

Spatial join by grid keys plus haversine, with no spatial extension: each port is listed
under every 0.05-degree cell its ``leave_km`` circle touches (computed in Python, with the
antimeridian wrapped and cells narrowing towards the poles), and each position looks up
its own cell. Calls at watched ports are marked ``watched``.

A call is the vessel's positions near one port until it is seen away from it (beyond
``leave_km``) for more than ``max_away_hours`` (1 h), or is silent there for more than
``max_silence_hours`` (12 h). Positions elsewhere between two near the port in less than
an hour do not end it: two ships sharing one MMSI (one moored at Pohang, the other at
Ch'ongjin, in the rajin scenario) would otherwise cut each call into dozens. A vessel
still in port when the data ends (its last position near the port, within
``max_silence_hours`` of the end) gives an open call (end null; ``hours`` so far), which a
later run closes.
"""

from __future__ import annotations

import math
from functools import cache

from sanctionwatch.behaviour.detectors.base import Detector, Row, Window, haversine_sql
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.places import watched_ports
from sanctionwatch.geo.ports import load_ports

CELL_DEG = 0.05
EARTH_M = 6_371_008.8


@cache
def port_cells(radius_km: float) -> dict[str, list[object]]:
    """Columns of the ``port_cells`` table: (cell_lat, cell_lon) -> port, for every cell
    within ``radius_km`` of the port (a bounding box in cells, generous by one cell)."""
    columns: dict[str, list[object]] = {
        "cell_lat": [], "cell_lon": [], "port": [], "port_lat": [], "port_lon": [],
    }  # fmt: skip
    lat_cells = math.ceil(radius_km * 1000 / (EARTH_M * math.radians(CELL_DEG))) + 1
    for port in load_ports():
        cos_lat = max(math.cos(math.radians(port.lat)), 0.01)
        lon_cells = math.ceil(radius_km * 1000 / (EARTH_M * math.radians(CELL_DEG) * cos_lat))
        lon_cells = min(lon_cells + 1, int(360 / CELL_DEG) // 2)
        base_lat = math.floor(port.lat / CELL_DEG)
        base_lon = math.floor(port.lon / CELL_DEG)
        per_turn = round(360 / CELL_DEG)
        for dy in range(-lat_cells, lat_cells + 1):
            for dx in range(-lon_cells, lon_cells + 1):
                cell_lon = (base_lon + dx + per_turn // 2) % per_turn - per_turn // 2
                columns["cell_lat"].append(base_lat + dy)
                columns["cell_lon"].append(cell_lon)
                columns["port"].append(port.name)
                columns["port_lat"].append(port.lat)
                columns["port_lon"].append(port.lon)
    return columns


def sql(params: dict[str, float], window: Window) -> str:
    enter_m = params["enter_km"] * 1000
    leave_m = params["leave_km"] * 1000
    silence_ms = int(params["max_silence_hours"] * 3_600_000)
    away_ms = int(params["max_away_hours"] * 3_600_000)
    stopped = float(params["stopped_kn"])
    distance = haversine_sql("p.lat", "p.lon", "c.port_lat", "c.port_lon")
    return f"""
WITH p AS (
    SELECT mmsi, epoch_ms(ts) AS t, lat, lon, sog,
           row_number() OVER (PARTITION BY mmsi ORDER BY ts, lat, lon) AS n
    FROM positions WHERE {window.where()}
),
near AS (
    SELECT p.mmsi, p.t, p.lat, p.lon, c.port, {distance} AS d
    FROM p JOIN port_cells c
      ON c.cell_lat = CAST(floor(p.lat / {CELL_DEG}) AS BIGINT)
     AND c.cell_lon = CAST(floor(p.lon / {CELL_DEG}) AS BIGINT)
),
best AS (
    SELECT mmsi, t, lat, lon, arg_min(port, (d, port)) AS port, min(d) AS d
    FROM near WHERE d <= {leave_m}
    GROUP BY mmsi, t, lat, lon
),
seq AS (
    SELECT b.*, p.sog, p.n,
           lag(b.t) OVER w AS prev_t, lag(p.n) OVER w AS prev_n
    FROM best b JOIN p ON b.mmsi = p.mmsi AND b.t = p.t AND b.lat = p.lat AND b.lon = p.lon
    WINDOW w AS (PARTITION BY b.mmsi, b.port ORDER BY b.t, b.lat, b.lon)
),
islands AS (
    SELECT *,
           sum(CASE WHEN prev_t IS NULL OR t - prev_t > {silence_ms}
                         OR (t - prev_t > {away_ms} AND n - prev_n > 1)
                    THEN 1 ELSE 0 END)
               OVER (PARTITION BY mmsi, port ORDER BY t, lat, lon
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS visit
    FROM seq
),
calls AS (
    SELECT mmsi, port, min(t) FILTER (WHERE d <= {enter_m}) AS start_ms, max(t) AS end_ms,
           min(d) AS closest_m, count(*) AS positions,
           count(*) FILTER (WHERE sog < {stopped}) AS stopped_positions
    FROM islands
    GROUP BY mmsi, port, visit
    HAVING min(d) <= {enter_m} AND count(*) FILTER (WHERE sog < {stopped}) > 0
),
vessel_last AS (SELECT mmsi, max(t) AS vessel_last FROM p GROUP BY mmsi),
data_end AS (SELECT max(t) AS data_end FROM p)
SELECT calls.*, vessel_last.vessel_last, data_end.data_end
FROM calls JOIN vessel_last ON calls.mmsi = vessel_last.mmsi CROSS JOIN data_end
ORDER BY calls.mmsi, calls.start_ms
"""  # noqa: S608 (numbers only)


def events(rows: list[Row], params: dict[str, float]) -> list[Event]:
    watched = {port.name for port in watched_ports()}
    by_name = {port.name: port for port in load_ports()}
    silence_ms = int(params["max_silence_hours"] * 3_600_000)
    out = []
    for row in rows:
        port = by_name[str(row["port"])]
        start, last = int(row["start_ms"]), int(row["end_ms"])
        # Still in port when the data ends (its last position is the vessel's last, within
        # max_silence_hours of the end): the call is open (end null), as gaps are.
        still = last == int(row["vessel_last"]) and int(row["data_end"]) - last <= silence_ms
        details = {
            "hours": round((last - start) / 3_600_000, 2),
            "open": still,
            "country": port.country,
            "locode": port.locode,
            "watched": port.name in watched,
            "closest_km": round(float(row["closest_m"]) / 1000, 2),
            "positions": int(row["positions"]),
            "stopped_positions": int(row["stopped_positions"]),
        }
        out.append(Event("port_call", int(row["mmsi"]), start, None if still else last,
                         port.lat, port.lon,
                         port=port.name, details=details))  # fmt: skip
    return out


DETECTOR = Detector(
    name="port_call",
    sql=sql,
    events=events,
    tables=lambda p: {"port_cells": port_cells(p["leave_km"])},
)
