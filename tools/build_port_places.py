"""Build src/sanctionwatch/geo/data/port_points.parquet: ports as places made of points.

Usage (by hand, at development time; the package never reads the source at run time):

    .venv/bin/python tools/build_port_places.py ANCHORAGES.csv [--ports PORTS.csv] [--out OUT]

ANCHORAGES.csv is Global Fishing Watch's anchorage list (anchorages pipeline v4.4.1,
``pipe_anchorages/data/port_lists/anchorage_overrides.csv``, Apache-2.0; columns
``s2id,latitude,longitude,label,sublabel,iso3``): points where vessels were seen stationary,
each an S2 level-14 cell of about 0.5 km, labelled with the place they belong to. PORTS.csv is
the bundled gazetteer (``geo/data/ports.csv``: NGA World Port Index plus manual rows).

A place is one GFW label within one country (all its anchorage points), joined to the WPI
ports of that country whose main or alternate name matches the label once both are
normalised (case, accents, punctuation, a trailing generic word such as GANG or PORT), and
that lie within ``JOIN_KM`` of one of the label's points; the WPI point joins the place too.
When several WPI ports match one label, each anchorage point goes to the nearest of them, so
every WPI name stays a place. WPI ports no label matches stay one-point places under their
own name; labels no WPI port matches become places named by the label (title case).

Rows that cannot be used are reported on stderr with their line and skipped: a bad number
(not a number, not finite, outside the globe), an unknown country (not three letters, or
not an ISO 3166 code), a missing label, a repeated s2id (the first row wins), and a point on
land. GFW's points lie on water by construction, often on rivers and canals that the 1-km
land mask behind ``geo/shore.py`` counts as land (about 14,000 of the 60,410 points are more
than 5 km from the sea by that mask: Wuhan, Duisburg, Manaus), so "well inland" alone would
discard real river ports. A point is taken to be on land when the mask puts it well inland
(every grid node within about 5 km touches land) AND it strays from its own place: the label
has other points and none is within ``LONE_KM``. That is the signature of a slip in the
coordinates, not of a river port, whose points come in chains. A lone inland point of a
one-point label is kept (46 such in v4.4.1, real river ports such as Coari on the Amazon):
nothing tells it from a slip. In v4.4.1 no point is skipped as on land.

The output is written to a temporary file beside OUT and renamed over it: a failed run leaves
the old file whole.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import sys
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from followthemoney import registry

from sanctionwatch.geo.ports import haversine_m
from sanctionwatch.geo.shore import shore_grid

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/sanctionwatch/geo/data/port_points.parquet"
PORTS = ROOT / "src/sanctionwatch/geo/data/ports.csv"

JOIN_KM = 50.0  # a WPI port joins a label only this close to one of its points
LONE_KM = 100.0  # a well-inland point this far from the rest of its place is taken to be on land
INLAND_NODES = 1  # "well inland": every mask node within this many 0.05-degree steps is land
# Words that say "port" and nothing else, dropped from the end of a name before matching.
GENERIC = {
    "gang",
    "port",
    "harbour",
    "harbor",
    "anchorage",
    "anchorages",
    "roads",
    "terminal",
    "hafen",
    "havn",
    "hamn",
    "ko",
    "kou",
    "wan",
}

# First words that do not name a port alone ("Port Said", "San Antonio").
NOT_ALONE = {
    "port", "porto", "puerto", "san", "santa", "santo", "sao", "saint", "st", "ste",
    "bandar", "ras", "cape", "cap", "cabo", "new", "north", "south", "east", "west", "le", "la",
    "el", "al", "de", "ust", "nizhniy", "novo",
}  # fmt: skip

SCHEMA = pa.schema(
    [
        ("place", pa.string()),  # key: wpi:<number>, manual:<name> or gfw:<ISO2>:<LABEL>
        ("name", pa.string()),  # the place's name, as events report it
        ("locode", pa.string()),
        ("kind", pa.string()),  # anchorage | wpi | manual
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("label", pa.string()),
        ("sublabel", pa.string()),
        ("s2id", pa.string()),
        ("country", pa.string()),  # ISO 3166 alpha-2, upper case
    ]
)


@dataclass(frozen=True, slots=True)
class Point:
    line: int
    lat: float
    lon: float
    label: str
    sublabel: str | None
    s2id: str | None
    country: str


@dataclass(frozen=True, slots=True)
class WpiPort:
    line: int
    key: str
    name: str
    country: str
    locode: str | None
    lat: float
    lon: float
    names: tuple[str, ...]
    manual: bool


def name_key(name: str) -> str:
    """``"Qingdao Gang"`` -> ``"qingdao"``; ``"Ch'ongjin"`` -> ``"chongjin"``."""
    return name_key_words(name).replace(" ", "")


def first_word_key(name: str) -> str | None:
    """``"Tianjin Xin Gang"`` -> ``"tianjin"``: the first word of a name of several words
    (after the generic last word is dropped), unless it names nothing alone."""
    words = re.findall(r"[0-9a-z]+", name_key_words(name))
    if len(words) < 2 or words[0] in NOT_ALONE:
        return None
    return words[0]


def name_key_words(name: str) -> str:
    """The name as plain lower-case words, the generic last word dropped."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    words = re.findall(r"[0-9a-z]+", plain.replace("'", ""))
    while len(words) > 1 and words[-1] in GENERIC:
        words.pop()
    return " ".join(words)


