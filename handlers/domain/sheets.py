"""Rows of an administrator's sheet, CSV (UTF-8) or Excel (.xlsx), numbered as the person sees them."""

from __future__ import annotations

import csv
import io
from pathlib import Path


class SheetError(ValueError):
    """The file cannot be read as a sheet (the message says why, in the admin's terms)."""


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(header, [(line number, {column: text})]) from a .csv or .xlsx file; blank rows are skipped.

    Line numbers are the sheet's own (the header is line 1), so an error names the row a person would open.
    """
    if not path.is_file():
        raise SheetError(f"no such file: {path}")
    if path.suffix.lower() == ".xlsx":
        return _xlsx(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SheetError(f"{path.name} is not UTF-8 text (save the sheet as CSV UTF-8 or .xlsx)") from exc
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    return _rows(list(enumerate(reader, start=1)))


def _xlsx(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise SheetError(f"{path.name} is not an Excel workbook (.xlsx)") from exc
    try:
        sheet = book.worksheets[0]
        lines = [(n, [_cell(v) for v in row]) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    return _rows(lines)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 120.0 typed as 120 is 120
    return str(value)


def _rows(lines: list[tuple[int, list[str]]]) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    if not lines:
        raise SheetError("the file is empty (expected a header row)")
    header = [h.strip().lower() for h in lines[0][1]]
    rows = []
    for number, cells in lines[1:]:
        if not any(c.strip() for c in cells):
            continue
        rows.append((number, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}))
    return header, rows
