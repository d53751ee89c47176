"""Gaps: a vessel silent for ``min_hours`` or more (GFW: 6 h).

Each gap carries the distance and implied speed across it. It is flagged as a likely
deliberate disabling when it lasts ``likely_disabling_hours`` (12 h) or more and starts
``likely_disabling_shore_nm`` (50 nm) or more from shore (GFW), and as a likely dark port
call at a watched port when both ends are near it and a trip there and back fits in the
gap (``dark_port_call_km``, ``dark_port_call_max_speed_kn``; DPRK ports listed first). A
vessel still silent at the end of the data has an open gap (end null), the end of the data
being taken near the vessel: the last time anything was heard within a cell or two of its
last position (data from a region whose feed stopped earlier leaves no open gaps). Gaps
that several vessels nearby start and end together are marked as a probable reception
outage. In a regional extract, a gap that starts or ends at the edge of the data is marked
``extract_edge`` (the vessel may have sailed out of the data) and is not a likely disabling.
"""

from __future__ import annotations

import dataclasses
import math

from sanctionwatch.behaviour.detectors.base import Detector, Row, Window, render_sql
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.places import dark_call_ports, shore_distance_m
from sanctionwatch.geo.ports import haversine_m
from sanctionwatch.geo.units import METRES_PER_NM, MS_PER_HOUR, hours_ms

COVER_DEG = 5  # cells of the "where the data ends" map: about 550 km
TURN = 360 // COVER_DEG
HALF_TURN = TURN // 2


def tables(params: dict[str, float]) -> dict[str, dict[str, list[object]]]:
    """The nine cell offsets of a 3 x 3 neighbourhood."""
    offsets = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    return {"gap_neighbours": {"dy": [o[0] for o in offsets], "dx": [o[1] for o in offsets]}}


def sql(params: dict[str, float], window: Window) -> str:
    """The query of ``behaviour/sql/gap.sql.j2`` with this run's parameters."""
    return render_sql(
        "gap",
        window=window.where(),
        min_ms=hours_ms(params["min_hours"]),
        cover_deg=COVER_DEG,
        half_turn=HALF_TURN,
        turn=TURN,
    )


def events(rows: list[Row], params: dict[str, float]) -> list[Event]:
    out = []
    for row in rows:
        start, end = int(row["start_ms"]), row["end_ms"]
        lat, lon = float(row["lat"]), float(row["lon"])
        # An open gap has lasted until the end of the data near the vessel so far.
        hours = (int(row["until_ms"]) - start) / MS_PER_HOUR
        shore_nm = shore_distance_m(lat, lon) / METRES_PER_NM
        details: dict[str, object] = {
            "hours": round(hours, 2),
            "open": end is None,
            "start_shore_nm": round(shore_nm, 1),
        }
        port = None
        if end is not None:
            metres = float(row["metres"])
            details["end_lat"] = round(float(row["next_lat"]), 6)
            details["end_lon"] = round(float(row["next_lon"]), 6)
            details["distance_km"] = round(metres / 1000, 2)
            details["implied_speed_kn"] = (
                round(metres / METRES_PER_NM / hours, 2) if hours else None
            )
            candidates = dark_call_ports(
                (lat, lon),
                (float(row["next_lat"]), float(row["next_lon"])),
                hours,
                params["dark_port_call_km"],
                params["dark_port_call_max_speed_kn"],
            )
            if candidates:
                port = candidates[0][0].name
                details["likely_dark_port_call"] = port
                details["dark_port_call_candidates"] = [
                    {"port": p.name, "country": p.country, "km": round(m / 1000, 1)}
                    for p, m in candidates
                ]
        edges = _edges(row, params)
        if edges:
            details["extract_edge"] = edges
        details["likely_disabling"] = bool(
            hours >= params["likely_disabling_hours"]
            and shore_nm >= params["likely_disabling_shore_nm"]
            and not edges
        )
        out.append(Event("gap", int(row["mmsi"]), start, end, lat, lon, port=port,
                         details=details))  # fmt: skip
    return _mark_outages(out, params)


def _edges(row: Row, params: dict[str, float]) -> list[str]:
    """The sides of a gap ("start", "end") that lie within ``extract_edge_km`` of the edge of
    a regional extract (data of ``extract_min_vessels`` vessels or more covering at most
    ``extract_max_degrees`` each way): there the vessel may have sailed out of the data
    rather than fallen silent, so the gap is open at that side, as a call still going at the
    end of the data is. With fewer vessels the box is only where these few happened to be."""
    south, north = float(row["south"]), float(row["north"])
    west, east = float(row["west"]), float(row["east"])
    limit = params["extract_max_degrees"]
    if north - south > limit or east - west > limit:
        return []  # not a regional extract: its edges are not where the data stops
    if int(row["vessels"]) < params["extract_min_vessels"]:
        return []
    margin_deg = params["extract_edge_km"] / 111.195
    sides = [("start", row["lat"], row["lon"]), ("end", row["next_lat"], row["next_lon"])]
    found = []
    for side, lat, lon in sides:
        if lat is None or lon is None:
            continue
        scale = max(math.cos(math.radians(float(lat))), 0.01)
        if (
            min(float(lat) - south, north - float(lat)) <= margin_deg
            or min(float(lon) - west, east - float(lon)) * scale <= margin_deg
        ):
            found.append(side)
    return found


def _mark_outages(gaps: list[Event], params: dict[str, float]) -> list[Event]:
    """Gaps that several vessels start and end together, close to each other, are most
    likely a receiver that stopped, not vessels going dark: they are marked
    ``probable_reception_outage`` and not offered as dark port calls.

    Hand-written (a few hundred gaps at most per run): gaps sorted by start, each compared
    with those that start within the tolerance.
    """
    minimum_ms = params["outage_tolerance_minutes"] * 60_000
    share = params["outage_tolerance_share"]
    radius = params["outage_radius_km"] * 1000
    closed = sorted((g for g in gaps if g.end_ms is not None), key=lambda g: g.start_ms)
    longest = max(((g.end_ms or 0) - g.start_ms for g in closed), default=0)
    widest = max(minimum_ms, share * longest)  # no pair starts farther apart than this
    together: dict[int, set[int]] = {}
    for i, a in enumerate(closed):
        for b in closed[i + 1 :]:
            if b.start_ms - a.start_ms > widest:
                break
            # Boats that report rarely fall silent at their last report before the outage,
            # minutes or an hour apart: the tolerance grows with the length of the silence.
            longer = max((a.end_ms or 0) - a.start_ms, (b.end_ms or 0) - b.start_ms)
            tolerance = max(minimum_ms, share * longer)
            if b.start_ms - a.start_ms > tolerance:
                continue
            if a.mmsi == b.mmsi or abs((b.end_ms or 0) - (a.end_ms or 0)) > tolerance:
                continue
            if float(haversine_m(a.lat, a.lon, b.lat, b.lon)) <= radius:
                together.setdefault(id(a), {a.mmsi}).add(b.mmsi)
                together.setdefault(id(b), {b.mmsi}).add(a.mmsi)
    minimum = int(params["outage_min_vessels"])
    out = []
    for gap in gaps:
        group = together.get(id(gap), set())
        if len(group) < minimum:
            out.append(gap)
            continue
        details = {**gap.details, "probable_reception_outage": True,
                   "silent_together_with": sorted(group - {gap.mmsi})}  # fmt: skip
        details.pop("likely_dark_port_call", None)
        out.append(dataclasses.replace(gap, port=None, details=details))
    return out


DETECTOR = Detector(name="gap", sql=sql, events=events, tables=tables)
