"""The bot's notion of now and today: Bangkok time, optionally pinned to a date for development."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo


class Settings(Protocol):
    """The two settings the clock reads (the bot's `Settings` has them)."""

    @property
    def timezone(self) -> str: ...

    @property
    def fixed_today(self) -> date | None: ...


def now(settings: Settings) -> datetime:
    """The current moment (aware, UTC); on the pinned date if the settings pin one."""
    real = datetime.now(UTC)
    if settings.fixed_today is None:
        return real
    zone = ZoneInfo(settings.timezone)
    local = real.astimezone(zone)
    pinned = datetime.combine(settings.fixed_today, local.timetz().replace(tzinfo=None), tzinfo=zone)
    return pinned.astimezone(UTC)


def local_today(settings: Settings, moment: datetime | None = None) -> date:
    """The calendar date in the bot's time zone."""
    moment = moment or now(settings)
    return moment.astimezone(ZoneInfo(settings.timezone)).date()
