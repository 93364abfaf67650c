"""The README's reliability promises each name the test that backs them: every named test must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_promise_names_tests_that_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Reliability promises", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| promise")]
    assert len(rows) >= 10
    for row in rows:
        named = re.findall(r"`((?:test_\w+\.py)?)(?:::(\w+))?`", row.split("|")[2])
        assert named, row
        current = None
        for file, test in named:
            current = file or current  # "::name" continues the file named before it
            source = (ROOT / "tests" / current).read_text(encoding="utf-8")
            assert not test or f"def {test}(" in source, f"{current}::{test}"
