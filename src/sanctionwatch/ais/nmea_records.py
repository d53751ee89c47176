"""The record table of one NMEA chunk, shared by every pass of the reader (``nmea.py``).

Each pass of the reader (splitting lines, verifying checksums, assembling fragments,
decoding messages) reads and adds to the same per-chunk table of sentence records, and
reports into the same :class:`NmeaChunk`. Keeping that table, the chunk type and the
constants the passes agree on (time sources, the orphan window, the fragment key) in a
module of their own lets each pass live in its own module without importing another.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt

from sanctionwatch.ais.model import Chunk, Rejected

# A fragment whose partners have not arrived within this many physical lines is an orphan,
# and a $PGHP time not claimed by a sentence within this many lines is dropped.
ORPHAN_LINES: Final = 10

Key = tuple[str, str, str, int]  # (source or group, sequential id, channel, fragment count)

# Where a message's time came from (NmeaChunk.time_sources counts stored messages by these).
TIME_SOURCES: Final = ("receiver clock (type 4)", "tag block", "vendor time", "$PGHP")
SOURCE_CLOCK, SOURCE_TAG_BLOCK, SOURCE_VENDOR, SOURCE_PGHP = range(4)


@dataclass
class NmeaChunk(Chunk):
    """A :class:`Chunk` with line accounting: this chunk's ``lines_read`` plus the previous
    chunk's ``lines_pending`` equals its positions + ``outcomes`` + rejected + skipped +
    this chunk's ``lines_pending`` (fragments waiting for the rest of their message).
    ``time_sources`` counts the messages stored by where their time came from."""

    lines_pending: int = 0
    time_sources: Counter[str] = field(default_factory=Counter)


class Records:
    """One chunk's records: parallel lists with an entry per sentence record (pass 1), and
    the chunk being filled with what was decided about every record."""

    def __init__(self, first_line: int, lines: list[bytes]) -> None:
        self.first_line = first_line
        self.lines = lines
        self.line: list[int] = []
        self.payload: list[bytes] = []
        self.fill: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)  # set with checksums
        self.span_start: list[int] = []  # chunk buffer offset of the byte after '!'
        self.span_end: list[int] = []  # chunk buffer offset of the '*'
        # Tag blocks of fast-path lines, verified with the sentences: span and record index.
        self.tag_start: list[int] = []
        self.tag_end: list[int] = []
        self.tag_record: list[int] = []
        # The other sentences of a line that holds a whole multi-sentence message (the record
        # spans its last one), verified with the sentences: span and record index.
        self.extra_start: list[int] = []
        self.extra_end: list[int] = []
        self.extra_record: list[int] = []
        self.time: dict[int, int] = {}  # record -> ms, for records with a time
        self.time_source: dict[int, int] = {}  # record -> index into TIME_SOURCES
        self.station: dict[int, str] = {}
        self.multi: dict[int, tuple[Key, int, str]] = {}  # record -> key, fragment number, label
        self.bad_checksum: dict[int, str] = {}
        self.chunk = NmeaChunk()

    def text(self, line: int) -> str:
        return self.lines[line - self.first_line].decode("utf-8", "replace").rstrip("\r\n")

    def reject(self, line: int, reason: str, text: str | None = None) -> None:
        """Reject ``line`` (its text, unless ``text`` is given)."""
        self.chunk.rejected.append(
            Rejected(line, reason, self.text(line) if text is None else text)
        )

    def set_time(self, index: int, ms: int, source: int) -> None:
        self.time[index] = ms
        self.time_source[index] = source
