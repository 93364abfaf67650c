"""Open conversation steps, one row per LINE user, kept in the database with an expiry.

A step survives a restart. Each step carries a nonce that its buttons echo back, so a button from an
older card, or a second tap on the same one, cannot act twice. See handlers/report-conversation.mmd.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from models import ConversationState, User

DONE = "done"  # kept after a confirm so a late double tap is answered, not acted on


@dataclass(frozen=True)
class Step:
    """The open step of one user's conversation."""

    name: str  # e.g. confirm_report
    saved: dict[str, Any]
    expires_at: datetime

    @property
    def data(self) -> dict[str, Any]:
        """The step's saved data (a copy: changing it changes nothing stored)."""
        return dict(self.saved or {})

    @property
    def nonce(self) -> str:
        """The token the step's buttons carry."""
        return str((self.saved or {}).get("nonce", ""))

    def expired(self, now: datetime) -> bool:
        """True once the step has waited too long."""
        return self.expires_at <= now


# Plain columns, statements built once: a step is read and written for nearly every message, and ORM objects for
# one row cost more CPU than the SQL itself (bench/README.md, issue 15).
STATES = ConversationState.__table__
_BY_USER = STATES.c.line_user_id == bindparam("user")
_LOAD = select(STATES.c.step, STATES.c.data, STATES.c.expires_at).where(_BY_USER).with_for_update()
_EXISTS = select(STATES.c.id).where(_BY_USER)
_INSERT = insert(STATES).values(line_user_id=bindparam("user"))
_UPDATE = update(STATES).where(_BY_USER)
_DELETE = delete(STATES).where(_BY_USER)
_LOADED = "conversation_rows"  # session.info key: whether load() found a row, so save() and close() need not ask


_PRELOADED = "conversation_preloaded"  # session.info key: steps read along with their users (user_and_step)


def load(session: Session, line_user_id: str) -> Step | None:
    """The user's open step, locked for this transaction so two taps are handled one after the other (read already,
    the user's row locked, by user_and_step)."""
    preloaded = session.info.get(_PRELOADED, {})
    if line_user_id in preloaded:
        return preloaded.pop(line_user_id)
    row = session.execute(_LOAD, {"user": line_user_id}).first()
    session.info.setdefault(_LOADED, {})[line_user_id] = row is not None
    return Step(row.step, row.data, row.expires_at) if row is not None else None


# The sender and their step in one round trip, the user's row locked (two taps of one person are then handled one
# after the other, as by load()'s own lock): every event from a registered user asks both.
_USER_AND_STEP = select(User, STATES.c.step, STATES.c.data, STATES.c.expires_at).outerjoin(
    STATES, STATES.c.line_user_id == User.line_user_id).where(User.line_user_id == bindparam("user")).with_for_update(
    of=User)


def user_and_step(session: Session, line_user_id: str) -> User | None:
    """The sender's user (None for someone not registered), their open step kept for load()."""
    row = session.execute(_USER_AND_STEP, {"user": line_user_id}).first()
    if row is None:
        return None
    step = Step(row.step, row.data, row.expires_at) if row.step is not None else None
    session.info.setdefault(_LOADED, {})[line_user_id] = step is not None
    session.info.setdefault(_PRELOADED, {})[line_user_id] = step
    return row[0]


def forget(session: Session) -> None:
    """Forget what load() found: call before each event's handling (its savepoint may have been rolled back)."""
    session.info.pop(_LOADED, None)
    session.info.pop(_PRELOADED, None)


def _exists(session: Session, line_user_id: str) -> bool:
    known = session.info.get(_LOADED, {}).get(line_user_id)
    if known is not None:
        return bool(known)
    return session.execute(_EXISTS, {"user": line_user_id}).first() is not None


def save(session: Session, line_user_id: str, step: str, data: dict[str, Any], now: datetime,
         ttl: timedelta, *, chat: str | None = None) -> str:
    """Open (or replace) the user's step; returns the new nonce its buttons must carry. `chat` is where it was
    opened (a group, a room, or the 1:1 chat): the step belongs to that chat only (see `belongs`)."""
    nonce = secrets.token_hex(4)
    data = {**data, "nonce": nonce, **({"chat": chat} if chat else {})}
    values = {"user": line_user_id, "step": step, "data": data, "updated_at": now, "expires_at": now + ttl}
    if not _exists(session, line_user_id) or session.execute(_UPDATE, values).rowcount == 0:
        session.execute(_INSERT, values)
    session.info.setdefault(_LOADED, {})[line_user_id] = True
    return nonce


def close(session: Session, line_user_id: str, now: datetime, *, result: str | None = None,
          nonce: str | None = None) -> None:
    """End the step; with a result, remember it briefly so a repeated tap gets the same answer."""
    if not _exists(session, line_user_id):
        return
    if result is None:
        session.execute(_DELETE, {"user": line_user_id})
        session.info.setdefault(_LOADED, {})[line_user_id] = False
    else:
        session.execute(_UPDATE, {"user": line_user_id, "step": DONE, "data": {"nonce": nonce or "", "result": result},
                                  "updated_at": now, "expires_at": now + timedelta(hours=1)})


def belongs(step: Step, chat: str | None) -> bool:
    """True when the step was opened in this chat (a draft opened in a group is confirmed in that group)."""
    opened = step.data.get("chat")
    return opened is None or chat is None or opened == chat
