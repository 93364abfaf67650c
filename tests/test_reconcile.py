"""Reconciliation: on one generated data set, every figure shown in two places is the same number in both.

Seeded rows (ten offices in six regions, corrections, voids, satisfaction without a count, allocations, กบภ.'s
own figures) give the expected figures by the README's definitions; the engine, cards, push and CLI must agree.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from collections import namedtuple
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from bot.db import transaction
from handlers import overview, progress, province_summary, report
from handlers.domain import thai_format
from handlers.domain.allocations import import_targets
from handlers.domain.indicators import indicator_by_code, projects_for_office
from handlers.domain.progress import Progress, compute
from handlers.domain.reports import Draft, store, void
from handlers.present.summary import summary_indicators, summary_messages
from models import Office, ReportValue
from tests.conftest import TODAY
from tests.handler_context import MANAGER, NOW, OFFICER, Seen, answer, bubble_text, context, office, person

PROVINCES = ("เชียงใหม่", "ลำปาง", "ขอนแก่น", "นครราชสีมา", "อุดรธานี", "นครปฐม", "ชลบุรี", "ตาก", "สงขลา", "ภูเก็ต")
UNIT = "กบภ."  # consolidates 2.1.1 and 2.2.1 centrally: its figure stands beside the provinces' total
MONTHS = ("2023-09", "2023-10", "2023-11", "2023-12", "2024-01", "2024-02")  # September is before the window
FIRST, LAST, DUE = "2023-10", "2024-02", "2024-01"  # on 15 Feb: January is the last month due, February under way
ALLOCATED = {"ขอนแก่น": 40.0, "สงขลา": 25.0, "ตาก": 8.0}  # 2.1.1 targets of three offices; the others have none
# What เชียงใหม่'s officer confirms in the chat: the generator leaves both keys free for it.
CONFIRMED = {("เชียงใหม่", "2.1.1", 3, "2024-02"): (1.25, None), ("เชียงใหม่", "2.2.1", None, "2024-02"): (91.5, 150)}
CONFIRM_TEXT = "สรุปผล ก.พ. 67\nยอดขายโครงการ 3: 1.25 ล้านบาท\nความพึงพอใจ ร้อยละ 91.5 ผู้ตอบ 150 ราย"
CHIANG_MAI = "สำนักงานพาณิชย์จังหวัดเชียงใหม่"
CODES = ("2.1.1", "2.2.1")
UNITS = {"ล้านบาท": "{} ล้านบาท", "ร้อยละ": "ร้อยละ {}"}  # how a card writes a figure of each unit
Row = namedtuple("Row", "office indicator project period value respondents")  # an active row, as exported


def figure(rows: list[Row], code: str, offices: Any = PROVINCES, last: str = LAST, **match: Any) -> float | None:
    """The README's definition: the rows of `offices` in the window up to `last`; Σ value for 2.1.1, for 2.2.1
    Σ(value × respondents) ÷ Σ respondents over the rows with a count."""
    picked = [r for r in rows if r.indicator == code and r.office in offices and FIRST <= r.period <= last
              and all(getattr(r, k) == v for k, v in match.items())]
    if code == "2.1.1":
        return sum(r.value for r in picked) if picked else None
    counted = [r for r in picked if r.respondents is not None]
    return sum(r.value * r.respondents for r in counted) / sum(r.respondents for r in counted) if counted else None


def generate(session: Session, rng: random.Random) -> list[Row]:
    """Store the data set through the domain, as confirmed reports are, and return the rows that stay active."""
    active, reports = {}, {}  # key → (value, respondents) of what stays active; key → the stored row

    def put(where: str, code: str, project: int | None, period: str, value: float, respondents: int | None = None,
            mode: str = "new") -> None:
        draft = Draft(code, value, period, office(session, where).id, project, respondents)
        key = (where, code, project, period)
        stored = store(session, draft, None, mode=mode, now=NOW, source_message="reconcile", source_event_id=None)
        reports[key] = session.get(ReportValue, stored.report_id)
        active[key] = (value, respondents)

    for province in PROVINCES:
        fitting = projects_for_office(session, indicator_by_code(session, "2.1.1"), office(session, province))
        projects = [p.number for p in fitting]  # the projects of the office's region, and the national ones
        for period in MONTHS:
            if rng.random() < 0.2:
                continue  # a month this office has not reported
            for project in rng.sample(projects, min(len(projects), rng.randint(1, 2))):
                if (province, "2.1.1", project, period) not in CONFIRMED:
                    put(province, "2.1.1", project, period, round(rng.uniform(0.5, 12), 2))
            if (province, "2.2.1", None, period) not in CONFIRMED:
                counted = rng.randint(20, 400) if rng.random() < 0.75 else None  # some came without a count
                put(province, "2.2.1", None, period, round(rng.uniform(70, 99), 2), counted)
    put(UNIT, "2.1.1", 7, "2023-12", 55.5)  # กบภ.'s own figures, one of them corrected
    put(UNIT, "2.1.1", 8, "2024-01", 61.25)
    put(UNIT, "2.1.1", 8, "2024-01", 64.0, mode="replace")
    put(UNIT, "2.2.1", None, "2024-01", 88.0, 900)
    inside = [k for k in active if k[0] != UNIT and k[3] >= FIRST]
    trade_keys, satisfaction_keys = ([k for k in inside if k[1] == code] for code in CODES)
    for key in [*rng.sample(trade_keys, 3), *rng.sample(satisfaction_keys, 2)]:  # corrections: a new version
        value, counted = active[key]
        put(*key, round(value * 0.9 + 1.11, 2), counted and counted + 7, mode="replace")
    uncounted = [k for k in satisfaction_keys if active[k][1] is None]
    put(*uncounted[0], active[uncounted[0]][0], 55, mode="replace")  # the count arrives later: now it counts
    voided = [*rng.sample(trade_keys, 2), next(k for k in satisfaction_keys if active[k][1])]
    for key in voided:
        void(session, reports[key], None, NOW, "reconcile", None)
        del active[key]
    put(*voided[0], 3.33)  # voided, then sent again
    return [Row(*key, *value) for key, value in active.items()]


@pytest.fixture
def dataset(db: Any, database_url: str, monkeypatch: pytest.MonkeyPatch) -> list[Row]:
    """The data set, committed (the CLI reads it through DATABASE_URL, as the deployment does)."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BOT_TODAY", TODAY.isoformat())
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "BOT_ENV"):
        monkeypatch.delenv(name, raising=False)
    with transaction(db) as session:
        rows = generate(session, random.Random(2567))
        sheet = [(n, {"office": o, "indicator": "2.1.1", "target": str(t)})
                 for n, (o, t) in enumerate(ALLOCATED.items(), 2)]
        assert import_targets(session, ["office", "indicator", "target"], sheet, "reconcile", NOW).errors == []
    return rows


