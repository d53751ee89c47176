"""DMA and MarineCadastre CSV ingest on real excerpts, and every kind of bad input."""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sanctionwatch.ais.ingest import (
    FORMAT_DMA,
    FORMAT_MARINECADASTRE,
    Source,
    detect_format,
    ingest_file,
    sources,
)
from sanctionwatch.ais.store import PositionStore, open_store
from sanctionwatch.errors import InputError, StoreError, UnknownFormatError

DATA = Path(__file__).resolve().parents[1] / "data" / "ais" / "csv"
DMA_10 = DATA / "dma_aisdk_20180208_10rows.csv"
MC_1000 = DATA / "noaa_marinecadastre_20230111_1000rows.csv"

DMA_HEADER = (
    "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,"
    "Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,"
    "Type of position fixing device,Draught,Destination,ETA,Data source type,A,B,C,D"
)


def dma_row(ts: str, mmsi: str, lat: str, lon: str, **extra: str) -> str:
    fields = {
        "kind": "Class A", "nav": "Under way using engine", "sog": "10.1", "cog": "45.0",
        "heading": "44", "imo": "Unknown", "callsign": "", "name": "", "type": "Undefined",
        "width": "", "length": "", "draught": "", "destination": "",
    }  # fmt: skip
    fields.update(extra)
    return (
        f"{ts},{fields['kind']},{mmsi},{lat},{lon},{fields['nav']},0.0,{fields['sog']},"
        f"{fields['cog']},{fields['heading']},{fields['imo']},{fields['callsign']},"
        f"{fields['name']},{fields['type']},,{fields['width']},{fields['length']},GPS,"
        f"{fields['draught']},{fields['destination']},,AIS,,,,"
    )


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def ais_store(tmp_path: Path) -> PositionStore:
    return open_store(tmp_path / "home")


def stored_rows(store: PositionStore) -> int:
    return sum(pq.read_metadata(path).num_rows for path in store.part_files())


def quarantine(counts_path: str | None) -> list[dict[str, object]]:
    assert counts_path is not None
    return [json.loads(line) for line in Path(counts_path).read_text("utf-8").splitlines()]


