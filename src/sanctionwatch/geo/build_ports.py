"""Rebuild ``data/ports.csv`` from the NGA World Port Index CSV (a maintainer's tool).

    python -m sanctionwatch.geo.build_ports UpdatedPub150.csv src/sanctionwatch/geo/data/ports.csv

Keeps, for every WPI port: main name, alternate names, country (ISO 3166 alpha-2, from
the country name, or from the UN/LOCODE when WPI gives none), UN/LOCODE (compact),
latitude, longitude and WPI number. Then appends :data:`MANUAL_PORTS`, places in no
gazetteer, and :data:`MANUAL_ALIASES`, names analysts use that WPI does not list. Nothing
here runs when sanctionwatch runs: the package reads only the CSV this writes.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

# WPI country names that followthemoney's country table does not know.
COUNTRY_FIXES = {
    "Falkland Islands (Islas Malvinas)": "FK",
    "Johnson Atoll": "UM",
    "Midway Islands": "UM",
    "Saint Vincent and the Grenadines (Windward Islands)": "VC",
    "South Georgia and South Sandwich Islands": "GS",
}

# name, country, locode, lat, lon, alternate names, note
MANUAL_PORTS: list[tuple[str, str, str, float, float, str, str]] = [
    (
        "Dunai",
        "RU",
        "",
        42.9,
        132.3,
        "Dunay; Dunai naval facility; Strelok Bay",
        "manual entry, position unverified (about 42.9 N 132.3 E): former Soviet submarine "
        "base in Strelok Bay about 9 km south of Fokino (RUSI, The Orient Express, 17 Oct "
        "2023); in no gazetteer",
    ),
]

# WPI main name (with LOCODE, to be exact) -> extra alternate names added by hand.
MANUAL_ALIASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("Najin", "KPRJN"): ("Rajin", "Rason", "Rajin-Sonbong"),
    ("Vostochnyy", "RUVYP"): ("Vostochny", "Vostochny Port"),
    ("Nampo", "KPNAM"): ("Nampho",),
    ("Ch'ongjin", "KPCHO"): ("Chongjin",),
}

COLUMNS = [
    "name",
    "country",
    "locode",
    "lat",
    "lon",
    "alternate_names",
    "source",
    "wpi_number",
    "note",
]


def country_code(name: str, locode: str) -> str:
    """ISO alpha-2 for a WPI country name; the LOCODE's prefix when WPI gives no country."""
    from followthemoney.types import registry  # build time only: its table takes a second

    name = name.strip()
    if name in COUNTRY_FIXES:
        return COUNTRY_FIXES[name]
    code = registry.country.clean(name) if name else None
    if code:
        return str(code).upper()
    if len(locode) == 5:
        return locode[:2].upper()
    raise ValueError(f"no ISO code for WPI country {name!r}")


def build_rows(wpi_csv: Path) -> list[dict[str, str]]:
    """The gazetteer rows: WPI ports in WPI number order, then the manual entries."""
    rows: list[dict[str, str]] = []
    with wpi_csv.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            locode = record["UN/LOCODE"].replace(" ", "").strip().upper()
            name = record["Main Port Name"].strip()
            alternates = [
                part.strip()
                for part in record["Alternate Port Name"].split(";")
                if part.strip() and part.strip() != name
            ]
            alternates += MANUAL_ALIASES.get((name, locode), ())
            rows.append(
                {
                    "name": name,
                    "country": country_code(record["Country Code"], locode),
                    "locode": locode,
                    "lat": f"{float(record['Latitude']):.6f}",
                    "lon": f"{float(record['Longitude']):.6f}",
                    "alternate_names": "; ".join(dict.fromkeys(alternates)),
                    "source": "NGA WPI",
                    "wpi_number": record["World Port Index Number"].strip(),
                    "note": "alternate names partly manual"
                    if (name, locode) in MANUAL_ALIASES
                    else "",
                }
            )
    rows.sort(key=lambda row: float(row["wpi_number"]))
    for name, country, locode, lat, lon, names, note in MANUAL_PORTS:
        rows.append(
            {
                "name": name,
                "country": country,
                "locode": locode,
                "lat": f"{lat:.6f}",
                "lon": f"{lon:.6f}",
                "alternate_names": names,
                "source": "manual",
                "wpi_number": "",
                "note": note,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``build_ports WPI_CSV OUT_CSV``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    rows = build_rows(Path(args[0]))
    with Path(args[1]).open("w", encoding="utf-8", newline="") as out:
        out.write(
            "# NGA World Port Index (Pub. 150, UpdatedPub150.csv), US government work, public "
            "domain; columns selected and country names coded by sanctionwatch.geo.build_ports; "
            "rows with source=manual are not from WPI (see PROVENANCE.md)\n"
        )
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} ports written to {args[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
