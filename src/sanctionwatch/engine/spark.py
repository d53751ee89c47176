"""Spark over the Parquet position store: views ``positions`` and ``identity``.

The same contract as the DuckDB engine: the views list the committed Parquet files from
the store's catalogue (never a glob), the SQL the detectors write in DuckDB's dialect is
translated by :func:`sanctionwatch.engine.translate.to_spark`, and rows come back as
dicts of Python values through Arrow, as DuckDB's do (ints, floats, None, aware UTC
datetimes).

Where Spark runs: ``local[2]`` by default (a JVM started for this process, listening on
127.0.0.1 only), any cluster by its master URL (``spark://host:7077``, ``yarn``...), or a
Spark Connect server (``remote="sc://host:15002"``). A cluster or Connect server reads the
Parquet files itself, by the paths of this store: they must be on a file system it sees.
Needs the optional extra: ``pip install 'sanctionwatch[spark]'`` (PySpark and sqlglot),
and Java 17 or newer; Spark Connect also needs ``pip install 'pyspark[connect]'``.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from sanctionwatch.ais.mid import ship_mmsi_sql
from sanctionwatch.ais.store import IDENTITY_SCHEMA, POSITION_SCHEMA, PositionStore
from sanctionwatch.errors import InputError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

INSTALL_HINT = "the Spark engine needs the optional extra: pip install 'sanctionwatch[spark]'"

# For a machine with a few cores and a few GB: no UI, few shuffle partitions, times in UTC,
# DuckDB-like strict arithmetic (ANSI: overflow and bad casts are errors, not NULLs).
SESSION_CONFIG = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "4",
    "spark.sql.ansi.enabled": "true",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}
# Only when this process starts the driver (not with Spark Connect): a small JVM, and in
# local mode listening on the loopback interface alone.
DRIVER_CONFIG = {"spark.driver.memory": "1g"}
LOCAL_CONFIG = {"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1"}
LOG4J2 = Path(__file__).with_name("spark-log4j2.properties")


class SparkEngine:
    """A Spark session with views over one store.

    ``master``: a Spark master URL (default ``local[2]``); ``remote``: a Spark Connect URL
    (``sc://host:port``), instead of ``master``. ``session``: run in a new session of an
    existing Spark application instead (tests share one); it is not stopped by ``close``.
    One engine at a time per process: Spark keeps one application per process, which
    ``close`` stops.
    """

    def __init__(
        self,
        store: PositionStore,
        master: str | None = None,
        remote: str | None = None,
        *,
        session: SparkSession | None = None,
    ) -> None:
        if master and remote:
            raise InputError("give a Spark master URL or a Spark Connect URL, not both")
        self._owned = session is None
        if session is None:
            self.spark = start_session(master, remote)
        else:
            _quiet_pyspark()
            # A new session of the same application: its own temporary views.
            classic = getattr(session, "_jsparkSession", None) is not None
            self.spark = session.newSession() if classic else session
        try:
            self._views(store)
        except BaseException:
            self.close()
            raise

    def _views(self, store: PositionStore) -> None:
        files = [str(path) for path in store.part_files()]
        schema = _spark_schema(POSITION_SCHEMA)
        if files:
            positions = self.spark.read.schema(schema).parquet(*files)
        else:
            positions = self.spark.createDataFrame([], schema)
        positions = positions.where(ship_mmsi_sql())  # as the DuckDB engine: ships only
        positions.select(*POSITION_SCHEMA.names).createOrReplaceTempView("positions")
        identity = str(store.write_identity_parquet())
        self.spark.read.schema(_spark_schema(IDENTITY_SCHEMA)).parquet(
            identity
        ).createOrReplaceTempView("identity")

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        from sanctionwatch.engine.translate import to_spark

        spark_sql = to_spark(sql)
        try:
            # ``?`` markers are bound by Spark (as literals of their Python type).
            frame = (
                self.spark.sql(spark_sql, args=list(params))
                if params
                else self.spark.sql(spark_sql)
            )
            table = frame.toArrow()
        except Exception as exc:
            exc.add_note(f"Spark SQL (translated from DuckDB's):\n{spark_sql}")
            raise
        rows: list[dict[str, Any]] = table.to_pylist()
        return rows

    def register_table(self, name: str, columns: dict[str, list[Any]]) -> None:
        # Through Arrow, so the column types are the ones DuckDB infers from pa.table.
        self.spark.createDataFrame(pa.table(columns)).createOrReplaceTempView(name)

    def close(self) -> None:
        if self._owned:
            self.spark.stop()


def start_session(master: str | None = None, remote: str | None = None) -> SparkSession:
    """A Spark session configured for this project (see ``SESSION_CONFIG``)."""
    try:
        import sqlglot  # noqa: F401 (translate.py needs it)
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise InputError(INSTALL_HINT) from exc
    _quiet_pyspark()
    builder: Any = SparkSession.builder.appName("sanctionwatch")
    for key, value in SESSION_CONFIG.items():
        # A Spark Connect server takes SQL settings only (the rest is the server's).
        if not remote or key.startswith("spark.sql."):
            builder = builder.config(key, value)
    if remote:
        try:
            with warnings.catch_warnings():  # the pandas 3 warning again, see _quiet_pyspark
                warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark")
                import pyspark.sql.connect.session  # noqa: F401 (needs pyspark[connect])
        except ImportError as exc:
            raise InputError(
                "Spark Connect needs its client libraries: pip install 'pyspark[connect]'"
            ) from exc
        builder = builder.remote(remote)
    else:
        master = master or "local[2]"
        builder = builder.master(master)
        local = master.startswith("local")
        for key, value in (DRIVER_CONFIG | (LOCAL_CONFIG if local else {})).items():
            builder = builder.config(key, value)
        builder = builder.config(
            "spark.driver.extraJavaOptions", f'-Dlog4j2.configurationFile="{LOG4J2}"'
        )
        if local:
            # Else Spark warns that the host name is a loopback address, and looks further.
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            # Python workers (mapPartitions) run this interpreter, which has sanctionwatch.
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        session: SparkSession = builder.getOrCreate()
    except Exception as exc:
        if "JAVA_GATEWAY_EXITED" in str(exc) or "Java gateway process exited" in str(exc):
            raise InputError(
                "Spark could not start its JVM: install Java 17 or newer (java on PATH or "
                "JAVA_HOME set)"
            ) from exc
        raise
    if not remote:
        session.sparkContext.setLogLevel("ERROR")
    return session


def _quiet_pyspark() -> None:
    """PySpark logs every SQL error as JSON before raising it (the exception says it all),
    and warns on its first call into the JVM when pandas 3 is installed (which it does
    not use here): both silenced."""
    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark")
        import pyspark.testing.utils  # noqa: F401 (where the warning is raised, once)


def _spark_schema(schema: pa.Schema) -> Any:
    """The Spark schema of an Arrow schema (dictionary columns are plain strings)."""
    from pyspark.sql.types import (
        ByteType,
        DoubleType,
        FloatType,
        IntegerType,
        LongType,
        ShortType,
        StringType,
        StructField,
        StructType,
        TimestampType,
    )

    types: dict[str, Any] = {
        "int8": ByteType(),
        "int16": ShortType(),
        "int32": IntegerType(),
        "int64": LongType(),
        "float": FloatType(),
        "double": DoubleType(),
        "string": StringType(),
    }
    fields = []
    for field in schema:
        arrow_type = field.type
        if pa.types.is_dictionary(arrow_type):
            arrow_type = arrow_type.value_type
        if pa.types.is_timestamp(arrow_type):
            spark_type = TimestampType()
        else:
            spark_type = types[str(arrow_type)]
        fields.append(StructField(field.name, spark_type, True))
    return StructType(fields)
