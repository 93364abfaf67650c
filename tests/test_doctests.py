"""The Thai examples in the docstrings of the domain and the shell stay true (nlp's run in test_nlp_parse)."""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil
from pathlib import Path

import pytest

import bot
import handlers


def _modules_with_examples() -> list[str]:
    names = []
    for package in (handlers, bot):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            spec = importlib.util.find_spec(info.name)
            origin = spec.origin if spec else None
            if origin and origin.endswith(".py") and ">>>" in Path(origin).read_text(encoding="utf-8"):
                names.append(info.name)
    return sorted(names)


def test_the_formatting_scoring_and_calendar_modules_have_examples() -> None:
    found = _modules_with_examples()
    for name in ("handlers.domain.thai_format", "handlers.domain.workdays", "handlers.domain.kpi_score",
                 "handlers.domain.deadlines"):
        assert name in found


@pytest.mark.parametrize("name", _modules_with_examples())
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0, name
