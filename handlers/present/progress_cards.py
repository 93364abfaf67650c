"""Flex cards for progress answers: one glance at actual against target, pace, forecast and ranking."""

from __future__ import annotations

from datetime import date
from typing import Any

from handlers.domain import thai_format
from handlers.domain.progress import AT_RISK, BEHIND, NO_DATA, ON_TRACK, REACHED, THIN, Progress
from handlers.present import flex

STATUS_COLOURS = {REACHED: flex.GREEN, ON_TRACK: flex.GREEN, BEHIND: flex.AMBER, AT_RISK: flex.RED, NO_DATA: flex.GREY,
                  THIN: flex.GREY}
SHOWN_NAMES = 12


def fmt(value: float | None, unit: str) -> str:
    """A figure with its unit, or a dash."""
    return "-" if value is None else thai_format.value_with_unit(value, unit)


def progress_bar(percent: float, marker: float | None = None, colour: str = flex.GREEN) -> dict[str, Any]:
    """A bar filled to `percent`, with a thin dark tick where the plan expects us to be by now."""
    fill = max(0.0, min(100.0, percent))
    contents: list[dict[str, Any]] = [
        {"type": "box", "layout": "vertical", "width": f"{fill:.1f}%", "height": "10px", "backgroundColor": colour,
         "cornerRadius": "5px", "contents": []},
    ]
    if marker is not None:
        tick = max(0.0, min(99.0, marker))
        contents.append({"type": "box", "layout": "vertical", "position": "absolute", "offsetStart": f"{tick:.1f}%",
                         "offsetTop": "0px", "width": "2px", "height": "10px", "backgroundColor": "#333333",
                         "contents": []})
    return {"type": "box", "layout": "vertical", "backgroundColor": "#E0E0E0", "height": "10px",
            "cornerRadius": "5px", "contents": contents}


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN_NAMES])
    more = len(names) - SHOWN_NAMES
    return shown + (f" และอีก {more} จังหวัด" if more > 0 else "")


def national_card(p: Progress, goal_code: str | None) -> dict[str, Any]:
    """The national picture of one indicator."""
    colour = STATUS_COLOURS.get(p.status, flex.GREY)
    as_of = thai_format.day(date.fromisoformat(p.as_of))
    body: list[dict[str, Any]] = [
        flex.row("เป้าหมาย", fmt(p.target, p.unit)),
        flex.row("ผลงาน", fmt(p.actual, p.unit)),
    ]
    if p.consolidated is not None:
        # a central unit's own consolidated figure, beside the provinces' total (never added to it)
        difference = p.consolidated - (p.actual or 0)
        body.append(flex.row("ตัวเลขรวบรวมส่วนกลาง", fmt(p.consolidated, p.unit)))
        body.append(flex.text(f"ต่างจากผลรวมจังหวัด {fmt(difference, p.unit)}", size="xxs", color=flex.GREY))
    if p.percent is not None:
        expected_share = (100 * p.expected / p.target) if p.expected is not None and p.target else None
        body.append(flex.text(f"ร้อยละ {thai_format.number(p.percent)} ของเป้าหมาย", size="sm", weight="bold",
                              color=colour))
        body.append(progress_bar(p.percent, expected_share if p.aggregation == "sum" else None, colour))
    if p.aggregation == "sum" and p.expected is not None:
        body.append(flex.text(f"ขีดดำ = ควรถึง {fmt(p.expected, p.unit)} ตามแผน ณ เดือนที่ {p.months_elapsed}",
                              size="xxs", color=flex.GREY))
        body += [flex.row("ส่วนต่าง", fmt(p.gap, p.unit)), flex.row("คาดการณ์สิ้นสุด", fmt(p.forecast, p.unit))]
        if p.current_so_far:
            # months not yet due are not in the forecast: it would count an unfinished month as a full one
            body.append(flex.row("ยอดที่ยังไม่ถึงกำหนดส่ง", fmt(p.current_so_far, p.unit)))
        if p.needed_per_month is not None:
            body.append(flex.row("ต้องได้ต่อเดือน", fmt(p.needed_per_month, p.unit)))
    body.append(flex.row("สถานะ", p.status))
    if p.coverage:  # every status says how many offices it stands on
        body.append(flex.text(f"รายงานแล้ว {p.coverage['reported']} จาก {p.coverage['of']} จังหวัด", size="xxs",
                              color=flex.GREY))
    if p.uncounted:  # a figure without its respondent count cannot be weighted: say so, never fold it in
        body.append(flex.text(f"ไม่นับ {p.uncounted} รายงานที่ไม่มีจำนวนผู้ตอบ", size="xxs", color=flex.AMBER))
    reported = [r for r in p.by_province if r["value"] is not None]
    if reported:
        body.append(flex.separator())
        top = "\n".join(_ranked(r, p.unit) for r in reported[:5])
        body.append(flex.text("สูงสุด 5 จังหวัด", size="sm", weight="bold"))
        body.append(flex.text(top, size="xs"))
        if len(reported) > 5:  # the bottom list never repeats an office of the top list
            bottom = "\n".join(_ranked(r, p.unit) for r in reported[max(5, len(reported) - 5):])
            body.append(flex.text("ต่ำสุด 5 จังหวัด (ที่รายงานแล้ว)", size="sm", weight="bold"))
            body.append(flex.text(bottom, size="xs"))
    if p.reporting_period and p.offices_missing:
        body.append(flex.separator())
        body.append(flex.text(f"ยังไม่รายงาน {thai_format.month(p.reporting_period)}: {len(p.offices_missing)} จังหวัด",
                              size="sm", weight="bold", color=flex.RED))
        body.append(flex.text(_names(p.offices_missing), size="xxs", color=flex.GREY))
    title = f"เป้าหมาย {goal_code} · {p.indicator}" if goal_code else f"ตัวชี้วัด {p.indicator}"
    return flex.bubble(title, body, colour=colour, subtitle=f"{p.title_th}\nข้อมูล ณ {as_of}")


