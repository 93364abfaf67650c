"""Numbers as officers type them: digits and Thai number words, found in a text and read to a Decimal.

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
from decimal import Decimal, InvalidOperation
from functools import cache

from nlp.number_words import DIGIT_WORDS, MULT_WORDS, WORD_TOKENS, Number, Token, read_one
from nlp.text import ascii_lower, is_thai_letter, mask, normalise, trie_pattern

MILLION = Decimal(1_000_000)
_ZERO = Decimal(0)

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


@cache
def _rx() -> dict[str, re.Pattern[str]]:
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
    return {
        "run": re.compile(rf"{token}(?:[ ]?{token})*"),  # a whole run (for targets: "เป้า 835 ล้าน")
        "token": re.compile(flat),
        "not_numbers": re.compile(trie_pattern(NOT_NUMBERS)),
    }


def to_decimal(text: str) -> Decimal:
    """A number as typed, with thousands separators or a decimal comma (2,5)."""
    if "," in text and "." not in text and len(text) - text.rindex(",") <= 3:
        text = text.replace(",", ".")  # a decimal comma: 2,5
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex only lets digits through
        return Decimal(0)


# A number that starts with a unit word (แสนห้า, ล้านครึ่ง) glued to the word before it is part of that word
# (เชียงแสน, ผูกพัน, สัมพันธ์) unless that word is one that announces an amount.
_AMOUNT_LEADS = ("ยอด", "ขาย", "ได้", "จำนวน", "มูลค่า", "รวม", "หน่าย", "ค้า", "ประมาณ", "ราว", "เกือบ", "กว่า",
                 "เป็น", "อีก", "ละ", "ที่", "คือ", "กี่", "บาท")


def numbers_in(text: str) -> list[Number]:
    """Every number in already-normalised, lower-cased text (no context: see `nlp.values.values_in`).

    >>> [int(n.value) for n in numbers_in("ยอด 3 แสน 5 หมื่น ผู้ตอบ 80")]
    [350000, 80]
    >>> numbers_in("อำเภอเชียงแสน")
    []
    """
    return [Number(*found) for found in found_numbers(text)]


# What numbers_in reads, as plain tuples (cheaper than Number objects on the hot path):
# (value, start, end, big_unit, lone_word, colloquial, scale), the fields of Number in order.
Found = tuple[Decimal, int, int, bool, bool, "Decimal | None", int]


def found_numbers(text: str) -> list[Found]:
    """What `numbers_in` reads, as tuples: one regex pass over the text, runs of adjacent number tokens (at most
    one space apart), each read as it ends."""
    out: list[Found] = []
    run: list[Token] | None = None
    last_end = -2
    words = WORD_TOKENS
    for m in _rx()["token"].finditer(text):
        token = m.group()
        start, end = m.span()
        word = words.get(token)
        if word is None:  # digits
            item: Token = (
                "num", Decimal(token) if "," not in token else to_decimal(token), start, end, token)
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


def _read_run(tokens: list[Token], text: str, out: list[Found]) -> None:
    """Append the numbers of one run of tokens to `out`."""
    size = len(tokens)
    kind, value, start, end, _ = tokens[0]
    if size == 1 and kind == "num":  # the common case: one plain number
        out.append((value, start, end, False, False, None, 1))  # type: ignore[arg-type]
        return
    if size == 2 and kind == "num" and tokens[1][0] == "mult":  # "2.5 ล้าน", "3 แสน"
        # what read_one computes for these two tokens, step for step (the same Decimal operations):
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
        number, i = read_one(tokens, i)
        if number is None:
            continue
        start = number.start
        if (first[0] == "mult" and start > 0 and is_thai_letter(text[start - 1])
                and not text[max(0, start - 8):start].endswith(_AMOUNT_LEADS)):
            continue
        out.append((number.value, start, number.end, number.big_unit, number.lone_word, number.colloquial,
                    number.scale))


def run_at(text: str, pos: int) -> re.Match[str] | None:
    """The run of digits and number words that starts at `pos` ("835 ล้าน"), None if none does."""
    return _rx()["run"].match(text, pos)


def read_number(text: str) -> Decimal | None:
    """The one number a short text spells (digits, Thai digits or Thai words), None if it is not exactly one.

    >>> read_number("๑,๒๔๐")
    Decimal('1240')
    >>> read_number("ยี่สิบเอ็ด")
    Decimal('21')
    >>> read_number("สามพราน") is None
    True
    """
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


# A figure no officer types and no float holds: scientific notation (1e308, 2.5E6), the words a spreadsheet or a
# program writes for a non-number next to a unit (NaN ล้าน, inf บาท), or a run of more than 15 digits (past what
# a float keeps exactly). Read as anything, it would be a wrong number (1e308 → 308, NaN ล้าน → 1), so the
# message is refused with the text quoted instead.
MAX_DIGITS = 15
_UNITS_AFTER = r"[ ]?(?:ล้าน|แสน|หมื่น|พัน|บาท|%|ร้อยละ|เปอร์|คะแนน|เท่า|คน|ราย|million|baht|percent|mb)"


@cache
def _unreadable_rx() -> re.Pattern[str]:
    return re.compile(
        # arithmetic (2.5+1, 2.5 × 2), a number in brackets before its unit ((2.5) ล้าน), hex, digit groups
        # joined by underscores: a figure to work out, not one to read
        r"(?<![0-9.,])[0-9][0-9.,]*[ ]?[+×*][ ]?[0-9][0-9.,]*|(?<![0-9.,])[0-9][0-9.,]*[ ]x[ ][0-9][0-9.,]*"
        rf"|\([ ]?[0-9][0-9.,]*[ ]?\)(?={_UNITS_AFTER})|(?<![0-9a-z])0x[0-9a-f]+|[0-9]+(?:_[0-9]+)+"
        r"|(?<![0-9a-z.])[0-9]+(?:\.[0-9]+)?e[+-]?[0-9]+(?![a-z])"
        rf"|(?<![a-z])(?:nan|[+-]?inf(?:inity)?)(?![a-z])(?={_UNITS_AFTER})"
        rf"|(?<=ร้อยละ)[ ]?(?:nan|inf(?:inity)?)(?![a-z])"
        rf"|[0-9](?:,?[0-9]){{{MAX_DIGITS},}}")


def unreadable_numbers(low: str) -> list[str]:
    """The figures in a lower-cased normalised text that must not be read as numbers at all.

    >>> unreadable_numbers("ยอดขาย 1e308 ล้านบาท")
    ['1e308']
    >>> unreadable_numbers("ยอดขาย nan ล้าน"), unreadable_numbers("nan province 2.5 million")
    (['nan'], [])
    >>> unreadable_numbers("ยอด 1,234,567,890,123,456 บาท"), unreadable_numbers("ยอด 123,456,789 บาท")
    (['1,234,567,890,123,456'], [])
    >>> unreadable_numbers("ยอด (2.5) ล้านบาท 2.5+1 ล้าน 0x10 ล้าน 1_000 บาท")
    ['(2.5)', '2.5+1', '0x10', '1_000']
    """
    return _unreadable_rx().findall(low)
