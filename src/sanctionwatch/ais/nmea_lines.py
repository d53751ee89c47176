"""Pass 1 of the NMEA reader: split a chunk's physical lines into records.

A record is one sentence with its optional tag block, or one line that holds no sentence.
Every record not decided here (skipped or rejected) becomes a row of the chunk's
:class:`~sanctionwatch.ais.nmea_records.Records` table: its line, payload, where its
checksum span sits in the chunk buffer, its time and station, and for a fragment of a
multi-sentence message the key it is assembled under. Checksums are not computed here but
for the whole chunk afterwards (``nmea_checksums.py``).

This is the reader's only per-line Python loop, so its shape is set by speed: fast paths
take the common bare single-sentence line, the common tagged line and ``$`` lines, and
leave everything else to the general path. :class:`LineSplitter` also carries the
Gatehouse ``$PGHP`` times waiting for the sentence they name, from chunk to chunk.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Final, NamedTuple

from sanctionwatch.ais.input_limits import overlong_reason
from sanctionwatch.ais.nmea_checksums import checksum_problem
from sanctionwatch.ais.nmea_framing import (
    AIS_FORMATTERS,
    FILL,
    MAX_TIME_DIGITS,
    SENTENCE_ID,
    Sentence,
    Tag,
    dollar_id,
    dollar_reason,
    epoch_ms,
    parse_tag_block,
    pghp_time,
    sentence_field_problem,
    vendor_time,
)
from sanctionwatch.ais.nmea_records import (
    ORPHAN_LINES,
    SOURCE_PGHP,
    SOURCE_TAG_BLOCK,
    SOURCE_VENDOR,
    Records,
)

_LINE_END: Final = frozenset({b"", b"\n", b"\r\n"})


class LineSplitter:
    """Splits each chunk's lines into records; keeps ``$PGHP`` times between chunks."""

    def __init__(self) -> None:
        self.pghp: dict[bytes, tuple[int, int]] = {}  # named checksum -> (ms, line)

    def split_lines(self, rec: Records) -> None:
        """Fill ``rec`` from its lines, whose first is physical line ``rec.first_line``."""
        line_of, payloads = rec.line, rec.payload
        starts, ends = rec.span_start, rec.span_end
        dollar: Counter[bytes] = Counter()  # "$" sentence ids, checked once per id at the end
        blank = 0
        pghp = self.pghp
        lineno, offset = rec.first_line - 1, 0
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
                        fields[0][3:] in AIS_FORMATTERS
                        and fields[5]
                        and last[:1] in FILL
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
                dollar[dollar_id(raw)] += 1
                offset += len(raw)
                continue
            # Fast path: blank lines (a file of nothing but newlines must not crawl).
            elif raw == b"\n" or raw == b"\r\n":
                blank += 1
                offset += len(raw)
                continue
            self._split_line(rec, raw, lineno, offset)
            offset += len(raw)
        for sentence_id, count in dollar.items():
            rec.chunk.skipped[dollar_reason(sentence_id)] += count
        if blank:
            rec.chunk.skipped["blank line"] += blank

    def _tagged_line(self, rec: Records, raw: bytes, lineno: int, offset: int) -> bool:
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
            fields[0][3:] in AIS_FORMATTERS
            and fields[5]
            and last[:1] in FILL
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
            if key == b"c:" and item[2:].isdigit() and len(item) <= MAX_TIME_DIGITS + 2:
                time = epoch_ms(item[2:])
            elif key == b"s:":
                station = item[2:].decode()
            elif key in (b"c:", b"g:") or item.find(b":") < 1:  # groups, malformed: general path
                return False
        index = len(rec.line)
        if self.pghp:
            self._match_pghp(rec, index, last[2:4], lineno)
        if time >= 0:
            rec.set_time(index, time, SOURCE_TAG_BLOCK)
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

    def _split_line(self, rec: Records, raw: bytes, lineno: int, offset: int) -> None:
        """Every line the fast path does not take: tag blocks, vendor times, multi-sentence
        fragments, ``$`` lines, blank lines and everything malformed."""
        if not raw.isascii():
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
        elif not line:
            rec.chunk.skipped["blank line"] += 1
        elif line[:1] == b"$":
            self._dollar_line(rec, line, lineno)
        elif overlong := overlong_reason(line):
            rec.reject(lineno, overlong[0], overlong[1])
        else:
            rec.reject(lineno, "not an NMEA sentence")

    def _split_tagged(self, rec: Records, line: bytes, lineno: int, offset: int) -> None:
        """Split ``[\\tag\\]sentence[\\tag\\]sentence...`` into its pieces; the line is one
        record, or rejected whole."""
        pieces: list[tuple[bytes | None, bytes, int]] = []  # tag, sentence, buffer offset
        pos = 0
        while pos < len(line):
            tag: bytes | None = None
            if line[pos : pos + 1] == b"\\":
                close = line.find(b"\\", pos + 1)
                if close < 0:
                    rec.reject(lineno, "tag block not closed by a backslash")
                    return
                tag, pos = line[pos + 1 : close], close + 1
            end = line.find(b"\\", pos)
            end = len(line) if end < 0 else end
            sentence = line[pos:end].rstrip()
            start = len(sentence) - len(sentence.lstrip())
            pieces.append((tag, sentence[start:], offset + pos + start))
            pos = end
        if len(pieces) == 1:
            tag, sentence, at = pieces[0]
            self._record(rec, tag, sentence, lineno, at)
        else:
            self._one_message(rec, pieces, lineno)

    def _record(
        self, rec: Records, tag: bytes | None, sentence: bytes, lineno: int, offset: int
    ) -> None:
        """One tag block (or None) and the sentence after it, at ``offset`` in the buffer."""
        if sentence[:1] == b"$":
            self._dollar_line(rec, sentence, lineno)
            return
        parsed = parse_tag_block(tag) if tag is not None else Tag()
        fields = _sentence_fields(sentence, parsed)
        if isinstance(fields, _Verdict):
            if fields.skip:
                rec.chunk.skipped[fields.reason] += 1
            else:
                rec.reject(lineno, fields.reason)
            return
        assert not isinstance(parsed, str)  # a bad tag block is a verdict
        index = self._add(rec, [(parsed, fields, offset)], lineno)
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

    def _one_message(
        self, rec: Records, pieces: list[tuple[bytes | None, bytes, int]], lineno: int
    ) -> None:
        """Several tag block and sentence pairs on one line: they must be fragments 1..n of
        one n-sentence message, which becomes one record; else the line is rejected whole,
        for the first problem met."""
        checked: list[tuple[Tag, Sentence, int]] = []
        for tag, sentence, offset in pieces:
            parsed = parse_tag_block(tag) if tag is not None else Tag()
            fields = _sentence_fields(sentence, parsed)
            if isinstance(fields, _Verdict):
                reason = _NOT_ONE_MESSAGE if fields.skip else fields.reason
                rec.reject(lineno, reason)
                return
            assert not isinstance(parsed, str)
            checked.append((parsed, fields, offset))
        total = len(checked)
        first = checked[0][1]
        for number, (_, fields, _) in enumerate(checked, 1):
            if (fields.total, fields.number, fields.seq, fields.channel) != (
                total, number, first.seq, first.channel
            ):  # fmt: skip
                rec.reject(lineno, _NOT_ONE_MESSAGE)
                return
        self._add(rec, checked, lineno)

    def _add(self, rec: Records, parts: list[tuple[Tag, Sentence, int]], lineno: int) -> int:
        """Add a record for the sentences ``parts`` of one line (one, or all fragments of
        one message in order); its time and station are the first that a part gives."""
        index = len(rec.line)
        if self.pghp:
            self._match_pghp(rec, index, parts[0][1].checksum, lineno)
        for tag, fields, _ in parts:
            if index in rec.time:
                break
            if tag.time >= 0:
                rec.set_time(index, tag.time, SOURCE_TAG_BLOCK)
            elif fields.vendor_time >= 0:
                rec.set_time(index, fields.vendor_time, SOURCE_VENDOR)
        station = next((tag.station for tag, _, _ in parts if tag.station is not None), None)
        if station is not None:
            rec.station[index] = station
        for _, fields, offset in parts[:-1]:
            rec.extra_start.append(offset + 1)
            rec.extra_end.append(offset + fields.star)
            rec.extra_record.append(index)
        _, fields, offset = parts[-1]
        rec.line.append(lineno)
        rec.payload.append(b"".join(f.payload for _, f, _ in parts))
        rec.span_start.append(offset + 1)
        rec.span_end.append(offset + fields.star)
        return index

    def _dollar_line(self, rec: Records, line: bytes, lineno: int) -> None:
        """``$`` sentences are not AIS: counted by sentence id, except ``$PGHP`` times."""
        star = line.find(b"*")
        body = line[1:star] if star >= 0 else line[1:]
        sentence_id = dollar_id(line)
        if sentence_id != b"PGHP":
            rec.chunk.skipped[dollar_reason(sentence_id)] += 1
            return
        if star < 0:
            rec.reject(lineno, "$PGHP without checksum: sentence truncated?")
            return
        problem = checksum_problem(body, line[star + 1 : star + 3])
        parsed = pghp_time(body)
        if problem is not None or isinstance(parsed, str):
            rec.reject(lineno, f"$PGHP {problem or parsed}")
            return
        self.pghp[parsed[1]] = (parsed[0], lineno)
        rec.chunk.skipped["$PGHP sentence"] += 1

    def _match_pghp(self, rec: Records, index: int, given: bytes, lineno: int) -> None:
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
                rec.set_time(index, self.pghp.pop(key)[0], SOURCE_PGHP)
                return


