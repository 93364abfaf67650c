"""The progress engine, against hand-computed figures (target 835 over Oct 2023 – May 2024)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.db import transaction
from handlers.domain.figures import standing, uncounted
from handlers.domain.indicators import indicator_by_code
from handlers.domain.progress import AT_RISK, NO_DATA, ON_TRACK, REACHED, THIN, compute
from handlers.domain.reports import Draft, store, void
from models import Office, ReportValue

NOW = datetime(2024, 2, 15, 3, 0, tzinfo=UTC)


def put(session, province, indicator, period, value, project=None, respondents=None, mode="new"):  # type: ignore[no-untyped-def]
    office = session.scalars(select(Office).where((Office.province_th == province) | (Office.code == province))).one()
    draft = Draft(indicator=indicator, value=value, period=period, office_id=office.id, project=project,
                  respondents=respondents)
    stored = store(session, draft, None, mode=mode, now=NOW, source_message="test", source_event_id=None)
    return session.get(ReportValue, stored.report_id)


@pytest.fixture
def trade(db):  # type: ignore[no-untyped-def]
    """420 million baht inside the window, plus values that must not count."""
    with transaction(db) as session:
        put(session, "เชียงใหม่", "2.1.1", "2023-10", 100, project=3)
        put(session, "เชียงใหม่", "2.1.1", "2023-11", 10, project=3)
        put(session, "เชียงใหม่", "2.1.1", "2023-11", 50, project=3, mode="replace")  # correction: 10 → 50
        put(session, "ขอนแก่น", "2.1.1", "2023-12", 150, project=1)
        put(session, "ขอนแก่น", "2.1.1", "2024-01", 100, project=1)
        put(session, "นครราชสีมา", "2.1.1", "2024-02", 20, project=1)
        void(session, put(session, "พะเยา", "2.1.1", "2023-10", 999, project=3), None, NOW, "test", None)
        put(session, "พะเยา", "2.1.1", "2023-09", 77, project=3)  # before the window
        put(session, "พะเยา", "2.1.1", "2024-06", 300, project=3)  # after the window
    return db


def progress(sessions, code, as_of):  # type: ignore[no-untyped-def]
    with sessions() as session:
        return compute(session, indicator_by_code(session, code), as_of).to_json()


def test_mid_window_numbers(trade):
    p = progress(trade, "2.1.1", date(2024, 2, 15))
    assert (p["target"], p["actual"], p["months_total"], p["months_elapsed"]) == (835, 420, 8, 4)
    assert p["percent"] == pytest.approx(50.299401, abs=1e-6)
    # the forecast runs on the 4 ended months (400): February's 20 so far is shown apart, not extrapolated
    assert (p["expected"], p["gap"], p["forecast"], p["needed_per_month"]) == (417.5, 2.5, 800, 103.75)
    assert p["current_so_far"] == 20
    # 3 of 76 offices: the pace is on track, but the status says the data is not enough to judge
    assert (p["pace"], p["status"], p["coverage"]) == (ON_TRACK, THIN, {"reported": 3, "of": 76})
    assert p["by_month"] == [
        {"period": "2023-10", "value": 100, "cumulative": 100}, {"period": "2023-11", "value": 50, "cumulative": 150},
        {"period": "2023-12", "value": 150, "cumulative": 300}, {"period": "2024-01", "value": 100, "cumulative": 400},
        {"period": "2024-02", "value": 20, "cumulative": 420}]
    top = [(r["province"], r["value"], r["rank"], r["region_rank"]) for r in p["by_province"][:3]]
    assert top == [("ขอนแก่น", 250, 1, 1), ("เชียงใหม่", 150, 2, 1), ("นครราชสีมา", 20, 3, 2)]
    assert len(p["by_province"]) == 76 and p["by_province"][3]["value"] is None
    projects = {r["project"]: r["value"] for r in p["by_project"]}
    assert projects == {1: 270, 2: None, 3: 150, 4: None, 5: None, 6: None, 7: None, 8: None}
    assert p["reporting_period"] == "2024-01"
    assert p["offices_reported"] == ["ขอนแก่น"] and len(p["offices_missing"]) == 75


def test_end_of_december(trade):
    """December is not due until 5 Jan: the pace and the forecast stand on October and November (due 6 Nov and
    6 Dec, both moved to a working day), December's 150 is shown as the month under way (issue 13)."""
    p = progress(trade, "2.1.1", date(2023, 12, 31))
    assert (p["actual"], p["months_elapsed"], p["expected"]) == (300, 2, 208.75)
    # forecast 150 + 150 ÷ 2 × 6; needed (835 − 300) ÷ the 5 months still to sell in
    assert (p["forecast"], p["current_so_far"], p["needed_per_month"]) == (600, 150, 107)
    assert p["reporting_period"] == "2023-11" and p["pace"] == ON_TRACK and p["status"] == THIN


