"""The monthly chart for a progress answer: cumulative actual against the straight-line target.

Rendered server-side with matplotlib (imported only when a chart is drawn, never at start-up) and
served by the web shell from /charts/<token>.png, where the token is signed with the channel secret and
expires: the URL cannot be guessed, and an old link stops working.
"""

from __future__ import annotations

import io
import logging
from functools import cache
from typing import Any

from itsdangerous import URLSafeTimedSerializer

from handlers.domain import thai_format
from handlers.domain.progress import Progress

log = logging.getLogger(__name__)

TOKEN_MAX_AGE = 7 * 24 * 3600  # LINE fetches the image when the chat is opened, possibly days later
# Fonts with Thai glyphs, best first (Debian: fonts-thai-tlwg, fonts-noto-core). Without one the chart
# falls back to numeric month labels (10/66) so no text turns into empty boxes.
THAI_FONTS = ("Noto Sans Thai", "Sarabun", "TH Sarabun New", "Loma", "Garuda", "Norasi", "Kinnari", "Umpush",
              "Waree", "Tlwg Typist")


def serializer(secret: str) -> URLSafeTimedSerializer:
    """Signs chart tokens with the channel secret."""
    return URLSafeTimedSerializer(secret, salt="progress-chart")


def chart_url(base_url: str, secret: str, indicator: str, as_of: str) -> str:
    """An unguessable, expiring https URL for one indicator's chart as of a date."""
    token = serializer(secret).dumps({"i": indicator, "d": as_of})
    return f"{base_url.rstrip('/')}/charts/{token}.png"


@cache
def thai_font() -> str | None:
    """The first installed font that can draw Thai, if any."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in THAI_FONTS if name in names), None)


def render(progress: Progress) -> bytes:
    """A PNG: cumulative actual by month and the target's straight-line pace over the window."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    font = thai_font()
    months = thai_format.months_from(progress.window["start"][:7], progress.window["end"][:7])
    cumulative = {m["period"]: m.get("cumulative", m["value"]) for m in progress.by_month}
    actual_x, actual_y, running = [], [], 0.0
    for index, month in enumerate(months):
        if month in cumulative:
            running = cumulative[month] or running
        if month <= progress.as_of[:7]:
            actual_x.append(index)
            actual_y.append(running)
    target = progress.target or 0.0
    pace = [target * (i + 1) / len(months) for i in range(len(months))]

    def label(period: str) -> str:
        if font:
            return thai_format.month(period).replace(" 25", " ")  # ต.ค. 66
        year, month = period.split("-")
        return f"{int(month)}/{(int(year) + thai_format.BE_OFFSET) % 100:02d}"

    params: dict[str, Any] = {"font.family": font} if font else {}
    with plt.rc_context(params):
        fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
        ax.plot(range(len(months)), pace, linestyle="--", color="#8C8C8C",
                label="เป้าหมายสะสม" if font else "target pace")
        ax.plot(actual_x, actual_y, marker="o", color="#06C755", linewidth=2.5,
                label="ผลงานสะสม" if font else "actual (cumulative)")
        ax.set_xticks(range(len(months)), [label(m) for m in months])
        ax.set_ylabel(progress.unit if font else "")
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left")
        ax.set_ylim(bottom=0)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)
    return buffer.getvalue()
