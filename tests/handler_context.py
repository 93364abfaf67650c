"""Handler tests without HTTP: one real session, and the Incoming and Context dispatch would build.

`context()` mirrors `handlers.dispatch.dispatch`: the sender's User row, the catalogue copy's office put into the
session, the text parsed with `nlp.parse(text, local_today(settings, now))`, the postback data decoded. The test
then calls a handler function itself. Nothing is committed: the `session` fixture of each test file rolls back.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.settings import Settings
from handlers import steps
from handlers.context import Context
from handlers.domain import catalogue_cache, conversation
from handlers.domain.clock import local_today
from handlers.domain.reports import Draft, store
from handlers.incoming import Incoming
from handlers.present.replies import Reply
from models import Office, ReportValue, User
from nlp import parse
from tests.chat import Exchange, _flex_texts
from tests.conftest import TODAY

NOW = datetime(2024, 2, 15, 3, 0, tzinfo=UTC)  # 10:00 in Bangkok on TODAY
SETTINGS = Settings(line_channel_secret="test-channel-secret", fixed_today=TODAY)

OFFICER = "U" + "1" * 31 + "a"  # an officer of สพจ.เชียงใหม่
OFFICER_KK = "U" + "1" * 31 + "b"  # an officer of สพจ.ขอนแก่น
MANAGER = "U" + "1" * 31 + "c"
STRANGER = "U" + "1" * 31 + "d"  # no User row

_event_ids = itertools.count(1)


def office(session: Session, province_or_code: str) -> Office:
    """An office by its Thai province name or its code (e.g. สค.)."""
    return session.scalars(select(Office).where(
        (Office.province_th == province_or_code) | (Office.code == province_or_code))).one()


def person(session: Session, line_user_id: str, role: str, where: str | None = None) -> User:
    """Register a user in the test's session (an office by province or unit code, or none)."""
    user = User(line_user_id=line_user_id, role=role, office_id=office(session, where).id if where else None,
                active=True)
    session.add(user)
    session.flush()
    return user


def people(session: Session) -> None:
    """Two officers (เชียงใหม่, ขอนแก่น) and a manager, as in tests/conftest.py."""
    person(session, OFFICER, "officer", "เชียงใหม่")
    person(session, OFFICER_KK, "officer", "ขอนแก่น")
    person(session, MANAGER, "manager")


def context(session: Session, line_user_id: str | None, text: str | None = None, *, kind: str | None = None,
            postback: str | None = None, now: datetime = NOW, settings: Settings = SETTINGS) -> Context:
    """An Incoming from `line_user_id` (text, postback or another kind) and the Context dispatch builds for it."""
    kind = kind or ("postback" if postback is not None else "text")
    incoming = Incoming(event_id=f"ev-{next(_event_ids)}", kind=kind, line_user_id=line_user_id,
                        chat_id=line_user_id, occurred_at=now, reply_token="reply-token", text=text,
                        postback_data=postback)
    user = None
    if line_user_id:
        user = session.scalars(select(User).where(User.line_user_id == line_user_id)).first()
        shared = catalogue_cache.of(session)
        if user is not None and user.office_id is not None and shared is not None:
            shared.office(session, user.office_id)
    parsed = parse(text, local_today(settings, now)) if kind == "text" and text else None
    return Context(session=session, settings=settings, incoming=incoming, user=user, now=now, parsed=parsed,
                   postback=dict(parse_qsl(postback or "", keep_blank_values=True)))


def answer(session: Session, line_user_id: str, text: str | None = None, *, postback: str | None = None,
           now: datetime = NOW, settings: Settings = SETTINGS) -> Reply | None:
    """The open step's answer to a message, as dispatch asks `steps.handle` first (None: not an answer)."""
    step = conversation.load(session, line_user_id)
    assert step is not None, "no open step"
    return steps.handle(context(session, line_user_id, text, postback=postback, now=now, settings=settings), step)


def tap(session: Session, line_user_id: str, reply: Reply, label: str, *, now: datetime = NOW) -> Reply | None:
    """Tap the chip or button labelled `label` of an earlier reply: its postback, or the text it sends."""
    data = Seen(reply).choices[label]
    if data.startswith("a="):
        return answer(session, line_user_id, postback=data, now=now)
    return answer(session, line_user_id, data, now=now)


def put(session: Session, where: str, indicator: str, period: str, value: float, *, project: int | None = None,
        respondents: int | None = None) -> ReportValue:
    """Store one value through the domain, as a confirmed report would."""
    draft = Draft(indicator=indicator, value=value, period=period, office_id=office(session, where).id,
                  project=project, respondents=respondents)
    stored_now = store(session, draft, None, mode="new", now=NOW, source_message="test", source_event_id=None)
    report = session.get(ReportValue, stored_now.report_id)
    assert report is not None
    return report


def stored(session: Session) -> list[tuple[Any, ...]]:
    """(province or unit, indicator, project, period, value, respondents, status, version) of every value."""
    session.flush()
    rows = session.scalars(select(ReportValue).order_by(ReportValue.id)).all()
    return [(r.office.province_th or r.office.code, r.indicator.code, r.project.number if r.project else None,
             r.period, round(r.value, 6), r.respondents, r.status, r.version) for r in rows]


class Seen(Exchange):
    """What a user sees of a Reply, read the way the transcript tests read what LINE received."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(status=200, messages=list(reply.messages))
        self.reply = reply

    @property
    def choices(self) -> dict[str, str]:
        """Quick-reply chips and Flex buttons by label → postback data or the text they send."""
        return self.actions

    @property
    def quick_labels(self) -> list[str]:
        """The quick-reply chips under the last message, in order."""
        items = (self.reply.messages[-1].get("quickReply") or {}).get("items", [])
        return [item["action"]["label"] for item in items]

    def bubbles(self, index: int = 0) -> list[dict[str, Any]]:
        """The bubbles of a Flex message (one, or a carousel's)."""
        contents = self.reply.messages[index]["contents"]
        return contents["contents"] if contents["type"] == "carousel" else [contents]


def bubble_text(bubble: dict[str, Any]) -> str:
    """Every text component of one bubble, joined."""
    return "\n".join(_flex_texts(bubble))
