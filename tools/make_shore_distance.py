"""Build src/sanctionwatch/geo/data/shore_distance.npz (one-off, at development time).

Usage: python tools/make_shore_distance.py [--step 0.05] [--no-provenance]

Needs ``global-land-mask`` (MIT; the 1-km GLOBE land mask, 21,600 x 43,200 pixels of
1/120 degree) and scipy, both for building only: ``pip install global-land-mask scipy``.
Neither is a run-time dependency; ``sanctionwatch.geo.shore`` reads only the npz.

Output: a grid of nodes every ``step`` degrees, node (i, j) at latitude
``90 - (i + 0.5) * step`` and longitude ``-180 + (j + 0.5) * step`` (the centres of the
step-degree cells). Each node holds the great-circle distance, on a sphere of radius
``EARTH_RADIUS_M``, from the node to the centre of the nearest 1-km land pixel, in units of
100 m (uint16, rounded), capped at 1,000 km (value 10,000 means "1,000 km or more"). A node
is land (value 0) when any of the four 1-km pixels meeting at it is land; at 0.05 and 0.1
degrees every node falls on a pixel corner. The npz holds that uint16 grid losslessly as its
westmost column (``distance_west``, uint16) and the eastward steps between neighbouring
nodes (``distance_steps``, int8; the grid is ``distance_west[:, None]`` followed by
``distance_west[:, None] + cumsum(distance_steps, axis=1)``), plus ``step_deg``,
``north_deg``, ``west_deg``, ``unit_m`` and ``cap_m``.

Method: only coastal land pixels (land with a water pixel among its eight neighbours, the
longitude wrapping round) can be the nearest land to a water point, so those are put in a
``scipy.spatial.cKDTree`` as 3-D unit vectors; each water node asks for its nearest one,
and the chord length is turned into an arc (``2 R asin(c / 2)``). This is the exact
great-circle nearest neighbour, has no trouble near the poles, and handles the antimeridian
by construction (179.99 E and 179.99 W are neighbours in xyz). A distance transform on the
equirectangular grid would measure degrees, not metres.

Resolution: 0.05 degrees (3,600 x 7,200 nodes, about 5.6 km north-south) when the
compressed file stays under about 6 MB, else 0.1 degrees. Stored plainly as uint16 the
0.05-degree grid compresses to 22.9 MB; as column-to-column steps (int8) it takes 4.7 MB,
which is why the steps are stored and why the grid is 0.05 degrees, not 0.1. A run over
the budget stops and asks for ``--step 0.1``. The run takes about 1.5 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import textwrap
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np
import numpy.typing as npt
from global_land_mask import globe
from scipy.spatial import cKDTree

from sanctionwatch.geo.units import EARTH_RADIUS_M

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/sanctionwatch/geo/data/shore_distance.npz"
PROVENANCE = ROOT / "src/sanctionwatch/geo/data/PROVENANCE.md"
PIXELS_PER_DEGREE = 120  # the GLOBE mask: 1/120 degree, about 0.93 km
UNIT_M = 100.0
CAP_M = 1_000_000.0
SIZE_LIMIT_BYTES = 6_000_000


def unit_vectors(
    lat_deg: npt.NDArray[np.float64], lon_deg: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """(n, 3) unit vectors for points in degrees."""
    lat = np.radians(lat_deg)
    lon = np.radians(lon_deg)
    cos_lat = np.cos(lat)
    return np.column_stack([cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)])


def load_land() -> npt.NDArray[np.bool_]:
    """The 1-km land mask, True on land; row 0 is the pixel row just south of 90 N."""
    # globe._mask is True over water; its rows run north to south from 90 N and its
    # columns east from 180 W, each pixel 1/120 degree (see globe.lat_to_index).
    water = np.asarray(globe._mask)
    assert water.shape == (180 * PIXELS_PER_DEGREE, 360 * PIXELS_PER_DEGREE), water.shape
    return ~water


def coastal_pixels(
    land: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Rows and columns of land pixels with a water pixel among their eight neighbours."""
    water = ~land
    near_water = np.zeros_like(land)
    # Columns wrap (the antimeridian); rows do not (nothing lies beyond a pole).
    for d_col in (-1, 0, 1):
        shifted = np.roll(water, d_col, axis=1) if d_col else water
        near_water |= shifted
        near_water[1:] |= shifted[:-1]
        near_water[:-1] |= shifted[1:]
    rows, cols = np.nonzero(land & near_water)
    return rows.astype(np.int64), cols.astype(np.int64)