def test_nobody_is_missing_a_month_before_it_is_due(trade):
    before = progress(trade, "2.1.1", date(2024, 3, 4))  # February is due on 5 Mar
    on_the_day = progress(trade, "2.1.1", date(2024, 3, 5))
    assert (before["reporting_period"], before["months_elapsed"]) == ("2024-01", 4)
    assert (on_the_day["reporting_period"], on_the_day["months_elapsed"]) == ("2024-02", 5)
    assert before["expected"] == 417.5 and on_the_day["expected"] == 521.875


def test_last_day_of_the_window(trade):
    p = progress(trade, "2.1.1", date(2024, 5, 31))
    # May is due on 5 Jun: 7 months due, the forecast extends their pace over May; nothing is left to sell in
    assert (p["actual"], p["months_elapsed"], p["expected"], p["forecast"]) == (420, 7, 730.625, 480)
    assert p["needed_per_month"] is None and p["pace"] == AT_RISK and p["status"] == THIN
    assert p["reporting_period"] == "2024-04"  # May is not due until 5 Jun


def test_after_the_window_later_months_do_not_count(trade):
    p = progress(trade, "2.1.1", date(2024, 7, 1))
    assert (p["actual"], p["months_elapsed"], p["percent"]) == (420, 8, pytest.approx(50.299401, abs=1e-6))


def test_no_data(db):
    p = progress(db, "2.1.1", date(2024, 2, 15))
    assert p["actual"] is None and p["status"] == NO_DATA
    assert (p["percent"], p["expected"], p["gap"], p["needed_per_month"]) == (0, 417.5, -417.5, 208.75)
    assert len(p["offices_missing"]) == 76


def test_satisfaction_is_weighted_by_respondents_and_an_uncounted_row_changes_nothing(db):
    """Issue 13's figures: 92/100, 88/50, 80/300, 95/20 → 84.04; one office's 90 with no count is in no figure,
    on the progress card or in the officer's confirmation (it counted with weight 1 there: 84.06)."""
    with transaction(db) as session:
        for province, value, count in (("เชียงใหม่", 92, 100), ("ขอนแก่น", 88, 50), ("นครราชสีมา", 80, 300),
                                       ("ลำปาง", 95, 20)):
            put(session, province, "2.2.1", "2024-01", value, respondents=count)
    expected = (92 * 100 + 88 * 50 + 80 * 300 + 95 * 20) / 470
    before = progress(db, "2.2.1", date(2024, 2, 15))
    assert before["actual"] == pytest.approx(expected) and round(before["actual"], 2) == 84.04
    with transaction(db) as session:
        put(session, "ตราด", "2.2.1", "2024-01", 90)  # no respondent count
    after = progress(db, "2.2.1", date(2024, 2, 15))
    assert after["actual"] == pytest.approx(expected) and after["pace"] == before["pace"] == AT_RISK
    with db() as session:
        indicator = indicator_by_code(session, "2.2.1")
        trat = session.scalars(select(Office).where(Office.province_th == "ตราด")).one()
        chiang_mai = session.scalars(select(Office).where(Office.province_th == "เชียงใหม่")).one()
        assert standing(session, trat.id, indicator, date(2024, 2, 15)).national_value == pytest.approx(expected)
        assert standing(session, trat.id, indicator, date(2024, 2, 15)).office_value is None
        assert standing(session, chiang_mai.id, indicator, date(2024, 2, 15)).office_value == 92
        assert uncounted(session, indicator, date(2024, 2, 15)) == 1
    row = next(r for r in after["by_province"] if r["province"] == "ตราด")
    assert row["value"] is None  # not ranked on a figure it does not have
    assert (before["uncounted"], after["uncounted"]) == (0, 1)
    with db() as session:
        from handlers.domain.progress import compute
        from handlers.present.progress_cards import national_card

        card = json.dumps(national_card(compute(session, indicator_by_code(session, "2.2.1"), date(2024, 2, 15)),
                                        "2.2"), ensure_ascii=False)
    assert "ไม่นับ 1 รายงานที่ไม่มีจำนวนผู้ตอบ" in card  # the card says a figure was left out, and why


