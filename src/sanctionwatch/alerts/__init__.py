"""Alerts: rules as data (``rules.toml``), evaluated over scores, links, encounters and
portfolio hits; stored deduplicated, one alert per rule and subject until its evidence
changes (``store.py``)."""
