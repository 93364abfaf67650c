"""`python -m bot parse`: one message as a summary or JSON, JSON lines in and out; no database is touched."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.parse import parse_lines

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def no_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Point DATABASE_URL at a file that must never be created: parsing needs no database."""
    path = tmp_path / "never.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "BOT_ENV"):
        monkeypatch.delenv(name, raising=False)
    yield path
    assert not path.exists()


def test_json_for_one_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--today", "2024-02-10", "--json", "ยอดขาย ธ.ค. 1.8 ล้าน พะเยา"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "intent": "report",
        "reports": [{"indicator": "2.1.1", "value": 1.8, "unit": "ล้านบาท", "period": "2023-12", "province": "พะเยา",
                     "project": None, "respondents": None}],
        "problems": [], "language": "th",
    }


def test_summary_for_people(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--today", "2024-02-15", "ยอดขาย 2.5"]) == 0
    out = capsys.readouterr().out
    for shown in ("intent: report", "2.1.1", "amount_without_unit", "2.5 ล้านบาท | 2.5 บาท"):
        assert shown in out


def test_words_are_joined(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--json", "--today", "2024-02-15", "สรุปจังหวัด", "นครราชสีมา"]) == 0
    assert json.loads(capsys.readouterr().out)["province"] == "นครราชสีมา"


@pytest.mark.parametrize("argv", [
    ["parse", "--today", "15/02/2024", "ยอดขาย 2 ล้าน"],
    ["parse", "--today", "2024-02-30", "ยอดขาย 2 ล้าน"],
    ["parse"],
    ["parse", "   "],
])
def test_bad_arguments_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "error:" in captured.err


def test_lines_in_order_and_bad_lines_reported() -> None:
    lines = io.StringIO("\n".join([
        json.dumps({"text": "ยืนยัน"}),
        "not json",
        json.dumps({"text": "ยอดขาย ธ.ค. 2 ล้าน", "today": "2024-02-10"}),
        json.dumps(["text"]),
        json.dumps({"text": 5}),
        json.dumps({"text": "ยอดขาย ธ.ค. 2 ล้าน", "today": "2024-13-01"}),
        "",
        json.dumps({"text": "ความคืบหน้าเป้าหมาย 2.1"}, ensure_ascii=False),
    ]) + "\n")
    out = io.StringIO()
    assert parse_lines(lines, out) == 2
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [row.get("intent") or "error" for row in rows] == [
        "confirm", "error", "report", "error", "error", "error", "progress"]
    assert rows[2]["reports"][0]["period"] == "2023-12"
    assert rows[1]["error"].startswith("line 2:")


def test_jsonl_as_a_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1", "PYTHONIOENCODING": "ascii",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'never.db'}"}
    env.pop("BOT_ENV", None)
    stdin = "\n".join([
        json.dumps({"text": "ผลสำรวจความพึงพอใจ ๙๕% ผู้ตอบ ๘๐ ราย ต.ค. ๖๖ จ.ชัยภูมิ", "today": "2024-02-15"},
                   ensure_ascii=False),
        json.dumps({"text": "ลงทะเบียน K7QM-4XPD-92HT"}),
    ]) + "\n"
    done = subprocess.run([sys.executable, "-m", "bot", "parse", "--jsonl"], cwd=ROOT, env=env, timeout=120,
                          input=stdin.encode("utf-8"), capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    rows = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert rows[0]["reports"][0] == {"indicator": "2.2.1", "value": 95.0, "unit": "ร้อยละ", "period": "2023-10",
                                     "province": "ชัยภูมิ", "project": None, "respondents": 80}
    assert rows[1] == {"intent": "register", "register_code": "K7QM-4XPD-92HT", "problems": [], "language": "th"}
    assert "ชัยภูมิ" in done.stdout.decode("utf-8")  # UTF-8 even when the terminal says otherwise
    assert not (tmp_path / "never.db").exists()
