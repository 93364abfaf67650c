"""Who a scheduled push may go to: one rule for the reminders, the summaries and the due-date reminders."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import User


def reachable_users(session: Session, *where: Any) -> list[User]:
    """Active users who still take pushes: not paused (หยุดเตือน) and not gone (unfollowed or blocked the bot,
    until they follow again)."""
    return list(session.scalars(select(User).where(User.active.is_(True), User.reminders_paused.is_(False),
                                                   User.unfollowed_at.is_(None), *where)))
