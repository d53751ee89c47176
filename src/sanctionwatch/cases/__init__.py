"""Cases for a team: accounts and roles, alert triage, cases with subjects, notes and
attachments, and the hash-chained audit log.

Only this package talks to the cases database (SQLAlchemy 2, schema by Alembic): SQLite in
WAL mode under the home by default, PostgreSQL when ``SANCTIONWATCH_DATABASE_URL`` is set.
Every function that changes state takes an open write transaction (``CasesDatabase.begin``)
and appends its audit entry in that same transaction, so no change commits without its entry.
"""
