"""bot.dev.line_contract: LINE's schema (with discriminators followed) plus LINE's prose limits."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    DatetimePickerAction,
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexCarousel,
    FlexImage,
    FlexMessage,
    FlexSeparator,
    FlexText,
    ImageMessage,
    MessageAction,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
)

from bot.dev import line_events
from bot.dev.line_contract import sent_size, utf16_len, validate_outgoing, validate_webhook

USER = "U1234567890abcdef1234567890abcdef"
GROUP = "C1234567890abcdef1234567890abcdef"
TOKEN = "0f3779fba3b349968c5d07db31eab56f"


def reply(*messages: dict) -> dict:
    """A reply body around message dicts."""
    return {"replyToken": TOKEN, "messages": list(messages)}


def progress_bar(percent: int) -> FlexBox:
    """The notes' progress bar: an outer track box and an inner box whose width is the fill."""
    fill = FlexBox(layout="vertical", width=f"{percent}%", background_color="#06C755", height="6px", contents=[])
    return FlexBox(
        layout="vertical", background_color="#E0E0E0", height="6px", corner_radius="3px", contents=[fill]
    )


def bubble(text: str = "ยอดขายส่งออก ไตรมาส 2", size: str = "kilo", label: str = "รายงานผล") -> FlexBubble:
    """An SDK-built KPI bubble with a postback button."""
    return FlexBubble(
        size=size,
        hero=FlexImage(url="https://example.com/chart.png", size="full"),
        body=FlexBox(
            layout="vertical",
            spacing="sm",
            contents=[
                FlexText(text=text, weight="bold", wrap=True),
                FlexSeparator(),
                progress_bar(72),
            ],
        ),
        footer=FlexBox(
            layout="vertical",
            contents=[FlexButton(style="primary", action=PostbackAction(label=label, data="action=report&kpi=3"))],
        ),
    )


def flex(contents: FlexBubble | FlexCarousel, alt_text: str = "ความคืบหน้าตัวชี้วัด") -> dict:
    return FlexMessage(alt_text=alt_text, contents=contents).to_dict()


def quick_reply_text(text: str = "เลือกเดือน", labels: tuple[str, ...] = ("ต.ค.", "พ.ย.")) -> dict:
    items = [QuickReplyItem(action=PostbackAction(label=label, data=f"month={label}")) for label in labels]
    items.append(QuickReplyItem(action=MessageAction(label="ยกเลิก", text="ยกเลิก")))
    items.append(QuickReplyItem(action=DatetimePickerAction(label="เลือกวัน", data="pick=date", mode="date")))
    return TextMessage(text=text, quick_reply=QuickReply(items=items)).to_dict()


def assert_rejected(errors: list[str], expected: str) -> None:
    assert any(expected in error for error in errors), f"{expected!r} not in {errors}"


# --- valid payloads ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "body"),
    [
        ("reply", reply(quick_reply_text())),
        ("reply", reply(flex(bubble()))),
        ("reply", reply(flex(FlexCarousel(contents=[bubble() for _ in range(12)])))),
        ("reply", reply(TextMessage(text="ก" * 5000).to_dict())),
        ("reply", reply(TextMessage(text="😀" * 2500).to_dict())),
        ("reply", reply(flex(bubble(label="ป" * 40), alt_text="ข" * 1500))),
        ("reply", reply(*[TextMessage(text=str(i)).to_dict() for i in range(5)])),
        ("push", {"to": USER, "messages": [flex(bubble())]}),
        ("push", {"to": GROUP, "messages": [ImageMessage(
            original_content_url="https://example.com/a.jpg", preview_image_url="https://example.com/p.jpg"
        ).to_dict()]}),
        ("multicast", {"to": [f"U{i:032x}" for i in range(500)], "messages": [quick_reply_text()]}),
        ("loading", {"chatId": USER, "loadingSeconds": 60}),
        ("loading", {"chatId": USER}),
    ],
    ids=["text+quick-reply", "bubble", "carousel-12", "thai-5000", "emoji-2500", "labels-at-limit",
         "5-messages", "push", "image", "multicast-500", "loading-60", "loading-default"],
)
def test_sdk_built_payloads_pass(operation: str, body: dict) -> None:
    assert validate_outgoing(operation, body) == []


