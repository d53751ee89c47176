"""Reading the generated NMEA back independently of the generator: regex, XOR, pyais."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

LINE = re.compile(
    rb"^\\(?P<tag>[^*\\]*)\*(?P<tag_sum>[0-9A-F]{2})\\(?P<sentence>!(?P<body>[^*]*)\*(?P<sum>[0-9A-F]{2}))$"
)


def xor(data: bytes) -> int:
    return reduce(lambda a, b: a ^ b, data, 0)


@dataclass
class Line:
    number: int
    raw: bytes
    tags: dict[str, str]
    sentence: bytes
    fields: list[str]

    @property
    def group(self) -> str | None:
        return self.tags.get("g")


def parse(path: Path) -> tuple[list[Line], list[bytes]]:
    """Checksum-valid lines (tag block and sentence both right), and the other lines."""
    good: list[Line] = []
    bad: list[bytes] = []
    for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
        match = LINE.match(raw)
        if (
            match is None
            or xor(match["tag"]) != int(match["tag_sum"], 16)
            or xor(match["body"]) != int(match["sum"], 16)
        ):
            bad.append(raw)
            continue
        tags = dict(part.split(":", 1) for part in match["tag"].decode().split(","))
        good.append(Line(number, raw, tags, match["sentence"], match["body"].decode().split(",")))
    return good, bad
