"""What the workspace's map draws: vessels' tracks (decimated), their gaps and events, and
the watched ports and transfer zones, read from the home's stores without writing them.

A case can hold hundreds of thousands of positions; a browser draws a few thousand per
vessel as smoothly as all of them, and the server must answer in well under 300 ms. So each
track is thinned here, with numpy, by a grid-cell rule: a point is kept when it enters a
grid cell other than the previous point's; the cell starts at 1/8192 of the track's extent
and doubles until the track fits its share of the point budget (each pass is one vectorised
sweep, about a millisecond per 100,000 points). Whatever the budget, the first and last
points, both ends of every silence longer than the gap detector's threshold (``breaks``: a
segment the map draws dashed, not as sailed) and the points around every event's start and
end are kept, so playback puts a vessel where its events say it was.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.dataset as pads

from sanctionwatch.ais.store import POSITION_SCHEMA, PositionStore, open_store
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.params import default_params
from sanctionwatch.behaviour.places import watched_ports
from sanctionwatch.behaviour.stored import EventStore
from sanctionwatch.config import Settings
from sanctionwatch.risk.zones import parse_zones

POINT_BUDGET = 8_000  # points in one answer, over all its vessels (default)
MIN_SHARE = 500  # a vessel's share of the budget is never smaller
WINDOW_MARGIN_MS = 24 * 3600 * 1000  # a case's window: its events, a day either side
_FIRST_CELL = 1 / 8192  # of the track's extent
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Track:
    """One vessel's positions in time order: ms since the epoch, degrees, knots (NaN: none)."""

    t_ms: IntArray
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    sog: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.t_ms)


def read_tracks(
    store: PositionStore, mmsis: list[int], start_ms: int | None, end_ms: int | None
) -> dict[int, Track]:
    """The vessels' positions in time order, in one pass over the Parquet files that can
    hold them (``PositionStore.track`` once per vessel reads shared files again and again:
    three times slower for a case of four vessels). Only the columns drawn are read."""
    empty = Track(np.empty(0, np.int64), *(np.empty(0, np.float64) for _ in range(3)))
    if not mmsis:
        return {}
    files = store.files_holding(min(mmsis), max(mmsis), start_ms, end_ms)
    if not files:
        return dict.fromkeys(mmsis, empty)
    condition = pads.field("mmsi").isin(mmsis)
    when = pa.timestamp("ms", tz="UTC")
    if start_ms is not None:
        condition &= pads.field("ts") >= pa.scalar(start_ms, when)
    if end_ms is not None:
        condition &= pads.field("ts") <= pa.scalar(end_ms, when)
    dataset = pads.dataset(files, schema=POSITION_SCHEMA, format="parquet")
    table = dataset.to_table(columns=["mmsi", "ts", "lon", "lat", "sog"], filter=condition)
    table = table.sort_by([("mmsi", "ascending"), ("ts", "ascending")])
    vessel = np.asarray(table.column("mmsi").to_numpy(), dtype=np.int64)
    t_ms = np.asarray(table.column("ts").cast(pa.int64()).to_numpy(), dtype=np.int64)
    lon = np.asarray(table.column("lon").to_numpy(), dtype=np.float64)
    lat = np.asarray(table.column("lat").to_numpy(), dtype=np.float64)
    sog = np.asarray(table.column("sog").to_numpy(zero_copy_only=False), dtype=np.float64)
    out = {}
    for mmsi in mmsis:
        lo, hi = np.searchsorted(vessel, [mmsi, mmsi + 1])
        out[mmsi] = Track(t_ms[lo:hi], lon[lo:hi], lat[lo:hi], sog[lo:hi])
    return out


def silences(t_ms: IntArray, min_ms: int) -> IntArray:
    """Indices ``i`` where the silence from point ``i`` to ``i + 1`` lasts ``min_ms`` or more."""
    return np.flatnonzero(np.diff(t_ms) >= min_ms).astype(np.int64)


def must_keep(track: Track, times_ms: Iterable[int], gap_ms: int) -> BoolArray:
    """First and last points, both ends of each silence of ``gap_ms`` or more, and the two
    points around each of ``times_ms`` (events' starts and ends)."""
    n = len(track)
    keep = np.zeros(n, dtype=np.bool_)
    if n == 0:
        return keep
    keep[0] = keep[-1] = True
    quiet = silences(track.t_ms, gap_ms)
    keep[quiet] = True
    keep[quiet + 1] = True
    times = np.fromiter(times_ms, dtype=np.int64)
    if len(times):
        after = np.searchsorted(track.t_ms, times).clip(0, n - 1)
        keep[after] = True
        keep[(after - 1).clip(0, n - 1)] = True
    return keep


