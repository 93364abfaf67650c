"""Numbers that are not amounts: indicator, goal and project codes, ordinals, years, phones, times, web addresses.

Each is read where it says something (เป้าหมาย 2.1, โครงการที่ 3, KPI 2) and masked, so a project number or a phone
number is never read again as an amount. A target ("เป้า 835 ล้าน") is masked too: it states the goal, not a result.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from nlp import indicators as ind
from nlp.months import find_months
from nlp.number_words import SPOKEN_START
from nlp.scan import Scan
from nlp.text import mask, trie_pattern
from nlp.values import amount_at

_THAI_ORDINALS = {"หนึ่ง": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6, "เจ็ด": 7, "แปด": 8, "เก้า": 9, "สิบ": 10}
# Words that introduce a number which is a code, an ordinal or a year, never an amount.
CODE_WORDS: dict[str, str] = {
    **dict.fromkeys(("เป้าหมาย", "เป้า", "goal", "ประเด็น"), "goal"),
    **dict.fromkeys(("ตัวชี้วัด", "indicator"), "indicator"),
    "kpi": "kpi",
    **dict.fromkeys(("โครงการ", "โปรเจกต์", "โปรเจค", "project", "proj", "proj.", "คก.", "คก"), "project"),
    **dict.fromkeys(("ข้อ", "ลำดับ", "ลำดับที่", "ครั้งที่", "รอบ", "รอบที่", "ไตรมาส", "ไตรมาสที่", "งวด", "งวดที่",
                     "อันดับ", "อันดับที่", "ฉบับที่", "หมู่", "หมู่ที่", "เลขที่", "ซอย", "ซ.", "ชั้น", "ชั้นที่", "ห้อง",
                     "รหัส", "หมายเลข", "no.", "#", "version", "เวอร์ชัน", "ระบบราชการ", "ที่", "q"), "ordinal"),
    **dict.fromkeys(("วันที่", "ณ วันที่"), "day"),
    **dict.fromkeys(("ปีงบประมาณ", "ปีงบ", "ปี", "พ.ศ.", "พ.ศ", "พศ.", "พศ", "พ. ศ.", "ค.ศ.", "ค.ศ", "fy",
                     "fiscal year", "year"), "year"),
}
# cue tags after which a number may not be the result
_DISTRACTING = frozenset(("distractor", "change", "change_near", "edit"))
_MARKER_START = frozenset(" (0123456789")  # what a list marker ("1)", "(2)", " 3.") starts with


@cache
def _rx() -> dict[str, re.Pattern[str]]:
    return {
        "web": re.compile(r"https?://\S+|www\.\S+|(?<![\w.+-])[\w.+-]++@[\w-]+\.[\w.]+"),
        # Numbers that are not amounts. The first digit is matched before any look-behind, so the regex
        # engine can jump from digit to digit instead of trying every position.
        # (scan_codes runs this only when the text has a 0, ":", "/", "น." or "นาฬิกา": keep that test in step)
        "misc": re.compile(
            r"[0-9](?<![0-9.,/][0-9])(?:"
            r"(?<=0)[0-9]{1,2}[- ]?[0-9]{3}[- ]?[0-9]{3,4}(?![0-9.,])"  # phone numbers: 081-234-5678
            r"|[0-9]?(?::[0-9]{2}(?::[0-9]{2})?(?![0-9])|\.[0-9]{2}[ ]?(?:น\.|นาฬิกา))"  # times: 13.30 น.
            r"|[0-9]{2,}(?:/[0-9]+)+(?![0-9])"  # document numbers: 0210/1234
            r"|(?<=0)[0-9]{2,}(?![0-9.,]))"  # ids with a leading zero: 0210
        ),
        # "1) ยอดขาย", "๒. ความพึงพอใจ" (tried only where a line starts with one of _MARKER_START)
        "list_marker": re.compile(r"[ ]?\(?[0-9]{1,2}[.)](?![0-9])"),
        # A keyword, then the number it introduces: "โครงการที่ 3", "เป้าหมาย 2.1", "ปี 2567", "ข้อ 4".
        "coded": re.compile(
            rf"(?P<kw>{trie_pattern(CODE_WORDS)})(?:(?<=kpi)-)?[ ]?(?:ที่[ ]?)?(?:no\.?[ ]?|#[ ]?)?[:.]?[ ]?"
            rf"(?P<num>[0-9][0-9/-]*(?:\.[0-9]+)*|{'|'.join(_THAI_ORDINALS)})"
        ),
        # (searched only when the text has two dots)
        "bare_code": re.compile(r"[0-9](?<![0-9.][0-9])[0-9]?\.[0-9]{1,2}\.[0-9]{1,2}(?![0-9.])"),  # 2.1.1
        "unit_next": re.compile(r"[ ]?(?:ล้าน|แสน|หมื่น|พัน|บาท|%|เปอร์|ราย|คน|ลบ)|[.,][0-9]"),
        # what may stand between a distractor word and its number: words or masked codes ("งบประมาณโครงการ 4
        # จำนวน 350,000"), not digits or a new line; an indicator word in between ends it (see _mask_distractors)
        "gap": re.compile(rf"[^0-9\n]{{0,20}}?(?=[0-9]|{SPOKEN_START})"),
        # a correction's old value: "จาก 800,000 เป็น 1,080,000"
        "from_to": re.compile(r"จาก[ ]?(?=[0-9])"),
        # what a change is compared with: "จากเดือนก่อน", "จาก มี.ค.", "than last month" (not the report's month)
        "compared": re.compile(r"[ ]?(?:จาก|เทียบกับ|เมื่อเทียบกับ|than|from|vs\.?)[ ]?"),
        # a correction's new value comes after these; the number just before them is the old one
        "now_is": re.compile(r"ต้องเป็น|ที่ถูก(?:ต้อง)?คือ|แก้เป็น|should be"),
        "old_before": re.compile(r"([0-9][0-9,.]*)[ ]?(?:ล้านบาท|ล้าน|บาท|%|เปอร์เซ็นต์)?[ ]?(?:ที่ส่งไป)?[ ]?$"),
        "to": re.compile(r"[ ]?(?:บาท|ล้านบาท|ล้าน|%|เปอร์เซ็นต์)?[ ]?(?:มา)?(?:เป็น|->|→|to )"),
        "target": re.compile(
            r"(?:[ ]?(?:ทั้งปี|รวม|ปี(?:นี้)?|คือ|อยู่ที่|ที่|=|:|of|is|ไว้|ของจังหวัด|ทั้งจังหวัด|จังหวัด|ร้อยละ|ทั้งประเทศ"
            r"|ระดับประเทศ|ของประเทศ|ประเทศ|ทั้งหมด|for|the|province|country|national|overall))*[ ]?"
        ),
    }


def scan_codes(sc: Scan) -> None:
    """Read and mask the codes, ordinals, years, phones, times and web addresses of the message, then targets."""
    rx = _rx()
    spans: list[tuple[int, int]] = []
    low = sc.low
    if "@" in low or "://" in low or "www." in low:
        spans += [m.span() for m in rx["web"].finditer(sc.work)]
    if not sc.digits:
        sc.work = mask(sc.work, spans)
        if "distractor" in sc.tags and sc.codes <= ind.REPORTED:
            _mask_distractors(sc)  # "ไม่ใช่สี่ล้านสอง": a spelled number after a distractor word
        return  # every code, date, phone or ordinal has a digit
    work = sc.work  # codes are searched on the same text: a phone number never starts with a code word
    # phones and ids start with 0, times have ":" or น./นาฬิกา, document numbers a "/"
    if "0" in work or ":" in work or "/" in work or "น." in work or "นาฬิกา" in work:
        spans += [m.span() for m in rx["misc"].finditer(work)]
    if "." in work or ")" in work:  # every list marker ends with one of them
        spans += _list_markers(work)
    if work.count(".") >= 2:  # 2.1.1
        for m in rx["bare_code"].finditer(work):
            spans.append(m.span())
            _note_indicator(sc, m.group(), m.start())
    for m in rx["coded"].finditer(work):
        if _read_coded(sc, m, work):
            spans.append(m.span())
    sc.work = mask(work, spans)
    if "goalword" in sc.tags:
        _mask_targets(sc)
    # A central unit's indicator may be a ratio to its budget, or a rise itself ("ความรู้เพิ่มขึ้น ร้อยละ 92").
    if (_DISTRACTING & sc.tags or "จาก" in low) and sc.codes <= ind.REPORTED:
        _mask_distractors(sc)


def _list_markers(work: str) -> list[tuple[int, int]]:
    """Spans of the list markers that start lines ("1)", "(2)", " 3.")."""
    marker = _rx()["list_marker"]
    spans = []
    line = 0
    while line >= 0:
        if work[line:line + 1] in _MARKER_START:  # (a cheap test before the regex)
            found = marker.match(work, line)
            if found:
                spans.append(found.span())
        line = work.find("\n", line) + 1 or -1
    return spans


def _read_coded(sc: Scan, m: re.Match[str], work: str) -> bool:
    """Note what a keyword and its number say (a goal, an indicator, a project); True when the number is no
    amount and is to be masked."""
    keyword = m.group("kw")
    kind = CODE_WORDS[keyword]
    num = m.group("num")
    start, end = m.span()
    kw_start = m.start("kw")
    if kind in ("kpi", "ordinal", "goal", "indicator", "year") and keyword[0].isascii() and kw_start and \
            work[kw_start - 1].isascii() and work[kw_start - 1].isalnum():
        return False  # "kpi" inside a word
    unit_next = _rx()["unit_next"].match(work, end) is not None
    if kind == "goal":
        if num.count(".") != 1 or unit_next:
            return False  # "เป้า 835 ล้าน" is a target figure (masked later), not a goal code
        sc.goals += (num,)  # a code the plan lacks (เป้าหมาย 9.9) too: the answer says it is not in the plan
        only = ind.only_indicator_of(num)
        if only:
            sc.indicator_hits.append((start, only))
            sc.implied |= {start}
    elif kind == "indicator":
        if ind.is_goal(num):
            sc.goals += (num,)
        elif num.count(".") == 2 or ind.is_indicator(num):
            _note_indicator(sc, num, start)
        elif num.isdigit() and len(num) == 1 and ("กรม" in sc.low or "ditp" in sc.low) and not unit_next:
            _note_indicator(sc, f"KPI-{num}", start)  # "ตัวชี้วัดที่ 2 ของกรม"
    elif kind == "kpi":
        if not num.isdigit() or len(num) != 1 or not ind.is_indicator(f"KPI-{num}"):
            return False
        sc.explicit_indicators += (f"KPI-{num}",)
        sc.indicator_hits.append((start, f"KPI-{num}"))
        sc.codes.add(f"KPI-{num}")
    elif kind == "project":
        if unit_next or not (num in _THAI_ORDINALS or (num.isdigit() and len(num) <= 3)):
            return False  # "โครงการ 3 ล้าน" is an amount
        number = _THAI_ORDINALS.get(num) or int(num)
        sc.project_hits.append((start, number, sc.norm[start:end]))
    elif kind == "day":
        # "วันที่ 5 เม.ย." is a date: left whole for the month reader, which knows a dated month from the one reported
        return not find_months(work[end:end + 14], date(2000, 1, 1))
    elif kind == "year":
        return num.isdigit() and len(num) in (2, 4) and not unit_next
    elif unit_next or not num[0].isdigit() or "/" in num:
        return False  # "ที่ 2 ล้าน" is an amount; "งวด 03/2024" a month, for the month reader
    return True


def _note_indicator(sc: Scan, code: str, position: int) -> None:
    if ind.is_indicator(code):
        sc.explicit_indicators += (code,)
        sc.indicator_hits.append((position, code))
        sc.codes.add(code)
    elif code.count(".") == 2:
        sc.unknown_codes += (code,)
        sc.indicator_hits.append((position, "?"))


def _mask_targets(sc: Scan) -> None:
    """'เป้า 835 ล้าน' states the target, not a result: mask it (and remember it was money)."""
    spans = []
    for start, end, cue in sc.cue_spans:
        if "goalword" not in cue.tags or "ตัวชี้วัด" in sc.low[start:end] or "indicator" in sc.low[start:end]:
            continue
        gap = _rx()["target"].match(sc.work, end)
        found = amount_at(sc.work, gap.end() if gap else end)
        if found:
            spans.append(found[:2])
            sc.target_money = sc.target_money or found[2]
    sc.work = mask(sc.work, spans)


def _compared_month(work: str, end: int) -> list[tuple[int, int]]:
    """The month a change is compared with ("เพิ่มขึ้น 15% จากเดือนก่อน"), which is not the month reported."""
    compared = _rx()["compared"].match(work, end)
    if compared is None:
        return []
    window = work[compared.end():compared.end() + 24]
    first = next(iter(find_months(window, date(2000, 1, 1))), None)  # any date: only the span is used
    if first is None or window[:first.start].strip() not in ("", "เดือน"):
        return []
    return [(compared.start(), compared.end() + first.end)]


def _mask_distractors(sc: Scan) -> None:
    """A number after a change, budget or "not" word is not the result (เพิ่มขึ้น 15%, งบประมาณ 250,000 บาท,
    ไม่ใช่ 39%), nor is the old value of a correction ("จาก 800,000 เป็น 1,080,000")."""
    rx = _rx()
    work = sc.work
    spans = []
    for start, end, cue in sc.cue_spans:
        near = "change_near" in cue.tags
        if not ("distractor" in cue.tags or "change" in cue.tags or near):
            continue
        if sc.low[max(0, start - 2):start] == "ปี":  # ปีงบประมาณ is a year, not a budget
            continue
        compared = _compared_month(work, end) if "change" in cue.tags or near else []
        # "เพิ่มขึ้นจากเดือนกุมภาพันธ์ร้อยละ 18": the number after the month compared with is the change
        gap = rx["gap"].match(work, compared[0][1] if compared else end)
        if gap and near and gap.end() - end > 1:
            continue  # "up 20%", not "follow up: Jan sales 1.2M"
        if gap and gap.end() > end and any(end <= s < gap.end() and c.indicators for s, _, c in sc.cue_spans):
            continue  # "งบประมาณ ปี 67 ยอดขาย 2 ล้าน": the number is the sales figure
        found = amount_at(work, gap.end()) if gap else None
        if found:
            spans.append(found[:2])
            if "change" in cue.tags or near:
                spans += _compared_month(work, found[1])
                spans += _compared_month(work, end)  # "เพิ่มขึ้นจาก มี.ค. 12%": the month before the number
    for m in rx["now_is"].finditer(work):
        before = rx["old_before"].search(work, max(0, m.start() - 24), m.start())
        if before:
            found = amount_at(work, before.start(1))
            if found:
                spans.append(found[:2])
    for m in rx["from_to"].finditer(work):
        found = amount_at(work, m.end())
        if found and rx["to"].match(work, found[1]):
            spans.append(found[:2])
    sc.work = mask(work, spans)