@pytest.fixture
def session(dataset: list[Row], handler_session: Session) -> Session:
    return handler_session  # conftest's (the usual officers and manager, rolled back), on the committed data set


def national(session: Session, code: str, where: str | None = None) -> Progress:
    return compute(session, indicator_by_code(session, code), TODAY, office=office(session, where) if where else None)


def shown(text: str, template: str) -> Any:
    """The numbers a card shows where `template` has {} (None for a dash); one number alone, else a tuple."""
    found = re.search(re.escape(template).replace(r"\{\}", r"(-|-?[\d,]+(?:\.\d+)?)"), text)
    assert found, f"{template!r} is not on the card:\n{text}"
    numbers = tuple(None if g == "-" else float(g.replace(",", "")) for g in found.groups())
    return numbers[0] if len(numbers) == 1 else numbers


def at2(*values: float | None) -> Any:
    """What a figure looks like at the cards' precision (two decimals); None stays a dash."""
    out = tuple(None if v is None else pytest.approx(v, abs=0.005 + 1e-9) for v in values)
    return out[0] if len(out) == 1 else out


def test_the_engine_gives_the_figures_of_the_raw_rows(db: Any, dataset: list[Row]) -> None:
    with db() as session:
        for code in CODES:
            p = national(session, code)
            assert p.actual == pytest.approx(figure(dataset, code)) and p.actual is not None
            assert p.consolidated == pytest.approx(figure(dataset, code, offices=(UNIT,)))  # apart, never added
            values = {r["province"]: r["value"] for r in p.by_province}
            assert values == pytest.approx({o: figure(dataset, code, office=o) for o in values}) and len(values) == 76
            for o in PROVINCES:
                assert national(session, code, o).actual == pytest.approx(values[o]), o
            provincial = [r for r in dataset if r.indicator == code and r.office != UNIT and r.period >= FIRST]
            assert p.coverage == {"reported": len({r.office for r in provincial}), "of": 76}
            january = {r.office for r in provincial if r.period == DUE}  # "has reported": any active row
            assert (set(p.offices_reported), len(p.offices_missing)) == (january, 76 - len(january))
        assert p.uncounted == sum(r.respondents is None for r in provincial) > 0  # 2.2.1: in no figure
        trade = national(session, "2.1.1")
    due = figure(dataset, "2.1.1", last=DUE)  # the four months due by 15 Feb (Oct–Jan); February is apart
    assert trade.current_so_far == pytest.approx(figure(dataset, "2.1.1", period=LAST))
    assert (trade.percent, trade.expected, trade.gap, trade.forecast, trade.needed_per_month) == pytest.approx(
        (100 * trade.actual / 835, 417.5, trade.actual - 417.5, due + due / 4 * 4, (835 - trade.actual) / 4))


