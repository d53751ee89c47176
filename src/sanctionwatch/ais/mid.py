"""The flag an MMSI implies: its Maritime Identification Digits (ITU-R M.585).

A ship station's MMSI is ``MIDxxxxxx``: the first three digits name the flag state that
allocated it. Other station kinds put the MID elsewhere (coast stations ``00MIDxxxx``,
group calls ``0MIDxxxxx``, aids to navigation ``99MIDxxxx``, craft associated with a parent
ship ``98MIDxxxx``, SAR aircraft ``111MIDxxx``) or carry none (``970`` AIS-SART,
``972`` man overboard, ``974`` EPIRB). Vessels that hide their identity often transmit
MMSIs whose MID is unallocated or disagrees with the flag they claim.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

# MMSI ranges of stations that are not ships (ITU-R M.585): behaviour detectors are for
# ships, so their positions are left out of the engines' ``positions`` view. Ranges, not
# "does not start with 2-7": ships with placeholder MMSIs (0, 1193046, 123456789) are
# exactly what the identity detector must see.
NON_SHIP_MMSI_RANGES = (
    (111_000_000, 111_999_999, "SAR aircraft"),
    (970_000_000, 974_999_999, "AIS-SART, man overboard device or EPIRB-AIS"),
    (980_000_000, 989_999_999, "craft associated with a parent ship"),
    (990_000_000, 999_999_999, "aid to navigation"),
)


def ship_mmsi_sql(column: str = "mmsi") -> str:
    """A SQL condition (DuckDB and Spark alike) true for MMSIs that are not in
    :data:`NON_SHIP_MMSI_RANGES`."""
    ranges = " OR ".join(
        f"{column} BETWEEN {low} AND {high}" for low, high, _ in NON_SHIP_MMSI_RANGES
    )
    return f"NOT ({ranges})"


@dataclass(frozen=True, slots=True)
class MmsiInfo:
    """What the digits of one MMSI say."""

    mmsi: int
    kind: str  # "ship", "coast station", "aid to navigation", "SAR aircraft", ...
    mid: int | None
    flags: tuple[str, ...]  # ISO 3166 alpha-2 codes the MID is allocated to; () if none
    allocated_to: str | None
    problem: str | None  # why the MMSI is suspect, or None

    @property
    def flag(self) -> str | None:
        """The flag when the MID names exactly one state (306 names three territories)."""
        return self.flags[0] if len(self.flags) == 1 else None


@cache
def mid_table() -> dict[int, tuple[tuple[str, ...], str]]:
    """MID -> (ISO codes, allocated-to text) from the bundled ITU table."""
    table: dict[int, tuple[list[str], list[str]]] = {}
    text = resources.files("sanctionwatch.ais").joinpath("data/mid.csv").read_text("utf-8")
    for row in csv.DictReader(text.splitlines()):
        codes, names = table.setdefault(int(row["mid"]), ([], []))
        codes.append(row["iso2"])
        names.append(row["allocated_to"])
    return {mid: (tuple(codes), "; ".join(names)) for mid, (codes, names) in table.items()}


def _kind_and_mid(digits: str) -> tuple[str, str | None]:
    if digits.startswith(("970", "972", "974")):
        return {"970": "AIS-SART", "972": "man overboard device", "974": "EPIRB-AIS"}[
            digits[:3]
        ], None
    if digits.startswith("111"):
        return "SAR aircraft", digits[3:6]
    if digits.startswith("99"):
        return "aid to navigation", digits[2:5]
    if digits.startswith("98"):
        return "craft associated with a parent ship", digits[2:5]
    if digits.startswith("00"):
        return "coast station", digits[2:5]
    if digits.startswith("0"):
        return "group of ships", digits[1:4]
    if digits[0] in "234567":
        return "ship", digits[:3]
    return "unknown", None


def mmsi_info(mmsi: int) -> MmsiInfo:
    """Classify ``mmsi`` and look up its flag; ``problem`` says what is wrong with it."""
    if not 0 < mmsi <= 999_999_999:
        return MmsiInfo(mmsi, "invalid", None, (), None, f"MMSI {mmsi} is not 9 digits")
    digits = f"{mmsi:09d}"
    kind, mid_text = _kind_and_mid(digits)
    if mid_text is None:
        problem = None if kind != "unknown" else f"MMSI {digits} starts with no known prefix"
        return MmsiInfo(mmsi, kind, None, (), None, problem)
    mid = int(mid_text)
    entry = mid_table().get(mid)
    if entry is None:
        return MmsiInfo(mmsi, kind, mid, (), None, f"MID {mid} is not allocated to any state")
    flags, allocated_to = entry
    return MmsiInfo(mmsi, kind, mid, flags, allocated_to, None)
