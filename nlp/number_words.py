"""Thai number words (หนึ่งล้านสองแสนห้าหมื่น, สองจุดห้า, แสนครึ่ง): reading one number from a run of tokens.

nlp.numbers cuts the text into tokens (digits and number words); `read_one` reads the longest number a run of
them spells, with the colloquial second reading of ล้านห้า (1,500,000 or 1,000,005).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

DIGIT_WORDS: dict[str, int] = {
    "ศูนย์": 0, "หนึ่ง": 1, "เอ็ด": 1, "สอง": 2, "ยี่": 2, "สาม": 3, "สี่": 4,
    "ห้า": 5, "หก": 6, "เจ็ด": 7, "แปด": 8, "เก้า": 9,
}
# Where a number spelled in words may start ("ไม่ใช่สี่ล้านสอง", "ม.ค. ห้าแสน"), as a regex alternation: not the
# ร้อย of ร้อยละ (percent) or of ร้อยเอ็ด (the province).
SPOKEN_START = "หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่สิบ|ร้อย(?!ละ|เอ็ด)|พัน|หมื่น|แสน|ล้าน"
MULT_WORDS: dict[str, int] = {"สิบ": 10, "ร้อย": 100, "พัน": 1_000, "หมื่น": 10_000, "แสน": 100_000, "ล้าน": 1_000_000}
_INF = 10**30

# A token: (kind, value, start, end, text); kind num (digits) / dig / mult / point (จุด) / half (ครึ่ง).
Token = tuple[str, object, int, int, str]
WORD_TOKENS: dict[str, tuple[str, object]] = {
    **{w: ("dig", v) for w, v in DIGIT_WORDS.items()},
    **{w: ("mult", v) for w, v in MULT_WORDS.items()},
    "จุด": ("point", None),
    "ครึ่ง": ("half", None),
}


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


class _Reader:
    """The state of reading one number, token by token; each step says whether the number goes on."""

    __slots__ = ("tokens", "n", "j", "total", "group", "cur", "last_mult", "applied", "prev", "prev_mult",
                 "cur_text", "big_unit", "end")

    def __init__(self, tokens: list[Token], i: int) -> None:
        self.tokens = tokens
        self.n = len(tokens)
        self.j = i
        self.total = Decimal(0)  # the part already multiplied by ล้าน
        self.group = Decimal(0)  # the part below a million
        self.cur: Decimal | None = None
        self.last_mult = _INF
        self.applied = 0  # the multiplier applied by the previous token
        self.prev: str | None = None
        self.prev_mult = 0  # the multiplier before the current digit (for ล้านห้า)
        self.cur_text = ""
        self.big_unit = False
        self.end = tokens[i][2]

    def advance(self, kind: str, end: int) -> None:
        """Take the current token into the number."""
        self.prev = kind
        self.end = end
        self.j += 1

    def digit(self, kind: str, value: object, end: int, text: str) -> bool:
        """Digits or a digit word: a new last digit, unless one is already pending."""
        prev = self.prev
        if prev in ("num", "dig"):
            return False
        if kind == "dig":
            if text == "เอ็ด" and prev != "mult":
                return False
            if text == "ยี่" and not (self.j + 1 < self.n and self.tokens[self.j + 1][4] == "สิบ"):
                return False
            self.cur = Decimal(value)  # type: ignore[arg-type]
        else:
            self.cur = value  # type: ignore[assignment]
        self.cur_text = text
        self.prev_mult = self.applied if prev == "mult" else 0
        self.advance(kind, end)
        return True

    def unit(self, value: object, end: int) -> bool:
        """A unit word (สิบ … ล้าน): multiplies what comes before it."""
        m = int(value)  # type: ignore[call-overload]
        cur = self.cur
        if m == 1_000_000:
            below = self.group + (cur if cur is not None else 0)
            if self.total > 0 and below > 0:
                return False  # "2 ล้าน 3 ล้าน": two numbers
            before = self.total + below
            if self.prev is None:
                before = Decimal(1)
            elif self.prev == "mult" and cur is None and self.total == 0 and self.group == 0:
                return False
            self.total = before * m
            self.group = Decimal(0)
            self.last_mult = _INF
        else:
            if m >= self.last_mult or (self.prev == "mult" and cur is None and m != 10):
                return False  # สิบ alone means 10 (หนึ่งร้อยสิบ = 110); other units need a digit before them
            self.group += (cur if cur is not None else Decimal(1)) * m
            self.last_mult = m
        self.cur = None
        self.applied = m
        self.big_unit = self.big_unit or m >= 1_000
        self.advance("mult", end)
        return True

    def point(self) -> bool:
        """จุด and the digit words after it: the decimals of what was read so far."""
        tokens, n = self.tokens, self.n
        digits: list[str] = []
        k = self.j + 1
        while k < n and tokens[k][0] == "dig" and tokens[k][4] not in ("เอ็ด", "ยี่"):
            digits.append(str(tokens[k][1]))
            k += 1
        if not digits or self.prev not in ("dig", "mult"):
            return False
        cur = self.cur
        self.cur = self.total + self.group + (cur if cur is not None else 0) + Decimal("0." + "".join(digits))
        self.total = self.group = Decimal(0)
        self.last_mult = _INF
        self.prev, self.end, self.j = "dig", tokens[k - 1][3], k
        self.prev_mult = 0
        self.cur_text = ""
        return True

    def half(self, end: int) -> bool:
        """ครึ่ง: half of the unit just named (สองล้านครึ่ง, แสนครึ่ง); it ends the number."""
        if self.prev != "mult":
            return False
        if self.applied == 1_000_000:
            self.total += Decimal(500_000)
        else:
            self.group += Decimal(self.applied) / 2
        self.advance("half", end)
        return False


def read_one(tokens: list[Token], i: int) -> tuple[Number | None, int]:
    """Read the longest number starting at tokens[i]; returns it (or None) and the next index."""
    kind0, _, start, _, text0 = tokens[i]
    if kind0 in ("point", "half") or (kind0 == "dig" and text0 == "เอ็ด"):
        return None, i + 1
    r = _Reader(tokens, i)
    while r.j < r.n:
        kind, value, _, end, text = tokens[r.j]
        if kind == "num" or kind == "dig":
            going = r.digit(kind, value, end, text)
        elif kind == "mult":
            going = r.unit(value, end)
        elif kind == "point":
            going = r.point()
        else:
            going = r.half(end)
        if not going:
            break
    j = r.j
    if j == i:  # nothing could be read from this token
        return None, i + 1
    cur = r.cur
    value = r.total + r.group + (cur if cur is not None else 0)
    colloquial = None
    if (r.prev in ("num", "dig") and cur is not None and r.prev_mult >= 1_000 and r.cur_text != "เอ็ด"
            and cur == cur.to_integral_value() and 1 <= cur <= 9):
        colloquial = value - cur + cur * Decimal(r.prev_mult) / 10
    lone = j - i == 1 and kind0 == "dig"
    simple = j - i == 2 and kind0 == "num" and tokens[i + 1][0] == "mult"
    scale = int(tokens[i + 1][1]) if simple else 1  # type: ignore[call-overload]
    return Number(value, start, r.end, r.big_unit, lone, colloquial, scale), j
