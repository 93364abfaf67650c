"""What every handler receives: the event, the sender, the open session and the moment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.orm import Session

from handlers.domain import conversation
from handlers.domain.offices import office_for
from handlers.incoming import Incoming
from models import Office, User
from nlp import Parse


class Settings(Protocol):
    """What handlers read of the bot's settings (`bot.settings.Settings` has these and more)."""

    @property
    def timezone(self) -> str: ...

    @property
    def fixed_today(self) -> date | None: ...

    @property
    def draft_ttl_minutes(self) -> int: ...

    @property
    def implausible_factor(self) -> float: ...

    @property
    def public_base_url(self) -> str | None: ...

    @property
    def line_channel_secret(self) -> str | None: ...


@dataclass(frozen=True)
class Context:
    """Handlers read and write through `session` but never commit or roll back."""

    session: Session
    settings: Settings
    incoming: Incoming
    user: User | None
    now: datetime
    parsed: Parse | None = None  # how the text was understood (None for non-text events)
    postback: dict[str, str] = field(default_factory=dict)  # a postback's data, decoded

    @property
    def sender(self) -> str:
        """The sender's LINE user id, which keys their conversation state (dispatch guarantees one)."""
        assert self.incoming.line_user_id is not None
        return self.incoming.line_user_id

    def save_step(self, name: str, data: dict[str, Any], ttl: timedelta) -> str:
        """Open (or replace) the sender's step in this chat; returns the nonce its buttons carry."""
        return conversation.save(self.session, self.sender, name, data, self.now, ttl, chat=self.incoming.chat_id)

    def office_about(self, *, action: str, example: str) -> Office:
        """The office this message is about, which the sender may `action` (e.g. "ดูสรุป") for; else UserError."""
        assert self.user is not None
        named = self.parsed.province if self.parsed else None
        office = office_for(self.session, self.user, named, action=action, example=example)
        assert office is not None  # required=True: a refusal is raised, never None returned
        return office

    @property
    def registered(self) -> bool:
        """True when the sender is an active registered user."""
        return self.user is not None and self.user.active
