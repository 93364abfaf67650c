"""Text normalisation and small regex helpers shared by the recognisers.

Everything downstream works on one normalised string, so spans found by one recogniser can be masked out
before the next one runs (a province or month must never be read as an amount).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
# A Thai letter, vowel or tone mark (not a Thai digit, not ฯ/ๆ): used for "is this inside a Thai word".
THAI_LETTER = "\u0e01-\u0e4e"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"


@cache
def _table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(d): str(i) for i, d in enumerate(THAI_DIGITS)}
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII: ２.５ล้าน, ％
        table[cp] = chr(cp - 0xFEE0)
    for ch in "\u00a0\u2007\u202f\u3000\t\f\v\u2002\u2003\u2009":
        table[ord(ch)] = " "
    for ch in _ZERO_WIDTH:
        table[ord(ch)] = None
    for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
        table[ord(ch)] = "-"
    for ch in "\u2018\u2019":
        table[ord(ch)] = "'"
    for ch in "\u201c\u201d":
        table[ord(ch)] = '"'
    table[ord("\r")] = "\n"
    table[ord("\u2028")] = "\n"
    return table


@cache
def _rx() -> dict[str, re.Pattern[str]]:
    table = _table()
    dirty = "".join(re.escape(chr(c)) for c in sorted(table)) + "A-Z\u0e4d\n"
    return {
        # any character the translation table changes: most messages have none, and skip the translation
        "foreign": re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(table)) + "]"),
        "spaces": re.compile(r"[^\S\n]{2,}|[^\S\n]*\n[\n ]*"),
        "blanks": re.compile(r"[^\S\n]{2,}"),
        "marks": re.compile(rf"([{_MARKS}])\1+"),
        "upper": re.compile(r"[A-Z]"),
        # Anything normalise() or ascii_lower() would change besides the outer strip (most messages: nothing),
        # except "  " and "เเ", which `in` finds faster: a character the table translates, A-Z, ํ, a newline, or
        # a vowel/tone mark typed twice. One character class first, then what that character needs: the engine
        # skips ahead to candidates instead of trying an alternation at every position.
        # thousands written with dots (2.480.000) or spaces before บาท (1 250 000 บาท)
        "dot_probe": re.compile(r"\.[0-9]{3}\."),  # (cheap tests first: these are rare)
        "space_probe": re.compile(r" [0-9]{3}(?![0-9])"),
        "dot_thousands": re.compile(r"(?<![0-9.,])[0-9]{1,3}(?:\.[0-9]{3}){2,}(?![0-9.,])"),
        "space_thousands": re.compile(r"(?<![0-9.,])[0-9]{1,3}(?: [0-9]{3})+(?=[ ]?(?:บาท|บ\.|baht))"),
        "dirty": re.compile(rf"[{dirty}{_MARKS}](?:(?<=[{dirty}])|(?<=([{_MARKS}]))\1)"),
    }


def _squeeze(match: re.Match[str]) -> str:
    return "\n" if "\n" in match.group() else " "


def normalise(text: str) -> str:
    """Thai/full-width digits to ASCII, no zero-width characters, one space between words; keeps newlines.

    >>> normalise("ยอดขาย  ๒.๕ ล้านบาท")
    'ยอดขาย 2.5 ล้านบาท'
    >>> normalise("เเพร่ ２.５")
    'แพร่ 2.5'
    """
    rx = _rx()
    if rx["foreign"].search(text):
        text = text.translate(_table())
    if "\u0e4d" in text:  # NFKC-style ํา (nikhahit + sara aa) back to ำ, as typed on some keyboards
        text = text.replace("\u0e4d\u0e32", "\u0e33")
    if "เเ" in text:  # two sara e typed for sara ae
        text = text.replace("เเ", "แ")
    if rx["marks"].search(text):
        text = rx["marks"].sub(r"\1", text)
    if "\n" in text:
        text = rx["spaces"].sub(_squeeze, text)
    elif "  " in text:  # without a newline only the first alternative of `spaces` can match
        text = rx["blanks"].sub(" ", text)
    return text.strip()


def normalise_lower(text: str) -> tuple[str, str]:
    """`normalise(text)` and its `ascii_lower`, in one cheap test when there is nothing to change.

    >>> normalise_lower(" ยอด 2.5M ")
    ('ยอด 2.5M', 'ยอด 2.5m')
    """
    rx = _rx()
    if rx["dirty"].search(text) is None and "  " not in text and "เเ" not in text:
        text = _thousands(text.strip())
        return text, text
    norm = _thousands(normalise(text))
    return norm, ascii_lower(norm)


def _thousands(text: str) -> str:
    """2.480.000 and 1 250 000 บาท as 2,480,000 and 1,250,000 (the same length, so spans stay valid).

    >>> _thousands("ยอด 1 250 000 บาท และ 2.480.000")
    'ยอด 1,250,000 บาท และ 2,480,000'
    """
    rx = _rx()
    if "." in text and rx["dot_probe"].search(text):
        text = rx["dot_thousands"].sub(lambda m: m.group().replace(".", ","), text)
    if ("บาท" in text or "บ." in text or "baht" in text) and rx["space_probe"].search(text):
        text = rx["space_thousands"].sub(lambda m: m.group().replace(" ", ","), text)
    return text


def ascii_lower(text: str) -> str:
    """Lower-case ASCII letters only, so the string keeps its length (spans stay valid).

    >>> ascii_lower("Chiang Mai ยอด 2.5M")
    'chiang mai ยอด 2.5m'
    """
    if _rx()["upper"].search(text):
        # bytes.lower() changes A-Z only, and UTF-8 keeps every other character intact (lone surrogates too,
        # with surrogatepass): the same as translating A-Z to a-z, several times faster than str.translate
        return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
    return text


def mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Replace each span by spaces of the same length, so later searches cannot read it again.

    >>> mask("จ.ร้อยเอ็ด 3 แสน", [(2, 10)])
    'จ.         3 แสน'
    """
    if not spans:
        return text
    if type(spans) is list and len(spans) == 1:  # the common case: one span
        start, end = spans[0]
        if 0 <= start <= end:
            return text[:start] + " " * (end - start) + text[end:] if end else text
    pieces: list[str] = []
    last = 0
    for start, end in sorted(spans):
        if end <= last:
            continue
        start = max(start, last)
        pieces.append(text[last:start])
        pieces.append(" " * (end - start))
        last = end
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation for many literal words, factored by prefix so the longest word wins at a position.

    >>> re.fullmatch(trie_pattern(["ab", "abcd", "b"]), "abcd") is not None
    True
    """
    root: dict[str, dict] = {}
    for word in words:
        if not word:
            continue
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        alternatives = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return build(root)


def is_thai_letter(ch: str) -> bool:
    """True for a Thai consonant, vowel or tone mark."""
    return "\u0e01" <= ch <= "\u0e4e"


def thai_bounded(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is not glued to Thai letters on either side."""
    return (start == 0 or not is_thai_letter(text[start - 1])) and (end >= len(text) or not is_thai_letter(text[end]))


# Vowels written before the consonant they follow in speech: a word never starts right after one.
LEADING_VOWELS = frozenset("เแโใไ")
# Thai vowels and tone marks written above or below a consonant.
COMBINING = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a"
                      "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")

