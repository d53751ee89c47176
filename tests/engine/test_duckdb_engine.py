"""DuckDB views over the AIS store: committed files only, identities beside them."""

from __future__ import annotations

from pathlib import Path

from sanctionwatch.ais.ingest import Source, ingest_file
from sanctionwatch.ais.store import open_store
from sanctionwatch.engine.duckdb import DuckDBEngine
from tests.ais.test_csv_ingest import DMA_10, MC_1000


def test_views_over_an_empty_store(tmp_path: Path) -> None:
    engine = DuckDBEngine(open_store(tmp_path / "home"))
    assert engine.query("SELECT count(*) AS n FROM positions") == [{"n": 0}]
    assert engine.query("SELECT count(*) AS n FROM identity") == [{"n": 0}]
    # The empty view has the stored columns and types.
    columns = engine.query("DESCRIBE positions")
    assert [c["column_name"] for c in columns][:4] == ["mmsi", "ts", "lat", "lon"]


def test_views_over_ingested_files(tmp_path: Path) -> None:
    store = open_store(tmp_path / "home")
    ingest_file(store, Source(DMA_10))
    ingest_file(store, Source(MC_1000))
    engine = DuckDBEngine(store)
    [row] = engine.query(
        "SELECT count(*) AS n, count(DISTINCT mmsi) AS vessels, min(ts) AS first FROM positions"
    )
    assert (row["n"], row["vessels"]) == (1008, 1008)
    assert row["first"].isoformat() == "2018-02-08T00:00:00+00:00"
    # Parameters are bound, never formatted into the SQL.
    found = engine.query("SELECT mmsi, name FROM identity WHERE imo = ?", [9307839])
    assert found == [{"mmsi": 636021061, "name": "MSC NAISHA III"}]
    hostile = engine.query("SELECT count(*) AS n FROM identity WHERE name = ?", ["x' OR '1'='1"])
    assert hostile == [{"n": 0}]
    engine.close()
