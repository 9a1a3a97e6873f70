"""End to end: `powermap voices`, `powermap roadmap` and the demo's voice loop, through the real CLI on SQLite."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_cli import CLI, as_json, fails, ok
from tests.e2e.test_cli import cli as cli  # noqa: PLC0414  (the fixture, re-exported for this module)
from tests.voice_factories import roadmap_document, voiced_document


@pytest.fixture
def voiced(cli: CLI) -> CLI:
    ok(cli("roadmap", "import", cli.write("roadmap.json", roadmap_document())))
    ok(cli("import", cli.write("tiny.json", voiced_document())))
    return cli


def test_a_map_whose_voices_name_items_missing_from_the_roadmap_is_refused_with_exit_2(cli: CLI) -> None:
    message = fails(cli("import", cli.write("tiny.json", voiced_document())), 2)
    assert "voices[0].roadmap[0] ('v1'): no item of the store's roadmap has id 'r7'" in message
    fails(cli("export", "tiny"), 3)


def test_voices_json_has_the_issue_shape_and_the_people_names(voiced: CLI) -> None:
    report = as_json(voiced("voices", "tiny", "--today", "2026-11-01", "--json"))
    assert set(report) == {"account", "voices", "summary"}
    assert set(report["summary"]) == {
        "total",
        "open",
        "overdue",
        "by_category",
        "by_flow",
        "closure_rate",
        "mean_satisfaction",
        "pain_exposure",
    }
    assert [(v["id"], v["age_days"], v["overdue"]) for v in report["voices"]] == [
        ("v1", 50, True),
        ("v2", 31, False),
        ("v3", 80, False),
        ("v4", 5, False),
    ]
    assert report["summary"]["closure_rate"] == pytest.approx(1 / 3, abs=1e-6)
    only = as_json(voiced("voices", "tiny", "--open", "--category", "itch", "--json", "--today", "2026-11-01"))
    assert [v["id"] for v in only["voices"]] == ["v2"]
    assert only["summary"] == report["summary"]
    text = ok(voiced("voices", "tiny", "--today", "2026-11-01")).stdout
    assert "Tao (cto)" in text
    assert "OVERDUE" in text
    assert "closure rate: 33%" in text
    wrong = voiced("voices", "tiny", "--flow", "CRM")  # a usage error, reported by the CLI framework
    assert wrong.returncode == 2
    assert "'CRM' is not one of" in wrong.stderr


def test_overdue_days_and_today_come_from_the_settings(voiced: CLI) -> None:
    from tests.e2e.test_cli import base_env, run

    env = {**base_env(voiced.store), "POWERMAP_TODAY": "2026-11-01", "POWERMAP_VOICE_OVERDUE_DAYS": "60"}
    report = json.loads(ok(run("voices", "tiny", "--json", cwd=voiced.cwd, env=env)).stdout)
    assert report["summary"]["overdue"] == 0
    analysis = json.loads(ok(run("analyze", "tiny", "--json", cwd=voiced.cwd, env=env)).stdout)
    assert analysis["voice_loop"] == report["summary"]


def test_the_roadmap_ranks_by_fit_and_round_trips(voiced: CLI) -> None:
    ranked = as_json(voiced("roadmap", "--json"))
    assert [i["id"] for i in ranked["items"]] == ["r7", "r8", "r9"]
    assert ranked["items"][0]["accounts"] == {"tiny": ranked["items"][0]["fit"]}
    assert ranked["items"][0]["stakeholders"] == [
        {"account": "tiny", "stakeholder": "ceo"},
        {"account": "tiny", "stakeholder": "cto"},
    ]
    assert as_json(voiced("roadmap", "--account", "tiny", "--json")) == ranked
    exported = ok(voiced("roadmap", "export")).stdout
    assert json.loads(exported) == roadmap_document()
    assert "Zero-downtime MES cut-over" in ok(voiced("roadmap")).stdout


def test_removing_an_item_that_answers_voices_needs_force(voiced: CLI) -> None:
    message = fails(voiced("roadmap", "remove", "r7"), 1)
    assert "'v1' in account 'tiny'" in message
    assert "--force" in message
    assert json.loads(ok(voiced("export", "tiny")).stdout)["voices"][0]["roadmap"] == ["r7"]
    ok(voiced("roadmap", "remove", "r9"))
    assert as_json(voiced("roadmap", "remove", "r7", "--force", "--json")) == {"removed": "r7", "revision": 3}
    exported = json.loads(ok(voiced("export", "tiny")).stdout)
    assert [v["roadmap"] for v in exported["voices"]] == [[], ["r8"], [], []]
    fails(voiced("roadmap", "remove", "r7"), 3)


def test_the_demo_shows_the_voice_loop_and_the_roadmap_by_fit(cli: CLI) -> None:
    text = ok(cli("demo")).stdout
    assert "The voice loop" in text
    assert "pain exposure" in text
    assert "Roadmap by fit" in text
    assert "Advice that closes the loop" in text
    report = as_json(cli("demo", "--json"))
    assert report["voices"]["summary"]["total"] == 12
    assert report["roadmap"]["items"][0]["fit"] > 0
    assert any('v7 "' in r["reason"] for r in report["loop_advice"])  # report the resolved v7 back


def test_the_demo_never_replaces_a_roadmap_item_it_did_not_load(cli: CLI) -> None:
    mine = {"format": "powermap-roadmap/v1", "items": [{"id": "r-cutover", "title": "Our own cut-over plan"}]}
    ok(cli("roadmap", "import", cli.write("mine.json", mine)))
    message = fails(cli("demo"), 1)
    assert "r-cutover" in message
    assert "never replaces" in message
    assert json.loads(ok(cli("roadmap", "export")).stdout)["items"] == [
        {"id": "r-cutover", "title": "Our own cut-over plan", "release": "", "status": "idea", "notes": ""}
    ]
    fails(cli("export", "acme"), 3)
