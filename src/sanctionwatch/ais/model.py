r"""What every AIS reader hands to the store: position columns, identity reports, rejections.

Readers (``nmea.py``, ``csv_formats.py``) yield :class:`Chunk` objects. A chunk carries
positions as parallel numpy columns (fast to validate and write as Parquet), static and
voyage reports as :class:`StaticReport` rows (few, so plain objects), and every input line
that could not be used as a :class:`Rejected` row with its line number and reason. Every
input line has exactly one outcome: a position (one per line at most), a rejection (one
per line at most), counted in ``Chunk.skipped`` (lines that are not AIS at all, such as
proprietary ``$P`` sentences, or message types this tool does not store), or counted in
``Chunk.outcomes`` (static reports, fragments of multi-sentence messages).

Conventions for the position columns (all numpy arrays of one length):

``mmsi`` int64; ``ts`` int64 milliseconds since the Unix epoch, UTC; ``lat``/``lon``
float64 degrees; ``sog`` float32 knots, ``cog`` float32 degrees, NaN when not available
(AIS 102.3 kn / 360.0 deg); ``heading`` int16 degrees, -1 when not available (AIS 511);
``nav_status`` int8 0-15, -1 when the source has none; ``msg_type`` int8 AIS message type
(1, 2, 3, 18, 19, 27), 0 when the source is a CSV file; ``line`` int64 1-based line number
of the (last) input line the position came from; ``station`` int32 index into
``Chunk.stations`` (the receiving station or source named by the input, NMEA tag block
``\s:``), -1 when the input names none. Coordinates are as decoded: the store
rejects unavailable (91/181) and impossible ones with a reason, so readers need not.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

POSITION_COLUMNS: dict[str, type[np.generic]] = {
    "mmsi": np.int64,
    "ts": np.int64,
    "lat": np.float64,
    "lon": np.float64,
    "sog": np.float32,
    "cog": np.float32,
    "heading": np.int16,
    "nav_status": np.int8,
    "msg_type": np.int8,
    "line": np.int64,
    "station": np.int32,
}

Columns = dict[str, npt.NDArray[Any]]

# What a vessel says about itself, in the order the identity history keeps it.
IDENTITY_FIELDS = ("imo", "name", "callsign", "ship_type", "length", "width", "draught",
                   "destination")  # fmt: skip


def iso_utc(ms: int) -> str:
    """Milliseconds since the epoch as ISO 8601 UTC to the second ("2024-03-01T05:00:00Z"),
    the form every command and event prints."""
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def empty_positions() -> Columns:
    """A position column set with no rows."""
    return {name: np.empty(0, dtype=dtype) for name, dtype in POSITION_COLUMNS.items()}


def concat_positions(parts: list[Columns]) -> Columns:
    """Join several column sets (same keys) into one."""
    if not parts:
        return empty_positions()
    return {
        name: np.concatenate([part[name] for part in parts]).astype(dtype, copy=False)
        for name, dtype in POSITION_COLUMNS.items()
    }


@dataclass(frozen=True, slots=True)
class StaticReport:
    """One static/voyage report (AIS types 5, 19, 24 or the identity columns of a CSV row).

    ``None`` means the report did not say (AIS "not available" values are turned into None
    by the reader: IMO 0, empty names, ship type 0, dimensions 0, draught 0).
    """

    mmsi: int
    ts: int  # milliseconds since the Unix epoch, UTC
    line: int
    imo: int | None = None
    name: str | None = None
    callsign: str | None = None
    ship_type: int | None = None
    length: float | None = None  # metres, to_bow + to_stern
    width: float | None = None  # metres, to_port + to_starboard
    draught: float | None = None  # metres
    destination: str | None = None
    eta: str | None = None  # as reported, "MM-DD HH:MM" (AIS carries no year)
    # A CSV reader sums up many rows that say the same: ``ts`` is then the first of them,
    # ``last_ts`` the last, ``count`` how many. A single report leaves the defaults.
    last_ts: int | None = None
    count: int = 1


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input line (or CSV row) that was not used, and why. ``text`` is the line as read."""

    line: int
    reason: str
    text: str


@dataclass
class Chunk:
    """A bounded piece of one input file, as read."""

    positions: Columns = field(default_factory=empty_positions)
    statics: list[StaticReport] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    # Lines read but deliberately not stored, by reason ("proprietary sentence $PSHI",
    # "message type 8 (binary broadcast)", ...): counted and reported, not quarantined.
    skipped: Counter[str] = field(default_factory=Counter)
    # Names that the ``station`` column indexes (NMEA tag block \s:, say "rMT2083").
    stations: list[str] = field(default_factory=list)
    lines_read: int = 0
    # Lines that are neither a position, a rejection nor skipped: "static" (a static report
    # that is not also a position, AIS types 5 and 24) and "fragment" (a sentence of a
    # multi-sentence message whose outcome is counted on the message's last line).
    outcomes: Counter[str] = field(default_factory=Counter)
    # Lines decoded with a warning, by reason ("type 1 payload 163 bits, short of 168"); the
    # line's outcome is counted as usual.
    warnings: Counter[str] = field(default_factory=Counter)
