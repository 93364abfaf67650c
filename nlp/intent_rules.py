"""The intent of a message, from its cue tags, values and names: an ordered table of rules, first match wins.

Read the table top to bottom: each rule's `why` says why it sits where it does. Commands that change settings
come first, then questions (`asking`: a question word or mark, or progress words with nothing to report), then
statements, which end in reports. Every rule below the `asking` fallback sees statements only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from nlp.indicators import REPORTED
from nlp.intents import Intent, core
from nlp.scan import Scan
from nlp.text import mask
from nlp.values import Value

_PROGRESS_WORDS = ("progress", "goalword", "total")
_TARGET_WORDS = ("progress", "goalword")
_HOW_MUCH = ("howmuch", "perf", "total", "summary")
_WEAK_NAMES = frozenset(("ยอด",))  # "a figure": names no indicator to a question about a province
_PERFORMANCE_WORDS = ("progress", "perf", "goalword", "total")
_HOW_IT_GOES = ("progress", "perf", "goalword")
_SUMMARY_WORDS = ("summary", "overview")
_REPORTISH_KINDS = ("money", "percent", "score", "points", "bare")
_STRONG_KINDS = ("money", "percent", "score", "points")
_LARGE_BARE = 100_000


class Facts:
    """What the rules weigh, worked out once per message."""

    __slots__ = ("sc", "tags", "codes", "strong", "report_words", "named", "province_named", "context", "ditp",
                 "asking")

    def __init__(self, sc: Scan) -> None:
        self.sc = sc
        self.tags = t = sc.tags
        self.codes = codes = sc.codes
        self.strong = strong = _strong_values(sc)  # values that can make a statement a report
        self.report_words = not codes.isdisjoint(REPORTED)  # a provincial indicator is named
        self.named = bool(codes or sc.goals or sc.project_hits or sc.unknown_codes)
        province_named = place_named = False
        for h in sc.provinces:
            if h.name is None:
                place_named = True  # Bangkok: a place, but no office
            elif not h.ordinary or h.prefixed or (h.leading and (sc.values or sc.question)):
                province_named = place_named = True  # "ตราดทำได้เท่าไหร่", not "ตากผ้าไว้"
        self.province_named = province_named
        self.context = self.report_words or self.named or "reportverb" in t or bool(sc.months) or place_named
        self.ditp = bool(codes) and any(c.startswith("KPI-") for c in codes)
        self.asking = sc.question or ("progress" in t and "reportverb" not in t and not strong)


@dataclass(frozen=True, slots=True)
class Rule:
    """One rung of the ladder: when `holds` is true of a message, its intent is `intent`."""

    name: str
    holds: Callable[[Facts], bool]
    intent: Intent
    why: str
    needs: frozenset[str] = frozenset()  # cue tags of which the rule needs one: skipped cheaply without them
    asks: bool = False  # holds only for questions (Facts.asking): skipped cheaply for statements


def _question(name: str, holds: Callable[[Facts], bool], intent: Intent, why: str,
              needs: frozenset[str] = frozenset()) -> Rule:
    """A rung that holds only for a question; `holds` need not test `asking` again."""
    return Rule(name, holds, intent, why, needs, asks=True)


def _strong_values(sc: Scan) -> list[Value]:
    """Values that can make a statement a report: amounts with units, percents, scores (bare numbers only
    next to report words)."""
    reportish = not sc.codes.isdisjoint(REPORTED) or bool(sc.implied) or "reportverb" in sc.tags or bool(
        sc.project_hits)
    kinds = _REPORTISH_KINDS if reportish else _STRONG_KINDS
    # a large bare number (3,200,000) is baht, whatever words are around it
    return [v for v in sc.values if v.kind in kinds or (v.kind == "bare" and v.amount >= _LARGE_BARE)]


def _undated_month(sc: Scan) -> bool:
    """A month that may be a report's ("ม.ค. 67"), not only a date ("ประชุมวันที่ 22 ก.พ.")."""
    return any(not m.dated for m in sc.months)


