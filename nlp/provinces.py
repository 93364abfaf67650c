"""Provinces: the 76 offices by Thai name, alias, English name and abbreviation after จ.

Names that are also ordinary words (เลย "at all", แพร่ "spread", ตาก "to dry", …) count only after
จ./จังหวัด/สพจ., when they are (nearly) the whole message, or as a standalone token in a report; the parser
decides the last two.

Misspellings are nlp.fuzzy_provinces' concern.

>>> [h.name for h in find_provinces("สพจ.ขอนแก่น ยอดขาย")]
['ขอนแก่น']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.numbers import after_number_word
from nlp.text import COMBINING, LEADING_VOWELS, THAI_LETTER, trie_pattern
from nlp.vocabulary import derived, vocabulary

# Colloquial and short forms not (yet) in offices.yaml, and common misspellings worth an exact match.
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "นครราชสีมา": ("โคราช",),
    "พระนครศรีอยุธยา": ("อยุธยา", "กรุงศรีอยุธยา", "กรุงเก่า"),
    "อุบลราชธานี": ("อุบล", "อุบลฯ"),
    "นครศรีธรรมราช": ("นครศรีฯ", "นครศรี", "เมืองคอน"),
    "สุราษฎร์ธานี": ("สุราษฎร์ฯ", "สุราษฎร์", "สุราษฏร์ธานี", "สุราษฏร์ฯ", "สุราษฏร์", "สุราษฯ"),
    "ประจวบคีรีขันธ์": ("ประจวบฯ", "ประจวบ"),
    "อุดรธานี": ("อุดร", "อุดรฯ"),
    "ศรีสะเกษ": ("ศรีษะเกษ",),
    "กาญจนบุรี": ("กาญจน์", "กาญฯ"),
    "สุพรรณบุรี": ("สุพรรณฯ",),
    "ฉะเชิงเทรา": ("แปดริ้ว",),
    "บุรีรัมย์": ("บุรีรัม",),
    "อุตรดิตถ์": ("อุตรดิษฐ์",),
    "พิษณุโลก": ("พิดโลก", "พิษโลก"),
    "นครสวรรค์": ("ปากน้ำโพ",),
    "มหาสารคาม": ("สารคาม",),
}
BANGKOK_FORMS = ("กรุงเทพมหานคร", "กรุงเทพฯ", "กรุงเทพ", "กทม.", "กทม", "บางกอก")
EXTRA_EN: dict[str, tuple[str, ...]] = {
    "นครราชสีมา": ("korat", "khorat"),
    "พระนครศรีอยุธยา": ("ayutthaya", "ayuthaya"),
    "อุบลราชธานี": ("ubon",),
    "อุดรธานี": ("udon",),
    "สุราษฎร์ธานี": ("surat",),
    "ศรีสะเกษ": ("sisaket",),
    "บุรีรัมย์": ("buriram",),
    "พังงา": ("phang nga",),
    "ลพบุรี": ("lopburi",),
    "กาญจนบุรี": ("kanchanaburi",),
    "ประจวบคีรีขันธ์": ("prachuap",),
    "นครศรีธรรมราช": ("nakhon si thammarat", "nakhon sri thammarat"),
}
BANGKOK_EN = ("bangkok", "bkk")
# Province names (and short aliases) that are also ordinary words or too short to trust inside text.
# (glued to other words one of them may still name the province, except a particle that is far more often
# the word: nlp.resolve decides)
OPENS_SENTENCES = frozenset({"เลย"})
ORDINARY = frozenset({"เลย", "แพร่", "ตาก", "น่าน", "ตรัง", "สตูล", "ยะลา", "ตราด", "นรา", "กาญ", "ปากน้ำ"})
# (the parser looks for these only when the text has a จ, "province" or "office": keep that test in step)
PREFIX = (r"(?:สำนักงานพาณิชย์จังหวัด|สนง\.?[ ]?พาณิชย์[ ]?(?:จังหวัด|จ\.)|พาณิชย์จังหวัด|พณ\.?[ ]?จ\.|สพจ\.?"
          r"|จังหวัด|จว\.|จ\.|province(?: of)?|office(?: of)?)")


# The same prefixes as plain strings, for a fast str.endswith test.
PREFIX_WORDS = ("สำนักงานพาณิชย์จังหวัด", "สนง.พาณิชย์จังหวัด", "สนง. พาณิชย์จังหวัด", "สนง.พาณิชย์ จังหวัด",
                "สนงพาณิชย์จังหวัด", "สนง.พาณิชย์จ.", "พาณิชย์จังหวัด", "พณ.จ.", "พณจ.", "พณ. จ.", "สพจ.", "สพจ",
                "จังหวัด", "จว.", "จ.", "province", "province of", "office of", "office")


_PREFIX_ENDS = frozenset(word[-1] for word in PREFIX_WORDS)  # a cheap first test before endswith(PREFIX_WORDS)


@dataclass(slots=True)
class ProvinceHit:
    """A province named in the text (name None: Bangkok)."""

    name: str | None
    start: int
    end: int
    prefixed: bool
    ordinary: bool
    leading: bool = False  # an ordinary-word name that opens the message


@dataclass(frozen=True)
class _Index:
    thai: re.Pattern[str]
    english: re.Pattern[str]
    forms: dict[str, str]  # Thai form or English name → official Thai name ('' = Bangkok)
    thai_forms: dict[str, tuple[str | None, bool, bool]]  # Thai form → (name or None, starts with a vowel, ordinary)
    prefixed_token: re.Pattern[str]
    abbreviations: dict[str, str]


@derived
def _index() -> _Index:
    forms, english, abbreviations = _names()
    spelled: dict[str, str] = {}  # "chiang mai", "chiangmai", "chiang-mai" → เชียงใหม่
    for name, province in english.items():
        words = re.split(r"[ -]+", name)
        for joiner in (" ", "", "-"):
            spelled[joiner.join(words)] = province
    every_form = {**forms, **spelled}
    return _Index(
        thai=re.compile(trie_pattern(forms)),
        english=re.compile(trie_pattern(spelled)),
        forms=every_form,
        thai_forms={f: (every_form[f] or None, f[0] in LEADING_VOWELS, f in ORDINARY) for f in forms},
        prefixed_token=re.compile(rf"(?P<pre>{PREFIX})[ ]?[:：]?[ ]?(?P<tok>[{THAI_LETTER}]+ฯ?)"),
        abbreviations=abbreviations,
    )


def _names() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Thai forms, English names and abbreviations → the official Thai name ('' = Bangkok)."""
    forms: dict[str, str] = {}
    english: dict[str, str] = {}
    abbreviations: dict[str, str] = {}
    seen_twice: set[str] = set()
    for p in vocabulary().provinces:
        for form in (p.name_th, *p.aliases, *EXTRA_ALIASES.get(p.name_th, ())):
            if form in forms and forms[form] != p.name_th:
                seen_twice.add(form)
            forms[form] = p.name_th
        if p.name_en:
            english[p.name_en.lower()] = p.name_th
        for extra in EXTRA_EN.get(p.name_th, ()):
            english[extra] = p.name_th
        if p.abbr_th:
            abbreviations[p.abbr_th] = p.name_th
    for form in seen_twice:  # an alias shared by two provinces names neither
        del forms[form]
    for stem, name in _abbreviated(forms).items():
        forms.setdefault(stem, name)
    for form in BANGKOK_FORMS:
        forms[form] = ""
    for form in BANGKOK_EN:
        english[form] = ""
    return forms, english, abbreviations


