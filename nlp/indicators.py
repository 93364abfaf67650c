"""Which indicator, goal or project a message is about: words from the catalogue plus the ways people say them.

Provincial offices report 2.1.1 (community trade value, ล้านบาท) and 2.2.1 (satisfaction, ร้อยละ); central units
report every other OPS indicator and the DITP KPIs, named by their titles (or a distinctive part of them) or by
the words below, in the catalogue's units (the two figures of a ratio KPI in ล้านบาท).
"""

from __future__ import annotations

import re

from nlp.vocabulary import derived, vocabulary

TRADE = "2.1.1"
SATISFACTION = "2.2.1"
REPORTED = frozenset((TRADE, SATISFACTION))  # the indicators provincial offices report

# Curated words per indicator code, beyond the catalogue's own titles (matched on lower-cased text).
INDICATOR_WORDS: dict[str, tuple[str, ...]] = {
    TRADE: (
        "มูลค่าการค้า", "มูลค่าการจำหน่าย", "มูลค่าการขาย", "มูลค่า", "ยอดขาย", "ยอดจำหน่าย", "ยอดการค้า",
        "ยอดการขาย", "ยอด", "รายได้", "จำหน่ายได้", "ขายได้", "ขายของได้", "trade value", "sales",
        "revenue", "turnover", "income", "value of trade",
    ),
    SATISFACTION: (
        "ความพึงพอใจ", "พึงพอใจ", "พอใจ", "ผลสำรวจความพึงพอใจ", "ผลประเมินความพึงพอใจ", "แบบสอบถามความพึงพอใจ",
        "ความพอใจ", "satisfaction", "satisfied",
    ),
    "1.1.1": ("บรรลุเป้าหมายตามแผนปฏิบัติการกระทรวง", "ความสำเร็จของการบรรลุเป้าหมายตามแผน",
              "ความสำเร็จของการบรรลุเป้าหมาย", "ความสำเร็จการบรรลุเป้าหมาย", "การบรรลุเป้าหมายตามแผน",
              "บรรลุเป้าหมายตามแผน"),
    "1.1.2": ("แผนงาน/โครงการตามแผนปฏิบัติราชการ", "ถูกนำไปปฏิบัติได้อย่างมีประสิทธิภาพ",
              "แผนงาน/โครงการถูกนำไปปฏิบัติ", "แผนงาน/โครงการที่ถูกนำไปปฏิบัติ", "แผนงานโครงการถูกนำไปปฏิบัติ",
              "แผนงานโครงการที่ถูกนำไปปฏิบัติ", "โครงการที่ถูกนำไปปฏิบัติ", "โครงการถูกนำไปปฏิบัติ", "ถูกนำไปปฏิบัติ"),
    "3.1.1": ("ได้รับการรับรองมาตรฐาน", "รับรองมาตรฐาน/รางวัล", "งานที่ได้รับการรับรอง", "งานที่ได้รับรางวัล",
              "ได้รับรางวัล", "รางวัล"),
    "3.1.2": ("พฤติกรรมที่พึงประสงค์", "ค่านิยมของ สป", "ค่านิยม สป", "ค่านิยม"),
    "3.1.3": ("เข้ารับฝึกอบรม", "เข้ารับการฝึกอบรม", "สมรรถนะที่จำเป็น", "ผลการฝึกอบรม", "ผลการอบรม",
              "ผู้เข้าอบรมมีความรู้", "ผู้เข้ารับการอบรมมีความรู้", "ผู้ผ่านการอบรม"),
    "3.1.4": ("ความผูกพันของบุคลากร", "ดัชนีความผูกพัน", "ความผูกพัน"),
    "3.1.5": ("คุณธรรมและความโปร่งใส", "ita", "คะแนน ita", "ผลประเมิน ita", "ผลการประเมิน ita"),
    "3.2.1": ("ผู้ใช้ระบบเทคโนโลยีดิจิทัล", "ความพึงพอใจของผู้ใช้ระบบ", "ระบบเทคโนโลยีดิจิทัลและข้อมูลสารสนเทศ",
              "ความพึงพอใจผู้ใช้ระบบ", "ความพึงพอใจ ผู้ใช้ระบบ", "ความพึงพอใจต่อระบบ", "ความพึงพอใจระบบ",
              "ผู้ใช้ระบบสารสนเทศ", "ผู้ใช้ระบบ"),
    "3.2.2": ("ปรับเปลี่ยนให้เป็นดิจิทัล", "กระบวนการให้บริการที่ได้รับการพัฒนา", "ปรับเป็นดิจิทัล",
              "ปรับเปลี่ยนเป็นดิจิทัล", "เปลี่ยนเป็นดิจิทัล", "กระบวนการดิจิทัล"),
    "KPI-1": ("อัตราการขยายตัวของมูลค่าการส่งออก", "การขยายตัวของมูลค่าการส่งออก", "การขยายตัวการส่งออก",
              "อัตราการขยายตัวการส่งออก", "อัตราการขยายตัวมูลค่าการส่งออก", "ขยายตัวของการส่งออก",
              "การส่งออกขยายตัว", "ส่งออกขยายตัว", "export growth"),
    "KPI-2": ("มูลค่าเจรจาการค้า", "มูลค่าการเจรจาการค้า", "เจรจาการค้า", "มูลค่าการเจรจา", "มูลค่าเจรจา"),
    "KPI-3": ("thaitrade.com", "thaitrade", "thai trade", "ไทยเทรด", "พาณิชย์ดิจิทัล"),
    "KPI-4": ("การสั่งซื้อเพื่อส่งออก", "มูลค่าการสั่งซื้อเพื่อส่งออก", "มูลค่าการสั่งซื้อ", "มูลค่าสั่งซื้อ",
              "ยอดสั่งซื้อ sme", "การสั่งซื้อของ sme"),
    "KPI-5": ("งานบริการ agenda", "agenda"),
    "KPI-6": ("ชุดข้อมูลเปิด", "gd catalog", "gd catalogue", "บัญชีข้อมูลภาครัฐ", "open data"),
    "KPI-7": ("ระดับความพร้อมรัฐบาลดิจิทัล", "pillar"),
    "KPI-8": ("คะแนนความพร้อมรัฐบาลดิจิทัล",),
    "KPI-9": ("pmqa", "ระบบราชการ 4.0", "ระบบราชการ4.0", "pmqa 4.0", "pmqa4.0"),
}

