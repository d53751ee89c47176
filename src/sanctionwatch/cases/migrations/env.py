"""Alembic's environment: always run programmatically by ``CasesDatabase.migrate`` with an
open connection (there is no alembic.ini). Batch mode lets SQLite alter tables by copying."""

from __future__ import annotations

from alembic import context

from sanctionwatch.cases.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
