"""How months are spelled: Thai full, short and abbreviated names, and English names (lower-case)."""

from __future__ import annotations

from functools import cache

FULL_TH: dict[str, int] = {
    "มกราคม": 1, "กุมภาพันธ์": 2, "กุมภาพันธ": 2, "มีนาคม": 3, "เมษายน": 4, "พฤษภาคม": 5, "มิถุนายน": 6,
    "กรกฎาคม": 7, "กรกฏาคม": 7, "สิงหาคม": 8, "กันยายน": 9, "ตุลาคม": 10, "พฤศจิกายน": 11, "พฤษจิกายน": 11,
    "ธันวาคม": 12,
}
SHORT_TH: dict[str, int] = {
    "มกรา": 1, "กุมภา": 2, "มีนา": 3, "เมษา": 4, "พฤษภา": 5, "มิถุนา": 6, "กรกฎา": 7, "กรกฏา": 7,
    "สิงหา": 8, "กันยา": 9, "ตุลา": 10, "พฤศจิกา": 11, "พฤศจิ": 11, "พฤษจิกา": 11, "ธันวา": 12,
}
ABBR_TH: dict[str, int] = {
    "มค": 1, "กพ": 2, "มีค": 3, "เมย": 4, "พค": 5, "มิย": 6, "กค": 7, "สค": 8, "กย": 9, "ตค": 10, "พย": 11, "ธค": 12,
}
EN: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

# Common misspellings of the long English names: two letters swapped (janaury), and a few dropped letters.
_DROPPED = {"febuary": 2, "feburary": 2, "agust": 8, "septmber": 9, "novmber": 11, "decmber": 12, "ocotber": 10}


def english_typos() -> dict[str, int]:
    """Misspelt English month names → month (never an existing spelling)."""
    out = dict(_DROPPED)
    for word, month in EN.items():
        if len(word) < 5:
            continue
        for i in range(len(word) - 1):
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2:]
            if swapped != word and swapped not in EN:
                out.setdefault(swapped, month)
    return out


@cache
def spellings() -> dict[str, tuple[int, str]]:
    """Every spelling of a month name → (month, kind): kind full / short / dotted / abbr / en."""
    out: dict[str, tuple[int, str]] = {}
    for word, month in FULL_TH.items():
        out[word] = (month, "full")
    for word, month in SHORT_TH.items():
        out[word] = (month, "short")
    for word, month in ABBR_TH.items():
        a, b = word[:-1], word[-1]  # มี|ค, ม|ค, เม|ย …
        out[f"{a}.{b}."] = out[f"{a}. {b}."] = (month, "dotted")
        out[f"{a}.{b}"] = out[f"{a}{b}."] = out[word] = (month, "abbr")
    for word, month in EN.items():
        out[word] = (month, "en")
    for word, month in english_typos().items():
        out.setdefault(word, (month, "en"))
    return out
