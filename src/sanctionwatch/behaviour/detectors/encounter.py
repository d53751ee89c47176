"""Encounters (ship-to-ship meetings), after Global Fishing Watch's published method: two
vessels within ``max_distance_m`` (500 m) of each other for ``min_hours`` (2 h) or more,
each at a median speed under ``max_median_speed_kn`` (2 kn), at least ``min_port_km``
(10 km) from any port. There is no calendar-day windowing: a meeting across midnight is
one event.

The heavy work is one SQL statement, ``behaviour/sql/encounter.sql.j2`` (portable: CTEs,
window functions, joins and plain arithmetic, so that sqlglot can translate it for Spark;
haversine, longitude wrapping and grid keys are the shared macros of ``sql/macros.sql.j2``).
This module formats the parameters into it as numbers. Its steps:

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

from sanctionwatch.behaviour.detectors.base import Detector, Row, Window, render_sql
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


def sql(params: dict[str, float], window: Window) -> str:
    """The query of ``behaviour/sql/encounter.sql.j2`` with this run's parameters."""
    return _render(params, window, close_pairs_only=False)


def close_pairs_sql(params: dict[str, float], window: Window) -> str:
    """The pair-bins within ``max_distance_m`` the grid join finds (mmsi_a, mmsi_b, b,
    d), for checking the join against brute force."""
    return _render(params, window, close_pairs_only=True)


def _render(params: dict[str, float], window: Window, close_pairs_only: bool) -> str:
    """The template with the parameters as SQL literals: times in whole milliseconds (bins
    are counted in them), distances and speeds as DOUBLEs (:func:`_number`)."""
    _check(params)
    bin_ms = int(params["bin_minutes"] * 60_000)
    return render_sql(
        "encounter",
        window=window.where(),
        bin_ms=bin_ms,
        half_bin_ms=bin_ms // 2,  # interpolated positions are placed mid-bin
        interpolation_ms=hours_ms(params["max_interpolation_hours"]),
        min_ms=hours_ms(params["min_hours"]),
        merge_ms=hours_ms(params["merge_hours"]),
        cell_deg=_number(cell_degrees(params)),
        max_m=_number(params["max_distance_m"]),
        slow_kn=_number(params["max_median_speed_kn"]),
        knot_m=_number(KNOT_M_PER_MS * bin_ms),  # metres per bin at one knot
        polar_lat=POLAR_LATITUDE,
        close_pairs_only=close_pairs_only,
    )


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
