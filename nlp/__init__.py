"""Pure Thai message understanding: no Flask, database or LINE imports; nothing is loaded at import time.

>>> from datetime import date
>>> from nlp import parse
>>> parse("ยอดขาย ธ.ค. 1.8 ล้าน พะเยา", date(2024, 2, 10)).to_json()["reports"][0]["period"]
'2023-12'
"""

from nlp.intents import Intent
from nlp.parser import parse
from nlp.types import PROBLEM_CODES, Parse, Problem, ReportItem
from nlp.vocabulary import Vocabulary, use_vocabulary

__all__ = ["PROBLEM_CODES", "Intent", "Parse", "Problem", "ReportItem", "Vocabulary", "parse", "use_vocabulary"]
