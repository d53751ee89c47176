"""An index on the audit log's target: a case page reads the entries about its case (and
its alerts) on every view, which without it scans the whole log.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_entry_target", "audit_entry", ["target_kind", "target_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_entry_target", table_name="audit_entry")
