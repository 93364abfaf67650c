"""Issue 13: a province has no target of its own in the seed. Without an allocation its card carries no status;
`targets import` loads allocations (CSV or XLSX, all rows or none) and then the card and ranking judge by them."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.db import transaction
from models import Allocation
from tests.conftest import MANAGER, OFFICER
from tests.test_progress import put


@pytest.fixture
def cli(database_url, monkeypatch):  # type: ignore[no-untyped-def]
    """The CLI reads DATABASE_URL like the real deployment does."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "BOT_ENV"):
        monkeypatch.delenv(name, raising=False)
    return main


@pytest.fixture
def trade(sessions):  # type: ignore[no-untyped-def]
    with transaction(sessions) as session:
        put(session, "เชียงใหม่", "2.1.1", "2023-10", 10, project=3)
        put(session, "เชียงใหม่", "2.1.1", "2023-11", 6, project=3)
        put(session, "ขอนแก่น", "2.1.1", "2023-12", 30, project=1)
        put(session, "นครราชสีมา", "2.1.1", "2024-01", 4, project=1)


def allocations(sessions) -> int:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(Allocation))


def test_without_an_allocation_a_province_has_no_target_and_no_status(cli, trade, capsys):
    assert cli(["progress", "2.1.1", "--as-of", "2024-02-15", "--province", "เชียงใหม่"]) == 0
    out = capsys.readouterr().out
    assert "835" not in out and "ตามแผน" not in out  # the national target is not the province's
    assert "status: ไม่มีเป้าหมายให้เทียบ" in out and "actual 16.00 ล้านบาท" in out
    assert cli(["progress", "2.1.1", "--as-of", "2024-02-15", "--province", "เชียงใหม่", "--json"]) == 0
    p = json.loads(capsys.readouterr().out)
    assert (p["target"], p["percent"], p["expected"], p["forecast"]) == (None, None, None, None)


@pytest.mark.usefixtures("people")
def test_province_card_without_an_allocation_shows_total_share_rank_and_trend_but_no_status(chat, trade):
    text = chat.send("สรุปจังหวัดเชียงใหม่", user=MANAGER).text
    for shown in ("16.00 ล้านบาท", "ร้อยละ 32.00 ของประเทศ", "2 จาก 3 ที่รายงาน", "พ.ย. 2566 ลดลงจาก ต.ค. 2566",
                  "ยังไม่มีเป้าหมายรายจังหวัด จึงไม่ประเมินสถานะ"):
        assert shown in text, shown
    assert "สถานะ" not in text.replace("ไม่ประเมินสถานะ", "") and "ตามแผน" not in text


def test_a_bad_sheet_imports_nothing_and_names_each_row(cli, sessions, tmp_path, capsys):
    sheet = tmp_path / "targets.csv"
    sheet.write_text("office,indicator,target\n"
                     "เชียงใหม่,2.1.1,40\n"
                     "ขอนแก่นน,2.1.1,30\n"          # no such office
                     "ขอนแก่น,2.1.1,inf\n"          # not a finite number
                     "ขอนแก่น,2.1.1,900\n"          # above the national 835
                     "เชียงใหม่,2.1.1,41\n"          # the same office twice
                     "กบภ.,2.1.1,10\n"              # a central unit has no provincial allocation
                     "เชียงใหม่,9.9.9,1\n"           # no such indicator
                     "เชียงใหม่,2.2.1,120\n", encoding="utf-8")
    assert cli(["targets", "import", str(sheet)]) == 2
    err = capsys.readouterr().err
    for expected in ("row 3: unknown office 'ขอนแก่นน'", "row 4: target 'inf' must be a number above 0",
                     "row 5: target 900 is above the national target 835 ล้านบาท",
                     "row 6: same office, indicator and round as row 2",
                     "row 7: 2.1.1 is allocated to provincial offices", "row 8: unknown indicator '9.9.9'",
                     "row 9: target 120 is above 100 ร้อยละ", "nothing imported: 7 error(s)"):
        assert expected in err, expected
    assert "row 2" not in err.replace("as row 2", "")
    assert allocations(sessions) == 0
    (tmp_path / "noheader.csv").write_text("province,value\nเชียงใหม่,1\n", encoding="utf-8")
    assert cli(["targets", "import", str(tmp_path / "noheader.csv")]) == 2
    assert "missing column(s) office, indicator, target" in capsys.readouterr().err
    assert cli(["targets", "import", str(tmp_path / "none.xlsx")]) == 2


