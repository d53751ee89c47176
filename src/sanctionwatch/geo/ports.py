"""The port gazetteer: every port of the NGA World Port Index plus a few manual entries.

The bundled ``data/ports.csv`` holds name, country (ISO 3166 alpha-2), UN/LOCODE and
position of the 3,768 ports of NGA Pub. 150 (public domain; provenance in
``data/PROVENANCE.md``), and places that no gazetteer lists but sanctions monitoring needs,
such as the Dunai naval facility; those rows say ``source=manual`` and carry a note on how
sure their position is. Port points often fall on land or mid-harbour: use distance buffers
(GFW: enter within 3 km, leave beyond 4 km), never a point-in-water test.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import overload

import numpy as np
import numpy.typing as npt

from sanctionwatch.errors import InputError
from sanctionwatch.geo.units import EARTH_RADIUS_M

FloatArray = npt.NDArray[np.float64]


class PortNotFoundError(InputError):
    """No port, or more than one, answers to the name or UN/LOCODE asked for."""


@dataclass(frozen=True, slots=True)
class Port:
    """One port. ``lat``/``lon`` in degrees (WGS 84); ``locode`` compact, e.g. ``KPRJN``."""

    name: str
    country: str  # ISO 3166 alpha-2, upper case ("KP")
    locode: str | None
    lat: float
    lon: float
    alternate_names: tuple[str, ...] = ()
    source: str = "NGA WPI"  # or "manual"
    wpi_number: str | None = None  # WPI numbers are mostly integers, a few are "49454.5"
    note: str | None = None

    @property
    def manual(self) -> bool:
        """True for entries added by hand (in no gazetteer); see ``note``."""
        return self.source == "manual"


def _optional(text: str) -> str | None:
    text = text.strip()
    return text or None


@cache
def _ports() -> tuple[Port, ...]:
    text = resources.files("sanctionwatch.geo").joinpath("data/ports.csv").read_text("utf-8")
    ports = []
    for row in csv.DictReader(line for line in text.splitlines() if not line.startswith("#")):
        ports.append(
            Port(
                name=row["name"],
                country=row["country"],
                locode=_optional(row["locode"]),
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                alternate_names=tuple(
                    name.strip() for name in row["alternate_names"].split(";") if name.strip()
                ),
                source=row["source"],
                wpi_number=_optional(row["wpi_number"]),
                note=_optional(row["note"]),
            )
        )
    return tuple(ports)


def load_ports() -> list[Port]:
    """Every port of the bundled gazetteer (WPI order, then the manual entries)."""
    return list(_ports())


def _key(text: str) -> str:
    """Compare names without case, apostrophes, spaces or punctuation."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


@cache
def _index() -> tuple[dict[str, list[Port]], dict[str, list[Port]], dict[str, list[Port]]]:
    by_locode: dict[str, list[Port]] = {}
    by_name: dict[str, list[Port]] = {}
    by_alternate: dict[str, list[Port]] = {}
    for port in _ports():
        if port.locode:
            by_locode.setdefault(_key(port.locode), []).append(port)
        by_name.setdefault(_key(port.name), []).append(port)
        for name in port.alternate_names:
            by_alternate.setdefault(_key(name), []).append(port)
    return by_locode, by_name, by_alternate


def find_port(name_or_locode: str) -> Port:
    """The one port with this UN/LOCODE (``KPRJN`` or ``KP RJN``), main name or alternate name.

    Case, spaces and punctuation are ignored (``"Ch'ongjin"`` = ``"chongjin"``). A UN/LOCODE
    wins over names, a main name over alternate names. Raises :class:`PortNotFoundError`
    when nothing matches or when several different ports match at the same level (the
    message lists them, with their LOCODEs, so the caller can be precise).
    """
    key = _key(name_or_locode)
    if not key:
        raise PortNotFoundError("A port name or UN/LOCODE is needed.")
    for table in _index():
        found = table.get(key, [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            choices = ", ".join(
                f"{port.name} ({port.locode or port.country}, {port.lat:.3f} {port.lon:.3f})"
                for port in found
            )
            raise PortNotFoundError(
                f"{name_or_locode!r} names {len(found)} ports: {choices}; give the UN/LOCODE."
            )
    raise PortNotFoundError(f"No port called {name_or_locode!r} in the gazetteer.")


@overload
def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float: ...  # type: ignore[overload-overlap]
@overload
def haversine_m(
    lat1: FloatArray | float,
    lon1: FloatArray | float,
    lat2: FloatArray | float,
    lon2: FloatArray | float,
) -> FloatArray: ...


def haversine_m(
    lat1: FloatArray | float,
    lon1: FloatArray | float,
    lat2: FloatArray | float,
    lon2: FloatArray | float,
) -> FloatArray | float:
    """Great-circle distance in metres between points given in degrees.

    Works on floats (returns a float) and on numpy arrays, which broadcast against each
    other: ``haversine_m(lat[:, None], lon[:, None], plat[None, :], plon[None, :])`` gives
    the full distance matrix.
    """
    phi1 = np.radians(lat1)
    phi2 = np.radians(lat2)
    dphi = phi2 - phi1
    dlam = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    a = np.sin(dphi / 2.0) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2.0) ** 2
    distance = 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    if np.ndim(distance) == 0:
        return float(distance)
    return np.asarray(distance, dtype=np.float64)
