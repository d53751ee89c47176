"""Pass 2 of the NMEA reader: assemble multi-sentence AIS messages from their fragments.

Fragments wait in :class:`Assembler` (across chunks) under their key: the tag block group
when there is one, else source, sequential id, channel and fragment count. A message is
complete when its fragments arrive in order; a duplicate, a gap or a missing fragment 1
rejects the fragment, a new fragment 1 drops the message it replaces, and a message not
complete within ``ORPHAN_LINES`` lines of its first fragment (or at the end of input) is
rejected as an orphan. This walk is in stream order and stateful, so it is plain Python;
it only sees the few multi-sentence records of a chunk.
"""

from __future__ import annotations

from dataclasses import dataclass

from sanctionwatch.ais.model import Rejected
from sanctionwatch.ais.nmea_records import ORPHAN_LINES, SOURCE_CLOCK, Key, Records


@dataclass(slots=True)
class Fragment:
    """One sentence of a multi-sentence message, kept until its message is complete."""

    line: int
    text: str
    payload: bytes
    fill: int
    time: int  # ms since the epoch, -1 if the sentence has none
    time_source: int  # index into TIME_SOURCES
    station: str | None


@dataclass(slots=True)
class _Partial:
    key: Key
    label: str  # "(seq 3, channel A)" or "(group 1278)", for rejection reasons
    parts: list[Fragment]


class Assembler:
    """Multi-sentence messages still waiting for fragments, carried from chunk to chunk."""

    def __init__(self) -> None:
        self.pending: dict[Key, _Partial] = {}

    def pending_lines(self) -> int:
        """Lines holding a fragment that waits for the rest of its message."""
        return sum(len(p.parts) for p in self.pending.values())

    def assemble(
        self, rec: Records, final: bool, last_line: int
    ) -> list[tuple[int, list[Fragment]]]:
        """Assemble the chunk's fragments (``rec.multi``) in stream order, after the
        checksums: fragments that failed theirs (``rec.bad_checksum``) are rejected here, in
        order. ``last_line`` is the chunk's last physical line, ``final`` whether it ends
        the input. Returns the completed messages as (record of the completing fragment,
        its fragments in order)."""
        assembled: list[tuple[int, list[Fragment]]] = []
        for index, (key, num, label) in rec.multi.items():
            line = rec.line[index]
            self._expire(rec, line - ORPHAN_LINES)
            if index in rec.bad_checksum:
                rec.reject(line, rec.bad_checksum[index])
                continue
            fragment = Fragment(
                line,
                rec.text(line),
                rec.payload[index],
                int(rec.fill[index]),
                rec.time.get(index, -1),
                rec.time_source.get(index, SOURCE_CLOCK),
                rec.station.get(index),
            )
            parts = self._add_fragment(rec, key, num, label, fragment)
            if parts is not None:
                assembled.append((index, parts))
        self._expire(rec, None if final else last_line - ORPHAN_LINES)
        return assembled

    def _add_fragment(
        self, rec: Records, key: Key, num: int, label: str, fragment: Fragment
    ) -> list[Fragment] | None:
        """Add a fragment to its pending message; the parts when it completes the message."""
        total = key[3]
        what = f"fragment {num} of {total} {label}"
        partial = self.pending.get(key)
        if num == 1:
            if partial is not None:
                self._drop(rec, partial, "incomplete message (a new fragment 1 followed):")
            partial = self.pending[key] = _Partial(key, label, [fragment])
        elif partial is None:
            rec.reject(fragment.line, f"{what} without fragment 1")
            return None
        elif num <= len(partial.parts):
            rec.reject(fragment.line, f"duplicate {what}")
            return None
        elif num > len(partial.parts) + 1:
            expected = len(partial.parts) + 1
            rec.reject(fragment.line, f"{what} out of order: expected fragment {expected}")
            return None
        else:
            partial.parts.append(fragment)
        if len(partial.parts) < total:
            return None
        del self.pending[key]
        return partial.parts

    def _expire(self, rec: Records, before: int | None) -> None:
        """Reject pending messages whose first fragment is on a line before ``before``
        (all of them when None: the end of input)."""
        for key, partial in list(self.pending.items()):
            if before is None or partial.parts[0].line < before:
                del self.pending[key]
                self._drop(rec, partial, "orphan")

    @staticmethod
    def _drop(rec: Records, partial: _Partial, why: str) -> None:
        total = partial.key[3]
        for number, part in enumerate(partial.parts, 1):
            reason = f"{why} fragment {number} of {total} {partial.label}"
            rec.chunk.rejected.append(Rejected(part.line, reason, part.text))
