"""`python -m bot --help` and `parse` start light: no web framework, LINE SDK, ORM, charts, scheduler or migrations.

Each command imports what it needs when it runs (bot/cli/*). These tests run the real entry point in a fresh
interpreter with `-X importtime`, which names every module the process imported, and fail with the heavy ones.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Top-level packages a light start must not import (any submodule counts).
HEAVY = ("flask", "werkzeug", "linebot", "sqlalchemy", "matplotlib", "apscheduler", "openpyxl", "alembic")


def imported(args: list[str], stdin: str = "", tmp_path: Path | None = None) -> set[str]:
    """Every module a fresh `python -X importtime ARGS` imported (it must exit 0)."""
    env = {**os.environ, "PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1"}
    if tmp_path is not None:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'never.db'}"
    for name in ("BOT_ENV", "LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "PYTHONPROFILEIMPORTTIME"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=ROOT, env=env, timeout=120,
                          input=stdin.encode("utf-8"), capture_output=True, check=False)
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, err[-2000:]
    # Each line: "import time: <self us> | <cumulative us> | <indented module name>".
    return {line.rsplit("|", 1)[1].strip() for line in err.splitlines() if line.startswith("import time:")}


def heavy(modules: set[str]) -> list[str]:
    """The HEAVY packages these modules belong to, each as "name (N modules)", sorted."""
    counts = Counter(name.split(".")[0] for name in modules if name.split(".")[0] in HEAVY)
    return [f"{package} ({count} modules)" for package, count in sorted(counts.items())]


@pytest.mark.parametrize("args", [
    ["--help"],
    ["parse", "ยอดขาย ม.ค. 67 2.5 ล้าน"],
    ["parse", "--today", "2024-02-10", "--json", "ยอดขาย ธ.ค. 1.8 ล้าน พะเยา"],
], ids=["help", "parse", "parse-json"])
def test_a_light_command_imports_nothing_heavy(args: list[str], tmp_path: Path) -> None:
    modules = imported(["-m", "bot", *args], tmp_path=tmp_path)
    assert "bot.cli" in modules  # the entry point really ran
    assert heavy(modules) == [], f"python -m bot {' '.join(args)} imported: {', '.join(heavy(modules))}"
    assert not (tmp_path / "never.db").exists()


def test_parse_jsonl_imports_nothing_heavy(tmp_path: Path) -> None:
    lines = json.dumps({"text": "ยอดขาย ม.ค. 67 2.5 ล้าน"}, ensure_ascii=False) + "\n"
    modules = imported(["-m", "bot", "parse", "--jsonl"], stdin=lines, tmp_path=tmp_path)
    assert "nlp.parser" in modules
    assert heavy(modules) == [], f"python -m bot parse --jsonl imported: {', '.join(heavy(modules))}"


def test_the_check_sees_a_heavy_import() -> None:
    """The reader itself: a process that does import SQLAlchemy's ORM is caught, by submodule name too."""
    found = heavy(imported(["-c", "import sqlalchemy.orm"]))
    assert len(found) == 1 and found[0].startswith("sqlalchemy (") and found[0] != "sqlalchemy (1 modules)"
