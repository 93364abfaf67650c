"""DITP KPI template scoring: the level each KPI reached (ขั้นต้น 50 / มาตรฐาน 75 / ขั้นสูง 100) and the weighted total.

- A KPI's value for a round is its latest report inside the round's window; a report carrying both
  figures of a ratio KPI scores numerator ÷ denominator (e.g. trade value ÷ budget received), rounded
  to the 2 decimals the criteria are written in.
- Score: 0 below ขั้นต้น; linear from 50 to 75 between ขั้นต้น and มาตรฐาน, from 75 to 100 between มาตรฐาน
  and ขั้นสูง; 100 at or above ขั้นสูง (capped). Lower-is-better KPIs mirror this.
- Thresholds are made monotone before use (a running maximum): the seed prints KPI 1's round-1 levels as
  0.75 / 1.18 / 1.05, which cannot all hold; reaching 1.18 then counts as ขั้นสูง.
- KPIs whose criteria are descriptive (no numbers in the seed) are reported as the score itself (0–100).
- A KPI with no criteria for a round (KPIs 5–9 in round 1: seed 001 gives them one annual table) is not scored
  in it, and its weight is not in the round's maximum: round 1 is out of 70, round 2 out of 100.
- A round is scored from the reports for it only: round 2 reads the months after round 1 ended, so a round-1
  figure is never re-scored against round-2 criteria.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Indicator, Plan, ReportValue

LEVELS = (50, 75, 100)


def level_score(value: float, thresholds: dict[int, float], higher_is_better: bool = True) -> tuple[int | None, float]:
    """(level reached, interpolated score) for a value against the 50/75/100 thresholds.

    >>> level_score(203.14, {50: 203.14, 75: 324.20, 100: 445.25})
    (50, 50.0)
    >>> level_score(445.25, {50: 203.14, 75: 324.20, 100: 445.25})
    (100, 100.0)
    >>> round(level_score(263.67, {50: 203.14, 75: 324.20, 100: 445.25})[1], 6)
    62.5
    """
    sign = 1 if higher_is_better else -1
    points: list[tuple[int, float]] = []
    best = float("-inf")
    for level in LEVELS:
        best = max(best, sign * thresholds[level])  # monotone envelope
        points.append((level, best))
    v = sign * value
    if v < points[0][1]:
        return None, 0.0
    for (low_level, low), (high_level, high) in zip(points, points[1:], strict=False):
        if v < high:
            return low_level, low_level + (high_level - low_level) * (v - low) / (high - low)
    return 100, 100.0


@dataclass(frozen=True)
class KpiResult:
    """One KPI's standing in a round."""

    code: str
    title_th: str
    weight: float
    base: str | None
    unit: str
    value: float | None
    numerator: float | None
    denominator: float | None
    thresholds: dict[str, float] | None
    level: int | None
    score: float
    weighted: float
    note: str | None = None
    measured: bool = True  # False: the template gives no criteria for this round; not in its maximum


@dataclass(frozen=True)
class KpiScore:
    """The whole template in one round."""

    round: int
    window: dict[str, str]
    kpis: list[KpiResult]
    total: float
    maximum: float = 100.0  # the weights of the KPIs measured in this round

    def to_json(self) -> dict[str, Any]:
        """Plain data for the CLI and tests."""
        return asdict(self)


def score_round(session: Session, round_number: int, as_of: date | None = None) -> KpiScore:
    """Score every KPI of the DITP template for round 1 (6 months) or 2 (12 months)."""
    plan = session.scalars(select(Plan).where(Plan.kind == "kpi_template")).first()
    if plan is None:
        raise LookupError("no KPI template in the catalogue")
    rounds = {r["number"]: r for r in plan.details.get("rounds", [])}
    if round_number not in rounds:
        raise LookupError(f"the template has no round {round_number}")
    start, end = rounds[round_number]["start"], rounds[round_number]["end"]
    last = min(end, as_of.isoformat()) if as_of else end
    earlier = [r for n, r in rounds.items() if n < round_number]
    first = _month_after(max(r["end"] for r in earlier)) if earlier else start[:7]  # reports for this round only
    final = round_number == max(rounds)
    results = [_score_kpi(session, kpi, round_number, first, last[:7], final) for kpi in plan.indicators]
    maximum = sum(r.weight for r in results if r.measured)
    return KpiScore(round_number, {"start": start, "end": end}, results, round(sum(r.weighted for r in results), 6),
                    round(maximum, 6))


def _month_after(day: str) -> str:
    year, month = int(day[:4]), int(day[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def _score_kpi(session: Session, kpi: Indicator, round_number: int, first: str, last: str, final: bool) -> KpiResult:
    rounds = {t.round for t in kpi.targets}
    # measured in a round with criteria for it; qualitative annual criteria (no numbers: KPIs 5, 6) in the last
    if round_number not in rounds and (rounds or not final):
        later = sorted(r for r in rounds if r > round_number)
        note = f"วัดผลในรอบที่ {later[0]}" if later else "วัดผลในรอบสุดท้าย (12 เดือน)"
        return KpiResult(code=kpi.code, title_th=kpi.title_th, weight=kpi.weight or 0.0, base=kpi.base, unit=kpi.unit,
                         value=None, numerator=None, denominator=None, thresholds=None, level=None, score=0.0,
                         weighted=0.0, note=note, measured=False)
    report = session.scalars(select(ReportValue).where(
        ReportValue.indicator_id == kpi.id, ReportValue.status == "active",
        ReportValue.period >= first, ReportValue.period <= last,
    ).order_by(ReportValue.period.desc(), ReportValue.reported_at.desc())).first()
    thresholds = {t.level: t.value for t in kpi.targets if t.round == round_number and t.value is not None}
    value = numerator = denominator = None
    note = None
    if report is not None:
        numerator, denominator = report.numerator, report.denominator
        # The seed states ratio criteria to 2 decimals (324.20), so the ratio is compared at that precision:
        # 175,364.61 ÷ 540.92 = 324.197… counts as 324.20, มาตรฐาน.
        value = round(numerator / denominator, 2) if numerator is not None and denominator else report.value
    level, score = None, 0.0
    if value is not None and len(thresholds) == len(LEVELS):
        level, score = level_score(value, thresholds, kpi.higher_is_better)
    elif value is not None:
        # Descriptive criteria: the responsible unit reports the score it reached.
        score = max(0.0, min(100.0, value))
        level = max((lv for lv in LEVELS if score >= lv), default=None)
        note = "เกณฑ์เชิงคุณภาพ: รายงานเป็นคะแนน"
    elif not thresholds:
        note = "ไม่มีเกณฑ์ในรอบนี้" if round_number == 1 else None
    weight = kpi.weight or 0.0
    return KpiResult(
        code=kpi.code, title_th=kpi.title_th, weight=weight, base=kpi.base, unit=kpi.unit, value=value,
        numerator=numerator, denominator=denominator,
        thresholds={str(k): v for k, v in thresholds.items()} or None, level=level, score=round(score, 6),
        weighted=round(weight * score / 100, 6), note=note,
    )
