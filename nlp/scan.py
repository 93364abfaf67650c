"""What the recognisers found in one message (`Scan`), filled stage by stage before it becomes a Parse.

Stages, in the order nlp.parser runs them: cue words (nlp.cues) → codes, phones, dates and ordinals masked
(nlp.codes) → provinces, months, scores and values → intent (nlp.intent_rules) → province and month resolved
(nlp.resolve) → report items (nlp.assemble, nlp.central). `work` is the text with what was read so far masked.
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp.months import MonthMention
from nlp.provinces import ProvinceHit
from nlp.values import Value

_NO_POSITIONS: frozenset[int] = frozenset()
_NOTHING: tuple[()] = ()


@dataclass(frozen=True)
class Cue:
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


class Scan:
    """Everything found in one message, before it is turned into a Parse."""

    __slots__ = ("norm", "low", "work", "tags", "cue_spans", "indicator_hits", "implied", "codes", "project_hits",
                 "goals", "explicit_indicators", "unknown_codes", "months", "provinces", "values", "target_money",
                 "question", "digits")

    def __init__(self, norm: str, low: str, digits: bool = False) -> None:
        self.norm = norm
        self.low = low
        self.work = ""
        self.tags: set[str] = set()
        self.cue_spans: list[tuple[int, int, Cue]] = []
        self.indicator_hits: list[tuple[int, str]] = []  # (position, code)
        # Rarely filled: immutable empties, replaced (never mutated) when something is found.
        self.implied: frozenset[int] = _NO_POSITIONS  # positions of hits implied by a goal ("เป้าหมาย 2.1")
        self.codes: set[str] = set()  # indicator codes the text names (not implied ones)
        self.project_hits: list[tuple[int, int, str]] = []  # (position, number, text)
        self.goals: tuple[str, ...] = ()
        self.explicit_indicators: tuple[str, ...] = ()
        self.unknown_codes: tuple[str, ...] = ()  # "ตัวชี้วัด 2.1.3": looks like a code, is not one
        # set by nlp.parser once the recognisers have run
        self.months: list[MonthMention] = _NOTHING  # type: ignore[assignment]
        self.provinces: list[ProvinceHit] = _NOTHING  # type: ignore[assignment]
        self.values: list[Value] = _NOTHING  # type: ignore[assignment]
        self.target_money = False
        self.question = False
        self.digits = digits
