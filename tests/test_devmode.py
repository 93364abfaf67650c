"""Development mode: a generated secret, a local fake LINE platform, and /dev/say through the real webhook."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from bot import create_app
from bot.fake_line import FakeLinePlatform
from bot.serve import dev_settings
from bot.settings import Settings


def post_json(url: str, data: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(data).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {}


@pytest.fixture
def dev_server(database_url: str) -> Iterator[tuple[str, FakeLinePlatform]]:
    fake = FakeLinePlatform(validate=True).start()
    settings = Settings.from_env({"DATABASE_URL": database_url})
    assert settings.dev_mode
    settings = dev_settings(settings, fake.base_url)
    fake.access_token = settings.line_channel_access_token
    app = create_app(settings)
    app.extensions["fake_line"] = fake
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", fake
    finally:
        server.shutdown()
        app.extensions["bot"].gateway.close()
        fake.stop()
    assert fake.violations == []


def test_dev_say_goes_through_the_signed_webhook_and_returns_the_reply(dev_server):
    base, fake = dev_server
    status, answer = post_json(f"{base}/dev/say", {"user": "U" + "e" * 32, "text": "สวัสดี"})
    assert status == 200 and answer["status"] == 200
    assert "ลงทะเบียน" in answer["messages"][0]["text"]
    assert [r.path for r in fake.requests] == ["/v2/bot/message/reply"]


def test_dev_settings_generate_a_fresh_secret_each_start(database_url):
    base = Settings.from_env({"DATABASE_URL": database_url})
    first, second = dev_settings(base, "http://127.0.0.1:1"), dev_settings(base, "http://127.0.0.1:1")
    assert first.line_channel_secret and first.line_channel_secret != second.line_channel_secret


def test_dev_endpoint_does_not_exist_outside_development_mode(app):
    response = app.test_client().post("/dev/say", json={"text": "สวัสดี"})
    assert response.status_code == 404
