"""`python -m bot parse`: how the bot understands a message. Pure: no database, no LINE.

    python -m bot parse "ยอดขาย ธ.ค. 1.8 ล้าน พะเยา"
    python -m bot parse --today 2024-02-10 --json "ยอดขาย ธ.ค. 1.8 ล้าน พะเยา"
    printf '%s\\n' '{"text": "ยืนยัน"}' | python -m bot parse --jsonl
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from bot.cli.common import Subparsers
    from bot.settings import Settings

INTENT_TH = {
    "report": "รายงานผล", "progress": "ความคืบหน้า", "province_summary": "สรุปรายจังหวัด",
    "missing_reports": "จังหวัดที่ยังไม่ส่ง", "history": "ประวัติการรายงาน", "help": "วิธีใช้",
    "register": "ลงทะเบียน", "confirm": "ยืนยัน", "cancel": "ยกเลิก", "unknown": "ไม่เข้าใจ", "correct": "แก้ไข",
    "overview": "ภาพรวม", "kpi_score": "คะแนน KPI", "pause_reminders": "หยุดเตือน",
    "resume_reminders": "เตือนต่อ", "send_summary": "ส่งสรุปตอนนี้",
}


def register(subparsers: Subparsers) -> None:
    """Add the `parse` command to the admin CLI."""
    cmd = subparsers.add_parser(
        "parse", help="show how the bot understands a message (no database)",
        description="Show how the bot understands one message, or JSON lines from stdin with --jsonl.",
    )
    cmd.add_argument("--today", metavar="YYYY-MM-DD",
                     help="the date relative months are read against (default: today in Bangkok)")
    cmd.add_argument("--json", action="store_true", help="print the JSON object instead of a summary")
    cmd.add_argument("--jsonl", action="store_true",
                     help='read {"text": ..., "today": "YYYY-MM-DD"?} lines from stdin, write one JSON line each')
    cmd.add_argument("text", nargs="*", help="the message (quote it; several words are joined by spaces)")
    cmd.set_defaults(func=cmd_parse)


def cmd_parse(settings: Settings, args: argparse.Namespace) -> int:
    """Print how one message (or each JSON line on stdin) is understood; 2 on bad input."""
    today: date | None = None
    if args.today is not None:
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            print(f"error: --today must be a date as YYYY-MM-DD, not {args.today!r}", file=sys.stderr)
            return 2
    _use_plan_vocabulary()
    _utf8(sys.stdout)
    if args.jsonl:
        if args.text:
            print("error: give the messages on stdin with --jsonl, not as arguments", file=sys.stderr)
            return 2
        _utf8(sys.stdin)
        return parse_lines(sys.stdin, sys.stdout, today)
    text = " ".join(args.text)
    if not text.strip():
        print("error: give the message to parse, e.g. python -m bot parse \"ยอดขาย ม.ค. 2.5 ล้าน\"",
              file=sys.stderr)
        return 2
    from nlp import parse

    result = parse(text, today)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print(describe(text, result))
    return 0


def _use_plan_vocabulary() -> None:
    import nlp
    from handlers.domain import plan_files

    nlp.use_vocabulary(plan_files.vocabulary)


def parse_lines(lines: TextIO, out: TextIO, today: date | None = None) -> int:
    """Parse JSON lines in order, one JSON object out per line in; a bad line gives {"error": ...}; 2 if any."""
    from nlp import parse

    status = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            text, when = _read_line(line, today)
            result: dict[str, Any] = parse(text, when).to_json()
        except ValueError as exc:
            result = {"error": f"line {number}: {exc}"}
            status = 2
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return status


def _read_line(line: str, today: date | None) -> tuple[str, date | None]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from None
    if not isinstance(item, dict):
        raise ValueError('expected an object like {"text": "..."}')
    text = item.get("text")
    if not isinstance(text, str):
        raise ValueError('"text" must be a string')
    when = item.get("today")
    if when is None:
        return text, today
    if not isinstance(when, str):
        raise ValueError('"today" must be a string YYYY-MM-DD')
    try:
        return text, date.fromisoformat(when)
    except ValueError:
        raise ValueError(f'"today" must be YYYY-MM-DD, not {when!r}') from None


def describe(text: str, result: Any) -> str:
    """A short bilingual summary of a Parse for people reading the terminal."""
    from nlp.vocabulary import vocabulary

    titles = {code: info.title_th for code, info in vocabulary().indicators.items()}
    data = result.to_json()
    intent = data["intent"]
    lines = [f"ข้อความ / text: {text}", f"intent: {intent} ({INTENT_TH.get(intent, '')})"]
    for key, label in (("goal", "เป้าหมาย / goal"), ("indicator", "ตัวชี้วัด / indicator"),
                       ("province", "จังหวัด / province"), ("period", "เดือน / period"),
                       ("register_code", "รหัส / code")):
        if key in data and data[key] is not None:
            lines.append(f"{label}: {data[key]}")
    for n, item in enumerate(result.reports, start=1):
        title = titles.get(item.indicator or "", "")
        lines.append(f"รายการ / report {n}: {item.indicator or '?'} {title}".rstrip())
        value = "?" if item.value is None else f"{round(item.value, 6):g} {item.unit or ''}".rstrip()
        if item.source_text:
            value += f'  (อ่านจาก / read from "{item.source_text}")'
        if item.score:
            value += f"  (คะแนน / score {item.score[0]:g} จาก {item.score[1]:g})"
        lines.append(f"  ค่า / value: {value}")
        for label, field in (("เดือน / period", item.period), ("จังหวัด / province", item.province),
                             ("โครงการ / project", item.project), ("ผู้ตอบ / respondents", item.respondents)):
            lines.append(f"  {label}: {field if field is not None else '-'}")
    if result.problems:
        lines.append("ปัญหา / problems:")
        for problem in result.problems:
            choices = f" → {' | '.join(problem.choices)}" if problem.choices else ""
            lines.append(f"  {problem.code}: {problem.detail}{choices}")
    else:
        lines.append("ปัญหา / problems: -")
    lines.append(f"ภาษา / language: {result.language} (reply {result.reply_language})")
    return "\n".join(lines)


def _utf8(stream: TextIO) -> None:
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8":
        with contextlib.suppress(OSError, ValueError):
            reconfigure(encoding="utf-8", errors="replace")
