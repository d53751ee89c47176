"""Bounded input: line-length limits, the decompression bound and the quarantine cap.

Every reader sees the decompressed input through :class:`LineLimiter`, which never lets a
line longer than the format's limit through: such a line is skipped to its newline without
being held (counting its bytes) and replaced by one short marker line carrying an escaped
excerpt, which the readers reject with the reason "line longer than N bytes". Memory is
then bounded by the limit, whatever the input holds, and the readers' own per-line work is
bounded too. The limiter also refuses a compressed input that expands beyond
``max_expansion`` times its size (a decompression bomb), so the time an ingest takes stays
proportional to the size of the file given.

The defaults are in ``limits.toml`` beside this module.
"""

from __future__ import annotations

import io
import tomllib
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from importlib import resources
from typing import Any, Final

from sanctionwatch.errors import InputError

# The marker line that stands for an over-long line: it cannot start an NMEA sentence or
# a CSV row that parses, and it says what it stands for.
OVERLONG: Final = b"\x00line longer than "


@dataclass(frozen=True)
class IngestLimits:
    """The limits of one ingest (defaults: ``limits.toml``)."""

    nmea_line_bytes: int
    csv_line_bytes: int
    quarantine_rows: int
    quarantine_text_chars: int
    excerpt_bytes: int
    max_expansion: int
    expansion_allowance_bytes: int

    @classmethod
    def defaults(cls) -> IngestLimits:
        text = resources.files("sanctionwatch.ais").joinpath("limits.toml").read_text("utf-8")
        return cls(**tomllib.loads(text))

    @classmethod
    def from_mapping(cls, overrides: Mapping[str, Any]) -> IngestLimits:
        """The defaults with ``overrides`` (names as in limits.toml) applied; an unknown
        name or a value that is not a positive whole number is an :class:`InputError`."""
        known = {f.name for f in fields(cls)}
        values: dict[str, int] = {}
        for name, value in overrides.items():
            if name not in known:
                raise InputError(f"unknown AIS ingest limit {name!r} (known: {sorted(known)})")
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InputError(f"AIS ingest limit {name} must be a positive whole number")
            values[name] = value
        return replace(cls.defaults(), **values)

    def max_decompressed(self, compressed_bytes: int) -> int:
        """How many bytes an input of ``compressed_bytes`` may decompress to."""
        return self.max_expansion * compressed_bytes + self.expansion_allowance_bytes


def overlong_reason(line: bytes) -> tuple[str, str] | None:
    """(reason, excerpt) if ``line`` is the marker of an over-long line, else None."""
    if not line.startswith(OVERLONG):
        return None
    head, _, excerpt = line[len(OVERLONG) :].rstrip(b"\r\n").partition(b": ")
    return f"line longer than {head.decode('ascii', 'replace')}", excerpt.decode("ascii")


