"""What `parse()` returns: frozen dataclasses that serialise to the bot's JSON contract."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import Any, TypeVar

from nlp.intents import Intent

# Every Problem.code the parser can emit. Each one tells the conversation layer which precise question to ask.
PROBLEM_CODES: dict[str, str] = {
    "amount_without_unit": (
        "a number with no unit where the unit decides the value, e.g. 'ยอดขาย 2.5' (< 1,000, so neither baht nor "
        "million baht is safe): value None, detail '2.5', choices ('2.5 ล้านบาท', '2.5 บาท')"
    ),
    "conflicting_months": "two different months in one message: period None, choices = the months as YYYY-MM",
    "conflicting_values": "two different values for the same indicator (and project): value None, choices = both",
    "unknown_province": (
        "text after จ./จังหวัด/สพจ. that names no province: province None, choices = up to 3 close names"
    ),
    "ambiguous_province": (
        "a misspelling close to two provinces (จ.ระยอน: ระยอง or ระนอง) or two provinces named: province None, "
        "choices = the candidates"
    ),
    "no_value": "report words (ยอดขาย, ความพึงพอใจ, รายงาน…) but no number to record",
    "unknown_project": "a project number outside 1–8 (โครงการ 9): project None",
    "unknown_indicator": "a number with a unit that no indicator word explains (e.g. 'ผู้ประกอบการ 30 ราย')",
    "bangkok": "กรุงเทพฯ / กทม. was named: there is no provincial commerce office there; province None",
    "out_of_range": (
        "a percent above 100, a score above its maximum, or a negative value: the value is returned as read so the "
        "bot can explain; the conversation layer refuses to store it"
    ),
}


_T = TypeVar("_T")


def _fast_init(cls: type[_T]) -> type[_T]:
    """Give a frozen dataclass an __init__ that fills the instance __dict__ directly.

    The generated one calls object.__setattr__ once per field, about three times slower; every parse builds a
    Parse and its items. Same parameters, order and defaults, built from the dataclass fields so it cannot drift.
    """
    params, lines, env = [], [], {}
    for f in fields(cls):  # type: ignore[arg-type]
        if not f.init or f.default_factory is not MISSING:  # pragma: no cover - not used by these classes
            raise TypeError(f"{cls.__name__}.{f.name}: only plain fields with plain defaults are supported")
        if f.default is MISSING:
            params.append(f.name)
        else:
            env[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        lines.append(f"    d[{f.name!r}] = {f.name}\n")
    exec(f"def __init__(self, {', '.join(params)}):\n    d = self.__dict__\n{''.join(lines)}", env)  # noqa: S102
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__annotations__ = {**{f.name: f.type for f in fields(cls)}, "return": None}  # type: ignore[arg-type]
    cls.__init__ = init  # type: ignore[misc]
    return cls


@_fast_init
@dataclass(frozen=True)
class ReportItem:
    """One value an officer reported, with what the message says about it (None where it says nothing)."""

    indicator: str | None
    value: float | None
    unit: str | None
    period: str | None
    province: str | None
    project: int | None
    respondents: int | None
    source_text: str | None = None
    score: tuple[float, float] | None = None
    # The two figures of a ratio KPI (KPI-2/3/4), in ล้านบาท; value is numerator / denominator when both are known.
    numerator: float | None = None
    denominator: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON object of one report (values rounded to 6 decimals); ratio figures only when stated."""
        out = {
            "indicator": self.indicator,
            "value": _round(self.value),
            "unit": self.unit,
            "period": self.period,
            "province": self.province,
            "project": self.project,
            "respondents": self.respondents,
        }
        if self.numerator is not None:
            out["numerator"] = _round(self.numerator)
        if self.denominator is not None:
            out["denominator"] = _round(self.denominator)
        return out


@_fast_init
@dataclass(frozen=True)
class Problem:
    """Something the parser could not settle; `choices` are candidates the bot can offer as quick replies."""

    code: str
    detail: str = ""
    choices: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The JSON object of one problem."""
        return {"code": self.code, "detail": self.detail, "choices": list(self.choices)}


# Which top-level fields each intent always carries in JSON (null when not stated).
_ALWAYS: dict[Intent, tuple[str, ...]] = {
    Intent.PROGRESS: ("goal", "indicator", "province", "period"),
    Intent.PROVINCE_SUMMARY: ("province", "period"),
    Intent.MISSING_REPORTS: ("period", "indicator"),
}
_OPTIONAL = ("goal", "indicator", "province", "period")


@_fast_init
@dataclass(frozen=True)
class Parse:
    """How one message was understood."""

    intent: Intent
    reports: tuple[ReportItem, ...] = ()
    goal: str | None = None
    indicator: str | None = None
    province: str | None = None
    period: str | None = None
    register_code: str | None = None
    problems: tuple[Problem, ...] = ()
    language: str = "th"
    reply_language: str = "th"

    def problem(self, code: str) -> Problem | None:
        """The first problem with this code, if any."""
        return next((p for p in self.problems if p.code == code), None)

    def to_json(self) -> dict[str, Any]:
        """The JSON object other components read: stable keys, values rounded to 6 decimals."""
        out: dict[str, Any] = {"intent": str(self.intent)}
        if self.intent is Intent.REPORT:
            out["reports"] = [r.to_json() for r in self.reports]
        elif self.intent is Intent.REGISTER:
            out["register_code"] = self.register_code if self.register_code is not None else ""
        else:
            always = _ALWAYS.get(self.intent, ())
            for key in always:
                out[key] = getattr(self, key)
            for key in _OPTIONAL:
                if key not in always and getattr(self, key) is not None:
                    out[key] = getattr(self, key)
            if self.reports:  # e.g. an edit that already carries the corrected value
                out["reports"] = [r.to_json() for r in self.reports]
        out["problems"] = [p.to_json() for p in self.problems]
        out["language"] = self.language
        if self.reply_language != "th":
            out["reply_language"] = self.reply_language
        return out


def _round(value: float | None) -> float | None:
    if value is None:
        return None
    rounded = round(value, 6)
    return 0.0 if rounded == 0 else rounded
