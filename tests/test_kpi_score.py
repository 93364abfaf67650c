"""DITP criteria scoring reproduces the seed's own thresholds and weights."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.db import transaction
from handlers.domain.kpi_score import level_score, score_round
from handlers.domain.reports import Draft, store
from models import Office

KPI2 = {50: 203.14, 75: 324.20, 100: 445.25}
NOW = datetime(2024, 10, 5, tzinfo=UTC)


@pytest.mark.parametrize(("value", "level", "score"), [
    (203.14, 50, 50.0), (324.20, 75, 75.0), (445.25, 100, 100.0),
    (263.67, 50, 62.5), (384.725, 75, 87.5), (600.0, 100, 100.0), (150.0, None, 0.0),
])
def test_kpi2_thresholds(value, level, score):
    reached, points = level_score(value, KPI2)
    assert reached == level and points == pytest.approx(score)


def test_lower_is_better_mirrors():
    assert level_score(8, {50: 10, 75: 8, 100: 6}, higher_is_better=False) == (75, 75.0)
    assert level_score(11, {50: 10, 75: 8, 100: 6}, higher_is_better=False) == (None, 0.0)


def test_non_monotone_thresholds_from_the_seed_are_made_monotone():
    # KPI 1 round 1 is printed as 0.75 / 1.18 / 1.05.
    assert level_score(1.10, {50: 0.75, 75: 1.18, 100: 1.05}) == (50, pytest.approx(50 + 25 * 0.35 / 0.43))
    assert level_score(1.18, {50: 0.75, 75: 1.18, 100: 1.05}) == (100, 100.0)


def put_kpi(session, code, period, value=None, numerator=None, denominator=None):  # type: ignore[no-untyped-def]
    office = session.scalars(select(Office).where(Office.code == "สค.")).one()
    if numerator is not None:
        value = numerator / denominator
    draft = Draft(indicator=code, value=value, period=period, office_id=office.id, numerator=numerator,
                  denominator=denominator)
    store(session, draft, None, mode="new", now=NOW, source_message="test", source_event_id=None)


def test_weighted_total_from_reported_figures(db):
    with transaction(db) as session:
        put_kpi(session, "KPI-2", "2024-09", numerator=175_364.61, denominator=540.92)  # 324.20 → 75
        put_kpi(session, "KPI-3", "2024-09", numerator=56.23 * 10, denominator=10)  # 56.23 → 100
        put_kpi(session, "KPI-8", "2024-09", value=62.13)  # → 50
        put_kpi(session, "KPI-5", "2024-09", value=2)  # the 2nd step of its criteria: มาตรฐาน
    with db() as session:
        result = score_round(session, 2).to_json()
    kpis = {k["code"]: k for k in result["kpis"]}
    assert sum(k["weight"] for k in kpis.values()) == 100
    assert kpis["KPI-2"]["value"] == 324.20  # 175,364.61 ÷ 540.92 at the criteria's 2 decimals
    assert (kpis["KPI-2"]["level"], kpis["KPI-2"]["score"]) == (75, 75)
    assert (kpis["KPI-3"]["level"], kpis["KPI-3"]["score"]) == (100, 100)
    assert (kpis["KPI-8"]["level"], kpis["KPI-8"]["score"]) == (50, 50)
    assert (kpis["KPI-5"]["level"], kpis["KPI-5"]["score"]) == (75, 75)
    assert kpis["KPI-1"]["value"] is None and kpis["KPI-1"]["score"] == 0
    # 25 × 0.75 + 20 × 1.00 + 2.5 × 0.50 + 5 × 0.75 = 18.75 + 20 + 1.25 + 3.75
    assert result["total"] == 43.75


def test_round_one_uses_its_own_window_and_thresholds(db):
    with transaction(db) as session:
        put_kpi(session, "KPI-2", "2024-03", numerator=113.47 * 100, denominator=100)  # round 1 มาตรฐาน
        put_kpi(session, "KPI-2", "2024-09", numerator=445.25 * 100, denominator=100)  # only in round 2
    with db() as session:
        one = {k["code"]: k for k in score_round(session, 1).to_json()["kpis"]}
        two = {k["code"]: k for k in score_round(session, 2).to_json()["kpis"]}
    assert (one["KPI-2"]["level"], one["KPI-2"]["score"]) == (75, pytest.approx(75))
    assert (two["KPI-2"]["level"], two["KPI-2"]["score"]) == (100, 100)


def test_round_one_is_out_of_70_and_a_year_end_kpi_is_not_scored_in_it(db):
    """Issue 13: KPIs 7-9 have no round-1 criteria; a PMQA 470 reported in March added 10 points to round 1."""
    with transaction(db) as session:
        put_kpi(session, "KPI-9", "2024-03", value=470)
    with db() as session:
        one = score_round(session, 1).to_json()
    kpis = {k["code"]: k for k in one["kpis"]}
    assert one["maximum"] == 70 and one["total"] == 0
    assert (kpis["KPI-9"]["measured"], kpis["KPI-9"]["score"], kpis["KPI-9"]["note"]) == (False, 0, "วัดผลในรอบที่ 2")
    assert not kpis["KPI-5"]["measured"] and kpis["KPI-1"]["measured"]


def test_a_round_one_report_is_not_re_scored_in_round_two(db):
    """KPI-4's round-1 figure (a share of the SME count) must not be read as round 2's trade/budget ratio."""
    with transaction(db) as session:
        put_kpi(session, "KPI-4", "2024-03", value=12)
    with db() as session:
        two = {k["code"]: k for k in score_round(session, 2).to_json()["kpis"]}
        assert score_round(session, 2).maximum == 100
    assert two["KPI-4"]["value"] is None and two["KPI-4"]["score"] == 0


def scored(sessions, round_number):  # type: ignore[no-untyped-def]
    with sessions() as session:
        return {k["code"]: k for k in score_round(session, round_number).to_json()["kpis"]}


def test_kpi1_round1_follows_the_formulas_not_the_printed_jump(db):
    """Issue 13: with the printed 0.75 / 1.18 / 1.05, 1.18 jumped to 100; by the formulas it is 85.83."""
    with transaction(db) as session:
        put_kpi(session, "KPI-1", "2024-03", value=1.18)
    kpi1 = scored(db, 1)["KPI-1"]
    assert (kpi1["level"], kpi1["score"]) == (75, pytest.approx(75 + 25 * 0.13 / 0.30))


def test_kpi5_is_scored_by_the_step_reached(db):
    with transaction(db) as session:
        put_kpi(session, "KPI-5", "2024-09", value=3)
    assert (scored(db, 2)["KPI-5"]["level"], scored(db, 2)["KPI-5"]["score"]) == (100, 100)


@pytest.mark.parametrize(("quality", "level", "note"), [
    (95, 50, None),  # the criteria give ขั้นต้น for 90-99% quality; the old reading scored 95
    (100, 50, "ขั้นถัดไปต้องทราบ ร้อยละของชุดข้อมูลเปิดที่ลงทะเบียนในระบบบัญชีข้อมูลภาครัฐ"),
    (80, None, None),
])
def test_kpi6_percent_is_read_against_its_criteria_not_taken_as_the_score(db, quality, level, note):
    with transaction(db) as session:
        put_kpi(session, "KPI-6", "2024-09", value=quality)
    kpi6 = scored(db, 2)["KPI-6"]
    assert (kpi6["level"], kpi6["score"], kpi6["note"]) == (level, level or 0, note)


def test_kpi4_round1_needs_the_sme_target_count_and_then_scores_the_share(db):
    """Issue 13: round 1 counts SMEs against the 2567 target count, which the template never gives."""
    from handlers.domain.allocations import import_targets

    with transaction(db) as session:
        put_kpi(session, "KPI-4", "2024-03", value=120)
    before = scored(db, 1)["KPI-4"]
    assert (before["measured"], before["score"], before["unit"]) == (True, 0, "ราย")
    assert "ยังให้คะแนนไม่ได้" in before["note"] and "targets import" in before["note"]
    with transaction(db) as session:
        result = import_targets(session, ["office", "indicator", "target", "round"],
                                [(2, {"office": "สค.", "indicator": "KPI-4", "target": "1,000", "round": "1"})],
                                "targets.csv", NOW)
        assert result.errors == [] and result.created == 1
    after = scored(db, 1)["KPI-4"]
    # 120 of 1,000 = 12%: between ขั้นต้น (10) and มาตรฐาน (15)
    assert (after["level"], after["score"]) == (50, pytest.approx(60))
    assert after["note"] == "120 ราย = ร้อยละ 12.00 ของเป้าหมาย 1,000 ราย"


def test_a_round_input_is_refused_where_the_catalogue_declares_none(db):
    from handlers.domain.allocations import import_targets

    with transaction(db) as session:
        result = import_targets(session, ["office", "indicator", "target", "round"],
                                [(2, {"office": "สค.", "indicator": "KPI-2", "target": "5", "round": "1"}),
                                 (3, {"office": "สค.", "indicator": "KPI-3", "target": "5"})], "t.csv", NOW)
    assert result.errors == ["row 2: KPI-2 takes no input for round 1",
                             "row 3: KPI-3 has no plan target to allocate (give a round for a KPI's input)"]


@pytest.mark.parametrize(("registered", "level"), [(89, 50), (90, 75), (100, 100)])
def test_kpi6_with_both_shares_follows_the_criteria_table(db, registered, level):
    office_code = "สค."
    with transaction(db) as session:
        office = session.scalars(select(Office).where(Office.code == office_code)).one()
        store(session, Draft(indicator="KPI-6", value=100, period="2024-09", office_id=office.id,
                             parts={"registered": registered}), None, mode="new", now=NOW, source_message="test",
              source_event_id=None)
    kpi6 = scored(db, 2)["KPI-6"]
    assert (kpi6["level"], kpi6["score"], kpi6["note"]) == (level, level, None)
