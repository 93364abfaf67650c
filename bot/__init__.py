"""LINE bot for the Ministry of Commerce's action-plan indicators: the shell (web, LINE, schedule, CLI, dev tools).

`create_app` is imported on first use, so `import bot` (and every `python -m bot …` command) loads no Flask.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from bot.web.app import create_app

        return create_app
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