class LineLimiter(io.RawIOBase):
    """The bytes that ``read_block`` returns, with every line longer than ``limit`` bytes
    (not counting its newline) replaced by a marker line (``OVERLONG``), holding at most
    ``limit`` bytes of any line.

    ``max_bytes`` bounds the total read (None: no bound); beyond it :class:`InputError` is
    raised, naming ``label``. Finding over-long lines costs one ``find`` per ``limit / 2``
    bytes: a line longer than ``limit`` covers a whole window of that stride without a
    newline. Whole lines are passed on as views of the block read, copied once.
    """

    def __init__(
        self,
        read_block: Callable[[int], bytes],
        limit: int,
        excerpt_bytes: int,
        *,
        max_bytes: int | None = None,
        label: str = "input",
    ) -> None:
        self.read_block = read_block
        self.limit = max(limit, 2)
        self.excerpt_bytes = excerpt_bytes
        self.max_bytes = max_bytes
        self.label = label
        self.total = 0
        self.partial = b""  # the start of the current line: at most ``limit`` bytes
        self.skipping = -1  # bytes so far of the over-long line being skipped; -1 if none
        self.excerpt = b""
        self.pieces: deque[memoryview] = deque()
        self.eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pieces and not self.eof:
            self._fill()
        if not self.pieces:
            return 0
        piece = self.pieces[0]
        size = min(len(buffer), len(piece))
        buffer[:size] = piece[:size]
        if size == len(piece):
            self.pieces.popleft()
        else:
            self.pieces[0] = piece[size:]
        return size

    def _put(self, data: bytes | memoryview) -> None:
        if len(data):
            self.pieces.append(memoryview(data))

    def _fill(self) -> None:
        block = self.read_block(1 << 20)
        if not block:
            self.eof = True
            if self.skipping >= 0:
                self._marker(self.skipping)
            else:
                self._put(self.partial)
            self.partial = b""
            return
        self.total += len(block)
        if self.max_bytes is not None and self.total > self.max_bytes:
            raise InputError(
                f"{self.label}: decompresses to more than {self.max_bytes:,} bytes (the "
                "limit: max_expansion times its size); a decompression bomb? Nothing stored"
            )
        pos = 0
        if self.skipping >= 0:
            pos = self._skip(block, 0)
            if pos < 0:
                return
        elif self.partial:
            room = self.limit - len(self.partial) + 1  # the line's newline may come within
            newline = block.find(b"\n", 0, room)
            if newline >= 0:
                self._put(self.partial)
                self._put(memoryview(block)[: newline + 1])
                self.partial = b""
                pos = newline + 1
            elif len(block) < room:
                self.partial += block
                return
            else:
                self.excerpt = (self.partial + block[: self.excerpt_bytes])[: self.excerpt_bytes]
                self.skipping = len(self.partial)
                self.partial = b""
                pos = self._skip(block, 0)
                if pos < 0:
                    return
        self._scan(block, pos)

    def _skip(self, block: bytes, pos: int) -> int:
        """Skip the over-long line to its newline; where the next line starts, -1 if the
        line goes on past the block."""
        newline = block.find(b"\n", pos)
        if newline < 0:
            self.skipping += len(block) - pos
            return -1
        self._marker(self.skipping + newline + 1 - pos)
        return newline + 1

    def _scan(self, block: bytes, pos: int) -> None:
        """Pass ``block[pos:]`` on (``pos`` starts a line), cutting out over-long lines."""
        limit, stride, end = self.limit, max((self.limit + 1) // 2, 1), len(block)
        view = memoryview(block)
        start = at = pos  # start: first byte not yet passed on (a line start)
        while True:
            while at + stride <= end and block.find(b"\n", at, at + stride) >= 0:
                at += stride
            if at + stride > end:
                break
            # [at, at + stride) holds no newline: check the line around it exactly.
            line_start = max(block.rfind(b"\n", start, at) + 1, start)
            newline = block.find(b"\n", line_start, line_start + limit + 1)
            if newline >= 0:
                at = newline + 1
                continue
            if line_start + limit >= end:  # cannot tell yet: the line ends the block
                break
            self._put(view[start:line_start])
            self.excerpt = block[line_start : line_start + self.excerpt_bytes]
            self.skipping = 0
            at = start = self._skip(block, line_start)
            if at < 0:
                return
        cut = block.rfind(b"\n", start) + 1 or start
        self._put(view[start:cut])
        if end - cut > limit:
            self.excerpt = block[cut : cut + self.excerpt_bytes]
            self.skipping = end - cut
        else:
            self.partial = block[cut:]

    def _marker(self, length: int) -> None:
        """The line that stands for an over-long line of ``length`` bytes."""
        excerpt = self.excerpt.decode("ascii", "backslashreplace")
        if not excerpt.isprintable():
            excerpt = excerpt.encode("unicode_escape").decode("ascii")
        text = f"{self.limit:,} bytes ({length:,} bytes): {excerpt}\n"
        self._put(OVERLONG + text.encode("ascii"))
        self.skipping = -1
        self.excerpt = b""
