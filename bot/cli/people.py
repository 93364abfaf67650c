"""`python -m bot users add|list|remove` and `invite create`: who may talk to the bot, and for which office."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING

from bot.cli.common import CliError, find_office, group, session_for

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.cli.common import Subparsers
    from bot.settings import Settings
    from models import Office


@cache
def _roles() -> tuple[str, ...]:
    from models import ROLES

    return ROLES


class _Roles(Sequence[str]):
    """models.ROLES, read the first time argparse looks: `models` loads SQLAlchemy, which `--help` must not."""

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return _roles()[index]

    def __len__(self) -> int:
        return len(_roles())


def register(subparsers: Subparsers) -> None:
    """Add `users add|list|remove` and `invite create`."""
    users = group(subparsers, "users", "registered LINE users")
    add = users.add_parser("add", help="register a LINE user directly")
    add.add_argument("--line-id", required=True)
    _role_and_office(add)
    add.set_defaults(func=cmd_users_add)
    users.add_parser("list", help="list users").set_defaults(func=cmd_users_list)
    remove = users.add_parser("remove", help="revoke a user")
    remove.add_argument("--line-id", required=True)
    remove.set_defaults(func=cmd_users_remove)

    invite = group(subparsers, "invite", "invite codes")
    create = invite.add_parser("create", help="print a new single-use, expiring code")
    _role_and_office(create)
    create.add_argument("--days", type=int, default=7, help="days until the code expires (default 7)")
    create.set_defaults(func=cmd_invite_create)


def _role_and_office(parser: argparse.ArgumentParser) -> None:
    role = parser.add_argument("--role", required=True, choices=_Roles(), metavar="ROLE")
    # argparse formats the metavar once while adding, which would read the roles now; from here on, help and
    # errors list the choices as they did when ROLES was passed directly.
    role.metavar = None
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--province", help="a provincial office: Thai or English name, or short form")
    where.add_argument("--unit", dest="province", help="a central unit by its code, e.g. ศปท. or สค.")


def _office_for_role(session: Session, role: str, province: str | None) -> Office | None:
    if role == "officer" and not province:
        raise CliError("an officer needs --province (a provincial office) or --unit (a central unit)")
    return find_office(session, province) if province else None


def cmd_users_add(settings: Settings, args: argparse.Namespace) -> int:
    """Register a LINE user directly (or re-activate a revoked one)."""
    import re

    from sqlalchemy import select

    from models import User

    if not re.fullmatch(r"U[0-9a-f]{32}", args.line_id or ""):
        # LINE's user ids are U and 32 hex digits; anything else is a typo that would never receive a message
        raise CliError(f"--line-id must be a LINE user id (U followed by 32 hex digits), not {args.line_id[:40]!r}")
    with session_for(settings) as session:
        office = _office_for_role(session, args.role, args.province)
        user = session.scalars(select(User).where(User.line_user_id == args.line_id)).first()
        if user is not None and user.active:
            raise CliError(f"{args.line_id} is already registered ({user.role}); remove it first")
        office_id = office.id if office else None
        if user is None:
            session.add(User(line_user_id=args.line_id, role=args.role, office_id=office_id, active=True))
        else:
            user.role, user.office_id, user.active, user.revoked_at = args.role, office_id, True, None
    print(f"added {args.line_id} as {args.role}" + (f" of {office.name_th}" if office else ""))
    return 0


def cmd_users_list(settings: Settings, args: argparse.Namespace) -> int:
    """Print every user: LINE id, role, state and office."""
    from sqlalchemy import select

    from models import User

    with session_for(settings) as session:
        users = session.scalars(select(User).order_by(User.id)).all()
        for user in users:
            state = "active" if user.active else "revoked"
            office = user.office.name_th if user.office else "-"
            print(f"{user.line_user_id}\t{user.role}\t{state}\t{office}")
        if not users:
            print("no users")
    return 0


def cmd_users_remove(settings: Settings, args: argparse.Namespace) -> int:
    """Revoke an active user."""
    from sqlalchemy import select

    from handlers.domain import conversation
    from models import User, utcnow

    with session_for(settings) as session:
        user = session.scalars(select(User).where(User.line_user_id == args.line_id)).first()
        if user is None or not user.active:
            raise CliError(f"no active user {args.line_id}")
        # Revoke rather than delete: their past reports keep pointing at who made them. An open draft goes:
        # it must not be confirmed for the office they no longer act for.
        user.active, user.revoked_at = False, utcnow()
        conversation.close(session, args.line_id, user.revoked_at)
    print(f"revoked {args.line_id}")
    return 0


def cmd_invite_create(settings: Settings, args: argparse.Namespace) -> int:
    """Print a new single-use invite code on stdout, and what it is for on stderr."""
    from handlers.domain.clock import now
    from handlers.domain.invites import create_invite

    if args.days <= 0 or args.days > 90:
        raise CliError("--days must be between 1 and 90")
    with session_for(settings) as session:
        office = _office_for_role(session, args.role, args.province)
        code, invite = create_invite(session, args.role, office, now=now(settings), ttl=timedelta(days=args.days))
        expires = invite.expires_at
    print(code)
    print(f"role {args.role}" + (f", {office.name_th}" if office else "")
          + f"; single use; expires {expires:%Y-%m-%d %H:%M} UTC", file=sys.stderr)
    return 0
