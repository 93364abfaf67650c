"""Numbers as officers type them: digits, Thai number words, ล้าน/แสน units, percents, 5-point scores, counts.

Works on normalised text (nlp.text.normalise: Thai digits already ASCII) from which months, provinces, codes and
ordinals have been masked. Arithmetic is in Decimal, so 2.35 ล้าน is exactly 2,350,000 baht.

>>> read_number("หนึ่งล้านสองแสนห้าหมื่น")
Decimal('1250000')
>>> read_number("3 แสน 5 หมื่น")
Decimal('350000')
>>> read_number("สองจุดห้าล้าน")
Decimal('2500000.0')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from nlp.text import THAI_LETTER, ascii_lower, is_thai_letter, normalise

DIGIT_WORDS: dict[str, int] = {
    "ศูนย์": 0, "หนึ่ง": 1, "เอ็ด": 1, "สอง": 2, "ยี่": 2, "สาม": 3, "สี่": 4,
    "ห้า": 5, "หก": 6, "เจ็ด": 7, "แปด": 8, "เก้า": 9,
}
MULT_WORDS: dict[str, int] = {"สิบ": 10, "ร้อย": 100, "พัน": 1_000, "หมื่น": 10_000, "แสน": 100_000, "ล้าน": 1_000_000}
MILLION = Decimal(1_000_000)
_ZERO = Decimal(0)
_INF = 10**30

# Words that start with a number word but are not numbers (ความสามารถ, ห้างสรรพสินค้า, ล้านนา …).
NOT_NUMBERS = (
    "เรียบร้อย", "สร้อย", "ร้อยเอ็ด", "ร้อยกรอง", "ร้อยเรียง", "ร้อยแก้ว", "ร้อยตรี", "ร้อยโท", "ร้อยเอก", "ร้อยเวร",
    "ห้าง", "ห้าม", "ห้าว", "สามารถ", "สามี", "สามัญ", "สามัคคี", "สามเณร", "สามพราน", "สามชุก", "สามโคก", "สามเสน",
    "สามร้อยยอด", "สามแยก", "สี่แยก", "สี่เหลี่ยม", "สี่คิ้ว", "เก้าอี้", "เก้าเลี้ยว", "แปดริ้ว", "เจ็ดเสมียน", "หกล้ม",
    "พันธ์", "พันธุ์", "พันธ", "พันเอก", "พันโท", "พันตรี", "พันท้าย", "ล้านนา", "ล้านช้าง", "แสนสุข", "แสนดี",
    "แสนสิริ", "แสนจะ", "สิบล้อ", "สิบเอก", "สิบโท", "สิบตรี", "หนึ่งเดียว", "สองแคว", "สองพี่น้อง", "ศูนย์กลาง",
    "ศูนย์การค้า", "ศูนย์ข้อมูล", "ศูนย์ราชการ", "ศูนย์บริการ", "จุดจำหน่าย", "จุดเด่น", "ครึ่งปี", "ครึ่งหนึ่ง",
    "เอ็ดตะโร", "พันล้านช้าง",
)

COUNT_UNITS = (
    "ราย", "คน", "ท่าน", "ชุด", "ร้าน", "แห่ง", "กลุ่ม", "ชิ้น", "ครั้ง", "วัน", "เดือน", "ปี", "สัปดาห์", "อาทิตย์",
    "ชั่วโมง", "ชม.", "นาที", "ตัว", "ผลิตภัณฑ์", "รายการ", "กิจกรรม", "โครงการ", "จังหวัด", "อำเภอ", "ตำบล",
    "หมู่บ้าน", "ชุมชน", "ครัวเรือน", "ตัน", "กก.", "กิโล", "ลิตร", "ไร่", "คัน", "ห้อง", "บูธ", "คูหา", "ล็อต", "อัน",
    "หลัง", "ฉบับ", "เรื่อง", "ข้อ", "หน่วย", "งาน", "ผู้ประกอบการ", "สินค้า", "แบบ", "รอบ", "ไตรมาส", "ข้อความ",
    "respondents", "respondent", "people", "persons", "person", "shops", "times", "days", "months", "month", "years",
    "products", "units", "pieces", "stores",
)


@dataclass(slots=True)
class Number:
    """One number read from a run of digits and number words."""

    value: Decimal
    start: int
    end: int
    big_unit: bool  # contains พัน/หมื่น/แสน/ล้าน: a money-sized amount
    lone_word: bool  # a single number word with no unit word (หนึ่ง, สาม): too weak to be a value on its own
    colloquial: Decimal | None = None  # the other reading of ล้านห้า (1,500,000 vs 1,000,005)
    scale: int = 1  # the unit word of "3 ล้าน" (1,000,000), for reading "2-3 ล้าน"


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
    from nlp.text import trie_pattern

    # The first digit is matched before the look-behind, so the regex engine can skip ahead to digits fast.
    # 1,500,000 / 2.5 / and the decimal comma "2,5 ล้าน" (one or two digits after the comma, then a unit)
    rest = (r"(?<![0-9.][0-9])(?>[0-9]{0,2}(?:,[0-9]{3})+(?![0-9])|[0-9]*)"
            r"(?:\.[0-9]+|,[0-9]{1,2}(?![0-9])(?=[ ]?(?:ล้าน|แสน|หมื่น|%|เปอร์)))?")
    num = rf"[0-9]{rest}"
    words = [w for w in (*DIGIT_WORDS, *MULT_WORDS, "จุด", "ครึ่ง") if w != "ร้อย"]
    word = rf"(?:{trie_pattern(words)}|ร้อย(?!ละ))"
    token = rf"(?:{num}|{word})"
    # For scanning: every alternative starts with a literal character, which lets the engine skip fast.
    alternatives = [f"{d}{rest}" for d in "0123456789"] + sorted(words, key=len, reverse=True) + ["ร้อย(?!ละ)"]
    # Alternatives that start with the same letter share one branch (สาม|สี่|สอง|สิบ → ส(?:าม|ี่|อง|ิบ), order kept):
    # fewer alternatives for the engine to step through at each position, and the same matches, since
    # alternatives that start with different letters can never both match at one position.
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        groups.setdefault(alternative[0], []).append(alternative[1:])
    flat = "|".join(first + (rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")")
                    for first, rests in groups.items())
    plain = r"[0-9](?<![0-9.][0-9])[0-9]*(?:\.[0-9]+)?(?![0-9])"
    thai = THAI_LETTER
    return {
        "run": re.compile(rf"{token}(?:[ ]?{token})*"),  # a whole run (for targets: "เป้า 835 ล้าน")
        "token": re.compile(flat),
        "suffix": re.compile(
            r"[ ]?(?:"
            r"(?P<pct>%|เปอร์เซ็นต์|เปอร์เซนต์|เปอร์เซ็น|เปอร์เซน|เปอร์|percent|per cent|pct)"
            rf"|(?P<mb>ล้านบาท|ลบ\.|ลบ(?![{thai}])|ล\.[ ]?บ(?:าท|\.)?|ล\.(?![{thai}])|million(?: baht)?|mil(?![a-z])"
            r"|mn(?![a-z])|mb(?![a-z])|m(?![a-z]))"
            r"|(?P<k>k(?![a-z])|thousand(?: baht)?)"
            rf"|(?P<baht>บาทถ้วน|บาท|baht|thb|฿|\.-|บ\.(?![{thai}]))"
            r"|(?P<satang>สตางค์|สต\.)"
            rf"|(?P<count>{trie_pattern(COUNT_UNITS)})"
            r"|(?P<points>คะแนน|points?(?![a-z]))"
            r")"
        ),
        "pct_prefix": re.compile(r"(?:ร้อยละ|percentage|percent)[ ]?(?:ที่|=|:)?[ ]?$"),
        "baht_prefix": re.compile(r"(?:฿|thb|baht)[ ]?$"),
        "neg_prefix": re.compile(rf"(?:ติดลบ[ ]?|(?<![0-9.\w{thai}])-[ ]?)$"),
        "resp_prefix": re.compile(
            r"(?:(?:ผู้ตอบ(?:แบบสอบถาม|แบบสำรวจ|แบบประเมิน)?|ผู้ประเมิน|ผู้รับบริการ(?:ที่ตอบ)?|กลุ่มตัวอย่าง"
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
        "not_numbers": re.compile(trie_pattern(NOT_NUMBERS)),
        "range": re.compile(r"[ ]?(?:-|ถึง|to)[ ]?"),
    }


def _to_decimal(text: str) -> Decimal:
    if "," in text and "." not in text and len(text) - text.rindex(",") <= 3:
        text = text.replace(",", ".")  # a decimal comma: 2,5
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex only lets digits through
        return Decimal(0)


_WORD_TOKENS: dict[str, tuple[str, object]] = {
    **{w: ("dig", v) for w, v in DIGIT_WORDS.items()},
    **{w: ("mult", v) for w, v in MULT_WORDS.items()},
    "จุด": ("point", None),
    "ครึ่ง": ("half", None),
}


def _read_one(tokens: list[tuple[str, object, int, int, str]], i: int) -> tuple[Number | None, int]:
    """Read the longest number starting at tokens[i]; returns it (or None) and the next index."""
    kind0, val0, start, _, text0 = tokens[i]
    if kind0 in ("point", "half") or (kind0 == "dig" and text0 == "เอ็ด"):
        return None, i + 1
    total = Decimal(0)  # the part already multiplied by ล้าน
    group = Decimal(0)  # the part below a million
    cur: Decimal | None = None
    last_mult = _INF
    applied = 0  # the multiplier applied by the previous token
    prev: str | None = None
    prev_mult = 0  # the multiplier before the current digit (for ล้านห้า)
    cur_text = ""
    big_unit = False
    end = start
    j = i
    n = len(tokens)
    while j < n:
        kind, val, s, e, text = tokens[j]
        if kind == "num":
            if prev in ("num", "dig"):
                break
            cur = val  # type: ignore[assignment]
            cur_text = text
            prev_mult = applied if prev == "mult" else 0
        elif kind == "dig":
            if prev in ("num", "dig"):
                break
            if text == "เอ็ด" and prev != "mult":
                break
            if text == "ยี่" and not (j + 1 < n and tokens[j + 1][4] == "สิบ"):
                break
            cur = Decimal(val)  # type: ignore[arg-type]
            cur_text = text
            prev_mult = applied if prev == "mult" else 0
        elif kind == "mult":
            m = int(val)  # type: ignore[call-overload]
            if m == 1_000_000:
                below = group + (cur if cur is not None else 0)
                if total > 0 and below > 0:
                    break  # "2 ล้าน 3 ล้าน": two numbers
                before = total + below
                if prev is None:
                    before = Decimal(1)
                elif prev == "mult" and cur is None and total == 0 and group == 0:
                    break
                total = before * m
                group = Decimal(0)
                last_mult = _INF
            else:
                if m >= last_mult or (prev == "mult" and cur is None and m != 10):
                    break  # สิบ alone means 10 (หนึ่งร้อยสิบ = 110); other units need a digit before them
                group += (cur if cur is not None else Decimal(1)) * m
                last_mult = m
            cur = None
            applied = m
            big_unit = big_unit or m >= 1_000
        elif kind == "point":
            digits: list[str] = []
            k = j + 1
            while k < n and tokens[k][0] == "dig" and tokens[k][4] not in ("เอ็ด", "ยี่"):
                digits.append(str(tokens[k][1]))
                k += 1
            if not digits or prev not in ("dig", "mult"):
                break
            cur = total + group + (cur if cur is not None else 0) + Decimal("0." + "".join(digits))
            total = group = Decimal(0)
            last_mult = _INF
            prev, end, j = "dig", tokens[k - 1][3], k
            prev_mult = 0
            cur_text = ""
            continue
        else:  # ครึ่ง: half of the unit just named (สองล้านครึ่ง, แสนครึ่ง)
            if prev != "mult":
                break
            if applied == 1_000_000:
                total += Decimal(500_000)
            else:
                group += Decimal(applied) / 2
            end = e
            j += 1
            prev = "half"
            break
        prev = kind
        end = e
        j += 1
    if j == i:  # nothing could be read from this token
        return None, i + 1
    value = total + group + (cur if cur is not None else 0)
    colloquial = None
    if (prev in ("num", "dig") and cur is not None and prev_mult >= 1_000 and cur_text != "เอ็ด"
            and cur == cur.to_integral_value() and 1 <= cur <= 9):
        colloquial = value - cur + cur * Decimal(prev_mult) / 10
    lone = j - i == 1 and kind0 == "dig"
    simple = j - i == 2 and kind0 == "num" and tokens[i + 1][0] == "mult"
    scale = int(tokens[i + 1][1]) if simple else 1  # type: ignore[call-overload]
    return Number(value, start, end, big_unit, lone, colloquial, scale), j


# A number that starts with a unit word (แสนห้า, ล้านครึ่ง) glued to the word before it is part of that word
# (เชียงแสน, ผูกพัน, สัมพันธ์) unless that word is one that announces an amount.
_AMOUNT_LEADS = ("ยอด", "ขาย", "ได้", "จำนวน", "มูลค่า", "รวม", "หน่าย", "ค้า", "ประมาณ", "ราว", "เกือบ", "กว่า",
                 "เป็น", "อีก", "ละ", "ที่", "คือ", "กี่", "บาท")


def numbers_in(text: str) -> list[Number]:
    """Every number in already-normalised, lower-cased text (no context: see `values_in`).

    >>> [int(n.value) for n in numbers_in("ยอด 3 แสน 5 หมื่น ผู้ตอบ 80")]
    [350000, 80]
    >>> numbers_in("อำเภอเชียงแสน")
    []
    """
    return [Number(*found) for found in _numbers(text)]


# What numbers_in reads, as plain tuples (cheaper than Number objects on the hot path):
# (value, start, end, big_unit, lone_word, colloquial, scale), the fields of Number in order.
_Found = tuple[Decimal, int, int, bool, bool, "Decimal | None", int]


def _numbers(text: str) -> list[_Found]:
    """One regex pass over the text: runs of adjacent number tokens (at most one space apart), each read as it
    ends. A token is (kind, value, start, end, text), kind num / dig / mult / point / half."""
    out: list[_Found] = []
    run: list[tuple[str, object, int, int, str]] | None = None
    last_end = -2
    words = _WORD_TOKENS
    for m in _rx()["token"].finditer(text):
        token = m.group()
        start, end = m.span()
        word = words.get(token)
        if word is None:  # digits
            item: tuple[str, object, int, int, str] = (
                "num", Decimal(token) if "," not in token else _to_decimal(token), start, end, token)
        else:
            item = (word[0], word[1], start, end, token)
        if start == last_end or (start == last_end + 1 and text[last_end] == " "):
            run.append(item)  # type: ignore[union-attr]
        else:
            if run is not None:
                _read_run(run, text, out)
            run = [item]
        last_end = end
    if run is not None:
        _read_run(run, text, out)
    return out


def _read_run(tokens: list[tuple[str, object, int, int, str]], text: str, out: list[_Found]) -> None:
    """Append the numbers of one run of tokens to `out`."""
    size = len(tokens)
    kind, value, start, end, _ = tokens[0]
    if size == 1 and kind == "num":  # the common case: one plain number
        out.append((value, start, end, False, False, None, 1))  # type: ignore[arg-type]
        return
    if size == 2 and kind == "num" and tokens[1][0] == "mult":  # "2.5 ล้าน", "3 แสน"
        # what _read_one computes for these two tokens, step for step (the same Decimal operations):
        # ล้าน multiplies the total so far, a smaller unit adds to the group below a million
        zero = _ZERO
        unit = int(tokens[1][1])  # type: ignore[call-overload]
        amount = ((zero + (zero + value)) * unit + zero + 0 if unit == 1_000_000  # type: ignore[operator]
                  else zero + (zero + value * unit) + 0)  # type: ignore[operator]
        out.append((amount, start, tokens[1][3], unit >= 1_000, False, None, unit))
        return
    i = 0
    while i < size:
        first = tokens[i]
        number, i = _read_one(tokens, i)
        if number is None:
            continue
        start = number.start
        if (first[0] == "mult" and start > 0 and is_thai_letter(text[start - 1])
                and not text[max(0, start - 8):start].endswith(_AMOUNT_LEADS)):
            continue
        out.append((number.value, start, number.end, number.big_unit, number.lone_word, number.colloquial,
                    number.scale))


def amount_at(text: str, pos: int) -> tuple[int, int, bool] | None:
    """(start, end, is_money) of the number written at `pos` with its unit word, None if no number starts there.

    >>> amount_at("เป้า 835 ล้าน ได้เท่าไหร่", 5)
    (5, 13, True)
    """
    rx = _rx()
    found = rx["run"].match(text, pos)
    if not found:
        return None
    stop = found.end()
    money = any(word in found.group() for word in ("ล้าน", "แสน", "หมื่น", "พัน"))
    unit = rx["suffix"].match(text, stop)
    if unit and unit.lastgroup in ("mb", "baht", "k", "pct"):
        money = money or unit.lastgroup != "pct"
        stop = unit.end()
    return found.start(), stop, money


def read_number(text: str) -> Decimal | None:
    """The one number a short text spells (digits, Thai digits or Thai words), None if it is not exactly one.

    >>> read_number("๑,๒๔๐")
    Decimal('1240')
    >>> read_number("ยี่สิบเอ็ด")
    Decimal('21')
    >>> read_number("สามพราน") is None
    True
    """
    from nlp.text import mask

    low = ascii_lower(normalise(text))
    found = numbers_in(mask(low, blank_non_numbers(low)))
    if len(found) != 1:
        return None
    number = found[0]
    if low[: number.start].strip() or low[number.end:].strip():
        return None
    return number.value


_NUMBER_WORD_END = tuple(DIGIT_WORDS) + ("พัน", "หมื่น", "แสน", "ล้าน")


def after_number_word(text: str, start: int) -> bool:
    """True when text[start:] continues a spelled number (หนึ่ง|ร้อยเอ็ด = 101, not the province)."""
    return text[max(0, start - 5):start].endswith(_NUMBER_WORD_END)


def blank_non_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of words that begin like numbers but are not (สามารถ, ห้าง, เรียบร้อย): to mask before reading."""
    return [m.span() for m in _rx()["not_numbers"].finditer(text)
            if not (m.group() == "ร้อยเอ็ด" and after_number_word(text, m.start()))]


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
        top = m.group("m1") or m.group("m2") or m.group("m3") or m.group("m4")
        follow = rx["suffix"].match(text, m.end())
        if follow and follow.group("count"):
            continue  # "3 จาก 5 จังหวัด" is a count, not a score
        out.append(Value("score", _to_decimal(s), m.start(), m.end(), maximum=_to_decimal(top)))
    return out


