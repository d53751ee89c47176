"""Pass 3 of the NMEA reader: turn a chunk's complete messages into positions and statics.

:class:`MessageBatch` takes the good single-sentence messages and the assembled ones
together, so that every check and decode runs once per chunk on arrays (``sixbit.py``)
rather than once per message. Each message ends up as a position, a static report, a
``skipped`` count by message type, or a rejection: characters outside the six-bit
alphabet, an undefined type, a payload too short for its type, or no time. Times come
from the message's own source (tag block, vendor time, ``$PGHP``) or else from the
receiver clock (``nmea_receiver_clock.py``).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from sanctionwatch.ais.model import Columns, Rejected, StaticReport
from sanctionwatch.ais.nmea_assembly import Fragment
from sanctionwatch.ais.nmea_receiver_clock import receiver_clock, refine_with_second
from sanctionwatch.ais.nmea_records import SOURCE_CLOCK, TIME_SOURCES, Records
from sanctionwatch.ais.sixbit import (
    POSITION_BITS,
    POSITION_TYPES,
    Payloads,
    decode_base_station_times,
    decode_positions,
    decode_statics,
)

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
# part B is 168 bits, checked after decoding the part number.
#
# Payloads a few bits short that gpsd and libais decode (a 163-bit type 1, a 160-bit type
# 24 part B, in their regression data) are decoded too, with a warning, as long as every
# field stored is whole (class A: through the UTC second, bit 143; class B: bit 139; type
# 19: its dimensions, bit 301; type 27: its course, bit 94) or, for part B, all but the last
# two bits of the width (read as zero, as those decoders do). What only the lost bits
# held (radio status, RAIM) is not stored.
_EXPECTED_BITS: Final = {**POSITION_BITS, 4: 168, 5: 424, 24: 160}
_USABLE_BITS: Final = {1: 143, 2: 143, 3: 143, 18: 139, 19: 301, 27: 94, 4: 168, 5: 420, 24: 160}
_MIN_BITS = np.zeros(64, dtype=np.int64)
_FULL_BITS = np.zeros(64, dtype=np.int64)
for _type, _bits in _USABLE_BITS.items():
    _MIN_BITS[_type] = _bits
    _FULL_BITS[_type] = 420 if _type == 5 else _EXPECTED_BITS[_type]
_TYPE24_PART_B_BITS: Final = 168
_TYPE24_PART_B_USABLE: Final = 160


class MessageBatch:
    """The complete messages of a chunk, good single sentences first, then the assembled
    ones, checked and decoded together; ``decode`` fills the chunk."""

    def __init__(
        self,
        rec: Records,
        good: npt.NDArray[np.bool_],
        assembled: list[tuple[int, list[Fragment]]],
    ) -> None:
        """``good`` is the checksum verdict per record of ``rec``, ``assembled`` the
        completed multi-sentence messages (record of the last fragment, fragments)."""
        multi = np.zeros(len(rec.line), dtype=bool)
        multi[list(rec.multi)] = True
        self.rec = rec
        self.chunk = rec.chunk
        self.single: npt.NDArray[np.int64] = np.flatnonzero(good & ~multi).astype(np.int64)
        self.assembled = assembled

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
        source = _sparse(rec.time_source, len(rec.line), SOURCE_CLOCK)[single]
        self.time_source = _join(source, [p.time_source if p else SOURCE_CLOCK for p in firsts])
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
        clock_at, clock = receiver_clock(self.order, station_time, clock)
        self._skip(alive & ~np.isin(types, list(_STORED_TYPES)), types)
        stored = alive & np.isin(types, list(_STORED_TYPES))
        for message in np.flatnonzero(stored & (self.time < 0) & (clock_at < 0)).tolist():
            self.reject(message, _NO_TIME)
        stored &= (self.time >= 0) | (clock_at >= 0)
        positions = np.flatnonzero(stored & np.isin(types, list(POSITION_TYPES)))
        columns = decode_positions(payloads, positions)
        second = np.full(len(types), 60, dtype=np.int8)
        second[positions] = columns["second"]
        times = np.where(self.time >= 0, self.time, refine_with_second(clock_at, second))
        stored[self._statics(payloads, types, bits, times, stored)] = False
        keep = stored[positions]
        self._positions({k: v[keep] for k, v in columns.items()}, positions[keep], times)
        # One outcome per line: a message's last line holds its outcome, its other lines are
        # fragments; a type 19 is a position line (its static report rides along).
        outcomes = self.chunk.outcomes
        statics = int((stored & np.isin(types, (5, 24))).sum())
        fragments = int((self.fragments[stored] - 1).sum())
        if statics:
            outcomes["static"] += statics
        if fragments:
            outcomes["fragment"] += fragments
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
        clipped = np.clip(types, 0, 63)
        short = bits < _MIN_BITS[clipped]
        usable_short = (bits < _FULL_BITS[clipped]) & ~short & (first_bad < 0) & ~undefined
        for kind in np.unique(types[usable_short]).tolist():
            reason = f"type {kind} payload short of {_EXPECTED_BITS[kind]} bits, decoded"
            self.chunk.warnings[reason] += int((types[usable_short] == kind).sum())
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
        """Count the messages that decoded fine but are not stored, by type (on their last
        line; their other lines are fragments)."""
        counts = np.bincount(types[skipped], minlength=64)
        for kind in np.flatnonzero(counts).tolist():
            label = "message type 4 (base station)" if kind == 4 else f"message type {kind}"
            self.chunk.skipped[label] += int(counts[kind])
        fragments = int((self.fragments[skipped] - 1).sum())
        if fragments:
            self.chunk.outcomes["fragment"] += fragments

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
            elif part == 1 and bit_count < _TYPE24_PART_B_USABLE:
                reason = f"type 24 part B payload is {bit_count} bits, expected 168"
            else:
                if part == 1 and bit_count < _TYPE24_PART_B_BITS:
                    self.chunk.warnings["type 24 part B payload short of 168 bits, decoded"] += 1
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
