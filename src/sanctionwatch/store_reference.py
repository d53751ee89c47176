"""docs/store.md, generated from the table declarations so that it cannot drift.

Regenerate with ``python -m sanctionwatch.store_reference > docs/store.md``; a test checks
that the committed page equals this module's output.
"""

from __future__ import annotations

import sys

from sanctionwatch.ais.tables import CATALOG_TABLES, PositionRow
from sanctionwatch.alerts.tables import ALERT_TABLES
from sanctionwatch.behaviour.tables import EVENT_TABLES
from sanctionwatch.lists.tables import LIST_TABLES
from sanctionwatch.portfolio.tables import PORTFOLIO_TABLES
from sanctionwatch.risk.tables import RISK_TABLES
from sanctionwatch.tables import reference_markdown

ALL_TABLES = (
    *CATALOG_TABLES, PositionRow, *EVENT_TABLES, *LIST_TABLES, *RISK_TABLES, *ALERT_TABLES,
    *PORTFOLIO_TABLES,
)  # fmt: skip

INTRO = """\
Every table sanctionwatch stores under its home folder (`$SANCTIONWATCH_HOME`, else the
platform's user data folder), with each column's type, unit and meaning. Generated from the
declarations in `src/sanctionwatch/*/tables.py` by `python -m sanctionwatch.store_reference`:
do not edit by hand. Times are milliseconds since the Unix epoch, UTC, unless the unit says
otherwise; JSON columns hold text. "null: yes" marks a column that may be missing."""


def store_reference() -> str:
    return reference_markdown("Store reference", INTRO, ALL_TABLES)


if __name__ == "__main__":
    sys.stdout.write(store_reference())
