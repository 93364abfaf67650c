"""Several results in one message (issue 12): lines, list items and month clauses, with shared context."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp import parse

TODAY = date(2024, 2, 10)


def _rows(text: str, today: date = TODAY) -> list[tuple]:
    return [(r.indicator, r.value, r.period, r.province, r.project) for r in parse(text, today).reports]


@pytest.mark.parametrize(("text", "rows"), [
    ("ลำปาง ยอดขาย ธ.ค. 1.2 ล้าน ม.ค. 1.45 ล้าน",
     [("2.1.1", 1.2, "2023-12", "ลำปาง", None), ("2.1.1", 1.45, "2024-01", "ลำปาง", None)]),
    ("ยอดขาย จ.ตราด\nต.ค. 66 1.2 ล้าน\nพ.ย. 66 980,000\nธ.ค. 66 1,500,000 บาท",
     [("2.1.1", 1.2, "2023-10", "ตราด", None), ("2.1.1", 0.98, "2023-11", "ตราด", None),
      ("2.1.1", 1.5, "2023-12", "ตราด", None)]),
    ("Jan 2024 sales 2.2M / Feb 2024 sales 1.9M", [("2.1.1", 2.2, "2024-01", None, None),
                                                   ("2.1.1", 1.9, "2024-02", None, None)]),
    ("สุรินทร์ ส่งผล 2 เดือนครับ\nม.ค. มูลค่า 1.05 ลบ. พึงพอใจ 92%\nก.พ. มูลค่า 1.3 ลบ. พึงพอใจ 94%",
     [("2.1.1", 1.05, "2024-01", "สุรินทร์", None), ("2.2.1", 92.0, "2024-01", "สุรินทร์", None),
      ("2.1.1", 1.3, "2024-02", "สุรินทร์", None), ("2.2.1", 94.0, "2024-02", "สุรินทร์", None)]),
    ("เชียงใหม่ขอส่งย้อนหลังเจ้า\nต.ค. 1.8 ล้าน\nพ.ย. 2.15 ล้าน\nธ.ค. 3 ล้าน\nโครงการมูลค่าสูงภาคเหนือทั้งหมดเจ้า",
     [("2.1.1", 1.8, "2023-10", "เชียงใหม่", 3), ("2.1.1", 2.15, "2023-11", "เชียงใหม่", 3),
      ("2.1.1", 3.0, "2023-12", "เชียงใหม่", 3)]),
    ("ส่งแทนน้องๆ นะคะ ม.ค.67 เชียงใหม่ 2.1 ล้าน, ลำพูน 9 แสน",  # the month carries to the next item
     [("2.1.1", 2.1, "2024-01", "เชียงใหม่", None), ("2.1.1", 0.9, "2024-01", "ลำพูน", None)]),
])
def test_several_results_in_one_message(text: str, rows: list[tuple]) -> None:
    assert _rows(text) == rows


def test_parts_and_their_total_give_the_total() -> None:
    text = "สงขลา ม.ค. ความพึงพอใจรายด้าน\nด้านเจ้าหน้าที่ 94%\nด้านกระบวนการ 90%\nภาพรวม 91%\nผู้ตอบ 165 คน"
    [report] = parse(text, TODAY).reports
    assert (report.value, report.respondents, report.province) == (91.0, 165, "สงขลา")


@pytest.mark.parametrize(("text", "rows"), [
    # the total of several months or several projects is no month's or project's figure
    ("ตราด ยอดขาย\nต.ค. 1.2 ล้าน\nพ.ย. 1.5 ล้าน\nรวม 2.7 ล้าน",
     [("2.1.1", 1.2, "2023-10", "ตราด", None), ("2.1.1", 1.5, "2023-11", "ตราด", None)]),
    ("ตราด ม.ค. โครงการ 1 ได้ 1.2 ล้าน โครงการ 7 ได้ 0.8 ล้าน รวม 2 ล้าน",
     [("2.1.1", 1.2, "2024-01", "ตราด", 1), ("2.1.1", 0.8, "2024-01", "ตราด", 7)]),
    # a header whose numbers are a year and a project is context for every line under it
    ("กลุ่มจังหวัดอันดามัน ก.พ. 67 โครงการ 4\nภูเก็ต 1.8 ล้านบาท\nพังงา 0.65 ล้านบาท",
     [("2.1.1", 1.8, "2024-02", "ภูเก็ต", 4), ("2.1.1", 0.65, "2024-02", "พังงา", 4)]),
    # one month and several provinces on a line: cut at each province; a province said last applies to all
    ("ม.ค. 67 ยอดขาย พะเยา 0.9 ล้าน น่าน 1.1 ล้าน",
     [("2.1.1", 0.9, "2024-01", "พะเยา", None), ("2.1.1", 1.1, "2024-01", "น่าน", None)]),
    ("ต.ค. 1.2 ล้าน พ.ย. 1.45 ล้าน (สพจ.น่าน)",
     [("2.1.1", 1.2, "2023-10", "น่าน", None), ("2.1.1", 1.45, "2023-11", "น่าน", None)]),
    # the total on the last month's line is not that month's figure
    ("พังงา ยอด ม.ค. 1.3 ล้าน ก.พ. 1.5 ล้าน รวม 2.8 ล้าน",
     [("2.1.1", 1.3, "2024-01", "พังงา", None), ("2.1.1", 1.5, "2024-02", "พังงา", None)]),
    # a month and a project stated after the figures cover them
    ("ปราจีนบุรี 0.95 ล้าน นครนายก 0.6 ล้าน เดือน ม.ค. 67 โครงการ 6",
     [("2.1.1", 0.95, "2024-01", "ปราจีนบุรี", 6), ("2.1.1", 0.6, "2024-01", "นครนายก", 6)]),
    # a pasted table: each column's header gives its values their words and unit
    ("สพจ.ปทุมธานี\nเดือน\tยอดขาย(บาท)\tพึงพอใจ(%)\nม.ค.67\t1,150,000\t91.3\nก.พ.67\t1,320,000\t92.8",
     [("2.1.1", 1.15, "2024-01", "ปทุมธานี", None), ("2.2.1", 91.3, "2024-01", "ปทุมธานี", None),
      ("2.1.1", 1.32, "2024-02", "ปทุมธานี", None), ("2.2.1", 92.8, "2024-02", "ปทุมธานี", None)]),
    ("สพจ.นนทบุรี\nเดือน  ยอดขาย(ล้านบาท)\nม.ค.67  2.35\nก.พ.67  1.90",
     [("2.1.1", 2.35, "2024-01", "นนทบุรี", None), ("2.1.1", 1.9, "2024-02", "นนทบุรี", None)]),
    # the scale of the scores on its own line is not a score
    ("สพจ.มหาสารคาม ความพึงพอใจ\nมกราคม 4.5\nกุมภาพันธ์ 4.6\n(คะแนนเฉลี่ยจากเต็ม 5)",
     [("2.2.1", 90.0, "2024-01", "มหาสารคาม", None), ("2.2.1", 92.0, "2024-02", "มหาสารคาม", None)]),
])
def test_a_grand_total_is_not_a_result_and_context_carries_both_ways(text: str, rows: list[tuple]) -> None:
    assert _rows(text) == rows


@pytest.mark.parametrize("text", ["ตราด ยอดขาย\nต.ค. 1.2 ล้าน\nพ.ย. 1.5 ล้าน\nรวม 3.7 ล้าน",
                                  "ตราด ม.ค. โครงการ 1 ได้ 1.2 ล้าน โครงการ 7 ได้ 0.8 ล้าน รวม 2.5 ล้าน"])
def test_a_total_that_is_not_the_sum_is_a_problem(text: str) -> None:
    result = parse(text, TODAY)
    assert result.problem("conflicting_values") is not None
    assert [r.value for r in result.reports] in ([1.2, 1.5], [1.2, 0.8])  # the parts, never the total


def test_two_values_for_one_month_with_no_total_stay_a_question() -> None:
    result = parse("ยอดขาย ม.ค. 67\n1.2 ล้าน\n1.5 ล้าน", TODAY)
    assert result.problem("conflicting_values") is not None and all(r.value is None for r in result.reports)


LINES = ["ต.ค. 66 1.2 ล้าน", "พ.ย. 66 0.98 ล้าน", "ธ.ค. 66 1.5 ล้าน", "ม.ค. 67 2 ล้าน"]


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False), st.sampled_from(["", " ครับ", " ค่ะ 🙏", "\nขอบคุณค่ะ"]))
def test_shuffled_lines_and_particles_give_the_same_results(rng: random.Random, tail: str) -> None:
    lines = list(LINES)
    rng.shuffle(lines)
    got = sorted(_rows("ยอดขาย จ.ตราด\n" + "\n".join(lines) + tail))
    assert got == sorted(_rows("ยอดขาย จ.ตราด\n" + "\n".join(LINES)))
    assert len(got) == 4


@pytest.mark.parametrize("text", [
    "ยอดขายทันที 800,000 + เจรจาธุรกิจ 1,200,000 รวม 2,000,000 บาท",
    "ขอนแก่น ม.ค. นะคะ ขายหน้างาน 620,000 เจรจาธุรกิจ 1,380,000 รวมทั้งสิ้น 2,000,000 บาท (โครงการ 1)",
])
def test_parts_and_a_total_on_one_line_give_the_total(text: str) -> None:
    [report] = parse(text, TODAY).reports
    assert report.value == 2.0 and not parse(text, TODAY).problems
