"""Vectorised decoding of AIS six-bit payloads: many messages at once, with numpy.

Hand-written rather than taken from a library: pyais decodes one message at a time in
Python (80,000 to 120,000 messages a second on the development machine, see
``bench/bench_ais_decode.py``), and a national feed holds tens of millions a day. Here a
batch of payloads is packed into one buffer and every field of every message is extracted by
the same few dozen array operations, whatever the batch size. Static reports are decoded
here too: through pyais they took 40% of the reader's time though they are 8% of messages.
``tests/ais/test_sixbit.py`` compares every position, static and base station report in the
bundled NMEA excerpts, and random messages from pyais's encoder, with pyais, field by field.

Bit layouts follow ITU-R M.1371-5 as documented in gpsd's AIVDM.txt ("AIVDM/AIVDO protocol
decoding"): types 1-3 (class A), 18 and 19 (class B), 27 (long-range), the UTC fields of
type 4 (base station report), and the static fields of types 5, 19 and 24.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, TypeVar

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

IntArray = npt.NDArray[np.int64]
T = TypeVar("T")

# Six-bit value of each ASCII byte: '0'..'W' are 0..39 and '`'..'w' are 40..63. Everything
# else is outside the AIS alphabet and maps to NOT_SIXBIT.
NOT_SIXBIT: Final = 255
_SIXBIT = np.full(256, NOT_SIXBIT, dtype=np.uint8)
_SIXBIT[48:88] = np.arange(0, 40, dtype=np.uint8)
_SIXBIT[96:120] = np.arange(40, 64, dtype=np.uint8)

# Payloads are read as 48-bit words (8 characters each) held in uint64, so that every field
# is a shift and a mask. Positions and type 4 times need the first 24 characters (144 bits:
# the last field used, the class A UTC second, ends at bit 142); static reports 72 (type 5
# is 424 bits).
_WORD_BITS: Final = 48
_POSITION_CHARS: Final = 24
_STATIC_CHARS: Final = 72

POSITION_TYPES: Final = frozenset({1, 2, 3, 18, 19, 27})


@dataclass(frozen=True, slots=True)
class Payloads:
    """Many payloads in one buffer: ``values`` holds the six-bit value of every character of
    every payload (``NOT_SIXBIT`` for a character outside the alphabet), message ``i`` being
    ``values[starts[i] : starts[i] + lengths[i]]``, followed by zeros (_STATIC_CHARS of them,
    so that a fixed-width window from any start stays inside the array)."""

    values: npt.NDArray[np.uint8]
    starts: IntArray
    lengths: IntArray
    fill_bits: IntArray

    @classmethod
    def pack(cls, payloads: list[bytes], fill_bits: npt.ArrayLike) -> Payloads:
        """Pack payload strings (ASCII bytes as in the NMEA sentence) and their fill bits."""
        lengths = np.fromiter(map(len, payloads), dtype=np.int64, count=len(payloads))
        starts = np.cumsum(lengths) - lengths
        raw = np.frombuffer(b"".join(payloads), dtype=np.uint8)
        values = np.concatenate((_SIXBIT[raw], np.zeros(_STATIC_CHARS, dtype=np.uint8)))
        fill = np.asarray(fill_bits, dtype=np.int64).reshape(len(payloads))
        return cls(values, starts, lengths, fill)

    def __len__(self) -> int:
        return len(self.lengths)

    def bit_counts(self) -> IntArray:
        """Payload length in bits: six per character, less the fill bits."""
        return 6 * self.lengths - self.fill_bits

    def first_bad_character(self) -> IntArray:
        """Index (within its payload) of each payload's first character outside the six-bit
        alphabet, -1 where all characters are valid."""
        first = np.full(len(self), -1, dtype=np.int64)
        bad = np.flatnonzero(self.values == NOT_SIXBIT)
        if bad.size:
            owner = np.searchsorted(self.starts, bad, side="right") - 1
            # Payloads of length 0 share their start with the next one: searchsorted's
            # "right" side picks the last of them, the one the character belongs to.
            owners, at = np.unique(owner, return_index=True)
            first[owners] = bad[at] - self.starts[owners]
        return first

    def message_types(self) -> IntArray:
        """AIS message type (the first character's value), -1 for an empty payload."""
        types = self.values[self.starts].astype(np.int64)
        return np.where(self.lengths > 0, types, -1).astype(np.int64)

    def words(self, rows: IntArray, chars: int = _POSITION_CHARS) -> npt.NDArray[np.uint64]:
        """The first ``chars`` characters (a multiple of 8) of each selected payload as
        48-bit words, shape (len(rows), chars // 8).

        Characters beyond a payload's end read as zero bits, as do fill bits (the callers
        only read fields that a payload of the accepted length holds entirely).
        """
        read = sliding_window_view(self.values, chars)[self.starts[rows]]
        short = self.lengths[rows] < chars
        if short.any():  # zero what lies beyond the payload (the next payload's characters)
            read = np.where(np.arange(chars) < self.lengths[rows, None], read, 0)
        read = np.where(read == NOT_SIXBIT, 0, read).astype(np.uint32)
        # Four six-bit values make 24 bits, two of those a 48-bit word.
        quads = read.reshape(len(rows), chars // 4, 4)
        bits24 = (
            (quads[:, :, 0] << 18) | (quads[:, :, 1] << 12) | (quads[:, :, 2] << 6) | quads[:, :, 3]
        )
        pairs = bits24.astype(np.uint64).reshape(len(rows), chars // 8, 2)
        words: npt.NDArray[np.uint64] = (pairs[:, :, 0] << np.uint64(24)) | pairs[:, :, 1]
        return words


def _field(words: npt.NDArray[np.uint64], start: int, width: int, signed: bool = False) -> IntArray:
    """Bits ``start .. start+width-1`` (0 = the first bit of the payload) of every row."""
    word, offset = divmod(start, _WORD_BITS)
    end = offset + width
    if end <= _WORD_BITS:
        value = (words[:, word] >> np.uint64(_WORD_BITS - end)) & np.uint64((1 << width) - 1)
    else:  # the field straddles two words
        low_bits = end - _WORD_BITS
        high = words[:, word] & np.uint64((1 << (_WORD_BITS - offset)) - 1)
        value = (high << np.uint64(low_bits)) | (
            words[:, word + 1] >> np.uint64(_WORD_BITS - low_bits)
        )
    result = value.astype(np.int64)
    if signed:
        result = np.where(result >= 1 << (width - 1), result - (1 << width), result)
    return result


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where a message type keeps the position fields (start bit, width); width 0 = absent."""

    status: tuple[int, int]
    sog: tuple[int, int]
    lon: tuple[int, int]
    lat: tuple[int, int]
    cog: tuple[int, int]
    heading: tuple[int, int]
    second: tuple[int, int]
    minutes_per_unit: float  # lat/lon unit: 1/10000 minute (types 1-3, 18, 19), 1/10 (27)
    tenths: bool  # sog in 0.1 kn and cog in 0.1 degree (all but type 27: whole units)


_CLASS_A = _Layout((38, 4), (50, 10), (61, 28), (89, 27), (116, 12), (128, 9), (137, 6), 1e-4, True)
_CLASS_B = _Layout((0, 0), (46, 10), (57, 28), (85, 27), (112, 12), (124, 9), (133, 6), 1e-4, True)
_LONG_RANGE = _Layout((40, 4), (79, 6), (44, 18), (62, 17), (85, 9), (0, 0), (0, 0), 0.1, False)

# Minimum payload length in bits that the standard gives each position type (ITU-R M.1371).
POSITION_BITS: Final = {1: 168, 2: 168, 3: 168, 18: 168, 19: 312, 27: 96}


def _decode_layout(
    words: npt.NDArray[np.uint64], layout: _Layout
) -> dict[str, npt.NDArray[np.generic]]:
    """Position columns of rows that share one layout, in the units of ``model.py``."""
    rows = len(words)
    degrees = layout.minutes_per_unit / 60.0
    sog_raw = _field(words, *layout.sog)
    cog_raw = _field(words, *layout.cog)
    if layout.tenths:
        sog = np.where(sog_raw == 1023, np.nan, sog_raw / 10.0)
        cog = np.where(cog_raw >= 3600, np.nan, cog_raw / 10.0)
    else:  # type 27: whole knots (63 = not available) and whole degrees (511)
        sog = np.where(sog_raw == 63, np.nan, sog_raw.astype(np.float64))
        cog = np.where(cog_raw >= 360, np.nan, cog_raw.astype(np.float64))
    if layout.heading[1]:
        heading_raw = _field(words, *layout.heading)
        heading = np.where(heading_raw >= 360, -1, heading_raw)
    else:
        heading = np.full(rows, -1)
    status = _field(words, *layout.status) if layout.status[1] else np.full(rows, -1)
    second = _field(words, *layout.second) if layout.second[1] else np.full(rows, 60)
    return {
        "mmsi": _field(words, 8, 30),
        "lat": _field(words, *layout.lat, signed=True) * degrees,
        "lon": _field(words, *layout.lon, signed=True) * degrees,
        "sog": sog.astype(np.float32),
        "cog": cog.astype(np.float32),
        "heading": heading.astype(np.int16),
        "nav_status": status.astype(np.int8),
        "second": second.astype(np.int8),
    }


def decode_positions(payloads: Payloads, rows: IntArray) -> dict[str, npt.NDArray[np.generic]]:
    """Decode the position reports ``rows`` of ``payloads`` (all of a type in POSITION_TYPES,
    each at least POSITION_BITS long, alphabet already checked).

    Returns columns mmsi, lat, lon (degrees), sog (knots, NaN = not available), cog (degrees,
    NaN = not available or invalid, i.e. 360 and above), heading (degrees, -1 = not
    available or invalid, 360 and above), nav_status (-1 for class B, which has none),
    msg_type, and ``second``: the UTC second field (0-59; 60-63 mean not available, and 60
    is also given for type 27, which has no such field).

    Latitudes and longitudes are not rounded (pyais rounds them to 6 decimals) and keep the
    "not available" values 91 and 181 for the store to reject.
    """
    words = payloads.words(rows)
    types = payloads.message_types()[rows]
    dtypes: dict[str, type[np.generic]] = {
        "mmsi": np.int64,
        "lat": np.float64,
        "lon": np.float64,
        "sog": np.float32,
        "cog": np.float32,
        "heading": np.int16,
        "nav_status": np.int8,
        "second": np.int8,
    }
    out: dict[str, npt.NDArray[np.generic]] = {
        name: np.empty(len(rows), dtype=dtype) for name, dtype in dtypes.items()
    }
    groups = (
        (np.isin(types, (1, 2, 3)), _CLASS_A),
        (np.isin(types, (18, 19)), _CLASS_B),
        (types == 27, _LONG_RANGE),
    )
    for selected, layout in groups:
        if selected.any():
            for name, column in _decode_layout(words[selected], layout).items():
                out[name][selected] = column
    out["msg_type"] = types.astype(np.int8)
    return out


def decode_base_station_times(payloads: Payloads, rows: IntArray) -> IntArray:
    """UTC time of type 4 base station reports ``rows`` (at least 168 bits) in milliseconds
    since the Unix epoch, or -1 where the report's time is not a full plausible date: year
    before 2000 (0 = not available), month, day, hour, minute or second out of range (the
    "not available" values 0, 0, 24, 60, 60), or a day the month does not have."""
    words = payloads.words(rows)
    year = _field(words, 38, 14)
    month = _field(words, 52, 4)
    day = _field(words, 56, 5)
    hour = _field(words, 61, 5)
    minute = _field(words, 66, 6)
    second = _field(words, 72, 6)
    ok = (
        (year >= 2000)
        & (month >= 1)
        & (month <= 12)
        & (day >= 1)
        & (day <= 31)
        & (hour <= 23)
        & (minute <= 59)
        & (second <= 59)
    )
    # Compute on placeholders where the fields are invalid, so numpy never sees a bad date.
    year = np.where(ok, year, 1970)
    month = np.where(ok, month, 1)
    day = np.where(ok, day, 1)
    months = (year - 1970) * 12 + (month - 1)
    first_of_month = months.astype("datetime64[M]")
    date = first_of_month.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")
    ok &= date.astype("datetime64[M]") == first_of_month  # 31 April rolls into May
    seconds = date.astype(np.int64) * 86400 + hour * 3600 + minute * 60 + second
    return np.where(ok, seconds * 1000, -1).astype(np.int64)


# Six-bit text characters: values 0-31 are '@', 'A'..'Z', '[', '\\', ']', '^', '_' (ASCII
# 64-95), 32-63 are ASCII 32-63 (space, digits, punctuation).
_TEXT = np.array([v + 64 if v < 32 else v for v in range(64)], dtype=np.uint8)
_SPACE: Final = 32


def _text(words: npt.NDArray[np.uint64], start: int, chars: int) -> list[str | None]:
    """A six-bit text field of every row: cut at the first '@' (the AIS terminator, as gpsd
    does; pyais only strips trailing ones), spaces stripped, None when empty."""
    if not len(words):
        return []
    values = np.stack([_field(words, start + 6 * k, 6) for k in range(chars)], axis=1)
    ended = np.cumsum(values == 0, axis=1) > 0
    letters = np.where(ended, _SPACE, _TEXT[values]).astype(np.uint8)
    blob = letters.tobytes().decode("ascii")
    return [blob[i : i + chars].strip() or None for i in range(0, len(blob), chars)]


def _sum_or_none(first: IntArray, second: IntArray) -> list[float | None]:
    total = (first + second).astype(np.float64)
    return [value or None for value in total.tolist()]


def _int_or_none(values: IntArray) -> list[int | None]:
    return [value or None for value in values.tolist()]


@dataclass(frozen=True, slots=True)
class StaticFields:
    """Decoded static report fields, one list entry per message; None = not available
    (IMO 0, empty text, ship type 0, dimensions summing to 0, draught 0, incomplete ETA).
    ``part`` is the type 24 part number (0 = A, 1 = B, 2-3 undefined), -1 for types 5, 19."""

    mmsi: list[int]
    part: list[int]
    imo: list[int | None]
    name: list[str | None]
    callsign: list[str | None]
    ship_type: list[int | None]
    length: list[float | None]  # metres, to_bow + to_stern
    width: list[float | None]  # metres, to_port + to_starboard
    draught: list[float | None]  # metres
    destination: list[str | None]
    eta: list[str | None]  # "MM-DD HH:MM" (month 1-12, day 1-31, hour 0-23, minute 0-59)


def _eta(words: npt.NDArray[np.uint64]) -> list[str | None]:
    month, day = _field(words, 274, 4), _field(words, 278, 5)
    hour, minute = _field(words, 283, 5), _field(words, 288, 6)
    valid = (month >= 1) & (month <= 12) & (day >= 1) & (hour <= 23) & (minute <= 59)
    return [
        f"{m:02d}-{d:02d} {h:02d}:{n:02d}" if ok else None
        for m, d, h, n, ok in zip(
            month.tolist(),
            day.tolist(),
            hour.tolist(),
            minute.tolist(),
            valid.tolist(),
            strict=True,
        )
    ]


def _dimensions(
    words: npt.NDArray[np.uint64], start: int
) -> tuple[list[float | None], list[float | None]]:
    """Length (to bow + to stern) and width (to port + to starboard) from the usual 30-bit
    dimension block at ``start`` (9, 9, 6, 6 bits)."""
    bow, stern = _field(words, start, 9), _field(words, start + 9, 9)
    port, starboard = _field(words, start + 18, 6), _field(words, start + 24, 6)
    return _sum_or_none(bow, stern), _sum_or_none(port, starboard)


def _nones(count: int) -> list[Any]:
    return [None] * count


def _scatter(column: list[T | None], rows: IntArray, values: list[T | None]) -> None:
    for row, value in zip(rows.tolist(), values, strict=True):
        column[row] = value


def decode_statics(payloads: Payloads, rows: IntArray) -> StaticFields:
    """Decode the static reports ``rows`` of ``payloads``: types 5 (at least 420 bits), 19
    (312) and 24 (160; part B needs 168, which the caller checks with ``part``).

    Type 5 gives everything; type 19 name, ship type and dimensions; type 24 part A the name,
    part B ship type, call sign and dimensions (none for auxiliary craft, MMSI 98XXXYYYY,
    whose dimension bits hold the mother ship's MMSI).
    """
    count = len(rows)
    words = payloads.words(rows, _STATIC_CHARS)
    types = payloads.message_types()[rows]
    mmsi = _field(words, 8, 30)
    part = np.where(types == 24, _field(words, 38, 2), -1)
    out = StaticFields(mmsi.tolist(), part.tolist(), *(_nones(count) for _ in range(9)))

    five = np.flatnonzero(types == 5)
    w = words[five]
    _scatter(out.imo, five, _int_or_none(_field(w, 40, 30)))
    _scatter(out.callsign, five, _text(w, 70, 7))
    _scatter(out.name, five, _text(w, 112, 20))
    _scatter(out.ship_type, five, _int_or_none(_field(w, 232, 8)))
    length, width = _dimensions(w, 240)
    _scatter(out.length, five, length)
    _scatter(out.width, five, width)
    _scatter(out.eta, five, _eta(w))
    _scatter(out.draught, five, [d / 10 or None for d in _field(w, 294, 8).tolist()])
    _scatter(out.destination, five, _text(w, 302, 20))

    nineteen = np.flatnonzero(types == 19)
    w = words[nineteen]
    _scatter(out.name, nineteen, _text(w, 143, 20))
    _scatter(out.ship_type, nineteen, _int_or_none(_field(w, 263, 8)))
    length, width = _dimensions(w, 271)
    _scatter(out.length, nineteen, length)
    _scatter(out.width, nineteen, width)

    part_a = np.flatnonzero(part == 0)
    _scatter(out.name, part_a, _text(words[part_a], 40, 20))
    part_b = np.flatnonzero(part == 1)
    w = words[part_b]
    _scatter(out.ship_type, part_b, _int_or_none(_field(w, 40, 8)))
    _scatter(out.callsign, part_b, _text(w, 90, 7))
    auxiliary = (mmsi[part_b] >= 980_000_000) & (mmsi[part_b] <= 989_999_999)
    length, width = _dimensions(w[~auxiliary], 132)
    _scatter(out.length, part_b[~auxiliary], length)
    _scatter(out.width, part_b[~auxiliary], width)
    return out
