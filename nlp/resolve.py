"""The one province and the one month a message is about, or a Problem saying why there is none.

A province name that is also an ordinary word (เลย, ตาก) counts only after จ./จังหวัด, alone, or standing on its own
in a statement; a word after จ. that names no province is an abbreviation (จ.ชม.) or a misspelling.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import islice

from nlp.fuzzy_provinces import FuzzyResult, close_names, fuzzy_province
from nlp.intents import Intent, core
from nlp.months import reported
from nlp.provinces import OPENS_SENTENCES, ProvinceHit, abbreviation, prefixed_tokens
from nlp.scan import Scan
from nlp.text import THAI_LETTER, is_thai_letter, mask, thai_bounded
from nlp.types import Problem

MAX_FUZZY_TEXT = 2000
_STOP_AFTER_PREFIX = (
    "ไหน", "ใด", "อะไร", "ที่", "ของ", "นี้", "นั้น", "ทั้ง", "ต่าง", "อื่น", "เรา", "ท่าน", "บ้าง", "ละ", "ใน", "และ",
    "ไม่", "ยัง", "ได้", "เดียว", "ส่ง", "รายงาน", "เป้า", "ตัว", "ผม", "ฉัน", "หนู", "ครับ", "ค่ะ", "คะ", "คับ", "นะ",
    "จ้า", "เจ้า", "เด้อ",
)
# Intents where a standalone province name counts (Enum members as plain globals: Intent.X is a slow lookup).
_STATEMENTS = (Intent.REPORT, Intent.CORRECT, Intent.PROVINCE_SUMMARY)
_UNKNOWN = Intent.UNKNOWN
# Intents whose answer takes no province: a misspelt one is not looked for
_NO_PROVINCE = frozenset((Intent.HELP, Intent.SMALLTALK, Intent.OVERVIEW, Intent.KPI_SCORE, Intent.SEND_SUMMARY,
                          Intent.PAUSE_REMINDERS, Intent.RESUME_REMINDERS, Intent.MISSING_REPORTS, Intent.CONFIRM,
                          Intent.CANCEL, Intent.REGISTER))


def resolve_province(sc: Scan, intent: Intent, problems: list[Problem]) -> str | None:
    """The province the message names; None (with a Problem when one helps) when it names none, two, or Bangkok."""
    accepted, bangkok = _accepted_hits(sc, intent)
    fuzzy_names = _prefixed_words(sc, intent, accepted, bangkok, problems)
    if len(accepted) == 1 and not fuzzy_names:  # the common case
        names = [accepted[0].name] if accepted[0].name else []
    else:
        names = list(dict.fromkeys([h.name for h in accepted if h.name] + fuzzy_names))
    if not names and not bangkok and intent not in _NO_PROVINCE and not (
            problems and any(p.code.endswith("_province") for p in problems)) and (
            len(sc.low) <= (MAX_FUZZY_TEXT if intent is not _UNKNOWN else 40)):
        names = _fuzzy_free_text(sc, problems)  # chit-chat is searched only when short (an answer: "เชียงไหม่")
    if bangkok and not names:
        problems.append(Problem("bangkok", sc.norm[bangkok[0].start:bangkok[0].end]))
        return None
    if len(names) == 1:
        return names[0]
    if len(names) > 1:
        prefixed = list(dict.fromkeys(h.name for h in accepted if h.prefixed and h.name))
        if len(prefixed) == 1:
            return prefixed[0]
        problems.append(Problem("ambiguous_province", ", ".join(names), tuple(names[:3])))
    return None


def _accepted_hits(sc: Scan, intent: Intent) -> tuple[list[ProvinceHit], list[ProvinceHit]]:
    """The province mentions that count, and the Bangkok ones (a place with no office)."""
    accepted: list[ProvinceHit] = []
    bangkok: list[ProvinceHit] = []
    whole: set[str] | None = None
    for hit in sc.provinces:
        if hit.name is None:
            bangkok.append(hit)
            continue
        if hit.ordinary and not hit.prefixed:
            form = sc.low[hit.start:hit.end]
            if whole is None:  # "เลย" alone is a province (and also a particle)
                whole = {core(sc.low), sc.low.strip(" .!?ๆ~")}
            alone = form in whole or "จังหวัด" + form in whole
            standalone = (intent in _STATEMENTS and (hit.leading or thai_bounded(sc.low, hit.start, hit.end))) or (
                intent is not _UNKNOWN and form not in OPENS_SENTENCES and _between_words(sc, hit))
            if not (alone or standalone):
                continue
        accepted.append(hit)
    return accepted, bangkok


# Words an ordinary-word province name may be glued to in a statement ("ยอดขายของแพร่ได้…", "ยอดขายตรัง"):
# a joining word or a cue phrase before it, a function word, a particle or a cue phrase after it.
_JOINERS = ("ของ", "ที่", "จาก", "ใน", "สำหรับ", "ฝั่ง")
_FOLLOWERS = ("ได้", "ต้อง", "ตอน", "เดือน", "ยอด", "ส่ง", "รายงาน", "ทำ", "มี", "ขอ", "ยัง", "แล้ว", "เป็น", "ไม่", "ครับ",
              "คับ", "ค่ะ", "คะ", "นะ", "เจ้า", "จ้า", "เด้อ", "จ้ะ", "ขาย", "รวม", "ประจำ")


def _between_words(sc: Scan, hit: ProvinceHit) -> bool:
    """True when an ordinary-word name sits between known words (ยอดขายตรัง⏎, ของแพร่ได้), not inside an unknown
    longer word (กล้วยตาก, เผยแพร่, ตากแห้ง)."""
    low, start, end = sc.low, hit.start, hit.end
    left = start == 0 or not is_thai_letter(low[start - 1]) or low[:start].endswith(_JOINERS) or any(
        e == start for _, e, _ in sc.cue_spans)
    if not left:
        return False
    return end >= len(low) or not is_thai_letter(low[end]) or low.startswith(_FOLLOWERS, end) or any(
        s == end for s, _, _ in sc.cue_spans)


def _prefixed_words(sc: Scan, intent: Intent, accepted: list[ProvinceHit], bangkok: list[ProvinceHit],
                    problems: list[Problem]) -> list[str]:
    """Words after จ./จังหวัด/สพจ. that named no province: an abbreviation (จ.ชม., added to `accepted`) or a
    misspelling (its name returned, or a Problem)."""
    fuzzy_names: list[str] = []
    work = sc.work
    # every Thai prefix (จ., จังหวัด, สพจ., พณ.จ., …) has a จ in it
    tokens = prefixed_tokens(work)[:20] if not (accepted or bangkok) and (
        "จ" in work or "province" in work or "office" in work) else []
    if not tokens:
        return fuzzy_names
    covered = {i for h in sc.provinces[:50] for i in range(h.start, h.end)}
    cue_starts = {s for s, _, _ in sc.cue_spans}
    for start, end, prefix, word in tokens:
        if start in covered or start in cue_starts:
            continue
        if word.startswith(_STOP_AFTER_PREFIX):
            continue
        short = abbreviation(word) if len(word) == 2 else None
        if short:
            accepted.append(ProvinceHit(short, start, end, True, False))
            continue
        if accepted or bangkok or len(sc.low) > MAX_FUZZY_TEXT:
            continue
        result = _misspelt(word, True, problems)
        if result.name:
            fuzzy_names.append(result.name)
        elif not result.candidates and (prefix != "จังหวัด" or intent in _STATEMENTS):
            problems.append(Problem("unknown_province", word, close_names(word)))
    return fuzzy_names


def _misspelt(word: str, prefixed: bool, problems: list[Problem]) -> FuzzyResult:
    """The province a misspelt word names, with a Problem when two names are about as close."""
    result = fuzzy_province(word, prefixed=prefixed)
    if not result.name and result.candidates:
        problems.append(Problem("ambiguous_province", word, result.candidates))
    return result


@cache
def _thai_word() -> re.Pattern[str]:
    # [x][x]* rather than [x]+: a pattern that starts with a character class lets the engine skip ahead fast
    return re.compile(rf"[{THAI_LETTER}][{THAI_LETTER}]*")


def _fuzzy_free_text(sc: Scan, problems: list[Problem]) -> list[str]:
    """Misspelt province names without จ. in front (เชียงไหม่): long words only, one typo, a clear winner."""
    spans = [(s, e) for s, e, cue in sc.cue_spans if not cue.plain]
    for v in sc.values:
        spans.append((v.start, v.end))
    residual = mask(sc.work, spans)
    found: list[str] = []
    thai_word = _thai_word()
    # the first 21 Thai words; findall (no match objects) for message-sized text
    words = thai_word.findall(residual)[:21] if len(residual) <= 500 else [
        m.group() for m in islice(thai_word.finditer(residual), 21)]
    for word in words:
        if len(word) < 5:
            continue
        result = _misspelt(word, False, problems)
        if result.name:
            found.append(result.name)
    return list(dict.fromkeys(found))


def resolve_period(sc: Scan, problems: list[Problem]) -> str | None:
    """The month the message is about as YYYY-MM; None (with a Problem) when it names two different ones."""
    months = reported(sc.months)
    if not months:
        return None
    if len(months) == 1:
        return months[0].period
    periods = list(dict.fromkeys(m.period for m in months))
    if len(periods) == 1:
        return periods[0]
    if len(periods) > 1:
        detail = ", ".join(sc.norm[m.start:m.end].strip() for m in months)
        problems.append(Problem("conflicting_months", detail, tuple(periods)))
    return None
