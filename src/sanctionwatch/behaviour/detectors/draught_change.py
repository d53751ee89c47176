"""Draught changes: a vessel's broadcast draught moves by ``min_fraction`` (10 %) and
``min_metres`` (0.5 m) or more between consecutive rows of its identity history: cargo
loaded or discharged.

The event starts when the new draught was first broadcast and is placed where the vessel
was then (its last position within ``lookback_hours`` before); it is attributed to a port
within ``port_km``, else reported at sea (after a ship-to-ship transfer, typically). Crews
update the draught as they sail, so a change at or just after a port call is the issue's
arrival-versus-departure comparison. A change undone within ``flap_hours`` (1 h) is not
reported: that is two ships broadcasting one MMSI, which the identity detector reports.
Nor is a change made under way: cargo moves when a ship lies still (at or below
``still_kn``, 5 kn: in port, at a transfer, fishing) or out of sight (silent ``silent_hours``, 1 h,
or more), so one of the two must show in the ``since_max_hours`` (24 h) before the change
(a fixed span: when the old draught was first seen moves with data ingested late, and
incremental runs look back 48 h). On real traffic (Panama,
2014) a ship sailing at 9.4 kn, never stopped, retyped 6.3 m as 9.6 m in the report that
changed its destination: a correction. ``details.since_old_draught`` gives the slowest speed
and the longest silence that make a change cargo.
"""

from __future__ import annotations

from sanctionwatch.behaviour.detectors.base import Detector, Row, Window, render_sql
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.places import nearest_port
from sanctionwatch.geo.units import MS_PER_HOUR, hours_ms


def sql(params: dict[str, float], window: Window) -> str:
    """The query of ``behaviour/sql/draught_change.sql.j2`` with this run's parameters."""
    return render_sql(
        "draught_change",
        window_first_seen=window.where_ms("first_seen"),
        min_metres=float(params["min_metres"]),
        min_fraction=float(params["min_fraction"]),
        lookback_ms=hours_ms(params["lookback_hours"]),
        since_max_ms=hours_ms(params["since_max_hours"]),
    )


def _flapping(row: Row, window_ms: int) -> bool:
    """A change undone within ``window_ms``, or the undoing of one: two ships broadcasting
    one MMSI with different draughts, not cargo moved (the identity detector reports them)."""
    start = int(row["start_ms"])
    undone = (
        row["next"] == row["previous"]
        and row["next_since"] is not None
        and (int(row["next_since"]) - start < window_ms)
    )
    undoing = (
        row["before_previous"] == row["draught"]
        and row["previous_since"] is not None
        and (start - int(row["previous_since"]) < window_ms)
    )
    return bool(undone or undoing)


def events(rows: list[Row], params: dict[str, float]) -> list[Event]:
    window_ms = hours_ms(params["flap_hours"])
    out = []
    for row in rows:
        if _flapping(row, window_ms):
            continue
        slowest, silence_ms = row["slowest_kn"], row["longest_silence_ms"]
        still = slowest is not None and float(slowest) <= params["still_kn"]
        unseen = silence_ms is not None and int(silence_ms) >= hours_ms(params["silent_hours"])
        if slowest is not None and not (still or unseen):
            continue  # under way and in sight all along: a correction, not cargo
        lat, lon = float(row["lat"]), float(row["lon"])
        before, after = float(row["previous"]), float(row["draught"])
        near = nearest_port(lat, lon)
        port = near[0] if near is not None and near[1] <= params["port_km"] * 1000 else None
        details = {
            "from_m": before,
            "to_m": after,
            "change_m": round(after - before, 2),
            "cargo": "loaded" if after > before else "discharged",
            "at_sea": port is None,
            "since_old_draught": {
                "slowest_kn": None if slowest is None else round(float(slowest), 1),
                "longest_silence_h": (
                    None if silence_ms is None else round(int(silence_ms) / MS_PER_HOUR, 2)
                ),
            },
        }
        out.append(Event("draught_change", int(row["mmsi"]), int(row["start_ms"]), None, lat,
                         lon, port=port, details=details))  # fmt: skip
    return out


DETECTOR = Detector(name="draught_change", sql=sql, events=events)
