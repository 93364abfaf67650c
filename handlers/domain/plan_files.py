"""The one reader of the plan documents in `data/` (the two plans and the office list), parsed once per process.

The database loader, the parser's vocabulary and the CLI all read the plans through here, so there is one place
that knows the file names and how they are parsed. Only PyYAML is imported: the parse command stays light.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nlp.vocabulary import Vocabulary

DATA_DIR = Path(__file__).resolve().parent / "data"
PLAN_FILES = ("ops_2567.yaml", "ditp_2567.yaml")
OFFICES_FILE = "offices.yaml"


@cache
def read_yaml(path: Path) -> Any:
    """One YAML file, parsed once per process (the C loader when PyYAML has it)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)  # noqa: S506 - a safe loader


def read(name: str) -> dict[str, Any]:
    """One plan data file by name ('ops_2567.yaml', 'offices.yaml')."""
    return read_yaml(DATA_DIR / name)


def plans() -> list[dict[str, Any]]:
    """Both plan documents, in load order."""
    return [read(name) for name in PLAN_FILES]


def vocabulary() -> Vocabulary:
    """What the parser should know by name, built from the same files the database is loaded from."""
    from nlp.vocabulary import Vocabulary

    return Vocabulary.from_plan(plans(), read(OFFICES_FILE))
