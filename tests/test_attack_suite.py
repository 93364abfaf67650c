"""Issue 14's standing attack suite: random sequences from several users of different offices and roles drive
the real webhook (the real SDK, the fake LINE platform on loopback, a real database), and after every step the
promises are checked.

Steps: reports (good, absurd, of another office), confirms, double taps, forged and replayed postbacks,
redeliveries, batches, unfollow/follow, corrections. Invariants: every stored value was confirmed by a user
allowed to act for its office, and is one a card showed them; every value is finite and its month real and
inside the window; no event is left without an outcome; no event is answered twice.

The example budget is small for CI; for a local soak set ATTACK_EXAMPLES (e.g. ATTACK_EXAMPLES=500
ATTACK_STEPS=40 .venv/bin/python -m pytest tests/test_attack_suite.py).
"""

from __future__ import annotations

import math
import os
import re
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import delete, func, select

from bot.db import transaction
from bot.dev import line_events
from handlers.domain import thai_format
from handlers.domain.indicators import periods_in_window
from models import ConversationState, InboundEvent, OutboundMessage, ReportValue, ReportVersion, ScheduledSend, User
from tests.chat import Chat, Exchange
from tests.conftest import MANAGER, OFFICER, OFFICER_KK, add_user

STRANGER = "U" + "5" * 32
USERS = (OFFICER, OFFICER_KK, MANAGER, STRANGER)
GROUP = "C" + "8" * 32
OWN = {OFFICER: "เชียงใหม่", OFFICER_KK: "ขอนแก่น"}
MONTHS = ("ต.ค. 66", "ม.ค. 67", "ก.พ. 67", "มี.ค. 67", "ก.ย. 66", "เดือน 13/67")
AMOUNTS = ("2.5 ล้านบาท", "0", "1e308 ล้านบาท", "9" * 60 + " บาท", "NaN ล้าน", "-3 ล้านบาท", "๑.๕ ล้านบาท",
           "2,000,000 ล้านบาท", "850 ล้านบาท")
FORGED = ("a=confirm&s=deadbeef", "a=set&s={nonce}&v=2024-00", "a=set&s={nonce}&v=99", "a=replace&s={nonce}",
          "a=add&s={nonce}", "a=void&id=1", "a=void&id=abc", "x" * 300, "a=confirm&s={nonce}&s=zz")
EXAMPLES = int(os.environ.get("ATTACK_EXAMPLES", "8"))
STEPS = int(os.environ.get("ATTACK_STEPS", "14"))
VALUE = re.compile(r"([0-9][0-9,]*(?:\.[0-9]+)?) ล้านบาท")


def reset(sessions) -> None:  # type: ignore[no-untyped-def]
    """A clean slate for each example: the same database, every mutable table emptied, the people again."""
    with transaction(sessions) as session:
        for model in (ReportVersion, ReportValue, ConversationState, ScheduledSend, OutboundMessage, InboundEvent,
                      User):
            session.execute(delete(model))
    for user, province in OWN.items():
        add_user(sessions, user, "officer", province)
    add_user(sessions, MANAGER, "manager")


