"""bot.dev.fake_line driven by the real line-bot-sdk client over HTTP, as the bot will use it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    ApiResponse,
    Configuration,
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexCarousel,
    FlexMessage,
    MessagingApi,
    MulticastRequest,
    PostbackAction,
    PushMessageRequest,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
    TextMessage,
)
from linebot.v3.messaging.exceptions import ServiceException, UnauthorizedException
from urllib3.exceptions import MaxRetryError, ReadTimeoutError

from bot.dev.fake_line import FakeLinePlatform

ACCESS_TOKEN = "test-channel-access-token"
USER = "U1234567890abcdef1234567890abcdef"
GROUP = "C1234567890abcdef1234567890abcdef"
PUSH = "/v2/bot/message/push"
# (connect, read) seconds: short, so a delayed answer times out quickly.
SHORT = (1, 0.3)


@pytest.fixture
def fake() -> Iterator[FakeLinePlatform]:
    with FakeLinePlatform(access_token=ACCESS_TOKEN) as platform:
        yield platform


def client_for(fake: FakeLinePlatform, token: str = ACCESS_TOKEN, retries: object = None) -> ApiClient:
    cfg = Configuration(host=fake.base_url, access_token=token)
    # Read by ApiClient() when it builds its urllib3 PoolManager, so it must be set before that.
    cfg.retries = retries
    return ApiClient(cfg)


@pytest.fixture
def api(fake: FakeLinePlatform) -> Iterator[MessagingApi]:
    with client_for(fake) as client:
        yield MessagingApi(client)
        # ApiClient.close() leaves urllib3's sockets open; close them so no ResourceWarning escapes.
        client.rest_client.pool_manager.clear()


def text(body: str = "สวัสดี") -> TextMessage:
    return TextMessage(text=body)


def push(api: MessagingApi, to: str = USER, key: str | None = None, **kwargs: Any) -> ApiResponse:
    request = PushMessageRequest(to=to, messages=[text()])
    return api.push_message_with_http_info(request, x_line_retry_key=key, **kwargs)


def raw(method: str, url: str, headers: dict[str, str] | None = None, **kwargs: Any) -> urllib3.BaseHTTPResponse:
    """Send a request the SDK would not build, on a pool that is closed afterwards."""
    with urllib3.PoolManager() as pool:
        return pool.request(method, url, headers={"Authorization": f"Bearer {ACCESS_TOKEN}", **(headers or {})},
                            **kwargs)


def error_message(exc: ApiException) -> str:
    return json.loads(exc.body)["message"]


def test_reply_with_an_issued_token_delivers_once(fake: FakeLinePlatform, api: MessagingApi) -> None:
    token = fake.issue_reply_token(USER)
    request = ReplyMessageRequest(reply_token=token, messages=[text("รับทราบ")])

    answer = api.reply_message_with_http_info(request)

    assert answer.status_code == 200
    assert answer.headers["x-line-request-id"]
    assert len(answer.data.sent_messages) == 1
    assert fake.messages_to(USER) == [{"type": "text", "text": "รับทราบ"}]
    assert fake.delivered() == [("reply", token, {"type": "text", "text": "รับทราบ"})]
    with pytest.raises(ApiException) as second:
        api.reply_message(request)
    assert second.value.status == 400
    assert error_message(second.value) == "Invalid reply token"
    assert second.value.headers["x-line-request-id"]
    assert len(fake.messages_to(USER)) == 1


@pytest.mark.parametrize("token", ["expired", "never-issued"])
def test_expired_or_unknown_reply_tokens_are_refused(fake: FakeLinePlatform, api: MessagingApi, token: str) -> None:
    if token == "expired":
        token = fake.issue_reply_token(GROUP)
        fake.expire_reply_token(token)
    with pytest.raises(ApiException) as refused:
        api.reply_message(ReplyMessageRequest(reply_token=token, messages=[text()]))
    assert (refused.value.status, error_message(refused.value)) == (400, "Invalid reply token")
    assert fake.delivered() == []


def test_a_group_reply_token_delivers_to_the_group(fake: FakeLinePlatform, api: MessagingApi) -> None:
    api.reply_message(ReplyMessageRequest(reply_token=fake.issue_reply_token(GROUP), messages=[text("ทุกคน")]))
    assert fake.messages_to(GROUP) == [{"type": "text", "text": "ทุกคน"}]
    assert fake.messages_to(USER) == []


def test_push_with_a_retry_key_delivers_once_and_the_repeat_gets_409(
    fake: FakeLinePlatform, api: MessagingApi
) -> None:
    key = str(uuid.uuid4())
    first = push(api, key=key)

    with pytest.raises(ApiException) as repeat:
        push(api, key=key)

    assert first.status_code == 200
    assert repeat.value.status == 409
    assert error_message(repeat.value) == "The retry key is already accepted"
    assert repeat.value.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    assert json.loads(repeat.value.body)["sentMessages"] == [m.to_dict() for m in first.data.sent_messages]
    assert len(fake.messages_to(USER)) == 1
    assert fake.requests[0].headers["x-line-retry-key"] == key
    assert fake.requests[0].headers["authorization"] == f"Bearer {ACCESS_TOKEN}"


def test_a_retry_key_that_is_not_a_uuid_is_refused(fake: FakeLinePlatform, api: MessagingApi) -> None:
    with pytest.raises(ApiException) as refused:
        push(api, key="retry-1")
    assert refused.value.status == 400
    assert fake.delivered() == []


def test_injected_429_and_500_surface_as_sdk_exceptions_then_calls_succeed(
    fake: FakeLinePlatform, api: MessagingApi
) -> None:
    key = str(uuid.uuid4())
    fake.fail_next(PUSH, 429, "Too Many Requests")
    fake.fail_next(PUSH, 500, times=2, details=[{"message": "try later"}])

    with pytest.raises(ApiException) as rate_limited:
        push(api, key=key)
    for _ in range(2):
        with pytest.raises(ServiceException) as server_error:
            push(api, key=key)

    assert (rate_limited.value.status, error_message(rate_limited.value)) == (429, "Too Many Requests")
    assert not isinstance(rate_limited.value, ServiceException)
    assert server_error.value.status == 500
    assert json.loads(server_error.value.body) == {"message": "Internal Server Error",
                                                   "details": [{"message": "try later"}]}
    # Failed requests did not consume the key, so the same key now goes through.
    assert push(api, key=key).status_code == 200
    assert [r.status for r in fake.requests] == [429, 500, 500, 200]
    assert len(fake.messages_to(USER)) == 1


def test_a_slow_answer_times_out_but_was_processed_so_the_retry_gets_409(
    fake: FakeLinePlatform, api: MessagingApi
) -> None:
    key = str(uuid.uuid4())
    fake.delay_next(PUSH, 2.0)

    # POST is not in urllib3's retryable methods, so the SDK lets the bare ReadTimeoutError through.
    with pytest.raises(ReadTimeoutError):
        push(api, key=key, _request_timeout=SHORT)
    with pytest.raises(ApiException) as retry:
        push(api, key=key, _request_timeout=SHORT)

    assert retry.value.status == 409
    assert [r.status for r in fake.requests] == [200, 409]
    assert len(fake.messages_to(USER)) == 1


def test_sdk_default_retries_repeat_a_timed_out_get_and_retries_false_does_not(fake: FakeLinePlatform) -> None:
    path = f"/v2/bot/profile/{USER}"
    fake.delay_next(path, 2.0, times=10)

    # Configuration.retries=None leaves urllib3's Retry(3): a GET that times out is sent 4 times.
    with client_for(fake) as client, pytest.raises(MaxRetryError) as wrapped:
        MessagingApi(client).get_profile(USER, _request_timeout=SHORT)
    client.rest_client.pool_manager.clear()
    assert isinstance(wrapped.value.reason, ReadTimeoutError)
    assert len(fake.requests) == 4

    fake.clear()
    fake.delay_next(path, 2.0)
    with client_for(fake, retries=False) as client, pytest.raises(ReadTimeoutError):
        MessagingApi(client).get_profile(USER, _request_timeout=SHORT)
    client.rest_client.pool_manager.clear()
    assert len(fake.requests) == 1


def test_sdk_accepted_but_line_invalid_flex_is_answered_400_and_recorded(
    fake: FakeLinePlatform, api: MessagingApi
) -> None:
    bubble = FlexBubble(body=FlexBox(layout="vertical", contents=[
        FlexButton(action=PostbackAction(label="ป" * 41, data="a=1"))]))
    message = FlexMessage(alt_text="ตัวชี้วัด", contents=FlexCarousel(contents=[bubble] * 13))

    with pytest.raises(ApiException) as refused:
        api.push_message(PushMessageRequest(to=USER, messages=[message]))

    body = json.loads(refused.value.body)
    assert refused.value.status == 400
    assert body["message"] == "A message (messages[0]) in the request body is invalid"
    assert {"message": "too many bubbles: 13, the maximum is 12", "property": "/messages/0/contents/contents"} \
        in body["details"]
    assert f"{PUSH} /messages/0/contents/contents: too many bubbles: 13, the maximum is 12" in fake.violations
    assert fake.requests[0].status == 400
    assert fake.delivered() == []
    assert fake.violations == [f"{PUSH} {d['property']}: {d['message']}" for d in body["details"]]


def test_raw_schema_violations_are_caught_too(fake: FakeLinePlatform) -> None:
    # The SDK would not build a Flex message without altText, so send the JSON as a buggy client would.
    answer = raw("POST", f"{fake.base_url}{PUSH}", json={"to": USER, "messages": [{"type": "flex", "contents": {
        "type": "bubble"}}]})
    assert answer.status == 400
    assert answer.json()["details"] == [{"message": "'altText' is a required property", "property": "/messages/0"}]
    not_json = raw("POST", f"{fake.base_url}{PUSH}", body=b"to=U1", headers={"Content-Type": "text/plain"})
    assert not_json.status == 400
    assert fake.delivered() == []


def test_without_validation_anything_goes() -> None:
    with FakeLinePlatform(validate=False) as lax, client_for(lax) as client:
        MessagingApi(client).push_message(PushMessageRequest(to=USER, messages=[text("x" * 6000)]))
        client.rest_client.pool_manager.clear()
        assert lax.violations == []
        assert len(lax.messages_to(USER)) == 1


def test_multicast_delivers_to_each_recipient_and_counts_each(fake: FakeLinePlatform, api: MessagingApi) -> None:
    ids = [f"U{i:032x}" for i in range(3)]

    answer = api.multicast_with_http_info(MulticastRequest(to=ids, messages=[text("เตือนส่งรายงาน")]),
                                          x_line_retry_key=str(uuid.uuid4()))

    assert answer.status_code == 200
    for user in ids:
        assert fake.messages_to(user) == [{"type": "text", "text": "เตือนส่งรายงาน"}]
    assert [(kind, to) for kind, to, _ in fake.delivered()] == [("multicast", user) for user in ids]
    assert api.get_message_quota_consumption().total_usage == 3


def test_a_wrong_bearer_token_gets_401(fake: FakeLinePlatform) -> None:
    with client_for(fake, token="stolen") as client, pytest.raises(UnauthorizedException) as refused:
        MessagingApi(client).push_message(PushMessageRequest(to=USER, messages=[text()]))
    client.rest_client.pool_manager.clear()
    assert refused.value.status == 401
    assert fake.delivered() == []


def test_quota_exhaustion_gives_the_monthly_limit_429(fake: FakeLinePlatform, api: MessagingApi) -> None:
    fake.set_quota(3)
    push(api)
    api.multicast(MulticastRequest(to=[USER, "U" + "0" * 32], messages=[text()]))

    with pytest.raises(ApiException) as exhausted:
        push(api)

    assert (exhausted.value.status, error_message(exhausted.value)) == (429, "You have reached your monthly limit.")
    quota = api.get_message_quota()
    assert (quota.type, quota.value) == ("limited", 3)
    assert api.get_message_quota_consumption().total_usage == 3
    # Replies are free, so they still go through.
    api.reply_message(ReplyMessageRequest(reply_token=fake.issue_reply_token(USER), messages=[text()]))
    assert len(fake.messages_to(USER)) == 3


def test_loading_animation_profile_and_unknown_paths(fake: FakeLinePlatform, api: MessagingApi) -> None:
    loading = api.show_loading_animation_with_http_info(ShowLoadingAnimationRequest(chat_id=USER, loading_seconds=20))
    with pytest.raises(ApiException) as odd_seconds:
        api.show_loading_animation(ShowLoadingAnimationRequest(chat_id=USER, loading_seconds=7))
    fake.set_profile("U2", "สมชาย")
    missing = raw("GET", f"{fake.base_url}/v2/bot/nothing")

    assert loading.status_code == 202
    assert odd_seconds.value.status == 400
    assert api.get_profile(USER).display_name == "ผู้ใช้ทดสอบ"
    assert api.get_profile("U2").display_name == "สมชาย"
    assert missing.status == 404
    assert missing.headers["x-line-request-id"]
    assert [(r.method, r.path, r.status) for r in fake.requests] == [
        ("POST", "/v2/bot/chat/loading/start", 202),
        ("POST", "/v2/bot/chat/loading/start", 400),
        ("GET", "/v2/bot/nothing", 404),
        ("GET", f"/v2/bot/profile/{USER}", 200),
        ("GET", "/v2/bot/profile/U2", 200),
    ]
    assert fake.requests[0].body == {"chatId": USER, "loadingSeconds": 20}
    assert fake.requests[0].headers["user-agent"].startswith("line-bot-sdk-python/")


def test_clear_forgets_everything_recorded(fake: FakeLinePlatform, api: MessagingApi) -> None:
    push(api)
    fake.clear()
    assert (fake.requests, fake.delivered(), fake.violations) == ([], [], [])
    assert api.get_message_quota_consumption().total_usage == 0


def test_base_url_needs_a_running_server() -> None:
    platform = FakeLinePlatform()
    with pytest.raises(RuntimeError):
        _ = platform.base_url
    assert platform.start().base_url.startswith("http://127.0.0.1:")
    assert not platform.base_url.endswith("/")
    platform.stop()
    platform.stop()  # stopping twice is harmless
