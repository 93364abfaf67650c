"""Acceptance corpus for the Thai message parser: `nlp.parse(text, today).to_json()` against hand-written meanings.

The cases live in tests/data/nlp_corpus.jsonl, one JSON object per line:
    {"id": "r001", "text": "...", "today": "2024-02-15", "expect": {...}, "note": "why this case matters"}
`expect` always has "intent". Reports are checked as the full list (order as written in the message, values
rounded to 6 decimals). Any other expected key (goal, indicator, province, period, register_code, language, ...)
must equal the parser's field; an expected null also accepts a missing field. "problems" lists codes that must
appear (subset check); "no_problems": true requires an empty problem list.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.corpus_score import REPORT_KEYS, differences

CORPUS = Path(__file__).parent / "data" / "nlp_corpus.jsonl"
OFFICES = Path(__file__).parent.parent / "handlers" / "domain" / "data" / "offices.yaml"

INTENTS = {
    "report",
    "progress",
    "province_summary",
    "missing_reports",
    "history",
    "help",
    "register",
    "confirm",
    "cancel",
    "correct",
    "overview",
    "kpi_score",
    "pause_reminders",
    "resume_reminders",
    "send_summary",
    "smalltalk",
    "unknown",
}
PROBLEM_CODES = {
    "amount_without_unit",
    "conflicting_months",
    "conflicting_values",
    "unknown_province",
    "ambiguous_province",
    "no_value",
    "unknown_project",
    "unknown_indicator",
    "bangkok",
    "out_of_range",
}

UNITS = {"2.1.1": "ล้านบาท", "2.2.1": "ร้อยละ"}
MIN_CASES = 300


def _load_cases() -> list[dict]:
    with open(CORPUS, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


CASES = _load_cases()


def _problem_codes(actual: dict) -> list[str]:
    codes = []
    for problem in actual.get("problems") or []:
        codes.append(problem.get("code") if isinstance(problem, dict) else problem)
    return codes


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_corpus_case(case: dict) -> None:
    import nlp  # imported here so that collection works before the parser exists

    actual = nlp.parse(case["text"], date.fromisoformat(case["today"])).to_json()
    expect = case["expect"]
    errors = differences(expect, actual)

    codes = _problem_codes(actual)
    missing = [code for code in expect.get("problems", []) if code not in codes]
    if missing:
        errors.append(f"problems: expected codes {missing} among {codes}")
    if expect.get("no_problems") and codes:
        errors.append(f"problems: expected none, got {codes}")

    if errors:
        pytest.fail(
            f"[{case['id']}] {case['text']!r} (today {case['today']})\n"
            f"note: {case.get('note', '')}\n" + "\n".join(errors) + f"\n\nexpected: {_dump(expect)}\n"
            f"actual:   {_dump(actual)}",
            pytrace=False,
        )


def _provinces() -> set[str]:
    with open(OFFICES, encoding="utf-8") as fh:
        return {office["province_th"] for office in yaml.safe_load(fh)["offices"]}


def test_corpus_is_large_unique_and_covers_everything() -> None:
    assert len(CASES) >= MIN_CASES, f"only {len(CASES)} cases"
    ids = [c["id"] for c in CASES]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate ids: {duplicates}"
    intents = {c["expect"]["intent"] for c in CASES}
    assert intents >= INTENTS, f"intents never expected: {sorted(INTENTS - intents)}"
    codes = [code for c in CASES for code in c["expect"].get("problems", [])]
    assert set(codes) >= PROBLEM_CODES, f"problem codes never expected: {sorted(PROBLEM_CODES - set(codes))}"
    rare = sorted(code for code in PROBLEM_CODES if codes.count(code) < 2)
    assert not rare, f"problem codes expected fewer than twice: {rare}"


def test_corpus_is_well_formed() -> None:
    """Every case is typed as the parser's output is: catches typos in the hand-written expectations."""
    provinces = _provinces()
    period_re = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
    bad = []
    for case in CASES:
        cid = case.get("id", "?")
        if set(case) - {"id", "text", "today", "expect", "note"} or not {"id", "text", "today", "expect"} <= set(case):
            bad.append(f"{cid}: keys {sorted(case)}")
            continue
        if not isinstance(case["text"], str) or not case["text"].strip():
            bad.append(f"{cid}: empty text")
        try:
            date.fromisoformat(case["today"])
        except (TypeError, ValueError):
            bad.append(f"{cid}: bad today {case['today']!r}")
        expect = case["expect"]
        if expect.get("intent") not in INTENTS:
            bad.append(f"{cid}: intent {expect.get('intent')!r}")
        for code in expect.get("problems", []):
            if code not in PROBLEM_CODES:
                bad.append(f"{cid}: problem code {code!r}")
        if expect.get("no_problems") and expect.get("problems"):
            bad.append(f"{cid}: both problems and no_problems")
        if "reports" in expect and expect.get("intent") != "report":
            bad.append(f"{cid}: reports expected on a non-report intent")
        if expect.get("intent") == "report" and "reports" not in expect and not expect.get("problems"):
            bad.append(f"{cid}: a clean report case must state its reports")
        for key in ("period",):
            if expect.get(key) is not None and not period_re.match(expect[key]):
                bad.append(f"{cid}: {key} {expect[key]!r}")
        if expect.get("province") is not None and expect["province"] not in provinces:
            bad.append(f"{cid}: province {expect['province']!r} is not an official name")
        for report in expect.get("reports", []):
            if tuple(report) != REPORT_KEYS:
                bad.append(f"{cid}: report keys {list(report)}")
                continue
            if report["indicator"] not in UNITS or report["unit"] != UNITS[report["indicator"]]:
                bad.append(f"{cid}: indicator/unit {report['indicator']!r}/{report['unit']!r}")
            value = report["value"]
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                bad.append(f"{cid}: value {value!r}")
            if report["period"] is not None and not period_re.match(report["period"]):
                bad.append(f"{cid}: period {report['period']!r}")
            if report["province"] is not None and report["province"] not in provinces:
                bad.append(f"{cid}: province {report['province']!r} is not an official name")
            if report["project"] is not None and report["project"] not in range(1, 9):
                bad.append(f"{cid}: project {report['project']!r}")
            if report["indicator"] == "2.2.1" and report["project"] is not None:
                bad.append(f"{cid}: satisfaction reports carry no project")
            resp = report["respondents"]
            if resp is not None and (isinstance(resp, bool) or not isinstance(resp, int) or resp <= 0):
                bad.append(f"{cid}: respondents {resp!r}")
            if report["indicator"] == "2.1.1" and resp is not None:
                bad.append(f"{cid}: trade value reports carry no respondents")
    assert not bad, "\n".join(bad)
