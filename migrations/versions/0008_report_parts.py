"""report_values.parts: the further figures of a KPI scored by criteria steps (KPI-6's registration share).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN (both databases have them): a batch copy of report_values would have to rebuild its
# expression index (coalesce(project_id, 0)), which SQLite reflection cannot read.
def upgrade() -> None:
    op.add_column("report_values", sa.Column("parts", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("report_values", "parts")
