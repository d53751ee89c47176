"""Units, defined once: the Earth's radius, the nautical mile, the hour in milliseconds.

Distances are metres and times milliseconds since the epoch inside the behaviour layer
(variables say so: ``_m``, ``_ms``); parameters are given in the units their names say
(``_km``, ``_nm``, ``_hours``, ``_kn``) and converted with these.
"""

from __future__ import annotations

import math

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), metres
METRES_PER_NM = 1852.0  # international nautical mile
METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180  # along a meridian: about 111,195 m
MS_PER_HOUR = 3_600_000
KNOT_M_PER_MS = METRES_PER_NM / MS_PER_HOUR  # metres per millisecond at one knot


def hours_ms(hours: float) -> int:
    """``hours`` (a parameter) in whole milliseconds."""
    return int(hours * MS_PER_HOUR)