def _names_more(f: Facts) -> bool:
    """True when a question names an indicator, goal or project beyond the bare word ยอด ("อยุธยา ได้ยอดเท่าไหร่")."""
    sc = f.sc
    if sc.goals or sc.project_hits or sc.unknown_codes or sc.explicit_indicators:
        return True
    return any(cue.indicators and sc.low[s:e] not in _WEAK_NAMES for s, e, cue in sc.cue_spans)


def _only_values(sc: Scan, values: list[Value]) -> bool:
    """True when the message is nothing but the values (an answer like '2.5 ล้าน' or 'ร้อยละ 92')."""
    return not core(mask(sc.low, [(v.start, v.end) for v in values]))


_SMALL_TALK_TAGS = frozenset(("smalltalk", "q"))


def _small_talk(f: Facts) -> bool:
    sc = f.sc
    return "smalltalk" in f.tags and f.tags <= _SMALL_TALK_TAGS and not (
        sc.values or f.named or f.province_named or sc.months)


_YES_TAGS = frozenset(("yes", "smalltalk", "shadow"))
_NO_TAGS = frozenset(("no", "smalltalk", "shadow", "distractor"))


def _says_only(f: Facts, word: str, allowed: frozenset[str]) -> bool:
    """A short yes or no in words the command table lacks ("looks good, submit it", "no, don't save it"), with
    nothing else the bot could act on."""
    sc = f.sc
    return word in f.tags and f.tags <= allowed and len(sc.low) <= 60 and not (
        sc.values or f.named or f.province_named or sc.months)


def _empty(f: Facts) -> bool:
    sc = f.sc
    return not (f.tags or sc.values or sc.indicator_hits or sc.goals or sc.project_hits or sc.provinces)


def _any(tags: set[str], words: tuple[str, ...]) -> bool:
    return not tags.isdisjoint(words)


