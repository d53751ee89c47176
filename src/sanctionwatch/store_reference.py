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


CASES_INTRO = """\
The team's cases database: `cases.sqlite` under the home, or the PostgreSQL database named by
`SANCTIONWATCH_DATABASE_URL` (docs/team-setup.md). Declared in `src/sanctionwatch/cases/models.py`,
created and upgraded by the Alembic migrations beside it. Times are milliseconds since the Unix
epoch, UTC; JSON columns hold text."""


def cases_reference() -> str:
    """The cases database's tables, from the SQLAlchemy declarations."""
    from sanctionwatch.cases.models import Base

    out = ["", "# The cases database", "", CASES_INTRO, ""]
    docs = {m.class_.__tablename__: m.class_.__doc__ or "" for m in Base.registry.mappers}
    for name, table in sorted(Base.metadata.tables.items()):
        doc = " ".join(docs.get(name, "").split())
        out += [f"## `{table.name}`", ""] + ([doc, ""] if doc else [])
        keys = [c.name for c in table.primary_key.columns]
        out.append(f"- primary key ({', '.join(keys)})")
        out += ["", "| column | type | null | references |", "|---" * 4 + "|"]
        for column in table.columns:
            null = "yes" if column.nullable else ""
            refs = ", ".join(f"`{fk.target_fullname}`" for fk in column.foreign_keys)
            out.append(f"| `{column.name}` | {column.type} | {null} | {refs} |")
        out.append("")
    return "\n".join(out)


def store_reference() -> str:
    return reference_markdown("Store reference", INTRO, ALL_TABLES) + cases_reference()


if __name__ == "__main__":
    sys.stdout.write(store_reference())
