"""`parse()`: one message in, one frozen `Parse` out. Never raises; what it cannot settle becomes a Problem.

Pipeline on the normalised text (regexes only, no word tokenizer):
  register / whole-message commands → cue words → mask codes, phones, dates and ordinals → provinces →
  months → scores → numbers typed by their units → intent → provinces resolved → reports assembled.
Each recogniser masks what it read, so a province (ร้อยเอ็ด), a month, a year, a project number or a phone
number is never read again as an amount.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from itertools import islice

from nlp import indicators as ind
from nlp.fuzzy_provinces import close_names, fuzzy_province
from nlp.intents import CUES, MAX_COMMAND, Intent, command_intent, core, register_code
from nlp.months import MonthMention, find_months
from nlp.numbers import DIGIT_WORDS, MILLION, MULT_WORDS, blank_non_numbers
from nlp.provinces import ProvinceHit, abbreviation, find_provinces, prefixed_tokens
from nlp.text import (
    COMBINING,
    LEADING_VOWELS,
    THAI_LETTER,
    mask,
    normalise_lower,
    thai_bounded,
    trie_pattern,
)
from nlp.types import Parse, Problem, ReportItem
from nlp.values import Value, amount_at, scores_in, values_in
from nlp.vocabulary import derived, vocabulary

log = logging.getLogger(__name__)

BANGKOK_TZ = timezone(timedelta(hours=7))  # Thailand has no daylight saving time
MAX_FUZZY_TEXT = 2000
MONEY_KINDS = ("amount_mb",)
PERCENT_KINDS = ("percent",)
_THAI_ORDINALS = {"หนึ่ง": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6, "เจ็ด": 7, "แปด": 8, "เก้า": 9, "สิบ": 10}
# Words that introduce a number which is a code, an ordinal or a year, never an amount.
_CODE_WORDS: dict[str, str] = {
    **dict.fromkeys(("เป้าหมาย", "เป้า", "goal", "ประเด็น"), "goal"),
    **dict.fromkeys(("ตัวชี้วัด", "indicator"), "indicator"),
    "kpi": "kpi",
    **dict.fromkeys(("โครงการ", "โปรเจกต์", "โปรเจค", "project", "proj", "proj."), "project"),
    **dict.fromkeys(("ข้อ", "ลำดับ", "ลำดับที่", "ครั้งที่", "รอบ", "รอบที่", "ไตรมาส", "ไตรมาสที่", "งวด", "งวดที่",
                     "อันดับ", "อันดับที่", "ฉบับที่", "หมู่", "หมู่ที่", "เลขที่", "ซอย", "ซ.", "ชั้น", "ชั้นที่", "ห้อง",
                     "รหัส", "หมายเลข", "no.", "#", "version", "เวอร์ชัน", "ระบบราชการ", "ที่", "q"), "ordinal"),
    **dict.fromkeys(("ปีงบประมาณ", "ปีงบ", "ปี", "พ.ศ.", "พ.ศ", "พศ.", "พศ", "พ. ศ.", "ค.ศ.", "ค.ศ", "fy",
                     "fiscal year", "year"), "year"),
}
_REPORTED = frozenset((ind.TRADE, ind.SATISFACTION))  # the indicators provincial offices report
_STOP_AFTER_PREFIX = (
    "ไหน", "ใด", "อะไร", "ที่", "ของ", "นี้", "นั้น", "ทั้ง", "ต่าง", "อื่น", "เรา", "ท่าน", "บ้าง", "ละ", "ใน", "และ",
    "ไม่", "ยัง", "ได้", "เดียว", "ส่ง", "รายงาน", "เป้า", "ตัว", "ผม", "ฉัน", "หนู",
)


# Enum members read on every parse, as plain globals (Intent.X is a metaclass lookup, ten times slower).
_REPORT, _EDIT, _PROGRESS, _SUMMARY, _UNKNOWN = (
    Intent.REPORT, Intent.EDIT, Intent.PROGRESS, Intent.PROVINCE_SUMMARY, Intent.UNKNOWN)
_STATEMENTS = (_REPORT, _EDIT, _SUMMARY)  # intents where a standalone province name counts
# Intents a central unit's report overrides: "KPI 2 ได้ 324.20 เท่า" is a report, not a KPI-score question.
_CENTRAL_OVERRIDABLE = (_REPORT, _EDIT, _PROGRESS, Intent.KPI_SCORE, _UNKNOWN)


def bangkok_today() -> date:
    """Today's date in Thailand."""
    return datetime.now(BANGKOK_TZ).date()


@dataclass(frozen=True)
class _Cue:
    """What one lexicon phrase signals, precomputed so the scan does no string work per match."""

    tags: frozenset[str]  # intent cues: q, progress, summary, …
    indicators: tuple[str, ...]
    projects: tuple[int, ...]
    latin_start: bool  # starts / ends with an ASCII letter or digit: must not be glued to more of them
    latin_end: bool
    has_digit: bool  # masked once read: "ระบบราชการ 4.0", "ความผูกพัน" (ends in a number word) are names
    vowel_start: bool  # starts with a leading vowel (เ แ โ ใ ไ), so may follow another one
    plain: bool  # only a shadowing word
    extra: bool  # names an indicator or a project, or has a digit: more to record than the tags


