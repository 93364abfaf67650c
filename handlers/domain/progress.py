"""Progress against the plan: one engine for the bot, the CLI and the scheduled summaries.

All sums and means run in SQL (GROUP BY over report_values); Python only combines a handful of rows.

Definitions (as of a date D, for an indicator with window [start, end] and target T):
- actual: `sum` indicators add every active value whose month is in the window and not after D's month;
  `weighted_mean` indicators (satisfaction, 2.2.1) take the respondent-weighted mean Σ(value × respondents) ÷
  Σ respondents over the rows that have a respondent count. A row without a count is in no figure (not even its
  own office's): it is counted apart (`uncounted`), so it never changes how the other offices' figures combine.
  The same definition serves the progress card, the overview, the province summary, the officer's confirmation,
  the monthly summary, `progress --json` and the export's totals;
  `latest` indicators take the value of the latest month reported.
- months elapsed: window months whose reports are due by D (handlers/domain/deadlines.py: the 5th of the next
  month, moved to a working day), so nobody is behind, or missing, on a month that is not yet due.
- expected (sum indicators): T × elapsed ÷ window months — e.g. after 4 of 8 months, 50% of 835 = 417.5.
  For level indicators (means, latest values) the expected level is T itself.
- gap: actual − expected (negative = behind).
- forecast (sum): from the due months only: due + (due ÷ elapsed) × remaining months, where `due` is the
  actual of the due months; the month under way is shown apart (`current_so_far`), never extrapolated.
  Level indicators: the actual.
- needed per month (sum): (T − actual) ÷ the window months not yet ended (still to sell in), 0 once the target is
  reached, None after the window.
- an office is measured against its own allocated target (handlers/domain/allocations.py), never the national
  one; without an allocation it has no target, percent, pace or forecast, and its status is NO_TARGET.
- status, with r = actual ÷ expected: ถึงเป้าแล้ว when actual ≥ T; ตามแผน when r ≥ 1; ต่ำกว่าแผน when
  r ≥ 0.8 (level indicators: actual ≥ 95% of T); เสี่ยง below that; ยังไม่มีข้อมูล with no data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.domain.allocations import allocation_of, allocations_of
from handlers.domain.breakdowns import Judge, by_month, by_project, by_province, completeness
from handlers.domain.deadlines import months_due
from handlers.domain.figures import actual as actual_of_rows
from handlers.domain.figures import filters_for, uncounted
from handlers.domain.indicators import headline, indicator_by_code, periods_in_window, target_of, window_of
from models import Goal, Indicator, Office, ReportValue

REACHED, ON_TRACK, BEHIND, AT_RISK, NO_DATA = "ถึงเป้าแล้ว", "ตามแผน", "ต่ำกว่าแผน", "เสี่ยง", "ยังไม่มีข้อมูล"
THIN = "ข้อมูลยังไม่พอประเมิน"
# No target to judge against: an office without an allocated target (`targets import`; the seed's targets are
# national, and a province's 3 ล้านบาท is not "on track" against 835), or an indicator the plan gives none.
NO_TARGET = "ไม่มีเป้าหมายให้เทียบ"
# A province-reported indicator is judged only when at least this share of the offices have reported in the
# window: one province's 95% is not the country's satisfaction (issue 13). The card always states the coverage.
MIN_COVERAGE = 0.5
BEHIND_RATIO = 0.8  # sum indicators: below 80% of the expected pace is "at risk"
LEVEL_BEHIND_RATIO = 0.95  # level indicators: below 95% of the target level is "at risk"


@dataclass(frozen=True)
class Progress:
    """Every number a manager sees for one indicator."""

    indicator: str
    title_th: str
    unit: str
    aggregation: str
    as_of: str
    window: dict[str, str]
    months_total: int
    months_elapsed: int
    reporting_period: str | None
    target: float | None
    actual: float | None
    percent: float | None
    expected: float | None
    gap: float | None
    forecast: float | None
    needed_per_month: float | None
    status: str
    offices_reported: list[str] = field(default_factory=list)
    offices_missing: list[str] = field(default_factory=list)
    consolidated: float | None = None  # a central unit's own figure for a province-reported indicator (not added)
    coverage: dict[str, int] = field(default_factory=dict)  # provincial: {"reported": n, "of": 76} in the window
    pace: str = NO_DATA  # the verdict on the figures alone; `status` is it only with enough coverage
    current_so_far: float | None = None  # sum indicators: what the month under way has so far (not in the forecast)
    uncounted: int = 0  # weighted indicators: active rows without a respondent count, in no figure (shown apart)
    by_province: list[dict[str, Any]] = field(default_factory=list)
    by_project: list[dict[str, Any]] = field(default_factory=list)
    by_month: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Plain data, numbers rounded to 6 decimals."""
        return _rounded(asdict(self))


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def months_elapsed(periods: list[str], as_of: date) -> int:
    """Window months whose reports are due by as_of (deadlines.py: the 5th of the next month, or the next working
    day): the months the expected pace, the forecast and the missing lists count."""
    return len(months_due(periods, as_of))


