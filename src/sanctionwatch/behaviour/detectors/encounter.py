"""Encounters (ship-to-ship meetings), after Global Fishing Watch's published method: two
vessels within ``max_distance_m`` (500 m) of each other for ``min_hours`` (2 h) or more,
each at a median speed under ``max_median_speed_kn`` (2 kn), at least ``min_port_km``
(10 km) from any port. There is no calendar-day windowing: a meeting across midnight is
one event.

The heavy work is one SQL statement (portable: CTEs, window functions, joins and plain
arithmetic, so that sqlglot can translate it for Spark):

1. Resampling. Each vessel gets one row per ``bin_minutes`` (10-minute) bin, ``floor(t /
   bin)``: the mean of its positions in that bin (a bin straddling the antimeridian
   averages in 0..360 degrees) and their mean reported speed. The empty bins between two
   bins with positions are filled by linear interpolation (position, speed; across the
   antimeridian the short way) when the silence between the last position before and
   the first after is ``max_interpolation_hours`` (1 h) or less, never across a longer
   silence. The filling joins a small ``encounter_offsets`` table (k = 0..N) instead of a
   range function. A bin's speed is the reported SOG, or where none was reported the
   speed implied by the move from the vessel's previous bin.
2. Pairs. A spatial join by grid keys plus haversine, no spatial extension: latitude
   bands one ``max_distance_m`` high (plus 1 %); each band is cut into a whole number of
   longitude cells at least ``max_distance_m`` wide at the band's poleward edge (one
   band further, so the neighbouring band fits too), counted from -180 and wrapped, so
   the cells widen towards the poles and the two sides of the antimeridian are
   neighbours. Each vessel-bin is listed under the 3x3 cells around it (the
   ``encounter_neighbours`` table; cells of the neighbouring bands use those bands'
   widths) and meets the vessel-bins whose own cell that is, in the same bin; pairs within
   ``max_distance_m`` (haversine) are kept, once each (smaller MMSI first).
3. Runs. Gaps and islands over each pair's close bins: a run ends at the first bin the
   pair is not close (or one of them has no position, real or interpolated). Runs
   spanning ``min_hours`` or more are kept; those of the same pair less than
   ``merge_hours`` (4 h) apart are then merged into one encounter. This is GFW's order
   (raw encounters of 2 h or more, then merged): two brief passings hours apart do not
   add up to an encounter, and a meeting broken by a long silence or a short parting
   stays one event.
4. Per encounter (over the close bins of its runs): start and end (bin times, so to the
   10 minutes), mean position, median and minimum distance, each vessel's median speed
   (both must be under the limit), the number of close bins and of runs.

Python then drops encounters whose mean position is within ``min_port_km`` of any point of
a port, anchorage or gazetteer point (``geo/places.py``; GFW filters on the mean position
too), and adds the nearest port (and the distance to its nearest point) and the distance to
shore. An encounter that lasts until the end of the data (both vessels' last bin is its
last, and the data ends within ``max_interpolation_hours`` after) is open: end null,
``open`` true, ``hours`` so far.
"""

from __future__ import annotations

import math

from sanctionwatch.behaviour.detectors.base import Detector, Row, Window, haversine_sql
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.places import nearest_port, shore_distance_m
from sanctionwatch.errors import InputError
from sanctionwatch.geo.places import any_point_within
from sanctionwatch.geo.units import (
    KNOT_M_PER_MS,
    METRES_PER_DEGREE,
    METRES_PER_NM,
    MS_PER_HOUR,
    hours_ms,
)

POLAR_LATITUDE = 89.0  # bands reaching beyond this are one longitude cell


def _number(value: float) -> str:
    """A float as a SQL literal that DuckDB and Spark both read as a DOUBLE: with an
    exponent (a plain ``0.0045`` is a DECIMAL, and BIGINT times DECIMAL is slow)."""
    return f"{float(value):.17e}"


