"""Which stored events can count towards a risk score, as a condition on the event table.

Scoring a home reads every stored event, and reading is most of the cost (a million events
take seconds to decode). Most of them cannot count: a port call counts only in the DPRK or
at a watched port, loitering only inside a transfer zone, a draught change only at sea.
``relevant_events`` keeps, in SQL, a superset of what the factors use (``behaviour_factors``:
the zones are tested here by their bounding boxes, the exact test stays in Python), so
scoring what it keeps gives exactly the scores of scoring everything, given the same end
of the data (``EventStore.data_end``), which recency is measured against. The equivalence is
tested (tests/risk/test_relevant.py); a new factor that reads another kind of event, or
another field, must widen this condition.
"""

from __future__ import annotations

from sanctionwatch.risk.behaviour_factors import DPRK_COUNTRY
from sanctionwatch.risk.zones import Zone


def relevant_events(zones: tuple[Zone, ...]) -> tuple[str, list[object]]:
    """A SQL condition on ``event`` and its parameters (see the module docstring)."""
    boxes = " OR ".join("(lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?)" for _ in zones)
    params: list[object] = [DPRK_COUNTRY]
    for zone in zones:
        lon_min, lat_min, lon_max, lat_max = zone.bbox
        params += [lat_min, lat_max, lon_min, lon_max]
    condition = (
        "(type NOT IN ('port_call', 'loitering', 'draught_change')"
        " OR (type = 'port_call' AND (upper(COALESCE(json_extract(details, '$.country'), ''))"
        " = ? OR COALESCE(json_type(details, '$.watched'), 'false') NOT IN ('false', 'null')))"
        " OR (type = 'draught_change'"
        " AND COALESCE(json_type(details, '$.at_sea'), '') != 'false')"
        f" OR (type = 'loitering' AND ({boxes or '0'})))"
    )
    return condition, params
