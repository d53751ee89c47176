"""DMA and MarineCadastre CSV: the published headers, parseable with the csv module, one row per
received position, matching the truth to the precision each format carries."""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime

import numpy as np

from sanctionwatch.simulate.writers import DMA_HEADER, MARINECADASTRE_HEADER
from tests.simulate.conftest import Run


def truth_rows(run: Run) -> dict[tuple[int, int], list[int]]:
    rows: dict[tuple[int, int], list[int]] = {}
    for row in np.flatnonzero(run.positions["received"]):
        key = (int(run.positions["mmsi"][row]), int(run.positions["ts"][row]))
        rows.setdefault(key, []).append(int(row))
    return rows


def match(
    run: Run,
    expected: dict[tuple[int, int], list[int]],
    key: tuple[int, int],
    lat: float,
    lon: float,
    tolerance: float,
) -> int:
    truth = run.positions
    found = [
        r
        for r in expected[key]
        if abs(truth["lat"][r] - lat) <= tolerance and abs(truth["lon"][r] - lon) <= tolerance
    ]
    assert len(found) == 1, key
    return found[0]


def test_dma_csv(run: Run) -> None:
    expected = truth_rows(run)
    truth = run.positions
    used: set[int] = set()
    last = None
    for path in run.result.files["dma"]:
        assert path.name.startswith("synthetic-rajin-aisdk-")
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            assert ",".join(header) == DMA_HEADER
            for record in reader:
                row = dict(zip(header, record, strict=True))
                when = datetime.strptime(row["# Timestamp"], "%d/%m/%Y %H:%M:%S").replace(
                    tzinfo=UTC
                )
                t = int(when.timestamp())
                assert last is None or t >= last
                last = t
                mmsi = int(row["MMSI"])
                r = match(
                    run, expected, (mmsi, t), float(row["Latitude"]), float(row["Longitude"]), 5e-7
                )
                used.add(r)
                assert float(row["SOG"]) == round(float(truth["sog"][r]), 1)
                assert float(row["COG"]) == round(float(truth["cog"][r]), 1)
                assert row["Data source type"] == "SYNTHETIC"
                assert row["Type of mobile"] == (
                    "Class B" if truth["msg_type"][r] == 18 else "Class A"
                )
                if truth["heading"][r] < 0:
                    assert row["Heading"] == ""
                else:
                    assert float(row["Heading"]) == truth["heading"][r]
                assert re.fullmatch(r"\d{7}|Unknown", row["IMO"])
                assert int(row["A"]) + int(row["B"]) == int(row["Length"])
                assert int(row["C"]) + int(row["D"]) == int(row["Width"])
    assert len(used) == int(truth["received"].sum())


def test_marinecadastre_csv(run: Run) -> None:
    expected = truth_rows(run)
    truth = run.positions
    used: set[int] = set()
    last = None
    for path in run.result.files["marinecadastre"]:
        assert re.fullmatch(r"synthetic-rajin-AIS_\d{4}_\d\d_\d\d\.csv", path.name)
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            assert ",".join(reader.fieldnames or []) == MARINECADASTRE_HEADER
            for row in reader:
                t = int(datetime.fromisoformat(row["BaseDateTime"]).replace(tzinfo=UTC).timestamp())
                assert last is None or t >= last
                last = t
                r = match(
                    run,
                    expected,
                    (int(row["MMSI"]), t),
                    float(row["LAT"]),
                    float(row["LON"]),
                    5.1e-6,
                )
                used.add(r)
                assert float(row["SOG"]) == round(float(truth["sog"][r]), 1)
                heading = int(truth["heading"][r])
                assert float(row["Heading"]) == (511.0 if heading < 0 else heading)
                assert re.fullmatch(r"IMO\d{7}|", row["IMO"])
                assert row["TransceiverClass"] == ("B" if truth["msg_type"][r] == 18 else "A")
                status = int(truth["nav_status"][r])
                assert row["Status"] == ("" if status < 0 else f"{status}.0")
    assert len(used) == int(truth["received"].sum())


def test_documented_imo_numbers_travel_in_the_csv_statics(run: Run) -> None:
    seen: dict[str, set[str]] = {}
    for path in run.result.files["marinecadastre"]:
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                seen.setdefault(row["VesselName"], set()).add(row["IMO"])
    assert seen["MAIA-1"] == {"IMO9358010"}
    assert seen["LADY R"] == {"IMO9161003"}
    assert "IMO8517839" in seen["MARIA"]  # the sanctioned MARIA ...
    assert "IMO1011305" in seen["MARIA"]  # ... and its fictional namesake
