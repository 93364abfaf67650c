"""Provinces: the 76 offices by Thai name, alias, English name, abbreviation after จ., and near misspellings.

Names that are also ordinary words (เลย "at all", แพร่ "spread", ตาก "to dry", …) count only after
จ./จังหวัด/สพจ., when they are (nearly) the whole message, or as a standalone token in a report; the parser
decides the last two. Fuzzy matching needs a clear lead: ระยอง and ระนอง are one letter apart.

>>> [h.name for h in find_provinces("สพจ.ขอนแก่น ยอดขาย")]
['ขอนแก่น']
>>> fuzzy_province("เชียงไหม่", prefixed=False).name
'เชียงใหม่'
>>> fuzzy_province("ระยอน", prefixed=True).candidates
('ระยอง', 'ระนอง')
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


@dataclass(frozen=True)
class FuzzyResult:
    """The outcome of matching a misspelt word: a name, or candidates when two are equally close."""

    name: str | None
    candidates: tuple[str, ...] = ()


_NO_MATCH = FuzzyResult(None)


@dataclass(frozen=True)
class _Index:
    thai: re.Pattern[str]
    english: re.Pattern[str]
    forms: dict[str, str]  # Thai form or English name → official Thai name ('' = Bangkok)
    thai_forms: dict[str, tuple[str | None, bool, bool]]  # Thai form → (name or None, starts with a vowel, ordinary)
    prefixed_token: re.Pattern[str]
    abbreviations: dict[str, str]
    fuzzy_forms: tuple[tuple[str, str], ...]  # (form, name), forms of 4+ letters
    form_pairs: tuple[frozenset[str], ...]  # the letter pairs of each fuzzy form
    # letter pair → indexes into fuzzy_forms filed under it (see _pair_index); after จ. and without it
    # (without: only forms of 6+ letters that are not ordinary words)
    bigrams: dict[str, tuple[int, ...]]
    free_bigrams: dict[str, tuple[int, ...]]
    names: tuple[str, ...]
    # per fuzzy form, after จ. and without it: (form, name, edits allowed, letter pairs a candidate must share)
    prefixed_limits: tuple[tuple[str, str, int, int], ...]
    free_limits: tuple[tuple[str, str, int, int], ...]


def _pair_index(form_pairs: tuple[frozenset[str], ...], limits: tuple[tuple[str, str, int, int], ...],
                eligible: list[int]) -> dict[str, tuple[int, ...]]:
    """Letter pair → the forms to compare when a word has that pair.

    A form is a candidate only when the word shares at least `need` of its B letter pairs (and at least one), so
    the word misses at most B - need of them: filing the form under any B - need + 1 of its pairs (the rarest)
    still finds every candidate, while a common pair (รา, าช) no longer drags in dozens of names. The caller
    counts the shared pairs exactly before comparing letters.
    """
    frequency: dict[str, int] = {}
    for i in eligible:
        for pair in form_pairs[i]:
            frequency[pair] = frequency.get(pair, 0) + 1
    index: dict[str, set[int]] = {}
    for i in eligible:
        pairs = form_pairs[i]
        need = max(limits[i][3], 1)
        if len(pairs) < need:
            continue  # no word can share enough pairs with it
        for pair in sorted(pairs, key=lambda p: (frequency[p], p))[:len(pairs) - need + 1]:
            index.setdefault(pair, set()).add(i)
    return {pair: tuple(sorted(found)) for pair, found in index.items()}


@derived
def _index() -> _Index:
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
    for form in BANGKOK_FORMS:
        forms[form] = ""
    for form in BANGKOK_EN:
        english[form] = ""
    spelled: dict[str, str] = {}  # "chiang mai", "chiangmai", "chiang-mai" → เชียงใหม่
    for name, province in english.items():
        words = re.split(r"[ -]+", name)
        for joiner in (" ", "", "-"):
            spelled[joiner.join(words)] = province
    fuzzy_forms = tuple((f, n) for f, n in forms.items() if n and len(f) >= 4 and not f.endswith("ฯ"))
    names = tuple(p.name_th for p in vocabulary().provinces)
    form_pairs = tuple(frozenset(form[k:k + 2] for k in range(len(form) - 1)) for form, _ in fuzzy_forms)
    prefixed_limits = tuple(
        (f, n, _allowance(len(f), True), len(f) - 1 - 2 * (_allowance(len(f), True) + 1)) for f, n in fuzzy_forms)
    free_limits = tuple(
        (f, n, _allowance(len(f), False), len(f) - 1 - 2 * _allowance(len(f), False)) for f, n in fuzzy_forms)
    free = [i for i, (form, _) in enumerate(fuzzy_forms) if len(form) >= 6 and form not in ORDINARY]
    every_form = {**forms, **spelled}
    return _Index(
        thai=re.compile(trie_pattern(forms)),
        english=re.compile(trie_pattern(spelled)),
        forms=every_form,
        thai_forms={f: (every_form[f] or None, f[0] in LEADING_VOWELS, f in ORDINARY) for f in forms},
        prefixed_token=re.compile(rf"(?P<pre>{PREFIX})[ ]?[:：]?[ ]?(?P<tok>[{THAI_LETTER}]+ฯ?)"),
        abbreviations=abbreviations,
        fuzzy_forms=fuzzy_forms,
        form_pairs=form_pairs,
        bigrams=_pair_index(form_pairs, prefixed_limits, list(range(len(fuzzy_forms)))),
        free_bigrams=_pair_index(form_pairs, free_limits, free),
        names=names,
        prefixed_limits=prefixed_limits,
        free_limits=free_limits,
    )


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
        hits.append(ProvinceHit(name, start, end, prefixed, ordinary))
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


def _allowance(length: int, prefixed: bool) -> int:
    if not prefixed:
        return 1 if length <= 10 else 2
    return 1 if length <= 6 else (2 if length <= 11 else 3)


def fuzzy_province(word: str, prefixed: bool) -> FuzzyResult:
    """The province a misspelt word most likely names; candidates instead when two are about equally close.

    Without จ./จังหวัด in front only long names with one typo are accepted (ตลาด must not become ตราด).
    """
    index = _index()
    if len(word) < 3:
        return FuzzyResult(None)
    # Letter pairs shared with the word: a name one or two edits away shares most of its pairs,
    # so only those few names are compared letter by letter.
    bigrams = index.bigrams if prefixed else index.free_bigrams
    pairs = {word[k:k + 2] for k in range(len(word) - 1)}
    candidates: set[int] = set()
    for pair in pairs:
        found = bigrams.get(pair)
        if found:
            candidates.update(found)
    if not candidates:
        return _NO_MATCH
    limits = index.prefixed_limits if prefixed else index.free_limits
    form_pairs = index.form_pairs
    # one edit changes at most two letter pairs (prefixed: one more edit, to see near twins)
    close = [i for i in candidates if len(pairs & form_pairs[i]) >= limits[i][3]]
    if not close:
        return _NO_MATCH
    from rapidfuzz.distance import Levenshtein

    best: dict[str, tuple[int, int]] = {}
    size = len(word)
    for i in close:
        form, name, limit, _ = limits[i]
        distance = limit + 2
        for length in {len(form) - 1, len(form), len(form) + 1}:
            if length <= 0 or length > size:
                continue
            # the word may carry other letters before or after the name: ที่เชียงไหม่ / เชียงไหม่ครับ
            pieces = {word[:length]} if prefixed else {word[:length], word[-length:]}
            for piece in pieces:
                if piece[0] != form[0] and piece[1:2] != form[1:2]:
                    continue  # typos rarely hit both of the first two letters
                distance = min(distance, Levenshtein.distance(form, piece, score_cutoff=limit + 1))
        if distance <= limit + 1 and (distance, i) < best.get(name, (99, 0)):
            best[name] = (distance, i)
    # closest first; ties in catalogue order, so the answer never depends on hash order
    ranked = [(n, d) for n, (d, _) in sorted(best.items(), key=lambda item: item[1])]
    accepted = [(n, d) for n, d in ranked if d <= _allowance(len(n), prefixed)]
    if not accepted:
        return _NO_MATCH
    name, distance = accepted[0]
    # A rival within reach makes the word ambiguous; for short names one letter is all that tells them apart.
    twins = prefixed and len(name) <= 6
    rivals = [n for n, d in ranked[1:] if (d == distance and d <= _allowance(len(n), prefixed))
              or (twins and d <= min(distance + 1, 2) and len(n) <= 6)]
    if rivals:
        return FuzzyResult(None, (name, *rivals[:2]))
    return FuzzyResult(name)


def close_names(word: str, limit: int = 3) -> tuple[str, ...]:
    """Up to `limit` province names that look most like `word` (for an 'unknown province' question)."""
    from rapidfuzz import fuzz, process

    names = _index().names
    found = process.extract(word, names, scorer=fuzz.ratio, limit=limit, score_cutoff=40)
    return tuple(name for name, _, _ in found)
