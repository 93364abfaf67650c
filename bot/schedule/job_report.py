"""What one run of a scheduled job did (every job returns one), and the moment in the bot's time zone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.line.push import SendTally
from bot.services import Services


@dataclass
class JobReport:
    """What a run did, for logs, the CLI and tests."""

    job: str
    now: str
    note: str = ""
    tally: SendTally = field(default_factory=SendTally)

    def line(self) -> str:
        """One line for operators."""
        t = self.tally
        parts = [f"{self.job} at {self.now}: {self.note or 'done'}", f"sent {t.sent}", f"already {t.already}",
                 f"failed {t.failed}", f"API calls {t.calls}"]
        if t.quota_exhausted:
            parts.append(f"QUOTA EXHAUSTED, {len(t.unsent)} not sent")
        return "; ".join(parts)


def local(services: Services, now: datetime) -> datetime:
    """The moment in the bot's time zone."""
    return now.astimezone(ZoneInfo(services.settings.timezone))
