"""`python -m bot serve`: the web server (development mode when no LINE secrets are set)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.cli.common import Subparsers
    from bot.settings import Settings


def register(subparsers: Subparsers) -> None:
    """Add the `serve` command."""
    serve = subparsers.add_parser("serve", help="run the web server (development mode if no LINE secrets)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    """Serve until stopped."""
    from bot.web.serve import serve  # Flask and the LINE SDK: only for this command

    return serve(settings, host=args.host, port=args.port)