def test_formats_are_detected_from_content(tmp_path: Path) -> None:
    assert detect_format(Source(DMA_10)) == FORMAT_DMA
    assert detect_format(Source(MC_1000)) == FORMAT_MARINECADASTRE
    renamed = tmp_path / "positions.txt"
    renamed.write_bytes(MC_1000.read_bytes())
    assert detect_format(Source(renamed)) == FORMAT_MARINECADASTRE
    other = write(tmp_path / "list.csv", ["name,country", "KIM JONG UN,KP"])
    with pytest.raises(UnknownFormatError, match=r"list\.csv: not an AIS file"):
        detect_format(Source(other))
    empty = write(tmp_path / "empty.csv", [""])
    with pytest.raises(InputError, match="empty"):
        detect_format(Source(empty))
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(MC_1000.read_text("utf-8").encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16"):
        detect_format(Source(utf16))


def test_marinecadastre_excerpt(ais_store: PositionStore) -> None:
    counts = ingest_file(ais_store, Source(MC_1000))
    # 1,000 rows, 1,000 distinct MMSIs; two have 7 and 8 digits (checked with awk).
    # 1,001 lines: the header and 1,000 rows
    assert (counts.lines, counts.accepted, counts.rejected) == (1001, 998, 2)
    assert counts.vessels == 998
    assert counts.rejected_by_reason == {"MMSI is not 9 digits": 2}
    rows = quarantine(counts.quarantine)
    assert [(r["line"], r["reason"]) for r in rows] == [
        (524, "MMSI is not 9 digits: 3669882"),
        (542, "MMSI is not 9 digits: 36926403"),
    ]
    # The quarantine keeps the line exactly as it was in the file.
    lines = MC_1000.read_text("utf-8").splitlines()
    assert [r["text"] for r in rows] == [lines[523], lines[541]]
    assert stored_rows(ais_store) == 998

    # MSC NAISHA III: the IMO column says "IMO9307839".
    [identity] = ais_store.identities(mmsi=636021061)
    assert identity.imo == 9307839 and identity.name == "MSC NAISHA III"
    assert (identity.callsign, identity.ship_type) == ("5LCB4", 70)
    assert (identity.length, identity.width, identity.draught) == (208.0, 30.0, 8.0)
    track = ais_store.track(636021061)
    assert track.num_rows == 1
    row = track.to_pylist()[0]
    assert (row["lat"], row["lon"], row["heading"]) == (26.09241, -80.04806, 270)
    assert row["sog"] == pytest.approx(8.8)
    assert row["receiver_type"] == "terrestrial" and row["line"] == 3


def test_dma_excerpt_with_its_index_column(ais_store: PositionStore) -> None:
    counts = ingest_file(ais_store, Source(DMA_10))
    assert (counts.accepted, counts.rejected, counts.vessels) == (10, 0, 10)
    track = ais_store.track(265177000).to_pylist()
    assert len(track) == 1
    assert (track[0]["lat"], track[0]["lon"]) == (57.602225, 11.644943)
    assert track[0]["nav_status"] == 0  # "Under way using engine"
    assert track[0]["ts"].isoformat() == "2018-02-08T00:00:00+00:00"  # dd/mm/yyyy read right


def test_reingest_adds_nothing(ais_store: PositionStore) -> None:
    first = ingest_file(ais_store, Source(MC_1000))
    files = ais_store.part_files()
    again = ingest_file(ais_store, Source(MC_1000))
    assert (again.accepted, again.duplicates) == (0, first.accepted)
    assert ais_store.part_files() == files
    assert stored_rows(ais_store) == 998
    # The identity history is not doubled either.
    assert len(ais_store.identities(mmsi=636021061)) == 1


def test_duplicates_inside_a_file_and_across_days(tmp_path: Path, ais_store: PositionStore) -> None:
    rows = [
        dma_row("31/12/2023 23:59:58", "273000001", "42.1", "131.2"),
        dma_row("31/12/2023 23:59:58", "273000001", "42.1", "131.2"),  # heard twice
        dma_row("01/01/2024 00:00:08", "273000001", "42.1001", "131.2002"),
        dma_row("01/01/2024 00:00:08", "273000002", "42.1001", "131.2002"),  # other vessel
    ]
    path = write(tmp_path / "dma.csv", [DMA_HEADER, *rows])
    counts = ingest_file(ais_store, Source(path))
    assert (counts.accepted, counts.duplicates, counts.vessels) == (3, 1, 2)
    days = sorted(p.parent.name for p in ais_store.part_files())
    assert days == ["day=2023-12-31", "day=2024-01-01"]
    assert ais_store.track(273000001).num_rows == 2


def test_rejections_have_reasons_and_the_rest_is_stored(
    tmp_path: Path, ais_store: PositionStore
) -> None:
    rows = [
        dma_row("01/03/2024 10:00:00", "445123000", "39.0", "125.7"),  # good
        dma_row("01/03/2024 10:00:01", "445123001", "91", "0"),  # DMA's "not available"
        dma_row("01/03/2024 10:00:02", "445123002", "95.5", "125.7"),  # impossible
        dma_row("01/03/2024 10:00:03", "4451230", "39.0", "125.7"),  # 7-digit MMSI
        dma_row("01/03/1985 10:00:04", "445123003", "39.0", "125.7"),  # before AIS
        dma_row("01/03/2099 10:00:05", "445123004", "39.0", "125.7"),  # future
        dma_row("01/03/2024 10:00:06", "2190001", "55.0", "11.0", kind="Base Station"),
        dma_row("01/03/2024 10:00:07", "992191234", "55.0", "11.0", kind="AtoN"),
        dma_row("01/03/2024 10:00:08", "445123005", "39.1", "125.8"),  # good
    ]
    path = write(tmp_path / "dma.csv", [DMA_HEADER, *rows])
    counts = ingest_file(ais_store, Source(path))
    assert counts.accepted == 2
    assert counts.rejected_by_reason == {
        "position not available": 1,
        "impossible coordinates": 1,
        "MMSI is not 9 digits": 1,
        "timestamp before 1990": 1,
        "timestamp in the future": 1,
    }
    assert counts.skipped_by_reason == {
        "header line": 1,
        "Type of mobile base station (not a vessel)": 1,
        "Type of mobile aton (not a vessel)": 1,
    }
    assert counts.lines == len(rows) + 1  # the header too
    lines = [r["line"] for r in quarantine(counts.quarantine)]
    assert lines == [3, 4, 5, 6, 7]  # header is line 1


def test_malformed_rows_take_the_careful_path(tmp_path: Path, ais_store: PositionStore) -> None:
    rows = [
        dma_row("01/03/2024 10:00:00", "273111000", "43.0", "132.0"),
        dma_row("01/03/2024 10:00:01", "273111000", "forty-three", "132.0"),  # not a number
        "01/03/2024 10:00:02,Class A,273111000,43.0",  # too few fields
        "",  # empty line
        dma_row("not a date", "273111000", "43.0", "132.0"),
        dma_row("01/03/2024 10:00:05", "273111000", "43.01", "132.01", name="K\udcffAPITAN"),
        dma_row("01/03/2024 10:00:06", "273111000", "43.02", "132.02"),
    ]
    path = tmp_path / "dma.csv"
    path.write_bytes(
        ("\n".join([DMA_HEADER, *rows]) + "\n").encode("utf-8", errors="surrogateescape")
    )
    counts = ingest_file(ais_store, Source(path))
    assert counts.accepted == 3
    by_line = {r["line"]: r["reason"] for r in quarantine(counts.quarantine)}
    assert by_line == {
        3: "Latitude is not a number",
        4: "wrong number of fields",
        5: "empty line",
        6: "# Timestamp is not a date and time",
    }
    assert counts.lines == len(rows) + 1  # the header too
    assert sum(counts.line_outcomes.values()) == counts.lines
    # The name with a byte that is not UTF-8 cost one character, not the row.
    [identity] = ais_store.identities(mmsi=273111000)
    assert identity.name == "K\ufffdAPITAN"


def test_gzip_and_zip_inputs(tmp_path: Path, ais_store: PositionStore) -> None:
    packed = tmp_path / "mc.csv.gz"
    packed.write_bytes(gzip.compress(MC_1000.read_bytes()))
    archive = tmp_path / "both.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(DMA_10, "dma.csv")
        handle.write(MC_1000, "mc.csv")
    found = sources([packed, archive])
    assert [s.name for s in found] == ["mc.csv.gz", "both.zip:dma.csv", "both.zip:mc.csv"]
    results = [ingest_file(ais_store, s) for s in found]
    assert [r.accepted for r in results] == [998, 10, 0]
    assert results[2].duplicates == 998


def test_truncated_or_corrupt_archives_store_nothing(
    tmp_path: Path, ais_store: PositionStore
) -> None:
    text = MC_1000.read_text("utf-8")
    header, body = text.split("\n", 1)
    # Long enough that the format is recognised before the cut is reached.
    data = gzip.compress((header + "\n" + body * 20).encode("utf-8"))
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(data[: len(data) * 3 // 4])
    with pytest.raises(InputError, match=r"cut\.csv\.gz: cannot be read to the end"):
        ingest_file(ais_store, Source(cut))
    assert ais_store.part_files() == [] and ais_store.ingests() == []
    assert not list((ais_store.root / "staging").glob("*/**/*.parquet"))
    tiny = tmp_path / "tiny.csv.gz"
    tiny.write_bytes(gzip.compress(MC_1000.read_bytes())[:200])
    with pytest.raises(InputError, match=r"tiny\.csv\.gz: cannot be read"):
        ingest_file(ais_store, Source(tiny))
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(InputError, match=r"broken\.zip: corrupt zip"):
        sources([broken])
    with pytest.raises(InputError, match="no such file"):
        sources([tmp_path / "missing.csv"])


def test_a_failed_ingest_leaves_the_store_as_it_was(
    tmp_path: Path, ais_store: PositionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_file(ais_store, Source(DMA_10))
    before = (ais_store.part_files(), ais_store.ingests(), ais_store.identities())

    import sanctionwatch.ais.writer as writer_module

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(writer_module, "record_identities", fail)
    with pytest.raises(StoreError, match=r"noaa_marinecadastre.*could not be stored \(disk full\)"):
        ingest_file(ais_store, Source(MC_1000))
    monkeypatch.undo()
    assert (ais_store.part_files(), ais_store.ingests(), ais_store.identities()) == before
    on_disk = sorted(ais_store.positions_dir.rglob("*.parquet"))
    assert on_disk == sorted(ais_store.part_files())
    # And the same file then ingests normally.
    assert ingest_file(ais_store, Source(MC_1000)).accepted == 998


def test_leftovers_of_a_crash_are_removed_on_open(tmp_path: Path) -> None:
    store = open_store(tmp_path / "home")
    ingest_file(store, Source(DMA_10))
    committed = store.part_files()
    store.close()
    # A crash after parts were moved into place but before the catalogue recorded them.
    orphan = committed[0].parent / "part-000099-0000.parquet"
    orphan.write_bytes(committed[0].read_bytes())
    (tmp_path / "home" / "ais" / "staging" / "000099").mkdir(parents=True)
    reopened = open_store(tmp_path / "home")
    assert not orphan.exists()
    assert not (tmp_path / "home" / "ais" / "staging").exists()
    assert reopened.part_files() == committed


def test_a_day_that_comes_back_is_still_deduplicated(
    tmp_path: Path, ais_store: PositionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sanctionwatch.ais.csv_formats as csv_module

    monkeypatch.setattr(csv_module, "BLOCK_BYTES", 150)  # about one row per block
    rows = [
        dma_row("01/03/2024 10:00:00", "273000010", "43.0", "132.0"),
        dma_row("01/03/2024 11:00:00", "273000010", "43.1", "132.1"),
        dma_row("02/03/2024 10:00:00", "273000010", "43.2", "132.2"),  # day 1 is flushed
        dma_row("03/03/2024 10:00:00", "273000010", "43.3", "132.3"),
        dma_row("01/03/2024 10:00:00", "273000010", "43.0", "132.0"),  # day 1 again: a copy
        dma_row("01/03/2024 12:00:00", "273000010", "43.4", "132.4"),  # and a new one
        dma_row("02/03/2024 10:00:00", "273000010", "43.2", "132.2"),  # a copy
    ]
    path = write(tmp_path / "dma.csv", [DMA_HEADER, *rows])
    counts = ingest_file(ais_store, Source(path))
    assert (counts.accepted, counts.duplicates) == (5, 2)
    assert ais_store.track(273000010).num_rows == 5
    # Day 1 was written twice (two parts), without a position in both.
    day_one = [p for p in ais_store.part_files() if "day=2024-03-01" in str(p)]
    assert len(day_one) == 2
    assert sum(pq.read_metadata(p).num_rows for p in day_one) == 3


def test_identity_history_is_a_sequence(
    tmp_path: Path, ais_store: PositionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sanctionwatch.ais.csv_formats as csv_module

    monkeypatch.setattr(csv_module, "BLOCK_BYTES", 150)  # about one row per block
    identity = {"imo": "9179842", "name": "ANGARA", "callsign": "UBRH7", "type": "Cargo"}
    rows = [
        dma_row(
            f"01/03/2024 {hour:02d}:00:00",
            "273000020",
            "42.5",
            "131.5",
            **identity,
            draught=draught,
        )
        for hour, draught in [(1, "4.4"), (2, "4.4"), (3, "6.6"), (4, "6.6"), (5, "4.4")]
    ]
    # A blank draught says nothing: it keeps the draught in force, not a change.
    rows.append(dma_row("01/03/2024 06:00:00", "273000020", "42.5", "131.5", **identity))
    path = write(tmp_path / "dma.csv", [DMA_HEADER, *rows])
    ingest_file(ais_store, Source(path))
    history = [(r.draught, r.first_seen, r.last_seen)
               for r in ais_store.identities(mmsi=273000020)]  # fmt: skip
    hour = 3_600_000
    start = ms_of("2024-03-01T00:00:00")
    assert history == [
        (4.4, start + 1 * hour, start + 2 * hour),
        (6.6, start + 3 * hour, start + 4 * hour),
        (4.4, start + 5 * hour, start + 6 * hour),  # back to 4.4: a row of its own
    ]
    # Ingesting the same file again changes nothing.
    ingest_file(ais_store, Source(path))
    assert [(r.draught, r.first_seen, r.last_seen)
            for r in ais_store.identities(mmsi=273000020)] == history  # fmt: skip


def ms_of(text: str) -> int:
    from datetime import UTC, datetime

    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)
