"""Helpers for the read_nmea tests: read bytes, build sentences, tag blocks and payloads
(payloads from pyais's encoder, so expected values are those put in)."""

from __future__ import annotations

import gzip
import io
from collections import Counter
from dataclasses import dataclass, field
from functools import reduce
from pathlib import Path

from pyais import encode_dict

from sanctionwatch.ais.model import (
    Columns,
    Rejected,
    StaticReport,
    concat_positions,
)
from sanctionwatch.ais.nmea import read_nmea

DATA = Path(__file__).resolve().parents[1] / "data" / "ais" / "nmea"
GFW = DATA / "gfw_ais_tools_edge_cases"
NO_TIME = "no timestamp (no tag block, no vendor time, no base-station time yet)"


@dataclass
class Read:
    """Everything read_nmea produced from one input, chunks joined."""

    positions: Columns
    stations: list[str | None]  # station name of each position row
    statics: list[StaticReport]
    rejected: list[Rejected]
    skipped: Counter[str] = field(default_factory=Counter)
    time_sources: Counter[str] = field(default_factory=Counter)
    lines: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)  # "static", "fragment" lines

    def reasons(self) -> Counter[str]:
        return Counter(r.reason for r in self.rejected)

    def column(self, name: str) -> list[object]:
        return list(self.positions[name].tolist())


def read(data: bytes, chunk_lines: int = 200_000) -> Read:
    parts, stations, statics, rejected = [], [], [], []
    skipped: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    lines = 0
    for chunk in read_nmea(io.BytesIO(data), chunk_lines=chunk_lines):
        parts.append(chunk.positions)
        stations += [chunk.stations[i] if i >= 0 else None for i in chunk.positions["station"]]
        statics += chunk.statics
        rejected += chunk.rejected
        skipped.update(chunk.skipped)
        sources.update(chunk.time_sources)
        outcomes.update(chunk.outcomes)
        lines += chunk.lines_read
    return Read(
        concat_positions(parts), stations, statics, rejected, skipped, sources, lines, outcomes
    )


def read_file(path: Path) -> Read:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        return read(handle.read())


def checksum(body: str) -> str:
    return f"{reduce(lambda a, b: a ^ b, body.encode(), 0):02X}"


def sentence(body: str) -> str:
    """``!body*hh`` with a correct checksum."""
    return f"!{body}*{checksum(body)}"


def tag(body: str) -> str:
    """A tag block ``\\body*hh\\`` with a correct checksum."""
    return f"\\{body}*{checksum(body)}\\"


def lines(*texts: str) -> bytes:
    return "".join(text + "\n" for text in texts).encode()


def position(mmsi: int = 211000001, **fields: object) -> str:
    """A single-sentence type 1 position report (pyais's encoder)."""
    data: dict[str, object] = {"type": 1, "mmsi": mmsi, "lat": 54.5, "lon": 10.25, "speed": 12.3}
    data.update(fields)
    (text,) = encode_dict(data, talker_id="AI", sentence_type="VDM")  # type: ignore[arg-type]
    return text


def base_station(hour: int = 11, minute: int = 47, second: int = 2, **fields: object) -> str:
    data: dict[str, object] = {"type": 4, "mmsi": 2190047, "year": 2012, "month": 1, "day": 27}
    data.update(hour=hour, minute=minute, second=second, **fields)
    (text,) = encode_dict(data, talker_id="AI", sentence_type="VDM")  # type: ignore[arg-type]
    return text


def voyage(seq_id: int = 3) -> list[str]:
    """A two-sentence type 5 static and voyage report."""
    data = {
        "type": 5,
        "mmsi": 255917000,
        "imo": 9507984,
        "callsign": "CQXP",
        "shipname": "IVER ACTION",
        "ship_type": 80,
        "to_bow": 75,
        "to_stern": 24,
        "to_port": 14,
        "to_starboard": 4,
        "month": 11,
        "day": 3,
        "hour": 17,
        "minute": 0,
        "draught": 5.3,
        "destination": "PTLIS",
    }
    return encode_dict(data, talker_id="AI", sentence_type="VDM", seq_id=seq_id)  # type: ignore[arg-type]


def with_tag(tag_body: str, text: str) -> str:
    return tag(tag_body) + text


T0 = 1_700_000_000  # a tag block time, seconds
