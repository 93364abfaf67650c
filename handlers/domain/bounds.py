"""The hard bounds of a stored figure: every value is a finite number inside its unit's bound, whatever path it
came by (chat, a tapped button, an import). These are what cannot be true, not what is unusual: an unusually
large trade value gets the implausibility warning (handlers/domain/reports.implausible_reason) instead.
"""

from __future__ import annotations

import math

from handlers.domain import thai_format

# value_kind → (lowest, highest). ล้านบาท: 1,000,000 ล้านบาท is a trillion baht, above any one report (DITP's
# KPI-2 trade value is 175,364.61 ล้านบาท); a ratio or count above 100,000 is no KPI of these plans.
BOUNDS = {
    "amount_mb": (0.0, 1_000_000.0),
    "percent": (0.0, 100.0),
    "score": (0.0, 1_000.0),
    "count": (0.0, 100_000.0),
    "ratio": (0.0, 100_000.0),
    "level": (0.0, 100.0),
}
MAX_RESPONDENTS = 10_000_000  # more than everyone a province office could survey
MAX_AMOUNT = BOUNDS["amount_mb"][1]  # a ratio's numerator and denominator are amounts in ล้านบาท


def outside_bounds(value_kind: str, value: float | None, unit: str) -> str | None:
    """Why a value can never be stored (Thai), or None.

    >>> outside_bounds("amount_mb", float("inf"), "ล้านบาท")
    'ค่านี้ไม่ใช่ตัวเลขที่บันทึกได้'
    >>> outside_bounds("amount_mb", 2_000_000, "ล้านบาท")
    'ค่า 2,000,000.00 ล้านบาท เกินกว่าที่เป็นไปได้ (ไม่เกิน 1,000,000.00 ล้านบาท)'
    """
    if value is None:
        return None
    if not math.isfinite(value):
        return "ค่านี้ไม่ใช่ตัวเลขที่บันทึกได้"
    _low, high = BOUNDS.get(value_kind, (0.0, 1_000_000.0))
    if value > high:
        return (f"ค่า {thai_format.value_with_unit(value, unit)} เกินกว่าที่เป็นไปได้ "
                f"(ไม่เกิน {thai_format.value_with_unit(high, unit)})")
    return None


def figure_outside_bounds(figure: float | None, what: str, high: float) -> str | None:
    """The same for a figure beside the value (a ratio's numerator, a respondent count)."""
    if figure is None:
        return None
    if not math.isfinite(figure):
        return f"{what}ไม่ใช่ตัวเลขที่บันทึกได้"
    if figure > high:
        return f"{what}เกินกว่าที่เป็นไปได้ (ไม่เกิน {thai_format.number(high, 0)})"
    return None