def coordinate(lat_text: str, lon_text: str) -> tuple[float, float] | None:
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
        return None
    return lat, lon


def country_iso2(iso3: str) -> str | None:
    """ISO 3166 alpha-2 (upper case) for an alpha-3 code; None for anything else."""
    if not re.fullmatch(r"[A-Z]{3}", iso3):
        return None
    code = registry.country.clean(iso3)
    return code.upper() if code and len(code) == 2 and code != "zz" else None


def known_iso2(code: str) -> bool:
    """Whether ``code`` is an ISO 3166 alpha-2 code (FtM's "zz", "global", is not)."""
    lower = code.lower()
    return (
        bool(re.fullmatch(r"[a-z]{2}", lower))
        and lower != "zz"
        and (lower in registry.country.names)
    )


def read_anchorages(path: Path, skip: list[str]) -> list[Point]:
    points: list[Point] = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            fields = {k: (v or "").strip() for k, v in row.items() if k is not None}
            where = f"{path.name}:{line}"
            position = coordinate(fields.get("latitude", ""), fields.get("longitude", ""))
            country = country_iso2(fields.get("iso3", ""))
            s2id = fields.get("s2id", "")
            if position is None:
                skip.append(
                    f"{where}: bad number ({fields.get('latitude')!r}, {fields.get('longitude')!r})"
                )
            elif country is None:
                skip.append(f"{where}: unknown country {fields.get('iso3')!r}")
            elif not fields.get("label"):
                skip.append(f"{where}: no label")
            elif s2id and s2id in seen:
                skip.append(f"{where}: duplicate s2id {s2id} (first on line {seen[s2id]})")
            else:
                if s2id:
                    seen[s2id] = line
                points.append(
                    Point(
                        line,
                        *position,
                        fields["label"],
                        fields.get("sublabel") or None,
                        s2id or None,
                        country,
                    )
                )
    return points


def read_ports(path: Path, skip: list[str]) -> list[WpiPort]:
    ports: list[WpiPort] = []
    lines = path.read_text("utf-8").splitlines()
    body = [(n, text) for n, text in enumerate(lines, start=1) if not text.startswith("#")]
    header = next(csv.reader([body[0][1]]))
    for (line, _), values in zip(body[1:], csv.reader(t for _, t in body[1:]), strict=True):
        row = dict(zip(header, values, strict=False))
        where = f"{path.name}:{line}"
        position = coordinate(row.get("lat", ""), row.get("lon", ""))
        country = row.get("country", "").strip().upper()
        if position is None:
            skip.append(f"{where}: bad number ({row.get('lat')!r}, {row.get('lon')!r})")
            continue
        if not known_iso2(country):
            skip.append(f"{where}: unknown country {row.get('country')!r}")
            continue
        manual = row.get("source") == "manual"
        key = f"manual:{row['name']}" if manual else f"wpi:{row.get('wpi_number') or line}"
        names = (row["name"], *(n.strip() for n in row.get("alternate_names", "").split(";")))
        ports.append(
            WpiPort(
                line,
                key,
                row["name"],
                country,
                row.get("locode") or None,
                *position,
                tuple(n for n in names if n),
                manual,
            )
        )
    return ports


