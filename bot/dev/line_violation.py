"""One problem the LINE contract finds in a body, and the wording the schema and limit checks share."""

from __future__ import annotations

import reprlib
from dataclasses import dataclass

# Offending values are quoted shortened, so a 501-id list or a long URL does not swamp the message.
short = reprlib.Repr()
short.maxstring = 60
short.maxother = 60


@dataclass(frozen=True)
class Violation:
    """One contract problem: a JSON pointer into the checked body and what is wrong there."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.message}"


def too_long(length: int, limit: int, unit: str) -> str:
    """Word a length over its limit."""
    return f"too long: {length} {unit}, the maximum is {limit}"


def too_many(count: int, limit: int, unit: str) -> str:
    """Word a count over its limit."""
    return f"too many {unit}: {count}, the maximum is {limit}"
