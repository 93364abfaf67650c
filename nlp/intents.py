"""The intents a message can carry, and the words that signal them.

Short commands (ยืนยัน, ยกเลิก, ประวัติ …) are matched against the whole message once polite particles and
punctuation are gone; the rest are cues the parser weighs together with the numbers it found.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache

from nlp.text import trie_pattern


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
    CORRECT = "correct"  # a correction of a figure already sent (แก้ยอด ม.ค. เป็น 3 ล้าน, พิมพ์ผิด)
    OVERVIEW = "overview"
    KPI_SCORE = "kpi_score"
    PAUSE_REMINDERS = "pause_reminders"
    RESUME_REMINDERS = "resume_reminders"
    SEND_SUMMARY = "send_summary"
    SMALLTALK = "smalltalk"  # thanks, greetings: a short friendly answer, not the help menu


# Polite particles, fillers and greetings: dropped before whole-message commands are compared.
PARTICLES = (
    "ครับผม", "ครับ", "คับ", "ครัช", "ฮะ", "ค่ะ", "คะ", "ค่า", "คร่ะ", "นะคะ", "นะครับ", "นะ", "จ้า", "จ้ะ", "จ๊ะ",
    "ค๊ะ", "ด้วย", "หน่อย", "เลย", "แล้ว", "please", "pls", "plz", "thanks", "thank you", "ขอบคุณ", "krub", "ka",
    "เด้อ", "เน้อ", "เจ้า", "จ้ะ", "นะจ๊ะ", "เด้", "หนา", "เนาะ", "แหละ",
)

# Whole-message commands (lower-case, no spaces, particles removed) → intent. Longer messages say more.
MAX_COMMAND = 48
_COMMAND_WORDS: dict[Intent, tuple[str, ...]] = {
    Intent.CONFIRM: (
        "ยืนยัน", "ตกลง", "ok", "okay", "oke", "okey", "โอเค", "โอเคร", "โอเช", "ใช่", "ใช่แล้ว", "ถูกต้อง", "ถูก",
        "ถูกแล้ว", "yes", "y", "yep", "yeah", "confirm", "correct", "ได้", "ได้เลย", "ยืนยันถูกต้อง", "ใช่ถูกต้อง",
        "บันทึก", "บันทึกได้", "ยืนยันค่า", "ยืนยันข้อมูล", "save", "ส่งได้", "ส่งได้เลย", "บันทึกได้เลย",
        "ถูกต้องแล้ว", "ถูกต้องครับ", "เรียบร้อย", "looksgood", "lgtm", "goahead",
        "แม่น", "แม่นแล้ว", "แม่นเลย", "ถูกแล้วหนา", "ใช่แล้วหนา", "เอาเลย",
    ),
    Intent.CANCEL: (
        "ยกเลิก", "ไม่ใช่", "cancel", "no", "n", "nope", "ไม่", "ไม่ถูกต้อง", "ผิด", "ไม่เอา", "ยกเลิกรายการ",
        "ยกเลิกรายงาน", "ยกเลิกทั้งหมด", "abort", "ไม่บันทึก", "ไม่ต้องบันทึก", "ยกเลิกก่อน", "ยกเลิกไปก่อน",
        "ยกเลิกไป", "บ่เอา", "ไม่เอาอันนี้", "บ่เอาอันนี้", "ขอยกเลิก", "ขอยกเลิกก่อน", "ยังไม่ต้องบันทึก",
        "dontsave", "discard", "บ่แม่น", "บ่ใช่", "บ่ถูก", "บ่ถูกต้อง",
    ),
    Intent.HELP: (
        "help", "วิธีใช้", "ช่วยเหลือ", "เมนู", "menu", "?", "คู่มือ", "ใช้งานยังไง", "ใช้ยังไง", "ทำอะไรได้บ้าง",
        "ช่วยด้วย", "วิธีใช้งาน", "ใช้งานอย่างไร", "สอนใช้", "howto", "howtouse", "commands", "คำสั่ง",
    ),
    Intent.HISTORY: ("ประวัติ", "ประวัติการรายงาน", "history", "ดูประวัติ", "ประวัติการส่ง", "myreports"),
    Intent.CORRECT: ("แก้ไข", "แก้ไขรายการล่าสุด", "ขอแก้", "ขอแก้ไข", "edit", "แก้", "แก้ไขล่าสุด", "แก้ข้อมูล"),
    Intent.OVERVIEW: ("ภาพรวม", "ภาพรวมทุกเป้าหมาย", "overview", "dashboard", "แดชบอร์ด", "ดูภาพรวม"),
    Intent.KPI_SCORE: ("คะแนนkpi", "kpi", "ditp", "ditpscore", "kpiscore", "คะแนนkpiditp", "คะแนนตัวชี้วัด"),
}

# Cue words found anywhere in a message: tag → phrases (lower-case; Latin phrases need word boundaries).
CUES: dict[str, tuple[str, ...]] = {
    "q": (
        "ไหม", "มั้ย", "มั๊ย", "ไม๊", "มัย", "หรือไม่", "หรือเปล่า", "รึเปล่า", "หรือยัง", "รึยัง", "เท่าไหร่", "เท่าไร",
        "เท่าไหร", "เท่าใด", "กี่", "อะไร", "ใคร", "ไหน", "ยังไง", "อย่างไร", "บ้าง", "ทำไม", "เมื่อไหร่", "ใช่ไหม",
        "ใช่มั้ย", "ขอดู", "ขอทราบ", "อยากทราบ", "อยากรู้", "สอบถาม", "เช็ค", "เช็ก", "ดูยอด", "ดูผล", "แสดงผล",
        "what", "how", "which", "who", "when", "show", "check", "is it", "are we", "did", "does", "tell me",
        "ถึงไหนแล้ว", "ได้แค่ไหน", "แค่ไหน", "ขอข้อมูล", "ขอยอด", "ขอยอดรวม", "ขอสรุป", "เป็นไง", "จังหวัดไหน", "จังหวัดใด",
        # (a longer cue holding one of these Thai words asks too: nlp.cues; these have none)
        "ได้รับยัง", "did you get",
    ),
    "who": (
        "ใคร", "จังหวัดไหน", "จังหวัดใด", "ที่ไหน", "กี่จังหวัด", "รายชื่อ", "จังหวัดที่", "which", "who", "list",
        "ที่ยัง", "provinces", "missing reports", "missing report",
    ),
    "progress": (
        "ความคืบหน้า", "คืบหน้า", "progress", "ของเป้า", "เทียบเป้า", "ถึงเป้า", "บรรลุเป้า", "ตามเป้า",
        "achievement", "on track", "how far", "ครบเป้า", "ถึงไหนแล้ว", "how are we doing",
    ),
    # how much someone did: with a province named and no target word, that province's summary
    "howmuch": ("เท่าไหร่", "เท่าไร", "เท่าไหร", "เท่าใด", "ทำได้", "ผลงาน", "how much", "achieved",
                "results", "result", "performance", "ได้แค่ไหน", "แค่ไหน", "เป็นไง", "เป็นอย่างไร", "ยังไงบ้าง", "ผล",
                "ขอดู", "ขอสรุป", "ยอด", "doing", "numbers", "figures", "status", "สถานะ"),
    # how something is going: progress overall, a province summary when a province is named
    "perf": ("ผลการดำเนินงาน", "ผลงาน", "ผลสะสม", "ยอดสะสม", "สะสม", "performance"),
    "goalword": ("เป้าหมาย", "เป้า", "goal", "target", "ตัวชี้วัด", "indicator"),
    "total": ("ยอดรวม", "รวมทั้งหมด", "ทั้งหมด", "ทั้งประเทศ", "total", "overall", "ขอยอด", "ขอยอดรวม"),
    # who has reported: with "who / which / how many" it is the same question as who has not
    "submitted": ("ส่งแล้ว", "ส่งครบ", "รายงานแล้ว", "ส่งรายงานแล้ว", "ส่งข้อมูลแล้ว", "have reported", "has reported",
                  "have submitted", "has submitted"),
    "summary": ("สรุป", "summary", "summarise", "summarize", "สรุปผล", "รายงานสรุป"),
    "missing": (
        "ยังไม่ส่ง", "ยังไม่รายงาน", "ยังไม่ได้ส่ง", "ยังไม่ได้รายงาน", "ไม่ได้ส่ง", "ไม่ได้รายงาน", "ค้างส่ง",
        "ขาดส่ง", "ยังไม่มีรายงาน", "ยังไม่ส่งรายงาน", "missing", "not reported", "not yet reported",
        "haven't reported", "have not reported", "hasn't reported", "has not reported", "not submitted",
        "haven't submitted", "have not submitted", "hasn't submitted", "overdue", "yet to report",
        "missing reports", "missing report", "ขาดจังหวัด", "ยังขาดจังหวัด", "no report", "without a report",
        "not sent", "haven't sent", "have not sent", "hasn't sent", "has not sent", "yet to send",
        # (after ที่ยัง, which the trie reads first as a "who" word; บ่ is the North and North-East's ไม่)
        "ไม่ส่ง", "ไม่รายงาน", "ขาดรายงาน", "ยังบ่ส่ง", "บ่ได้ส่ง", "บ่ส่ง", "ยังบ่ได้ส่ง", "บ่รายงาน",
    ),
    "history": ("ประวัติ", "history", "ที่เคยส่ง", "ที่เคยรายงาน", "ส่งไปแล้ว", "my reports", "past reports",
                "ส่งอะไรไป", "what did we send", "what have we sent", "what did we submit",
                "what have we submitted", "did we submit", "we submitted", "our submissions", "sent for", "go through",
                "went through", "did it arrive", "get my report", "receive my report", "received my report"),
    # "did it arrive?": after a report it asks for a receipt (still a report); alone, it asks about past reports
    "receipt_q": ("ได้รับไหม", "ได้รับมั้ย", "ได้รับหรือยัง", "ได้รับยัง", "ได้รับหรือเปล่า", "ได้รับรึยัง", "ได้รับข้อความไหม",
                  "ได้รับข้อความมั้ย", "ได้รับข้อความหรือยัง", "เข้าไหม", "เข้ามั้ย", "ถึงไหม", "ถึงมั้ย", "received",
                  "did you get", "got it?"),
    # something already sent ("ยอดที่ส่งไปเมื่อวาน"): asked about, it is history; restated with a value, a correction
    "sentref": ("ส่งไป", "ที่ส่งไป", "ที่ส่งเมื่อ", "ส่งเมื่อวาน", "ที่รายงานไป", "รายงานไป", "ที่แจ้งไป", "แจ้งไป",
                "ที่พิมพ์ไป", "ที่กรอกไป", "กรอกไป", "ส่งมาเมื่อ", "ไปเมื่อ", "เข้าระบบ", "we sent", "i sent",
                "already sent"),
    "reminder": ("แจ้งเตือน", "เตือน", "reminder", "reminders", "notification", "notifications"),
    # with a reminder word: turning reminders off or on, however it is worded
    "off_word": ("ปิด", "หยุด", "งด", "พัก", "ไม่ต้อง", "stop", "pause", "mute", "turn off", "switch off",
                 "disable"),
    "on_word": ("เปิด", "กลับมา", "อีกครั้ง", "เหมือนเดิม", "resume", "restart", "back on", "turn on", "switch on",
                "enable", "unmute", "start"),
    "edit": ("แก้ไข", "ขอแก้", "แก้ยอด", "แก้รายการ", "แก้เป็น", "เปลี่ยนเป็น", "edit", "correction", "พิมพ์ผิด",
             "ต้องเป็น", "ที่ถูกคือ", "ที่ถูกต้องคือ", "ตกเลข", "แก้ความพึงพอใจ", "แก้ค่า", "แก้ตัวเลข", "typo",
             "should be", "should have been", "correct it to", "ส่งผิด", "กรอกผิด", "ผิด", "ของจริง", "ที่ถูก",
             "ยอดจริง", "ตัวเลขจริง", "fix", "amend", "update the", "change the"),
    # Words after which a number is never the result: a change from before, a budget, the value a correction
    # replaces ("ไม่ใช่ 39%"). The number they introduce is masked (nlp.codes).
    "distractor": (
        "งบประมาณ", "งบกิจกรรม", "งบดำเนินการ", "งบโครงการ", "ค่าใช้จ่าย", "ได้รับจัดสรร", "จัดสรร", "ใช้งบ", "budget",
        "allocated", "allocation", "ไม่ใช่", "not ", "งบที่", "งบฯ", "งบ ", "งบรวม", "งบใช้", "งบจัด",
    ),
    # (a change is a distractor too, and what it is compared with is not the month reported)
    "change": (
        "เพิ่มขึ้น", "ลดลง", "เติบโต", "โตขึ้น", "ขยายตัว", "หดตัว", "สูงขึ้น", "ต่ำลง", "increase", "increased",
        "decrease", "decreased", "growth", "grew", "rose", "fell", "dropped",
    ),
    # short English change words, common in other senses ("follow up"): a change only right before a number
    "change_near": (
        "up", "down", "rise", "drop", "up by", "down by",
    ),
    "overview": ("ภาพรวม", "overview", "dashboard", "แดชบอร์ด", "ทุกเป้าหมาย", "all goals", "overall kpi",
                 "overall status", "kpi status", "all indicators", "ทุกตัวชี้วัด"),
    "kpi": (
        "คะแนน kpi", "kpi score", "ditp", "กรมส่งเสริมการค้าระหว่างประเทศ", "คะแนนตัวชี้วัด", "kpi กรม",
        "คะแนนกรม", "กรมส่งเสริมการค้า", "scores",
    ),
    "pause": (
        "หยุดเตือน", "ปิดการแจ้งเตือน", "ปิดแจ้งเตือน", "ไม่ต้องเตือน", "งดเตือน", "พักการแจ้งเตือน",
        "หยุดส่งแจ้งเตือน", "งดแจ้งเตือน", "ไม่ต้องส่งแจ้งเตือน", "ไม่ต้องแจ้งเตือน",
        "ยกเลิกการแจ้งเตือน", "ปิดเตือน", "หยุดแจ้งเตือน", "หยุดการแจ้งเตือน", "stop reminders", "pause reminders",
        "stop reminding", "mute reminders", "turn off reminders", "reminders off", "no more reminders",
        "stop the reminders", "pause the reminders",
    ),
    "resume": (
        "เตือนต่อ", "เปิดการแจ้งเตือน", "เปิดแจ้งเตือน", "เปิดเตือน", "กลับมาเตือน", "แจ้งเตือนต่อ",
        "resume reminders", "start reminders", "turn on reminders", "reminders on", "unmute reminders",
        "restart reminders", "resume the reminders",
    ),
    "send": (
        "ส่งสรุปตอนนี้", "ส่งสรุปเดี๋ยวนี้", "ส่งสรุปเลย", "ส่งสรุปทันที", "ส่งสรุป", "send the summary",
        "send summary", "send the summary now", "send summary now", "push the summary",
    ),
    "reportverb": (
        "รายงาน", "แจ้งยอด", "ส่งยอด", "แจ้ง", "บันทึก", "ขอรายงาน", "ส่งผล", "report", "reporting", "submit",
        "ส่งข้อมูล",
    ),
    "en_reply": (
        "in english", "english please", "ภาษาอังกฤษ", "ตอบเป็นภาษาอังกฤษ", "in eng", "reply in english",
        "answer in english", "speak english",
    ),
    "help": ("วิธีใช้", "ช่วยเหลือ", "คู่มือ", "help", "how to use", "วิธีรายงาน", "ใช้งานยังไง", "ทำอะไรได้บ้าง",
             "ขอตัวอย่าง", "ตัวอย่างการ", "ต้องพิมพ์", "พิมพ์ยังไง", "พิมพ์แบบไหน", "พิมพ์อย่างไร", "ส่งรายงานยังไง",
             "ส่งยอดยังไง", "รายงานยังไง", "how do i", "how can i", "how to submit", "how to report", "example",
             "what can this bot", "what can you do", "what can i do", "บอททำอะไรได้", "ทำอะไรได้"),
    # thanks and greetings with nothing else: a short friendly answer
    "smalltalk": ("ขอบคุณ", "ขอบใจ", "thank", "thanks", "สวัสดี", "อรุณสวัสดิ์", "hello", "good morning",
                  "good afternoon", "เยี่ยมมาก", "เก่งมาก"),
    # words that contain a cue but mean something else (ยอด in ยอดเยี่ยม is not a sales figure)
    "shadow": ("ยอดเยี่ยม", "ยอดนิยม", "สุดยอด", "ยอดฝีมือ", "ยอดเขา", "แบบสอบถาม", "ผู้ตอบแบบสอบถาม",
               "โทรสอบถาม", "ติดต่อสอบถาม", "สอบถามเพิ่มเติม", "สอบถามได้ที่", "สอบถามโทร", "สอบถาม โทร", "สอบถามที่เบอร์",
               "สอบถามรายละเอียด"),
    # how to type or use something: with a question, a help question (ต้องแปลงเป็น % เองมั้ย, มีคำสั่งอะไรบ้าง)
    "howto": ("พิมพ์", "กรอก", "แปลง", "รูปแบบ", "ใช้ยังไง", "ใช้อย่างไร", "ใช้งาน", "คำสั่ง", "format", "type",
              "command", "commands"),
    # a send verb: with a summary word and nothing to report, "send the summary now"
    "sendverb": ("ส่ง", "send", "push", "post", "แชร์", "share", "forward"),
    # confirming or cancelling a card in words the whole-message commands do not list ("looks good, submit it")
    "yes": ("ยืนยัน", "confirm", "ok", "okay", "โอเค", "ตกลง", "ได้เลย", "ส่งได้", "ส่งเลย", "บันทึกได้", "บันทึกเลย",
            "ถูกต้อง", "looks good", "look good", "submit it", "save it", "go ahead", "correct", "ใช่"),
    "no": ("ยกเลิก", "cancel", "don't save", "do not save", "don't submit", "do not submit", "ไม่เอา", "ไม่บันทึก",
           "ไม่ต้องบันทึก", "ไม่ถูกต้อง", "discard", "never mind", "nevermind", "ไม่ต้องส่ง", "บ่เอา"),
}


_PUNCT = r"\s.,!~:;\"'()\[\]{}<>*_=+…“”‘’ๆ"
_EMOJI = r"\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F"


@cache
def _rx() -> dict[str, re.Pattern[str]]:
    return {
        # "ลงทะเบียน K7QM-4XPD-92HT", "register: abc123", "ลงทะเบียน รหัส K7QM…"; the code is what follows.
        "register": re.compile(
            r"^\s*(?P<kw>ลงทะเบียน|สมัครสมาชิก|สมัครใช้งาน|สมัคร|register|sign ?up)\s*"
            r"(?:ครับผม|ครับ|คับ|ค่ะ|คะ|นะคะ|นะครับ|จ้า|จ้ะ|เจ้า|เด้อ|ฮะ)?"
            r"\s*(?:ด้วย|ใช้)?\s*"
            r"(?:รหัส|โค้ด|โค๊ด|code)?\s*(?:คือ|is)?\s*[:：=]?\s*(?P<code>[A-Za-z0-9][A-Za-z0-9-]*)?",
            re.IGNORECASE,
        ),
        "particles": re.compile(trie_pattern(PARTICLES)),
        # A run of punctuation/space or a run of emoji (the two classes share no character). Written as one class
        # first, then the rest of the run of the same kind: a pattern that starts with a character class lets
        # the engine skip ahead fast, where an alternation of two classes would be tried at every position.
        "noise": re.compile(rf"[{_PUNCT}{_EMOJI}](?:(?<=[{_PUNCT}])[{_PUNCT}]*|(?<=[{_EMOJI}])[{_EMOJI}]*)"),
    }


def register_code(text: str) -> str | None:
    """The invite code in a registration message, '' if the code is missing, None if not a registration.

    >>> register_code("ลงทะเบียน AB12-CD34")
    'AB12-CD34'
    >>> register_code("ลงทะเบียน")
    ''
    >>> register_code("ยอดขาย 3 แสน") is None
    True
    """
    match = _rx()["register"].match(text)
    if not match:
        return None
    if match.group("kw") == "สมัคร" and core(text[match.end():].lower()):
        return None  # "สมัครเข้าร่วมงาน 30 ราย" is about applicants, not this bot
    return match.group("code") or ""


@cache
def _commands() -> dict[str, Intent]:
    table: dict[str, Intent] = {}
    for intent, words in _COMMAND_WORDS.items():
        for word in words:
            table[word.replace(" ", "")] = intent
    return table


def core(low: str) -> str:
    """A message reduced for whole-message commands: no particles, punctuation, emoji or spaces.

    >>> core("ยืนยันครับ 🙏")
    'ยืนยัน'
    """
    rx = _rx()
    stripped = rx["noise"].sub(" ", low)
    squeezed = stripped.replace(" ", "")
    if squeezed in _commands():
        return squeezed
    return rx["particles"].sub("", stripped).replace(" ", "")


# Confirm and cancel words that decide a message when they open it, whatever short reason follows (no digits).
_FIRM = frozenset(("ยกเลิก", "ยกเลิกก่อน", "ยกเลิกไปก่อน", "ขอยกเลิก", "ขอยกเลิกก่อน", "ยืนยัน", "โอเค", "ok", "ตกลง",
                   "บ่เอา", "ไม่เอา", "ไม่เอาอันนี้", "บ่เอาอันนี้", "cancel", "confirm"))


def command_intent(low: str, reduced: str | None = None) -> Intent | None:
    """The intent of a whole-message command ('ตกลงครับ' → CONFIRM), None if the message says more.

    `reduced` is core(low) when the caller already has it.

    >>> command_intent("ok 👍")
    <Intent.CONFIRM: 'confirm'>
    >>> command_intent("ยกเลิกค่ะ")
    <Intent.CANCEL: 'cancel'>
    """
    table = _commands()
    if len(low) > MAX_COMMAND:
        return None
    found = table.get(low) or table.get(core(low) if reduced is None else reduced)
    if found is not None:
        return found
    if low.count(" ") not in (1, 2, 3):
        return None
    # "ไม่ใช่ ยกเลิก", "ok ยืนยัน": every word a command of the same intent
    parts = [core(part) for part in low.split(" ") if part]
    intents = {table.get(part) for part in parts if part}
    if len(intents) == 1 and None not in intents:
        return intents.pop()
    # "ยกเลิกก่อนค่ะ ตัวเลขยังไม่นิ่ง", "โอเค ถูกต้องแล้ว ส่งได้เลย": a firm confirm or cancel word first, then a reason
    first = parts[0] if parts else ""
    if first in _FIRM:
        return table.get(first)
    return None
