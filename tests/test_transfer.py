"""Export and import of report values: the CSV holds exactly what was confirmed; imports are all-or-nothing."""

from __future__ import annotations

import csv
import io

import pytest

from bot.cli import main
from tests.conftest import OFFICER

pytestmark = pytest.mark.usefixtures("people")

HEADER = "province,indicator,project,period,value,unit,respondents\n"


@pytest.fixture
def cli_env(database_url, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BOT_TODAY", "2024-02-15")
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "BOT_ENV"):
        monkeypatch.delenv(name, raising=False)


def export(capsys, *args: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main(["export", "reports", *args]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_export_holds_exactly_the_confirmed_values(chat, cli_env, capsys):
    assert export(capsys) == []
    chat.send("ยอดขาย ม.ค. 67 โครงการ 2 จำนวน 9 ล้านบาท", user="U-not-registered")  # unregistered: nothing
    chat.tap(chat.send("ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 5 ล้านบาท", user=OFFICER), "ยกเลิก", user=OFFICER)
    chat.send("ความพึงพอใจ ม.ค. 67 ร้อยละ 130", user=OFFICER)  # rejected
    card = chat.send("ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 2.5 ล้านบาท", user=OFFICER)
    chat.tap(card, "ยืนยัน", user=OFFICER)
    rows = export(capsys)
    assert len(rows) == 1
    row = rows[0]
    assert (row["office"], row["province"], row["indicator"], row["project"], row["period"], row["value"],
            row["unit"], row["reported_by"], row["version"]) == (
        "สำนักงานพาณิชย์จังหวัดเชียงใหม่", "เชียงใหม่", "2.1.1", "3", "2024-01", "2.5", "ล้านบาท", OFFICER, "1")
    assert export(capsys, "--from", "2024-02") == []


def test_xlsx_needs_an_output_file_and_writes_a_workbook(chat, cli_env, capsys, tmp_path):
    from openpyxl import load_workbook

    chat.tap(chat.send("ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 2.5 ล้านบาท", user=OFFICER), "ยืนยัน", user=OFFICER)
    assert main(["export", "reports", "--format", "xlsx"]) == 2
    out = tmp_path / "reports.xlsx"
    assert main(["export", "reports", "--format", "xlsx", "--output", str(out)]) == 0
    sheet = load_workbook(out).active
    header, first = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert header[:7] == ["office", "province", "indicator", "project", "period", "value", "unit"]
    assert first[1:7] == ["เชียงใหม่", "2.1.1", 3, "2024-01", "2.5", "ล้านบาท"]


def test_import_loads_historical_months_and_round_trips(cli_env, capsys, tmp_path):
    source = tmp_path / "old.csv"
    source.write_text(HEADER + "เชียงใหม่,2.1.1,3,2023-06,1500000,บาท,\n"
                      "ขอนแก่น,2.2.1,,2023-11,91.5,ร้อยละ,120\n", encoding="utf-8")
    assert main(["import", "reports", str(source)]) == 0
    assert "2 new" in capsys.readouterr().out
    rows = export(capsys)
    assert [(r["province"], r["period"], r["value"], r["respondents"]) for r in rows] == [
        ("เชียงใหม่", "2023-06", "1.5", ""), ("ขอนแก่น", "2023-11", "91.5", "120")]
    # Exported files load back unchanged.
    again = tmp_path / "again.csv"
    again.write_text(export_text(capsys), encoding="utf-8")
    assert main(["import", "reports", str(again)]) == 0
    assert "0 new, 0 replaced, 2 unchanged" in capsys.readouterr().out


def export_text(capsys) -> str:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    main(["export", "reports"])
    return capsys.readouterr().out


def test_import_with_a_bad_row_stores_nothing_and_names_the_rows(cli_env, capsys, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text(HEADER + "เชียงใหม่,2.1.1,3,2024-01,2.5,ล้านบาท,\n"
                      "แอตแลนติส,2.1.1,3,2024-01,2.5,ล้านบาท,\n"
                      "ขอนแก่น,2.2.1,,2024-01,120,ร้อยละ,80\n"
                      "ขอนแก่น,2.1.1,9,2024-01,1,ล้านบาท,\n"
                      "ขอนแก่น,2.1.1,1,2024-13,1,ล้านบาท,\n"
                      "ขอนแก่น,2.1.1,1,2024-09,1,ล้านบาท,\n", encoding="utf-8")
    assert main(["import", "reports", str(source)]) == 2
    err = capsys.readouterr().err
    for row in (3, 4, 5, 6, 7):
        assert f"row {row}:" in err
    assert "row 2:" not in err and "nothing imported" in err
    assert export(capsys) == []


def test_a_satisfaction_row_without_respondents_is_refused(cli_env, capsys, tmp_path):
    """2.2.1 is weighted by respondents (issue 13): an imported row without a count would be in no figure."""
    source = tmp_path / "uncounted.csv"
    source.write_text(HEADER + "ขอนแก่น,2.2.1,,2023-11,91.5,ร้อยละ,\n", encoding="utf-8")
    assert main(["import", "reports", str(source)]) == 2
    err = capsys.readouterr().err
    assert "row 2:" in err and "respondents is empty" in err and "nothing imported" in err
    assert export(capsys) == []


def test_import_of_a_missing_file_or_header_is_refused(cli_env, capsys, tmp_path):
    assert main(["import", "reports", str(tmp_path / "nope.csv")]) == 2
    bad = tmp_path / "noheader.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["import", "reports", str(bad)]) == 2
    assert "missing column" in capsys.readouterr().err


def test_ratio_kpi_figures_import_and_export(cli_env, capsys, tmp_path):
    source = tmp_path / "ditp.csv"
    source.write_text("province,indicator,project,period,value,unit,numerator,denominator\n"
                      "สค.,KPI-2,,2024-01,,เท่า,\"175,364.61\",540.92\n", encoding="utf-8")
    assert main(["import", "reports", str(source)]) == 0
    [row] = export(capsys)
    assert (row["indicator"], row["numerator"], row["denominator"]) == ("KPI-2", "175364.61", "540.92")
    assert float(row["value"]) == pytest.approx(324.197, abs=0.001)
    bad = tmp_path / "half.csv"
    bad.write_text("province,indicator,project,period,value,unit,numerator,denominator\n"
                   "สค.,KPI-3,,2024-01,,เท่า,100,\n", encoding="utf-8")
    assert main(["import", "reports", str(bad)]) == 2
    assert "numerator and denominator go together" in capsys.readouterr().err


def test_a_step_kpi_part_imports_and_exports(cli_env, capsys, tmp_path):
    """KPI-6's registration share travels in the parts column (key=number, as the plan file names the part)."""
    source = tmp_path / "kpi6.csv"
    source.write_text("province,indicator,project,period,value,unit,parts\n"
                      "สค.,KPI-6,,2024-01,100,ร้อยละ,registered=90\n", encoding="utf-8")
    assert main(["import", "reports", str(source)]) == 0
    [row] = export(capsys)
    assert (row["indicator"], row["value"], row["parts"]) == ("KPI-6", "100", "registered=90")
    bad = tmp_path / "bad.csv"
    bad.write_text("province,indicator,project,period,value,unit,parts\n"
                   "สค.,KPI-6,,2024-02,100,ร้อยละ,registered=120\n"
                   "สค.,KPI-6,,2024-03,100,ร้อยละ,quality=high\n", encoding="utf-8")
    assert main(["import", "reports", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "row 2: ร้อยละของชุดข้อมูลเปิดที่ลงทะเบียนในระบบบัญชีข้อมูลภาครัฐ ต้องเป็นร้อยละระหว่าง 0 ถึง 100" in err
    assert "row 3: parts 'quality=high' is not key=number" in err
