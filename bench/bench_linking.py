"""Linking speed: link_vessels for ~10,000 vessels against the UN 2026-02-27 and OFAC SDN
2024-05-03 lists bundled in data/lists (issue 13's goal: linking and risk for 10,000 vessels
in under 10 s).

Run: .venv/bin/python bench/bench_linking.py [--vessels 10000] [--seed 1]

The AIS store is written from a generated DMA CSV: each vessel reports two to four times, a
fifth of them change name once, most broadcast a random valid IMO number; names are drawn
from words common in real ship names ("OCEAN", "STAR", "GOLD" ...), so that many share words
with listed ships and the screening engine has real work. Planted among them (1 in 200):
vessels using a listed IMO under a new name, a listed name, a listed former name, or a listed
name after their own. Loading the lists and the AIS file is not timed; one link_vessels call
is, three times: the first reads the listed ships and companies from the list store (and
saves them beside it), the others read that saved copy, as every run does until a list
changes.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from sanctionwatch.linking.links import LinkStats, link_vessels
from sanctionwatch.linking.listed import load_listed
from sanctionwatch.lists.identifiers import is_ship_imo
from sanctionwatch.lists.loader import load_lists
from sanctionwatch.lists.store import ListStore

ROOT = Path(__file__).resolve().parents[1]
LISTS = [
    ROOT / "data/lists/un/un_consolidated_2026-02-27.xml",
    ROOT / "data/lists/ofac/sdn_2024-05-03.csv",
]
HEADER = (
    "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,"
    "Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,"
    "Type of position fixing device,Draught,Destination,ETA,Data source type,A,B,C,D"
)
WORD_TEXT = (
    "OCEAN SEA STAR GOLD GOLDEN SILVER PACIFIC ATLANTIC NORTH SOUTH EAST WEST BRIGHT GLORY "
    "FORTUNE LUCKY GRAND ROYAL PRINCESS QUEEN KING EVER GREEN BLUE WIND WAVE PEARL JADE "
    "DRAGON PHOENIX TIGER LION EAGLE HARMONY UNITY VICTORY SPIRIT HOPE DREAM ISLAND BAY "
    "CAPE HARBOUR TRADER CARRIER EXPRESS PIONEER VOYAGER NAVIGATOR MARINER SUN MOON"
)
WORDS = WORD_TEXT.split()
MIDS = (351, 352, 353, 370, 371, 412, 413, 440, 441, 477, 511, 538, 636, 667, 273, 219)
TYPES = ("Cargo", "Tanker", "Fishing", "Tug", "Passenger")


def random_imo(rng: random.Random) -> str:
    while True:
        number = str(rng.randint(9_000_000, 9_999_999))
        if is_ship_imo(number):
            return number


def random_name(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.choice((1, 2, 2, 3)))
    if rng.random() < 0.4:
        words.append(str(rng.randint(1, 99)))
    return " ".join(words)


def line(ts_s: int, mmsi: int, imo: str, name: str, kind: str, length: int) -> str:
    stamp = time.strftime("%d/%m/%Y %H:%M:%S", time.gmtime(ts_s))
    return (
        f"{stamp},Class A,{mmsi},38.5,125.0,Under way using engine,0.0,10.0,45.0,44,{imo},,"
        f"{name},{kind},,20,{length},GPS,8.0,,,AIS,,,,"
    )


def generate(path: Path, vessels: int, seed: int, listed: list[tuple[str, str, str]]) -> int:
    """Write the DMA CSV; returns how many vessels were planted with a listed identity.
    ``listed``: (IMO, name, former name or "") of listed ships."""
    rng = random.Random(seed)
    start = 1_709_251_200  # 2024-03-01T00:00Z
    rows = [HEADER]
    planted = 0
    for number in range(vessels):
        mmsi = rng.choice(MIDS) * 1_000_000 + number
        imo = random_imo(rng) if rng.random() < 0.8 else "Unknown"
        name = random_name(rng)
        names = [name, random_name(rng)] if rng.random() < 0.2 else [name]
        if number % 200 == 0 and listed:  # 1 in 200: a listed identity, four ways
            listed_imo, listed_name, former = listed[(number // 200) % len(listed)]
            planted += 1
            way = (number // 200) % 4
            if way == 0:
                imo = listed_imo  # listed IMO under a new name
            elif way == 1:
                imo, names = "Unknown", [listed_name]
            elif way == 2 and former:
                imo, names = "Unknown", [former, name]
            else:
                names = [name, listed_name]
                imo = "Unknown"
        kind, length = rng.choice(TYPES), rng.randint(30, 300)
        t = start + rng.randint(0, 86_400)
        for index in range(rng.randint(2, 4)):
            current = names[min(index, len(names) - 1)]
            rows.append(line(t + index * 3_600, mmsi, imo, current, kind, length))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return planted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vessels", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        home.mkdir()
        began = time.perf_counter()
        with ListStore(home / "lists.sqlite") as lists:
            for path in LISTS:
                load_lists(lists, [path])
            print(f"lists loaded in {time.perf_counter() - began:.1f} s (not timed below)")
            data = load_listed(lists)
            ships = [
                (v.imo_numbers[0], v.names[0][1], (v.previous_names or [""])[0])
                for v in data.vessels
                if v.imo_numbers and v.names
            ]
            csv_path = Path(folder) / "traffic.csv"
            planted = generate(csv_path, args.vessels, args.seed, ships)
            with open_store(home) as store:
                ingest_file(store, Source(csv_path))
                for run in range(3):
                    stats = LinkStats()
                    began = time.perf_counter()
                    result = link_vessels(store, lists, stats=stats)
                    seconds = time.perf_counter() - began
                    how = "lists read and saved" if run == 0 else "lists from the saved copy"
                    print(
                        f"run {run + 1} ({how}): {stats.vessels} vessels, "
                        f"{stats.identity_rows} identity rows, "
                        f"{stats.names_screened} names screened: {seconds:.2f} s, "
                        f"{stats.vessels / seconds:,.0f} vessels/s"
                    )
        vias = Counter(link.via for link in result.links)
        flags = Counter(flag.kind for flag in result.flags)
        linked = len({link.mmsi for link in result.links if link.via != "owner"})
        print(f"listed ships: {len(data.vessels)}; planted listed identities: {planted}")
        print(f"links by via: {dict(sorted(vias.items()))}; vessels linked to a ship: {linked}")
        print(f"flags: {dict(flags)}; namesakes refused: {stats.homonyms}")
        machine = platform.processor() or platform.machine()
        print(f"machine: {machine}, {os.cpu_count()} cores, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