def _check(params: dict[str, float]) -> None:
    for key, value in params.items():
        if not math.isfinite(value):
            raise InputError(f"[encounter] {key} must be a finite number, not {value!r}")
    if not (params["bin_minutes"] * 60_000 >= 1 and params["max_distance_m"] > 0):
        raise InputError("[encounter] bin_minutes and max_distance_m must be more than 0")


def cell_degrees(params: dict[str, float]) -> float:
    """Height of a latitude band: ``max_distance_m`` in degrees, plus 1 %."""
    return params["max_distance_m"] / METRES_PER_DEGREE * 1.01


def _lon_cells(band: str, cell: str) -> str:
    """SQL: how many longitude cells latitude band ``band`` has (each at least one band
    high in metres at the band's poleward edge plus one band; one cell near the poles)."""
    edge = f"least(90.0, greatest(abs({band} * {cell}), abs(({band} + 1) * {cell})) + {cell})"
    return (
        f"CASE WHEN {edge} >= {POLAR_LATITUDE} THEN CAST(1 AS BIGINT) ELSE greatest("
        f"CAST(1 AS BIGINT), CAST(floor(360.0 * cos(radians({edge})) / {cell}) AS BIGINT)) END"
    )


def _wrap(degrees: str) -> str:
    """SQL: a longitude (or difference) brought into [-180, 180)."""
    return f"({degrees} - 360.0 * floor(({degrees} + 180.0) / 360.0))"


def _mean_lon(column: str) -> str:
    """SQL aggregate: the mean longitude, also for a group straddling the antimeridian."""
    shifted = f"avg(CASE WHEN {column} < 0 THEN {column} + 360.0 ELSE {column} END)"
    return (
        f"CASE WHEN max({column}) - min({column}) > 180.0 THEN {_wrap(shifted)} "
        f"ELSE avg({column}) END"
    )


def sql(params: dict[str, float], window: Window) -> str:
    return _sql(params, window)


def close_pairs_sql(params: dict[str, float], window: Window) -> str:
    """The pair-bins within ``max_distance_m`` the grid join finds (mmsi_a, mmsi_b, b,
    d), for checking the join against brute force."""
    return _sql(params, window, "SELECT mmsi_a, mmsi_b, b, d FROM near ORDER BY mmsi_a, b")


