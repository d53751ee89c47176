"""Draught changes: a vessel's broadcast draught moves by ``min_fraction`` (10 %) and
``min_metres`` (0.5 m) or more between consecutive rows of its identity history: cargo
loaded or discharged.

The event starts when the new draught was first broadcast and is placed where the vessel
was then (its last position within ``lookback_hours`` before); it is attributed to a port
within ``port_km``, else reported at sea (after a ship-to-ship transfer, typically). Crews
update the draught as they sail, so a change at or just after a port call is the issue's
arrival-versus-departure comparison. A change undone within ``flap_hours`` (1 h) is not
reported: that is two ships broadcasting one MMSI, which the identity detector reports.
"""

from __future__ import annotations

from sanctionwatch.behaviour.detectors.base import Detector, Row, Window, render_sql
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.places import nearest_port
from sanctionwatch.geo.units import hours_ms


def sql(params: dict[str, float], window: Window) -> str:
    """The query of ``behaviour/sql/draught_change.sql.j2`` with this run's parameters."""
    return render_sql(
        "draught_change",
        window_first_seen=window.where_ms("first_seen"),
        min_metres=float(params["min_metres"]),
        min_fraction=float(params["min_fraction"]),
        lookback_ms=hours_ms(params["lookback_hours"]),
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
        }
        out.append(Event("draught_change", int(row["mmsi"]), int(row["start_ms"]), None, lat,
                         lon, port=port, details=details))  # fmt: skip
    return out


DETECTOR = Detector(name="draught_change", sql=sql, events=events)
