"""Build src/sanctionwatch/web/static/geo/land-50m.geojson: the workspace map's offline base.

Usage (by hand, at development time; the package never reads the source at run time):

    .venv/bin/python tools/make_land.py ne_50m_land.geojson [--out OUT] [--decimals 3]

The source is Natural Earth's 1:50m land polygons (public domain, naturalearthdata.com; the
2014 edition). Coordinates are rounded to ``--decimals`` places (3: about 110 m, far finer
than the 1:50m data itself) and properties are dropped: the map only fills the shapes. That
halves the file (2.7 MB to about 1.1 MB; the server gzips it to about 350 KB).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

OUT = Path(__file__).parents[1] / "src/sanctionwatch/web/static/geo/land-50m.geojson"


def rounded(coordinates: Any, decimals: int) -> Any:
    if coordinates and isinstance(coordinates[0], (int, float)):
        return [round(float(value), decimals) for value in coordinates]
    return [rounded(part, decimals) for part in coordinates]


def compact(source: dict[str, Any], decimals: int) -> dict[str, Any]:
    features = [
        {
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": feature["geometry"]["type"],
                "coordinates": rounded(feature["geometry"]["coordinates"], decimals),
            },
        }
        for feature in source["features"]
        if feature.get("geometry")
    ]
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--decimals", type=int, default=3)
    args = parser.parse_args()
    land = compact(json.loads(args.source.read_text(encoding="utf-8")), args.decimals)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(land, separators=(",", ":")), encoding="utf-8")
    print(f"{args.out}: {len(land['features'])} polygons, {args.out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
