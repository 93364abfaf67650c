"""Score corpus cases against the parser, as tests/data/parse_contract.md says: exact cases, reports, false reports.

    .venv/bin/python -m tests.corpus_score tests/data/blind/batch_01.jsonl [--failures]

The figure that counts for a blind batch is the one printed before any change made for it (tests/data/README.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

REPORT_KEYS = ("indicator", "value", "unit", "period", "province", "project", "respondents")
SKIPPED_KEYS = ("intent", "reports", "problems", "no_problems")
REPORTING = ("report", "correct")


def load(path: Path) -> list[dict[str, Any]]:
    """The cases of one JSON-lines file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def norm_report(report: dict[str, Any]) -> dict[str, Any]:
    """A report with only the compared keys, its value rounded to 6 decimals."""
    out = {key: report.get(key) for key in REPORT_KEYS}
    if isinstance(out["value"], int | float) and not isinstance(out["value"], bool):
        out["value"] = round(float(out["value"]), 6)
    return out


def differences(expect: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Why `actual` is not exactly `expect` ([] when it is)."""
    errors = []
    if actual.get("intent") != expect["intent"]:
        errors.append(f"intent: expected {expect['intent']!r}, got {actual.get('intent')!r}")
    if "reports" in expect:
        want = [norm_report(r) for r in expect["reports"]]
        got = [norm_report(r) for r in actual.get("reports") or []]
        if want != got:
            errors.append(f"reports: expected {json.dumps(want, ensure_ascii=False)}\n"
                          f"          got      {json.dumps(got, ensure_ascii=False)}")
    for key, value in expect.items():
        if key in SKIPPED_KEYS or (value is None and key not in actual):
            continue
        if actual.get(key) != value:
            errors.append(f"{key}: expected {value!r}, got {actual.get(key)!r}")
    return errors


@dataclass
class Score:
    """What one batch scored."""

    cases: int = 0
    exact: int = 0
    reports_expected: int = 0
    reports_right: int = 0
    non_reports: int = 0
    false_reports: int = 0
    silent_wrong_values: int = 0  # a value on the card that is wrong, with no problem said about it
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line for the README table."""
        def pct(a: int, b: int) -> str:
            return f"{100 * a / b:.1f}%" if b else "-"
        return (f"{self.cases} cases: exact {self.exact} ({pct(self.exact, self.cases)}); reports "
                f"{self.reports_right}/{self.reports_expected} ({pct(self.reports_right, self.reports_expected)}); "
                f"false reports {self.false_reports}/{self.non_reports}; wrong values with no problem "
                f"{self.silent_wrong_values}")


def score(cases: list[dict[str, Any]]) -> Score:
    """Parse every case with its `today` and count as the contract says."""
    import nlp

    result = Score()
    for case in cases:
        expect = case["expect"]
        actual = nlp.parse(case["text"], date.fromisoformat(case["today"])).to_json()
        result.cases += 1
        errors = differences(expect, actual)
        if not errors:
            result.exact += 1
        else:
            result.failures.append(f"[{case['id']}] {case['text']!r} ({case['today']})\n  " + "\n  ".join(errors))
        want = [norm_report(r) for r in expect.get("reports") or []]
        got = [norm_report(r) for r in actual.get("reports") or []]
        if expect["intent"] in REPORTING:
            result.reports_expected += len(want)
            result.reports_right += sum(1 for i, w in enumerate(want) if i < len(got) and got[i] == w)
            if not actual.get("problems"):
                result.silent_wrong_values += sum(
                    1 for i, w in enumerate(want)
                    if i < len(got) and got[i]["value"] is not None and got[i]["value"] != w["value"])
        else:
            result.non_reports += 1
            result.false_reports += actual.get("intent") in REPORTING and bool(got)
    return result


def main(argv: list[str] | None = None) -> int:
    """Print each file's score (and, with --failures, every case that was not exact)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--failures", action="store_true")
    args = parser.parse_args(argv)
    import nlp
    from handlers.domain import plan_files

    nlp.use_vocabulary(plan_files.vocabulary)
    for path in args.files:
        result = score(load(path))
        print(f"{path}: {result.line()}")
        if args.failures:
            print("\n".join(result.failures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