# One rule a line: name, test, intent, and why it sits where it does. The first rule that holds wins.
RULES: tuple[Rule, ...] = (
    Rule("nothing", _empty, Intent.UNKNOWN,
         "greetings, thanks, chit-chat: nothing the bot acts on, so no rule below need look"),
    Rule("smalltalk", _small_talk, Intent.SMALLTALK,
         "thanks or a greeting and nothing the bot acts on: a friendly word back, not the help menu",
         needs=frozenset(("smalltalk",))),
    Rule("yes", lambda f: _says_only(f, "yes", _YES_TAGS), Intent.CONFIRM,
         "a yes and nothing else: the pending card is confirmed (the conversation asks when there is none)",
         needs=frozenset(("yes",))),
    Rule("no", lambda f: _says_only(f, "no", _NO_TAGS), Intent.CANCEL, "a no and nothing else, the same way",
         needs=frozenset(("no",))),
    Rule("pause", lambda f: "pause" in f.tags, Intent.PAUSE_REMINDERS,
         "a settings command wins over the report and question words it may contain",
         needs=frozenset(("pause",))),
    Rule("resume", lambda f: "resume" in f.tags, Intent.RESUME_REMINDERS,
         "the other settings command, for the same reason",
         needs=frozenset(("resume",))),
    Rule("reminders on", lambda f: "reminder" in f.tags and "on_word" in f.tags and not f.strong,
         Intent.RESUME_REMINDERS, "reminders and a word for on, however worded ('turn the reminders back on')",
         needs=frozenset(("reminder",))),
    Rule("reminders off", lambda f: "reminder" in f.tags and "off_word" in f.tags and not f.strong,
         Intent.PAUSE_REMINDERS, "reminders and a word for off",
         needs=frozenset(("reminder",))),
    Rule("send", lambda f: "send" in f.tags, Intent.SEND_SUMMARY,
         "ส่งสรุป is a command before it is a summary word",
         needs=frozenset(("send",))),
    Rule("send a summary",
         lambda f: "sendverb" in f.tags and "summary" in f.tags and not f.sc.question and not f.strong,
         Intent.SEND_SUMMARY, "a send verb and a summary word, nothing asked or reported ('send the summary now')",
         needs=frozenset(("sendverb",))),
    Rule("who reported",
         lambda f: ("missing" in f.tags or "submitted" in f.tags) and (
             f.sc.question or ("who" in f.tags and not f.strong)),
         Intent.MISSING_REPORTS, "'who has (not) reported?' asks for the list, whatever report words it has (a "
         "statement with figures is a report: 'ต.ค. ที่ยังบ่ได้ส่ง 1.1 ล้าน')",
         needs=frozenset(("missing", "submitted"))),
    Rule("history", lambda f: "history" in f.tags and "edit" not in f.tags and not f.strong, Intent.HISTORY,
         "past reports, asked or not, unless a value makes the message a report",
         needs=frozenset(("history",))),
    Rule("edit", lambda f: "edit" in f.tags, Intent.CORRECT,
         "a correction, asked or stated, before any question or report: its value is the corrected one",
         needs=frozenset(("edit",))),
    Rule("restated", lambda f: "sentref" in f.tags and not f.asking and bool(f.strong or f.sc.project_hits),
         Intent.CORRECT, "a figure for what was already sent ('ยอด 1.2 ล้านที่ส่งเมื่อวานเป็นโครงการ 8'): a correction",
         needs=frozenset(("sentref",))),
    Rule("help", lambda f: "help" in f.tags and not f.strong, Intent.HELP,
         "how to type a report (ต้องพิมพ์ยังไง, ขอตัวอย่าง): before the report and question words such a message has",
         needs=frozenset(("help",))),
    Rule("report, received?", lambda f: "receipt_q" in f.tags and bool(f.strong) and f.context, Intent.REPORT,
         "a full report that ends 'ได้รับไหมคะ' asks for a receipt: it is still the report",
         needs=frozenset(("receipt_q",))),
    # questions (asking: a question word or mark, or progress words with nothing to report)
    _question("ask summary", lambda f: f.asking and "summary" in f.tags and (f.province_named or not f.named),
         Intent.PROVINCE_SUMMARY, "สรุป of a province, or of nothing named, before what else the question names",
         needs=frozenset(("summary",))),
    _question("ask kpi", lambda f: f.asking and ("kpi" in f.tags or f.ditp), Intent.KPI_SCORE,
         "DITP KPIs have their own answer, before the general progress question"),
    _question("ask overview",
         lambda f: f.asking and "overview" in f.tags and not f.province_named and not f.report_words and not (
             f.sc.goals),
         Intent.OVERVIEW,
         "ภาพรวม of everything; with a province or an indicator named ('ความพึงพอใจภาพรวม') the rules below decide",
         needs=frozenset(("overview",))),
    _question("ask missing", lambda f: f.asking and "missing" in f.tags, Intent.MISSING_REPORTS,
         "'not reported yet?' without a who: still the missing list, before progress",
         needs=frozenset(("missing",))),
    _question("ask history", lambda f: "history" in f.tags or "sentref" in f.tags or "receipt_q" in f.tags,
         Intent.HISTORY,
         "a question about past reports ('ที่ส่งไปมีอะไรบ้าง'), even with a value in it",
         needs=frozenset(("history", "sentref", "receipt_q"))),
    _question("ask how", lambda f: f.asking and ("howto" in f.tags or "help" in f.tags), Intent.HELP,
         "how to type or use something ('ต้องแปลงเป็น % เองมั้ย', 'มีคำสั่งอะไรบ้าง'): before the subject matter",
         needs=frozenset(("howto", "help"))),
    _question("ask province",
         lambda f: f.asking and f.province_named and _any(f.tags, _HOW_MUCH) and not (
             _any(f.tags, _TARGET_WORDS) or _names_more(f)),
         Intent.PROVINCE_SUMMARY, "'ผลงานจังหวัดภูเก็ตเป็นไงบ้าง': a province and nothing more specific"),
    _question("ask progress",
         lambda f: f.asking and (_any(f.tags, _PERFORMANCE_WORDS) or f.named or f.sc.target_money),
         Intent.PROGRESS, "progress words, or an indicator, goal, project or target named: the general question"),
    _question("ask summary words", lambda f: f.asking and _any(f.tags, _SUMMARY_WORDS), Intent.PROVINCE_SUMMARY,
         "summary words left over (the rules above catch every such case today; kept as the ladder had it)",
         needs=frozenset(("summary", "overview"))),
    _question("ask help", lambda f: f.asking and "help" in f.tags, Intent.HELP,
         "a question about using the bot, once no subject matter was found",
         needs=frozenset(("help",))),
    _question("ask anything else", lambda f: f.asking, Intent.UNKNOWN,
         "a question the bot cannot answer is never a report: every rule below sees statements only"),
    # statements
    Rule("kpi", lambda f: "kpi" in f.tags or (f.ditp and not f.strong), Intent.KPI_SCORE,
         "KPI words, or DITP KPIs named without a value, ask for their scores"),
    Rule("central named", lambda f: bool(f.codes) and not f.strong and f.codes.isdisjoint(REPORTED), Intent.PROGRESS,
         "'คะแนน ITA ปีนี้': offices never report these, so naming one without a value asks about it"),
    Rule("overview of a province", lambda f: "overview" in f.tags and not f.strong and f.province_named,
         Intent.PROVINCE_SUMMARY, "ภาพรวม with a province named is that province's summary",
         needs=frozenset(("overview",))),
    Rule("overview", lambda f: "overview" in f.tags and not f.strong and not f.sc.goals, Intent.OVERVIEW,
         "ภาพรวม without a value, before the report rules",
         needs=frozenset(("overview",))),
    Rule("summary", lambda f: "summary" in f.tags and not f.strong, Intent.PROVINCE_SUMMARY,
         "สรุป without a value; with one it is a report (รายงานสรุป 2 ล้าน)",
         needs=frozenset(("summary",))),
    Rule("values", lambda f: bool(f.strong) and (f.context or _only_values(f.sc, f.strong)), Intent.REPORT,
         "a value with something to attach it to, or nothing but the value (an answer: '2.5 ล้าน')"),
    Rule("report words",
         lambda f: f.report_words or ("reportverb" in f.tags and bool(
             f.named or f.sc.values or _undated_month(f.sc) or f.province_named)),
         Intent.REPORT, "report words without a value: a report, so the bot asks for the missing value"),
    Rule("progress", lambda f: _any(f.tags, _HOW_IT_GOES) or bool(f.sc.goals), Intent.PROGRESS,
         "progress or goal words stated ('ความคืบหน้าเป้าหมาย 2.1'), once no report was found"),
    Rule("help", lambda f: "help" in f.tags, Intent.HELP,
         "how to use the bot, once nothing else was found",
         needs=frozenset(("help",))),
    Rule("missing", lambda f: "missing" in f.tags and "who" in f.tags, Intent.MISSING_REPORTS,
         "missing and who, no question (the 'who reported' rule catches it first; kept as the ladder had it)",
         needs=frozenset(("missing",))),
    Rule("anything else", lambda f: True, Intent.UNKNOWN, "the last rung: nothing the bot acts on"),
)


@lru_cache(maxsize=4096)
def _rungs(tags: frozenset[str], asking: bool) -> tuple[Rule, ...]:
    """The rungs that can hold for a message with these cue tags (messages share a few hundred tag sets)."""
    return tuple(rule for rule in RULES
                 if (asking or not rule.asks) and not (rule.needs and rule.needs.isdisjoint(tags)))


def intent_of(sc: Scan) -> Intent:
    """The intent of the first rule in RULES that holds for the message."""
    facts = Facts(sc)
    for rule in _rungs(frozenset(sc.tags), facts.asking):
        if rule.holds(facts):
            return rule.intent
    raise AssertionError("the last rule always holds")  # pragma: no cover