def inland(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """True where every shore-grid node within ``INLAND_NODES`` steps touches land."""
    grid = shore_grid()
    rows, columns = grid.distance.shape
    i = np.floor((grid.north_deg - lats) / grid.step_deg - 0.5).astype(np.int64)
    j = np.floor((lons - grid.west_deg) / grid.step_deg - 0.5).astype(np.int64)
    out = np.ones(lats.shape, dtype=bool)
    for di in range(-INLAND_NODES, INLAND_NODES + 2):
        for dj in range(-INLAND_NODES, INLAND_NODES + 2):
            out &= grid.distance[np.clip(i + di, 0, rows - 1), (j + dj) % columns] == 0
    return out


def drop_points_on_land(points: list[Point], skip: list[str], source: str) -> list[Point]:
    """Skip strays: points well inland whose place has other points, none within ``LONE_KM``."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, p in enumerate(points):
        groups[(p.country, p.label)].append(index)
    lats = np.array([p.lat for p in points])
    lons = np.array([p.lon for p in points])
    on_land = set()
    for index in np.nonzero(inland(lats, lons))[0]:
        p = points[index]
        siblings = [i for i in groups[(p.country, p.label)] if i != index]
        if not siblings:
            continue  # a lone river or lake anchorage: nothing to tell it from a slip
        d = haversine_m(p.lat, p.lon, lats[siblings], lons[siblings])
        if float(d.min()) > LONE_KM * 1000:
            on_land.add(int(index))
            skip.append(
                f"{source}:{p.line}: point on land ({p.lat:.5f}, {p.lon:.5f}, "
                f"{p.label}): well inland, {float(d.min()) / 1000:.0f} km from "
                f"the nearest other point of its place"
            )
    return [p for i, p in enumerate(points) if i not in on_land]


def place_name(label: str) -> str:
    """GFW's upper-case label in title case; its own codes (``CHN-501``) stay as they are."""
    return label if re.fullmatch(r"[A-Z]{3}-\d+", label) else label.title()


def build_rows(points: list[Point], ports: list[WpiPort]) -> dict[str, list[object]]:
    by_name: dict[tuple[str, str], list[WpiPort]] = defaultdict(list)
    by_first_word: dict[tuple[str, str], list[WpiPort]] = defaultdict(list)
    for port in ports:
        for key in {name_key(n) for n in port.names}:
            by_name[(port.country, key)].append(port)
        first = first_word_key(port.name)
        if first:
            by_first_word[(port.country, first)].append(port)
    groups: dict[tuple[str, str], list[Point]] = defaultdict(list)
    for p in points:
        groups[(p.country, p.label)].append(p)
    columns: dict[str, list[object]] = {field.name: [] for field in SCHEMA}

    def add(
        place: str,
        name: str,
        locode: str | None,
        kind: str,
        lat: float,
        lon: float,
        label: str | None,
        sublabel: str | None,
        s2id: str | None,
        country: str,
    ) -> None:
        for column, value in zip(
            columns,
            (place, name, locode, kind, lat, lon, label, sublabel, s2id, country),
            strict=True,
        ):
            columns[column].append(value)

    for (country, label), members in sorted(groups.items()):
        lats = np.array([p.lat for p in members])
        lons = np.array([p.lon for p in members])
        # The label names the port (QINGDAO, Qingdao Gang), else begins its name (TIANJIN,
        # Tianjin Xin Gang).
        for table in (by_name, by_first_word):
            matches = [
                port
                for port in dict.fromkeys(table.get((country, name_key(label)), []))
                if float(haversine_m(port.lat, port.lon, lats, lons).min()) <= JOIN_KM * 1000
            ]
            if matches:
                break
        if not matches:
            key = f"gfw:{country}:{label}"
            for p in members:
                add(
                    key,
                    place_name(label),
                    None,
                    "anchorage",
                    p.lat,
                    p.lon,
                    p.label,
                    p.sublabel,
                    p.s2id,
                    p.country,
                )
            continue
        distances = np.stack([haversine_m(port.lat, port.lon, lats, lons) for port in matches])
        for p, nearest in zip(members, np.argmin(distances, axis=0), strict=True):
            port = matches[int(nearest)]
            add(
                port.key,
                port.name,
                port.locode,
                "anchorage",
                p.lat,
                p.lon,
                p.label,
                p.sublabel,
                p.s2id,
                p.country,
            )
    for port in ports:
        add(
            port.key,
            port.name,
            port.locode,
            "manual" if port.manual else "wpi",
            port.lat,
            port.lon,
            None,
            None,
            None,
            port.country,
        )
    return columns


def write_atomically(columns: dict[str, list[object]], out: Path, metadata: dict[str, str]) -> None:
    table = pa.table(columns, schema=SCHEMA).replace_schema_metadata(metadata)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=out.name, suffix=".tmp", dir=out.parent)
    os.close(handle)
    try:
        pq.write_table(table, temporary, compression="zstd", compression_level=19)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; package data is read by all
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


ATTRIBUTION = (
    "Anchorage points: Global Fishing Watch anchorages pipeline v4.4.1 "
    "(anchorage_overrides.csv), Copyright Global Fishing Watch, Apache License 2.0; "
    "port points: NGA World Port Index Pub. 150, public domain; rows of kind 'manual' "
    "added by sanctionwatch (see PROVENANCE.md)."
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("anchorages", type=Path)
    parser.add_argument("--ports", type=Path, default=PORTS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    skip: list[str] = []
    ports = read_ports(args.ports, skip)
    points = read_anchorages(args.anchorages, skip)
    points = drop_points_on_land(points, skip, args.anchorages.name)
    columns = build_rows(points, ports)
    write_atomically(columns, args.out, {"attribution": ATTRIBUTION})
    for message in skip:
        print(f"skipped {message}", file=sys.stderr)
    places = len(set(columns["place"]))
    print(
        f"{args.out.name}: {len(columns['place']):,} points in {places:,} places "
        f"({len(points):,} anchorage points, {len(ports):,} gazetteer ports); "
        f"{len(skip):,} rows skipped"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