def write_xlsx(path, rows):  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)


def test_xlsx_allocations_give_the_province_a_status_and_show_in_targets_show(cli, sessions, trade, tmp_path,
                                                                             capsys):
    sheet = tmp_path / "targets.xlsx"
    write_xlsx(sheet, [["Office", "Indicator", "Target"], ["เชียงใหม่", "2.1.1", 40], ["ขอนแก่น", "2.1.1", 20.5],
                       [None, None, None], ["สพจ.นครราชสีมา", "2.2.1", 90]])
    assert cli(["targets", "import", str(sheet)]) == 0
    assert "imported: 3 new, 0 replaced, 0 unchanged" in capsys.readouterr().out
    assert cli(["targets", "import", str(sheet)]) == 0  # the same sheet again changes nothing
    assert "imported: 0 new, 0 replaced, 3 unchanged" in capsys.readouterr().out
    assert cli(["targets", "show"]) == 0
    out = capsys.readouterr().out
    assert "สำนักงานพาณิชย์จังหวัดขอนแก่น: 20.50 ล้านบาท (targets.xlsx)" in out
    assert out.index("ขอนแก่น: 20.50") < out.index("เชียงใหม่: 40.00")  # Thai dictionary order
    assert "sum 60.50 ล้านบาท of the national 835.00 ล้านบาท" in out
    # 4 of 8 months due by 15 Feb: เชียงใหม่ should be at 20 of its 40 and has 16 (80%: ต่ำกว่าแผน)
    assert cli(["progress", "2.1.1", "--as-of", "2024-02-15", "--province", "เชียงใหม่", "--json"]) == 0
    p = json.loads(capsys.readouterr().out)
    assert (p["target"], p["percent"], p["expected"], p["gap"], p["status"]) == (40, 40, 20, -4, "ต่ำกว่าแผน")
    assert cli(["progress", "2.1.1", "--as-of", "2024-02-15", "--json"]) == 0
    ranks = {r["province"]: r for r in json.loads(capsys.readouterr().out)["by_province"]}
    assert (ranks["ขอนแก่น"]["percent"], ranks["ขอนแก่น"]["status"]) == (pytest.approx(146.341463), "ถึงเป้าแล้ว")
    assert "target" not in ranks["นครราชสีมา"]  # its allocation is for 2.2.1, not 2.1.1


@pytest.mark.usefixtures("people")
def test_the_province_card_and_ranking_judge_by_the_allocation(chat, cli, trade, tmp_path, capsys):
    sheet = tmp_path / "targets.csv"
    sheet.write_text("office,indicator,target\nเชียงใหม่,2.1.1,40\n", encoding="utf-8")
    assert cli(["targets", "import", str(sheet)]) == 0
    mine = chat.send("ความคืบหน้าเป้าหมาย 2.1", user=OFFICER).text
    for shown in ("เป้าหมายจังหวัด", "40.00 ล้านบาท", "ร้อยละ 40.00 ของเป้าหมายจังหวัด", "ส่วนต่างจากแผน",
                  "-4.00 ล้านบาท", "ต่ำกว่าแผน"):
        assert shown in mine, shown
    assert "ยังไม่มีเป้าหมายรายจังหวัด" not in mine
    national = chat.send("ความคืบหน้าเป้าหมาย 2.1", user=MANAGER).text
    assert "2. เชียงใหม่ 16.00 ล้านบาท (ร้อยละ 40.00 ของเป้า, ต่ำกว่าแผน)" in national
    assert "1. ขอนแก่น 30.00 ล้านบาท\n" in national  # no allocation: no percent of its own
