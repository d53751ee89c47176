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

from sanctionwatch.behaviour.detectors.base import Detector, Row, Window
from sanctionwatch.behaviour.events import Event
from sanctionwatch.behaviour.places import nearest_port
from sanctionwatch.geo.units import hours_ms


def sql(params: dict[str, float], window: Window) -> str:
    lookback = hours_ms(params["lookback_hours"])
    return f"""
WITH d AS (
    SELECT mmsi, first_seen, draught,
           lag(draught) OVER w AS previous, lag(first_seen) OVER w AS previous_since,
           lag(draught, 2) OVER w AS before_previous,
           lead(draught) OVER w AS next, lead(first_seen) OVER w AS next_since
    FROM identity
    WHERE draught IS NOT NULL
    WINDOW w AS (PARTITION BY mmsi ORDER BY first_seen, last_seen)
),
c AS (
    SELECT * FROM d
    WHERE previous IS NOT NULL AND previous > 0
      AND abs(draught - previous) >= {float(params["min_metres"])}
      AND abs(draught - previous) / previous >= {float(params["min_fraction"])}
      AND {window.where_ms("first_seen")}
)
SELECT c.mmsi, c.first_seen AS start_ms, c.previous, c.draught,
       max(c.previous_since) AS previous_since, max(c.before_previous) AS before_previous,
       max(c.next) AS next, max(c.next_since) AS next_since,
       -- the last position; of two at the same instant (two ships on one MMSI) the same
       -- one on every engine and run: ties broken by lat, then lon
       arg_max(p.lat, (p.ts, p.lat, p.lon)) AS lat, arg_max(p.lon, (p.ts, p.lat, p.lon)) AS lon
FROM c JOIN positions p
  ON p.mmsi = c.mmsi AND epoch_ms(p.ts) BETWEEN c.first_seen - {lookback} AND c.first_seen
GROUP BY c.mmsi, c.first_seen, c.previous, c.draught
ORDER BY c.mmsi, start_ms
"""  # noqa: S608 (numbers only)


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
