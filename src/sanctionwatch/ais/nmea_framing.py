"""What the parts of an NMEA line say: tag blocks, AIS sentence fields, ``$`` lines, times.

Pure parsing of one piece of text at a time, with no state and no decisions about where a
record goes (that is ``nmea_lines.py``): each function returns the parsed value, or a
string giving the reason the text is rejected, worded for the analyst reading the
rejections. Also the syntax constants that the line splitter's fast paths share with the
full checks here, so both read the same sentence the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final, NamedTuple

from sanctionwatch.ais.nmea_checksums import HEX_DIGITS, checksum_problem

AIS_FORMATTERS: Final = frozenset({b"VDM", b"VDO"})
FILL: Final = {str(n).encode(): n for n in range(6)}  # fill bits: one digit, 0-5
_FRAGMENT_COUNT: Final = {str(n).encode(): n for n in range(1, 10)}
VENDOR_TIME: Final = re.compile(rb"[,\s]?(\d{10}|\d{13})(\.\d+)?")
_EPOCH: Final = re.compile(rb"(\d{10}|\d{13})(\.\d+)?")
SENTENCE_ID: Final = re.compile(rb"[A-Z0-9=]{3,10}")
_GROUP: Final = re.compile(rb"([1-9])-([1-9])-([0-9A-Za-z]+)")
_MILLISECONDS_ABOVE: Final = 100_000_000_000  # c: values above this are ms (1e11 s: year 5138)
# A time of more digits is no clock's (13 digits of ms reach the year 2286); longer values
# would overflow the int64 time columns, so they reject their line.
MAX_TIME_DIGITS: Final = 13


def vendor_time(suffix: bytes) -> int:
    """The receiver time (ms) in the text after a sentence's checksum, -1 if none.

    Two layouts: the time alone (``*hh,1327664821``, AMSA and pyais's samples) and the
    USCG's comma fields ending with it (``*hh,s28089,d-103,T39.44,x147521,r08TPHI1,
    1242958962``: signal strength, receiver name and so on, the Unix time last).
    """
    if VENDOR_TIME.fullmatch(suffix):
        return epoch_ms(suffix.lstrip(b", \t"))
    if suffix[:1] == b"," and _EPOCH.fullmatch(last := suffix.rsplit(b",", 1)[1]):
        return epoch_ms(last)
    return -1


def epoch_ms(value: bytes) -> int:
    """Epoch seconds or milliseconds (told apart by magnitude) as milliseconds."""
    number = float(value)
    return round(number if number > _MILLISECONDS_ABOVE else number * 1000)


class Sentence(NamedTuple):
    """The fields of a checked AIS sentence that the reader keeps."""

    talker: str
    total: int  # fragment count
    number: int  # fragment number
    seq: str  # sequential message id, "" if none
    channel: str
    payload: bytes
    star: int  # position of '*' in the sentence
    vendor_time: int  # ms, -1 if none
    checksum: bytes  # the two characters after '*'


@dataclass(slots=True)
class Tag:
    """The fields of an NMEA 4.10 tag block that the reader uses."""

    time: int = -1
    station: str | None = None
    group: tuple[int, int, str] | None = None  # (sentence number, total, group id)


def parse_tag_block(tag: bytes) -> Tag | str:
    """Parse an NMEA 4.10 tag block (between the backslashes); a string is a rejection reason.

    A checksum of ``00`` is accepted unverified: AMSA's timestamped log and Spire's sample
    write ``*00`` on every tag block, a placeholder for "not computed". The sentence's own
    checksum still protects the AIS payload.
    """
    star = tag.rfind(b"*")
    if star < 0:
        return "tag block without checksum"
    body, given = tag[:star], tag[star + 1 :]
    if given != b"00" and (problem := checksum_problem(body, given)):
        return "tag block " + problem
    parsed = Tag()
    for item in body.split(b","):
        key, colon, value = item.partition(b":")
        if not colon or not key:
            return f"malformed tag block field '{item.decode()}'"
        if key == b"c":
            if not value.isdigit() or len(value) > MAX_TIME_DIGITS:
                return f"malformed tag block time 'c:{value.decode()}'"
            parsed.time = epoch_ms(value)
        elif key == b"s":
            parsed.station = value.decode()
        elif key == b"g":
            match = _GROUP.fullmatch(value)
            if not match or int(match[1]) > int(match[2]):
                return f"malformed tag block group 'g:{value.decode()}'"
            parsed.group = (int(match[1]), int(match[2]), match[3].decode())
    return parsed


def sentence_field_problem(fields: list[bytes], given: bytes, tag: Tag) -> str | None:
    """What is wrong with the fields of an AIS sentence, if anything.

    ``fields`` are the comma-separated fields between ``!`` and ``*``, ``given`` the two
    characters after ``*``, ``tag`` the sentence's parsed tag block (an empty one if none).
    """
    if len(given) != 2 or any(c not in HEX_DIGITS for c in given):
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
    if fields[6] not in FILL:
        return f"fill bits '{fields[6].decode()}' is not a number 0-5"
    if tag.group is not None and tag.group[1] > 1 and tag.group[:2] != (num, total):
        return (
            f"tag block group says sentence {tag.group[0]} of {tag.group[1]}, "
            f"the sentence says fragment {num} of {total}"
        )
    return None


def dollar_id(line: bytes) -> bytes:
    """The sentence id of a ``$`` line: up to the first comma, or to the ``*`` without one."""
    comma = line.find(b",")
    return line[1:comma] if comma > 0 else line[1:].split(b"*", 1)[0].strip()


def dollar_reason(sentence_id: bytes) -> str:
    """How a skipped ``$`` sentence is counted: by its id, if it looks like one."""
    if SENTENCE_ID.fullmatch(sentence_id):
        return f"${sentence_id.decode()} sentence"
    return "$ sentence with a malformed id"


def pghp_time(body: bytes) -> tuple[int, bytes] | str:
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
