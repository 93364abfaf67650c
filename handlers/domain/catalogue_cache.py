"""A per-process copy of the plan catalogue: indicators (with their targets and plan), projects, offices.

The catalogue changes only when an administrator runs `catalogue load`, yet every message reads it
several times. The copies are kept detached and merged into each session without SQL (load=False),
so handlers still work with ordinary objects of their own session; the copy is read again once it is
older than TTL_SECONDS, so a reloaded catalogue is in use within that time.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import Indicator, Office, Project

TTL_SECONDS = 60.0
INFO_KEY = "catalogue_cache"  # in each session's info (shared by every session of one factory)


class CatalogueCache:
    """Detached copies of the catalogue rows, read at most once per TTL by one process."""

    def __init__(self, ttl: float = TTL_SECONDS) -> None:
        self._ttl = ttl
        self._lock = threading.Lock()
        self._read_at = -float("inf")
        self._indicators: dict[str, Indicator] = {}
        self._projects: dict[int, list[Project]] = {}
        self._offices: dict[int, Office] = {}

    def indicator(self, session: Session, code: str) -> Indicator | None:
        """The indicator with this code, as an object of `session`."""
        self._refresh(session)
        cached = self._indicators.get(code)
        return session.merge(cached, load=False) if cached is not None else None

    def projects(self, session: Session, goal_id: int) -> list[Project]:
        """A goal's projects in number order, as objects of `session`."""
        self._refresh(session)
        return [session.merge(p, load=False) for p in self._projects.get(goal_id, [])]

    def office(self, session: Session, office_id: int) -> Office | None:
        """An office, put into `session`'s identity map so session.get() and user.office need no SQL."""
        self._refresh(session)
        cached = self._offices.get(office_id)
        if cached is None:
            return None
        office = session.merge(cached, load=False)
        # The identity map holds unchanged objects weakly: keep this one for the session's life.
        session.info.setdefault("catalogue_pinned", []).append(office)
        return office

    def _refresh(self, session: Session) -> None:
        if time.monotonic() - self._read_at < self._ttl:
            return
        with self._lock:
            if time.monotonic() - self._read_at < self._ttl:
                return
            # Its own short read: the caller's session may hold SQLite's write lock, and its objects
            # must not end up shared between sessions.
            with Session(bind=session.get_bind()) as reader:
                reader.connection(execution_options={"read_only": True})
                indicators = reader.scalars(select(Indicator).options(
                    selectinload(Indicator.targets), joinedload(Indicator.plan))).unique().all()
                projects = reader.scalars(select(Project).order_by(Project.goal_id, Project.number)).all()
                offices = reader.scalars(select(Office)).all()
                reader.expunge_all()
            by_goal: dict[int, list[Any]] = {}
            for project in projects:
                by_goal.setdefault(project.goal_id, []).append(project)
            self._indicators = {i.code: i for i in indicators}
            self._projects, self._offices = by_goal, {o.id: o for o in offices}
            self._read_at = time.monotonic()


def of(session: Session) -> CatalogueCache | None:
    """The cache shared by the sessions of this session's factory, if it has one."""
    return session.info.get(INFO_KEY)
