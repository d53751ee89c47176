"""The vendored browser assets are the files VENDOR.md names, byte for byte: a copy changed
by hand (or a new file dropped in without its licence and provenance) fails here."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from sanctionwatch.web.pages.common import STATIC_DIR

VENDOR = STATIC_DIR / "vendor"
ROW = re.compile(r"^\| (?P<file>[^ |]+) \| (?P<package>[^|]+) \|[^|]*\| (?P<sha>[0-9a-f]{64}) \|$")


def vendored() -> dict[str, str]:
    rows = {}
    for line in (VENDOR / "VENDOR.md").read_text(encoding="utf-8").splitlines():
        if match := ROW.match(line):
            rows[match["file"]] = match["sha"]
    return rows


def test_every_vendored_file_matches_its_recorded_hash() -> None:
    rows = vendored()
    assert len(rows) == 13
    for name, sha in rows.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == sha, name


def test_no_file_is_vendored_without_a_row() -> None:
    on_disk = {str(path.relative_to(VENDOR)) for path in VENDOR.rglob("*") if path.is_file()} - {
        "VENDOR.md"
    }
    assert on_disk == set(vendored())


def test_each_package_ships_its_licence() -> None:
    for package in ("maplibre-gl", "htmx", "swagger-ui", "redoc"):
        assert any(p.name.startswith("LICENSE") for p in (VENDOR / package).iterdir()), package


def test_the_offline_land_is_package_data_with_provenance() -> None:
    land = STATIC_DIR / "geo" / "land-50m.geojson"
    assert land.stat().st_size > 500_000  # the 1:50m polygons, not a placeholder
    assert "Natural Earth" in (STATIC_DIR / "geo" / "PROVENANCE.md").read_text(encoding="utf-8")
    assert Path(__file__).parents[2].joinpath("tools", "make_land.py").exists()