_NOT_ONE_MESSAGE: Final = "several sentences on one line that are not one whole AIS message"


class _Verdict(NamedTuple):
    """A sentence that is not used: skipped (not AIS) or rejected, with the reason."""

    skip: bool
    reason: str


def _sentence_fields(sentence: bytes, tag: Tag | str) -> Sentence | _Verdict:
    """Check a ``!`` sentence (and the outcome of its tag block, a string if it was bad)."""
    if sentence[:1] != b"!":
        return _Verdict(
            False, "tag block without a sentence" if not sentence else "not an NMEA sentence"
        )
    head = re.split(rb"[,*]", sentence[1:], maxsplit=1)[0]
    if len(head) != 5 or head[2:] not in AIS_FORMATTERS:
        if SENTENCE_ID.fullmatch(head):
            return _Verdict(True, f"!{head.decode()} sentence")
        return _Verdict(False, "not an NMEA sentence (malformed sentence id)")
    if isinstance(tag, str):
        return _Verdict(False, tag)
    star = sentence.find(b"*")
    if star < 0:
        return _Verdict(False, "no checksum: sentence truncated?")
    given, suffix = sentence[star + 1 : star + 3], sentence[star + 3 :].strip()
    fields = sentence[1:star].split(b",")
    vendor = vendor_time(suffix) if suffix else -1
    problem = sentence_field_problem(fields, given, tag)
    if problem is None and suffix and vendor < 0 and any(c in suffix for c in b"!$\\"):
        # Other stray text (a quote in GFW's sample.nmea) does not spoil a sentence whose
        # checksum verifies, but a second sentence glued on must not vanish.
        problem = f"unexpected text after the checksum: '{suffix.decode()}'"
    if problem is not None:
        return _Verdict(False, problem)
    return Sentence(
        talker=head[:2].decode(),
        total=int(fields[1]),
        number=int(fields[2]),
        seq=fields[3].decode(),
        channel=fields[4].decode(),
        payload=fields[5],
        star=star,
        vendor_time=vendor,
        checksum=given,
    )