def _ranked(row: dict[str, Any], unit: str) -> str:
    """A ranking line; an office with an allocated target also shows how far along it is against it."""
    line = f"{row['rank']}. {row['province']} {fmt(row['value'], unit)}"
    if row.get("percent") is not None:
        line += f" (ร้อยละ {thai_format.number(row['percent'])} ของเป้า, {row['status']})"
    return line


def office_card(p: Progress, office_name: str, national: Progress) -> dict[str, Any]:
    """One office's own figures for an indicator, next to the national picture. Status, percent and gap only
    against the office's own allocated target (`targets import`): the plan's targets are national."""
    rank = next((r for r in national.by_province if r["province"] and office_name.endswith(r["province"])), None)
    body: list[dict[str, Any]] = [flex.row("ผลงานสำนักงาน", fmt(p.actual, p.unit))]
    colour = STATUS_COLOURS.get(p.status, flex.GREY) if p.target is not None else None
    if p.target is not None:
        body.append(flex.row("เป้าหมายจังหวัด", fmt(p.target, p.unit)))
        if p.percent is not None:
            body.append(flex.text(f"ร้อยละ {thai_format.number(p.percent)} ของเป้าหมายจังหวัด", size="sm",
                                  weight="bold", color=colour))
        if p.aggregation == "sum" and p.gap is not None:
            body.append(flex.row("ส่วนต่างจากแผน", fmt(p.gap, p.unit)))
        body.append(flex.row("สถานะ", p.status))
    if p.aggregation == "sum" and p.actual and national.actual:
        body.append(flex.row("สัดส่วน", f"ร้อยละ {thai_format.number(100 * p.actual / national.actual)} ของประเทศ"))
    if rank is not None and rank["value"] is not None:
        ranked = sum(1 for r in national.by_province if r["value"] is not None)
        body.append(flex.row("อันดับ", f"{rank['rank']} จาก {ranked} ที่รายงาน (ในภาค {rank['region_rank']})"))
    trend = _trend(p)
    if trend:
        body.append(flex.row("แนวโน้ม", trend))
    body.append(flex.row("ทั้งประเทศ", f"{fmt(national.actual, p.unit)} / เป้า {fmt(national.target, p.unit)}"))
    months = [m["period"] for m in p.by_month]
    body.append(flex.row("เดือนที่รายงาน", ", ".join(thai_format.month(m) for m in months) or "-"))
    missing = [m for m in _window_months(national) if m not in months]
    if missing:
        body.append(flex.row("ยังไม่รายงาน", ", ".join(thai_format.month(m) for m in missing)))
    if p.target is None:
        body.append(flex.text("ยังไม่มีเป้าหมายรายจังหวัด จึงไม่ประเมินสถานะ", size="xxs", color=flex.GREY))
    as_of = thai_format.day(date.fromisoformat(p.as_of))
    return flex.bubble(f"{office_name}", body, subtitle=f"{p.indicator} {p.title_th}\nข้อมูล ณ {as_of}",
                       **({"colour": colour} if colour else {}))


def _trend(p: Progress) -> str | None:
    """The latest reported month against the one before it ("ม.ค. 2567 เพิ่มขึ้นจาก ธ.ค. 2566")."""
    months = [m for m in p.by_month if m["value"] is not None]
    if len(months) < 2:
        return None
    (before, latest) = months[-2:]
    if latest["value"] > before["value"]:
        word = "เพิ่มขึ้นจาก"
    elif latest["value"] < before["value"]:
        word = "ลดลงจาก"
    else:
        word = "เท่ากับ"
    return f"{thai_format.month(latest['period'])} {word} {thai_format.month(before['period'])}"


def _window_months(p: Progress) -> list[str]:
    """Window months that have ended by the as-of date."""
    start = p.window["start"][:7]
    return thai_format.months_from(start, thai_format.shift_period(start, p.months_elapsed - 1))
