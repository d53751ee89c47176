"""Behaviour detectors: positions in, the events a monitoring panel reports out.

Each detector is one module in ``detectors/`` holding its SQL (DuckDB dialect, run by any
engine that implements :class:`~sanctionwatch.behaviour.run.SqlEngine`) and the small
per-event enrichment done in Python (distance to shore, nearest watched port). Defaults
are the published Global Fishing Watch parameters, in ``params.toml``.
"""