def build(step: float) -> dict[str, npt.NDArray[np.generic]]:
    """The arrays of shore_distance.npz for a grid of ``step`` degrees."""
    per_node = round(step * PIXELS_PER_DEGREE)
    if not np.isclose(per_node, step * PIXELS_PER_DEGREE) or per_node % 2:
        raise SystemExit(f"step {step} must be an even number of 1/120-degree pixels")
    started = time.perf_counter()
    land = load_land()
    rows, cols = coastal_pixels(land)
    print(f"{len(rows):,} coastal land pixels ({time.perf_counter() - started:.0f} s)")
    coast_xyz = unit_vectors(
        90.0 - (rows + 0.5) / PIXELS_PER_DEGREE, -180.0 + (cols + 0.5) / PIXELS_PER_DEGREE
    )
    del rows, cols
    tree = cKDTree(coast_xyz)
    print(f"k-d tree built ({time.perf_counter() - started:.0f} s)")

    n_lat, n_lon = 180 * PIXELS_PER_DEGREE // per_node, 360 * PIXELS_PER_DEGREE // per_node
    # Node (i, j) is the corner shared by pixels rows c-1, c and columns d-1, d.
    half = per_node // 2
    corner_rows = np.arange(n_lat) * per_node + half
    corner_cols = np.arange(n_lon) * per_node + half
    node_land = (
        land[np.ix_(corner_rows - 1, corner_cols - 1)]
        | land[np.ix_(corner_rows - 1, corner_cols)]
        | land[np.ix_(corner_rows, corner_cols - 1)]
        | land[np.ix_(corner_rows, corner_cols)]
    )
    del land
    node_lat = 90.0 - (np.arange(n_lat) + 0.5) * step
    node_lon = -180.0 + (np.arange(n_lon) + 0.5) * step

    distance_m = np.zeros((n_lat, n_lon), dtype=np.float64)
    chord_cap = 2.0 * np.sin(CAP_M / EARTH_RADIUS_M / 2.0)
    band = max(1, n_lat // 36)
    for first in range(0, n_lat, band):
        last = min(first + band, n_lat)
        lat_grid, lon_grid = np.meshgrid(node_lat[first:last], node_lon, indexing="ij")
        water = ~node_land[first:last]
        chord, _ = tree.query(
            unit_vectors(lat_grid[water], lon_grid[water]),
            distance_upper_bound=chord_cap,
            workers=-1,
        )
        arc = 2.0 * EARTH_RADIUS_M * np.arcsin(np.minimum(chord, chord_cap) / 2.0)
        rows_out = distance_m[first:last]
        rows_out[water] = arc
        print(f"  rows {first}-{last - 1} done ({time.perf_counter() - started:.0f} s)")
    units = np.minimum(np.rint(distance_m / UNIT_M), CAP_M / UNIT_M).astype(np.uint16)
    # Stored as the westmost column plus eastward steps: a distance changes by at most the
    # node spacing (about 56 units at 0.05 degrees) from one node to the next, so the steps
    # fit int8 and compress to a fifth of the plain uint16 grid.
    steps = np.diff(units.astype(np.int32), axis=1)
    assert np.abs(steps).max() <= np.iinfo(np.int8).max, np.abs(steps).max()
    return {
        "distance_west": units[:, 0].copy(),
        "distance_steps": steps.astype(np.int8),
        "step_deg": np.asarray(step, dtype=np.float64),
        "north_deg": np.asarray(90.0, dtype=np.float64),
        "west_deg": np.asarray(-180.0, dtype=np.float64),
        "unit_m": np.asarray(UNIT_M, dtype=np.float64),
        "cap_m": np.asarray(CAP_M, dtype=np.float64),
    }


def source_sha256() -> str:
    """sha256 of the land-mask file inside the installed global-land-mask package."""
    path = Path(globe.__file__).with_name("globe_combined_mask_compressed.npz")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def provenance(step: float, size: int, note: str) -> str:
    """The PROVENANCE.md section for the file just written (bullets wrapped at 98 columns)."""
    n_lat, n_lon = round(180 / step), round(360 / step)
    bullets = [
        f"Source: the 1-km land mask of the PyPI package `global-land-mask`"
        f" {version('global-land-mask')} (Todd Karin, MIT licence; derived from NOAA's GLOBE"
        f" 30-arc-second elevation data, public domain), file"
        f" `globe_combined_mask_compressed.npz`, sha256 `{source_sha256()}`. Lakes mostly count"
        f" as land there.",
        f"Content: a uint16 grid ({n_lat:,} x {n_lon:,} nodes) of the great-circle distance from"
        f" each node to the centre of the nearest 1-km land pixel, in units of {UNIT_M:.0f} m,"
        f" capped at {CAP_M / 1000:,.0f} km (value {CAP_M / UNIT_M:.0f} = that far or farther);"
        f" 0 when any of the four pixels meeting at the node is land. Node (i, j) is at latitude"
        f" `90 - (i + 0.5) * step_deg`, longitude `-180 + (j + 0.5) * step_deg`; sphere radius"
        f" {EARTH_RADIUS_M:,.1f} m. Stored losslessly as its westmost column `distance_west`"
        f" (uint16) and the eastward steps `distance_steps` (int8, column to column;"
        f" `sanctionwatch.geo.shore` rebuilds the grid with a cumulative sum), plus `step_deg`,"
        f" `north_deg`, `west_deg`, `unit_m`, `cap_m`.",
        "Method: nearest coastal land pixel (land with a water pixel among its 8 neighbours) by"
        " a scipy `cKDTree` over 3-D unit vectors, chord converted to arc: exact on the sphere;"
        " the antimeridian and the poles need no special case.",
        f"Resolution: {step} degrees, file {size / 1e6:.1f} MB. {note}",
        "Rebuild: `pip install global-land-mask scipy` (build time only), then"
        f" `python tools/make_shore_distance.py --step {step}`.",
    ]
    # Keep `code spans` on one line: protect their spaces from the wrapper.
    protected = [re.sub(r"`[^`]*`", lambda m: m[0].replace(" ", "\0"), b) for b in bullets]
    lines = [
        textwrap.fill(text, width=98, initial_indent="- ", subsequent_indent="  ").replace(
            "\0", " "
        )
        for text in protected
    ]
    return "\n## shore_distance.npz\n\n" + "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--step", type=float, default=0.05, help="grid step in degrees")
    parser.add_argument(
        "--no-provenance", action="store_true", help="do not append to PROVENANCE.md"
    )
    args = parser.parse_args(argv)
    step: float = args.step
    arrays = build(step)
    np.savez_compressed(OUT, **arrays)  # type: ignore[arg-type]  # stub types **kwds as bool
    size = OUT.stat().st_size
    print(f"wrote {OUT} ({size:,} bytes)")
    if step == 0.05 and size > SIZE_LIMIT_BYTES:
        print("over the size limit: rebuild with --step 0.1", file=sys.stderr)
        raise SystemExit(1)
    if step == 0.05:
        note = (
            "Chosen over 0.1 degrees because the file stays under the ~6 MB budget: as a plain"
            " uint16 grid it would compress to about 23 MB; as int8 column steps it does not."
        )
    else:
        note = (
            "At 0.05 degrees the compressed file exceeded the ~6 MB budget, hence the coarser grid."
        )
    if not args.no_provenance:
        with PROVENANCE.open("a", encoding="utf-8") as handle:
            handle.write(provenance(step, size, note))


if __name__ == "__main__":
    main()
