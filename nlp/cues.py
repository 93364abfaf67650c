"""Cue words: one trie of every phrase that signals an intent, an indicator or a project, scanned once.

The lexicon joins the intent cues (nlp.intents.CUES) with the indicator and project phrases of the vocabulary, so
one regex pass records every cue a message has; a phrase that ends in a number word or has a digit (ความผูกพัน,
ระบบราชการ 4.0) is masked, so it is never read again as an amount.
"""

from __future__ import annotations

import re

from nlp import indicators as ind
from nlp.intents import CUES
from nlp.number_words import DIGIT_WORDS, MULT_WORDS
from nlp.scan import Cue, Scan
from nlp.text import COMBINING, LEADING_VOWELS, mask, trie_pattern
from nlp.vocabulary import derived

_NUMBER_WORDS = (*DIGIT_WORDS, *MULT_WORDS)  # an indicator name ending in one (ความผูกพัน) must not be read on


@derived
def lexicon() -> tuple[re.Pattern[str], dict[str, Cue]]:
    """One regex of every cue phrase (lower-cased), and what each phrase signals."""
    table: dict[str, set[str]] = {}
    for tag, phrases in CUES.items():
        for phrase in phrases:
            table.setdefault(phrase.lower(), set()).add(tag)
    for phrase, code in ind.indicator_phrases().items():
        table.setdefault(phrase, set()).add("ind:" + code)
    for phrase, number in ind.project_phrases().items():
        table.setdefault(phrase, set()).add(f"proj:{number}")
    for phrase, code in ind.NIL_WORDS.items():
        table.setdefault(phrase, set()).update(("nil", "ind:" + code))
    # A longer phrase read first must not hide the question word inside it ("ยังไงบ้าง", "ทำได้เท่าไหร่").
    # (a word that only contains one is no question: แบบสอบถามความพึงพอใจ is the survey)
    thai_questions = [q for q in CUES["q"] if not q.isascii()]
    for phrase, tags in table.items():
        if "q" in tags or "shadow" in tags:
            continue
        bare = phrase
        for word in CUES["shadow"]:
            bare = bare.replace(word, " ")
        if any(q in bare for q in thai_questions):
            tags.add("q")
    cues = {}
    for phrase, tags in table.items():
        cues[phrase] = Cue(
            tags=frozenset(t for t in tags if ":" not in t),
            indicators=tuple(sorted(t[4:] for t in tags if t.startswith("ind:"))),
            projects=tuple(sorted(int(t[5:]) for t in tags if t.startswith("proj:"))),
            latin_start=phrase[0].isascii() and phrase[0].isalnum(),
            latin_end=phrase[-1].isascii() and phrase[-1].isalnum(),
            has_digit=any(ch.isdigit() for ch in phrase) or phrase.endswith(_NUMBER_WORDS),
            vowel_start=phrase[0] in LEADING_VOWELS,
            plain=tags <= {"shadow"},
            extra=any(":" in t for t in tags) or any(ch.isdigit() for ch in phrase),
        )
    return re.compile(trie_pattern(table)), cues


def scan_cues(sc: Scan) -> None:
    """Record every cue phrase of the message (tags, indicators, projects); `sc.work` starts from here."""
    pattern, cues = lexicon()
    low = sc.low
    tags = sc.tags
    cue_spans = sc.cue_spans
    digit_spans: list[tuple[int, int]] = []
    size = len(low)
    for m in pattern.finditer(low):
        phrase = m.group()
        start, end = m.span()
        if end < size and low[end] in COMBINING:
            continue  # stops mid-syllable: ไหม|่ is the start of ไหม่, not the question word
        cue = cues[phrase]
        if start and not cue.vowel_start and low[start - 1] in LEADING_VOWELS:
            continue  # starts mid-syllable: เ|กี่ยว is not the question word กี่
        if (cue.latin_start and start and low[start - 1].isascii() and low[start - 1].isalnum()) or (
                cue.latin_end and low[end:end + 1].isascii() and low[end:end + 1].isalnum()):
            continue  # "ok" inside "book"
        cue_spans.append((start, end, cue))
        tags |= cue.tags
        if not cue.extra:
            continue
        for code in cue.indicators:
            sc.indicator_hits.append((start, code))
            sc.codes.add(code)
        for number in cue.projects:
            sc.project_hits.append((start, number, phrase))
        if cue.has_digit:
            digit_spans.append((start, end))  # "ระบบราชการ 4.0" is a name, not a number
    sc.work = mask(low, digit_spans) if digit_spans else low
