"""DuckDB over the Parquet position store: views ``positions`` (ships' positions: the MMSI
ranges of aids to navigation, SAR aircraft and beacons left out) and ``identity``.

The views list the committed Parquet files from the store's catalogue (never a glob), so
an ingest in progress is never half-visible. DuckDB runs in memory; nothing is copied.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from sanctionwatch.ais.mid import ship_mmsi_sql
from sanctionwatch.ais.store import POSITION_SCHEMA, PositionStore


class DuckDBEngine:
    """An in-memory DuckDB connection with views over one store."""

    def __init__(self, store: PositionStore, threads: int | None = None) -> None:
        self.db = duckdb.connect(":memory:")
        # No progress bar on the terminal: the CLI reports progress itself.
        self.db.execute("SET enable_progress_bar = false")
        if threads:
            self.db.execute(f"SET threads = {int(threads)}")
        files = [str(path) for path in store.part_files()]
        if files:
            # File names come from our own catalogue; DuckDB takes the list as a literal.
            listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
            # ships only: aids to navigation, SAR aircraft and beacons are not what the
            # detectors are for (they gave port calls and gaps on real traffic)
            self.db.execute(
                f"CREATE VIEW positions AS SELECT * FROM read_parquet([{listing}]) "  # noqa: S608
                f"WHERE {ship_mmsi_sql()}"
            )
        else:
            columns = ", ".join(
                f"CAST(NULL AS {_duck_type(str(field.type))}) AS {field.name}"
                for field in POSITION_SCHEMA
            )
            self.db.execute(f"CREATE VIEW positions AS SELECT {columns} WHERE false")
        identity = store.write_identity_parquet()
        path = str(identity).replace("'", "''")
        self.db.execute(f"CREATE VIEW identity AS SELECT * FROM read_parquet('{path}')")  # noqa: S608

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        # Through Arrow: time zones come back as datetime.timezone (DuckDB's own Python
        # conversion of TIMESTAMPTZ needs pytz).
        relation = self.db.sql(sql, params=params or None)
        if relation is None:  # a statement that returns no rows
            return []
        rows: list[dict[str, Any]] = relation.to_arrow_table().to_pylist()
        return rows

    def register_table(self, name: str, columns: dict[str, list[Any]]) -> None:
        self.db.register(name, pa.table(columns))

    def close(self) -> None:
        self.db.close()


def _duck_type(arrow_type: str) -> str:
    return {
        "int32": "INTEGER",
        "int16": "SMALLINT",
        "int8": "TINYINT",
        "int64": "BIGINT",
        "float": "FLOAT",
        "double": "DOUBLE",
    }.get(arrow_type, "TIMESTAMPTZ" if arrow_type.startswith("timestamp") else "VARCHAR")
