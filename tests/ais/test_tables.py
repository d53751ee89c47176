"""The position store's declared tables read what the store writes today, typed, and write
it back identically (real excerpts: MarineCadastre and DMA CSV, AMSA NMEA)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from sanctionwatch.ais.counts import IngestCounts
from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import PositionStore, open_store
from sanctionwatch.ais.tables import (
    CATALOG_TABLES,
    ActivityRow,
    IdentityRow,
    IngestRow,
    PartRow,
    PositionRow,
)
from sanctionwatch.cli import cli
from sanctionwatch.tables import (
    Row,
    arrow_schema,
    arrow_table,
    from_row,
    insert_sql,
    schema_sql,
    select_sql,
    to_params,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "ais"
FILES = [
    DATA / "csv" / "noaa_marinecadastre_20230111_1000rows.csv",
    DATA / "csv" / "dma_aisdk_20180208_10rows.csv",
    DATA / "nmea" / "amsa_risky_ais_head3000.txt.gz",
]


@pytest.fixture(scope="module")
def ingested(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[PositionStore, list[IngestCounts]]]:
    with closing(open_store(tmp_path_factory.mktemp("home"))) as opened:
        yield opened, [ingest_file(opened, Source(path)) for path in FILES]


@pytest.fixture(scope="module")
def store(ingested: tuple[PositionStore, list[IngestCounts]]) -> PositionStore:
    return ingested[0]


R = TypeVar("R", bound=Row)


def read(store: PositionStore, cls: type[R]) -> list[R]:
    rows = store.db.execute(select_sql(cls) + " ORDER BY rowid").fetchall()
    return [from_row(cls, row) for row in rows]


def test_ingest_rows_are_what_the_store_lists(
    ingested: tuple[PositionStore, list[IngestCounts]],
) -> None:
    store, counts = ingested
    rows = read(store, IngestRow)
    assert rows == store.ingests()
    assert [row.id for row in rows] == [c.ingest_id for c in counts] == [1, 2, 3]
    for row, count in zip(rows, counts, strict=True):
        assert (row.file, row.format, row.lines, row.accepted, row.duplicates, row.rejected) == (
            count.file, count.format, count.lines, count.accepted, count.duplicates, count.rejected
        )  # fmt: skip
        assert (row.first_ts, row.last_ts, row.statics) == (
            count.first_ts, count.last_ts, count.statics
        )  # fmt: skip
        assert json.loads(row.rejected_by_reason) == count.rejected_by_reason
        assert json.loads(row.skipped_by_reason) == count.skipped_by_reason
    # MarineCadastre 2023-01-11: the times are milliseconds since the epoch, UTC.
    assert rows[0].first_ts is not None and rows[0].quarantine is not None
    assert datetime.fromtimestamp(rows[0].first_ts / 1000, UTC).date().isoformat() == "2023-01-11"
    assert any(row.quarantine is None for row in rows)  # the DMA excerpt rejects nothing


def test_identity_rows_and_the_identity_parquet(store: PositionStore) -> None:
    rows = read(store, IdentityRow)
    assert len(rows) > 900
    listed = {row.key: row for row in store.identities()}
    assert {row.key: row for row in rows} == listed
    # A float column keeps its type even where the value is whole (208.0 metres).
    naisha = [r for r in rows if r.mmsi == 636021061]
    assert [(r.length, type(r.length)) for r in naisha] == [(208.0, float)]
    assert any(r.imo is None for r in rows)
    written = pq.read_table(store.write_identity_parquet())
    ordered = sorted(rows, key=lambda r: (r.mmsi, r.first_seen, r.last_seen))
    assert written.equals(arrow_table(IdentityRow, ordered))


def test_parts_and_activity_add_up(store: PositionStore) -> None:
    ingests = read(store, IngestRow)
    parts = read(store, PartRow)
    activity = read(store, ActivityRow)
    accepted = sum(r.accepted for r in ingests)
    assert sum(p.rows for p in parts) == sum(a.positions for a in activity) == accepted
    for part in parts:
        table = pq.read_table(store.root / part.path)
        assert table.schema.equals(arrow_schema(PositionRow))
        assert table.num_rows == part.rows
        assert (table["mmsi"][0].as_py(), table["mmsi"][-1].as_py()) == (
            part.min_mmsi,
            part.max_mmsi,
        )


def test_the_catalogue_copied_through_the_declarations_is_identical(
    store: PositionStore, tmp_path: Path
) -> None:
    with closing(sqlite3.connect(tmp_path / "copy.sqlite")) as copy:
        copy.executescript(schema_sql(*CATALOG_TABLES))
        for cls in CATALOG_TABLES:
            copy.executemany(insert_sql(cls), [to_params(row) for row in read(store, cls)])
            query = f"SELECT * FROM {cls.__table__.name} ORDER BY rowid"
            assert copy.execute(query).fetchall() == store.db.execute(query).fetchall()
            # Same values and the same storage classes (an INTEGER stays an INTEGER).
            typeof = ", ".join(f"typeof({c.name})" for c in cls.__table__.columns)
            types = f"SELECT {typeof} FROM {cls.__table__.name} ORDER BY rowid"
            assert copy.execute(types).fetchall() == store.db.execute(types).fetchall()


def test_status_json_lists_the_catalogue_rows_as_stored(
    store: PositionStore, tmp_path: Path
) -> None:
    """``ais status --json`` prints each ingest row as the catalogue holds it: every column,
    in table order, with its stored value (what it printed before the rows were typed)."""
    result = CliRunner().invoke(cli, ["--home", str(store.home), "ais", "status", "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)["ingests"]
    with closing(sqlite3.connect(store.catalog_path)) as raw:
        cursor = raw.execute("SELECT * FROM ingest ORDER BY id")
        names = [d[0] for d in cursor.description]
        stored = [dict(zip(names, row, strict=True)) for row in cursor]
    assert printed == stored and len(stored) == 3
    assert [list(row) for row in printed] == [names] * 3
    totals = json.loads(result.stdout)["totals"]
    assert totals["positions"] == sum(int(row["accepted"]) for row in stored)
    assert totals["rejected"] == sum(int(row["rejected"]) for row in stored)
