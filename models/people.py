"""Who talks to the bot: registered users and the invite codes that register them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow
from models.catalogue import Office

ROLES = ("officer", "manager", "admin")


class User(Base):
    """A LINE user bound to a role and (for officers) an office."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    reminders_paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # set on unfollow (blocked or unfriended): no reminders or summaries until a follow clears it
    unfollowed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    office: Mapped[Office | None] = relationship()


class InviteCode(Base):
    """A single-use, expiring registration code. Only its hash is stored."""

    __tablename__ = "invite_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    office: Mapped[Office | None] = relationship()
