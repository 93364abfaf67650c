"""The admin CLI: catalogue, users, invites; bad arguments exit 2 and write nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.db import make_engine, make_session_factory
from models import InviteCode, User

ROOT = Path(__file__).resolve().parent.parent
OFFICER_ID, MANAGER_ID = "U" + "1" * 32, "U" + "2" * 32


@pytest.fixture
def db(database_url, monkeypatch):  # type: ignore[no-untyped-def]
    """The CLI reads DATABASE_URL like the real deployment does."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "BOT_ENV"):
        monkeypatch.delenv(name, raising=False)
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


def count(sessions, model) -> int:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_fresh_database_from_the_command_line(tmp_path):
    """What an admin types on a new machine: upgrade, load, show --json (as separate processes)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}", "PYTHAINLP_OFFLINE": "1",
           "PYTHAINLP_READ_ONLY": "1"}
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "BOT_ENV"):
        env.pop(name, None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, check=True, timeout=120)

    run("db", "upgrade")
    assert "created" in run("catalogue", "load").stdout
    assert "created: none; updated: none" in run("catalogue", "load").stdout  # idempotent
    data = json.loads(run("catalogue", "show", "--json").stdout)
    ops, ditp = data["plans"]
    indicators = {ind["code"]: ind for ind in ops["indicators"]}
    assert len(indicators) == 11
    trade = indicators["2.1.1"]
    assert trade["target"]["value"] == 835
    assert trade["target"]["unit"] == "ล้านบาท"
    assert trade["target"]["window"] == {"start": "2023-10-01", "end": "2024-05-31"}
    assert indicators["2.2.1"]["target"]["value"] == 90
    assert indicators["1.1.1"]["target"]["window"]["end"] == "2024-09-30"
    goal = next(g for g in ops["goals"] if g["code"] == "2.1")
    assert [p["number"] for p in goal["projects"]] == list(range(1, 9))
    assert len(ditp["indicators"]) == 9
    assert sum(k["weight"] for k in ditp["indicators"]) == 100
    kpi2 = next(k for k in ditp["indicators"] if k["code"] == "KPI-2")
    assert {"50": 203.14, "75": 324.2, "100": 445.25} in kpi2["criteria"].values()
    provincial = [o for o in data["offices"] if o["kind"] == "provincial"]
    assert len(provincial) == 76 and "กรุงเทพมหานคร" not in {o["province_th"] for o in provincial}


def test_invite_create_prints_a_code_that_is_stored_hashed(db, capsys):
    assert main(["invite", "create", "--role", "officer", "--province", "โคราช"]) == 0
    code = capsys.readouterr().out.strip()
    assert len(code) == 14 and code.count("-") == 2
    with db() as session:
        invite = session.scalars(select(InviteCode)).one()
        assert invite.office.province_th == "นครราชสีมา"
        assert code not in invite.code_hash and invite.used_at is None


@pytest.mark.parametrize("argv", [
    ["invite", "create", "--role", "officer"],  # an officer needs an office
    ["invite", "create", "--role", "officer", "--province", "กรุงเทพมหานคร"],  # no office in Bangkok
    ["invite", "create", "--role", "officer", "--province", "แอตแลนติส"],
    ["invite", "create", "--role", "chief"],
    ["invite", "create", "--role", "manager", "--days", "0"],
    ["users", "add", "--line-id", "U1", "--role", "officer"],
    ["users", "add", "--line-id", "", "--role", "manager"],  # not a LINE user id
    ["users", "add", "--line-id", "U" + "f" * 5000, "--role", "manager"],
    ["users", "add", "--role", "manager"],
    ["users", "remove", "--line-id", "U-nobody"],
])
def test_bad_arguments_exit_2_and_write_nothing(db, capsys, argv):
    with pytest.raises(SystemExit) as exited:
        code = main(argv)
        raise SystemExit(code)
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip()
    assert count(db, InviteCode) == 0 and count(db, User) == 0


def test_users_add_list_remove(db, capsys):
    assert main(["users", "add", "--line-id", OFFICER_ID, "--role", "officer", "--province", "เชียงใหม่"]) == 0
    assert main(["users", "add", "--line-id", MANAGER_ID, "--role", "manager"]) == 0
    assert main(["users", "add", "--line-id", MANAGER_ID, "--role", "manager"]) == 2  # already there
    capsys.readouterr()
    assert main(["users", "list"]) == 0
    listing = capsys.readouterr().out
    assert f"{OFFICER_ID}\tofficer\tactive\tสำนักงานพาณิชย์จังหวัดเชียงใหม่" in listing
    assert f"{MANAGER_ID}\tmanager\tactive" in listing
    assert main(["users", "remove", "--line-id", OFFICER_ID]) == 0
    capsys.readouterr()
    main(["users", "list"])
    assert f"{OFFICER_ID}\tofficer\trevoked" in capsys.readouterr().out
    with db() as session:  # revoked, never deleted
        assert session.scalar(select(func.count()).select_from(User)) == 2


def test_central_unit_officers_are_invited_by_unit_code(db, capsys):
    assert main(["invite", "create", "--role", "officer", "--unit", "ศปท."]) == 0
    capsys.readouterr()
    with db() as session:
        assert session.scalars(select(InviteCode)).one().office.code == "ศปท."
    assert main(["invite", "create", "--role", "officer", "--unit", "ไม่มีหน่วยนี้"]) == 2
