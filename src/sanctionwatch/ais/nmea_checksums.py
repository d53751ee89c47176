"""NMEA checksums: one sentence at a time, and every sentence of a chunk at once.

Almost every sentence is checked in :func:`verify_checksums`, which does the whole chunk
with numpy: the XOR of a span of bytes is the XOR of two running-XOR values, so one
accumulate over the chunk buffer checks all sentences and fast-path tag blocks without a
per-line Python loop. The few checksums met on the slow path (tag blocks with groups,
``$PGHP`` lines) go through :func:`checksum_problem`. Both give the same rejection reasons.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from sanctionwatch.ais.nmea_records import Records

HEX_DIGITS: Final = b"0123456789ABCDEFabcdef"
_HEX = np.full(256, -1024, dtype=np.int64)  # any non-hex character makes the sum negative
for _digit in HEX_DIGITS:
    _HEX[_digit] = int(chr(_digit), 16)


def _xor(data: bytes) -> int:
    """NMEA checksum (XOR of all bytes) of the few sentences checked outside numpy.

    Folds the bytes as one integer: each step XORs the upper half onto the lower half, so
    the lowest byte ends up as the XOR of all of them after log2(length) big-int steps.
    """
    value = int.from_bytes(data, "little")
    width = 8
    while width < 8 * len(data):
        width *= 2
    while width > 8:
        width //= 2
        value ^= value >> width
    return value & 0xFF


def checksum_problem(body: bytes, given: bytes) -> str | None:
    """Why ``given`` (the characters after ``*``) is not the checksum of ``body``, if not."""
    if len(given) != 2 or any(c not in HEX_DIGITS for c in given):
        return f"malformed checksum '*{given.decode()}'"
    computed = _xor(body)
    if int(given, 16) != computed:
        return f"checksum mismatch: line says {given.decode()}, computed {computed:02X}"
    return None


def verify_checksums(rec: Records, buffer: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """Check every sentence checksum of the chunk at once (XOR of a span is the XOR of
    two running-XOR values) and reject the single sentences that fail.

    ``buffer`` is the chunk's lines joined, the bytes that the record spans point into.
    Also reads each record's fill digit into ``rec.fill``. Returns True per good record;
    failed fragments of multi-sentence messages are left in ``rec.bad_checksum`` for the
    assembler to reject in stream order.
    """
    if not rec.line:
        return np.zeros(0, dtype=bool)
    running = np.empty(len(buffer) + 1, dtype=np.uint8)
    running[0] = 0
    np.bitwise_xor.accumulate(buffer, out=running[1:])
    starts = np.asarray(rec.span_start, dtype=np.int64)
    ends = np.asarray(rec.span_end, dtype=np.int64)
    rec.fill = buffer[ends - 1].astype(np.int64) - ord("0")  # the digit before '*'
    computed = (running[ends] ^ running[starts]).astype(np.int64)
    good: npt.NDArray[np.bool_] = computed == _HEX[buffer[ends + 1]] * 16 + _HEX[buffer[ends + 2]]
    tag_problems = _verify_extra_sentences(rec, buffer, running)
    tag_problems.update(_verify_tag_blocks(rec, buffer, running))
    for index in tag_problems:
        good[index] = False
    for index in np.flatnonzero(~good).tolist():
        given = bytes(buffer[ends[index] + 1 : ends[index] + 3]).decode()
        reason = f"checksum mismatch: line says {given}, computed {computed[index]:02X}"
        reason = tag_problems.get(index, reason)
        if index in rec.multi:
            rec.bad_checksum[index] = reason  # rejected by the assembler, in order
        else:
            rec.reject(rec.line[index], reason)
    return good


def _checksums(
    starts: list[int],
    ends: list[int],
    buffer: npt.NDArray[np.uint8],
    running: npt.NDArray[np.uint8],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """For spans ``starts[i]..ends[i]`` (the ``*`` at ``ends[i]``): the ends, the checksums
    computed from the running XOR, and the two hex digits each span gives after its ``*``."""
    end = np.asarray(ends, dtype=np.int64)
    computed = (running[end] ^ running[np.asarray(starts, dtype=np.int64)]).astype(np.int64)
    given = (_HEX[buffer[end + 1]] * 16 + _HEX[buffer[end + 2]]).astype(np.int64)
    return end, computed, given


def _verify_extra_sentences(
    rec: Records, buffer: npt.NDArray[np.uint8], running: npt.NDArray[np.uint8]
) -> dict[int, str]:
    """Check the other sentences of lines that hold a whole multi-sentence message (their
    checksum characters were checked to be hex when the line was split)."""
    if not rec.extra_end:
        return {}
    ends, computed, given = _checksums(rec.extra_start, rec.extra_end, buffer, running)
    problems: dict[int, str] = {}
    for at in np.flatnonzero(computed != given).tolist():
        text = bytes(buffer[ends[at] + 1 : ends[at] + 3]).decode()
        reason = f"checksum mismatch: line says {text}, computed {computed[at]:02X}"
        problems.setdefault(rec.extra_record[at], reason)
    return problems


def _verify_tag_blocks(
    rec: Records, buffer: npt.NDArray[np.uint8], running: npt.NDArray[np.uint8]
) -> dict[int, str]:
    """Check the tag blocks of fast-path lines; the rejection reason by record index.
    ``*00`` is accepted as "not computed" (see ``nmea_framing.parse_tag_block``)."""
    if not rec.tag_end:
        return {}
    ends, computed, given = _checksums(rec.tag_start, rec.tag_end, buffer, running)
    problems = {}
    for at in np.flatnonzero((computed != given) & (given != 0)).tolist():
        text = bytes(buffer[ends[at] + 1 : ends[at] + 3]).decode()
        problem = (
            f"malformed checksum '*{text}'"
            if given[at] < 0
            else f"checksum mismatch: line says {text}, computed {computed[at]:02X}"
        )
        problems[rec.tag_record[at]] = "tag block " + problem
    return problems
