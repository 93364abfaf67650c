"""Development mode: a generated secret, a local fake LINE platform, and /dev/* through the real webhook."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from bot import create_app
from bot.dev.devmode import persona_user_id
from bot.dev.fake_line import FakeLinePlatform
from bot.settings import Settings
from bot.web.serve import dev_settings
from models import InviteCode, User


@dataclass(frozen=True)
class DevServer:
    """A development-mode app served over HTTP on loopback, as `python -m bot serve` runs it."""

    base: str
    fake: FakeLinePlatform
    app: Flask


@contextmanager
def running_dev_server(database_url: str, **overrides: Any) -> Iterator[DevServer]:
    """Start the app in development mode on 127.0.0.1 (a thread), with the fake LINE platform as `serve` wires it."""
    fake = FakeLinePlatform(validate=True).start()
    settings = Settings.from_env({"DATABASE_URL": database_url}, **overrides)
    assert settings.dev_mode
    settings = dev_settings(settings, fake.base_url)
    fake.access_token = settings.line_channel_access_token
    app = create_app(settings)
    app.extensions["fake_line"] = fake
    # Threaded, because /dev/say and /dev/send post to this same server's /callback while they wait.
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield DevServer(f"http://127.0.0.1:{server.server_port}", fake, app)
    finally:
        server.shutdown()
        server.server_close()
        app.extensions["bot"].gateway.close()
        app.extensions["bot"].engine.dispose()
        fake.stop()


def post_json(url: str, data: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(data).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    return _open(request)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, ""


def _open(request: urllib.request.Request) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        body = exc.read()
        exc.close()
        return exc.code, json.loads(body) if body.startswith(b"{") else {}


@pytest.fixture
def dev_server(database_url: str) -> Iterator[DevServer]:
    with running_dev_server(database_url) as server:
        yield server
    assert server.fake.violations == []


def test_dev_say_goes_through_the_signed_webhook_and_returns_the_reply(dev_server):
    status, answer = post_json(f"{dev_server.base}/dev/say", {"user": "U" + "e" * 32, "text": "สวัสดี"})
    assert status == 200 and answer["status"] == 200
    assert "ลงทะเบียน" in answer["messages"][0]["text"]
    assert [r.path for r in dev_server.fake.requests] == ["/v2/bot/message/reply"]


def test_dev_send_posts_text_follow_and_postback_events(dev_server):
    user = "U" + "d" * 32
    status, follow = post_json(f"{dev_server.base}/dev/send", {"user": user, "follow": True})
    assert status == 200 and follow["status"] == 200 and "ลงทะเบียน" in follow["messages"][0]["text"]
    _, text = post_json(f"{dev_server.base}/dev/send", {"user": user, "text": "วิธีใช้"})
    assert "ยังไม่ได้ลงทะเบียน" in text["messages"][0]["text"]
    # A postback from an unregistered user still goes through the webhook and gets an answer.
    _, postback = post_json(f"{dev_server.base}/dev/send", {"user": user, "postback": "a=confirm&s=00000000"})
    assert postback["status"] == 200 and postback["messages"]
    assert [r.path for r in dev_server.fake.requests] == ["/v2/bot/message/reply"] * 3


def test_dev_send_answers_only_with_the_reply_to_its_own_event(dev_server):
    user = "U" + "d" * 32
    first = post_json(f"{dev_server.base}/dev/send", {"user": user, "text": "สวัสดี"})[1]["messages"]
    second = post_json(f"{dev_server.base}/dev/send", {"user": user, "follow": True})[1]["messages"]
    assert len(first) == len(second) == 1 and first != second


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"postback": ""}, {"follow": "yes"}, {"user": "U1"}])
def test_dev_send_rejects_a_request_without_an_event(dev_server, body):
    status, answer = post_json(f"{dev_server.base}/dev/send", body)
    assert status == 400 and "required" in answer["error"]
    assert dev_server.fake.requests == []


def test_dev_invite_makes_a_code_that_registers_through_the_chat(dev_server):
    status, invite = post_json(f"{dev_server.base}/dev/invite", {"role": "officer", "province": "เชียงใหม่"})
    assert status == 200
    user = persona_user_id("officer", "เชียงใหม่")
    assert json.loads(get(f"{dev_server.base}/dev/user?id={user}")[1]) == {"registered": False}
    _, answer = post_json(f"{dev_server.base}/dev/send", {"user": user, "text": f"ลงทะเบียน {invite['code']}"})
    assert "สำนักงานพาณิชย์จังหวัดเชียงใหม่" in answer["messages"][0]["text"]
    assert json.loads(get(f"{dev_server.base}/dev/user?id={user}")[1]) == {
        "registered": True, "role": "officer", "province": "เชียงใหม่"}
    with dev_server.app.extensions["bot"].sessions() as session:
        assert session.scalars(select(User.role).where(User.line_user_id == user)).one() == "officer"
        assert session.scalars(select(InviteCode.used_at)).one() is not None


@pytest.mark.parametrize(("body", "error"), [
    ({"role": "admin"}, "role must be one of officer, manager"),
    ({"role": "officer", "province": "แอตแลนติส"}, "unknown province"),
])
def test_dev_invite_refuses_other_roles_and_unknown_provinces(dev_server, body, error):
    status, answer = post_json(f"{dev_server.base}/dev/invite", body)
    assert status == 400 and error in answer["error"]


def test_dev_chat_page_lists_the_76_provinces_and_its_assets_offline(dev_server):
    status, page = get(f"{dev_server.base}/dev/chat")
    assert status == 200 and "เปิดแชต" in page
    assert page.count('data-user="U') == 76 + 2  # an officer per province, the manager, the unregistered user
    assert '<option value="เชียงใหม่" data-user="' + persona_user_id("officer", "เชียงใหม่") + '" selected>' in page
    for asset in ("chat.js", "flex.js", "chat.css"):
        assert f"/dev/static/{asset}" in page and get(f"{dev_server.base}/dev/static/{asset}")[0] == 200
    # No CDN, no web fonts: nothing on the page is fetched from another host.
    assert "http://" not in page.replace(dev_server.base, "") and "https://" not in page


def test_persona_ids_are_distinct_stable_and_line_shaped():
    ids = {persona_user_id("officer", "เชียงใหม่"), persona_user_id("officer", "ขอนแก่น"),
           persona_user_id("manager"), persona_user_id("guest")}
    assert len(ids) == 4 and persona_user_id("manager") == persona_user_id("manager")
    assert all(len(i) == 33 and i.startswith("U") and int(i[1:], 16) >= 0 for i in ids)


def test_dev_settings_generate_a_fresh_secret_each_start(database_url):
    base = Settings.from_env({"DATABASE_URL": database_url})
    first, second = dev_settings(base, "http://127.0.0.1:1"), dev_settings(base, "http://127.0.0.1:1")
    assert first.line_channel_secret and first.line_channel_secret != second.line_channel_secret


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/dev/say"), ("POST", "/dev/send"), ("POST", "/dev/invite"), ("GET", "/dev/user?id=U1"),
    ("GET", "/dev/chat"), ("GET", "/dev/static/chat.js"), ("GET", "/dev/static/flex.js"),
])
def test_dev_endpoints_do_not_exist_outside_development_mode(app, method, path):
    assert not app.extensions["bot"].settings.dev_mode
    response = app.test_client().open(path, method=method, json={"text": "สวัสดี", "role": "manager"})
    assert response.status_code == 404


def test_no_static_assets_outside_development_mode(app):
    client = app.test_client()
    assert client.get("/static/devchat/chat.js").status_code == 404
    assert client.get("/dev/static/chat.js").status_code == 404