def values_in(text: str, source: str, latin: bool = True) -> list[Value]:
    """Numbers in masked, lower-cased text, each typed by the words around it.

    `source` is the same text before masking and lower-casing (for `Value.text`). `latin=False` says the text
    has no ASCII letters, so the English words before a number (percent, n =, baht) need not be looked for.

    >>> [(v.kind, str(v.amount)) for v in values_in("ยอด 2.5 ล้านบาท ร้อยละ 90", "ยอด 2.5 ล้านบาท ร้อยละ 90")]
    [('money', '2500000.0'), ('percent', '90')]
    """
    numbers = _numbers(text)
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
        else:
            unit = None
            span_end = end
        # Cheap substring tests first: most numbers have none of these words before them.
        sign = rx["neg_prefix"].search(window) if ("-" in window or "ติดลบ" in window) else None
        span_start = start
        amount = value
        kind = "bare"
        literal = False
        if sign:
            span_start = start - (len(window) - sign.start())
        pct = rx["pct_prefix"].search(window) if unit != "pct" and (
            "ร้อยละ" in window or (latin and "percent" in window)) else None
        if unit == "pct" or pct:
            kind = "percent"
            if pct:
                span_start = start - (len(window) - pct.start())
        elif ("ผู้" in window or "กลุ่ม" in window or (latin and ("n" in window or "sample" in window))) \
                and rx["resp_prefix"].search(window):  # ("respond" has an n)
            kind = "respondents"
        elif unit == "count":
            kind = "count"
        elif unit == "mb":
            kind, amount = "money", amount * MILLION
        elif unit == "k":
            kind, amount = "money", amount * 1000
        elif unit == "baht" or (("฿" in window or (latin and "b" in window)) and rx["baht_prefix"].search(window)):
            kind, literal = "money", unit == "baht"
        elif unit == "satang":
            if out and out[-1].kind == "money" and out[-1].literal_baht and not text[out[-1].end:start].strip():
                out[-1].amount += amount / 100  # สองบาทห้าสิบสตางค์
                out[-1].end = span_end
                out[-1].text = source[out[-1].start:span_end]
                continue
            kind, amount = "money", amount / 100
        elif big_unit:
            kind = "money"
        elif unit == "points":
            kind = "points"
        if kind == "bare":
            if lone_word:
                continue
            after = text[end:end + 1]
            before = text[start - 1:start]
            if (after.isascii() and after.isalpha()) or (before.isascii() and before.isalpha()):
                continue  # part of a code or word: K7QM-4XPD, covid19
            if "," not in source[start:end] and "." not in source[start:end] and (
                    1990 <= amount <= 2100 or 2500 <= amount <= 2600):
                continue  # a year on its own is never an amount
        out.append(Value(kind, -amount if sign else amount, span_start, span_end, source[span_start:span_end],
                         None, colloquial if kind == "money" else None, bool(sign), literal,
                         suffix.group().strip() if unit == "count" else "",  # type: ignore[union-attr]
                         value / scale if scale != 1 else value))
    if len(out) > 1:
        _read_ranges(out, text)
    return out


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
