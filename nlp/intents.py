"""The intents a message can carry, and the keyword rules that recognise the simple ones."""

from __future__ import annotations

import re
from enum import StrEnum


class Intent(StrEnum):
    """What the user wants; one handler serves each."""

    REPORT = "report"
    PROGRESS = "progress"
    PROVINCE_SUMMARY = "province_summary"
    MISSING_REPORTS = "missing_reports"
    HISTORY = "history"
    HELP = "help"
    REGISTER = "register"
    CONFIRM = "confirm"
    CANCEL = "cancel"
    UNKNOWN = "unknown"


# "ลงทะเบียน ABCD-1234" or "register ABCD-1234"; the code is whatever follows.
_REGISTER = re.compile(r"^\s*(?:ลงทะเบียน|สมัคร|register)\s*[:：]?\s*(?P<code>\S*)", re.IGNORECASE)
_HELP = re.compile(r"^\s*(?:ช่วยเหลือ|วิธีใช้|เมนู|help|\?|ใช้งานยังไง|ใช้ยังไง)\s*$", re.IGNORECASE)


def register_code(text: str) -> str | None:
    """The invite code in a registration message, '' if the code is missing, None if not a registration.

    >>> register_code("ลงทะเบียน AB12-CD34")
    'AB12-CD34'
    >>> register_code("ลงทะเบียน")
    ''
    >>> register_code("ยอดขาย 3 แสน") is None
    True
    """
    match = _REGISTER.match(text)
    return match.group("code") if match else None


def is_help(text: str) -> bool:
    """True for a plain request for help.

    >>> is_help("วิธีใช้")
    True
    """
    return bool(_HELP.match(text))
