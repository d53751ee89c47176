"""Vendor Stone Soup's real AIS excerpt of the Solent into the MarineCadastre CSV layout.

    python tools/vendor_solent_ais.py SolentAIS_20160112_130211.csv \
        data/ais/solent_dstl_20160112.csv.gz

The source is ``docs/demos/SolentAIS_20160112_130211.csv`` of the PyPI source archive of
``stonesoup`` 1.9.1 (``pip download --no-deps --no-binary :all: stonesoup``; MIT, Crown
Copyright Dstl): 18,623 positions of 91 vessels in the Solent and Portsmouth Harbour, UK,
2016-01-12 13:02-14:26 UTC, with columns Time, MMSI, Latitude_degrees, Longitude_degrees,
COG_degrees, SOG_knots and no identity. Rows are kept as they are, in order; the time gets
the ISO "T" and is cut to whole seconds (MarineCadastre's precision); identity columns stay
empty. Written to a temporary file and renamed, so a failed run leaves nothing behind.
"""

from __future__ import annotations

import csv
import gzip
import os
import sys
import tempfile
from pathlib import Path

HEADER = [
    "MMSI", "BaseDateTime", "LAT", "LON", "SOG", "COG", "Heading", "VesselName", "IMO",
    "CallSign", "VesselType", "Status", "Length", "Width", "Draft", "Cargo", "TransceiverClass",
]  # fmt: skip
EXPECTED = ["Time", "MMSI", "Latitude_degrees", "Longitude_degrees", "COG_degrees", "SOG_knots"]


def convert(source: Path, target: Path) -> int:
    """Write ``target`` from ``source``; returns the rows written."""
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if header != EXPECTED:
            raise SystemExit(f"{source}:1: unexpected header {header}")
        fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        os.close(fd)
        count = 0
        try:
            with gzip.open(temporary, "wt", encoding="utf-8", newline="") as out:
                writer = csv.writer(out, lineterminator="\n")
                writer.writerow(HEADER)
                for line, row in enumerate(reader, start=2):
                    if len(row) != len(EXPECTED):
                        raise SystemExit(f"{source}:{line}: {len(row)} cells, expected 6")
                    time, mmsi, lat, lon, cog, sog = row
                    stamp = time.replace(" ", "T").split(".")[0]
                    writer.writerow([mmsi, stamp, lat, lon, sog, cog] + [""] * 11)
                    count += 1
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return count


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    print(convert(Path(sys.argv[1]), Path(sys.argv[2])), "rows")
