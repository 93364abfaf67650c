"""LINE bot for the Ministry of Commerce's action-plan indicators."""

from bot.app import create_app

__all__ = ["create_app"]
