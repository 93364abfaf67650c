"""Numbers typed by the words around them: money (ล้าน, บาท, M), percents, 5-point scores, counts, respondents.

Works on normalised text (nlp.text.normalise: Thai digits already ASCII) from which months, provinces, codes and
ordinals have been masked. Arithmetic is in Decimal, so 2.35 ล้าน is exactly 2,350,000 baht.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from nlp.numbers import MILLION, found_numbers, run_at, to_decimal
from nlp.text import THAI_LETTER, trie_pattern

COUNT_UNITS = (
    "ราย", "คน", "ท่าน", "ชุด", "ร้าน", "แห่ง", "กลุ่ม", "ชิ้น", "ครั้ง", "วัน", "เดือน", "ปี", "สัปดาห์", "อาทิตย์",
    "ชั่วโมง", "ชม.", "นาที", "ตัว", "ผลิตภัณฑ์", "รายการ", "กิจกรรม", "โครงการ", "จังหวัด", "อำเภอ", "ตำบล",
    "หมู่บ้าน", "ชุมชน", "ครัวเรือน", "ตัน", "กก.", "กิโล", "ลิตร", "ไร่", "คัน", "ห้อง", "บูธ", "คูหา", "ล็อต", "อัน",
    "หลัง", "ฉบับ", "เรื่อง", "ข้อ", "หน่วย", "งาน", "ผู้ประกอบการ", "สินค้า", "แบบ", "รอบ", "ไตรมาส", "ข้อความ",
    "respondents", "respondent", "people", "persons", "person", "shops", "times", "days", "months", "month", "years",
    "products", "units", "pieces", "stores",
)


# Count units no one counts in hundreds of thousands: after ล้าน/แสน the word starts a new phrase
_NEVER_MILLIONS = frozenset(("โครงการ", "กิจกรรม", "จังหวัด", "อำเภอ", "ตำบล", "ครั้ง", "วัน", "เดือน", "ปี", "สัปดาห์",
                             "อาทิตย์", "ชั่วโมง", "ชม.", "นาที", "ไตรมาส", "รอบ", "ข้อ", "เรื่อง", "ฉบับ", "บูธ", "คูหา",
                             "แห่ง", "งาน"))


@dataclass(slots=True)
class Value:
    """A number with what its context says it is.

    kind: money (amount in baht), percent, score (amount = score, maximum set), points (a score with no maximum),
    count (unit_word set), respondents, bare (no unit at all).
    """

    kind: str
    amount: Decimal
    start: int
    end: int
    text: str = ""
    maximum: Decimal | None = None
    colloquial: Decimal | None = None
    negative: bool = False
    literal_baht: bool = False  # followed by บาท: the literal reading of ล้านห้าบาท is meant
    unit_word: str = ""
    raw: Decimal = Decimal(0)  # the number as written, before its unit (2.5 of 2.5 ล้าน)


@cache
def _rx() -> dict[str, re.Pattern[str]]:
    plain = r"[0-9](?<![0-9.][0-9])[0-9]*(?:\.[0-9]+)?(?![0-9])"
    thai = THAI_LETTER
    return {
        "suffix": re.compile(
            r"[ ]?(?:"
            r"(?P<pct>%|เปอร์เซ็นต์|เปอร์เซนต์|เปอร์เซ็น|เปอร์เซน|เปอร์|percent|per cent|pct)"
            rf"|(?P<mb>ล้านบาท|ลบ\.|ลบ(?![{thai}])|ล\.[ ]?บ(?:าท|\.)?|ล\.(?![{thai}])|million(?: baht)?|mil(?![a-z])"
            r"|mn(?![a-z])|mb(?![a-z])|m(?![a-z]))"
            r"|(?P<k>k(?![a-z])|thousand(?: baht)?)"
            rf"|(?P<baht>บาทถ้วน|บาท|baht|thb|฿|\.-|บ\.(?![{thai}]))"
            r"|(?P<satang>สตางค์|สต\.)"
            rf"|(?P<count>{trie_pattern(COUNT_UNITS)})"
            r"|(?P<points>คะแนน(?!เฉลี่ย|ความ|ประเมิน|รวม)|points?(?![a-z]))"
            r")"
        ),
        "pct_prefix": re.compile(r"(?:ร้อยละ|percentage|percent)[ ]?(?:ที่|=|:)?[ ]?$"),
        "baht_prefix": re.compile(r"(?:฿|thb|baht)[ ]?$"),
        # "ติดลบ 2.5", "ลบ 2.5", "ขาดทุน 2.5", "-2.5": a negative figure (refused as one, never read as +2.5);
        # not "1.2 ลบ 2.5", where ลบ is the first figure's unit (ล้านบาท)
        "neg_prefix": re.compile(rf"(?:(?:ติดลบ|ขาดทุน|(?<![{thai}0-9])(?<![0-9] )ลบ)[ ]?|(?<![0-9.\w{thai}])-[ ]?)$"),
        "resp_prefix": re.compile(
            r"(?:(?:ผู้ตอบ(?:แบบสอบถาม|แบบสำรวจ|แบบประเมิน)?|ตอบแบบ(?:สอบถาม|สำรวจ|ประเมิน)|ตอบกลับ|ผู้ประเมิน"
            r"|ผู้รับบริการ(?:ที่ตอบ)?|กลุ่มตัวอย่าง"
            r"|จำนวนผู้ตอบ|respondents?|sample(?: size)?)[ ]?(?:จำนวน|ทั้งหมด|ทั้งสิ้น|รวม)?[ ]?[:=]?"
            r"|(?<![a-z])n[ ]?[=:])[ ]?$"
        ),
        "score": re.compile(
            rf"(?P<s1>{plain})[ ]?(?:คะแนน[ ]?)?(?:/|จากคะแนนเต็ม|จากเต็ม|จาก|เต็ม|out of)[ ]?(?:คะแนน(?:เต็ม)?[ ]?)?"
            rf"(?P<m1>{plain})(?:[ ]?คะแนน)?"
            rf"|(?P<s2>{plain})[ ]?คะแนน[ ]?[(\[][ ]?(?:จากคะแนนเต็ม|คะแนนเต็ม|จากเต็ม|จาก|เต็ม|full|out of)?[ ]?"
            rf"(?P<m2>{plain})[ ]?(?:คะแนน)?[ ]?[)\]]"
            rf"|(?:คะแนนเต็ม|เต็ม)[ ]?(?P<m3>{plain})[ ]?(?:คะแนน)?[ ]?,?[ ]?(?:ได้|เฉลี่ย|ค่าเฉลี่ย)[ ]?(?P<s3>{plain})"
            rf"|(?P<s4>{plain})[ ]?[(\[][ ]?(?:จากคะแนนเต็ม|คะแนนเต็ม|จากเต็ม|จาก|เต็ม|full|out of)[ ]?"
            rf"(?P<m4>{plain})[ ]?(?:คะแนน)?[ ]?[)\]]"
        ),
        "range": re.compile(r"[ ]?(?:-|ถึง|to)[ ]?"),
    }


def amount_at(text: str, pos: int) -> tuple[int, int, bool] | None:
    """(start, end, is_money) of the number written at `pos` with its unit word, None if no number starts there.

    >>> amount_at("เป้า 835 ล้าน ได้เท่าไหร่", 5)
    (5, 13, True)
    """
    found = run_at(text, pos)
    if not found:
        return None
    stop = found.end()
    money = any(word in found.group() for word in ("ล้าน", "แสน", "หมื่น", "พัน"))
    unit = _rx()["suffix"].match(text, stop)
    if unit and unit.lastgroup in ("mb", "baht", "k", "pct"):
        money = money or unit.lastgroup != "pct"
        stop = unit.end()
    return found.start(), stop, money


def scores_in(text: str) -> list[Value]:
    """5-point style scores: '4.6 จาก 5', '4.25/5', '4.5 คะแนน (เต็ม 5)', 'เต็ม 5 ได้ 4.6'.

    >>> [(str(v.amount), str(v.maximum)) for v in scores_in("คะแนนเฉลี่ย 4.25/5")]
    [('4.25', '5')]
    """
    rx = _rx()
    out: list[Value] = []
    if "/" not in text and "จาก" not in text and "เต็ม" not in text and "out of" not in text:
        return out
    for m in rx["score"].finditer(text):
        s = m.group("s1") or m.group("s2") or m.group("s3") or m.group("s4")
        key = next(k for k in ("m1", "m2", "m3", "m4") if m.group(k))
        top = m.group(key)
        # the word right after the maximum ("4.52 จาก 5 คะแนน เดือน มี.ค.": คะแนน, so a score)
        follow = rx["suffix"].match(text, m.end(key))
        if follow and follow.group("count"):
            continue  # "3 จาก 5 จังหวัด" is a count, not a score
        out.append(Value("score", to_decimal(s), m.start(), m.end(), maximum=to_decimal(top)))
    return out


def values_in(text: str, source: str, latin: bool = True) -> list[Value]:
    """Numbers in masked, lower-cased text, each typed by the words around it.

    `source` is the same text before masking and lower-casing (for `Value.text`). `latin=False` says the text
    has no ASCII letters, so the English words before a number (percent, n =, baht) need not be looked for.

    >>> [(v.kind, str(v.amount)) for v in values_in("ยอด 2.5 ล้านบาท ร้อยละ 90", "ยอด 2.5 ล้านบาท ร้อยละ 90")]
    [('money', '2500000.0'), ('percent', '90')]
    """
    numbers = found_numbers(text)
    if not numbers:
        return []
    rx = _rx()
    suffix_match = rx["suffix"].match
    out: list[Value] = []
    for value, start, end, big_unit, lone_word, colloquial, scale in numbers:
        window = text[max(0, start - 30):start]
        suffix = suffix_match(text, end)
        if suffix:
            unit = suffix.lastgroup
            span_end = suffix.end()
            if unit == "mb" and big_unit:
                unit = None  # "2 ล้าน ลบ." says million twice; take the number as read
            elif unit == "count" and big_unit and suffix.group().strip() in _NEVER_MILLIONS:
                unit, span_end = None, end  # "ล้านห้า โครงการร่วมค้า": the amount, then the project's name
        else:
            unit = None
            span_end = end
        if (big_unit or lone_word) and unit in (None, "baht") and _not_an_amount(text, start, end, value, unit):
            continue
        if window.endswith(_SCALE_WORDS):
            continue  # "(คะแนนเฉลี่ยจากเต็ม 5)": the scale of the scores, not one of them
        kind, amount, pct = _typed(rx, window, unit, big_unit, latin, value)
        if kind == "satang":
            if _add_satang(out, text, source, start, span_end, amount):
                continue
            kind = "money"
        if kind == "bare" and not _bare_is_value(text, source, start, end, amount, lone_word):
            continue
        # Cheap substring tests first: most numbers have none of these words before them.
        sign = rx["neg_prefix"].search(window) if ("-" in window or "ลบ" in window or "ขาดทุน" in window) else None
        span_start = start - (len(window) - (pct or sign).start()) if pct or sign else start
        out.append(Value(kind, -amount if sign else amount, span_start, span_end, source[span_start:span_end],
                         None, colloquial if kind == "money" else None, bool(sign), kind == "money" and unit == "baht",
                         suffix.group().strip() if unit == "count" else "",  # type: ignore[union-attr]
                         value / scale if scale != 1 else value))
    if len(out) > 1:
        _read_ranges(out, text)
    return out


_SCALE_WORDS = ("เต็ม", "เต็ม ", "out of ", "full score ", "คะแนนเต็ม ")


def _not_an_amount(text: str, start: int, end: int, value: Decimal, unit: str | None) -> bool:
    """Number words that are not an amount: a unit label ("ยอดขาย (ล้านบาท)"), or a Buddhist-era year spelled
    out ("มกราคม สองพันห้าร้อยหกสิบเจ็ด")."""
    if any(ch.isdigit() for ch in text[start:end]):
        return False
    if text[start - 1:start] == "(" or text[max(0, start - 2):start] == "( ":
        return True
    return unit is None and value == value.to_integral_value() and 2500 <= value <= 2600


def _typed(rx: dict[str, re.Pattern[str]], window: str, unit: str | None, big_unit: bool, latin: bool,
           value: Decimal) -> tuple[str, Decimal, re.Match[str] | None]:
    """The kind the unit after a number and the words before it (`window`) give it, its amount in that kind, and
    the percent word before it if any. Kind "satang" is money the caller may add to the baht before it."""
    pct = rx["pct_prefix"].search(window) if unit != "pct" and (
        "ร้อยละ" in window or (latin and "percent" in window)) else None
    if unit == "pct" or pct:
        return "percent", value, pct
    if ("ผู้" in window or "ตอบ" in window or "กลุ่ม" in window or (latin and ("n" in window or "sample" in window))) \
            and rx["resp_prefix"].search(window):  # ("respond" has an n)
        return "respondents", value, None
    if unit == "count":
        return "count", value, None
    if unit == "mb":
        return "money", value * MILLION, None
    if unit == "k":
        return "money", value * 1000, None
    if unit == "baht" or (("฿" in window or (latin and "b" in window)) and rx["baht_prefix"].search(window)):
        return "money", value, None
    if unit == "satang":
        return "satang", value / 100, None
    if big_unit:
        return "money", value, None
    if unit == "points":
        return "points", value, None
    return "bare", value, None


def _add_satang(out: list[Value], text: str, source: str, start: int, end: int, amount: Decimal) -> bool:
    """สองบาทห้าสิบสตางค์: add the satang to the baht right before them; False when there are none."""
    if not (out and out[-1].kind == "money" and out[-1].literal_baht and not text[out[-1].end:start].strip()):
        return False
    last = out[-1]
    last.amount += amount
    last.end = end
    last.text = source[last.start:end]
    return True


def _bare_is_value(text: str, source: str, start: int, end: int, amount: Decimal, lone_word: bool) -> bool:
    """True when a number with no unit may still be a value (not a lone number word, a code or a year)."""
    if lone_word:
        return False
    after = text[end:end + 1]
    before = text[start - 1:start]
    if (after.isascii() and after.isalpha()) or (before.isascii() and before.isalpha()):
        return False  # part of a code or word: K7QM-4XPD, covid19
    # a year on its own is never an amount
    return "," in source[start:end] or "." in source[start:end] or not (
        1990 <= amount <= 2100 or 2500 <= amount <= 2600)


def _read_ranges(values: list[Value], text: str) -> None:
    """'2-3 ล้าน', '90-95%': the first number of a range is read in the unit of the second."""
    rx = _rx()
    for first, second in zip(values, values[1:], strict=False):
        if first.kind != "bare" or second.kind not in ("money", "percent") or not second.raw:
            continue
        link = rx["range"].match(text, first.end)
        if link and link.end() == second.start:
            first.kind = second.kind
            first.amount = first.amount * (second.amount / second.raw)