def _abbreviated(forms: dict[str, str]) -> dict[str, str]:
    """"สกลฯ", "กำแพงฯ", "หนองบัวฯ": the start of exactly one province's name (3+ letters, ending between
    syllables) with ฯ after it."""
    names = sorted({name for name in forms.values() if name})
    found: dict[str, str] = {}
    for name in names:
        for cut in range(3, len(name)):
            stem = name[:cut]
            if name[cut] in COMBINING or sum(other.startswith(stem) for other in names) != 1:
                continue
            found[stem + "ฯ"] = name
    return found


def find_provinces(text: str, latin: bool = True) -> list[ProvinceHit]:
    """Exact province mentions in normalised, lower-cased text, in order (ordinary-word names included).

    `latin=False` skips the English names (the caller knows the text has no ASCII letters).
    """
    index = _index()
    hits: list[ProvinceHit] = []
    forms = index.thai_forms
    size = len(text)
    for m in index.thai.finditer(text):
        form = m.group()
        start, end = m.span()
        name, vowel_start, ordinary = forms[form]
        if (end < size and text[end] in COMBINING) or (
                start and not vowel_start and text[start - 1] in LEADING_VOWELS):
            continue  # part of another syllable
        if form == "ร้อยเอ็ด" and after_number_word(text, start):
            continue  # สามร้อยเอ็ด is 301
        before = text[max(0, start - 26):start].rstrip(" :：")
        prefixed = before[-1:] in _PREFIX_ENDS and before.endswith(PREFIX_WORDS)
        # "ตากรายงานยอด…", "น่านเจ้า": an office names itself first (the parser decides whether it is a statement)
        leading = ordinary and not prefixed and not text[:start].strip() and form not in OPENS_SENTENCES
        hits.append(ProvinceHit(name, start, end, prefixed, ordinary, leading))
    if latin:
        for m in index.english.finditer(text):
            start, end = m.span()
            if (start and text[start - 1].isascii() and text[start - 1].isalpha()) or (
                    end < len(text) and text[end].isascii() and text[end].isalpha()):
                continue  # "nan" in "banana"
            name = index.forms[m.group()]
            hits.append(ProvinceHit(name or None, start, end, False, False))
        hits.sort(key=lambda h: h.start)
    return hits


def prefixed_tokens(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, prefix, word) for each Thai word right after จ./จังหวัด/สพจ. (to check against the names)."""
    return [(m.start("tok"), m.end("tok"), m.group("pre"), m.group("tok"))
            for m in _index().prefixed_token.finditer(text)]


def abbreviation(word: str) -> str | None:
    """The province of an official two-letter abbreviation (ชม → เชียงใหม่), only trusted after จ./สพจ."""
    return _index().abbreviations.get(word.rstrip("."))


def thai_forms() -> dict[str, tuple[str | None, bool, bool]]:
    """Every Thai form of a province name → (official name, None for Bangkok; starts with a vowel; ordinary word)."""
    return _index().thai_forms
