"""The blind batches never lose ground: each keeps at least the exact cases it has now, and no false report.

The first-seen scores stay in tests/data/README.md; this only guards what later changes might break.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus_score import load, score

BLIND = Path(__file__).parent / "data" / "blind"
# batch → (exact cases at least, wrong values with no problem at most), as of the last tuning round (the
# cases still failing are writers' readings the contract settles the other way: tests/data/README.md)
FLOORS = {"batch_01.jsonl": (108, 0), "batch_02.jsonl": (106, 0), "batch_03.jsonl": (110, 0),
          "batch_04.jsonl": (121, 0), "batch_05.jsonl": (115, 0),
          "batch_06.jsonl": (114, 0), "batch_07.jsonl": (117, 0),
          "batch_08.jsonl": (116, 0), "batch_09.jsonl": (122, 0), "batch_10.jsonl": (118, 0),
          "batch_11.jsonl": (114, 0), "batch_12.jsonl": (121, 0)}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_a_blind_batch_keeps_its_ground(name: str) -> None:
    result = score(load(BLIND / name))
    exact, silent = FLOORS[name]
    assert result.exact >= exact, "\n".join(result.failures)
    assert result.false_reports == 0 and result.silent_wrong_values <= silent, result.line()


def test_every_blind_batch_has_a_floor() -> None:
    assert sorted(p.name for p in BLIND.glob("batch_*.jsonl")) == sorted(FLOORS)
