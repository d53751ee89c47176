"""Build src/sanctionwatch/ais/data/mid.csv from the ITU MID table (one-off, at development time).

Usage: python tools/make_mid_table.py PATH/TO/itu_MaritimeIdentificationDigits.csv

Adds the ISO 3166 code of each flag state (FollowTheMoney's country cleaning, with the
few names it cannot read fixed by hand below) so that the flag implied by an MMSI can be
compared with the flags that sanctions lists and AIS static messages report.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from sanctionwatch.lists.model import country_code

OUT = Path(__file__).resolve().parents[1] / "src/sanctionwatch/ais/data/mid.csv"

# Names (after cleaning, see ``plain``) that FtM's exact reading misses or gets wrong.
MANUAL = {
    "Azores": "pt",
    "Madeira": "pt",
    "Canary Islands": "es",
    "Alaska": "us",
    "Hawaii": "us",
    "Korea": "kr",  # "Korea (Republic of)"; the DPRK entry is spelled out in full
    "Democratic People's Republic of Korea": "kp",
    "Bonaire, Sint Eustatius and Saba": "bq",
    "Sint Maarten": "sx",
    "Adelie Land": "tf",
    "Saint Paul and Amsterdam Islands": "tf",
    "Crozet Archipelago": "tf",
    "Kerguelen Islands": "tf",
    "Guiana": "gf",
    "Falkland Islands": "fk",
    "Macao": "mo",
    "Hong Kong": "hk",
    "Taiwan": "tw",
    "State of Palestine": "ps",
    "Christmas Island": "cx",
    "Pitcairn Island": "pn",
}


def plain(name: str) -> str:
    """ "France - Guadeloupe (French Department of)" -> "Guadeloupe": the territory, unqualified."""
    name = name.split(" - ", 1)[-1]
    return re.sub(r"\s*\(.*?\)", "", name).strip()


def main(source: str) -> None:
    rows = []
    with open(source, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["Allocated_to"].strip()
            short = plain(name)
            code = MANUAL.get(short) or country_code(short) or ""
            rows.append((row["MID"].strip(), code, name))
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["mid", "iso2", "allocated_to"])
        writer.writerows(sorted(rows))
    missing = [name for _, code, name in rows if not code]
    print(f"{len(rows)} MIDs written to {OUT}; without an ISO code: {missing}")


if __name__ == "__main__":
    main(sys.argv[1])