def _months_ended(periods: list[str], as_of: date) -> int:
    return sum(1 for p in periods if _month_end(p) <= as_of)


def _month_end(period: str) -> date:
    year, month = (int(x) for x in period.split("-"))
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def reporting_period(periods: list[str], as_of: date) -> str | None:
    """The month offices should have reported by now: the last window month whose reports are due.
    (On 29 Feb nobody is missing February yet: it is due on 5 Mar.)"""
    due = months_due(periods, as_of)
    return due[-1] if due else None


def compute(session: Session, indicator: Indicator, as_of: date, *, office: Office | None = None) -> Progress:
    """The progress of one indicator as of a date, nationally or for one office.

    An office is measured against its own allocated target (`targets import`), never the national one: without
    an allocation its target, percent, pace and forecast are None and its status is NO_TARGET.
    """
    periods = periods_in_window(indicator)
    start, end = window_of(indicator)
    # a central unit's own figure of a province-reported indicator (กบภ.'s consolidated 2.1.1) is its own rows
    filters = filters_for(indicator, periods, as_of, provincial=office is None or office.kind == "provincial")
    scope = [*filters, ReportValue.office_id == office.id] if office else filters
    target_row = target_of(indicator)
    target = allocation_of(session, office, indicator) if office else target_row.value if target_row else None
    actual = actual_of_rows(session, indicator, scope)
    elapsed = months_elapsed(periods, as_of)
    cumulative = indicator.aggregation == "sum"
    expected = forecast = needed = gap = percent = so_far = None
    period = reporting_period(periods, as_of)
    coverage = _coverage(session, indicator, filters) if office is None else {}
    if cumulative and actual is not None:
        due = actual_of_rows(session, indicator, [*scope, ReportValue.period <= period]) if period else None
        so_far = actual - (due or 0)
    if target is not None:
        expected = target * elapsed / len(periods) if cumulative else target
        percent = 100 * (actual or 0) / target if target else None
        gap = (actual or 0) - expected
        forecast, needed = _outlook(actual, so_far, target, periods, as_of) if cumulative else (actual, None)
    verdict = status(actual, target, expected, cumulative, indicator.higher_is_better)
    reported, missing = completeness(session, indicator, period) if period and office is None else ([], [])
    return Progress(
        indicator=indicator.code, title_th=indicator.title_th, unit=indicator.unit,
        aggregation=indicator.aggregation, as_of=as_of.isoformat(),
        window={"start": start.isoformat(), "end": end.isoformat()}, months_total=len(periods),
        months_elapsed=elapsed, reporting_period=period, target=target, actual=actual, percent=percent,
        expected=expected, gap=gap, forecast=forecast, needed_per_month=needed,
        status=_judged(verdict, coverage), coverage=coverage, pace=verdict,
        offices_reported=reported, offices_missing=missing,
        consolidated=_consolidated(session, indicator, periods, as_of) if office is None else None,
        current_so_far=so_far, uncounted=uncounted(session, indicator, as_of) if office is None else 0,
        by_province=(by_province(session, indicator, filters, allocations_of(session, indicator),
                                 _office_judge(indicator, elapsed, len(periods)))
                     if indicator.reported_by == "provincial" and office is None else []),
        by_project=by_project(session, indicator, scope),
        by_month=by_month(session, indicator, scope),
    )


