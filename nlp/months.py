"""Report months: Thai and English month names, Buddhist-era years, relative months, all relative to `today`.

Output is a Gregorian (year, month). Short or dotless forms (ตุลา, ตค, ม.ค) must not be glued to other Thai
letters, because มค occurs inside ความคืบหน้า and ตุลา inside ตุลาการ.

>>> from datetime import date
>>> [m.period for m in find_months("ต.ค. 66", date(2024, 2, 15))]
['2023-10']
>>> [m.period for m in find_months("ความคืบหน้า", date(2024, 2, 15))]
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from nlp.month_names import spellings
from nlp.text import THAI_LETTER, is_thai_letter, trie_pattern


@dataclass(slots=True)
class MonthMention:
    """A month the text names, with the span it was read from."""

    year: int
    month: int
    start: int
    end: int
    explicit_year: bool = False
    dated: bool = False  # a day was written with it ("ส่งวันที่ 5 เม.ย.")

    @property
    def period(self) -> str:
        """Gregorian 'YYYY-MM'."""
        return f"{self.year:04d}-{self.month:02d}"


@cache
def _rx() -> dict[str, re.Pattern[str]]:
    year = (r"(?P<yr>[ ]?,?[ ]?(?:ปี[ ]?)?(?P<era>พ\.?[ ]?ศ\.?|ค\.?[ ]?ศ\.?|b\.?e\.?|a\.?d\.?)?[ ]?"
            r"(?P<y>[0-9]{4}|[0-9]{2})(?![0-9]|[.,][0-9]))?")
    # One trie of every spelling, so the scan is a fast literal search; boundaries are checked per match.
    return {
        "month": re.compile(rf"(?P<name>{trie_pattern(spellings())})(?:\.(?![0-9]))?{year}"),
        "unit_after": re.compile(
            r"[ ]?(?:ล้าน|แสน|หมื่น|พัน|บาท|ลบ|ล\.|%|เปอร์|ราย|คน|ท่าน|คะแนน(?!เฉลี่ย|ความ|ประเมิน|รวม)"
            r"|จาก(?![ ]?เดือน|ปี)|/|m(?![a-z])|k(?![a-z]))"  # "ก.พ. 67 คะแนนเฉลี่ย 4.35": 67 is the year
        ),
        "spelled_after": re.compile(
            r"[ ]?(?:ล้าน|แสน|หมื่น|พัน)(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|ครึ่ง|บาท)"
        ),
        "day_before": re.compile(
            r"(?:(?P<kw>วันที่|วัน|ณ|ตั้งแต่|ถึง|since|on|the)[ ]?)?(?<![0-9.,])(?P<d>[12][0-9]|3[01]|0?[1-9])[ ]?$"
        ),
        "value_before": re.compile(
            rf"(?:ร้อยละ|ผู้ตอบ[{THAI_LETTER}]*|จำนวน|ยอด[{THAI_LETTER}]*|มูลค่า[{THAI_LETTER}]*|ได้|เต็ม|จาก|คะแนน"
            rf"|เฉลี่ย|=|:|/)[ ]?$"
        ),
        "relative": re.compile(
            r"เดือน[ ]?(?:(?:ที่[ ]?)?(?P<ago>แล้ว|ผ่านมา|ก่อนหน้า|ก่อน)|(?P<this>นี้|ปัจจุบัน)|(?P<latest>ล่าสุด))"
        ),
        "relative_en": re.compile(
            r"(?P<this>(?:this|current) month)|(?P<latest>latest month|last reported month)"
            r"|(?P<last>(?:last|previous|prev\.?|past) month)|(?P<ago>[0-9]{1,2}) months? ago"
        ),
        "count_before": re.compile(r"(?<![0-9.,])([0-9]{1,2})[ ]?$"),
        # (searched only where date_sep finds a digit, / or - and a digit: keep the two in step)
        "numeric": re.compile(
            r"(?<![0-9.,/-])(?P<d>[12][0-9]|3[01]|0?[1-9])[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<y>[0-9]{4}|[0-9]{2})"
            r"(?![0-9/.-])"
            r"|(?<![0-9.,/-])(?P<iy>20[0-9]{2}|25[0-9]{2})-(?P<im>0[1-9]|1[0-2])(?![0-9/-])"
            r"|(?<![0-9.,/-])(?P<sm>0?[1-9]|1[0-2])/(?P<sy>20[0-9]{2}|25[0-9]{2}|6[0-9])(?![0-9/.])"
        ),
        "date_sep": re.compile(r"[0-9][/-][0-9]"),
        "numeric_word": re.compile(
            r"เดือน[ ]?(?:ที่[ ]?)?(?P<wm>0?[1-9]|1[0-2])(?:[ ]?/[ ]?(?P<wy>[0-9]{4}|[0-9]{2}))?(?![0-9.,/])"
        ),
    }


def resolve_year(digits: str, era: str | None, today: date) -> int | None:
    """The Gregorian year of a typed year: 2566 / 66 (BE), 2024 / 24 (AD), None if implausible.

    >>> resolve_year("66", None, date(2024, 2, 15)), resolve_year("2566", None, date(2024, 2, 15))
    (2023, 2023)
    >>> resolve_year("2024", None, date(2024, 2, 15)), resolve_year("24", None, date(2024, 2, 15))
    (2024, 2024)
    """
    n = int(digits)
    if era:
        be = era.replace(".", "").replace(" ", "") in ("พศ", "be")
        ad = not be
    else:
        be = ad = False
    if len(digits) == 4:
        year = n - 543 if (be or n > 2400) else n
        return year if 1990 <= year <= 2100 else None
    be_now = today.year + 543
    if be or (not ad and abs(n - be_now % 100) <= 5):
        return be_now // 100 * 100 + n - 543
    return today.year // 100 * 100 + n


def _shift(today: date, months: int) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 + months
    return index // 12, index % 12 + 1


def _latest(month: int, today: date) -> int:
    """The year of the latest such month not after today."""
    return today.year if month <= today.month else today.year - 1


def _after_word_month(text: str, start: int) -> bool:
    return text[max(0, start - 7):start].rstrip().endswith("เดือน")


def _glued_left(text: str, start: int) -> bool:
    if start == 0 or not is_thai_letter(text[start - 1]):
        return False
    return not _after_word_month(text, start)


def find_months(text: str, today: date) -> list[MonthMention]:
    """Every month the text names, in order (text: normalised, lower-cased, codes masked)."""
    rx = _rx()
    out = _named_months(text, today)
    has_word = "เดือน" in text
    if has_word:
        out += _relative_months(text, today)
    if "month" in text:
        out += _relative_months_en(text, today)
    # every numeric date has a digit, a / or -, and a digit in a row; `numeric` itself starts with a look-behind,
    # which makes the engine try every position, so it runs only when that cheap search finds one
    if ("/" in text or "-" in text) and rx["date_sep"].search(text):
        out += _numeric_dates(text, today)
    if has_word:
        out += _numbered_months(text, today)
    if len(out) < 2:
        return out
    out.sort(key=lambda mention: (mention.start, -mention.end))
    kept: list[MonthMention] = []
    for mention in out:
        if kept and mention.start < kept[-1].end:
            continue  # the same words read twice (e.g. a date and its month name)
        kept.append(mention)
    return kept


_MAY_FIGURE = re.compile(r"[ ]?(?:sales|figures?|results?|reports?|total|revenue|trade|satisfaction|[0-9])")


def reported(months: list[MonthMention]) -> list[MonthMention]:
    """The months a result may belong to: a day and a month beside a bare month is when something was sent or
    held ("ม.ค. … ส่งวันที่ 5 ก.พ."), not the month reported."""
    if len(months) < 2 or not any(m.dated for m in months) or all(m.dated for m in months):
        return months
    return [m for m in months if not m.dated]


def _named_months(text: str, today: date) -> list[MonthMention]:
    """Months by name (ตุลาคม, ต.ค., oct), with the year and the day written next to them."""
    rx = _rx()
    out: list[MonthMention] = []
    spelled = spellings()
    for m in rx["month"].finditer(text):
        word, _, era, digits = m.groups()  # name, yr, era, y
        start, stop = m.span()
        name_end = start + len(word)
        month, kind = spelled[word]
        if not _stands_alone(text, start, name_end, kind, word, digits):
            continue
        end = name_end
        year: int | None = None
        if digits and (not rx["unit_after"].match(text, stop) or (
                len(digits) == 2 and rx["spelled_after"].match(text, stop)
                and abs(int(digits) - (today.year + 543) % 100) <= 5)):
            year = resolve_year(digits, era, today)
            if year is not None:
                end = stop
        explicit = year is not None
        if year is None:
            year = _latest(month, today)
        begin = _day_start(text, start, explicit)
        out.append(MonthMention(year, month, begin, end, explicit, begin < start))
    return out


def _stands_alone(text: str, start: int, name_end: int, kind: str, word: str, digits: str | None) -> bool:
    """False when a month spelling is part of something else: ก.พ.ร., ตุลาการ, "mar" in "market"."""
    after = text[name_end:name_end + 1]
    if kind == "dotted":
        # ก.พ.ร., ส.ค.ส., ก.ค.ศ. are agencies and cards, not months
        return not (("\u0e01" <= after <= "\u0e4e" and text[name_end + 1:name_end + 2] == ".") or (
            start >= 2 and text[start - 1] == "." and is_thai_letter(text[start - 2])))
    if kind == "short":
        # ยอดตุลา 2 ล้าน is fine; ตุลาการ is not a month
        return not (after and is_thai_letter(after) and not _after_word_month(text, start))
    if kind == "abbr":
        # a dot or a year marks an abbreviation even glued to the word before: พิจิตรธค.ยอด, ยอดขายพย.66
        marked = "." in word or bool(digits)
        return not ((_glued_left(text, start) and not marked) or (
            after and is_thai_letter(after) and not word.endswith(".")))
    if kind == "en":
        before = text[start - 1] if start else ""
        if (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha()):
            return False  # "mar" in "market"
        # "may" is too common an English word: a month with a year, or before a figure ("May sales 1.0M")
        return word != "may" or bool(digits) or _MAY_FIGURE.match(text, name_end) is not None
    return True


def _day_start(text: str, start: int, explicit: bool) -> int:
    """Where a month mention starts once the day before it is included ("15 ม.ค. 67", "วันที่ 3 ต.ค.")."""
    if start and (text[start - 1].isdigit() or (start > 1 and text[start - 2:start - 1].isdigit()
                                                and text[start - 1] == " ")):
        rx = _rx()
        day = rx["day_before"].search(text, max(0, start - 16), start)
        if day and (day.group("kw") or (explicit and not rx["value_before"].search(
                text, max(0, day.start() - 30), day.start()))):
            return day.start()
    return start


def _relative_months(text: str, today: date) -> list[MonthMention]:
    """เดือนนี้, เดือนที่แล้ว, 2 เดือนก่อน, เดือนล่าสุด."""
    rx = _rx()
    out: list[MonthMention] = []
    for m in rx["relative"].finditer(text):
        start = m.start()
        if m.group("this"):
            offset = 0
        elif m.group("latest"):
            offset = -1
        else:
            count = rx["count_before"].search(text, max(0, start - 4), start)  # "2 เดือนก่อน"
            if count:
                start = count.start()
            offset = -int(count.group(1)) if count else -1
        year, month = _shift(today, offset)
        out.append(MonthMention(year, month, start, m.end(), False))
    return out


def _relative_months_en(text: str, today: date) -> list[MonthMention]:
    """this month, last month, 2 months ago."""
    out: list[MonthMention] = []
    for m in _rx()["relative_en"].finditer(text):
        offset = 0 if m.group("this") else (-int(m.group("ago")) if m.group("ago") else -1)
        year, month = _shift(today, offset)
        out.append(MonthMention(year, month, m.start(), m.end(), False))
    return out


def _numeric_dates(text: str, today: date) -> list[MonthMention]:
    """15/01/2567, 2024-01, 1/2567."""
    out: list[MonthMention] = []
    for m in _rx()["numeric"].finditer(text):
        if m.group("m"):
            y, month_s = resolve_year(m.group("y"), None, today), m.group("m")
        elif m.group("im"):
            y, month_s = resolve_year(m.group("iy"), None, today), m.group("im")
        else:
            y, month_s = resolve_year(m.group("sy"), None, today), m.group("sm")
        if y is not None:
            out.append(MonthMention(y, int(month_s), m.start(), m.end(), True))
    return out


def _numbered_months(text: str, today: date) -> list[MonthMention]:
    """"เดือน 1/67", "เดือนที่ 10"."""
    rx = _rx()
    out: list[MonthMention] = []
    for m in rx["numeric_word"].finditer(text):
        if rx["unit_after"].match(text, m.end()):
            continue
        month = int(m.group("wm"))
        y = resolve_year(m.group("wy"), None, today) if m.group("wy") else None
        out.append(MonthMention(y if y is not None else _latest(month, today), month, m.start(), m.end(), True))
    return out
