"""Places at sea: the port gazetteer and great-circle distances.

``load_ports()`` / ``find_port("Rajin")`` read the bundled gazetteer (NGA World Port Index
plus flagged manual entries); ``haversine_m`` measures metres between degrees, on floats or
numpy arrays. Nothing here reads outside the package.
"""

from sanctionwatch.geo.ports import (
    Port,
    PortNotFoundError,
    find_port,
    haversine_m,
    load_ports,
)
from sanctionwatch.geo.units import EARTH_RADIUS_M

__all__ = [
    "EARTH_RADIUS_M",
    "Port",
    "PortNotFoundError",
    "find_port",
    "haversine_m",
    "load_ports",
]
