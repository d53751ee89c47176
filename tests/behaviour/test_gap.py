"""The gap detector, on hand-made tracks and on the generated rajin scenario."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import PositionStore, open_store
from sanctionwatch.behaviour.detectors.base import Window
from sanctionwatch.behaviour.params import load_params
from sanctionwatch.behaviour.run import detect
from sanctionwatch.cli import cli
from sanctionwatch.engine.duckdb import DuckDBEngine
from sanctionwatch.errors import InputError
from tests.ais.test_csv_ingest import DMA_HEADER, dma_row, write


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


def store_with(tmp_path: Path, rows: list[str]) -> PositionStore:
    store = open_store(tmp_path / "home")
    if rows:
        ingest_file(store, Source(write(tmp_path / "in.csv", [DMA_HEADER, *rows])))
    return store


def gaps(store: PositionStore, window: Window | None = None, **overrides: float) -> list:
    params = load_params()
    params["gap"].update(overrides)
    return detect(DuckDBEngine(store), params, window, ["gap"])


# Vessel A: silent 7 h in the Sea of Japan, far from any port. Vessel B reports until 20:00,
# so A's last report at 12:00 leaves it silent for 8 h at the end of the data: an open gap.
TRACKS = [
    dma_row("01/03/2024 00:00:00", "273000001", "40.000", "135.000"),
    dma_row("01/03/2024 01:00:00", "273000001", "40.010", "135.010"),
    dma_row("01/03/2024 08:00:00", "273000001", "40.500", "135.500"),
    dma_row("01/03/2024 12:00:00", "273000001", "40.600", "135.600"),
    dma_row("01/03/2024 00:00:00", "273000002", "41.000", "136.000"),
    dma_row("01/03/2024 05:00:00", "273000002", "41.100", "136.100"),  # 5 h: not a gap
    dma_row("01/03/2024 20:00:00", "273000002", "41.200", "136.200"),  # 15 h: a gap
]


def test_gaps_open_gaps_and_their_measurements(tmp_path: Path) -> None:
    found = gaps(store_with(tmp_path, TRACKS))
    summary = [(e.mmsi, e.start_ms, e.end_ms) for e in found]
    assert summary == [
        (273000001, ms("2024-03-01T01:00:00"), ms("2024-03-01T08:00:00")),
        (273000002, ms("2024-03-01T05:00:00"), ms("2024-03-01T20:00:00")),
        (273000001, ms("2024-03-01T12:00:00"), None),
    ]
    closed = found[0].details
    assert closed["hours"] == 7.0 and closed["open"] is False
    # 40.01,135.01 -> 40.5,135.5: about 69 km (haversine, checked with an online calculator).
    assert closed["distance_km"] == pytest.approx(69.0, abs=0.5)
    assert closed["implied_speed_kn"] == pytest.approx(69.0 / 1.852 / 7, abs=0.1)
    assert found[0].port is None  # no watched port within reach
    assert found[2].details["open"] is True and found[2].to_dict()["end"] is None
    assert found[2].details["hours"] == 8.0  # silent from 12:00 to the end of the data, 20:00
    # Far out in the Sea of Japan and 15 h long: a likely deliberate disabling (GFW rule).
    assert found[1].details["start_shore_nm"] > 50
    assert found[1].details["likely_disabling"] is True
    assert found[0].details["likely_disabling"] is False  # 7 h < 12 h


def test_parameters_and_windows(tmp_path: Path) -> None:
    store = store_with(tmp_path, TRACKS)
    assert len(gaps(store, min_hours=10)) == 1  # only the 15 h gap
    assert len(gaps(store, min_hours=4)) == 5  # also 5 h (B) and 4 h (A, 08:00-12:00)
    # A window that ends at 06:00 sees neither gap closed; A's last report (01:00) is then
    # 4 h before the end of the data (05:00): no open gap either.
    assert gaps(store, Window(None, ms("2024-03-01T06:00:00"))) == []


def test_degenerate_stores(tmp_path: Path) -> None:
    assert gaps(store_with(tmp_path / "empty", [])) == []
    one = [dma_row("01/03/2024 00:00:00", "273000001", "40.0", "135.0")]
    assert gaps(store_with(tmp_path / "one", one)) == []
    # Duplicate timestamps and rows out of order in the file change nothing.
    shuffled = [TRACKS[2], TRACKS[0], TRACKS[1], TRACKS[1], TRACKS[3]]
    found = gaps(store_with(tmp_path / "shuffled", shuffled))
    assert [(e.start_ms, e.end_ms) for e in found] == [
        (ms("2024-03-01T01:00:00"), ms("2024-03-01T08:00:00"))
    ]


def test_bad_parameters_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "p.toml"
    bad.write_text("[gap]\nmin_hour = 3\n", encoding="utf-8")
    with pytest.raises(InputError, match="has no parameter 'min_hour'"):
        load_params(bad)
    bad.write_text("[gapp]\nmin_hours = 3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no detector named \[gapp\]"):
        load_params(bad)
    bad.write_text('[gap]\nmin_hours = "six"\n', encoding="utf-8")
    with pytest.raises(InputError, match="must be a number"):
        load_params(bad)


def test_detect_command(tmp_path: Path) -> None:
    home = tmp_path / "home"
    runner = CliRunner()
    data = write(tmp_path / "in.csv", [DMA_HEADER, *TRACKS])
    assert runner.invoke(cli, ["--home", str(home), "ais", "ingest", str(data)]).exit_code == 0
    result = runner.invoke(cli, ["--home", str(home), "detect"])
    assert result.exit_code == 0, result.output
    assert "gap: full run, 3 events" in result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["type"] for e in events] == ["gap", "gap", "gap"]
    assert set(events[0]) == {"type", "mmsi", "other_mmsi", "start", "end", "lat", "lon",
                              "port", "details"}  # fmt: skip
    assert events[0]["start"] == "2024-03-01T01:00:00Z" and events[2]["end"] is None
    params = tmp_path / "p.toml"
    params.write_text("[gap]\nmin_hours = 10\n", encoding="utf-8")
    out = tmp_path / "events.jsonl"
    result = runner.invoke(
        cli, ["--home", str(home), "detect", "--params", str(params), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert len(out.read_text("utf-8").splitlines()) == 1
    # The stored events (default parameters) are untouched by a --params run.
    result = runner.invoke(cli, ["--home", str(home), "detect", "--detector", "gap"])
    assert "gap: nothing new since the last run" in result.stderr
    assert [json.loads(line) for line in result.stdout.splitlines()] == events
    result = runner.invoke(cli, ["--home", str(home), "detect", "--spark-master", "local[1]"])
    assert result.exit_code == 2 and "go with --engine spark" in result.output


def test_vessels_silent_together_are_a_reception_outage(tmp_path: Path) -> None:
    # Three vessels off Nakhodka all fall silent at 02:00 and come back at 09:00 (a
    # receiver outage); a fourth goes dark alone near Rajin from 03:00 to 12:00.
    rows = []
    for number, (lat, lon) in enumerate([(42.70, 132.95), (42.65, 133.00), (42.60, 132.90)]):
        mmsi = f"27300010{number}"
        rows += [
            dma_row("01/03/2024 02:00:00", mmsi, f"{lat:.3f}", f"{lon:.3f}"),
            dma_row(f"01/03/2024 09:0{number}:00", mmsi, f"{lat + 0.01:.3f}", f"{lon:.3f}"),
        ]
    rows += [
        dma_row("01/03/2024 03:00:00", "273000200", "42.100", "130.700"),
        dma_row("01/03/2024 12:00:00", "273000200", "42.110", "130.720"),
    ]
    found = {e.mmsi: e for e in gaps(store_with(tmp_path, rows))}
    for mmsi in (273000100, 273000101, 273000102):
        assert found[mmsi].details["probable_reception_outage"] is True
        assert found[mmsi].port is None
        assert len(found[mmsi].details["silent_together_with"]) == 2
    alone = found[273000200]
    assert "probable_reception_outage" not in alone.details
    assert alone.port == "Najin"  # about 35 km from Rajin at both ends
    assert alone.details["dark_port_call_candidates"][0]["country"] == "KP"


def test_an_open_gap_runs_to_the_end_of_the_data_near_the_vessel(tmp_path: Path) -> None:
    # Two regions: the Sea of Japan data runs to 20:00, a Danish feed stops at 06:00.
    # A Danish vessel last heard at 06:00 is not silent (nothing there was heard later);
    # a Sea of Japan vessel last heard at 10:00 is (others near it were heard until 20:00),
    # and so is one last heard at 08:00 just across the antimeridian from a reporter.
    rows = [
        dma_row("01/03/2024 05:00:00", "219000001", "56.000", "11.000"),
        dma_row("01/03/2024 06:00:00", "219000001", "56.010", "11.010"),
        dma_row("01/03/2024 09:00:00", "273000001", "40.000", "135.000"),
        dma_row("01/03/2024 10:00:00", "273000001", "40.010", "135.010"),
        dma_row("01/03/2024 19:00:00", "273000002", "41.000", "136.000"),
        dma_row("01/03/2024 20:00:00", "273000002", "41.010", "136.010"),
        dma_row("01/03/2024 07:00:00", "273000003", "52.000", "-179.900"),
        dma_row("01/03/2024 08:00:00", "273000003", "52.000", "-179.900"),
        dma_row("01/03/2024 19:00:00", "273000004", "52.000", "179.900"),
        dma_row("01/03/2024 20:00:00", "273000004", "52.000", "179.900"),
    ]
    found = gaps(store_with(tmp_path, rows))
    assert {(e.mmsi, e.end_ms, e.details["hours"]) for e in found} == {
        (273000001, None, 10.0),
        (273000003, None, 12.0),
    }


def test_boats_falling_silent_minutes_apart_at_one_outage_are_recognised(tmp_path: Path) -> None:
    # Eight fishing boats off Nakhodka, reporting rarely, are last heard 17 minutes apart
    # from 02:00 to 03:59 and heard again from 10:00 to 10:35: one receiver outage, though
    # no two of them fell silent within 15 minutes of each other. A ninth, silent from 02:10
    # to 14:30 nearby, went dark on its own: its silence ends four hours after theirs.
    rows = []
    for number in range(8):
        mmsi = f"2730003{number:02d}"
        lat, lon = 42.60 + number * 0.02, 132.90 + number * 0.01
        silent = 120 + number * 17  # minutes after midnight
        rows += [
            dma_row(f"01/03/2024 {silent // 60:02d}:{silent % 60:02d}:00", mmsi,
                    f"{lat:.3f}", f"{lon:.3f}"),
            dma_row(f"01/03/2024 10:{number * 5:02d}:00", mmsi, f"{lat + 0.01:.3f}", f"{lon:.3f}"),
        ]  # fmt: skip
    rows += [
        dma_row("01/03/2024 02:10:00", "273000400", "42.650", "132.950"),
        dma_row("01/03/2024 14:30:00", "273000400", "42.660", "132.960"),
    ]
    found = {e.mmsi: e for e in gaps(store_with(tmp_path, rows))}
    assert len(found) == 9
    for number in range(8):
        assert found[273000300 + number].details["probable_reception_outage"] is True
    assert "probable_reception_outage" not in found[273000400].details


def test_a_gap_at_the_edge_of_a_regional_extract_is_open_at_that_side(tmp_path: Path) -> None:
    # A 2 x 2 degree extract of open ocean. One vessel falls silent 5 km inside its eastern
    # edge for 14 h (it may have sailed out of the extract); another in the middle does
    # the same (it went dark where the data would have seen it).
    # Ten more vessels, reporting hourly inside the box, make it a regional extract.
    traffic = [
        dma_row(f"01/03/2024 {hour:02d}:00:00", f"2730005{n + 10:02d}", f"{29.2 + n * 0.15:.3f}",
                f"{149.2 + n * 0.15:.3f}")
        for n in range(10)
        for hour in range(0, 21)
    ]  # fmt: skip
    rows = [
        *traffic,
        dma_row("01/03/2024 00:00:00", "273000500", "29.000", "149.000"),
        dma_row("01/03/2024 20:00:00", "273000500", "31.000", "151.000"),
        dma_row("01/03/2024 01:00:00", "273000501", "30.000", "150.950"),
        dma_row("01/03/2024 15:00:00", "273000501", "30.010", "150.960"),
        dma_row("01/03/2024 01:00:00", "273000502", "30.000", "150.000"),
        dma_row("01/03/2024 15:00:00", "273000502", "30.010", "150.010"),
    ]
    found = {e.mmsi: e for e in gaps(store_with(tmp_path, rows))}
    edge, middle = found[273000501], found[273000502]
    assert edge.details["extract_edge"] == ["start", "end"]
    assert edge.details["likely_disabling"] is False
    assert "extract_edge" not in middle.details
    assert middle.details["likely_disabling"] is True


def test_global_data_has_no_extract_edge(tmp_path: Path) -> None:
    traffic = [
        dma_row(f"01/03/2024 {hour:02d}:00:00", f"2730006{n:02d}", "0.000", f"{n:.3f}")
        for n in range(10, 20)
        for hour in range(0, 21)
    ]
    rows = [
        *traffic,
        dma_row("01/03/2024 00:00:00", "273000600", "-40.000", "-170.000"),
        dma_row("01/03/2024 20:00:00", "273000600", "50.000", "170.000"),
        dma_row("01/03/2024 01:00:00", "273000601", "30.000", "169.990"),
        dma_row("01/03/2024 15:00:00", "273000601", "30.010", "169.995"),
    ]
    found = {e.mmsi: e for e in gaps(store_with(tmp_path, rows))}
    assert "extract_edge" not in found[273000601].details
