"""Tables pasted from a spreadsheet: a header row names each column and its unit, the rows under it hold values.

    เดือน<TAB>ยอดขาย(บาท)<TAB>พึงพอใจ(%)
    ม.ค.67<TAB>1,150,000<TAB>91.3

reads as "ม.ค.67 ยอดขาย 1,150,000 บาท พึงพอใจ 91.3 %": each value gets its column's words and unit, so the
ordinary recognisers read it. Runs on the raw text, before normalising squeezes the tabs and runs of spaces that
separate the columns.
"""

from __future__ import annotations

import re
from functools import cache


@cache
def _rx() -> dict[str, re.Pattern[str]]:
    return {
        "cells": re.compile(r"\t+|[ ]{2,}|\u3000+"),
        "unit": re.compile(r"\(\s*(ล้านบาท|ลบ\.?|บาท|%|ร้อยละ|ราย|คน|คะแนน)\s*\)"),
        "digit": re.compile(r"[0-9๐-๙]"),
    }


def rewritten(text: str) -> str | None:
    """The text with each table row spelled out by its header, or None when it has no such table."""
    rx = _rx()
    lines = text.split("\n")
    out: list[str] = []
    header: list[tuple[str, str]] | None = None
    changed = False
    for line in lines:
        cells = [c.strip() for c in rx["cells"].split(line.strip()) if c.strip()]
        if len(cells) >= 2 and not rx["digit"].search(line) and any(rx["unit"].search(c) for c in cells[1:]):
            header = [_label(c) for c in cells]
            out.append(" ".join(name for name, _ in header))  # the units go with the values below
            continue
        if header and len(cells) == len(header) and all(rx["digit"].search(c) for c in cells[1:]):
            parts = [cells[0]] + [f"{name} {value} {unit}".strip() for (name, unit), value in
                                  zip(header[1:], cells[1:], strict=True)]
            out.append(" ".join(parts))
            changed = True
            continue
        header = None if cells and not len(cells) >= 2 else header
        out.append(line)
    return "\n".join(out) if changed else None


def _label(cell: str) -> tuple[str, str]:
    """A header cell's words and unit: "ยอดขาย(บาท)" → ("ยอดขาย", "บาท")."""
    unit = _rx()["unit"].search(cell)
    if not unit:
        return cell, ""
    return (cell[:unit.start()] + cell[unit.end():]).strip(), unit.group(1)
