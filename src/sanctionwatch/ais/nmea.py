"""Read NMEA 0183 AIS logs (``!AIVDM`` / ``!AIVDO`` sentences) into position columns.

``read_nmea`` takes a decompressed byte stream and yields :class:`NmeaChunk` objects of at
most ``chunk_lines`` physical lines. Each line has exactly one outcome: a position, a
static report (``outcomes["static"]``), a fragment of a message completed on a later line
(``outcomes["fragment"]``), a :class:`Rejected` row (the reason says why), a ``skipped``
count (not AIS, or an AIS message type this tool does not store), or waiting at the end of
the chunk for the other fragments of its message. A line holds at most one *record*: one
NMEA sentence with its optional NMEA 4.10 tag block (``\\c:...,s:...*hh\\``), or several
tag block and sentence pairs that make one whole multi-sentence message (MarineTraffic and
Spire write messages so); a line with anything else besides its sentence is rejected
whole. The chunk's counters make that checkable, and ``tests/ais/test_nmea_fuzz.py``
checks it.

Time of a message, the first available of: tag block ``c:`` (seconds, or milliseconds when
above 1e11), a vendor time after the checksum (``...*hh,1327664821``: 10 or 13 digits after
a comma, space or tab), a Gatehouse ``$PGHP`` line naming the sentence's checksum, else the
receiver clock from type 4 base station reports (``nmea_receiver_clock.py``). For a
multi-sentence message it is the time of its first fragment that has one.

Work per chunk is split so that per-line Python stays small: pass 1 splits lines into
records (``nmea_lines.py``; a fast path takes the common bare single-sentence line), then
every sentence checksum is verified at once with numpy (``nmea_checksums.py``),
multi-sentence fragments go through a Python assembler (``nmea_assembly.py``), and all
complete messages are checked and decoded as arrays (``nmea_messages.py`` and
``sixbit.py``, checked against pyais in the tests). The syntax of single sentences, tag
blocks and ``$`` lines is in ``nmea_framing.py``, the per-chunk record table that all
passes share in ``nmea_records.py``. Lines end with ``\n`` (``\r\n`` too); a lone ``\r``
does not end a line.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import BinaryIO

import numpy as np

from sanctionwatch.ais.nmea_assembly import Assembler
from sanctionwatch.ais.nmea_checksums import verify_checksums
from sanctionwatch.ais.nmea_lines import LineSplitter
from sanctionwatch.ais.nmea_messages import MessageBatch
from sanctionwatch.ais.nmea_records import ORPHAN_LINES, TIME_SOURCES, NmeaChunk, Records

__all__ = ["ORPHAN_LINES", "TIME_SOURCES", "NmeaChunk", "read_nmea"]


def read_nmea(stream: BinaryIO, *, chunk_lines: int = 200_000) -> Iterator[NmeaChunk]:
    """Read AIS NMEA sentences from a decompressed binary stream.

    Yields one chunk per ``chunk_lines`` physical lines; the last also carries, as orphans,
    the fragments still unassembled at the end of input. Line numbers are 1-based physical
    lines of the stream. Never raises on bad input.
    """
    reader = _Reader()
    while True:
        lines = list(islice(stream, chunk_lines))
        final = len(lines) < chunk_lines
        chunk = reader.read_chunk(lines, final)
        if lines or chunk.rejected:
            yield chunk
        if final:
            return


class _Reader:
    """State carried from chunk to chunk: line count, receiver clock, pending fragments
    (in the assembler) and Gatehouse times waiting for their sentence (in the splitter)."""

    def __init__(self) -> None:
        self.lineno = 0
        self.clock = -1  # ms of the latest plausible type 4 report, -1 before the first
        self.splitter = LineSplitter()
        self.assembler = Assembler()

    def read_chunk(self, lines: list[bytes], final: bool) -> NmeaChunk:
        rec = Records(self.lineno + 1, lines)
        self.splitter.split_lines(rec)
        self.lineno += len(lines)
        good = verify_checksums(rec, np.frombuffer(b"".join(lines), dtype=np.uint8))
        assembled = self.assembler.assemble(rec, final, self.lineno)
        batch = MessageBatch(rec, good, assembled)
        chunk = rec.chunk
        chunk.lines_read = len(lines)
        self.clock = batch.decode(self.clock)
        chunk.lines_pending = self.assembler.pending_lines()
        chunk.rejected.sort(key=lambda r: r.line)
        return chunk
