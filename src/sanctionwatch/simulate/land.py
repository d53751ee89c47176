"""Where the land is, for the generator: a 1/60 degree land mask and coast points.

Built from Natural Earth 1:50m land (public domain) by :mod:`build_land` for the region
30-52 N, 117-146 E (provenance in ``data/PROVENANCE.md``). Outside that box everything counts
as sea: the generator then trusts the searoute network as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from sanctionwatch.geo import haversine_m

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class LandMask:
    """A land raster (rows south to north) and the coastline vertices of the same source."""

    land: BoolArray
    lat_min: float
    lat_max: float
    lon_min: float
    lon_max: float
    cells_per_degree: int
    coast_lat: FloatArray
    coast_lon: FloatArray

    def cell(self, lat: FloatArray, lon: FloatArray) -> tuple[npt.NDArray[np.intp], ...]:
        """Row, column of each point and whether it lies inside the raster."""
        row = np.floor((np.asarray(lat) - self.lat_min) * self.cells_per_degree).astype(np.intp)
        col = np.floor((np.asarray(lon) - self.lon_min) * self.cells_per_degree).astype(np.intp)
        inside = (row >= 0) & (row < self.land.shape[0]) & (col >= 0) & (col < self.land.shape[1])
        return row, col, inside

    def is_land(self, lat: FloatArray, lon: FloatArray, grid: BoolArray | None = None) -> BoolArray:
        """True where a point falls on a land cell of ``grid`` (default: the land mask)."""
        grid = self.land if grid is None else grid
        row, col, inside = self.cell(lat, lon)
        result = np.zeros(np.shape(row), dtype=bool)
        result[inside] = grid[row[inside], col[inside]]
        return result

    def centre(self, row: int, col: int) -> tuple[float, float]:
        """Latitude, longitude of a cell centre."""
        return (
            self.lat_min + (row + 0.5) / self.cells_per_degree,
            self.lon_min + (col + 0.5) / self.cells_per_degree,
        )

    def distance_to_shore_m(self, lat: FloatArray, lon: FloatArray) -> FloatArray:
        """Metres from each point to the nearest coastline vertex (about 1-2 km apart).

        Brute force over the coast points: meant for hundreds of points (placing events,
        checking them in tests), not for every position.
        """
        lat = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        lon = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        out = np.empty(lat.shape, dtype=np.float64)
        step = max(1, 2_000_000 // max(1, self.coast_lat.size))
        for start in range(0, lat.size, step):
            part = slice(start, start + step)
            distances = haversine_m(
                lat[part, None], lon[part, None], self.coast_lat[None, :], self.coast_lon[None, :]
            )
            out[part] = distances.min(axis=1)
        return out

    def dilated(self, cells: int) -> BoolArray:
        """The land grown by ``cells`` cells in every direction (8-connected steps)."""
        grown = self.land.copy()
        for _ in range(cells):
            step = grown.copy()
            step[1:, :] |= grown[:-1, :]
            step[:-1, :] |= grown[1:, :]
            step[:, 1:] |= grown[:, :-1]
            step[:, :-1] |= grown[:, 1:]
            step[1:, 1:] |= grown[:-1, :-1]
            step[1:, :-1] |= grown[:-1, 1:]
            step[:-1, 1:] |= grown[1:, :-1]
            step[:-1, :-1] |= grown[1:, 1:]
            grown = step
        return grown


@cache
def land_mask() -> LandMask:
    """The bundled land mask (loaded once)."""
    resource = resources.files("sanctionwatch.simulate").joinpath("data/land_east_asia.npz")
    with resource.open("rb") as handle, np.load(handle) as data:
        rows, cols = (int(value) for value in data["shape"])
        land = np.unpackbits(data["mask"], axis=1)[:, :cols].astype(bool)
        lat_min, lat_max, lon_min, lon_max = (float(value) for value in data["bbox"])
        coast = data["coast"].astype(np.float64)
        return LandMask(
            land=land[:rows],
            lat_min=lat_min,
            lat_max=lat_max,
            lon_min=lon_min,
            lon_max=lon_max,
            cells_per_degree=int(data["cells_per_degree"]),
            coast_lat=np.ascontiguousarray(coast[:, 0]),
            coast_lon=np.ascontiguousarray(coast[:, 1]),
        )
