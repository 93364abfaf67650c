"""allocations: an office's own target for an indicator (and a DITP round's inputs), from `targets import`.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicators.id"], name=op.f("fk_allocations_indicator_id_indicators")),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"], name=op.f("fk_allocations_office_id_offices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocations")),
        sa.UniqueConstraint("office_id", "indicator_id", "round", name=op.f("uq_allocations_office_id")),
    )


def downgrade() -> None:
    op.drop_table("allocations")
