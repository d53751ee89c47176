"""Read NMEA 0183 AIS logs (``!AIVDM`` / ``!AIVDO`` sentences) into position columns.

``read_nmea`` takes a decompressed byte stream and yields :class:`NmeaChunk` objects of at
most ``chunk_lines`` physical lines. Each line is split into *records*: one NMEA sentence
with its optional NMEA 4.10 tag block (``\\c:...,s:...*hh\\``), or one line that holds no
sentence (a ``$`` line, a blank line, a line that is not NMEA). Several tag block and
sentence pairs on one physical line are several records. Every record ends up in exactly
one place: part of a position or static report, a :class:`Rejected` row (the reason says
why), a ``skipped`` count (not AIS, or an AIS message type this tool does not store), or
waiting at the end of the chunk for the other fragments of its message. The chunk's record
counters make that checkable, and ``tests/ais/test_nmea_fuzz.py`` checks it.

Time of a message, the first available of: tag block ``c:`` (seconds, or milliseconds when
above 1e11), a vendor time after the checksum (``...*hh,1327664821``: 10 or 13 digits after
a comma, space or tab), a Gatehouse ``$PGHP`` line naming the sentence's checksum, else the
receiver clock from type 4 base station reports (:func:`_refine_with_second`). For a
multi-sentence message it is the time of its first fragment that has one.

Work per chunk is split so that per-line Python stays small: pass 1 splits lines into
records (a fast path takes the common bare single-sentence line), then every sentence
checksum is verified at once with numpy, multi-sentence fragments go through a Python
assembler, and all complete messages are checked and decoded as arrays (``sixbit.py``,
checked against pyais in the tests). Lines end with ``\n`` (``\r\n`` too); a lone ``\r``
does not end a line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import BinaryIO, Final, NamedTuple

import numpy as np
import numpy.typing as npt

from sanctionwatch.ais.model import Chunk, Columns, Rejected, StaticReport
from sanctionwatch.ais.sixbit import (
    POSITION_BITS,
    POSITION_TYPES,
    Payloads,
    decode_base_station_times,
    decode_positions,
    decode_statics,
)

# A fragment whose partners have not arrived within this many physical lines is an orphan,
# and a $PGHP time not claimed by a sentence within this many lines is dropped.
ORPHAN_LINES: Final = 10

_AIS_FORMATTERS: Final = frozenset({b"VDM", b"VDO"})
_FILL: Final = {str(n).encode(): n for n in range(6)}  # fill bits: one digit, 0-5
_FRAGMENT_COUNT: Final = {str(n).encode(): n for n in range(1, 10)}
_LINE_END: Final = frozenset({b"", b"\n", b"\r\n"})
_HEX_DIGITS: Final = b"0123456789ABCDEFabcdef"
_HEX = np.full(256, -1024, dtype=np.int64)  # any non-hex character makes the sum negative
for _digit in _HEX_DIGITS:
    _HEX[_digit] = int(chr(_digit), 16)
_VENDOR_TIME: Final = re.compile(rb"[,\s]?(\d{10}|\d{13})(\.\d+)?")
_SENTENCE_ID: Final = re.compile(rb"[A-Z0-9=]{3,10}")
_GROUP: Final = re.compile(rb"([1-9])-([1-9])-([0-9A-Za-z]+)")
_MILLISECONDS_ABOVE: Final = 100_000_000_000  # c: values above this are ms (1e11 s: year 5138)

Key = tuple[str, str, str, int]  # (source or group, sequential id, channel, fragment count)

# Where a message's time came from (NmeaChunk.time_sources counts stored messages by these).
TIME_SOURCES: Final = ("receiver clock (type 4)", "tag block", "vendor time", "$PGHP")
_CLOCK, _TAG_BLOCK, _VENDOR, _PGHP = range(4)


@dataclass
class NmeaChunk(Chunk):
    """A :class:`Chunk` with record accounting: ``records_read`` (split from this chunk's
    lines) plus the previous chunk's ``records_pending`` equals ``records_used`` (in a
    position or static report) + rejected + skipped + this chunk's ``records_pending``.
    ``time_sources`` counts the messages stored by where their time came from."""

    records_read: int = 0
    records_used: int = 0
    records_pending: int = 0
    time_sources: Counter[str] = field(default_factory=Counter)


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


@dataclass(slots=True)
class _Fragment:
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
    parts: list[_Fragment]


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


def _checksum_problem(body: bytes, given: bytes) -> str | None:
    """Why ``given`` (the characters after ``*``) is not the checksum of ``body``, if not."""
    if len(given) != 2 or any(c not in _HEX_DIGITS for c in given):
        return f"malformed checksum '*{given.decode()}'"
    computed = _xor(body)
    if int(given, 16) != computed:
        return f"checksum mismatch: line says {given.decode()}, computed {computed:02X}"
    return None


def _epoch_ms(value: bytes) -> int:
    """Epoch seconds or milliseconds (told apart by magnitude) as milliseconds."""
    number = float(value)
    return round(number if number > _MILLISECONDS_ABOVE else number * 1000)


class _Sentence(NamedTuple):
    """The fields of a checked AIS sentence that the reader keeps."""

    talker: str
    total: int  # fragment count
    number: int  # fragment number
    seq: str  # sequential message id, "" if none
    channel: str
    payload: bytes
    star: int  # position of '*' in the sentence
    vendor_time: int  # ms, -1 if none


@dataclass(slots=True)
class _Tag:
    time: int = -1
    station: str | None = None
    group: tuple[int, int, str] | None = None  # (sentence number, total, group id)


def _parse_tag_block(tag: bytes) -> _Tag | str:
    """Parse an NMEA 4.10 tag block (between the backslashes); a string is a rejection reason.

    A checksum of ``00`` is accepted unverified: AMSA's timestamped log and Spire's sample
    write ``*00`` on every tag block, a placeholder for "not computed". The sentence's own
    checksum still protects the AIS payload.
    """
    star = tag.rfind(b"*")
    if star < 0:
        return "tag block without checksum"
    body, given = tag[:star], tag[star + 1 :]
    if given != b"00" and (problem := _checksum_problem(body, given)):
        return "tag block " + problem
    parsed = _Tag()
    for item in body.split(b","):
        key, colon, value = item.partition(b":")
        if not colon or not key:
            return f"malformed tag block field '{item.decode()}'"
        if key == b"c":
            if not value.isdigit():
                return f"malformed tag block time 'c:{value.decode()}'"
            parsed.time = _epoch_ms(value)
        elif key == b"s":
            parsed.station = value.decode()
        elif key == b"g":
            match = _GROUP.fullmatch(value)
            if not match or int(match[1]) > int(match[2]):
                return f"malformed tag block group 'g:{value.decode()}'"
            parsed.group = (int(match[1]), int(match[2]), match[3].decode())
    return parsed


def _dollar_id(line: bytes) -> bytes:
    """The sentence id of a ``$`` line: up to the first comma, or to the ``*`` without one."""
    comma = line.find(b",")
    return line[1:comma] if comma > 0 else line[1:].split(b"*", 1)[0].strip()


def _dollar_reason(sentence_id: bytes) -> str:
    """How a skipped ``$`` sentence is counted: by its id, if it looks like one."""
    if _SENTENCE_ID.fullmatch(sentence_id):
        return f"${sentence_id.decode()} sentence"
    return "$ sentence with a malformed id"


def _pghp_time(body: bytes) -> tuple[int, bytes] | str:
    """Time (ms) and the named sentence checksum of a Gatehouse ``$PGHP`` type 1 line.

    Layout (IALA IWRAP wiki, "GH AIS Message Format"): ``$PGHP,1,<year>,<month>,<day>,
    <hour>,<minute>,<second>,<millisecond>,<country>,<region>,<pss>,<online>,<cc>*hh``,
    UTC, where ``cc`` is the checksum of the NMEA sentence that the time belongs to.
    """
    fields = body.split(b",")
    if len(fields) < 14 or fields[1] != b"1":
        return "malformed $PGHP sentence (expected type 1 with 13 fields)"
    try:
        year, month, day, hour, minute, second, milli = (int(f) for f in fields[2:9])
        when = datetime(year, month, day, hour, minute, second, milli * 1000, tzinfo=UTC)
    except (ValueError, OverflowError):
        return f"malformed $PGHP time '{b','.join(fields[2:9]).decode()}'"
    return round(when.timestamp() * 1000), fields[13].upper()


class _Records:
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
        self.time: dict[int, int] = {}  # record -> ms, for records with a time
        self.time_source: dict[int, int] = {}  # record -> index into TIME_SOURCES
        self.station: dict[int, str] = {}
        self.multi: dict[int, tuple[Key, int, str]] = {}  # record -> key, fragment number, label
        self.bad_checksum: dict[int, str] = {}
        self.others = 0  # records that are not sentences: decided in pass 1
        self.chunk = NmeaChunk()

    def text(self, line: int) -> str:
        return self.lines[line - self.first_line].decode("utf-8", "replace").rstrip("\r\n")

    def reject(self, line: int, reason: str) -> None:
        self.chunk.rejected.append(Rejected(line, reason, self.text(line)))

    def set_time(self, index: int, ms: int, source: int) -> None:
        self.time[index] = ms
        self.time_source[index] = source


class _Reader:
    """State carried from chunk to chunk: line count, receiver clock, pending fragments and
    Gatehouse times waiting for their sentence."""

    def __init__(self) -> None:
        self.lineno = 0
        self.clock = -1  # ms of the latest plausible type 4 report, -1 before the first
        self.pending: dict[Key, _Partial] = {}
        self.pghp: dict[bytes, tuple[int, int]] = {}  # named checksum -> (ms, line)

    def read_chunk(self, lines: list[bytes], final: bool) -> NmeaChunk:
        rec = _Records(self.lineno + 1, lines)
        self._split_lines(rec)
        self.lineno += len(lines)
        good = self._verify_checksums(rec, np.frombuffer(b"".join(lines), dtype=np.uint8))
        batch = self._messages(rec, good, final)
        chunk = rec.chunk
        chunk.lines_read = len(lines)
        chunk.records_read = len(rec.line) + rec.others
        self.clock = batch.decode(self.clock)
        chunk.records_pending = sum(len(p.parts) for p in self.pending.values())
        chunk.rejected.sort(key=lambda r: r.line)
        return chunk

    # -- pass 1: lines into records ---------------------------------------------------------

    def _split_lines(self, rec: _Records) -> None:
        line_of, payloads = rec.line, rec.payload
        starts, ends = rec.span_start, rec.span_end
        dollar: Counter[bytes] = Counter()  # "$" sentence ids, checked once per id at the end
        pghp = self.pghp
        lineno, offset = self.lineno, 0
        for raw in rec.lines:
            lineno += 1
            first = raw[:1]
            # Fast path: a bare single-sentence line "!xxVDM,1,1,seq,chan,payload,f*hh\n".
            # The fill digit is read again from the buffer with the checksums.
            if first == b"!" and raw.isascii():
                fields = raw.split(b",")
                if len(fields) == 7 and fields[1] == b"1" and fields[2] == b"1":
                    last = fields[6]
                    if (
                        fields[0][3:] in _AIS_FORMATTERS
                        and fields[5]
                        and last[:1] in _FILL
                        and last[1:2] == b"*"
                        and len(last) >= 4
                        and last[4:] in _LINE_END
                    ):
                        if pghp:
                            self._match_pghp(rec, len(line_of), last[2:4], lineno)
                        line_of.append(lineno)
                        payloads.append(fields[5])
                        starts.append(offset + 1)
                        ends.append(offset + len(raw) - len(last) + 1)
                        offset += len(raw)
                        continue
            # Fast path: "\\tag\\" and a single sentence, the common line of tagged feeds.
            elif first == b"\\" and raw.isascii() and self._tagged_line(rec, raw, lineno, offset):
                offset += len(raw)
                continue
            # Fast path: "$" sentences other than $PGHP are counted by id.
            elif first == b"$" and raw[1:5] != b"PGHP" and raw.isascii():
                dollar[_dollar_id(raw)] += 1
                offset += len(raw)
                continue
            self._split_line(rec, raw, lineno, offset)
            offset += len(raw)
        for sentence_id, count in dollar.items():
            rec.others += count
            rec.chunk.skipped[_dollar_reason(sentence_id)] += count

    def _tagged_line(self, rec: _Records, raw: bytes, lineno: int, offset: int) -> bool:
        """Take ``\\c:..,s:..*hh\\!xxVDM,1,1,...*hh`` (one tag block without a group, one
        single-sentence message) if the line is exactly that; False to leave it to the
        general path. The tag block checksum is verified later with the sentence's."""
        close = raw.find(b"\\", 1)
        if close < 0 or raw.find(b"\\", close + 1) >= 0 or raw[close + 1 : close + 2] != b"!":
            return False
        fields = raw[close + 1 :].split(b",")
        if len(fields) != 7 or fields[1] != b"1" or fields[2] != b"1":
            return False
        last = fields[6]
        if not (
            fields[0][3:] in _AIS_FORMATTERS
            and fields[5]
            and last[:1] in _FILL
            and last[1:2] == b"*"
            and len(last) >= 4
            and last[4:] in _LINE_END
        ):
            return False
        star = raw.rfind(b"*", 0, close)
        if star < 0 or close - star != 3:
            return False
        time, station = -1, None
        for item in raw[1:star].split(b","):
            key = item[:2]
            if key == b"c:" and item[2:].isdigit():
                time = _epoch_ms(item[2:])
            elif key == b"s:":
                station = item[2:].decode()
            elif key in (b"c:", b"g:") or item.find(b":") < 1:  # groups, malformed: general path
                return False
        index = len(rec.line)
        if self.pghp:
            self._match_pghp(rec, index, last[2:4], lineno)
        if time >= 0:
            rec.set_time(index, time, _TAG_BLOCK)
        if station is not None:
            rec.station[index] = station
        rec.line.append(lineno)
        rec.payload.append(fields[5])
        rec.span_start.append(offset + close + 2)
        rec.span_end.append(offset + len(raw) - len(last) + 1)
        rec.tag_start.append(offset + 1)
        rec.tag_end.append(offset + star)
        rec.tag_record.append(index)
        return True

    def _split_line(self, rec: _Records, raw: bytes, lineno: int, offset: int) -> None:
        """Every line the fast path does not take: tag blocks, vendor times, multi-sentence
        fragments, ``$`` lines, blank lines and everything malformed."""
        if not raw.isascii():
            rec.others += 1
            try:
                raw.decode("utf-8")
                rec.reject(lineno, "non-ASCII characters (NMEA 0183 is ASCII)")
            except UnicodeDecodeError:
                rec.reject(lineno, "non-UTF-8 bytes")
            return
        line = raw.rstrip()
        start = len(line) - len(line.lstrip())
        line = line[start:]
        if line[:1] in (b"!", b"\\"):
            self._split_tagged(rec, line, lineno, offset + start)
            return
        rec.others += 1
        if not line:
            rec.chunk.skipped["blank line"] += 1
        elif line[:1] == b"$":
            self._dollar_line(rec, line, lineno)
        else:
            rec.reject(lineno, "not an NMEA sentence")

    def _split_tagged(self, rec: _Records, line: bytes, lineno: int, offset: int) -> None:
        """Split ``[\\tag\\]sentence[\\tag\\]sentence...`` into records."""
        pos = 0
        while pos < len(line):
            tag: bytes | None = None
            if line[pos : pos + 1] == b"\\":
                close = line.find(b"\\", pos + 1)
                if close < 0:
                    rec.others += 1
                    rec.reject(lineno, "tag block not closed by a backslash")
                    return
                tag, pos = line[pos + 1 : close], close + 1
            end = line.find(b"\\", pos)
            end = len(line) if end < 0 else end
            sentence = line[pos:end].rstrip()
            start = len(sentence) - len(sentence.lstrip())
            self._record(rec, tag, sentence[start:], lineno, offset + pos + start)
            pos = end

    def _record(
        self, rec: _Records, tag: bytes | None, sentence: bytes, lineno: int, offset: int
    ) -> None:
        """One tag block (or None) and the sentence after it, at ``offset`` in the buffer."""
        if sentence[:1] == b"$":
            rec.others += 1
            self._dollar_line(rec, sentence, lineno)
            return
        parsed = _parse_tag_block(tag) if tag is not None else _Tag()
        fields = self._sentence_fields(rec, sentence, lineno, parsed)
        if fields is None or isinstance(parsed, str):  # a bad tag block was rejected there
            rec.others += 1
            return
        index = len(rec.line)
        if self.pghp:
            self._match_pghp(rec, index, sentence[fields.star + 1 : fields.star + 3], lineno)
        if parsed.time >= 0:
            rec.set_time(index, parsed.time, _TAG_BLOCK)
        elif fields.vendor_time >= 0:
            rec.set_time(index, fields.vendor_time, _VENDOR)
        if parsed.station is not None:
            rec.station[index] = parsed.station
        rec.line.append(lineno)
        rec.payload.append(fields.payload)
        rec.span_start.append(offset + 1)
        rec.span_end.append(offset + fields.star)
        total, seq, channel = fields.total, fields.seq, fields.channel
        if parsed.group is not None and parsed.group[1] > 1:
            group = parsed.group[2]
            rec.multi[index] = ((f"g:{group}", "", "", total), fields.number, f"(group {group})")
        elif total > 1:
            # The tag block's station, when there is one, identifies the receiving path
            # better than the talker: MarineTraffic's feed (bad-type5.nmea) gives the two
            # sentences of one message the talkers AB and AI.
            source = parsed.station if parsed.station is not None else fields.talker
            label = f"(seq {seq or '-'}, channel {channel or '-'})"
            rec.multi[index] = ((source, seq, channel, total), fields.number, label)

    def _sentence_fields(
        self, rec: _Records, sentence: bytes, lineno: int, tag: _Tag | str
    ) -> _Sentence | None:
        """Check a ``!`` sentence (and the outcome of its tag block); None after rejecting
        or skipping it."""
        if sentence[:1] != b"!":
            rec.reject(
                lineno, "tag block without a sentence" if not sentence else "not an NMEA sentence"
            )
            return None
        head = re.split(rb"[,*]", sentence[1:], maxsplit=1)[0]
        if len(head) != 5 or head[2:] not in _AIS_FORMATTERS:
            if _SENTENCE_ID.fullmatch(head):
                rec.chunk.skipped[f"!{head.decode()} sentence"] += 1
            else:
                rec.reject(lineno, "not an NMEA sentence (malformed sentence id)")
            return None
        if isinstance(tag, str):
            rec.reject(lineno, tag)
            return None
        star = sentence.find(b"*")
        if star < 0:
            rec.reject(lineno, "no checksum: sentence truncated?")
            return None
        given, suffix = sentence[star + 1 : star + 3], sentence[star + 3 :].strip()
        fields = sentence[1:star].split(b",")
        vendor = _VENDOR_TIME.fullmatch(suffix) if suffix else None
        problem = self._field_problem(fields, given, tag)
        if problem is None and suffix and not vendor and any(c in suffix for c in b"!$\\"):
            # Other stray text (a quote in GFW's sample.nmea) does not spoil a sentence
            # whose checksum verifies, but a second sentence glued on must not vanish.
            problem = f"unexpected text after the checksum: '{suffix.decode()}'"
        if problem is not None:
            rec.reject(lineno, problem)
            return None
        return _Sentence(
            talker=head[:2].decode(),
            total=int(fields[1]),
            number=int(fields[2]),
            seq=fields[3].decode(),
            channel=fields[4].decode(),
            payload=fields[5],
            star=star,
            vendor_time=_epoch_ms(suffix.lstrip(b", \t")) if vendor else -1,
        )

    @staticmethod
    def _field_problem(fields: list[bytes], given: bytes, tag: _Tag) -> str | None:
        """What is wrong with the fields of an AIS sentence, if anything."""
        if len(given) != 2 or any(c not in _HEX_DIGITS for c in given):
            return f"malformed checksum '*{given.decode()}'"
        if len(fields) != 7:
            return f"sentence has {len(fields)} fields, expected 7"
        total = _FRAGMENT_COUNT.get(fields[1])
        if total is None:
            return f"fragment count '{fields[1].decode()}' is not a number 1-9"
        num = _FRAGMENT_COUNT.get(fields[2])
        if num is None or num > total:
            return f"fragment number '{fields[2].decode()}' is not a number 1-{total}"
        if not fields[5]:
            return "empty payload"
        if fields[6] not in _FILL:
            return f"fill bits '{fields[6].decode()}' is not a number 0-5"
        if tag.group is not None and tag.group[1] > 1 and tag.group[:2] != (num, total):
            return (
                f"tag block group says sentence {tag.group[0]} of {tag.group[1]}, "
                f"the sentence says fragment {num} of {total}"
            )
        return None

    def _dollar_line(self, rec: _Records, line: bytes, lineno: int) -> None:
        """``$`` sentences are not AIS: counted by sentence id, except ``$PGHP`` times."""
        star = line.find(b"*")
        body = line[1:star] if star >= 0 else line[1:]
        sentence_id = _dollar_id(line)
        if sentence_id != b"PGHP":
            rec.chunk.skipped[_dollar_reason(sentence_id)] += 1
            return
        if star < 0:
            rec.reject(lineno, "$PGHP without checksum: sentence truncated?")
            return
        problem = _checksum_problem(body, line[star + 1 : star + 3])
        parsed = _pghp_time(body)
        if problem is not None or isinstance(parsed, str):
            rec.reject(lineno, f"$PGHP {problem or parsed}")
            return
        self.pghp[parsed[1]] = (parsed[0], lineno)
        rec.chunk.skipped["$PGHP sentence"] += 1

    def _match_pghp(self, rec: _Records, index: int, given: bytes, lineno: int) -> None:
        """Give record ``index`` the time of a recent ``$PGHP`` naming its checksum.

        pyais applies a ``$PGHP`` to whatever AIS sentence comes next; matching the checksum
        that the line names instead keeps interleaved feeds right (AMSA's log has runs of
        ``$PGHP`` lines whose sentences come a few lines later, or not at all).
        """
        for key, (_, seen) in list(self.pghp.items()):
            if lineno - seen > ORPHAN_LINES:
                del self.pghp[key]
        for key in (given.upper(), b""):  # an empty cc field names the next sentence
            if key in self.pghp:
                rec.set_time(index, self.pghp.pop(key)[0], _PGHP)
                return

    # -- checksums and assembly ---------------------------------------------------------------

    @staticmethod
    def _verify_checksums(rec: _Records, buffer: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
        """Check every sentence checksum of the chunk at once (XOR of a span is the XOR of
        two running-XOR values) and reject the single sentences that fail."""
        if not rec.line:
            return np.zeros(0, dtype=bool)
        running = np.empty(len(buffer) + 1, dtype=np.uint8)
        running[0] = 0
        np.bitwise_xor.accumulate(buffer, out=running[1:])
        starts = np.asarray(rec.span_start, dtype=np.int64)
        ends = np.asarray(rec.span_end, dtype=np.int64)
        rec.fill = buffer[ends - 1].astype(np.int64) - ord("0")  # the digit before '*'
        computed = (running[ends] ^ running[starts]).astype(np.int64)
        good: npt.NDArray[np.bool_] = (
            computed == _HEX[buffer[ends + 1]] * 16 + _HEX[buffer[ends + 2]]
        )
        tag_problems = _Reader._verify_tag_blocks(rec, buffer, running)
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

    @staticmethod
    def _verify_tag_blocks(
        rec: _Records, buffer: npt.NDArray[np.uint8], running: npt.NDArray[np.uint8]
    ) -> dict[int, str]:
        """Check the tag blocks of fast-path lines; the rejection reason by record index.
        ``*00`` is accepted as "not computed" (see ``_parse_tag_block``)."""
        if not rec.tag_end:
            return {}
        starts = np.asarray(rec.tag_start, dtype=np.int64)
        ends = np.asarray(rec.tag_end, dtype=np.int64)
        computed = (running[ends] ^ running[starts]).astype(np.int64)
        given = _HEX[buffer[ends + 1]] * 16 + _HEX[buffer[ends + 2]]
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

    def _messages(self, rec: _Records, good: npt.NDArray[np.bool_], final: bool) -> _Batch:
        """Complete messages of the chunk: good single sentences, and multi-sentence
        messages assembled here (pass 2, in stream order)."""
        batch = _Batch(rec, good)
        for index, (key, num, label) in rec.multi.items():
            line = rec.line[index]
            self._expire(rec, line - ORPHAN_LINES)
            if index in rec.bad_checksum:
                rec.reject(line, rec.bad_checksum[index])
                continue
            fragment = _Fragment(
                line,
                rec.text(line),
                rec.payload[index],
                int(rec.fill[index]),
                rec.time.get(index, -1),
                rec.time_source.get(index, _CLOCK),
                rec.station.get(index),
            )
            parts = self._add_fragment(rec, key, num, label, fragment)
            if parts is not None:
                batch.add_assembled(index, parts)
        self._expire(rec, None if final else self.lineno - ORPHAN_LINES)
        return batch

    def _add_fragment(
        self, rec: _Records, key: Key, num: int, label: str, fragment: _Fragment
    ) -> list[_Fragment] | None:
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

    def _expire(self, rec: _Records, before: int | None) -> None:
        """Reject pending messages whose first fragment is on a line before ``before``
        (all of them when None: the end of input)."""
        for key, partial in list(self.pending.items()):
            if before is None or partial.parts[0].line < before:
                del self.pending[key]
                self._drop(rec, partial, "orphan")

    @staticmethod
    def _drop(rec: _Records, partial: _Partial, why: str) -> None:
        total = partial.key[3]
        for number, part in enumerate(partial.parts, 1):
            reason = f"{why} fragment {number} of {total} {partial.label}"
            rec.chunk.rejected.append(Rejected(part.line, reason, part.text))


# -- complete messages: checks, receiver clock, decoding ------------------------------------

_STATIC_TYPES: Final = frozenset({5, 19, 24})
_STORED_TYPES: Final = POSITION_TYPES | _STATIC_TYPES
_DEFINED_TYPES: Final = range(1, 28)  # ITU-R M.1371-5 defines message types 1 to 27
_NO_TIME: Final = "no timestamp (no tag block, no vendor time, no base-station time yet)"

# Bit counts. A payload shorter than the standard length of its type is rejected: its last
# fields would be cut off. Longer payloads are accepted, as gpsd does for these types
# ("PERMISSIVE_LENGTH_CHECK") and pyais does for all: every field sits at a fixed offset, so
# extra trailing bits leave the fields intact. GFW's type1-bad-bitcount.nmea shows the
# case: 186-bit type 1 reports (18 extra bits, likely a receiver keeping the frame CRC)
# whose first 168 bits decode to plausible positions, courses matching headings. Type 5 is
# accepted from 420 bits (gpsd: "a lot of transmitters in the wild ship with a length of
# 420 or 422"; only the last destination character and the DTE flag are lost). Type 24
# part B needs 168 bits, checked after decoding the part number.
_EXPECTED_BITS: Final = {**POSITION_BITS, 4: 168, 5: 424, 24: 160}
_MIN_BITS = np.zeros(64, dtype=np.int64)
for _type, _bits in _EXPECTED_BITS.items():
    _MIN_BITS[_type] = 420 if _type == 5 else _bits
_TYPE24_PART_B_BITS: Final = 168


class _Batch:
    """The complete messages of a chunk, good single sentences first, then the assembled
    ones, checked and decoded together; ``decode`` fills the chunk."""

    def __init__(self, rec: _Records, good: npt.NDArray[np.bool_]) -> None:
        multi = np.zeros(len(rec.line), dtype=bool)
        multi[list(rec.multi)] = True
        self.rec = rec
        self.chunk = rec.chunk
        self.single: npt.NDArray[np.int64] = np.flatnonzero(good & ~multi).astype(np.int64)
        self.assembled: list[tuple[int, list[_Fragment]]] = []

    def add_assembled(self, record: int, parts: list[_Fragment]) -> None:
        self.assembled.append((record, parts))

    def reject(self, message: int, reason: str) -> None:
        """Reject every sentence of a message."""
        if message < len(self.single):
            self.rec.reject(int(self.line[message]), reason)
            return
        for part in self.assembled[message - len(self.single)][1]:
            self.chunk.rejected.append(Rejected(part.line, reason, part.text))

    def _gather(self) -> Payloads:
        """Message arrays: payloads, order in the stream, last line, own time and its
        source, station, fragment count."""
        rec, single, assembled = self.rec, self.single, self.assembled
        singles = single.tolist()
        if len(singles) == len(rec.payload):  # every record a good single sentence: no copy
            payloads = rec.payload
        else:
            payloads = [rec.payload[i] for i in singles]
        payloads += [b"".join(p.payload for p in parts) for _, parts in assembled]
        fills = _join(rec.fill[single], [parts[-1].fill for _, parts in assembled])
        firsts = [next((p for p in parts if p.time >= 0), None) for _, parts in assembled]
        self.time = _join(
            _sparse(rec.time, len(rec.line), -1)[single], [p.time if p else -1 for p in firsts]
        )
        source = _sparse(rec.time_source, len(rec.line), _CLOCK)[single]
        self.time_source = _join(source, [p.time_source if p else _CLOCK for p in firsts])
        line = np.asarray(rec.line, dtype=np.int64)
        self.line = _join(line[single], [parts[-1].line for _, parts in assembled])
        self.order = _join(single, [record for record, _ in assembled])
        self.fragments = _join(np.ones(len(single), np.int64), [len(p) for _, p in assembled])
        self.station: dict[int, str] = {}
        if rec.station:
            message_of = np.full(len(rec.line), -1, dtype=np.int64)
            message_of[single] = np.arange(len(singles))
            for record, name in rec.station.items():
                if message_of[record] >= 0:
                    self.station[int(message_of[record])] = name
        for number, (_, parts) in enumerate(assembled, len(singles)):
            named = [p.station for p in parts if p.station is not None]
            if named:
                self.station[number] = named[0]
        return Payloads.pack(payloads, fills)

    def decode(self, clock: int) -> int:
        """Check, time and decode all messages into the chunk; return the receiver clock
        (ms) after the last of them."""
        payloads = self._gather()
        types, bits = payloads.message_types(), payloads.bit_counts()
        alive = self._check(payloads, types, bits)
        base_stations = np.flatnonzero(alive & (types == 4))
        station_time = np.full(len(types), -1, dtype=np.int64)
        station_time[base_stations] = decode_base_station_times(payloads, base_stations)
        clock_at, clock = _receiver_clock(self.order, station_time, clock)
        self._skip(alive & ~np.isin(types, list(_STORED_TYPES)), types)
        stored = alive & np.isin(types, list(_STORED_TYPES))
        for message in np.flatnonzero(stored & (self.time < 0) & (clock_at < 0)).tolist():
            self.reject(message, _NO_TIME)
        stored &= (self.time >= 0) | (clock_at >= 0)
        positions = np.flatnonzero(stored & np.isin(types, list(POSITION_TYPES)))
        columns = decode_positions(payloads, positions)
        second = np.full(len(types), 60, dtype=np.int8)
        second[positions] = columns["second"]
        times = np.where(self.time >= 0, self.time, _refine_with_second(clock_at, second))
        stored[self._statics(payloads, types, bits, times, stored)] = False
        keep = stored[positions]
        self._positions({k: v[keep] for k, v in columns.items()}, positions[keep], times)
        self.chunk.records_used += int(self.fragments[stored].sum())
        sources = np.bincount(self.time_source[stored], minlength=len(TIME_SOURCES))
        for name, count in zip(TIME_SOURCES, sources.tolist(), strict=True):
            if count:
                self.chunk.time_sources[name] += count
        return clock

    def _check(
        self, payloads: Payloads, types: npt.NDArray[np.int64], bits: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.bool_]:
        """Reject messages with characters outside the alphabet, of undefined types, or too
        short for their type; True for the others."""
        first_bad = payloads.first_bad_character()
        undefined = ~np.isin(types, list(_DEFINED_TYPES))
        short = bits < _MIN_BITS[np.clip(types, 0, 63)]
        for message in np.flatnonzero((first_bad >= 0) | undefined | short).tolist():
            if first_bad[message] >= 0:
                at = int(first_bad[message])
                payload = self._payload(message)
                reason = (
                    f"payload character {chr(payload[at])!r} (position {at + 1}) is not in "
                    "the AIS six-bit alphabet"
                )
            elif undefined[message]:
                reason = f"message type {types[message]} is not defined (ITU-R M.1371: 1-27)"
            else:
                kind = types[message]
                reason = (
                    f"type {kind} payload is {bits[message]} bits, expected {_EXPECTED_BITS[kind]}"
                )
            self.reject(message, reason)
        return ~((first_bad >= 0) | undefined | short)

    def _payload(self, message: int) -> bytes:
        if message < len(self.single):
            return self.rec.payload[int(self.single[message])]
        return b"".join(p.payload for p in self.assembled[message - len(self.single)][1])

    def _skip(self, skipped: npt.NDArray[np.bool_], types: npt.NDArray[np.int64]) -> None:
        """Count the messages that decoded fine but are not stored, by type."""
        counts = np.bincount(types[skipped], weights=self.fragments[skipped], minlength=64)
        for kind in np.flatnonzero(counts).tolist():
            label = "message type 4 (base station)" if kind == 4 else f"message type {kind}"
            self.chunk.skipped[label] += int(counts[kind])

    def _statics(
        self,
        payloads: Payloads,
        types: npt.NDArray[np.int64],
        bits: npt.NDArray[np.int64],
        times: npt.NDArray[np.int64],
        stored: npt.NDArray[np.bool_],
    ) -> npt.NDArray[np.int64]:
        """Decode static reports (in stream order) into the chunk; return those rejected."""
        messages = np.flatnonzero(stored & np.isin(types, list(_STATIC_TYPES)))
        messages = messages[np.argsort(self.order[messages], kind="stable")]
        fields = decode_statics(payloads, messages)
        failed: list[int] = []
        statics = self.chunk.statics
        columns = zip(
            messages.tolist(),
            fields.part,
            bits[messages].tolist(),
            fields.mmsi,
            times[messages].tolist(),
            self.line[messages].tolist(),
            fields.imo,
            fields.name,
            fields.callsign,
            fields.ship_type,
            fields.length,
            fields.width,
            fields.draught,
            fields.destination,
            fields.eta,
            strict=True,
        )
        for message, part, bit_count, *report in columns:
            if part >= 2:
                reason = f"type 24 part number {part} is not defined (0 = part A, 1 = part B)"
            elif part == 1 and bit_count < _TYPE24_PART_B_BITS:
                reason = f"type 24 part B payload is {bit_count} bits, expected 168"
            else:
                statics.append(StaticReport(*report))
                continue
            self.reject(message, reason)
            failed.append(message)
        return np.asarray(failed, dtype=np.int64)

    def _positions(
        self,
        columns: dict[str, npt.NDArray[np.generic]],
        messages: npt.NDArray[np.int64],
        times: npt.NDArray[np.int64],
    ) -> None:
        """Store position columns in stream order, with times, lines and stations."""
        station = np.full(len(messages), -1, dtype=np.int32)
        if self.station:
            names = self.chunk.stations
            index = {name: number for number, name in enumerate(names)}
            for row, message in enumerate(messages.tolist()):
                name = self.station.get(message)
                if name is not None:
                    if name not in index:
                        index[name] = len(names)
                        names.append(name)
                    station[row] = index[name]
        sort = np.argsort(self.order[messages], kind="stable")
        out: Columns = {
            "mmsi": columns["mmsi"],
            "ts": times[messages],
            "lat": columns["lat"],
            "lon": columns["lon"],
            "sog": columns["sog"],
            "cog": columns["cog"],
            "heading": columns["heading"],
            "nav_status": columns["nav_status"],
            "msg_type": columns["msg_type"],
            "line": self.line[messages],
            "station": station,
        }
        self.chunk.positions = {name: column[sort] for name, column in out.items()}


def _join(head: npt.NDArray[np.int64], tail: list[int]) -> npt.NDArray[np.int64]:
    return np.concatenate((head, np.asarray(tail, dtype=np.int64))).astype(np.int64)


def _sparse(values: dict[int, int], size: int, default: int) -> npt.NDArray[np.int64]:
    """A dict of record -> value as an array over all records."""
    array = np.full(size, default, dtype=np.int64)
    array[list(values)] = list(values.values())
    return array


def _receiver_clock(
    order: npt.NDArray[np.int64], station_time: npt.NDArray[np.int64], clock: int
) -> tuple[npt.NDArray[np.int64], int]:
    """For each message, the time of the latest plausible type 4 report before it in the
    stream (``clock``, from earlier chunks, before the first); and the clock after all."""
    count = len(order)
    if count == 0:
        return np.zeros(0, dtype=np.int64), clock
    by_order = np.argsort(order, kind="stable")
    sorted_time = station_time[by_order]
    latest = np.maximum.accumulate(np.where(sorted_time >= 0, np.arange(count), -1))
    before = np.concatenate(([-1], latest[:-1]))
    at_sorted = np.where(before >= 0, sorted_time[np.maximum(before, 0)], clock)
    at = np.empty(count, dtype=np.int64)
    at[by_order] = at_sorted
    return at, int(sorted_time[latest[-1]]) if latest[-1] >= 0 else clock


def _refine_with_second(
    clock: npt.NDArray[np.int64], second: npt.NDArray[np.int8]
) -> npt.NDArray[np.int64]:
    """Time of reports that carry none of their own, from the receiver clock.

    ``clock`` is the UTC time (ms) of the most recent plausible type 4 base station report
    earlier in the stream. A position report's UTC second field (0-59) is the second of the
    minute at which its position was fixed, so its time is the instant nearest the clock
    (within +-30 s) whose second is that field. Base stations report every 10 s, so the clock
    is seconds old and this places the report inside the right minute. Where the field is
    60-63 (not available, manual input, dead reckoning, inoperative) or absent (type 27 and
    static reports, passed as 60), the clock itself is the time. Values where ``clock`` is
    negative (no clock yet) are meaningless and must not be used.
    """
    seconds = second.astype(np.int64)
    delta = (seconds * 1000 - clock % 60_000 + 30_000) % 60_000 - 30_000
    return np.where(seconds <= 59, clock + delta, clock)
