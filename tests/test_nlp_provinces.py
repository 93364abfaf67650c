"""Provinces: every office by name, prefix, alias, English name and near misspelling, and the ordinary-word traps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from nlp import parse
from nlp.fuzzy_provinces import fuzzy_province
from nlp.provinces import ORDINARY

TODAY = date(2024, 2, 15)
OFFICES_FILE = Path(__file__).parent.parent / "handlers" / "domain" / "data" / "offices.yaml"
OFFICES = yaml.safe_load(OFFICES_FILE.read_text("utf-8"))["offices"]
NAMES = [o["province_th"] for o in OFFICES]
ENGLISH = [(o["province_en"], o["province_th"]) for o in OFFICES]
ALIASES = [(alias, o["province_th"]) for o in OFFICES for alias in o["aliases_th"]]


def _province(text: str) -> str | None:
    return parse(text, TODAY).province


def test_there_are_76_offices() -> None:
    assert len(NAMES) == 76


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("template", [
    "จ.{} ยอดขาย 2 ล้าน", "จังหวัด{} ยอดขาย 2 ล้าน", "สพจ.{} ยอดขาย 2 ล้าน", "สำนักงานพาณิชย์จังหวัด{} ยอดขาย 2 ล้าน",
    "ยอดขาย 2 ล้าน {}", "{}", "สรุปจังหวัด{}",
])
def test_every_province_by_name(name: str, template: str) -> None:
    result = parse(template.format(name), TODAY)
    assert result.province == name
    assert all(r.province == name for r in result.reports)


@pytest.mark.parametrize("name", [n for n in NAMES if n not in ORDINARY])
def test_distinctive_names_count_anywhere(name: str) -> None:
    assert _province(f"ยอดขาย{name} 2 ล้าน") == name


@pytest.mark.parametrize(("english", "name"), ENGLISH)
def test_english_names(english: str, name: str) -> None:
    assert _province(f"summary for {english}") == name
    assert _province(f"sales 2 million baht {english.replace(' ', '')} Jan 2024") == name


@pytest.mark.parametrize(("alias", "name"), ALIASES + [
    ("โคราช", "นครราชสีมา"), ("อยุธยา", "พระนครศรีอยุธยา"), ("อุบลฯ", "อุบลราชธานี"), ("นครศรีฯ", "นครศรีธรรมราช"),
    ("สุราษฎร์ฯ", "สุราษฎร์ธานี"), ("ประจวบฯ", "ประจวบคีรีขันธ์"), ("อุดร", "อุดรธานี"), ("เมืองคอน", "นครศรีธรรมราช"),
    ("แปดริ้ว", "ฉะเชิงเทรา"), ("Korat", "นครราชสีมา"), ("Ayutthaya", "พระนครศรีอยุธยา"),
])
def test_aliases(alias: str, name: str) -> None:
    assert _province(f"{alias} ยอดขาย ม.ค. 67 2 ล้าน") == name


@pytest.mark.parametrize(("text", "name"), [
    ("เชียงไหม่ ยอดขาย 2 ล้าน", "เชียงใหม่"),
    ("ศรีษะเกษ ยอดขาย 2 ล้าน", "ศรีสะเกษ"),
    ("จ.กาฬสินธ์ ยอดขาย 2 ล้าน", "กาฬสินธุ์"),
    ("จังหวัดนครสรีธรรมราช ยอดขาย 2 ล้าน", "นครศรีธรรมราช"),
    ("นครสรีธรรมราช ยอดขาย 2 ล้าน", "นครศรีธรรมราช"),
    ("จ.สุราษฏร์ธานี ยอดขาย 2 ล้าน", "สุราษฎร์ธานี"),
    ("แม่ฮองสอน ยอดขาย 2 ล้าน", "แม่ฮ่องสอน"),
    ("ขอนแกน ยอดขาย 2 ล้าน", "ขอนแก่น"),
    ("จ.ชม. ยอดขาย 2 ล้าน", "เชียงใหม่"),  # the official abbreviation, after จ.
])
def test_near_misspellings(text: str, name: str) -> None:
    assert _province(text) == name


def test_one_letter_twins_are_ambiguous() -> None:
    result = parse("จ.ระยอน ยอดขาย 2 ล้าน", TODAY)
    assert result.province is None and result.reports[0].province is None
    problem = result.problem("ambiguous_province")
    assert problem is not None and set(problem.choices) == {"ระยอง", "ระนอง"}
    assert fuzzy_province("ตรัด", prefixed=True).candidates == ("ตราด", "ตรัง")


def test_unknown_province_after_a_prefix() -> None:
    result = parse("จ.เชียงแสน ยอดขาย 2 ล้าน ม.ค. 67", TODAY)
    assert result.province is None
    assert result.reports[0].value == 2.0  # แสน inside เชียงแสน is not a number
    problem = result.problem("unknown_province")
    assert problem is not None and 0 < len(problem.choices) <= 3


@pytest.mark.parametrize(("text", "name"), [
    ("จ.เลย ยอด 3 แสน", "เลย"),
    ("จังหวัดตาก ยอดขาย 2 ล้าน", "ตาก"),
    ("สพจ.น่าน ความพึงพอใจ 90%", "น่าน"),
    ("เลย", "เลย"),
    ("แพร่ครับ", "แพร่"),
    ("ยอดขาย ม.ค. 67 2 ล้าน ตาก", "ตาก"),  # a standalone token in a report
    ("ยอดขาย 2 ล้าน\nจังหวัด: ยะลา", "ยะลา"),
    # glued, but between known words: after ของ/ใน or a cue phrase, before a function word, a particle or a line end
    ("ยอดขายเดือนที่แล้วของแพร่ได้สามแสนบาทเจ้า", "แพร่"),
    ("ยอดขายห้างในตาก 2 ล้าน", "ตาก"),
    ("ยอดขายสตูล มี.ค. 67 ห้าแสนบาท", "สตูล"),
    ("ตรังส่งยอด ม.ค. 1.2 ล้าน", "ตรัง"),
])
def test_ordinary_word_names_with_a_clear_signal(text: str, name: str) -> None:
    assert _province(text) == name


@pytest.mark.parametrize("text", [
    "ยังไม่ส่งเลย",
    "ตากผ้าไว้ ฝนตกพอดีเลย",
    "โรคระบาดแพร่กระจายเร็วมาก",
    "เผยแพร่ข่าวประชาสัมพันธ์เรียบร้อยแล้วครับ",
    "ยอดขายกล้วยตาก 2 ล้าน",  # glued inside an unknown word (dried bananas): ask rather than guess
    "ปลาตากแห้ง ยอดขาย 2 ล้าน",
    "ยอดขายจากการเผยแพร่ 1.2 ล้าน",
    "ขายของที่ตลาด 2 ล้าน",  # ตลาด is one letter from ตราด
    "ความพึงพอใจ ร้อยละ 92",
])
def test_ordinary_words_are_not_provinces(text: str) -> None:
    assert _province(text) is None


@pytest.mark.parametrize("text", ["กทม. ยอดขาย 1.2 ลบ.", "กรุงเทพฯ ยอดขาย 2 ล้าน", "Bangkok sales 2 million baht",
                                  "จ.กรุงเทพมหานคร ยอดขาย 2 ล้าน"])
def test_bangkok_has_no_provincial_office(text: str) -> None:
    result = parse(text, TODAY)
    assert result.intent == "report"
    assert result.province is None
    assert result.problem("bangkok") is not None


def test_two_provinces_the_prefixed_one_is_the_office() -> None:
    assert _province("สพจ.ขอนแก่น ยอดขายงานแสดงสินค้าที่เชียงใหม่ 2 ล้าน") == "ขอนแก่น"


def test_two_provinces_without_a_prefix_are_ambiguous() -> None:
    result = parse("เทียบขอนแก่นกับเชียงใหม่ได้เท่าไหร่", TODAY)
    assert result.province is None
    assert result.problem("ambiguous_province").choices == ("ขอนแก่น", "เชียงใหม่")


def test_the_parser_never_fills_the_province() -> None:
    result = parse("ยอดขาย ม.ค. 67 2 ล้าน", TODAY)
    assert result.province is None and result.reports[0].province is None


@pytest.mark.parametrize(("text", "province"), [
    ("สกลฯ ยอดขาย มี.ค. 2 ล้าน", "สกลนคร"), ("กำแพงฯ ยอดขาย มี.ค. 2 ล้าน", "กำแพงเพชร"),
    ("นราฯ ยอดขาย ก.พ. 2 ล้าน", "นราธิวาส"), ("หนองบัวฯ ยอดขาย ต.ค. 2 ล้าน", "หนองบัวลำภู"),
    ("พิดโลก ยอดขาย ม.ค. 2 ล้าน", "พิษณุโลก"),
])
def test_the_start_of_one_province_s_name_with_paiyannoi(text: str, province: str) -> None:
    assert parse(text, date(2024, 4, 10)).reports[0].province == province


def test_a_start_shared_by_two_provinces_names_neither() -> None:
    assert parse("นครฯ ยอดขาย มี.ค. 2 ล้าน", date(2024, 4, 10)).reports[0].province is None
