"""Issue 14, wrong data stored (items 1 and 3): a figure no one can mean is a clear Thai refusal, never a draft,
never a stored row; imports refuse non-finite values with the line; no retry loop is unbounded."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.cli import main
from bot.db import transaction
from handlers.domain.reports import Draft, store
from models import ConversationState, ReportValue
from tests.conftest import OFFICER
from tests.test_progress import NOW
from tests.test_transfer import cli_env  # noqa: F401  (the CLI on this test's database)

NINES = "9" * 400


def rows(sessions) -> int:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(ReportValue))


def open_steps(sessions) -> int:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(ConversationState))


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(("message", "quoted"), [
    (f"ยอดขาย ก.พ. 67 โครงการที่ 2 จำนวน {NINES} ล้านบาท", "9" * 40),
    ("ยอดขาย ก.พ. 67 โครงการที่ 2 จำนวน 1e308 ล้านบาท", "1e308"),
    ("ยอดขาย ก.พ. 67 โครงการ 2 NaN ล้าน", "nan"),
    ("ความพึงพอใจ ก.พ. 67 ร้อยละ 1e2 ผู้ตอบ 10 คน", "1e2"),
])
def test_an_unreadable_figure_is_refused_with_the_text_quoted(chat, sessions, message, quoted):
    answer = chat.send(message, user=OFFICER)
    assert f"อ่านตัวเลข {quoted} ไม่ได้ กรุณาพิมพ์เป็นตัวเลขธรรมดา" in answer.text
    assert "ยืนยัน" not in answer.actions and open_steps(sessions) == 0  # no draft waits to be confirmed
    chat.send("ยืนยัน", user=OFFICER)
    chat.send("ยืนยันค่านี้", user=OFFICER)
    assert rows(sessions) == 0


@pytest.mark.usefixtures("people")
def test_a_figure_beyond_its_unit_bound_is_refused(chat, sessions):
    answer = chat.send("ยอดขาย ก.พ. 67 โครงการ 3 จำนวน 2,000,000 ล้านบาท", user=OFFICER)
    assert "เกินกว่าที่เป็นไปได้ (ไม่เกิน 1,000,000.00 ล้านบาท)" in answer.text
    assert rows(sessions) == 0


def test_the_store_itself_refuses_a_non_finite_value(sessions):
    """The last line: whatever path a figure takes, infinity never reaches the table."""
    with transaction(sessions) as session, pytest.raises(ValueError, match="outside its bounds"):
        store(session, Draft(indicator="2.1.1", value=float("inf"), period="2024-01", office_id=1, project=3),
              None, mode="new", now=NOW, source_message="test", source_event_id=None)
    assert rows(sessions) == 0


def test_a_row_the_database_refuses_is_not_retried_forever(sessions):
    """An IntegrityError that is no race (here: an office that does not exist) goes up after one retry; the
    store used to retry without end (RecursionError on SQLite with a NaN)."""
    with sessions() as session, pytest.raises(IntegrityError):
        store(session, Draft(indicator="2.1.1", value=1.0, period="2024-01", office_id=999_999, project=3),
              None, mode="new", now=NOW, source_message="test", source_event_id=None)


@pytest.mark.parametrize("figure", ["inf", "nan", "-inf", "Infinity", "1e400"])
def test_import_refuses_non_finite_values_with_the_line(cli_env, sessions, tmp_path, capsys, figure):  # noqa: F811
    sheet = tmp_path / "reports.csv"
    sheet.write_text("province,indicator,project,period,value,unit\n"
                     "เชียงใหม่,2.1.1,3,2024-01,1.5,ล้านบาท\n"
                     f"ขอนแก่น,2.1.1,1,2024-01,{figure},ล้านบาท\n", encoding="utf-8")
    assert main(["import", "reports", str(sheet)]) == 2
    err = capsys.readouterr().err
    assert f"row 3: value {figure!r} is not a finite number" in err and "nothing imported" in err
    assert rows(sessions) == 0
    assert main(["progress", "2.1.1", "--as-of", "2024-02-15", "--json"]) == 0
    json.loads(capsys.readouterr().out, parse_constant=_not_json)  # strict JSON: no Infinity or NaN anywhere


def _not_json(constant: str) -> None:
    raise AssertionError(f"{constant} is not JSON")


@pytest.mark.usefixtures("people")
def test_adding_to_a_stored_figure_is_bounded_like_a_figure(chat, sessions):
    """The attacker's break: 600,000 then บวกเพิ่ม 700,000 ล้านบาท stored 1,300,000, past the bound."""
    first = chat.send("ยอดขาย ม.ค. 67 โครงการ 1 จำนวน 600,000 ล้านบาท", user=OFFICER)
    chat.tap(chat.tap(first, "ยืนยัน", user=OFFICER), "ยืนยันค่านี้", user=OFFICER)
    second = chat.send("ยอดขาย ม.ค. 67 โครงการ 1 จำนวน 700,000 ล้านบาท", user=OFFICER)
    refused = chat.tap(second, "บวกเพิ่ม", user=OFFICER)
    assert "บวกเพิ่มไม่ได้ครับ: ผลรวม 1,300,000.00 ล้านบาท เกินกว่าที่เป็นไปได้" in refused.text
    with sessions() as session:
        assert [r.value for r in session.scalars(select(ReportValue))] == [600_000]


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize("amount", ["-2.5 ล้านบาท", "ติดลบ 2.5 ล้านบาท", "ลบ 2.5 ล้านบาท", "ขาดทุน 2.5 ล้านบาท"])
def test_a_negative_amount_is_refused_for_its_sign(chat, sessions, amount):
    """The attacker's finding: a negative baht value was refused with a percent/score explanation."""
    answer = chat.send(f"ยอดขาย ม.ค. 67 โครงการ 3 จำนวน {amount}", user=OFFICER)
    assert "มูลค่าต้องไม่ติดลบ" in answer.text and "ร้อยละต้องไม่เกิน" not in answer.text
    assert rows(sessions) == 0


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(("amount", "quoted"), [("(2.5) ล้านบาท", "(2.5)"), ("2.5+1 ล้านบาท", "2.5+1"),
                                                ("2.5 x 2 ล้านบาท", "2.5 x 2"), ("0x10 ล้านบาท", "0x10"),
                                                ("1_000 ล้านบาท", "1_000")])
def test_a_figure_to_work_out_is_refused_not_misread(chat, sessions, amount, quoted):
    """The attacker's finding: (2.5) ล้านบาท was offered as 1.00, 2.5+1 as 1.00, 0x10 as 10.00 ล้านบาท."""
    answer = chat.send(f"ยอดขาย ม.ค. 67 โครงการ 3 จำนวน {amount}", user=OFFICER)
    assert f"อ่านตัวเลข {quoted} ไม่ได้" in answer.text and "ยืนยัน" not in answer.actions
    assert rows(sessions) == 0
