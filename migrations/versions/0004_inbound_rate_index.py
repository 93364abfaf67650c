"""Index inbound events by user and time, for the per-user rate limit.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_inbound_events_user_received", "inbound_events", ["line_user_id", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_inbound_events_user_received", table_name="inbound_events")
