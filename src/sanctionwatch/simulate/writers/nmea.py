"""NMEA 0183 with NMEA 4.10 tag blocks, duplicates and corrupt lines (see the package doc)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from sanctionwatch.simulate import encode, hashing
from sanctionwatch.simulate.reception import Reception
from sanctionwatch.simulate.window import Window
from sanctionwatch.simulate.writers.common import DailyFiles, StaticLookup, StaticValues

CHANNEL, DUPLICATE, CORRUPT, CORRUPT_KIND, CORRUPT_CUT = 31, 32, 33, 34, 35


def _binary_rows(matrix: npt.NDArray[np.uint8]) -> pa.Array:
    """A fixed-width byte matrix as an Arrow binary array (one value per row, with newline)."""
    n, width = matrix.shape
    with_newline = np.concatenate([matrix, np.full((n, 1), 10, dtype=np.uint8)], axis=1)
    offsets = np.arange(0, n * (width + 1) + 1, width + 1, dtype=np.int32)
    return pa.Array.from_buffers(
        pa.binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(with_newline.tobytes())]
    )


def _array_bytes(array: pa.Array) -> memoryview:
    """The concatenated values of a binary/string array (no copy)."""
    if len(array) == 0:
        return memoryview(b"")
    _, offsets_buffer, data = array.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[
        array.offset : array.offset + len(array) + 1
    ]
    return memoryview(data)[int(offsets[0]) : int(offsets[-1])]


class NmeaWriter:
    """Tag-blocked AIVDM sentences, one file per day, with duplicates and corruption."""

    def __init__(
        self,
        out_dir: Path,
        scenario: str,
        lookup: StaticLookup,
        reception: Reception,
        seed: int,
        duplicate_share: float,
        corrupt_share: float,
    ) -> None:
        self.files = DailyFiles(out_dir, f"synthetic-{scenario}-nmea-%Y-%m-%d.nmea", "nmea", None)
        self.lookup = lookup
        self.station_bytes = np.frombuffer(
            "".join(reception.names).encode("ascii"), dtype=np.uint8
        ).reshape(len(reception.names), -1)
        self.seed = seed
        self.duplicate_share = duplicate_share
        self.corrupt_share = corrupt_share
        self.group = 0
        self._payload_rows: dict[StaticValues, dict[str, npt.NDArray[np.uint8]]] = {}
        self.counts: dict[str, int] = {
            "sentences": 0,
            "position_sentences": 0,
            "static_sentences": 0,
            "duplicate_sentences": 0,
            "corrupt_bad_checksum": 0,
            "corrupt_truncated": 0,
        }

    def _channel(
        self, vessel: npt.NDArray[np.int32], ts: npt.NDArray[np.int64], salt: int
    ) -> npt.NDArray[np.uint8]:
        pick = hashing.hash_keys(self.seed, CHANNEL, vessel, ts, salt) & np.uint64(1)
        return (65 + pick.astype(np.uint8)).astype(np.uint8)

    def _positions(
        self, cols: dict[str, Any], rows: npt.NDArray[np.intp], station_column: str
    ) -> pa.Array:
        ts = cols["ts"][rows]
        vessel = cols["vessel"][rows]
        payload = encode.position_payloads(
            cols["msg_type"][rows].astype(np.int64),
            cols["mmsi"][rows],
            cols["nav_status"][rows].astype(np.int64),
            cols["sog"][rows].astype(np.float64),
            cols["lon"][rows],
            cols["lat"][rows],
            cols["cog"][rows].astype(np.float64),
            cols["heading"][rows].astype(np.int64),
            ts % 60,
        )
        sentence = encode.sentences(payload, 0, self._channel(vessel, ts, 0))
        tag = encode.tag_blocks(self.station_bytes[cols[station_column][rows]], ts)
        return _binary_rows(np.concatenate([tag, sentence], axis=1))

    @staticmethod
    def _payloads(values: list[StaticValues]) -> dict[str, npt.NDArray[np.uint8]]:
        """Static payloads for each distinct value set: type 5, type 24 parts A and B."""
        mmsi = np.array([v.mmsi for v in values], dtype=np.int64)
        dims = [
            np.array([getattr(v, name) for v in values], dtype=np.int64)
            for name in ("to_bow", "to_stern", "to_port", "to_starboard")
        ]
        names = [v.name for v in values]
        callsigns = [v.callsign for v in values]
        ship_type = np.array([v.ship_type for v in values], dtype=np.int64)
        eta = [datetime.fromtimestamp(v.eta, UTC) if v.eta is not None else None for v in values]
        type5 = encode.type5_payloads(
            mmsi,
            np.array([v.imo for v in values], dtype=np.int64),
            callsigns,
            names,
            ship_type,
            dims[0],
            dims[1],
            dims[2],
            dims[3],
            np.array([e.month if e else 0 for e in eta], dtype=np.int64),
            np.array([e.day if e else 0 for e in eta], dtype=np.int64),
            np.array([e.hour if e else 24 for e in eta], dtype=np.int64),
            np.array([e.minute if e else 60 for e in eta], dtype=np.int64),
            np.array([round(v.draught * 10) for v in values], dtype=np.int64),
            [v.destination for v in values],
        )
        part_a, part_b = encode.type24_payloads(
            mmsi, names, ship_type, callsigns, dims[0], dims[1], dims[2], dims[3]
        )
        return {"type5": type5, "part_a": part_a, "part_b": part_b}

    def _statics(
        self, cols: dict[str, Any], rows: npt.NDArray[np.intp], station_column: str
    ) -> tuple[list[pa.Array], list[npt.NDArray[Any]]]:
        """Lines for the static messages of ``rows``, and their sort keys (ts, vessel, kind)."""
        arrays: list[pa.Array] = []
        keys: list[npt.NDArray[Any]] = []
        if rows.size == 0:
            return arrays, keys
        values, inverse = self.lookup.unique(
            cols["vessel"][rows], cols["identity"][rows], cols["voyage"][rows]
        )
        missing = [v for v in values if v not in self._payload_rows]
        if missing:
            fresh = self._payloads(missing)
            for index, value in enumerate(missing):
                self._payload_rows[value] = {kind: fresh[kind][index] for kind in fresh}
        payloads = {
            kind: np.stack([self._payload_rows[v][kind] for v in values])
            for kind in ("type5", "part_a", "part_b")
        }
        ts = cols["ts"][rows]
        vessel = cols["vessel"][rows]
        stations = self.station_bytes[cols[station_column][rows]]
        channel = self._channel(vessel, ts, 1)
        class_b = cols["class_b"][rows]

        def add(pick: npt.NDArray[np.intp], tag: Any, sentence: Any, kind: int) -> None:
            arrays.append(_binary_rows(np.concatenate([tag, sentence], axis=1)))
            keys.append(np.stack([ts[pick], vessel[pick], np.full(pick.size, kind)], axis=1))

        pick = np.flatnonzero(class_b)
        if pick.size:
            tag = encode.tag_blocks(stations[pick], ts[pick])
            for kind, part in ((1, "part_a"), (2, "part_b")):
                payload = payloads[part][inverse[pick]]
                add(pick, tag, encode.sentences(payload, 0, channel[pick]), kind)
        pick = np.flatnonzero(~class_b)
        if pick.size:
            payload = payloads["type5"][inverse[pick]]
            ids = self.group + np.arange(pick.size, dtype=np.int64)
            self.group += pick.size
            group_id = 10_000 + ids % 90_000
            first_tag = encode.tag_blocks(stations[pick], ts[pick], (1, 2, group_id))
            second_tag = encode.group_tag_blocks(2, 2, group_id)
            first = encode.sentences(payload[:, :60], 0, channel[pick], 2, 1, ids % 10)
            second = encode.sentences(payload[:, 60:], 2, channel[pick], 2, 2, ids % 10)
            add(pick, first_tag, first, 1)
            add(pick, second_tag, second, 2)
        return arrays, keys

    def write(self, window: Window) -> None:
        pos, sta = window.positions, window.statics
        arrays: list[pa.Array] = []
        keys: list[npt.NDArray[Any]] = []  # columns: ts, vessel, kind, duplicate
        for duplicate in (0, 1):
            p_rows = np.flatnonzero(pos["received"])
            s_rows = np.flatnonzero(sta["received"])
            column = "station"
            if duplicate:
                column = "second_station"
                chance = hashing.uniform(
                    self.seed, DUPLICATE, pos["vessel"][p_rows], pos["ts"][p_rows]
                )
                p_rows = p_rows[chance < self.duplicate_share]
                chance = hashing.uniform(
                    self.seed, DUPLICATE + 100, sta["vessel"][s_rows], sta["ts"][s_rows]
                )
                s_rows = s_rows[chance < self.duplicate_share]
            if p_rows.size:
                arrays.append(self._positions(pos, p_rows, column))
                keys.append(
                    np.stack(
                        [
                            pos["ts"][p_rows],
                            pos["vessel"][p_rows],
                            np.zeros(p_rows.size, dtype=np.int64),
                            np.full(p_rows.size, duplicate, dtype=np.int64),
                        ],
                        axis=1,
                    )
                )
            static_arrays, static_keys = self._statics(sta, s_rows, column)
            arrays += static_arrays
            keys += [
                np.concatenate([k, np.full((k.shape[0], 1), duplicate)], axis=1)
                for k in static_keys
            ]
        if not arrays:
            return
        table = pa.concat_arrays(arrays)
        key = np.concatenate(keys)
        order = np.lexsort((key[:, 2], key[:, 3], key[:, 1], key[:, 0]))
        ordered = table.take(pa.array(order))
        n = len(ordered)
        self.counts["sentences"] += n
        self.counts["duplicate_sentences"] += int((key[:, 3] == 1).sum())
        self.counts["position_sentences"] += int((key[:, 2] == 0).sum())
        self.counts["static_sentences"] += int((key[:, 2] != 0).sum())
        rank = np.arange(n, dtype=np.int64)
        corrupt = np.flatnonzero(
            hashing.uniform(self.seed, CORRUPT, window.start, rank) < self.corrupt_share
        )
        ts_sorted = key[order, 0]
        self._write_lines(ordered, corrupt, ts_sorted, window.start)

    def _write_lines(
        self, ordered: pa.Array, corrupt: npt.NDArray[np.intp], ts: npt.NDArray[np.int64], salt: int
    ) -> None:
        # A window lies inside one UTC day (windows are cut at hours), so one file takes it.
        self.files.for_time(int(ts[0]))
        previous = 0
        for index in corrupt.tolist():
            if index > previous:
                chunk = ordered.slice(previous, index - previous)
                self.files.write(_array_bytes(chunk), len(chunk))
            self.files.write(self._corrupt(ordered[index].as_py(), salt, index), 1)
            previous = index + 1
        if previous < len(ordered):
            chunk = ordered.slice(previous)
            self.files.write(_array_bytes(chunk), len(chunk))

    def _corrupt(self, line: bytes, salt: int, index: int) -> bytes:
        kind = float(hashing.uniform(self.seed, CORRUPT_KIND, salt, index)[0])
        if kind < 0.5:
            star = line.rindex(b"*")
            good = int(line[star + 1 : star + 3], 16)
            bad = good ^ (
                1 + int(hashing.hash_keys(self.seed, CORRUPT_CUT, salt, index)[0] % np.uint64(255))
            )
            self.counts["corrupt_bad_checksum"] += 1
            return line[: star + 1] + f"{bad:02X}".encode() + line[star + 3 :]
        # Cut the line inside its payload (the sixth field of the sentence).
        fields = line[line.index(b"!") :].split(b",")
        payload_start = (
            len(line) - len(line[line.index(b"!") :]) + sum(len(f) + 1 for f in fields[:5])
        )
        room = max(1, len(fields[5]) - 1)
        offset = int(hashing.hash_keys(self.seed, CORRUPT_CUT, salt, index)[0] % np.uint64(room))
        cut = payload_start + 1 + offset
        self.counts["corrupt_truncated"] += 1
        return line[:cut] + b"\n"

    def close(self) -> None:
        self.files.close()
