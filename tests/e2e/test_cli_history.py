"""The history commands end to end: history, diff, --as-of, log, prune-history (SQLite store)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli import CLI, as_json, fails, ok, sample


@pytest.fixture
def acme(tmp_path: Path) -> CLI:
    """A CLI whose store holds the bundled sample account."""
    cli = CLI(tmp_path)
    cli.seed(sample())
    return cli


def test_history_diff_and_as_of_tell_what_changed_and_show_the_map_of_then(acme: CLI) -> None:
    before = json.loads(ok(acme("export", "acme")).stdout)
    logged = as_json(
        acme(
            "log",
            "acme",
            "--type",
            "ice_breaking",
            "--member",
            "li",
            "--stakeholder",
            "cfo",
            "--date",
            "2026-11-20",
            "--outcome",
            "首次拜访",
            "--json",
        )
    )
    assert logged["revision"] == 2
    assert logged["activity"]["outcome"] == "首次拜访"

    history = as_json(acme("history", "acme", "--json"))
    assert [(c["revision"], c["operation"]) for c in history["changes"]] == [(2, "log ice_breaking"), (1, "import")]
    assert "log ice_breaking" in ok(acme("history", "acme")).stdout

    assert json.loads(ok(acme("export", "acme", "--as-of", "1")).stdout) == before
    diff = as_json(acme("diff", "acme", "--from", "1", "--json"))
    assert (diff["account"], diff["from"], diff["to"]) == ("acme", 1, 2)
    assert diff["added"]["activities"] == [logged["activity"]]
    assert "+ activity" in ok(acme("diff", "acme", "--from", "1")).stdout

    then = as_json(acme("analyze", "acme", "--as-of", "1", "--json"))
    assert set(then) >= {"power", "coverage", "gaps", "forecast", "fading"}
    ok(acme("paths", "acme", "--to", "ceo", "--as-of", "1"))
    ok(acme("recommend", "acme", "--as-of", "1", "--json"))
    ok(acme("map", "acme", "-o", "then.html", "--as-of", "1"))
    assert (acme.cwd / "then.html").is_file()


def test_as_of_a_revision_that_never_was_or_a_bad_time_exits_2_and_unknown_accounts_exit_3(acme: CLI) -> None:
    assert "no revision 7" in fails(acme("export", "acme", "--as-of", "7"), 2)
    assert "ISO 8601" in fails(acme("analyze", "acme", "--as-of", "last week"), 2)
    assert "2001" in fails(acme("export", "acme", "--as-of", "2001-01-01"), 3)
    fails(acme("history", "nobody"), 3)
    fails(acme("log", "acme", "--type", "meal", "--stakeholder", "ghost"), 3)
    fails(acme("log", "acme", "--stakeholder", "cfo"), 2)


def test_log_reads_an_activity_document_and_prune_history_needs_a_window(acme: CLI) -> None:
    path = acme.write(
        "visit.yaml",
        {"type": "site_visit", "date": "2026-11-21", "members": ["li"], "stakeholders": ["cfo"], "strength": 0.6},
    )
    report = as_json(acme("log", "acme", "--file", path, "--json"))
    assert report["effects"]["relationships"] == [
        {"member": "li", "stakeholder": "cfo", "strength": 0.6, "last_contact": "2026-11-21"}
    ]
    assert "--older-than" in fails(acme("prune-history", "acme"), 2)
    assert "nothing" in ok(acme("prune-history", "acme", "--older-than", "30")).stdout
