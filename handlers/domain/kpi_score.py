"""DITP KPI template scoring: the level each KPI reached (ขั้นต้น 50 / มาตรฐาน 75 / ขั้นสูง 100) and the weighted total.

- A KPI's value for a round is its latest report inside the round's window; a report carrying both
  figures of a ratio KPI scores numerator ÷ denominator (e.g. trade value ÷ budget received), rounded
  to the 2 decimals the criteria are written in.
- Score: 0 below ขั้นต้น; linear from 50 to 75 between ขั้นต้น and มาตรฐาน, from 75 to 100 between มาตรฐาน
  and ขั้นสูง; 100 at or above ขั้นสูง (capped). Lower-is-better KPIs mirror this.
- Thresholds come from the plan file. KPI 1's round 1 is scored by the seed's formulas (0.75 / 1.05 / 1.35); the
  seed prints 0.75 / 1.18 / 1.05, kept as `criteria_printed` and listed by `catalogue show`. (A running maximum
  still guards against a non-monotone table.)
- KPIs whose criteria are qualitative (KPIs 5, 6) are scored by their `steps` table: the highest step whose
  conditions the report meets (KPI-5: the step reached, 1–3; KPI-6: the quality share, and the registration
  share, which the bot asks for when it decides the step, kept in the report's `parts`). A reported number is
  never taken as the score itself.
- KPI-4 round 1 counts SMEs: the score compares their share of the year's target count (an input loaded with
  `targets import`; not scored until it is) with 10 / 15 / 20.
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

from handlers.domain import thai_format
from handlers.domain.allocations import input_spec, round_input
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
    scorable: bool = True  # False: measured, but a figure the score needs is missing (see `note`)


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
    steps = (kpi.details or {}).get("steps")
    # measured in a round with criteria for it; qualitative annual criteria (steps: KPIs 5, 6) in the last
    if round_number not in rounds and (rounds or not final):
        later = sorted(r for r in rounds if r > round_number)
        note = f"วัดผลในรอบที่ {later[0]}" if later else "วัดผลในรอบสุดท้าย (12 เดือน)"
        return _result(kpi, note=note, measured=False)
    report = session.scalars(select(ReportValue).where(
        ReportValue.indicator_id == kpi.id, ReportValue.status == "active",
        ReportValue.period >= first, ReportValue.period <= last,
    ).order_by(ReportValue.period.desc(), ReportValue.reported_at.desc())).first()
    thresholds = {t.level: t.value for t in kpi.targets if t.round == round_number and t.value is not None}
    if report is None:
        return _result(kpi, thresholds=thresholds, note=None if thresholds or steps else "ไม่มีเกณฑ์ในรอบนี้")
    measure = ((kpi.details or {}).get("round_measures") or {}).get(f"round{round_number}")
    if measure and measure.get("share_of_input"):
        return _share_of_input(session, kpi, round_number, report.value, thresholds, measure)
    if steps:
        level, note = step_reached(steps, {steps["reported"]["key"]: report.value, **(report.parts or {})})
        return _result(kpi, value=report.value, level=level, score=float(level or 0), note=note)
    numerator, denominator = report.numerator, report.denominator
    # The seed states ratio criteria to 2 decimals (324.20), so the ratio is compared at that precision:
    # 175,364.61 ÷ 540.92 = 324.197… counts as 324.20, มาตรฐาน.
    value = round(numerator / denominator, 2) if numerator is not None and denominator else report.value
    if len(thresholds) != len(LEVELS):
        # never the reported number taken as a score
        return _result(kpi, value=value, note="ไม่มีเกณฑ์ตัวเลขในรอบนี้", scorable=False)
    level, score = level_score(value, thresholds, kpi.higher_is_better)
    return _result(kpi, value=value, numerator=numerator, denominator=denominator, thresholds=thresholds,
                   level=level, score=score)


def _share_of_input(session: Session, kpi: Indicator, round_number: int, count: float, thresholds: dict[int, float],
                    measure: dict[str, Any]) -> KpiResult:
    """KPI-4 round 1: the SMEs counted as a share of the year's target count (a `targets import` input)."""
    unit = measure.get("unit", "")
    wanted = round_input(session, kpi, round_number)
    if wanted is None:
        spec = input_spec(kpi, round_number) or {}
        return _result(kpi, value=count, unit=unit, thresholds=thresholds, scorable=False,
                       note=f"ยังให้คะแนนไม่ได้: ยังไม่มี{spec.get('title_th', 'ค่าตั้งต้น')} (ผู้ดูแลนำเข้าด้วย targets import)")
    share = 100 * count / wanted
    level, score = level_score(share, thresholds, kpi.higher_is_better)
    note = (f"{thai_format.number(count, 0)} {unit} = ร้อยละ {thai_format.number(share)} "
            f"ของเป้าหมาย {thai_format.number(wanted, 0)} {unit}")
    return _result(kpi, value=count, unit=unit, thresholds=thresholds, level=level, score=score, note=note)


def step_reached(steps: dict[str, Any], parts: dict[str, float]) -> tuple[int | None, str | None]:
    """The highest criteria step whose every condition holds (a part at least the figure named), and a note
    when a higher step needs a part that was not reported.

    >>> kpi6 = {"reported": {"key": "quality"}, "parts": {"registered": {"title_th": "ลงทะเบียน"}}, "levels": [
    ...     {"level": 50, "needs": {"quality": 90}}, {"level": 75, "needs": {"quality": 100, "registered": 90}}]}
    >>> step_reached(kpi6, {"quality": 95})
    (50, None)
    >>> step_reached(kpi6, {"quality": 100})
    (50, 'ขั้นถัดไปต้องทราบ ลงทะเบียน')
    >>> step_reached(kpi6, {"quality": 80})
    (None, None)
    """
    reached, note = None, None
    for step in steps.get("levels", []):
        unknown = [k for k in step["needs"] if k not in parts]
        if unknown:
            titles = [(steps.get("parts") or {}).get(k, {}).get("title_th", k) for k in unknown]
            if all(parts[k] >= v for k, v in step["needs"].items() if k in parts):
                note = "ขั้นถัดไปต้องทราบ " + ", ".join(titles)
            break
        if not all(parts[k] >= v for k, v in step["needs"].items()):
            break
        reached = step["level"]
    return reached, note


def _result(kpi: Indicator, *, value: float | None = None, numerator: float | None = None,
            denominator: float | None = None, thresholds: dict[int, float] | None = None, level: int | None = None,
            score: float = 0.0, note: str | None = None, measured: bool = True, unit: str | None = None,
            scorable: bool = True) -> KpiResult:
    weight = kpi.weight or 0.0
    return KpiResult(
        code=kpi.code, title_th=kpi.title_th, weight=weight, base=kpi.base, unit=unit or kpi.unit, value=value,
        numerator=numerator, denominator=denominator,
        thresholds={str(k): v for k, v in (thresholds or {}).items()} or None, level=level, score=round(score, 6),
        weighted=round(weight * score / 100, 6), note=note, measured=measured, scorable=scorable,
    )
