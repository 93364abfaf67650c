"""Hands the parser the plan's vocabulary, as the bot does at start-up; imported by conftest.

Usable alone as a pytest plugin (`-p tests.nlp_setup --noconftest`) to run the parse tables without the app.
"""

import os

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

import nlp  # noqa: E402
from handlers.domain import plan_files  # noqa: E402

nlp.use_vocabulary(plan_files.vocabulary)
