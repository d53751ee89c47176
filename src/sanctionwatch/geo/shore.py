"""Distance from a position at sea to the nearest shore, in metres.

GFW's behaviour rules need it: a gap that starts 50 nm or more from shore is likely
deliberate, loitering counts only 20 nm or more from shore. The bundled
``data/shore_distance.npz`` holds a 0.05-degree global grid of great-circle distances to the
nearest land of the 1-km GLOBE land mask, built by ``tools/make_shore_distance.py``
(provenance in ``data/PROVENANCE.md``). Values are exact at the grid nodes to 100 m; between
nodes they are interpolated bilinearly. Against a brute-force haversine over the 1-km mask
itself, 400 random sea points within 200 km of land were off by 34 m (median), 330 m (95th
percentile) and 1.4 km at worst. Distances are capped at 1,000 km. Only numpy is needed at
run time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import overload

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


_CHUNK = 1 << 14  # positions per pass: keeps the temporaries in the CPU cache


@dataclass(frozen=True, slots=True)
class ShoreGrid:
    """The decoded grid: ``distance[i, j]`` in units of ``unit_m`` metres at node (i, j).

    Node (i, j) lies at latitude ``north_deg - (i + 0.5) * step_deg`` and longitude
    ``west_deg + (j + 0.5) * step_deg``; 0 means the node is on land, ``cap_m / unit_m`` that
    the nearest land is ``cap_m`` or farther. ``padded`` is the same grid with one column
    wrapped round on each side (the antimeridian) and the southmost row repeated, so that a
    lookup never needs a modulo or a bounds check; ``distance`` is a view into it.
    """

    distance: npt.NDArray[np.uint16]
    padded: npt.NDArray[np.uint16]
    step_deg: float
    north_deg: float
    west_deg: float
    unit_m: float
    cap_m: float


@cache
def shore_grid() -> ShoreGrid:
    """Read and decode the bundled grid (once per process; about 0.3 s, 52 MB)."""
    data = resources.files("sanctionwatch.geo").joinpath("data/shore_distance.npz").read_bytes()
    with np.load(io.BytesIO(data)) as stored:
        west = stored["distance_west"].astype(np.int32)
        steps = stored["distance_steps"]
        padded = np.empty((west.shape[0] + 1, steps.shape[1] + 3), dtype=np.uint16)
        distance = padded[:-1, 1:-1]
        distance[:, 0] = west
        # The file holds column-to-column steps (they compress five times better).
        distance[:, 1:] = west[:, None] + np.cumsum(steps, axis=1, dtype=np.int32)
        padded[:-1, 0] = distance[:, -1]
        padded[:-1, -1] = distance[:, 0]
        padded[-1] = padded[-2]
        return ShoreGrid(
            distance=distance,
            padded=padded,
            step_deg=float(stored["step_deg"]),
            north_deg=float(stored["north_deg"]),
            west_deg=float(stored["west_deg"]),
            unit_m=float(stored["unit_m"]),
            cap_m=float(stored["cap_m"]),
        )


@overload
def distance_to_shore_m(lat: float, lon: float) -> float: ...  # type: ignore[overload-overlap]
@overload
def distance_to_shore_m(lat: FloatArray | float, lon: FloatArray | float) -> FloatArray: ...


def distance_to_shore_m(lat: FloatArray | float, lon: FloatArray | float) -> FloatArray | float:
    """Great-circle distance in metres from each position to the nearest land.

    ``lat``/``lon`` are degrees (WGS 84), floats or numpy arrays that broadcast together;
    a float pair gives a float. Bilinear interpolation between the four surrounding
    0.05-degree nodes, longitude wrapping across the antimeridian; 0.0 deep inside land
    (all four nodes on land), at most 1,000,000.0 (the cap) in open ocean. NaN where the
    position is not one: non-finite, latitude outside [-90, 90] or longitude outside
    [-180, 180] (AIS sends 91 / 181 for "not available"). Lakes mostly count as land.
    About 0.45 s per 10 million random positions on one core (``bench/bench_shore.py``).
    """
    grid = shore_grid()
    lat_deg, lon_deg = np.broadcast_arrays(
        np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
    )
    shape = lat_deg.shape
    lat_flat = np.ravel(lat_deg)
    lon_flat = np.ravel(lon_deg)
    metres = np.empty(lat_flat.shape, dtype=np.float64)
    for start in range(0, metres.size, _CHUNK):
        stop = start + _CHUNK
        _interpolate(grid, lat_flat[start:stop], lon_flat[start:stop], metres[start:stop])
    if not shape:
        return float(metres[0])
    return metres.reshape(shape)


def _interpolate(grid: ShoreGrid, lat: FloatArray, lon: FloatArray, out: FloatArray) -> None:
    """Bilinear lookup of one chunk into ``out`` (metres, NaN for invalid positions)."""
    n_lat = grid.distance.shape[0]
    width = grid.padded.shape[1]
    flat = grid.padded.ravel()
    valid = (np.abs(lat) <= 90.0) & (np.abs(lon) <= 180.0)  # False for NaN too
    # Fractional node coordinates in the padded grid (node centres at integers; the
    # padding column shifts x by one). Within half a node of a pole there is no row beyond:
    # the clip holds the last row's value.
    y = (grid.north_deg - lat) / grid.step_deg - 0.5
    x = (lon - grid.west_deg) / grid.step_deg + 0.5
    all_valid = bool(valid.all())
    if not all_valid:
        y[~valid] = 0.0
        x[~valid] = 1.0
    np.clip(y, 0.0, n_lat - 1.0, out=y)
    row = np.floor(y)
    column = np.floor(x)
    y -= row  # now the weight of the southern pair
    x -= column  # now the weight of the eastern pair
    index = row.astype(np.intp)
    index *= width
    index += column.astype(np.intp)
    north_west = flat[index].astype(np.float64)
    north = north_west + (flat[index + 1] - north_west) * x
    index += width
    south_west = flat[index].astype(np.float64)
    south = south_west + (flat[index + 1] - south_west) * x
    south -= north
    south *= y
    north += south
    north *= grid.unit_m
    out[:] = north
    if not all_valid:
        out[~valid] = np.nan
