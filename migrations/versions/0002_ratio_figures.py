"""Keep both figures of a ratio KPI (numerator and denominator) on a report value.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


KEY_COLUMNS = ["office_id", "indicator_id", "period", sa.text("coalesce(project_id, 0)")]


def upgrade() -> None:
    # Plain ADD COLUMN works on SQLite and PostgreSQL; batch mode would rebuild the SQLite table and
    # silently lose the expression index, which SQLite cannot reflect.
    op.add_column("report_values", sa.Column("numerator", sa.Float(), nullable=True))
    op.add_column("report_values", sa.Column("denominator", sa.Float(), nullable=True))


def downgrade() -> None:
    # SQLite needs batch mode to drop columns; take the expression index out first and put it back after.
    op.drop_index("uq_report_values_key", table_name="report_values")
    with op.batch_alter_table("report_values", schema=None) as batch_op:
        batch_op.drop_column("denominator")
        batch_op.drop_column("numerator")
    op.create_index("uq_report_values_key", "report_values", KEY_COLUMNS, unique=True)
