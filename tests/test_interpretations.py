"""Issue 13: `catalogue show` lists every interpretation the catalogue makes of the seeds: the plan files' own
list and the readings the data itself carries (scored vs printed criteria, inputs, steps, project areas)."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from handlers.domain import plan_files


@pytest.fixture
def cli(database_url, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", database_url)
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "BOT_ENV"):
        monkeypatch.delenv(name, raising=False)
    return main


def test_catalogue_show_lists_every_interpretation(cli, capsys):
    assert cli(["catalogue", "show"]) == 0
    out = capsys.readouterr().out
    for name in plan_files.PLAN_FILES:
        for item in plan_files.read(name)["interpretations"]:
            assert f"{item['about']}: {item['reading']}" in out, item["about"]
    for derived in ("KPI-1 round 1: scored 0.75 / 1.05 / 1.35; the seed prints 0.75 / 1.18 / 1.05",
                    "KPI-4 round 1 needs an input the template does not state",
                    "KPI-6 scored by criteria steps",
                    "goal 2.1 project 2 usual area: northeast, east (inferred from its name; any office may "
                    "report it)"):
        assert derived in out, derived
    assert "project 7 usual area" not in out  # "all" is no reading of a region


def test_catalogue_json_carries_the_interpretations(cli, capsys):
    assert cli(["catalogue", "show", "--json"]) == 0
    ops, ditp = json.loads(capsys.readouterr().out)["plans"]
    assert any(line.startswith("2.2.1 national figure: the respondent-weighted mean")
               for line in ops["interpretations"])
    assert any(line.startswith("KPI-1 round 1: scored") for line in ditp["interpretations"])
