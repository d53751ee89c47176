"""DMA and MarineCadastre CSV, built with :mod:`sanctionwatch.simulate.textrows`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from sanctionwatch.simulate import textrows
from sanctionwatch.simulate.window import Window
from sanctionwatch.simulate.writers.common import DailyFiles, StaticLookup, StaticValues

CSV_CHUNK_ROWS = 100_000  # CSV text is built this many rows at a time

DMA_HEADER = (
    "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,"
    "Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,"
    "Type of position fixing device,Draught,Destination,ETA,Data source type,A,B,C,D"
)
MARINECADASTRE_HEADER = (
    "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,"
    "Length,Width,Draft,Cargo,TransceiverClass"
)
DMA_NAV_STATUS = [
    "Under way using engine",
    "At anchor",
    "Not under command",
    "Restricted maneuverability",
    "Constrained by her draught",
    "Moored",
    "Aground",
    "Engaged in fishing",
    "Under way sailing",
    "Reserved for future amendment [HSC]",
    "Reserved for future amendment [WIG]",
    "Power-driven vessel towing astern",
    "Power-driven vessel pushing ahead or towing alongside",
    "Reserved for future use",
    "AIS-SART is active",
    "Unknown value",
]


def dma_ship_type(code: int) -> str:
    """The words DMA writes for an ITU ship type code."""
    first = code // 10
    named = {
        30: "Fishing",
        31: "Towing",
        32: "Towing long/wide",
        33: "Dredging",
        34: "Diving",
        35: "Military",
        36: "Sailing",
        37: "Pleasure",
        50: "Pilot",
        51: "SAR",
        52: "Tug",
        53: "Port tender",
        54: "Anti-pollution",
        55: "Law enforcement",
        58: "Medical",
    }
    if code in named:
        return named[code]
    return {2: "WIG", 4: "HSC", 6: "Passenger", 7: "Cargo", 8: "Tanker", 9: "Other"}.get(
        first, "Undefined"
    )


class DmaWriter:
    """Danish Maritime Authority CSV, one file per day, received positions only."""

    def __init__(self, out_dir: Path, scenario: str, lookup: StaticLookup) -> None:
        self.files = DailyFiles(
            out_dir, f"synthetic-{scenario}-aisdk-%Y-%m-%d.csv", "dma", DMA_HEADER
        )
        self.lookup = lookup

    @staticmethod
    def static_text(v: StaticValues) -> str:
        eta = datetime.fromtimestamp(v.eta, UTC).strftime("%d/%m/%Y %H:%M:%S") if v.eta else ""
        return ",".join(
            [
                str(v.imo) if v.imo else "Unknown",
                v.callsign,
                v.name,
                dma_ship_type(v.ship_type),
                "",
                str(v.width),
                str(v.length),
                "GPS",
                f"{v.draught:.1f}",
                v.destination,
                eta,
                "SYNTHETIC",
                str(v.to_bow),
                str(v.to_stern),
                str(v.to_port),
                str(v.to_starboard),
            ]
        )

    def write(self, window: Window) -> None:
        received = np.flatnonzero(window.positions["received"])
        for start in range(0, received.size, CSV_CHUNK_ROWS):
            self._write_rows(window.positions, received[start : start + CSV_CHUNK_ROWS])

    def _write_rows(self, cols: dict[str, Any], rows: npt.NDArray[np.intp]) -> None:
        values, inverse = self.lookup.unique(
            cols["vessel"][rows], cols["identity"][rows], cols["voyage"][rows]
        )
        class_b = cols["msg_type"][rows] == 18
        nav = cols["nav_status"][rows].astype(np.int64)
        heading = cols["heading"][rows].astype(np.float64)
        data = textrows.join(
            [
                textrows.timestamps(cols["ts"][rows], "dma"),
                textrows.texts(["Class A", "Class B"], class_b.astype(np.intp)),
                textrows.integer(cols["mmsi"][rows], 9),
                textrows.number(cols["lat"][rows], 6, 2),
                textrows.number(cols["lon"][rows], 6, 3),
                textrows.texts(DMA_NAV_STATUS, np.where(nav < 0, 15, nav)),
                textrows.number(np.zeros(rows.size), 1, 1, blank=class_b),
                textrows.number(cols["sog"][rows], 1, 3),
                textrows.number(cols["cog"][rows], 1, 3),
                textrows.number(heading, 1, 3, blank=heading < 0),
                textrows.texts([self.static_text(v) for v in values], inverse),
            ]
        )
        self.files.for_time(int(cols["ts"][rows[0]]))
        self.files.write(data, rows.size)

    def close(self) -> None:
        self.files.close()


class MarineCadastreWriter:
    """NOAA MarineCadastre CSV, one file per day, received positions only."""

    def __init__(self, out_dir: Path, scenario: str, lookup: StaticLookup) -> None:
        self.files = DailyFiles(
            out_dir,
            f"synthetic-{scenario}-AIS_%Y_%m_%d.csv",
            "marinecadastre",
            MARINECADASTRE_HEADER,
        )
        self.lookup = lookup

    @staticmethod
    def identity_text(v: StaticValues) -> str:
        return ",".join([v.name, f"IMO{v.imo}" if v.imo else "", v.callsign, str(v.ship_type)])

    @staticmethod
    def size_text(v: StaticValues) -> str:
        return ",".join([f"{v.length}.0", f"{v.width}.0", f"{v.draught:.1f}", "", v.ais_class])

    def write(self, window: Window) -> None:
        received = np.flatnonzero(window.positions["received"])
        for start in range(0, received.size, CSV_CHUNK_ROWS):
            self._write_rows(window.positions, received[start : start + CSV_CHUNK_ROWS])

    def _write_rows(self, cols: dict[str, Any], rows: npt.NDArray[np.intp]) -> None:
        values, inverse = self.lookup.unique(
            cols["vessel"][rows], cols["identity"][rows], cols["voyage"][rows]
        )
        nav = cols["nav_status"][rows].astype(np.float64)
        heading = cols["heading"][rows].astype(np.float64)
        data = textrows.join(
            [
                textrows.integer(cols["mmsi"][rows], 9),
                textrows.timestamps(cols["ts"][rows], "iso"),
                textrows.number(cols["lat"][rows], 5, 2),
                textrows.number(cols["lon"][rows], 5, 3),
                textrows.number(cols["sog"][rows], 1, 3),
                textrows.number(cols["cog"][rows], 1, 3),
                textrows.number(np.where(heading < 0, 511.0, heading), 1, 3),
                textrows.texts([self.identity_text(v) for v in values], inverse),
                textrows.number(nav, 1, 2, blank=nav < 0),
                textrows.texts([self.size_text(v) for v in values], inverse),
            ]
        )
        self.files.for_time(int(cols["ts"][rows[0]]))
        self.files.write(data, rows.size)

    def close(self) -> None:
        self.files.close()
