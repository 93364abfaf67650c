"""The figures themselves: which rows a figure counts and how they combine, one definition each (README, "How
each figure is defined"). The progress engine, the officer's confirmation and the reminders all read these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.domain import thai_format
from handlers.domain.indicators import periods_in_window
from models import Indicator, Office, ReportValue


def value_expr(indicator: Indicator) -> Any:
    if indicator.aggregation == "weighted_mean":
        # SUM skips NULLs: a row without a respondent count adds to neither the numerator nor the denominator.
        # (1.0 × keeps the division in floating point on every database.)
        return func.sum(1.0 * ReportValue.value * ReportValue.respondents) / func.sum(ReportValue.respondents)
    if indicator.aggregation == "sum":
        return func.sum(ReportValue.value)
    return func.avg(ReportValue.value)  # latest: applied to the latest month only (see _actual)


def filters_for(indicator: Indicator, periods: list[str], as_of: date, *, provincial: bool = True) -> list[Any]:
    """The rows a figure counts. For an indicator the provinces report, only provincial offices' rows: a central
    unit that consolidates it (กบภ. for 2.1.1 and 2.2.1) has its own figure, shown beside, never added
    (`provincial=False` selects that consolidated figure's rows instead)."""
    last = min(periods[-1], thai_format.period_of(as_of))
    filters = [ReportValue.indicator_id == indicator.id, ReportValue.status == "active",
               ReportValue.period >= periods[0], ReportValue.period <= last]
    if indicator.reported_by == "provincial":
        provinces = select(Office.id).where(Office.kind == "provincial")
        filters.append(ReportValue.office_id.in_(provinces) if provincial else ReportValue.office_id.not_in(provinces))
    return filters


def actual_select(indicator: Indicator, filters: list[Any]) -> Any:
    """The one statement of an indicator's actual over the rows `filters` select (for a "latest" indicator, the
    latest month among them)."""
    if indicator.aggregation == "latest":
        latest = select(func.max(ReportValue.period)).where(*filters).scalar_subquery()
        filters = [*filters, ReportValue.period == latest]
    return select(value_expr(indicator)).where(*filters)


def actual(session: Session, indicator: Indicator, filters: list[Any]) -> float | None:
    return session.scalar(actual_select(indicator, filters))


# actual_of's statements, by everything they are built from: building one cost more CPU than running it, and a
# confirmation runs two (bench/README.md, issue 15). A new window or aggregation in the plan files is a new key.
_STATEMENTS: dict[tuple[Any, ...], Any] = {}


def actual_of(session: Session, indicator: Indicator, as_of: date, *, office_id: int | None = None) -> float | None:
    """The indicator's actual as of a date, nationally or for one office: the figure `compute` reports, alone."""
    return session.scalar(actual_of_select(session, indicator, as_of, office_id=office_id))


def actual_of_select(session: Session, indicator: Indicator, as_of: date, *, office_id: int | None = None) -> Any:
    """actual_of's statement (several can then be asked in one round trip, as scalar subqueries of one select)."""
    office = session.get(Office, office_id) if office_id is not None else None
    provincial = office is None or office.kind == "provincial"
    periods = periods_in_window(indicator)
    key = (indicator.id, indicator.aggregation, indicator.reported_by, periods[0], periods[-1],
           thai_format.period_of(as_of), provincial, office_id)
    statement = _STATEMENTS.get(key)
    if statement is None:
        filters = filters_for(indicator, periods, as_of, provincial=provincial)
        if office_id is not None:
            filters.append(ReportValue.office_id == office_id)
        if len(_STATEMENTS) > 4096:  # a new month or a reloaded catalogue: start again
            _STATEMENTS.clear()
        statement = _STATEMENTS[key] = actual_select(indicator, filters)
    return statement


def uncounted(session: Session, indicator: Indicator, as_of: date) -> int:
    """Active rows of a weighted indicator that have no respondent count (in no figure until one is given)."""
    if indicator.aggregation != "weighted_mean":
        return 0
    filters = filters_for(indicator, periods_in_window(indicator), as_of)
    return session.scalar(select(func.count()).where(*filters, ReportValue.respondents.is_(None))) or 0


def reported_office_ids(session: Session, indicator: Indicator, period: str) -> set[int]:
    """The one definition of "has reported" (the progress card, the missing list and the reminders all use it):
    an office with an active value of this indicator for this month (0 and a void-then-resent figure included)."""
    return set(session.scalars(select(ReportValue.office_id).where(
        ReportValue.indicator_id == indicator.id, ReportValue.period == period, ReportValue.status == "active"
    ).distinct()))


@dataclass(frozen=True)
class OfficeStanding:
    """An office's figure for the whole window next to the national one."""

    office_value: float | None
    national_value: float | None

    @property
    def share(self) -> float | None:
        """The office's share of the national total, in percent."""
        if not self.office_value or not self.national_value:
            return None
        return 100 * self.office_value / self.national_value


def standing(session: Session, office_id: int, indicator: Indicator, as_of: date) -> OfficeStanding:
    """The office's figure and the nation's as of a date, by the progress engine's one definition of each
    (a sum; a respondent-weighted mean; the latest month)."""
    parts = (actual_of_select(session, indicator, as_of, office_id=office_id),
             actual_of_select(session, indicator, as_of))
    both = _STANDING.get(parts)
    if both is None:  # the two figures in one round trip, each by its own statement
        if len(_STANDING) > 4096:
            _STANDING.clear()
        both = _STANDING[parts] = select(*(part.scalar_subquery() for part in parts))
    office_value, national_value = session.execute(both).one()
    return OfficeStanding(office_value, national_value)


_STANDING: dict[tuple[Any, ...], Any] = {}