def _sql(params: dict[str, float], window: Window, final: str | None = None) -> str:
    _check(params)
    bin_ms = int(params["bin_minutes"] * 60_000)
    interpolation_ms = hours_ms(params["max_interpolation_hours"])
    min_ms = hours_ms(params["min_hours"])
    merge_ms = hours_ms(params["merge_hours"])
    cell = _number(cell_degrees(params))
    max_m = _number(params["max_distance_m"])
    slow = _number(params["max_median_speed_kn"])
    knot = _number(KNOT_M_PER_MS * bin_ms)  # metres per bin at one knot
    own_cells = _lon_cells("i", cell)
    their_cells = _lon_cells("(i + di)", cell)
    distance = haversine_sql("a.lat", "a.lon", "o.lat", "o.lon")
    step = haversine_sql("prev_lat", "prev_lon", "lat", "lon")
    # Interpolated at the middle of bin b + k, between the mean times of the two bins.
    fraction = f"(((b + k) * {bin_ms} + {bin_ms // 2}) - tm) / (next_tm - tm)"
    default = f"""
SELECT s.mmsi_a, s.mmsi_b, min(s.b) * {bin_ms} AS start_ms, max(s.b) * {bin_ms} AS end_ms,
       avg(s.lat) AS lat, {_mean_lon("s.lon")} AS lon,
       median(s.d) AS median_distance_m, min(s.d) AS min_distance_m,
       median(s.speed_a) AS speed_a, median(s.speed_b) AS speed_b,
       count(*) AS bins, sum(s.interpolated) AS interpolated_bins,
       count(DISTINCT s.island) AS runs,
       CASE WHEN max(s.b) = max(s.last_a) AND max(s.b) = max(s.last_o) THEN 1 ELSE 0 END
           AS last_of_both,
       max(data_end.t) AS data_end
FROM islands s
JOIN merged m ON m.mmsi_a = s.mmsi_a AND m.mmsi_b = s.mmsi_b AND m.island = s.island
CROSS JOIN data_end
GROUP BY s.mmsi_a, s.mmsi_b, m.encounter
HAVING median(s.speed_a) < {slow} AND median(s.speed_b) < {slow}
ORDER BY mmsi_a, start_ms
"""  # noqa: S608 (numbers only)
    return f"""
WITH p AS (
    SELECT mmsi, epoch_ms(ts) AS t, lat, lon,
           CASE WHEN sog IS NULL OR isnan(sog) THEN NULL ELSE CAST(sog AS DOUBLE) END AS sog,
           CAST(floor(epoch_ms(ts) / {bin_ms}) AS BIGINT) AS b
    FROM positions
    WHERE {window.where()} AND lat IS NOT NULL AND lon IS NOT NULL
),
data_end AS (SELECT max(t) AS t FROM p),
vb AS (
    SELECT mmsi, b, min(t) AS t0, max(t) AS t1, avg(t) AS tm, avg(lat) AS lat,
           {_mean_lon("lon")} AS lon, avg(sog) AS sog
    FROM p
    GROUP BY mmsi, b
),
nx AS (
    SELECT *, lead(b) OVER w AS next_b, lead(t0) OVER w AS next_t0,
           lead(tm) OVER w AS next_tm, lead(lat) OVER w AS next_lat,
           lead(lon) OVER w AS next_lon, lead(sog) OVER w AS next_sog,
           max(b) OVER (PARTITION BY mmsi) AS last_b
    FROM vb
    WINDOW w AS (PARTITION BY mmsi ORDER BY b)
),
bridged AS (
    SELECT * FROM nx
    WHERE next_b IS NOT NULL AND next_b - b > 1 AND next_t0 - t1 <= {interpolation_ms}
),
filled AS (
    SELECT mmsi, b, lat, lon, sog, last_b, 0 AS interpolated FROM nx
    UNION ALL
    SELECT mmsi, b + k AS b,
           lat + {fraction} * (next_lat - lat) AS lat,
           {_wrap(f"lon + {fraction} * {_wrap('next_lon - lon')}")} AS lon,
           sog + {fraction} * (next_sog - sog) AS sog,
           last_b, 1 AS interpolated
    FROM bridged JOIN encounter_offsets ON k >= 1 AND k < next_b - b
),
moved AS (
    SELECT *, lag(b) OVER w AS prev_b, lag(lat) OVER w AS prev_lat,
           lag(lon) OVER w AS prev_lon
    FROM filled
    WINDOW w AS (PARTITION BY mmsi ORDER BY b)
),
cells AS (
    SELECT mmsi, b, lat, lon, last_b, interpolated,
           coalesce(sog, CASE WHEN prev_b = b - 1 THEN {step} / {knot} END) AS speed,
           CAST(floor(lat / {cell}) AS BIGINT) AS i
    FROM moved
),
banded AS (SELECT *, {own_cells} AS n FROM cells),
own AS (
    SELECT *, (CAST(floor((lon + 180.0) / 360.0 * n) AS BIGINT) % n + n) % n AS j
    FROM banded
),
around AS (
    SELECT c.*, n.di, n.dj, c.i + n.di AS ci, {their_cells} AS cn
    FROM cells c CROSS JOIN encounter_neighbours n
),
listed AS (
    SELECT *,
           ((CAST(floor((lon + 180.0) / 360.0 * cn) AS BIGINT) + dj) % cn + cn) % cn AS cj
    FROM around
    WHERE cn >= 3 OR (dj >= 0 AND dj < cn)
),
near AS (
    SELECT a.mmsi AS mmsi_a, o.mmsi AS mmsi_b, a.b, {distance} AS d,
           (a.lat + o.lat) / 2 AS lat,
           {_wrap(f"a.lon + {_wrap('o.lon - a.lon')} / 2")} AS lon,
           a.speed AS speed_a, o.speed AS speed_b, a.last_b AS last_a, o.last_b AS last_o,
           CASE WHEN a.interpolated = 1 OR o.interpolated = 1 THEN 1 ELSE 0 END AS interpolated
    FROM listed a JOIN own o ON o.b = a.b AND o.i = a.ci AND o.j = a.cj
    WHERE a.mmsi < o.mmsi AND {distance} <= {max_m}
),
islands AS (
    SELECT *, b - row_number() OVER (PARTITION BY mmsi_a, mmsi_b ORDER BY b) AS island
    FROM near
),
runs AS (
    SELECT mmsi_a, mmsi_b, island, min(b) AS first_b, max(b) AS end_b
    FROM islands
    GROUP BY mmsi_a, mmsi_b, island
    HAVING (max(b) - min(b)) * {bin_ms} >= {min_ms}
),
chained AS (
    SELECT *, lag(end_b) OVER (PARTITION BY mmsi_a, mmsi_b ORDER BY first_b) AS prev_end
    FROM runs
),
merged AS (
    SELECT mmsi_a, mmsi_b, island,
           sum(CASE WHEN prev_end IS NULL OR (first_b - prev_end) * {bin_ms} >= {merge_ms}
                    THEN 1 ELSE 0 END)
               OVER (PARTITION BY mmsi_a, mmsi_b ORDER BY first_b
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS encounter
    FROM chained
)
{final or default}
"""  # noqa: S608 (numbers only)


