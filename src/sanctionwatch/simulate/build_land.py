"""Rebuild ``data/land_east_asia.npz`` from Natural Earth land polygons (a maintainer's tool).

    python -m sanctionwatch.simulate.build_land ne_50m_land.geojson \
        src/sanctionwatch/simulate/data/land_east_asia.npz

Rasterises the polygons (even-odd rule, cell centres) onto a 1/60 degree grid over the
generator's region, and keeps the polygon vertices inside it as coast points. The generator
uses the mask to keep routes at sea and the coast points to measure distance from shore
when it places loitering, encounters and dark periods. Numpy only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

# Region: Yellow Sea, East China Sea (north), Sea of Japan / East Sea, Tsugaru, south Sakhalin.
LAT_MIN, LAT_MAX = 30.0, 52.0
LON_MIN, LON_MAX = 117.0, 146.0
CELLS_PER_DEGREE = 60


def _rings(geojson: dict[str, Any]) -> list[npt.NDArray[np.float64]]:
    rings = []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        for polygon in polygons:
            for ring in polygon:
                points = np.asarray(ring, dtype=np.float64)
                lon, lat = points[:, 0], points[:, 1]
                if lon.max() < LON_MIN or lon.min() > LON_MAX:
                    continue
                if lat.max() < LAT_MIN or lat.min() > LAT_MAX:
                    continue
                rings.append(points)
    return rings


def rasterise(rings: list[npt.NDArray[np.float64]]) -> npt.NDArray[np.bool_]:
    """Land mask, rows south to north, columns west to east; a cell is land if its centre is."""
    rows = round((LAT_MAX - LAT_MIN) * CELLS_PER_DEGREE)
    cols = round((LON_MAX - LON_MIN) * CELLS_PER_DEGREE)
    centre_lat = LAT_MIN + (np.arange(rows) + 0.5) / CELLS_PER_DEGREE
    centre_lon = LON_MIN + (np.arange(cols) + 0.5) / CELLS_PER_DEGREE
    crossings = np.zeros((rows, cols), dtype=np.int32)
    for ring in rings:
        x0, y0 = ring[:-1, 0], ring[:-1, 1]
        x1, y1 = ring[1:, 0], ring[1:, 1]
        for row in range(rows):
            y = centre_lat[row]
            spans = (y0 <= y) != (y1 <= y)
            if not spans.any():
                continue
            t = (y - y0[spans]) / (y1[spans] - y0[spans])
            x = x0[spans] + t * (x1[spans] - x0[spans])
            # Each crossing toggles every cell centre east of it (even-odd rule).
            first = np.searchsorted(centre_lon, x)
            np.add.at(crossings[row], first[first < cols], 1)
    return (np.cumsum(crossings, axis=1) % 2).astype(bool)


def coast_points(rings: list[npt.NDArray[np.float64]]) -> npt.NDArray[np.float32]:
    """Polygon vertices within the region (plus a 1 degree margin), as (lat, lon) rows."""
    points = np.concatenate(rings)
    keep = (
        (points[:, 1] >= LAT_MIN - 1)
        & (points[:, 1] <= LAT_MAX + 1)
        & (points[:, 0] >= LON_MIN - 1)
        & (points[:, 0] <= LON_MAX + 1)
    )
    return np.ascontiguousarray(points[keep][:, ::-1], dtype=np.float32)


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``build_land NE_LAND_GEOJSON OUT_NPZ``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    rings = _rings(json.loads(Path(args[0]).read_text(encoding="utf-8")))
    mask = rasterise(rings)
    np.savez_compressed(
        args[1],
        mask=np.packbits(mask, axis=1),
        shape=np.array(mask.shape, dtype=np.int64),
        bbox=np.array([LAT_MIN, LAT_MAX, LON_MIN, LON_MAX], dtype=np.float64),
        cells_per_degree=np.array(CELLS_PER_DEGREE, dtype=np.int64),
        coast=coast_points(rings),
    )
    print(f"{mask.sum()} land cells of {mask.size}; {len(rings)} rings -> {args[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
