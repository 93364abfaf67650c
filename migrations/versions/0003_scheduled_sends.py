"""Scheduled sends (who got which reminder or summary) and the reminders_paused preference.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduled_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("outbound_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["outbound_id"], ["outbound_messages.id"],
                                name=op.f("fk_scheduled_sends_outbound_id_outbound_messages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_sends")),
        sa.UniqueConstraint("job", "key", "recipient", name=op.f("uq_scheduled_sends_job")),
    )
    op.create_index(op.f("ix_scheduled_sends_outbound_id"), "scheduled_sends", ["outbound_id"], unique=False)
    # Plain ADD COLUMN (no batch rebuild) keeps working on SQLite and PostgreSQL alike.
    op.add_column("users", sa.Column("reminders_paused", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("reminders_paused")
    op.drop_index(op.f("ix_scheduled_sends_outbound_id"), table_name="scheduled_sends")
    op.drop_table("scheduled_sends")