def tables(params: dict[str, float]) -> dict[str, dict[str, list[object]]]:
    """The helper tables the SQL joins: offsets 0..N for filling bins (N covers the
    longest silence bridged), and the 3x3 neighbourhood of a grid cell."""
    _check(params)
    bin_ms = int(params["bin_minutes"] * 60_000)
    most = int(params["max_interpolation_hours"] * MS_PER_HOUR // max(bin_ms, 1)) + 2
    pairs = [(di, dj) for di in (-1, 0, 1) for dj in (-1, 0, 1)]
    return {
        "encounter_offsets": {"k": list(range(most + 1))},
        "encounter_neighbours": {"di": [p[0] for p in pairs], "dj": [p[1] for p in pairs]},
    }


def near_port(lat: float, lon: float, metres: float) -> bool:
    """Whether any point of any port (anchorage or gazetteer point) is closer than ``metres``."""
    return any_point_within(lat, lon, metres)


def events(rows: list[Row], params: dict[str, float]) -> list[Event]:
    bin_ms = int(params["bin_minutes"] * 60_000)
    open_within = hours_ms(params["max_interpolation_hours"]) + bin_ms
    out = []
    for row in rows:
        lat, lon = float(row["lat"]), float(row["lon"])
        if near_port(lat, lon, params["min_port_km"] * 1000):
            continue
        port = nearest_port(lat, lon)
        start, last = int(row["start_ms"]), int(row["end_ms"])
        still = bool(row["last_of_both"]) and int(row["data_end"]) - last <= open_within
        shore = shore_distance_m(lat, lon) / METRES_PER_NM
        speed_a, speed_b = float(row["speed_a"]), float(row["speed_b"])
        details = {
            "hours": round((last - start) / MS_PER_HOUR, 2),
            "open": still,
            "median_distance_m": round(float(row["median_distance_m"]), 1),
            "min_distance_m": round(float(row["min_distance_m"]), 1),
            "median_speed_kn": round(max(speed_a, speed_b), 2),
            "vessel_median_speed_kn": round(speed_a, 2),
            "other_median_speed_kn": round(speed_b, 2),
            "nearest_port": port[0] if port is not None else None,
            "nearest_port_km": round(port[1] / 1000, 1) if port is not None else None,
            "shore_nm": round(shore, 1) if math.isfinite(shore) else None,
            "bins": int(row["bins"]),
            "interpolated_bins": int(row["interpolated_bins"]),
            "runs": int(row["runs"]),
        }
        out.append(
            Event(
                "encounter",
                int(row["mmsi_a"]),
                start,
                None if still else last,
                lat,
                lon,
                other_mmsi=int(row["mmsi_b"]),
                details=details,
            )
        )
    return out


DETECTOR = Detector(name="encounter", sql=sql, events=events, tables=tables)