def machine(chat: Chat, sessions: Any) -> type[RuleBasedStateMachine]:  # noqa: C901 - one class of rules
    class Attack(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            reset(sessions)
            chat.fake.clear()
            self.cards: dict[str, Exchange] = {}  # each user's latest answer with buttons
            self.shown: set[tuple[str, str]] = set()  # (user, value text) a confirm card showed that user
            self.sent: list[dict[str, Any]] = []  # every event posted, for redelivery

        def _post(self, user: str, events: list[dict[str, Any]], token: str | None) -> Exchange:
            self.sent += events
            chat.post(events)
            answer = Exchange(200)
            for event in events:  # every answer of a batch, in order
                answer = Exchange(200, chat.replies_for(event["replyToken"]) if event.get("replyToken") else [])
                if answer.actions:
                    self.cards[user] = answer
                if {"ยืนยัน", "แทนค่าเดิม", "ยืนยันค่านี้"} & set(answer.actions):  # a card that can store
                    self.shown.update((user, v) for v in VALUE.findall(answer.text))
            return answer

        def _text(self, user: str, text: str, group: str | None = None) -> Exchange:
            token = chat.fake.issue_reply_token(group or user)
            return self._post(user, [line_events.text_event(user, text, reply_token=token, group_id=group)], token)

        def _postback(self, user: str, data: str, group: str | None = None) -> Exchange:
            token = chat.fake.issue_reply_token(group or user)
            return self._post(user, [line_events.postback_event(user, data, reply_token=token, group_id=group)],
                              token)

        @rule(user=st.sampled_from(USERS), month=st.sampled_from(MONTHS), amount=st.sampled_from(AMOUNTS),
              project=st.sampled_from(("3", "1", "9", "")), province=st.sampled_from(("", "จ.ขอนแก่น ", "จ.ลำปาง ")),
              in_group=st.booleans())
        def report(self, user: str, month: str, amount: str, project: str, province: str, in_group: bool) -> None:
            words = f"{province}ยอดขาย {month} " + (f"โครงการ {project} " if project else "") + f"จำนวน {amount}"
            self._text(user, words, GROUP if in_group else None)

        @rule(user=st.sampled_from(USERS), month=st.sampled_from(MONTHS[:4]), project=st.sampled_from("1378"),
              amount=st.sampled_from(("2.5", "0", "1.25", "40")), twice=st.booleans(), correct=st.booleans())
        def confirmed_report(self, user: str, month: str, project: str, amount: str, twice: bool,
                             correct: bool) -> None:
            """A report and its ยืนยัน (double-tapped or not); with `correct`, a second figure for the same key
            and แทนค่าเดิม."""
            for figure in (amount, "3.75") if correct else (amount,):
                card = self._text(user, f"ยอดขาย {month} โครงการ {project} จำนวน {figure} ล้านบาท")
                for label in ("ยืนยัน", "แทนค่าเดิม", "ยืนยันค่านี้"):
                    if label in card.actions:
                        for _ in range(2 if twice else 1):
                            self._postback(user, card.actions[label])
                        break

        @rule(user=st.sampled_from(USERS), label=st.sampled_from(("ยืนยัน", "ยืนยันค่านี้", "แทนค่าเดิม", "ยกเลิก",
                                                                  "3", "ม.ค. 2567")),
              twice=st.booleans(), elsewhere=st.booleans())
        def tap(self, user: str, label: str, twice: bool, elsewhere: bool) -> None:
            card = self.cards.get(user)
            choice = next((v for k, v in (card.actions.items() if card else ()) if k == label or
                           k.startswith(f"{label}.")), None)
            if choice is None:
                return
            for _ in range(2 if twice else 1):  # a double tap
                if choice.startswith("a="):
                    self._postback(user, choice, GROUP if elsewhere else None)
                else:
                    self._text(user, choice, GROUP if elsewhere else None)

        @rule(user=st.sampled_from(USERS), victim=st.sampled_from(USERS), forged=st.sampled_from(FORGED))
        def forge(self, user: str, victim: str, forged: str) -> None:
            with sessions() as session:
                data = session.scalar(select(ConversationState.data).where(ConversationState.line_user_id == victim))
            nonce = str((data or {}).get("nonce", "")) if data else "0badc0de"  # the victim's live nonce
            self._postback(user, forged.replace("{nonce}", nonce))

        @rule(count=st.integers(min_value=1, max_value=3))
        def redeliver(self, count: int) -> None:
            for event in self.sent[-count:]:
                chat.post([dict(event, deliveryContext={"isRedelivery": True})])

        @rule(user=st.sampled_from(USERS), size=st.integers(min_value=2, max_value=6))
        def batch(self, user: str, size: int) -> None:
            tokens = [chat.fake.issue_reply_token(user) for _ in range(size)]
            events = [line_events.text_event(user, text, reply_token=t) for t, text in
                      zip(tokens, ("วิธีใช้", "ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 1.2 ล้านบาท", "ยืนยัน", "ประวัติ",
                                   "ความคืบหน้าเป้าหมาย 2.1", "ยกเลิก"), strict=False)]
            self._post(user, events, tokens[-1])

        @rule(user=st.sampled_from(USERS))
        def unfollow_and_follow(self, user: str) -> None:
            chat.post([line_events.unfollow_event(user)])
            self._post(user, [line_events.follow_event(user, reply_token=(t := chat.fake.issue_reply_token(user)))],
                       t)

        @invariant()
        def stored_values_were_confirmed_by_someone_allowed(self) -> None:
            with sessions() as session:
                for version in session.scalars(select(ReportVersion).where(ReportVersion.changed_by_id.is_not(None))):
                    report = version.report
                    user = session.get(User, version.changed_by_id)
                    assert user is not None and user.active
                    assert user.role != "officer" or user.office_id == report.office_id, (user.line_user_id,
                                                                                          report.office.code)
                    if version.action in ("create", "replace") and version.new_value is not None:
                        shown = thai_format.number(version.new_value)
                        assert (user.line_user_id, shown) in self.shown, (user.line_user_id, shown)

        @invariant()
        def every_value_is_finite_and_in_the_window(self) -> None:
            with sessions() as session:
                for report in session.scalars(select(ReportValue)):
                    assert math.isfinite(report.value) and report.value >= 0
                    assert thai_format.is_period(report.period)
                    assert report.period in periods_in_window(report.indicator), report.period

        @invariant()
        def every_event_has_an_outcome_and_one_answer(self) -> None:
            with sessions() as session:
                waiting = session.scalar(select(func.count()).select_from(InboundEvent).where(
                    InboundEvent.status == "received"))
                assert waiting == 0
                answered = session.execute(select(OutboundMessage.source_event_id, func.count()).where(
                    OutboundMessage.status == "sent", OutboundMessage.source_event_id.is_not(None),
                ).group_by(OutboundMessage.source_event_id).having(func.count() > 1)).all()
                assert answered == [], answered
            tokens = [(r.body or {}).get("replyToken") for r in chat.fake.requests
                      if r.path == "/v2/bot/message/reply" and r.status == 200]
            assert len(tokens) == len(set(tokens))  # no reply token answered twice

    return Attack


def test_random_sequences_keep_every_promise(chat, sessions, people):
    run_state_machine_as_test(machine(chat, sessions), settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, derandomize=not os.environ.get(
            "ATTACK_EXAMPLES"), suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