def test_breakdowns_add_back_to_the_national_figure_and_ranks_follow_the_values(db: Any, dataset: list[Row]) -> None:
    with db() as session:
        trade, satisfaction = (national(session, code) for code in CODES)
    for rows in (trade.by_province, trade.by_project, trade.by_month):
        assert sum(r["value"] or 0 for r in rows) == pytest.approx(trade.actual)
    assert [m["cumulative"] for m in trade.by_month] == pytest.approx(
        [figure(dataset, "2.1.1", last=m["period"]) for m in trade.by_month])
    counted = [r for r in dataset if r.indicator == "2.2.1" and r.office != UNIT and r.respondents
               and FIRST <= r.period <= LAST]
    splits = ((satisfaction.by_province, "province", "office"), (satisfaction.by_month, "period", "period"))
    for rows, key, attr in splits:  # each office's (each month's) mean, weighted by its respondents
        pairs = [(row["value"], sum(r.respondents for r in counted if getattr(r, attr) == row[key]))
                 for row in rows if row["value"] is not None]
        assert sum(v * n for v, n in pairs) / sum(n for _, n in pairs) == pytest.approx(satisfaction.actual)
    for p in (trade, satisfaction):
        ranked = [r for r in p.by_province if r["value"] is not None]
        assert [r["value"] for r in ranked] == sorted((r["value"] for r in ranked), reverse=True)
        for r in ranked:
            assert r["rank"] == 1 + sum(o["value"] > r["value"] for o in ranked)
            assert r["region_rank"] == 1 + sum(o["value"] > r["value"] for o in ranked if o["region"] == r["region"])
    assert {r["province"]: r["target"] for r in trade.by_province if "target" in r} == ALLOCATED


def check_national_card(text: str, p: Progress) -> None:
    """Every number of a national card is the engine's, at the card's precision."""
    v = UNITS[p.unit]
    pairs = {f"เป้าหมาย\n{v}": p.target, f"ผลงาน\n{v}": p.actual, f"ตัวเลขรวบรวมส่วนกลาง\n{v}": p.consolidated,
             f"ต่างจากผลรวมจังหวัด {v}": p.consolidated - p.actual, "ร้อยละ {} ของเป้าหมาย": p.percent,
             "รายงานแล้ว {} จาก 76 จังหวัด": p.coverage["reported"], "ยังไม่รายงาน ม.ค. 2567: {} จังหวัด":
             len(p.offices_missing)}
    if p.aggregation == "sum":
        pairs |= {f"ควรถึง {v} ตามแผน": p.expected, f"ส่วนต่าง\n{v}": p.gap, f"คาดการณ์สิ้นสุด\n{v}": p.forecast,
                  f"ยอดที่ยังไม่ถึงกำหนดส่ง\n{v}": p.current_so_far, f"ต้องได้ต่อเดือน\n{v}": p.needed_per_month}
    else:
        pairs["ไม่นับ {} รายงานที่ไม่มีจำนวนผู้ตอบ"] = p.uncounted
    for template, value in pairs.items():
        assert shown(text, template) == at2(value), template
    ranked = [r for r in p.by_province if r["value"] is not None]
    lines = re.findall(r"^(\d+)\. (\S+) (?:ร้อยละ )?([\d,.]+)", text, re.MULTILINE)  # top 5, then the others
    assert [(int(n), name, float(x)) for n, name, x in lines] == [(r["rank"], r["province"], at2(r["value"]))
                                                                  for r in ranked]
    for r in (r for r in ranked if "percent" in r):
        assert shown(text, f"{r['province']} {v} (ร้อยละ {{}} ของเป้า, {r['status']})") == at2(r["value"], r["percent"])