def _outlook(actual: float | None, so_far: float | None, target: float, periods: list[str], as_of: date
             ) -> tuple[float | None, float | None]:
    """(forecast, needed per month) of a sum indicator: the forecast extends the due months' pace over the months
    not yet due; what is needed spreads the rest of the target over the months still to sell in."""
    elapsed = months_elapsed(periods, as_of)
    ended = (actual or 0) - (so_far or 0)
    forecast = ended + ended / elapsed * (len(periods) - elapsed) if elapsed else None  # no due month: no pace yet
    selling = len(periods) - _months_ended(periods, as_of)
    needed = max(target - (actual or 0), 0) / selling if selling else None
    return forecast, needed


def _office_judge(indicator: Indicator, elapsed: int, months: int) -> Judge:
    """The status of an office's value against its own allocated target, by the same rule as the nation's."""
    cumulative = indicator.aggregation == "sum"

    def judge(value: float | None, own: float) -> str:
        expected = own * elapsed / months if cumulative else own
        return status(value, own, expected, cumulative, indicator.higher_is_better)
    return judge


def _coverage(session: Session, indicator: Indicator, filters: list[Any]) -> dict[str, int]:
    """How many provincial offices have reported the indicator in the window so far, of how many."""
    if indicator.reported_by != "provincial":
        return {}
    reported = session.scalar(select(func.count(func.distinct(ReportValue.office_id))).where(*filters)) or 0
    total = session.scalar(select(func.count()).select_from(Office).where(Office.kind == "provincial")) or 0
    return {"reported": reported, "of": total}


def _judged(verdict: str, coverage: dict[str, int]) -> str:
    """A status stands only on enough offices' reports (MIN_COVERAGE); otherwise the card says so."""
    if verdict == NO_DATA or not coverage or not coverage["of"]:
        return verdict
    return verdict if coverage["reported"] >= MIN_COVERAGE * coverage["of"] else THIN


def _consolidated(session: Session, indicator: Indicator, periods: list[str], as_of: date) -> float | None:
    """What a central unit reported for an indicator the provinces report (None when it reported nothing)."""
    if indicator.reported_by != "provincial":
        return None
    return actual_of_rows(session, indicator, filters_for(indicator, periods, as_of, provincial=False))


def status(actual: float | None, target: float | None, expected: float | None, cumulative: bool,
           higher_is_better: bool = True) -> str:
    """ถึงเป้าแล้ว / ตามแผน / ต่ำกว่าแผน / เสี่ยง (see the module docstring for the thresholds)."""
    if actual is None:
        return NO_DATA
    if target is None:
        return NO_TARGET
    if not higher_is_better:
        return REACHED if actual <= target else AT_RISK
    if actual >= target:
        return REACHED
    if cumulative:
        if not expected or actual >= expected:
            return ON_TRACK
        return BEHIND if actual >= BEHIND_RATIO * expected else AT_RISK
    return BEHIND if actual >= LEVEL_BEHIND_RATIO * target else AT_RISK


def indicators_for(session: Session, code: str | None) -> list[Indicator]:
    """A goal code (2.1) → its indicators; an indicator code → itself; None → the headline indicator (2.1.1)."""
    if code is None:
        first = headline(session)
        return [first] if first is not None else []
    indicator = indicator_by_code(session, code)
    if indicator is not None:
        return [indicator]
    goal = session.scalars(select(Goal).where(Goal.code == code)).first()
    return list(goal.indicators) if goal else []
