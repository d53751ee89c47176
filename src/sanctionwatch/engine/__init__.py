"""Analytics engines over the AIS store: DuckDB by default; Spark (``spark.py``, the optional
extra ``[spark]``) to scale out.

Only this package imports an engine library. Each engine implements the
:class:`sanctionwatch.behaviour.run.SqlEngine` protocol (``query``, ``register_table``) over
the views ``positions`` and ``identity``, so the detectors never see which engine runs them.
"""