def test_progress_card_push_and_overview_show_the_engine_s_figures(session: Session, dataset: list[Row]) -> None:
    pushed = [bubble_text(b) for b in summary_messages(session, summary_indicators(session, TODAY), TODAY, None)[1]
              ["contents"]["contents"]]
    glance = [bubble_text(b) for b in Seen(overview.handle(context(session, MANAGER, "ภาพรวม"))).bubbles()]
    for code in CODES:
        p, v = national(session, code), UNITS[national(session, code).unit]
        assert p.actual == pytest.approx(figure(dataset, code))
        [asked] = Seen(progress.handle(context(session, MANAGER, f"ความคืบหน้า {code}"))).bubbles()
        for text in (bubble_text(asked), next(t for t in pushed if t.split("\n")[0].endswith(f" · {code}"))):
            check_national_card(text, p)
        line = next(t for t in glance if f"\n{code} " in t).split(f"\n{code} ")[1]
        assert shown(line, f"{v} / เป้า {v} · ") == at2(p.actual, p.target)
        assert shown(line, "รายงานแล้ว {} จาก 76 จังหวัด") == p.coverage["reported"]


def test_province_summary_and_office_push_show_each_office_s_figures(session: Session, dataset: list[Row]) -> None:
    nations, indicators = {code: national(session, code) for code in CODES}, summary_indicators(session, TODAY)
    for o in PROVINCES:
        asked = [bubble_text(b) for b in Seen(province_summary.handle(context(session, MANAGER, f"สรุปจังหวัด{o}")))
                 .bubbles()]
        pushed = summary_messages(session, indicators, TODAY, office(session, o))[1]["contents"]["contents"]
        assert [bubble_text(b) for b in pushed] == asked  # the office's monthly push is the same two cards
        for code, text in zip(CODES, asked, strict=True):
            p, mine = nations[code], national(session, code, o)
            row, v = next(r for r in p.by_province if r["province"] == o), UNITS[p.unit]
            assert mine.actual == pytest.approx(figure(dataset, code, office=o))
            months = sorted({r.period for r in dataset if (r.office, r.indicator) == (o, code) and r.period >= FIRST})
            assert shown(text, f"ทั้งประเทศ\n{v} / เป้า {v}") == at2(p.actual, p.target)
            assert f"เดือนที่รายงาน\n{', '.join(thai_format.month(m) for m in months)}\n" in text  # uncounted too
            if mine.actual is None:  # only rows without a respondent count: in no figure, not ranked
                assert "ผลงานสำนักงาน\n-\n" in text and row["value"] is None and "อันดับ" not in text
                continue
            assert shown(text, f"ผลงานสำนักงาน\n{v}") == at2(mine.actual) == at2(row["value"])
            ranked = sum(r["value"] is not None for r in p.by_province)
            assert shown(text, "อันดับ\n{} จาก {} ที่รายงาน (ในภาค {})") == (row["rank"], ranked, row["region_rank"])
            if p.aggregation == "sum":
                assert shown(text, "สัดส่วน\nร้อยละ {} ของประเทศ") == at2(100 * mine.actual / p.actual)
            if "target" in row:  # an allocated office: judged against its own target, as its ranking line says
                assert shown(text, f"เป้าหมายจังหวัด\n{v}") == row["target"] and f"สถานะ\n{row['status']}" in text
                assert shown(text, "ร้อยละ {} ของเป้าหมายจังหวัด") == at2(row["percent"])
                assert shown(text, f"ส่วนต่างจากแผน\n{v}") == at2(mine.gap)