@derived
def _lexicon() -> tuple[re.Pattern[str], dict[str, _Cue]]:
    table: dict[str, set[str]] = {}
    for tag, phrases in CUES.items():
        for phrase in phrases:
            table.setdefault(phrase.lower(), set()).add(tag)
    for phrase, code in ind.indicator_phrases().items():
        table.setdefault(phrase, set()).add("ind:" + code)
    for phrase, number in ind.project_phrases().items():
        table.setdefault(phrase, set()).add(f"proj:{number}")
    cues = {}
    for phrase, tags in table.items():
        cues[phrase] = _Cue(
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


@cache
def _rx() -> dict[str, re.Pattern[str]]:
    thai = THAI_LETTER
    return {
        "web": re.compile(r"https?://\S+|www\.\S+|(?<![\w.+-])[\w.+-]++@[\w-]+\.[\w.]+"),
        # Numbers that are not amounts. The first digit is matched before any look-behind, so the regex
        # engine can jump from digit to digit instead of trying every position.
        # (_scan_codes runs this only when the text has a 0, ":", "/", "น." or "นาฬิกา": keep that test in step)
        "misc": re.compile(
            r"[0-9](?<![0-9.,/][0-9])(?:"
            r"(?<=0)[0-9]{1,2}[- ]?[0-9]{3}[- ]?[0-9]{3,4}(?![0-9.,])"  # phone numbers: 081-234-5678
            r"|[0-9]?(?::[0-9]{2}(?::[0-9]{2})?(?![0-9])|\.[0-9]{2}[ ]?(?:น\.|นาฬิกา))"  # times: 13.30 น.
            r"|[0-9]{2,}(?:/[0-9]+)+(?![0-9])"  # document numbers: 0210/1234
            r"|(?<=0)[0-9]{2,}(?![0-9.,]))"  # ids with a leading zero: 0210
        ),
        # "1) ยอดขาย", "๒. ความพึงพอใจ" (tried only where a line starts with one of _MARKER_START)
        "list_marker": re.compile(r"[ ]?\(?[0-9]{1,2}[.)](?![0-9])"),
        # A keyword, then the number it introduces: "โครงการที่ 3", "เป้าหมาย 2.1", "ปี 2567", "ข้อ 4".
        "coded": re.compile(
            rf"(?P<kw>{trie_pattern(_CODE_WORDS)})(?:(?<=kpi)-)?[ ]?(?:ที่[ ]?)?(?:no\.?[ ]?|#[ ]?)?[:.]?[ ]?"
            r"(?P<num>[0-9][0-9/-]*(?:\.[0-9]+)*|หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ)"
        ),
        # (searched only when the text has two dots)
        "bare_code": re.compile(r"[0-9](?<![0-9.][0-9])[0-9]?\.[0-9]{1,2}\.[0-9]{1,2}(?![0-9.])"),  # 2.1.1
        "unit_next": re.compile(r"[ ]?(?:ล้าน|แสน|หมื่น|พัน|บาท|%|เปอร์|ราย|คน|ลบ)|[.,][0-9]"),
        "target": re.compile(
            r"(?:[ ]?(?:ทั้งปี|รวม|ปี(?:นี้)?|คือ|อยู่ที่|ที่|=|:|of|is|ไว้))*[ ]?"
        ),
        # [x][x]* rather than [x]+: a pattern that starts with a character class lets the engine skip ahead fast
        "thai_word": re.compile(rf"[{thai}][{thai}]*"),
        "digit": re.compile(r"[0-9]"),
        "latin": re.compile(r"[a-z]"),
        "en_words": re.compile(r"(?<![\w-])[a-z]+(?![\w-])"),  # words, not codes like K7QM-4XPD
        "th_letters": re.compile(rf"[{thai}]"),
    }


_NUMBER_WORDS = (*DIGIT_WORDS, *MULT_WORDS)  # an indicator name ending in one (ความผูกพัน) must not be read on
_MARKER_START = frozenset(" (0123456789")  # what a list marker ("1)", "(2)", " 3.") starts with
_NO_POSITIONS: frozenset[int] = frozenset()
_NOTHING: tuple[()] = ()


class _Scan:
    """Everything found in one message, before it is turned into a Parse."""

    __slots__ = ("norm", "low", "work", "tags", "cue_spans", "indicator_hits", "implied", "codes", "project_hits",
                 "goals", "explicit_indicators", "unknown_codes", "months", "provinces", "values", "target_money",
                 "question", "digits")

    def __init__(self, norm: str, low: str, digits: bool = False) -> None:
        self.norm = norm
        self.low = low
        self.work = ""
        self.tags: set[str] = set()
        self.cue_spans: list[tuple[int, int, _Cue]] = []
        self.indicator_hits: list[tuple[int, str]] = []  # (position, code)
        # Rarely filled: immutable empties, replaced (never mutated) when something is found.
        self.implied: frozenset[int] = _NO_POSITIONS  # positions of hits implied by a goal ("เป้าหมาย 2.1")
        self.codes: set[str] = set()  # indicator codes the text names (not implied ones)
        self.project_hits: list[tuple[int, int, str]] = []  # (position, number, text)
        self.goals: tuple[str, ...] = ()
        self.explicit_indicators: tuple[str, ...] = ()
        self.unknown_codes: tuple[str, ...] = ()  # "ตัวชี้วัด 2.1.3": looks like a code, is not one
        # set by _parse once the recognisers have run
        self.months: list[MonthMention] = _NOTHING  # type: ignore[assignment]
        self.provinces: list[ProvinceHit] = _NOTHING  # type: ignore[assignment]
        self.values: list[Value] = _NOTHING  # type: ignore[assignment]
        self.target_money = False
        self.question = False
        self.digits = digits

    def has(self, *tags: str) -> bool:
        """True when any of these cue tags occurs in the message."""
        return not self.tags.isdisjoint(tags)


def parse(text: str, today: date | None = None) -> Parse:
    """How the bot understands one message; never raises (what it cannot read is a Problem).

    >>> p = parse("รายงานมูลค่าการค้า จ.เชียงใหม่ เดือน ม.ค. 67 โครงการที่ 3 จำนวน 2.5 ล้านบาท", date(2024, 2, 15))
    >>> p.intent, p.reports[0].value, p.reports[0].period, p.reports[0].province, p.reports[0].project
    (<Intent.REPORT: 'report'>, 2.5, '2024-01', 'เชียงใหม่', 3)
    >>> parse("เป้า 835 ล้าน ได้เท่าไหร่แล้ว", date(2024, 2, 15)).goal
    '2.1'
    """
    if not isinstance(text, str):
        text = ""
    if isinstance(today, datetime):
        today = today.date()
    if not isinstance(today, date):
        today = bangkok_today()
    try:
        return _parse(text, today)
    except Exception:  # a safety net: a bug must cost one message, not the webhook
        log.exception("nlp.parse failed on a %d-character message", len(text))
        return Parse(intent=Intent.UNKNOWN)


def _language(low: str) -> str:
    rx = _rx()
    latin = sum(len(word) for word in rx["en_words"].findall(low))
    if not latin:
        return "th"
    thai = len(low) - len(rx["th_letters"].sub("", low))  # Thai letters, counted without a list of them
    return "en" if latin > thai else "th"


def _parse(text: str, today: date) -> Parse:
    norm, low = normalise_lower(text)
    rx = _rx()
    latin = rx["latin"].search(low) is not None
    language = _language(low) if latin else "th"
    if not norm:
        return Parse(intent=Intent.UNKNOWN, language=language)
    code = register_code(norm)
    if code is not None:
        return Parse(intent=Intent.REGISTER, register_code=code, language=language)
    digits = rx["digit"].search(low) is not None
    if not digits and len(low) <= MAX_COMMAND:  # commands are short and have no digits
        command = command_intent(low)
        if command is not None:
            return Parse(intent=command, language=language)

    sc = _Scan(norm, low, digits)
    _scan_cues(sc)
    _scan_codes(sc)
    problems: list[Problem] = []
    work = sc.work
    sc.provinces = provinces = find_provinces(work, latin=latin)
    sc.months = months = find_months(work, today)  # no month spelling occurs inside a province name
    spans = [(h.start, h.end) for h in provinces]
    if months:
        spans += [(m.start, m.end) for m in months]
    scores: list[Value] = []
    if digits:  # "4.6/5", but not the 15/01 of a date
        scores = scores_in(work)
        if scores:
            if spans:
                scores = [v for v in scores if not any(s < v.end and v.start < e for s, e in spans)]
            for value in scores:
                value.text = norm[value.start:value.end]
                spans.append((value.start, value.end))
    blank = blank_non_numbers(work)
    if blank:
        spans += blank
    sc.work = work = mask(work, spans)
    values = values_in(work, norm, latin)
    sc.values = sorted(scores + values, key=_start) if scores else values
    tags = sc.tags
    sc.question = "q" in tags or "?" in norm

    intent = _intent(sc)
    central: list[_Item] | None = None
    central_problems: list[Problem] = []
    # Central units' indicators (ITA, PMQA, KPI-2 …): only when a value may be there and one of them is named.
    if digits and not sc.question and sc.codes and not sc.codes <= _REPORTED and intent in _CENTRAL_OVERRIDABLE:
        central = _central_items(sc, central_problems)
        if central:
            intent = _EDIT if intent is _EDIT else _REPORT
    province = _resolve_province(sc, intent, problems)
    period = _resolve_period(sc, problems) if sc.months else None
    reply_language = "en" if "en_reply" in tags else "th"

    reports: tuple[ReportItem, ...] = ()
    if central:
        reports = _central_reports(sc, central, province, period, central_problems)
        problems += central_problems
    elif intent is _REPORT or intent is _EDIT:
        reports = _reports(sc, intent, province, period, problems)
        if intent is _EDIT and not reports:
            problems = [p for p in problems if p.code != "no_value"]
    indicator = _indicator(sc, reports)
    goal = _goal(sc, intent, indicator)
    return Parse(intent, reports, goal, indicator, province, period, None,
                 _unique(problems) if problems else (), language, reply_language)


def _start(value: Value) -> int:
    return value.start


# -- scanning -----------------------------------------------------------------------------------------------


def _scan_cues(sc: _Scan) -> None:
    pattern, cues = _lexicon()
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


def _scan_codes(sc: _Scan) -> None:
    rx = _rx()
    spans: list[tuple[int, int]] = []
    low = sc.low
    if "@" in low or "://" in low or "www." in low:
        spans += [m.span() for m in rx["web"].finditer(sc.work)]
    if not sc.digits:
        sc.work = mask(sc.work, spans)
        return  # every code, date, phone or ordinal has a digit
    work = sc.work  # codes are searched on the same text: a phone number never starts with a code word
    # phones and ids start with 0, times have ":" or น./นาฬิกา, document numbers a "/"
    if "0" in work or ":" in work or "/" in work or "น." in work or "นาฬิกา" in work:
        spans += [m.span() for m in rx["misc"].finditer(work)]
    if "." in work or ")" in work:  # every list marker ends with one of them
        marker = rx["list_marker"]
        line = 0
        while line >= 0:
            if work[line:line + 1] in _MARKER_START:  # (a cheap test before the regex)
                found = marker.match(work, line)
                if found:
                    spans.append(found.span())
            line = work.find("\n", line) + 1 or -1
    if work.count(".") >= 2:  # 2.1.1
        for m in rx["bare_code"].finditer(work):
            spans.append(m.span())
            _note_indicator(sc, m.group(), m.start())
    for m in rx["coded"].finditer(work):
        kind = _CODE_WORDS[m.group("kw")]
        num = m.group("num")
        start, end = m.span()
        kw_start = m.start("kw")
        if kind in ("kpi", "ordinal", "goal", "indicator", "year") and m.group("kw")[0].isascii() and kw_start and \
                work[kw_start - 1].isascii() and work[kw_start - 1].isalnum():
            continue  # "kpi" inside a word
        unit_next = rx["unit_next"].match(work, end)
        if kind == "goal":
            if num.count(".") != 1 or unit_next or not ind.is_goal(num):
                continue  # "เป้า 835 ล้าน" is a target figure (masked later), not a goal code
            sc.goals += (num,)
            only = ind.only_indicator_of(num)
            if only:
                sc.indicator_hits.append((start, only))
                sc.implied |= {start}
        elif kind == "indicator":
            if ind.is_goal(num):
                sc.goals += (num,)
            elif num.count(".") == 2 or ind.is_indicator(num):
                _note_indicator(sc, num, start)
            elif num.isdigit() and len(num) == 1 and ("กรม" in low or "ditp" in low) and unit_next is None:
                _note_indicator(sc, f"KPI-{num}", start)  # "ตัวชี้วัดที่ 2 ของกรม"
        elif kind == "kpi":
            if not num.isdigit() or len(num) != 1 or not ind.is_indicator(f"KPI-{num}"):
                continue
            sc.explicit_indicators += (f"KPI-{num}",)
            sc.indicator_hits.append((start, f"KPI-{num}"))
            sc.codes.add(f"KPI-{num}")
        elif kind == "project":
            if unit_next or not (num in _THAI_ORDINALS or (num.isdigit() and len(num) <= 3)):
                continue  # "โครงการ 3 ล้าน" is an amount
            number = _THAI_ORDINALS.get(num) or int(num)
            sc.project_hits.append((start, number, sc.norm[start:end]))
        elif kind == "year":
            if not num.isdigit() or len(num) not in (2, 4) or unit_next:
                continue
        elif unit_next or not num[0].isdigit():
            continue  # "ที่ 2 ล้าน" is an amount
        spans.append((start, end))
    sc.work = mask(work, spans)
    if "goalword" in sc.tags:
        _mask_targets(sc)


def _note_indicator(sc: _Scan, code: str, position: int) -> None:
    if ind.is_indicator(code):
        sc.explicit_indicators += (code,)
        sc.indicator_hits.append((position, code))
        sc.codes.add(code)
    elif code.count(".") == 2:
        sc.unknown_codes += (code,)
        sc.indicator_hits.append((position, "?"))


def _mask_targets(sc: _Scan) -> None:
    """'เป้า 835 ล้าน' states the target, not a result: mask it (and remember it was money)."""
    if "goalword" not in sc.tags:
        return
    spans = []
    for start, end, cue in sc.cue_spans:
        if "goalword" not in cue.tags or "ตัวชี้วัด" in sc.low[start:end] or "indicator" in sc.low[start:end]:
            continue
        gap = _rx()["target"].match(sc.work, end)
        found = amount_at(sc.work, gap.end() if gap else end)
        if found:
            spans.append(found[:2])
            sc.target_money = sc.target_money or found[2]
    sc.work = mask(sc.work, spans)


# -- intent -------------------------------------------------------------------------------------------------


def _strong_values(sc: _Scan) -> list[Value]:
    """Values that can make a statement a report: amounts with units, percents, scores (bare numbers only
    next to report words)."""
    reportish = not sc.codes.isdisjoint(_REPORTED) or bool(sc.implied) or "reportverb" in sc.tags
    kinds = ("money", "percent", "score", "points", "bare") if reportish else ("money", "percent", "score", "points")
    return [v for v in sc.values if v.kind in kinds]


def _only_values(sc: _Scan, values: list[Value]) -> bool:
    """True when the message is nothing but the values (an answer like '2.5 ล้าน' or 'ร้อยละ 92')."""
    return not core(mask(sc.low, [(v.start, v.end) for v in values]))


def _intent(sc: _Scan) -> Intent:
    t = sc.tags
    if not (t or sc.values or sc.indicator_hits or sc.goals or sc.project_hits or sc.provinces):
        return Intent.UNKNOWN  # nothing the bot acts on: greetings, thanks, chit-chat
    codes = sc.codes
    report_words = not codes.isdisjoint(_REPORTED)
    named = bool(codes or sc.goals or sc.project_hits or sc.unknown_codes)
    strong = _strong_values(sc)
    province_named = place_named = False
    for h in sc.provinces:
        if h.name is None:
            place_named = True  # Bangkok: a place, but no office
        elif not h.ordinary or h.prefixed:
            province_named = place_named = True
    context = report_words or named or "reportverb" in t or bool(sc.months) or place_named
    ditp = bool(codes) and any(c.startswith("KPI-") for c in codes)
    if "pause" in t:
        return Intent.PAUSE_REMINDERS
    if "resume" in t:
        return Intent.RESUME_REMINDERS
    if "send" in t:
        return Intent.SEND_SUMMARY
    if ("missing" in t or "submitted" in t) and (sc.question or "who" in t):
        return Intent.MISSING_REPORTS
    if "history" in t and not strong:
        return Intent.HISTORY
    if "edit" in t:
        return Intent.EDIT
    asking = sc.question or ("progress" in t and "reportverb" not in t and not strong)
    if asking:
        if "summary" in t and (province_named or not named):
            return Intent.PROVINCE_SUMMARY
        if "kpi" in t or ditp:
            return Intent.KPI_SCORE
        if "overview" in t and not province_named:
            return Intent.OVERVIEW
        if "missing" in t:
            return Intent.MISSING_REPORTS
        if "history" in t:
            return Intent.HISTORY
        if province_named and not ((not t.isdisjoint(("progress", "goalword", "total"))) or named):
            return Intent.PROVINCE_SUMMARY  # "ผลงานจังหวัดภูเก็ตเป็นไงบ้าง"
        if (not t.isdisjoint(("progress", "perf", "goalword", "total"))) or named or sc.target_money:
            return Intent.PROGRESS
        if (not t.isdisjoint(("summary", "overview"))):
            return Intent.PROVINCE_SUMMARY
        if "help" in t:
            return Intent.HELP
        return Intent.UNKNOWN
    if "kpi" in t or (ditp and not strong):
        return Intent.KPI_SCORE
    if codes and not strong and codes.isdisjoint(_REPORTED):
        return Intent.PROGRESS  # "คะแนน ITA ปีนี้": offices never report these, so naming one asks about it
    if "overview" in t and not strong:
        return Intent.PROVINCE_SUMMARY if province_named else Intent.OVERVIEW
    if "summary" in t and not strong:
        return Intent.PROVINCE_SUMMARY
    if strong and (context or _only_values(sc, strong)):
        return Intent.REPORT
    if report_words or ("reportverb" in t and (named or sc.values or sc.months or province_named)):
        return Intent.REPORT
    if (not t.isdisjoint(("progress", "perf", "goalword"))) or sc.goals:
        return Intent.PROGRESS
    if "help" in t:
        return Intent.HELP
    if "missing" in t and "who" in t:
        return Intent.MISSING_REPORTS
    return Intent.UNKNOWN


# -- provinces and months -------------------------------------------------------------------------------------


def _resolve_province(sc: _Scan, intent: Intent, problems: list[Problem]) -> str | None:
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
            standalone = intent in _STATEMENTS and thai_bounded(sc.low, hit.start, hit.end)
            if not (alone or standalone):
                continue
        accepted.append(hit)
    fuzzy_names: list[str] = []
    # Words after จ./จังหวัด/สพจ. that named no province: an abbreviation (จ.ชม.) or a misspelling.
    work = sc.work
    # every Thai prefix (จ., จังหวัด, สพจ., พณ.จ., …) has a จ in it
    tokens = prefixed_tokens(work)[:20] if not (accepted or bangkok) and (
        "จ" in work or "province" in work or "office" in work) else []
    if tokens:
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
        result = fuzzy_province(word, prefixed=True)
        if result.name:
            fuzzy_names.append(result.name)
        elif result.candidates:
            problems.append(Problem("ambiguous_province", word, result.candidates))
        elif prefix != "จังหวัด" or intent in _STATEMENTS:
            problems.append(Problem("unknown_province", word, close_names(word)))
    if len(accepted) == 1 and not fuzzy_names:  # the common case
        names = [accepted[0].name] if accepted[0].name else []
    else:
        names = list(dict.fromkeys([h.name for h in accepted if h.name] + fuzzy_names))
    if not names and not bangkok and not (problems and any(p.code.endswith("_province") for p in problems)) and (
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


def _fuzzy_free_text(sc: _Scan, problems: list[Problem]) -> list[str]:
    """Misspelt province names without จ. in front (เชียงไหม่): long words only, one typo, a clear winner."""
    spans = [(s, e) for s, e, cue in sc.cue_spans if not cue.plain]
    for v in sc.values:
        spans.append((v.start, v.end))
    residual = mask(sc.work, spans)
    found: list[str] = []
    thai_word = _rx()["thai_word"]
    # the first 21 Thai words; findall (no match objects) for message-sized text
    words = thai_word.findall(residual)[:21] if len(residual) <= 500 else [
        m.group() for m in islice(thai_word.finditer(residual), 21)]
    for word in words:
        if len(word) < 5:
            continue
        result = fuzzy_province(word, prefixed=False)
        if result.name:
            found.append(result.name)
        elif result.candidates:
            problems.append(Problem("ambiguous_province", word, result.candidates))
    return list(dict.fromkeys(found))


def _resolve_period(sc: _Scan, problems: list[Problem]) -> str | None:
    if not sc.months:
        return None
    if len(sc.months) == 1:
        return sc.months[0].period
    periods = list(dict.fromkeys(m.period for m in sc.months))
    if len(periods) == 1:
        return periods[0]
    if len(periods) > 1:
        detail = ", ".join(sc.norm[m.start:m.end].strip() for m in sc.months)
        problems.append(Problem("conflicting_months", detail, tuple(periods)))
    return None


# -- reports --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    indicator: str | None
    value: Decimal | None
    position: int
    source: str
    score: tuple[float, float] | None = None
    choices: tuple[str, ...] = ()
    numerator: Decimal | None = None  # the two figures of a ratio KPI, in ล้านบาท
    denominator: Decimal | None = None


@derived
def _code_info() -> dict[str, tuple[str, str, str | None]]:
    """Indicator code → (value kind: money / percent / …, catalogue unit, goal)."""
    out = {}
    for code, info in vocabulary().indicators.items():
        kind = "money" if info.value_kind in MONEY_KINDS else "percent" if info.value_kind in PERCENT_KINDS else \
            info.value_kind
        out[code] = (kind, info.unit, info.goal)
    return out


@derived
def _codes_of_kind() -> dict[str, frozenset[str]]:
    """Value kind (money, percent, …) → the indicator codes of that kind."""
    out: dict[str, set[str]] = {}
    for code, (kind, _, _) in _code_info().items():
        out.setdefault(kind, set()).add(code)
    return {kind: frozenset(codes) for kind, codes in out.items()}


def _value_kind(code: str | None) -> str:
    found = _code_info().get(code or "")
    return found[0] if found else ""


def _unit(code: str | None) -> str | None:
    found = _code_info().get(code or "")
    return found[1] if found else None


def _nearest(hits: list[tuple[int, str]], position: int, text: str, want: str | None) -> str | None:
    """The indicator named closest before `position` (same line first), else closest after."""
    if not hits:
        return None
    if len(hits) == 1:  # the common case
        code = hits[0][1]
        return code if want is None or code in _codes_of_kind().get(want, ()) else None
    if want is None:
        fitting = hits
    else:
        codes = _codes_of_kind().get(want, ())
        fitting = [(p, c) for p, c in hits if c in codes]
    if len(fitting) < 2:
        return fitting[0][1] if fitting else None
    line_start = text.rfind("\n", 0, position) + 1
    before = [(p, c) for p, c in fitting if p <= position]
    same_line = [(p, c) for p, c in before if p >= line_start]
    if same_line:
        return max(same_line)[1]
    line_end = text.find("\n", position)
    line_end = len(text) if line_end < 0 else line_end
    after_same_line = [(p, c) for p, c in fitting if position < p < line_end]
    if after_same_line:
        return min(after_same_line)[1]
    if before:
        return max(before)[1]
    return min(fitting)[1]


def _fmt(number: Decimal) -> str:
    text = f"{number:,.6f}".rstrip("0").rstrip(".")
    return text


def _reports(sc: _Scan, intent: Intent, province: str | None, period: str | None,
             problems: list[Problem]) -> tuple[ReportItem, ...]:
    hits = sc.indicator_hits
    items: list[_Item] = []
    respondents: list[Value] = []
    counts: list[Value] = []
    unknown = sc.unknown_codes
    for code in unknown:
        problems.append(Problem("unknown_indicator", code))
    for v in sc.values:
        kind = v.kind
        if kind == "respondents":
            respondents.append(v)
            continue
        if unknown and _nearest(hits, v.start, sc.low, None) == "?":
            items.append(_Item(None, _plain_amount(v), v.start, v.text))
            continue
        if kind == "count":
            counts.append(v)
            continue
        if kind == "money":
            code = _nearest(hits, v.start, sc.low, "money") or ind.TRADE
            items.append(_money_item(v, code, problems))
        elif kind == "percent" or kind == "score" or kind == "points":
            code = _nearest(hits, v.start, sc.low, "percent") or (
                ind.SATISFACTION if not hits or _nearest(hits, v.start, sc.low, None) else None)
            item = _percent_item(v, code or ind.SATISFACTION, problems)
            if item:
                items.append(item)
        elif kind == "bare":
            code = _nearest(hits, v.start, sc.low, None)
            has_context = bool(hits or "reportverb" in sc.tags or sc.months or province or sc.project_hits)
            item = _bare_item(v, code, has_context, problems)
            if item:
                items.append(item)
    # Only needed for counts or when nothing was read. sc.codes holds every code the text names; the other hits
    # are implied by a goal ("เป้าหมาย 2.2").
    satisfaction_named = bool(counts or not items) and (ind.SATISFACTION in sc.codes or (bool(sc.implied) and any(
        c == ind.SATISFACTION for _, c in hits)))
    for c in counts:
        if c.unit_word in ("ราย", "คน", "ท่าน", "ชุด", "respondents", "respondent", "people", "persons") and (
                satisfaction_named or any(i.indicator == ind.SATISFACTION for i in items)):
            respondents.append(c)
    if not items and satisfaction_named and respondents:
        items.append(_Item(ind.SATISFACTION, None, respondents[0].start, ""))
    if not items:
        named = list(dict.fromkeys(c for _, c in hits if c in (ind.TRADE, ind.SATISFACTION)))
        if counts and not named:
            problems.append(Problem("unknown_indicator", counts[0].text))
        elif intent is Intent.REPORT:
            keyword = next((sc.norm[s:e] for s, e, cue in sc.cue_spans
                            if ind.TRADE in cue.indicators or ind.SATISFACTION in cue.indicators), "")
            problems.append(Problem("no_value", keyword))
        for code in named:
            items.append(_Item(code, None, next(p for p, c in hits if c == code), ""))
    merged = _merge(items, sc, problems)
    resp_total = _respondents_for(respondents, problems) if respondents and any(
        item.indicator == ind.SATISFACTION for item, _ in merged) else None
    info = _code_info()
    out = []
    for item, project in merged:
        code = item.indicator
        out.append(ReportItem(
            code,
            float(item.value) if item.value is not None else None,
            info[code][1] if code in info else None,
            period,
            province,
            project,
            resp_total if code == ind.SATISFACTION else None,
            item.source or None,
            item.score,
        ))
    return tuple(out)


def _plain_amount(v: Value) -> Decimal:
    """A value as read, for an indicator the parser does not know (money in million baht)."""
    if v.kind == "money":
        return v.amount / MILLION
    if v.kind == "score" and v.maximum:
        return v.amount / v.maximum * 100
    return v.amount


def _respondents_for(values: list[Value], problems: list[Problem]) -> int | None:
    """The respondent count as read (0 too: the conversation explains why it cannot be stored)."""
    counts = [v for v in values if v.amount == v.amount.to_integral_value()]
    if not counts:
        return None
    if counts[0].amount < 0:
        problems.append(Problem("out_of_range", counts[0].text))
    return int(counts[0].amount)


def _money_item(v: Value, code: str, problems: list[Problem]) -> _Item:
    if v.colloquial is not None and not v.literal_baht:
        choices = (f"{_fmt(v.colloquial)} บาท", f"{_fmt(v.amount)} บาท")
        problems.append(Problem("ambiguous_amount", v.text, choices))
        return _Item(code, None, v.start, v.text, choices=choices)
    if v.negative:
        problems.append(Problem("out_of_range", v.text))
    return _Item(code, v.amount / MILLION, v.start, v.text)


def _percent_item(v: Value, code: str, problems: list[Problem]) -> _Item | None:
    if v.kind == "points":
        if v.amount <= 5:
            choices = (f"{_fmt(v.amount)} จาก 5", f"ร้อยละ {_fmt(v.amount)}")
            problems.append(Problem("amount_without_unit", v.text, choices))
            return _Item(code, None, v.start, v.text, choices=choices)
        if v.amount > 100:
            problems.append(Problem("out_of_range", v.text))
        return _Item(code, v.amount, v.start, v.text)
    if v.kind == "score":
        assert v.maximum is not None
        score = (float(v.amount), float(v.maximum))
        if v.maximum <= 0:
            problems.append(Problem("out_of_range", v.text))
            return _Item(code, None, v.start, v.text, score=score)
        if v.amount > v.maximum or v.amount < 0:
            problems.append(Problem("out_of_range", v.text))
        return _Item(code, v.amount / v.maximum * 100, v.start, v.text, score=score)
    if v.amount > 100 or v.amount < 0:
        problems.append(Problem("out_of_range", v.text))
    return _Item(code, v.amount, v.start, v.text)


def _bare_item(v: Value, code: str | None, has_context: bool, problems: list[Problem]) -> _Item | None:
    kind = _value_kind(code)
    amount = v.amount
    if kind == "percent":
        if 5 < amount <= 100:
            return _Item(code, amount, v.start, v.text)
        if amount > 100 or amount < 0:
            problems.append(Problem("out_of_range", v.text))
            return _Item(code, amount, v.start, v.text)
        choices = (f"ร้อยละ {v.text}", f"{v.text} จาก 5")
        problems.append(Problem("amount_without_unit", v.text, choices))
        return _Item(code, None, v.start, v.text, choices=choices)
    if kind == "money" or (code is None and has_context):
        if abs(amount) >= 1000:
            if v.negative:
                problems.append(Problem("out_of_range", v.text))
            return _Item(code or ind.TRADE, amount / MILLION, v.start, v.text)
        if code is None:
            return None
        choices = (f"{v.text} ล้านบาท", f"{v.text} บาท")
        problems.append(Problem("amount_without_unit", v.text, choices))
        return _Item(code, None, v.start, v.text, choices=choices)
    return None


def _merge(items: list[_Item], sc: _Scan, problems: list[Problem]) -> list[tuple[_Item, int | None]]:
    """Attach projects, drop repeated values, turn two different values for one slot into a problem."""
    projects = _projects(sc, problems) if sc.project_hits else []
    if len(items) == 1:  # the common case: one value, nothing to merge
        item = items[0]
        project = None
        if projects and item.indicator and _code_info()[item.indicator][2] == "2.1":
            project = _project_for(projects, item.position, sc.low)
        return [(item, project)]
    keyed: dict[tuple[str | None, int | None], list[_Item]] = {}
    order: list[tuple[str | None, int | None]] = []
    for item in items:
        project = None
        if projects and item.indicator and _code_info()[item.indicator][2] == "2.1":
            project = _project_for(projects, item.position, sc.low)
        key = (item.indicator, project)
        if key not in keyed:
            keyed[key] = []
            order.append(key)
        keyed[key].append(item)
    out: list[tuple[_Item, int | None]] = []
    for key in order:
        group = keyed[key]
        known = [i for i in group if i.value is not None]
        distinct = list(dict.fromkeys(i.value for i in known))
        if len(distinct) > 1:
            unit = _unit(key[0]) or ""
            choices = tuple(_choice(d, unit) for d in distinct)
            problems.append(Problem("conflicting_values", ", ".join(i.source for i in known), choices))
            out.append((_Item(key[0], None, group[0].position, group[0].source, choices=choices), key[1]))
        elif known:
            out.append((known[0], key[1]))
        else:
            out.append((group[0], key[1]))
    out.sort(key=lambda pair: pair[0].position)
    return out


def _choice(value: Decimal, unit: str) -> str:
    if unit == "ร้อยละ":
        return f"ร้อยละ {_fmt(value)}"
    return f"{_fmt(value)} {unit}".strip()


def _projects(sc: _Scan, problems: list[Problem]) -> list[tuple[int, int]]:
    """(position, number) of the goal-2.1 projects named; numbers outside 1–8 become a problem."""
    out = []
    for position, number, text in sc.project_hits:
        if 1 <= number <= ind.project_count():
            out.append((position, number))
        else:
            problems.append(Problem("unknown_project", text.strip(),
                                    tuple(f"โครงการ {n}" for n in range(1, ind.project_count() + 1))))
    return sorted(out)


def _project_for(projects: list[tuple[int, int]], position: int, text: str) -> int:
    numbers = list(dict.fromkeys(n for _, n in projects))
    if len(numbers) == 1:
        return numbers[0]
    hits = [(p, str(n)) for p, n in projects]
    found = _nearest(hits, position, text, None)
    return int(found) if found else numbers[0]


# -- central units' indicators --------------------------------------------------------------------------------

_PEOPLE_UNITS = ("ราย", "คน", "ท่าน", "respondents", "respondent", "people", "persons", "person")
_SCORE_MAX = {"3.1.5": Decimal(100), "KPI-8": Decimal(100), "KPI-9": Decimal(500)}


def _central_mode(sc: _Scan) -> bool:
    """True when the message is about central units' indicators rather than 2.1.1 / 2.2.1.

    A generic word of the provincial indicators (มูลค่า, ยอด) yields to an explicit code or a ratio KPI."""
    codes = sc.codes
    if codes.isdisjoint(_REPORTED):
        return True
    return any(c not in _REPORTED and (c in sc.explicit_indicators or _value_kind(c) == "ratio") for c in codes)


def _central_items(sc: _Scan, problems: list[Problem]) -> list[_Item] | None:
    """The values of the central indicators a message names (None when it gives none: a question, a name)."""
    if not _central_mode(sc):
        return None
    implied = sc.implied
    hits = [(p, c) for p, c in sc.indicator_hits if c not in _REPORTED and c != "?" and p not in implied]
    if not hits or not sc.values:
        return None
    low = sc.low
    items: list[_Item] = []
    figures: dict[str, list[tuple[str, Decimal, Value]]] = {}  # ratio code → (num / den / quot, amount, value)
    for v in sc.values:
        code = _nearest(hits, v.start, low, None)
        if code is None:
            continue
        kind = _value_kind(code)
        vk = v.kind
        if kind == "ratio":
            if vk == "money":
                role = "den" if _denominator_next(sc, code, v.start) else "num"
                figures.setdefault(code, []).append((role, v.amount / MILLION, v))
            elif vk == "bare" or vk == "points":
                if low.startswith("เท่า", v.end) or low.startswith(" เท่า", v.end) or not any(
                        w in low for w in ind.DENOMINATOR_WORDS):
                    figures.setdefault(code, []).append(("quot", v.amount, v))
                else:  # "มูลค่าเจรจาการค้า 175,364.61 งบประมาณ 540.92": figures in ล้านบาท
                    role = "den" if _denominator_next(sc, code, v.start) else "num"
                    figures.setdefault(code, []).append((role, v.amount, v))
            continue
        item: _Item | None = None
        if kind == "percent":
            if code == "KPI-1" and vk in ("percent", "bare") and abs(v.amount) <= 100:
                item = _Item(code, v.amount, v.start, v.text)  # export growth may be negative
            elif vk in ("percent", "score", "points"):
                item = _percent_item(v, code, problems)
            elif vk == "bare":
                item = _bare_item(v, code, True, problems)
        elif kind == "score":
            if vk in ("bare", "points", "percent", "score"):
                score = (float(v.amount), float(v.maximum)) if vk == "score" and v.maximum else None
                if v.amount < 0 or v.amount > _SCORE_MAX.get(code, v.amount):
                    problems.append(Problem("out_of_range", v.text))
                item = _Item(code, v.amount, v.start, v.text, score=score)
        elif kind == "count":
            if vk == "bare" or (vk == "count" and v.unit_word not in _PEOPLE_UNITS):
                if v.amount < 0 or v.amount != v.amount.to_integral_value():
                    problems.append(Problem("out_of_range", v.text))
                item = _Item(code, v.amount, v.start, v.text)
        elif kind == "level" and (vk in ("bare", "points") or (vk == "count" and v.unit_word not in _PEOPLE_UNITS)):
            if v.amount < 0:
                problems.append(Problem("out_of_range", v.text))
            item = _Item(code, v.amount, v.start, v.text)
        if item is not None:
            items.append(item)
    for code, found in figures.items():
        items.append(_ratio_item(sc, code, found, problems))
    if not items:
        return None
    items.sort(key=lambda i: i.position)
    return items


def _denominator_next(sc: _Scan, code: str, position: int) -> bool:
    """True when a budget word (งบประมาณ) comes before this figure, after the numerator's name (มูลค่าเจรจาการค้า,
    มูลค่า) and after the figure before it."""
    low = sc.low
    word_at = max(low.rfind(w, 0, position) for w in ind.DENOMINATOR_WORDS)
    if word_at < 0:
        return False
    for _, end, cue in sc.cue_spans:
        if word_at < end <= position and (code in cue.indicators or ind.TRADE in cue.indicators):
            return False  # "งบประมาณ … มูลค่า 175,364.61": the name of the numerator is nearer
    return not any(word_at < v.end <= position for v in sc.values)


def _ratio_item(sc: _Scan, code: str, found: list[tuple[str, Decimal, Value]], problems: list[Problem]) -> _Item:
    """One ratio KPI from its figures: numerator / denominator, or the quotient as stated."""
    position = found[0][2].start
    source = ", ".join(v.text for _, _, v in found)
    picked: dict[str, Decimal | None] = {}
    for role in ("num", "den", "quot"):
        known = [(a, v) for r, a, v in found if r == role]
        distinct = list(dict.fromkeys(a for a, _ in known))
        if len(distinct) > 1:
            unit = "เท่า" if role == "quot" else "ล้านบาท"
            choices = tuple(f"{_fmt(d)} {unit}" for d in distinct)
            problems.append(Problem("conflicting_values", ", ".join(v.text for _, v in known), choices))
            picked[role] = None
        else:
            picked[role] = distinct[0] if distinct else None
    numerator, denominator, quotient = picked["num"], picked["den"], picked["quot"]
    stated = {r for r, _, _ in found}
    names = ind.RATIO_FIGURES.get(code, ("", ""))
    value: Decimal | None = None
    for amount in (numerator, denominator, quotient):
        if amount is not None and amount < 0:
            problems.append(Problem("out_of_range", _fmt(amount)))
    if numerator is not None and denominator is not None:
        if denominator == 0:
            problems.append(Problem("out_of_range", _fmt(denominator)))
        else:
            value = numerator / denominator
    elif "num" in stated and "den" in stated:
        pass  # a conflict, already a problem
    elif quotient is not None:
        value = quotient
    elif "quot" not in stated:
        if "num" in stated and "den" not in stated:
            problems.append(Problem("no_value", names[1]))
        elif "den" in stated and "num" not in stated:
            problems.append(Problem("no_value", names[0]))
    return _Item(code, value, position, source, numerator=numerator, denominator=denominator)


def _central_reports(sc: _Scan, items: list[_Item], province: str | None, period: str | None,
                     problems: list[Problem]) -> tuple[ReportItem, ...]:
    """Central units' report items: repeated values dropped, two different values for one indicator a problem."""
    plain = [i for i in items if _value_kind(i.indicator) != "ratio"]
    ratios = [i for i in items if _value_kind(i.indicator) == "ratio"]
    merged = [item for item, _ in _merge(plain, sc, problems)] if plain else []
    if ratios:
        merged = sorted(merged + ratios, key=lambda i: i.position)
    info = _code_info()
    return tuple(ReportItem(
        item.indicator,
        float(item.value) if item.value is not None else None,
        info[item.indicator][1] if item.indicator in info else None,
        period,
        province,
        None,
        None,
        item.source or None,
        item.score,
        float(item.numerator) if item.numerator is not None else None,
        float(item.denominator) if item.denominator is not None else None,
    ) for item in merged)


# -- question fields ------------------------------------------------------------------------------------------


def _indicator(sc: _Scan, reports: tuple[ReportItem, ...]) -> str | None:
    if sc.explicit_indicators:
        codes = list(dict.fromkeys(sc.explicit_indicators))
    elif reports:
        if len(reports) == 1:
            return reports[0].indicator or None
        codes = list(dict.fromkeys(r.indicator for r in reports if r.indicator))
    elif not sc.indicator_hits:
        return None
    else:
        codes = list(dict.fromkeys(c for p, c in sc.indicator_hits if p not in sc.implied and c != "?"))
    return codes[0] if len(codes) == 1 else None


def _goal(sc: _Scan, intent: Intent, indicator: str | None) -> str | None:
    if sc.goals:
        return sc.goals[0]
    if indicator:
        return ind.goal_of(indicator)
    if intent is _PROGRESS and (sc.target_money or sc.project_hits
                                or any(v.kind == "money" for v in sc.values)):
        return "2.1"
    return None


def _unique(problems: list[Problem]) -> tuple[Problem, ...]:
    return tuple(dict.fromkeys(problems)) if problems else ()
