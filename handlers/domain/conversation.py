"""Open conversation steps, one row per LINE user, kept in the database with an expiry.

A step survives a restart. Each step carries a nonce that its buttons echo back, so a button from an
older card, or a second tap on the same one, cannot act twice. See handlers/report-conversation.mmd.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ConversationState

DONE = "done"  # kept after a confirm so a late double tap is answered, not acted on


@dataclass
class Step:
    """The open step of one user's conversation."""

    row: ConversationState

    @property
    def name(self) -> str:
        """The step's name, e.g. confirm_report."""
        return self.row.step

    @property
    def data(self) -> dict[str, Any]:
        """The step's saved data."""
        return dict(self.row.data or {})

    @property
    def nonce(self) -> str:
        """The token the step's buttons carry."""
        return str((self.row.data or {}).get("nonce", ""))

    def expired(self, now: datetime) -> bool:
        """True once the step has waited too long."""
        return self.row.expires_at <= now


def load(session: Session, line_user_id: str) -> Step | None:
    """The user's open step, locked for this transaction so two taps are handled one after the other."""
    row = session.scalars(select(ConversationState).where(ConversationState.line_user_id == line_user_id)
                          .with_for_update()).first()
    session.info.setdefault(_LOADED, {})[line_user_id] = row
    return Step(row) if row is not None else None


_LOADED = "conversation_rows"  # session.info key: rows load() read, so save() and close() need not ask again


def _row(session: Session, line_user_id: str) -> ConversationState | None:
    loaded = session.info.get(_LOADED, {})
    if line_user_id in loaded and (loaded[line_user_id] is None or loaded[line_user_id] in session):
        return loaded[line_user_id]
    return session.scalars(select(ConversationState).where(ConversationState.line_user_id == line_user_id)).first()


def save(session: Session, line_user_id: str, step: str, data: dict[str, Any], now: datetime,
         ttl: timedelta, *, chat: str | None = None) -> str:
    """Open (or replace) the user's step; returns the new nonce its buttons must carry. `chat` is where it was
    opened (a group, a room, or the 1:1 chat): the step belongs to that chat only (see `belongs`)."""
    nonce = secrets.token_hex(4)
    row = _row(session, line_user_id)
    if row is None:
        row = ConversationState(line_user_id=line_user_id, step=step)
        session.add(row)
        session.info.setdefault(_LOADED, {})[line_user_id] = row
    data = {**data, "nonce": nonce, **({"chat": chat} if chat else {})}
    row.step, row.data, row.updated_at, row.expires_at = step, data, now, now + ttl
    session.flush()
    return nonce


def close(session: Session, line_user_id: str, now: datetime, *, result: str | None = None,
          nonce: str | None = None) -> None:
    """End the step; with a result, remember it briefly so a repeated tap gets the same answer."""
    row = _row(session, line_user_id)
    if row is None:
        return
    if result is None:
        session.delete(row)
        session.info.setdefault(_LOADED, {})[line_user_id] = None
    else:
        row.step, row.data, row.updated_at = DONE, {"nonce": nonce or "", "result": result}, now
        row.expires_at = now + timedelta(hours=1)
    session.flush()


def belongs(step: Step, chat: str | None) -> bool:
    """True when the step was opened in this chat (a draft opened in a group is confirmed in that group)."""
    opened = step.data.get("chat")
    return opened is None or chat is None or opened == chat
