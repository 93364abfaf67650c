"""One frozen settings object, read from the environment in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

DEFAULT_LINE_API_BASE_URL = ""  # empty: the SDK uses LINE's own hosts (api.line.me / api-data.line.me)
# A reply call takes LINE about 0.1-0.3 s; 8 threads keep one process ahead of ~30 replies a second.
DEFAULT_REPLY_THREADS = 8


class SettingsError(RuntimeError):
    """Raised when the environment cannot give a safe configuration."""


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    line_channel_secret: str | None = field(default=None, repr=False)
    line_channel_access_token: str | None = field(default=None, repr=False)
    database_url: str = "sqlite:///instance/bot.db"
    line_api_base_url: str = DEFAULT_LINE_API_BASE_URL
    timezone: str = "Asia/Bangkok"
    environment: str = "development"  # development | production
    # LINE's SDK has no default timeout; (connect, read) seconds for every API call.
    line_connect_timeout: float = 3.0
    line_read_timeout: float = 10.0
    line_max_attempts: int = 4
    line_backoff_seconds: float = 0.5
    # Set when no LINE channel is configured: `serve` then starts a local fake LINE platform.
    dev_mode: bool = False
    # Development and tests only: pretend today is this date (the 2567 plan window lies in the past).
    fixed_today: date | None = None
    # How long an unconfirmed report draft waits for ยืนยัน.
    draft_ttl_minutes: int = 30
    # A value above this many times the office's largest month needs a second confirmation.
    implausible_factor: float = 10.0
    # The bot's public https address (e.g. https://kpi.example.go.th): needed for chart images in LINE.
    public_base_url: str | None = None
    # Inbound messages one LINE user may send per minute before the bot stops acting on them.
    rate_limit_per_minute: int = 30
    # Threads per process that send replies, so a web worker never waits for LINE; 0 sends in the
    # caller's thread (tests). The environment's default is DEFAULT_REPLY_THREADS.
    reply_threads: int = 0
    # Retention (days): what a handled message carried (its text, reply token, payload) and what the bot sent
    # back are cleared after this long; reports and their versions are the record and are kept.
    retention_days: int = 30
    # inline: the web worker handles each event after answering; queue: it only records and answers, and
    # handlers (`python -m bot handler`, or `handler_threads` threads in the web process) do the rest
    handling: str = "inline"
    handler_threads: int = 0

    @property
    def production(self) -> bool:
        """True when the bot must talk to the real LINE platform."""
        return self.environment == "production"

    def __post_init__(self) -> None:
        if self.environment not in ("development", "production"):
            raise SettingsError(f"BOT_ENV must be 'development' or 'production', not {self.environment!r}")
        if self.production and not (self.line_channel_secret and self.line_channel_access_token):
            raise SettingsError(
                "Production mode needs LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN in the environment "
                "(LINE Developers console → your channel → Basic settings / Messaging API)."
            )
        if self.production and self.dev_mode:
            raise SettingsError("development mode cannot run with BOT_ENV=production")
        if self.production and self.fixed_today is not None:
            raise SettingsError("BOT_TODAY is for development only; production always uses the real date")
        if self.handling not in ("inline", "queue"):
            raise SettingsError(f"HANDLING must be 'inline' or 'queue', not {self.handling!r}")
        if not 0 <= self.handler_threads <= 64:
            raise SettingsError(f"HANDLER_THREADS must be between 0 and 64, not {self.handler_threads}")
        if not 1 <= self.retention_days <= 3650:
            raise SettingsError(f"RETENTION_DAYS must be between 1 and 3650, not {self.retention_days}")
        if self.reply_threads < 0:
            raise SettingsError(f"LINE_REPLY_THREADS must be 0 or more, not {self.reply_threads}")
        if self.line_api_base_url.endswith("/"):
            # The SDK joins host and path by plain concatenation.
            object.__setattr__(self, "line_api_base_url", self.line_api_base_url.rstrip("/"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from environment variables (and explicit overrides)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {
            "line_channel_secret": env.get("LINE_CHANNEL_SECRET") or None,
            "line_channel_access_token": env.get("LINE_CHANNEL_ACCESS_TOKEN") or None,
            "database_url": _database_url(env.get("DATABASE_URL")),
            "line_api_base_url": env.get("LINE_API_BASE_URL", DEFAULT_LINE_API_BASE_URL),
            "timezone": env.get("BOT_TIMEZONE") or "Asia/Bangkok",
            "environment": env.get("BOT_ENV") or "development",
            "fixed_today": _parse_date(env.get("BOT_TODAY")),
            "public_base_url": env.get("PUBLIC_BASE_URL") or None,
            "reply_threads": _parse_int("LINE_REPLY_THREADS", env.get("LINE_REPLY_THREADS"), DEFAULT_REPLY_THREADS),
            "retention_days": _parse_int("RETENTION_DAYS", env.get("RETENTION_DAYS"), 30),
            "handling": env.get("HANDLING") or "inline",
            "handler_threads": _parse_int("HANDLER_THREADS", env.get("HANDLER_THREADS"), 0),
        }
        secret, token = values["line_channel_secret"], values["line_channel_access_token"]
        for name, value in (("LINE_CHANNEL_SECRET", secret), ("LINE_CHANNEL_ACCESS_TOKEN", token)):
            if isinstance(value, str) and (not value.strip() or value != value.strip()):
                # " " would sign forged webhooks; "secret\n" would refuse every real one while /healthz says ok
                raise SettingsError(f"{name} is blank or has spaces or a line break around it: paste it exactly")
        if bool(secret) != bool(token):
            # Half a channel is a typo (LINE_CHANNEL_TOKEN for LINE_CHANNEL_ACCESS_TOKEN), never development
            # mode: the development routes (/dev/*) must not go live next to a real channel secret.
            have, missing = (("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN") if secret
                             else ("LINE_CHANNEL_ACCESS_TOKEN", "LINE_CHANNEL_SECRET"))
            raise SettingsError(f"{have} is set but {missing} is not (check its spelling). Set both for a real "
                                "LINE channel, or neither for development mode.")
        # Development mode only when asked for: no LINE channel configured at all.
        values["dev_mode"] = values["environment"] != "production" and not secret
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


def _parse_int(name: str, value: str | None, default: int) -> int:
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, not {value!r}") from exc


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise SettingsError(f"BOT_TODAY must be YYYY-MM-DD, not {value!r}") from exc


def _database_url(value: str | None) -> str:
    """DATABASE_URL as SQLAlchemy takes it: platforms set postgres://… (Heroku-style), which names no driver."""
    if not value:
        return default_database_url()
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix):]
    return value


def default_database_url() -> str:
    """SQLite file under ./instance/, created on first use."""
    path = Path("instance").resolve() / "bot.db"
    return f"sqlite:///{path}"
