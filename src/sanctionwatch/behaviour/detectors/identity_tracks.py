"""The positions the identity detector's track segmenter works on, and how far a ship can
sail: split from ``identity_segments.py`` (the segmenter itself and what it finds).

The segmenter only ever loads the positions of suspects, so that it scales to tens of
millions of positions: SQL (``behaviour/sql/identity_suspects.sql.j2``) finds the MMSIs with
at least one consecutive pair of positions that no ship could sail, further apart than
``noise_km`` plus the vessel's speed limit times the time between them. The distance floor
absorbs GPS scatter, duplicate time stamps and time stamps a few seconds off, so a zero or
near-zero time difference never makes an "infinite" speed. Nearly every vessel passes this
test and is never loaded; the positions of the few others are loaded as arrays
(``identity_suspect_positions.sql.j2``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sanctionwatch.behaviour.detectors.base import Query, Row, Window, render_sql
from sanctionwatch.geo.units import KNOT_M_PER_MS, METRES_PER_DEGREE

IN_LIST_CHUNK = 1000  # MMSIs per query of their positions

# The store keeps "not available" (AIS 102.3) as NaN; 102.2 means "102.2 kn or more", no
# measured speed: neither may raise a vessel's speed limit.
SOG_NOT_AVAILABLE = 102.0


@dataclass(frozen=True)
class Track:
    """One MMSI's positions in time order: ms since the epoch, degrees."""

    t: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    top_sog_kn: float | None = None  # the highest speed the vessel itself reported


def speed_kn(params: dict[str, float], top_sog_kn: float | None = None) -> float:
    """The fastest a vessel may plausibly sail: ``max_speed_kn`` (GFW's 30 kn), or for a fast
    craft whose own reports say it goes faster (a 36-38 kn high-speed ferry was split into
    two "ships" by the fixed rule), ``fast_craft_factor`` times its highest reported speed,
    at most ``fast_craft_max_kn``."""
    if top_sog_kn is None:
        return params["max_speed_kn"]
    fast = min(params["fast_craft_max_kn"], params["fast_craft_factor"] * top_sog_kn)
    return max(params["max_speed_kn"], fast)


def reach_m(params: dict[str, float], dt_ms: float, top_sog_kn: float | None = None) -> float:
    """How far a ship can plausibly be from where it was ``dt_ms`` earlier."""
    speed = speed_kn(params, top_sog_kn)
    return params["noise_km"] * 1000 + speed * KNOT_M_PER_MS * abs(dt_ms)


def suspects_sql(params: dict[str, float], window: Window) -> str:
    """MMSIs with at least one consecutive pair of positions no ship could sail (the speed
    limit as :func:`speed_kn`, the reach as :func:`reach_m`)."""
    return render_sql(
        "identity_suspects",
        window=window.where(),
        noise_m=float(params["noise_km"] * 1000),
        slowest_kn=float(params["max_speed_kn"]),
        fastest_kn=float(params["fast_craft_max_kn"]),
        factor=float(params["fast_craft_factor"]),
        knot_m_per_ms=KNOT_M_PER_MS,
        metres_per_degree=METRES_PER_DEGREE,
        sog_not_available=SOG_NOT_AVAILABLE,
    )


def positions_sql(mmsis: list[int], window: Window) -> str:
    """The positions of ``mmsis`` (a few, at most ``IN_LIST_CHUNK``) in time order."""
    return render_sql(
        "identity_suspect_positions", mmsis=[int(m) for m in mmsis], window=window.where()
    )


def suspect_positions(query: Query, mmsis: list[int], window: Window) -> dict[int, Track]:
    """The positions of ``mmsis`` in time order, as arrays per MMSI."""
    out: dict[int, Track] = {}
    for i in range(0, len(mmsis), IN_LIST_CHUNK):
        rows = query(positions_sql(mmsis[i : i + IN_LIST_CHUNK], window))
        by_mmsi: dict[int, list[Row]] = {}
        for row in rows:
            by_mmsi.setdefault(int(row["mmsi"]), []).append(row)
        for mmsi, own in by_mmsi.items():
            speeds = [
                float(r["sog"])
                for r in own
                if r["sog"] is not None and float(r["sog"]) < SOG_NOT_AVAILABLE
            ]
            out[mmsi] = Track(
                np.array([int(r["t"]) for r in own], dtype=np.int64),
                np.array([float(r["lat"]) for r in own], dtype=np.float64),
                np.array([float(r["lon"]) for r in own], dtype=np.float64),
                max(speeds) if speeds else None,
            )
    return out
