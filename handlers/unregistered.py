"""A message from someone the bot does not know: nothing is stored, they learn how to register."""

from __future__ import annotations

from handlers.context import Context
from handlers.present.replies import Reply
from handlers.present.texts import HOW_TO_REGISTER


def handle(ctx: Context) -> Reply:
    """Registration instructions."""
    return Reply.text(HOW_TO_REGISTER, intent="unregistered")
