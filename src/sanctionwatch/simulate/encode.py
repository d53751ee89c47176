"""AIS payloads and NMEA 0183 sentences, built with numpy for many messages at once.

Fields are packed into 64-bit words (one column per message, most significant bit first,
as ITU-R M.1371 lays them out), read back six bits at a time and armoured into the AIVDM
character set. Checksums are XORs over byte matrices. Layouts: types 1 and 18 (position reports),
5 (static and voyage data, 424 bits, sent as two sentences) and 24 parts A and B (class B
static data). Tests decode every sentence with pyais.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

UInt8Matrix = npt.NDArray[np.uint8]
IntArray = npt.NDArray[np.int64]

HEX = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)
_WEIGHTS = np.array([32, 16, 8, 4, 2, 1], dtype=np.uint8)


Fields = list[tuple[npt.ArrayLike, int]]


def pack(fields: Fields, n: int) -> tuple[UInt8Matrix, int]:
    """Armoured payload characters of ``n`` messages made of ``(values, width)`` fields.

    The fields are laid end to end, most significant bit first, in rows of 64-bit words
    (negative values in two's complement), then read back six bits at a time: a few
    vector operations per field and per character, whatever the number of messages.
    Returns the characters and the number of fill bits.
    """
    total = sum(width for _, width in fields)
    words = np.zeros(((total + 63) // 64, n), dtype=np.uint64)
    offset = 0
    for values, width in fields:
        v = np.broadcast_to(np.asarray(values, dtype=np.int64) & ((1 << width) - 1), (n,))
        v = v.astype(np.uint64)
        word, bit = divmod(offset, 64)
        end = bit + width
        if end <= 64:
            words[word] |= v << np.uint64(64 - end)
        else:
            over = end - 64
            words[word] |= v >> np.uint64(over)
            words[word + 1] |= v << np.uint64(64 - over)
        offset += width
    count = (total + 5) // 6
    chars = np.empty((n, count), dtype=np.uint8)
    six = np.uint64(63)
    for index in range(count):
        word, bit = divmod(6 * index, 64)
        end = bit + 6
        if end <= 64:
            group = (words[word] >> np.uint64(64 - end)) & six
        else:
            over = end - 64
            group = (words[word] << np.uint64(over)) | (words[word + 1] >> np.uint64(64 - over))
            group &= six
        chars[:, index] = group.astype(np.uint8)
    chars += 48
    chars[chars > 87] += 8
    return chars, (-total) % 6


def sixbit_codes(texts: Sequence[str], length: int) -> npt.NDArray[np.int64]:
    """Six-bit ASCII codes of each text, upper-cased, cut or padded with '@' to ``length``."""
    codes = np.zeros((len(texts), length), dtype=np.int64)
    for row, text in enumerate(texts):
        raw = text.upper().encode("ascii", "replace")[:length]
        values = np.frombuffer(raw, dtype=np.uint8).astype(np.int64)
        values = np.where((values >= 32) & (values < 96), values, 32)  # outside the set: space
        codes[row, : values.size] = np.where(values >= 64, values - 64, values)
    return codes


def text_fields(texts: Sequence[str], length: int) -> Fields:
    """A text field of ``length`` characters, as one six-bit field per character."""
    codes = sixbit_codes(texts, length)
    return [(codes[:, i], 6) for i in range(length)]


def xor_rows(matrix: UInt8Matrix) -> npt.NDArray[np.uint8]:
    """XOR of the bytes of each row."""
    if matrix.shape[1] == 0:
        return np.zeros(matrix.shape[0], dtype=np.uint8)
    return np.asarray(np.bitwise_xor.reduce(matrix, axis=1), dtype=np.uint8)


def hex2(values: npt.NDArray[np.uint8]) -> UInt8Matrix:
    """Two upper-case hex digits per value."""
    return np.stack([HEX[values >> 4], HEX[values & 15]], axis=1)


def digits(values: IntArray, width: int) -> UInt8Matrix:
    """Decimal digits of non-negative integers, zero-padded to ``width`` characters."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((np.asarray(values)[:, None] // powers) % 10 + 48).astype(np.uint8)


def constant(text: bytes, n: int) -> UInt8Matrix:
    return np.broadcast_to(np.frombuffer(text, dtype=np.uint8), (n, len(text)))


def position_payloads(
    msg_type: IntArray,
    mmsi: IntArray,
    nav_status: IntArray,
    sog: npt.NDArray[np.floating],
    lon: npt.NDArray[np.floating],
    lat: npt.NDArray[np.floating],
    cog: npt.NDArray[np.floating],
    heading: IntArray,
    second: IntArray,
) -> UInt8Matrix:
    """28-character payloads of type 1 (class A) or 18 (class B) position reports.

    Units as in ``positions.parquet``: knots, degrees; heading -1 and nav_status -1 mean
    not available (511 and 15 on the air).
    """
    n = msg_type.size
    sog_field = np.where(np.isnan(sog), 1023, np.round(np.nan_to_num(sog) * 10)).astype(np.int64)
    cog_field = np.where(np.isnan(cog), 3600, np.round(np.nan_to_num(cog) * 10)).astype(np.int64)
    lon_field = np.round(lon * 600_000).astype(np.int64)
    lat_field = np.round(lat * 600_000).astype(np.int64)
    heading_field = np.where(heading < 0, 511, heading).astype(np.int64)
    status_field = np.where(nav_status < 0, 15, nav_status).astype(np.int64)
    out = np.empty((n, 28), dtype=np.uint8)
    for is_b in (False, True):
        rows = np.flatnonzero((msg_type == 18) == is_b)
        if rows.size == 0:
            continue
        common = [
            (mmsi[rows], 30),
        ]
        motion: Fields = [
            (sog_field[rows], 10),
            (0, 1),  # position accuracy: low (> 10 m)
            (lon_field[rows], 28),
            (lat_field[rows], 27),
            (cog_field[rows], 12),
            (heading_field[rows], 9),
            (second[rows], 6),
        ]
        if is_b:
            # Class B "CS" unit: reserved 8 | motion | reserved 2, cs=1, display=0, dsc=1,
            # band=1, msg22=1, assigned=0, raim=0, radio 0b11000000000000000110.
            fields: Fields = [
                (18, 6),
                (0, 2),
                *common,
                (0, 8),
                *motion,
                (0, 2),
                (1, 1),
                (0, 1),
                (1, 1),
                (1, 1),
                (1, 1),
                (0, 1),
                (0, 1),
                (0b11000000000000000110, 20),
            ]
        else:
            # Class A: status, rate of turn 0 (not turning) | motion | maneuver 0, spare 3,
            # raim 0, SOTDMA radio state 0.
            fields = [
                (msg_type[rows], 6),
                (0, 2),
                *common,
                (status_field[rows], 4),
                (0, 8),
                *motion,
                (0, 2),
                (0, 3),
                (0, 1),
                (0, 19),
            ]
        chars, fill = pack(fields, rows.size)
        assert fill == 0 and chars.shape[1] == 28
        out[rows] = chars
    return out


def type5_payloads(
    mmsi: IntArray,
    imo: IntArray,
    callsign: Sequence[str],
    name: Sequence[str],
    ship_type: IntArray,
    to_bow: IntArray,
    to_stern: IntArray,
    to_port: IntArray,
    to_starboard: IntArray,
    eta_month: IntArray,
    eta_day: IntArray,
    eta_hour: IntArray,
    eta_minute: IntArray,
    draught_dm: IntArray,
    destination: Sequence[str],
) -> UInt8Matrix:
    """71-character payloads (2 fill bits) of type 5 static and voyage related data."""
    fields: Fields = [
        (5, 6),
        (0, 2),
        (mmsi, 30),
        (0, 2),
        (imo, 30),
        *text_fields(callsign, 7),
        *text_fields(name, 20),
        (ship_type, 8),
        (to_bow, 9),
        (to_stern, 9),
        (to_port, 6),
        (to_starboard, 6),
        (1, 4),  # position fixing device: GPS
        (eta_month, 4),
        (eta_day, 5),
        (eta_hour, 5),
        (eta_minute, 6),
        (draught_dm, 8),
        *text_fields(destination, 20),
        (0, 1),
        (0, 1),
    ]
    chars, fill = pack(fields, mmsi.size)
    assert fill == 2 and chars.shape[1] == 71
    return chars


def type24_payloads(
    mmsi: IntArray,
    name: Sequence[str],
    ship_type: IntArray,
    callsign: Sequence[str],
    to_bow: IntArray,
    to_stern: IntArray,
    to_port: IntArray,
    to_starboard: IntArray,
) -> tuple[UInt8Matrix, UInt8Matrix]:
    """28-character payloads of type 24 part A (name) and part B (type, call sign, size)."""
    n = mmsi.size
    part_a: Fields = [(24, 6), (0, 2), (mmsi, 30), (0, 2), *text_fields(name, 20), (0, 8)]
    part_b: Fields = [
        (24, 6),
        (0, 2),
        (mmsi, 30),
        (1, 2),
        (ship_type, 8),
        *text_fields(["SWS"] * n, 3),
        (1, 4),
        (np.asarray(mmsi) % 1_000_000, 20),  # vendor
        *text_fields(callsign, 7),
        (to_bow, 9),
        (to_stern, 9),
        (to_port, 6),
        (to_starboard, 6),
        (0, 6),
    ]
    chars_a, fill_a = pack(part_a, n)
    chars_b, fill_b = pack(part_b, n)
    assert fill_a == 0 and fill_b == 0
    return chars_a, chars_b


def sentences(
    payload: UInt8Matrix,
    fill: int,
    channel: npt.NDArray[np.uint8],
    fragments: int = 1,
    fragment: int = 1,
    sequence: IntArray | None = None,
) -> UInt8Matrix:
    """``!AIVDM,...*hh`` sentences (no line end), one per payload row; all rows same width.

    ``sequence``: the sequential message id (0-9) of multi-sentence messages, else empty.
    """
    n = payload.shape[0]
    head = constant(f"!AIVDM,{fragments},{fragment},".encode(), n)
    seq = (
        np.empty((n, 0), dtype=np.uint8)
        if sequence is None
        else (np.asarray(sequence) % 10 + 48).astype(np.uint8)[:, None]
    )
    body = np.concatenate(
        [
            head[:, 1:],
            seq,
            constant(b",", n),
            channel[:, None],
            constant(b",", n),
            payload,
            constant(f",{fill}".encode(), n),
        ],
        axis=1,
    )
    checksum = xor_rows(body)
    return np.concatenate(
        [constant(b"!", n), body, constant(b"*", n), hex2(checksum)], axis=1
    ).astype(np.uint8)


def tag_blocks(
    station: UInt8Matrix, epoch_s: IntArray, group: tuple[int, int, IntArray] | None = None
) -> UInt8Matrix:
    """NMEA 4.10 tag blocks ``\\[g:1-2-id,]s:<station>,c:<epoch s>*hh\\`` (same width rows).

    Group ids, when given, must all have the same number of digits.
    """
    n = station.shape[0]
    pieces: list[UInt8Matrix] = []
    if group is not None:
        number, total, ids = group
        width = len(str(int(ids[0]))) if ids.size else 1
        pieces += [
            constant(f"g:{number}-{total}-".encode(), n),
            digits(ids, width),
            constant(b",", n),
        ]
    pieces += [constant(b"s:", n), station, constant(b",c:", n), digits(epoch_s, 10)]
    content = np.concatenate(pieces, axis=1).astype(np.uint8)
    checksum = xor_rows(content)
    return np.concatenate(
        [constant(b"\\", n), content, constant(b"*", n), hex2(checksum), constant(b"\\", n)],
        axis=1,
    ).astype(np.uint8)


def group_tag_blocks(number: int, total: int, ids: IntArray) -> UInt8Matrix:
    """Tag blocks carrying only the group, ``\\g:2-2-id*hh\\`` (later sentences of a group)."""
    n = ids.size
    width = len(str(int(ids[0]))) if n else 1
    content = np.concatenate(
        [constant(f"g:{number}-{total}-".encode(), n), digits(ids, width)], axis=1
    ).astype(np.uint8)
    return np.concatenate(
        [
            constant(b"\\", n),
            content,
            constant(b"*", n),
            hex2(xor_rows(content)),
            constant(b"\\", n),
        ],
        axis=1,
    ).astype(np.uint8)