def test_thai_and_emoji_are_counted_in_utf16_units() -> None:
    assert utf16_len("สวัสดี") == 6
    assert utf16_len("😀") == 2
    # The SDK sends ensure_ascii JSON, so each Thai letter travels as a 6-byte \\uXXXX escape.
    assert sent_size({"t": "ก"}) == len('{"t":"\\u0e01"}')


# --- invalid payloads ----------------------------------------------------------------------------


def thai_bubble(chars: int) -> dict:
    return {"type": "bubble", "body": {"type": "box", "layout": "vertical",
                                       "contents": [{"type": "text", "text": "ก" * chars, "wrap": True}]}}


def big_bubble_body() -> dict:
    bubble_dict = thai_bubble(5100)
    # The failure must come from the escaped form: in UTF-8 the same bubble is about half as big.
    assert len(json.dumps(bubble_dict, ensure_ascii=False).encode("utf-8")) < 30_000 < sent_size(bubble_dict)
    return reply({"type": "flex", "altText": "ใหญ่", "contents": bubble_dict})


def quick_reply_items(count: int, label: str = "ตกลง") -> dict:
    items = [{"type": "action", "action": {"type": "message", "label": label, "text": "ok"}}] * count
    return {"type": "text", "text": "เลือก", "quickReply": {"items": items}}


def template_with_label(label: str) -> dict:
    template = {"type": "buttons", "text": "เลือก", "actions": [{"type": "message", "label": label, "text": "x"}]}
    return {"type": "template", "altText": "เลือก", "template": template}