def test_latest_value_for_central_indicators(db):
    with transaction(db) as session:
        unit = session.scalars(select(Office).where(Office.kind == "central")).all()
        ita = indicator_by_code(session, "3.1.5")
        owner = next(o for o in unit if o.code in ita.responsible_units)
        put(session, owner.code, "3.1.5", "2023-12", 80)
        put(session, owner.code, "3.1.5", "2024-01", 86)
    p = progress(db, "3.1.5", date(2024, 2, 15))
    assert (p["actual"], p["target"], p["status"]) == (86, 85, REACHED)
    assert p["by_province"] == []


def test_a_consolidating_unit_is_shown_beside_the_provinces_never_added(trade):
    """กบภ. consolidates 2.1.1 (seed 000): its own figure is not part of the provinces' total."""
    with transaction(trade) as session:
        indicator = indicator_by_code(session, "2.1.1")
        unit = next(o for o in session.scalars(select(Office).where(Office.kind == "central"))
                    if o.code in indicator.responsible_units)
        put(session, unit.code, "2.1.1", "2024-01", 100, project=1)
    p = progress(trade, "2.1.1", date(2024, 2, 15))
    assert (p["actual"], p["consolidated"]) == (420, 100)
    assert sum(r["value"] or 0 for r in p["by_province"]) == 420


def test_ties_share_a_rank_and_silent_offices_are_not_ranked(db):
    with transaction(db) as session:
        for province in ("เชียงใหม่", "ขอนแก่น", "ตราด"):
            put(session, province, "2.1.1", "2024-01", 77.35, project=1)
        put(session, "ลำปาง", "2.1.1", "2024-01", 10, project=3)
    rows = progress(db, "2.1.1", date(2024, 2, 15))["by_province"]
    ranked = [(r["province"], r["rank"]) for r in rows if r["rank"] is not None]
    # three at 77.35 are all 1st, in Thai dictionary order (ขอนแก่น, เชียงใหม่ under ช, ตราด); then 4th
    assert ranked == [("ขอนแก่น", 1), ("เชียงใหม่", 1), ("ตราด", 1), ("ลำปาง", 4)]
    assert all(r["rank"] is None and r["region_rank"] is None for r in rows[4:])


def test_missing_offices_are_listed_in_thai_dictionary_order(db):
    p = progress(db, "2.1.1", date(2024, 2, 15))
    missing = p["offices_missing"]
    assert missing.index("เชียงใหม่") < missing.index("ตราด")  # เชียงใหม่ sorts under ช, not after ฮ
    assert missing.index("แพร่") < missing.index("ภูเก็ต")  # แพร่ under พ


def test_progress_cli_prints_the_same_numbers(trade, database_url, monkeypatch, capsys):
    import json

    from bot.cli import main

    monkeypatch.setenv("DATABASE_URL", database_url)
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "BOT_ENV"):
        monkeypatch.delenv(name, raising=False)
    assert main(["progress", "2.1", "--as-of", "2024-02-15", "--json"]) == 0
    p = json.loads(capsys.readouterr().out)
    keys = {"indicator", "target", "actual", "percent", "expected", "gap", "forecast", "needed_per_month", "status",
            "offices_reported", "offices_missing", "by_province", "by_project", "by_month"}
    assert keys <= set(p)
    assert (p["indicator"], p["actual"], p["expected"], p["forecast"]) == ("2.1.1", 420, 417.5, 800)
    assert main(["progress", "2.1.1", "--as-of", "2024-02-15", "--province", "ขอนแก่น", "--json"]) == 0
    office = json.loads(capsys.readouterr().out)
    assert office["actual"] == 250 and office["expected"] is None
    assert main(["progress", "9.9"]) == 2
    assert main(["progress", "2.1", "--as-of", "15/02/2024"]) == 2


def test_a_status_stands_only_on_enough_offices(db):
    """Issue 13: 1 of 76 provinces at 95% is not the country reaching 90%; half the offices are."""
    with db() as session:
        provinces = [o.province_th for o in session.scalars(select(Office).where(Office.kind == "provincial"))]
    with transaction(db) as session:
        put(session, provinces[0], "2.2.1", "2024-01", 95, respondents=50)
    thin = progress(db, "2.2.1", date(2024, 2, 15))
    assert (thin["pace"], thin["status"], thin["coverage"]) == (REACHED, THIN, {"reported": 1, "of": 76})
    with transaction(db) as session:
        for province in provinces[1:38]:
            put(session, province, "2.2.1", "2024-01", 95, respondents=50)
    judged = progress(db, "2.2.1", date(2024, 2, 15))
    assert (judged["status"], judged["coverage"]) == (REACHED, {"reported": 38, "of": 76})
