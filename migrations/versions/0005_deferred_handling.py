"""Inbound events are recorded first and handled after LINE has its 200: keep what is needed to
handle one later (its payload), how often the outbox job tried, and an index to find unhandled ones.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("inbound_events", sa.Column("payload", sa.JSON(), nullable=True))
    op.add_column("inbound_events", sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_inbound_events_status_received", "inbound_events", ["status", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_inbound_events_status_received", table_name="inbound_events")
    with op.batch_alter_table("inbound_events", schema=None) as batch_op:
        batch_op.drop_column("attempts")
        batch_op.drop_column("payload")
