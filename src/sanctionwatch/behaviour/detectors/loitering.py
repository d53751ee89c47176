"""Loitering: slower than ``max_speed_kn`` (2 kn) for ``min_hours`` (4 h) or more, at least
``min_shore_nm`` (20 nm) from shore (Global Fishing Watch's definition). A vessel still
loitering at the end of the data gives an open event (end null; ``hours`` so far).

SQL finds each vessel's unbroken slow stretches (gaps and islands over the time-ordered
positions; a silence longer than ``max_silence_hours`` ends a stretch); Python keeps those
whose mean position is far enough from shore (the distance grid lives in Python).
"""

from __future__ import annotations

from sanctionwatch.behaviour.detectors.base import Detector, Row, Window
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.places import shore_distance_m
from sanctionwatch.geo.units import METRES_PER_NM, MS_PER_HOUR, hours_ms


def sql(params: dict[str, float], window: Window) -> str:
    slow = float(params["max_speed_kn"])
    min_ms = hours_ms(params["min_hours"])
    silence_ms = hours_ms(params["max_silence_hours"])
    return f"""
WITH p AS (
    SELECT mmsi, epoch_ms(ts) AS t, lat, lon, sog,
           CASE WHEN sog < {slow} THEN 1 ELSE 0 END AS slow
    FROM positions
    WHERE {window.where()} AND sog IS NOT NULL AND NOT isnan(sog)
),
q AS (
    SELECT *, lag(slow) OVER w AS prev_slow, lag(t) OVER w AS prev_t
    FROM p
    WINDOW w AS (PARTITION BY mmsi ORDER BY t, lat, lon)
),
r AS (
    SELECT *,
           sum(CASE WHEN prev_slow IS NULL OR prev_slow <> slow OR t - prev_t > {silence_ms}
                    THEN 1 ELSE 0 END)
               OVER (PARTITION BY mmsi ORDER BY t, lat, lon
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS stretch
    FROM q
),
stretches AS (
    SELECT mmsi, min(t) AS start_ms, max(t) AS end_ms, avg(lat) AS lat, avg(lon) AS lon,
           count(*) AS positions, median(sog) AS median_sog, max(sog) AS max_sog
    FROM r
    WHERE slow = 1
    GROUP BY mmsi, stretch
    HAVING max(t) - min(t) >= {min_ms}
),
-- The vessel's last position and the end of the data, as aggregates joined to the few
-- stretches (a window over all rows, "max(t) OVER ()", puts every row in one partition:
-- slow in DuckDB, out of memory in Spark).
vessel_last AS (SELECT mmsi, max(t) AS vessel_last FROM p GROUP BY mmsi),
data_end AS (SELECT max(t) AS data_end FROM p)
SELECT stretches.*, vessel_last.vessel_last, data_end.data_end
FROM stretches JOIN vessel_last ON stretches.mmsi = vessel_last.mmsi CROSS JOIN data_end
ORDER BY stretches.mmsi, stretches.start_ms
"""  # noqa: S608 (numbers only)


def events(rows: list[Row], params: dict[str, float]) -> list[Event]:
    out = []
    for row in rows:
        lat, lon = float(row["lat"]), float(row["lon"])
        shore_nm = shore_distance_m(lat, lon) / METRES_PER_NM
        if not shore_nm >= params["min_shore_nm"]:  # NaN (a position off the grid) too
            continue
        start, last = int(row["start_ms"]), int(row["end_ms"])
        # Still loitering when the data ends: the event is open (end null), as gaps are.
        still = last == int(row["vessel_last"]) and int(row["data_end"]) - last <= int(
            params["max_silence_hours"] * MS_PER_HOUR
        )
        end = None if still else last
        details = {
            "hours": round((last - start) / MS_PER_HOUR, 2),
            "open": still,
            "positions": int(row["positions"]),
            "median_speed_kn": round(float(row["median_sog"]), 2),
            "max_speed_kn": round(float(row["max_sog"]), 2),
            "shore_nm": round(shore_nm, 1),
        }
        out.append(Event("loitering", int(row["mmsi"]), start, end, lat, lon, details=details))
    return out


DETECTOR = Detector(name="loitering", sql=sql, events=events)
