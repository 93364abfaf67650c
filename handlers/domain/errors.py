"""The one error the domain and the handlers raise on purpose."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UserError(Exception):
    """An expected problem whose Thai text is shown to the user as the reply (errbot's CommandError)."""

    text_th: str

    def __str__(self) -> str:
        return self.text_th