def test_the_officer_s_confirmation_shows_what_the_card_then_shows(session: Session, dataset: list[Row]) -> None:
    report.handle(context(session, OFFICER, CONFIRM_TEXT))
    done = Seen(answer(session, OFFICER, "ยืนยัน")).text
    rows = [*dataset, *(Row(*key, *value) for key, value in CONFIRMED.items())]
    trade = figure(rows, "2.1.1")
    assert shown(done, f"มูลค่าการค้าสะสมของ{CHIANG_MAI}: {{}} ล้านบาท") == at2(figure(rows, "2.1.1", office="เชียงใหม่"))
    assert shown(done, "ทั้งประเทศ {} จาก {} ล้านบาท (ร้อยละ {} ของเป้าหมาย)") == at2(trade, 835, 100 * trade / 835)
    assert shown(done, f"ความพึงพอใจเฉลี่ยของ{CHIANG_MAI}: ร้อยละ {{}} (ทั้งประเทศ ร้อยละ {{}})") == at2(
        figure(rows, "2.2.1", office="เชียงใหม่"), figure(rows, "2.2.1"))
    for code, said in (("2.1.1", "ทั้งประเทศ {} จาก"), ("2.2.1", "(ทั้งประเทศ ร้อยละ {})")):
        [card] = Seen(progress.handle(context(session, MANAGER, f"ความคืบหน้า {code}"))).bubbles()
        assert shown(bubble_text(card), f"ผลงาน\n{UNITS[national(session, code).unit]}") == shown(done, said)


def test_progress_json_and_the_export_give_the_engine_s_figures(db: Any, dataset: list[Row], capsys: Any) -> None:
    for code in CODES:
        for where in (None, "ขอนแก่น", "สงขลา"):
            assert main(["progress", code, "--json", *(["--province", where] if where else [])]) == 0
            printed = json.loads(capsys.readouterr().out)
            with db() as session:
                assert printed == national(session, code, where).to_json()
            match = {"office": where} if where else {}
            assert printed["actual"] == pytest.approx(figure(dataset, code, **match), abs=1e-6)
    assert main(["export", "reports"]) == 0
    exported = [Row(r["province"], r["indicator"], int(r["project"]) if r["project"] else None, r["period"],
                    float(r["value"]), int(r["respondents"]) if r["respondents"] else None)
                for r in csv.DictReader(io.StringIO(capsys.readouterr().out))]
    assert sorted(exported, key=repr) == sorted(dataset, key=repr)  # every active row, voids and old versions not
    with db() as session:
        provincial = set(session.scalars(select(Office.province_th).where(Office.kind == "provincial")))
        for code in CODES:
            p = national(session, code)
            assert p.actual == pytest.approx(figure(exported, code, provincial))
            assert p.consolidated == pytest.approx(figure(exported, code, {r.office for r in exported} - provincial))
            for key, rows in (("province", p.by_province), ("period", p.by_month), ("project", p.by_project)):
                match = "office" if key == "province" else key
                assert [r["value"] for r in rows] == pytest.approx(
                    [figure(exported, code, provincial, **{match: r[key]}) for r in rows]), key


def test_the_central_unit_s_own_figure_is_the_same_on_its_own_summary(session: Session, dataset: list[Row]) -> None:
    """กบภ.'s consolidated figure: the national card shows it beside the provinces' total, and its own summary
    shows the same number (it counted provincial rows only, and showed "-")."""
    person(session, "U-kbp", "officer", UNIT)
    cards = Seen(province_summary.handle(context(session, "U-kbp", "สรุปจังหวัด"))).bubbles()
    for code, card in zip(CODES, cards, strict=True):
        p = national(session, code)
        assert p.consolidated == pytest.approx(figure(dataset, code, offices=(UNIT,)))
        assert shown(bubble_text(card), f"ผลงานสำนักงาน\n{UNITS[p.unit]}") == at2(p.consolidated), code