# "No sales this month" is a report of 0 (an office with no sales has reported): phrase → its indicator.
NIL_WORDS: dict[str, str] = {
    **dict.fromkeys(("ไม่มียอดขาย", "ไม่มียอด", "ไม่มีการขาย", "ไม่มีการจำหน่าย", "ยอดขายเป็นศูนย์", "ยอดเป็นศูนย์",
                     "ยอดขายเป็น 0", "ยอดเป็น 0", "ไม่มีมูลค่าการค้า", "no sales", "zero sales", "nil sales"), TRADE),
}

# The two figures of each ratio KPI, as officials name them (the catalogue titles are too long to ask with).
RATIO_FIGURES: dict[str, tuple[str, str]] = {
    "KPI-2": ("มูลค่าเจรจาการค้า", "งบประมาณ"),
    "KPI-3": ("มูลค่าการซื้อขายผ่าน Thaitrade.com", "งบประมาณ"),
    "KPI-4": ("มูลค่าการสั่งซื้อเพื่อส่งออกของ SME", "งบประมาณ"),
}
# Words that introduce the denominator (the budget) of a ratio KPI (matched on lower-cased text).
DENOMINATOR_WORDS = ("งบประมาณ", "งบ", "budget")

# Project words beyond keywords_th in ops_2567.yaml (goal 2.1), with the English an officer would gloss them by.
PROJECT_WORDS: dict[int, tuple[str, ...]] = {
    1: ("ลุ่มน้ำโขง", "แม่น้ำโขง", "อีสานสู่ศูนย์กลาง", "mekong"),
    2: ("อีอีซี", "eec", "ชายแดนและ eec"),
    3: ("มูลค่าสูงภาคเหนือ", "มูลค่าสูง ภาคเหนือ", "เศรษฐกิจมูลค่าสูง", "high-value economy", "high value economy"),
    4: ("ตลาดสินค้าอัตลักษณ์ภาคใต้", "ตลาดสินค้าอัตลักษณ์", "อัตลักษณ์ภาคใต้", "southern identity"),
    5: ("ชายแดนภาคใต้", "ชายแดนใต้", "southern border"),
    6: ("smes ภาคกลาง", "sme ภาคกลาง", "smesภาคกลาง", "smeภาคกลาง", "เอสเอ็มอีภาคกลาง", "central smes",
        "central region smes", "ขีดความสามารถ smes", "ขีดความสามารถ sme", "ขีดความสามารถ เอสเอ็มอี"),
    7: ("ร่วมค้า", "ร่วมค้าเพื่อพัฒนาเศรษฐกิจชุมชน", "joint trade"),
    8: ("salesman", "sales man", "เซลส์แมน", "เซลล์แมน", "ไทยโกอินเตอร์", "ไทย โก อินเตอร์", "โกอินเตอร์",
        "thai go inter", "go inter"),
}