BAD_CASES: list[tuple[str, str, Callable[[], dict], str]] = [
    ("flex-without-altText", "reply", lambda: reply({"type": "flex", "contents": flex(bubble())["contents"]}),
     "/messages/0: 'altText' is a required property"),
    ("container-bubblee", "reply", lambda: reply({"type": "flex", "altText": "x", "contents": {"type": "bubblee"}}),
     "/messages/0/contents/type: 'bubblee' is not one of ['bubble', 'carousel']"),
    ("box-without-layout", "reply",
     lambda: reply({"type": "flex", "altText": "x", "contents": {"type": "bubble", "body": {
         "type": "box", "contents": []}}}),
     "/messages/0/contents/body: 'layout' is a required property"),
    ("message-type-bogus", "push", lambda: {"to": USER, "messages": [{"type": "bogus"}]},
     "/messages/0/type: 'bogus' is not one of"),
    ("message-without-type", "push", lambda: {"to": USER, "messages": [{"text": "x"}]},
     "/messages/0: 'type' is a required property"),
    ("6-messages", "reply", lambda: reply(*[TextMessage(text="x").to_dict()] * 6),
     "/messages: too many items: 6, the maximum is 5"),
    ("text-5001", "reply", lambda: reply({"type": "text", "text": "ก" * 5001}),
     "/messages/0/text: too long: 5001 UTF-16 code units, the maximum is 5000"),
    ("emoji-2501", "reply", lambda: reply({"type": "text", "text": "😀" * 2501}),
     "/messages/0/text: too long: 5002 UTF-16 code units"),
    ("altText-1501", "reply", lambda: reply(flex(bubble(), alt_text="ข" * 1501)),
     "/messages/0/altText: too long: 1501"),
    ("14-quick-replies", "reply", lambda: reply(quick_reply_items(14)),
     "/messages/0/quickReply/items: too many items: 14, the maximum is 13"),
    ("quick-reply-label-21", "reply", lambda: reply(quick_reply_text(labels=("ม" * 21,))),
     "/messages/0/quickReply/items/0/action/label: too long: 21 UTF-16 code units, the maximum is 20"),
    ("quick-reply-without-label", "reply",
     lambda: reply({"type": "text", "text": "x", "quickReply": {"items": [
         {"type": "action", "action": {"type": "message", "text": "x"}}]}}),
     "/messages/0/quickReply/items/0/action: 'label' is a required property"),
    ("flex-button-label-41", "reply", lambda: reply(flex(bubble(label="ป" * 41))),
     "/messages/0/contents/footer/contents/0/action/label: too long: 41 UTF-16 code units, the maximum is 40"),
    ("flex-button-without-label", "reply",
     lambda: reply(flex(FlexBubble(body=FlexBox(layout="vertical", contents=[
         FlexButton(action=PostbackAction(data="a=1"))])))),
     "/messages/0/contents/body/contents/0/action: 'label' is a required property"),
    ("template-label-21", "reply", lambda: reply(template_with_label("ม" * 21)),
     "/messages/0/template/actions/0/label: too long: 21 UTF-16 code units, the maximum is 20"),
    # The SDK refuses to build this one (PostbackAction caps data), so it is written as a dict.
    ("postback-data-301", "reply", lambda: reply({"type": "flex", "altText": "x", "contents": {
        "type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "action": {"type": "postback", "label": "ok", "data": "d" * 301}}]}}}),
     "/messages/0/contents/body/contents/0/action/data: too long: 301 characters, the maximum is 300"),
    ("carousel-13", "reply", lambda: reply(flex(FlexCarousel(contents=[bubble() for _ in range(13)]))),
     "/messages/0/contents/contents: too many bubbles: 13, the maximum is 12"),
    ("carousel-mixed-sizes", "reply",
     lambda: reply(flex(FlexCarousel(contents=[bubble(size="kilo"), bubble(size="mega")]))),
     "bubbles in a carousel must share one size, got ['kilo', 'mega']"),
    ("bubble-over-30KB", "reply", big_bubble_body, "/messages/0/contents: bubble too large"),
    ("carousel-over-50KB", "reply",
     lambda: reply({"type": "flex", "altText": "x", "contents": {"type": "carousel", "contents": [
         thai_bubble(4500), thai_bubble(4500)]}}),
     "/messages/0/contents: carousel too large"),
    ("multicast-501", "multicast", lambda: {"to": [USER] * 501, "messages": [{"type": "text", "text": "x"}]},
     "/to: too many items: 501, the maximum is 500"),
    ("image-http", "push", lambda: {"to": USER, "messages": [{
        "type": "image", "originalContentUrl": "http://example.com/a.jpg",
        "previewImageUrl": "https://example.com/p.jpg"}]},
     "/messages/0/originalContentUrl: 'http://example.com/a.jpg' must be an https URL"),
    ("flex-hero-http", "reply", lambda: reply({"type": "flex", "altText": "x", "contents": {
        "type": "bubble", "hero": {"type": "image", "url": "http://example.com/a.png"}}}),
     "/messages/0/contents/hero/url: 'http://example.com/a.png' must be an https URL"),
    ("loading-not-multiple-of-5", "loading", lambda: {"chatId": USER, "loadingSeconds": 7},
     "/loadingSeconds: 7 is not a multiple of 5"),
    ("loading-over-60", "loading", lambda: {"chatId": USER, "loadingSeconds": 65},
     "/loadingSeconds: 65 is greater than the maximum of 60"),
    ("push-without-to", "push", lambda: {"messages": [{"type": "text", "text": "x"}]},
     "/: 'to' is a required property"),
]


@pytest.mark.parametrize(("operation", "make_body", "expected"), [c[1:] for c in BAD_CASES],
                         ids=[c[0] for c in BAD_CASES])
def test_bad_payloads_are_rejected_with_a_named_problem(
    operation: str, make_body: Callable[[], dict], expected: str
) -> None:
    assert_rejected(validate_outgoing(operation, make_body()), expected)


def test_each_problem_is_reported_once() -> None:
    errors = validate_outgoing("reply", reply({"type": "flex", "altText": "x", "contents": {
        "type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "action": {"type": "postback", "label": "ok", "data": 1}}]}}}))
    assert errors == ["/messages/0/contents/body/contents/0/action/data: 1 is not of type 'string'"]


def test_unknown_operation_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown operation"):
        validate_outgoing("broadcast", reply(quick_reply_text()))


# --- webhooks ------------------------------------------------------------------------------------


BUILDERS: dict[str, Callable[[], dict]] = {
    "text": lambda: line_events.text_event(USER, "ยอดส่งออกเดือนนี้", reply_token=TOKEN),
    "text-in-group": lambda: line_events.text_event(USER, "สรุป", reply_token=TOKEN, group_id=GROUP),
    "text-redelivered": lambda: line_events.text_event(
        USER, "x", reply_token=TOKEN, event_id=line_events.event_id(), timestamp_ms=1_714_500_000_000,
        redelivery=True),
    "follow": lambda: line_events.follow_event(USER, reply_token=TOKEN),
    "unfollow": lambda: line_events.unfollow_event(USER),
    "postback": lambda: line_events.postback_event(
        USER, "action=report", reply_token=TOKEN, params={"date": "2024-05-31"}),
    "sticker": lambda: line_events.sticker_event(USER, reply_token=TOKEN),
    "image": lambda: line_events.image_event(USER, reply_token=TOKEN, group_id=GROUP),
    "location": lambda: line_events.location_event(
        USER, 13.7563, 100.5018, reply_token=TOKEN, title="กระทรวงพาณิชย์", address="นนทบุรี"),
}


@pytest.mark.parametrize("build", BUILDERS.values(), ids=BUILDERS.keys())
def test_each_event_builder_validates_against_webhook_yml(build: Callable[[], dict]) -> None:
    body = json.loads(line_events.callback_body([build()]))
    assert validate_webhook(body) == []


def test_a_batch_and_the_verify_request_validate() -> None:
    events = [build() for build in BUILDERS.values()]
    assert validate_webhook(json.loads(line_events.callback_body(events))) == []
    assert validate_webhook(json.loads(line_events.callback_body([]))) == []


def test_webhook_without_delivery_context_is_rejected() -> None:
    event = line_events.text_event(USER, "x", reply_token=TOKEN)
    del event["deliveryContext"]
    assert_rejected(validate_webhook({"destination": line_events.DEFAULT_DESTINATION, "events": [event]}),
                    "/events/0: 'deliveryContext' is a required property")


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda e: e["message"].pop("quoteToken"), "/events/0/message: 'quoteToken' is a required property"),
        (lambda e: e.update(type="messagee"), "/events/0/type: 'messagee' is not one of"),
        (lambda e: e["source"].update(type="group"), "/events/0/source: 'groupId' is a required property"),
        (lambda e: e.update(mode="sleeping"), "/events/0/mode: 'sleeping' is not one of ['active', 'standby']"),
    ],
    ids=["text-without-quoteToken", "event-type", "group-without-groupId", "mode"],
)
def test_malformed_webhook_events_are_rejected(mutate: Callable[[dict], object], expected: str) -> None:
    event = line_events.text_event(USER, "x", reply_token=TOKEN)
    mutate(event)
    assert_rejected(validate_webhook({"destination": line_events.DEFAULT_DESTINATION, "events": [event]}), expected)


def test_bad_destination_is_rejected() -> None:
    assert_rejected(validate_webhook({"destination": "Uxyz", "events": []}), "/destination:")


def test_event_ids_are_unique_ulid_like_and_signatures_match_line() -> None:
    ids = {line_events.event_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 26 and i.isupper() and i.isalnum() for i in ids)
    # Expected values from `printf BODY | openssl dgst -sha256 -hmac SECRET -binary | base64`.
    assert line_events.sign("{}", "secret") == "dzJZAsrKgS3CWXM6rNBGtzgXNyx3e42VtAJkdHRRbhM="
    assert line_events.sign('{"a":"ไทย"}', "ความลับ") == "DTfC8uf/rlxpBZ1eb+m5qsHsyEpGltUsXFrP8v9MUGs="


def test_the_sdk_parser_accepts_signed_bodies() -> None:
    secret = "0123456789abcdef0123456789abcdef"
    events = [build() for build in BUILDERS.values()]
    body = line_events.callback_body(events)
    payload = WebhookParser(secret).parse(body, line_events.sign(body, secret), as_payload=True)
    assert payload.destination == line_events.DEFAULT_DESTINATION
    assert [e.webhook_event_id for e in payload.events] == [e["webhookEventId"] for e in events]
    assert payload.events[0].message.text == "ยอดส่งออกเดือนนี้"
    assert payload.events[2].delivery_context.is_redelivery is True
    assert payload.events[5].postback.params == {"date": "2024-05-31"}
    with pytest.raises(InvalidSignatureError):
        WebhookParser(secret).parse(body, line_events.sign(body, "another secret"))
