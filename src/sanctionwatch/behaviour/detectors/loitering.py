"""Loitering: slower than ``max_speed_kn`` (2 kn) for ``min_hours`` (4 h) or more, at least
``min_shore_nm`` (20 nm) from shore (Global Fishing Watch's definition). A vessel still
loitering at the end of the data gives an open event (end null; ``hours`` so far).

SQL (``behaviour/sql/loitering.sql.j2``) finds each vessel's unbroken slow stretches (gaps
and islands over the time-ordered positions; a silence longer than ``max_silence_hours``
ends a stretch); Python keeps those whose mean position is far enough from shore (the
distance grid lives in Python).
"""

from __future__ import annotations

from sanctionwatch.behaviour.detectors.base import Detector, Row, Window, render_sql
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.places import shore_distance_m
from sanctionwatch.geo.units import METRES_PER_NM, MS_PER_HOUR, hours_ms


def sql(params: dict[str, float], window: Window) -> str:
    """The query of ``behaviour/sql/loitering.sql.j2`` with this run's parameters."""
    return render_sql(
        "loitering",
        window=window.where(),
        slow_kn=float(params["max_speed_kn"]),
        min_ms=hours_ms(params["min_hours"]),
        silence_ms=hours_ms(params["max_silence_hours"]),
    )


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
