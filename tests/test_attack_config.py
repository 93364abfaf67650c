"""Issue 14, fail-open configuration (item 13): half a LINE channel refuses to start, development routes never
exist next to a real channel secret, and an over-long id costs only its own event."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import create_app
from bot.dev import line_events
from bot.settings import Settings, SettingsError
from models import InboundEvent
from tests.conftest import OFFICER

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("env", [
    {"LINE_CHANNEL_SECRET": "real-secret", "LINE_CHANNEL_TOKEN": "misspelt"},
    {"LINE_CHANNEL_ACCESS_TOKEN": "real-token"},
])
def test_half_a_line_channel_refuses_to_start(env):
    with pytest.raises(SettingsError, match="is set but .* is not \\(check its spelling\\)"):
        Settings.from_env(env)


def test_gunicorn_entry_point_refuses_half_a_channel(tmp_path):
    """What `gunicorn 'bot:create_app()'` runs, with BOT_ENV unset and the token's name misspelt."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "BOT_"))}
    env.update(LINE_CHANNEL_SECRET="real-secret", LINE_CHANNEL_TOKEN="misspelt", PYTHAINLP_OFFLINE="1",
               DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
    run = subprocess.run([sys.executable, "-c", "from bot import create_app; create_app()"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "LINE_CHANNEL_SECRET is set but LINE_CHANNEL_ACCESS_TOKEN is not" in run.stderr


@pytest.mark.parametrize("path", ["/dev/invite", "/dev/user?id=U1", "/dev/chat"])
def test_no_development_route_next_to_a_real_channel(database_url, path):
    settings = Settings.from_env({"LINE_CHANNEL_SECRET": "real-secret", "LINE_CHANNEL_ACCESS_TOKEN": "real-token",
                                  "DATABASE_URL": database_url})
    assert not settings.dev_mode and not settings.production  # BOT_ENV unset
    client = create_app(settings).test_client()
    assert client.post(path, json={"role": "manager"}).status_code == 404
    assert client.get(path).status_code == 404


@pytest.mark.usefixtures("people")
def test_an_over_long_id_costs_only_its_own_event(chat, sessions, fake_line):
    token = fake_line.issue_reply_token(OFFICER)
    good = line_events.text_event(OFFICER, "วิธีใช้", reply_token=token)
    long_user = line_events.text_event("U" + "f" * 200, "วิธีใช้", reply_token=fake_line.issue_reply_token(OFFICER))
    long_id = line_events.text_event(OFFICER, "วิธีใช้", reply_token=fake_line.issue_reply_token(OFFICER),
                                     event_id="0" * 300)
    assert chat.post([long_user, long_id, good]) == 200
    assert "วิธีใช้งาน" in str(chat.replies_for(token))
    with sessions() as session:
        assert session.scalars(select(InboundEvent.webhook_event_id)).all() == [good["webhookEventId"]]


def test_a_database_that_is_down_shows_in_healthz_and_as_an_alert_line(database_url, caplog):
    """Item 12: while the database is down, webhooks are 500s that only LINE's redelivery brings back, so the
    failing health check must stand out in the logs."""
    import logging

    settings = Settings.from_env({"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t",
                                  "DATABASE_URL": "postgresql+psycopg://bot@127.0.0.1:9/stopped"})
    client = create_app(settings).test_client()
    caplog.set_level(logging.WARNING)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["database"] == "unreachable"
    [alert] = [r for r in caplog.records if r.getMessage().startswith("ALERT health check failed")]
    assert alert.levelno == logging.ERROR


@pytest.mark.parametrize("secret", [" ", "real-secret\n", " real-secret"])
def test_a_blank_or_padded_secret_refuses_to_start(secret):
    """The attacker's break 6: ' ' let anyone sign webhooks; 'secret\\n' refused every real one while /healthz said
    ok."""
    with pytest.raises(SettingsError, match="LINE_CHANNEL_SECRET is blank or has spaces"):
        Settings.from_env({"LINE_CHANNEL_SECRET": secret, "LINE_CHANNEL_ACCESS_TOKEN": "token"})


def test_platform_database_urls_and_retention_are_checked():
    base = {"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t"}
    url = Settings.from_env({**base, "DATABASE_URL": "postgres://bot:pw@db.example/kpi"}).database_url
    assert url == "postgresql+psycopg://bot:pw@db.example/kpi"  # the form Heroku-style platforms set
    for days in ("0", "800000"):
        with pytest.raises(SettingsError, match="RETENTION_DAYS must be between 1 and 3650"):
            Settings.from_env({**base, "RETENTION_DAYS": days})


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize("bad", [{"source": {"type": "user", "userId": "U" + "0" * 31 + "\u0000"}},
                                 {"source": {"type": "user", "userId": "U\ud800" + "0" * 31}},
                                 {"timestamp": 10**20}])
def test_one_malformed_event_does_not_sink_its_batch(chat, sessions, fake_line, bad):
    """The attacker's break 8: a NUL or a lone surrogate in an id, or an impossible timestamp, made the whole
    batch a 500, and every redelivery of it too; the good event beside it was lost."""
    import json

    token = fake_line.issue_reply_token(OFFICER)
    good = line_events.text_event(OFFICER, "วิธีใช้", reply_token=token)
    broken = {**line_events.text_event(OFFICER, "วิธีใช้", reply_token=fake_line.issue_reply_token(OFFICER)), **bad}
    body = json.dumps({"destination": line_events.DEFAULT_DESTINATION, "events": [broken, good]})
    assert chat.post([], body=body) == 200
    assert "วิธีใช้งาน" in str(chat.replies_for(token))