def _variants(phrase: str) -> set[str]:
    low = phrase.lower().strip()
    out = {low}
    if " " in low:
        out.add(low.replace(" ", ""))
    return out


@derived
def indicator_phrases() -> dict[str, str]:
    """Lower-cased phrase → indicator code, from the catalogue titles and the curated words."""
    out: dict[str, str] = {}
    for code, info in vocabulary().indicators.items():
        title = re.sub(r"\s*\(.*?\)\s*", " ", info.title_th).strip()
        for variant in _variants(title) | _variants(info.title_th):
            if len(variant) >= 8:
                out.setdefault(variant, code)
    for code, words in INDICATOR_WORDS.items():
        for word in words:
            for variant in _variants(word):
                out[variant] = code
    return out


@derived
def project_phrases() -> dict[str, int]:
    """Lower-cased phrase → goal-2.1 project number."""
    out: dict[str, int] = {}
    for number, info in vocabulary().projects.items():
        for word in info.keywords:
            for variant in _variants(word):
                out[variant] = number
    for number, words in PROJECT_WORDS.items():
        for word in words:
            for variant in _variants(word):
                out[variant] = number
    return out


def goal_of(code: str | None) -> str | None:
    """The goal an indicator belongs to ('2.1.1' → '2.1'); None for DITP KPIs."""
    if code is None:
        return None
    info = vocabulary().indicators.get(code)
    return info.goal if info else None


@derived
def money_targets() -> dict[float, str]:
    """The plan's targets in million baht → their goal (835 → '2.1'): a question quoting one names the goal."""
    return {info.target: info.goal for info in vocabulary().indicators.values()
            if info.target and info.goal and info.value_kind == "amount_mb"}


def only_indicator_of(goal: str | None) -> str | None:
    """The indicator of a goal that has exactly one ('2.1' → '2.1.1')."""
    codes = vocabulary().goals.get(goal or "", ())
    return codes[0] if len(codes) == 1 else None


def is_goal(code: str) -> bool:
    """True for a goal code in the catalogue ('2.1')."""
    return code in vocabulary().goals


def is_indicator(code: str) -> bool:
    """True for an indicator code in the catalogue ('2.1.1', 'KPI-3')."""
    return code in vocabulary().indicators


def project_goal() -> str | None:
    """The goal whose projects a figure names ('2.1'); None when the vocabulary has none."""
    return vocabulary().project_goal


def project_count() -> int:
    """How many goal-2.1 projects the catalogue has (8 in the plan; 0 without a vocabulary)."""
    return len(vocabulary().projects)