def decimate(
    lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64], keep: BoolArray, target: int
) -> IntArray:
    """Indices of the points to draw: every point when there are ``target`` or fewer, else
    those entering a new grid cell (the cell doubling until ``target`` is met) plus ``keep``."""
    n = len(lon)
    if n <= target:
        return np.arange(n, dtype=np.int64)
    extent = max(float(np.ptp(lon)), float(np.ptp(lat)), 1e-6)
    cell = extent * _FIRST_CELL
    while True:
        cx = np.floor(lon / cell).astype(np.int64)
        cy = np.floor(lat / cell).astype(np.int64)
        chosen = keep.copy()
        chosen[0] = True
        chosen[1:] |= (cx[1:] != cx[:-1]) | (cy[1:] != cy[:-1])
        if int(chosen.sum()) <= target or cell > 360:
            return np.flatnonzero(chosen).astype(np.int64)
        cell *= 2


def _rounded(values: npt.NDArray[np.float64], digits: int) -> list[float | None]:
    out: list[float | None] = np.round(values, digits).tolist()
    if np.isnan(values).any():
        out = [None if v is None or math.isnan(v) else v for v in out]
    return out


def track_json(
    mmsi: int, name: str | None, track: Track, times_ms: list[int], target: int, gap_ms: int
) -> dict[str, Any]:
    """One vessel's entry: parallel arrays (``t`` in seconds, ``lon``/``lat`` to 1e-5°,
    ``sog`` knots or null) and ``breaks`` (indices ``i`` whose segment to ``i + 1`` is a gap)."""
    keep = must_keep(track, times_ms, gap_ms)
    chosen = decimate(track.lon, track.lat, keep, target)
    t_ms = track.t_ms[chosen]
    return {
        "mmsi": mmsi,
        "name": name,
        "points": len(chosen),
        "decimated_from": len(track),
        "track": {
            "t": (t_ms // 1000).tolist(),
            "lon": _rounded(track.lon[chosen], 5),
            "lat": _rounded(track.lat[chosen], 5),
            "sog": _rounded(track.sog[chosen], 1),
        },
        "breaks": silences(t_ms, gap_ms).tolist(),
    }


def _hours(value: Any) -> str:
    return f"{float(value):.1f} h" if isinstance(value, int | float) else ""


def event_text(event: Event, names: dict[int, str | None]) -> str:
    """A line saying what happened (plain text: the map shows it with ``setText``)."""
    d = event.details
    partner = ""
    if event.other_mmsi is not None:
        partner = f"{names.get(event.other_mmsi) or 'unnamed'} ({event.other_mmsi})"
    if event.type == "gap":
        text = f"AIS gap {_hours(d.get('hours'))}"
        if d.get("distance_km") is not None:
            text += f", {d['distance_km']} km"
        if d.get("likely_dark_port_call"):
            text += f", likely dark call at {d['likely_dark_port_call']}"
        return text + (" (still silent)" if d.get("open") else "")
    if event.type == "encounter":
        near = f", closest {d['min_distance_m']:.0f} m" if d.get("min_distance_m") else ""
        return f"Encounter with {partner}, {_hours(d.get('hours'))}{near}"
    if event.type == "port_call":
        where = f"{event.port} ({d.get('country', '')})" if event.port else "a port"
        watched = ", watched port" if d.get("watched") else ""
        return f"Port call at {where}, {_hours(d.get('hours'))}{watched}"
    if event.type == "loitering":
        return f"Loitering {_hours(d.get('hours'))}, {d.get('shore_nm', '?')} nm from shore"
    if event.type == "draught_change":
        return f"Draught {d.get('from_m')} m to {d.get('to_m')} m ({d.get('cargo', '')})"
    if event.type == "identity":
        kind = str(d.get("kind", "change")).replace("_", " ")
        return f"Identity: {kind}" + (f" with {partner}" if partner else "")
    return event.type.replace("_", " ")


def _seconds(ms: int | None) -> int | None:
    return None if ms is None else ms // 1000


def events_json(events: list[Event], names: dict[int, str | None]) -> list[dict[str, Any]]:
    return [
        {
            "id": number,
            "type": event.type,
            "mmsi": event.mmsi,
            "other_mmsi": event.other_mmsi,
            "partner": names.get(event.other_mmsi) if event.other_mmsi is not None else None,
            "start": _seconds(event.start_ms),
            "end": _seconds(event.end_ms),
            "lon": round(event.lon, 5),
            "lat": round(event.lat, 5),
            "port": event.port,
            "text": event_text(event, names),
        }
        for number, event in enumerate(events)
    ]


def gaps_json(events: list[Event]) -> list[dict[str, Any]]:
    """Gap events as segments from the last position before to the first after (an open
    gap has no ``to``)."""
    out = []
    for event in events:
        if event.type != "gap":
            continue
        d = event.details
        to = [d["end_lon"], d["end_lat"]] if "end_lon" in d and "end_lat" in d else None
        out.append(
            {
                "mmsi": event.mmsi,
                "start": _seconds(event.start_ms),
                "end": _seconds(event.end_ms),
                "from": [round(event.lon, 5), round(event.lat, 5)],
                "to": to,
                "hours": d.get("hours"),
            }
        )
    return out


@cache
def ports_layer() -> list[dict[str, Any]]:
    """The watched ports (behaviour.places.WATCHED), as the port-call detector marks them."""
    return [
        {"name": p.name, "country": p.country, "lon": p.lon, "lat": p.lat} for p in watched_ports()
    ]


@cache
def _zones_layer(path: str | None) -> dict[str, Any]:
    if path is None:
        text = resources.files("sanctionwatch.risk").joinpath("zones.geojson").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    data = json.loads(text)
    parse_zones(data, path or "zones.geojson")  # refuses what the risk scoring would refuse
    features = [
        {
            "type": "Feature",
            "properties": {
                "name": f["properties"]["name"],
                "source": f["properties"]["source"],
            },
            "geometry": f["geometry"],
        }
        for f in data["features"]
    ]
    return {"type": "FeatureCollection", "features": features}


def zones_layer(settings: Settings) -> dict[str, Any]:
    """The transfer zones the risk scoring uses (``risk.zones``), as GeoJSON."""
    return _zones_layer(str(settings.risk_zones) if settings.risk_zones else None)


def _names(store: PositionStore, mmsis: Iterable[int]) -> dict[int, str | None]:
    """Each MMSI's most recent broadcast name (None: never said)."""
    names: dict[int, str | None] = {}
    for mmsi in set(mmsis):
        rows = sorted(store.identities(mmsi=mmsi), key=lambda row: row.last_seen)
        named = [row.name for row in rows if row.name]
        names[mmsi] = named[-1] if named else None
    return names


@cache
def _gap_ms() -> int:
    """The gap detector's default threshold: a longer silence in a track is drawn as a gap."""
    return int(default_params()["gap"]["min_hours"] * 3600 * 1000)


def unique_events(events: list[Event]) -> list[Event]:
    """Each event once: an encounter is stored once per vessel of it."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for event in events:
        key = (event.type, event.mmsi, event.other_mmsi, event.start_ms, event.port)
        if key not in seen:
            seen.add(key)
            out.append(event)
    return out


def _window(events: list[Event]) -> tuple[int | None, int | None]:
    if not events:
        return None, None
    start = min(e.start_ms for e in events)
    end = max(e.end_ms if e.end_ms is not None else e.start_ms for e in events)
    if any(e.end_ms is None for e in events):
        return start - WINDOW_MARGIN_MS, None
    return start - WINDOW_MARGIN_MS, end + WINDOW_MARGIN_MS


def map_data(
    settings: Settings,
    mmsis: list[int],
    *,
    start_ms: int | None = None,
    end_ms: int | None = None,
    window_from_events: bool = False,
    budget: int = POINT_BUDGET,
) -> dict[str, Any]:
    """The map of ``mmsis`` on one time axis: their tracks between ``start_ms`` and
    ``end_ms`` (or, with ``window_from_events``, from a day before their first event to a
    day after their last), their events and gaps, and the ports and zones layers."""
    gap_ms = _gap_ms()
    with open_store(settings.home, writable=False) as store, EventStore(store) as stored:
        marks = ",".join("?" * len(mmsis))
        condition: tuple[str, list[object]] = (
            f"(mmsi IN ({marks}) OR other_mmsi IN ({marks}))",
            [*mmsis, *mmsis],
        )
        events = unique_events(stored.events(condition=condition)) if mmsis else []
        if window_from_events and start_ms is None and end_ms is None:
            start_ms, end_ms = _window(events)
        if start_ms is not None or end_ms is not None:
            events = [
                e
                for e in events
                if (end_ms is None or e.start_ms <= end_ms)
                and (start_ms is None or e.end_ms is None or e.end_ms >= start_ms)
            ]
        tracks = read_tracks(store, mmsis, start_ms, end_ms)
        partners = {e.other_mmsi for e in events if e.other_mmsi is not None}
        names = _names(store, [*mmsis, *partners])
    total = sum(len(track) for track in tracks.values()) or 1
    vessels = []
    for mmsi, track in tracks.items():
        mine = [e for e in events if e.mmsi == mmsi or e.other_mmsi == mmsi]
        times = [e.start_ms for e in mine] + [e.end_ms for e in mine if e.end_ms is not None]
        share = max(MIN_SHARE, budget * len(track) // total)
        vessels.append(track_json(mmsi, names.get(mmsi), track, times, share, gap_ms))
    kept = sum(v["points"] for v in vessels)
    return {
        "window": {"start": _seconds(start_ms), "end": _seconds(end_ms)},
        "decimation": {
            "rule": "grid-cell change; gap ends and event points always kept",
            "budget": budget,
            "points": kept,
            "decimated_from": sum(v["decimated_from"] for v in vessels),
        },
        "vessels": vessels,
        "gaps": gaps_json(events),
        "events": events_json(events, names),
        "layers": {"ports": ports_layer(), "zones": zones_layer(settings)},
    }


def known(settings: Settings, mmsi: int) -> bool:
    """Whether the home holds an identity of ``mmsi`` or an event of it (positions are
    checked by the caller, which has read them already)."""
    with open_store(settings.home, writable=False) as store:
        if store.identities(mmsi=mmsi):
            return True
        with EventStore(store) as stored:
            return bool(stored.events(condition=("(mmsi = ? OR other_mmsi = ?)", [mmsi, mmsi])))
