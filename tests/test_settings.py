"""Settings come from the environment, in one place, and refuse unsafe production setups."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError


def test_production_refuses_to_start_without_line_secrets():
    with pytest.raises(SettingsError, match="LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN"):
        Settings.from_env({"BOT_ENV": "production"})
    with pytest.raises(SettingsError):
        Settings.from_env({"BOT_ENV": "production", "LINE_CHANNEL_SECRET": "s"})


def test_no_secrets_outside_production_means_development_mode():
    settings = Settings.from_env({})
    assert settings.dev_mode and not settings.production
    assert settings.database_url.startswith("sqlite:///") and settings.database_url.endswith("instance/bot.db")
    assert settings.timezone == "Asia/Bangkok"


def test_environment_values_are_read():
    settings = Settings.from_env({
        "BOT_ENV": "production", "LINE_CHANNEL_SECRET": "sec", "LINE_CHANNEL_ACCESS_TOKEN": "tok",
        "DATABASE_URL": "postgresql+psycopg://bot@localhost/bot", "LINE_API_BASE_URL": "http://127.0.0.1:9/",
        "BOT_TIMEZONE": "Asia/Bangkok",
    })
    assert settings.production and not settings.dev_mode
    assert settings.database_url == "postgresql+psycopg://bot@localhost/bot"
    # The SDK concatenates host and path, so a trailing slash would break every call.
    assert settings.line_api_base_url == "http://127.0.0.1:9"


def test_secrets_never_appear_in_repr():
    settings = Settings.from_env({"LINE_CHANNEL_SECRET": "channel-secret-x", "LINE_CHANNEL_ACCESS_TOKEN": "token-y"})
    assert "channel-secret-x" not in repr(settings) and "token-y" not in repr(settings)


def test_settings_are_frozen():
    settings = Settings.from_env({})
    with pytest.raises(AttributeError):
        settings.database_url = "sqlite://"  # type: ignore[misc]


def test_unknown_environment_name_is_refused():
    with pytest.raises(SettingsError, match="BOT_ENV"):
        Settings.from_env({"BOT_ENV": "prod"})


def test_reply_threads_default_to_eight_from_the_environment_and_must_be_a_count():
    assert Settings.from_env({}).reply_threads == 8
    assert Settings.from_env({"LINE_REPLY_THREADS": "0"}).reply_threads == 0
    assert Settings().reply_threads == 0  # built directly (tests): replies go out in the caller's thread
    with pytest.raises(SettingsError, match="LINE_REPLY_THREADS"):
        Settings.from_env({"LINE_REPLY_THREADS": "many"})
    with pytest.raises(SettingsError, match="LINE_REPLY_THREADS"):
        Settings.from_env({"LINE_REPLY_THREADS": "-1"})
