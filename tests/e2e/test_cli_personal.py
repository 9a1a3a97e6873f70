"""End to end: ``powermap person`` and ``powermap erase`` (issue 11), the installed CLI on a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_cli import CLI, as_json, fails, ok
from tests.factories import tiny_document

SECRET_NAME = "Qiu Mingyue 邱明月"
SECRET_NOTES = "plays golf with the rival's CEO 5t"


def seeded(tmp_path: Path) -> CLI:
    cli = CLI(tmp_path)
    document = tiny_document("acme")
    cfo = next(s for s in document["stakeholders"] if s["id"] == "cfo")
    cfo.update(name=SECRET_NAME, notes=SECRET_NOTES)
    document["activities"][0]["stakeholders"].append("cfo")
    cli.seed(document)
    return cli


def test_erase_with_yes_forgets_the_person_and_says_what_went(tmp_path: Path) -> None:
    cli = seeded(tmp_path)
    result = as_json(cli("erase", "acme", "--stakeholder", "cfo", "--yes", "--json"))
    assert result["account"] == "acme"
    assert result["dropped"] == {"stakeholders": 1, "reports_to": 1, "influences": 1, "competitor_relationships": 1}
    assert result["changed"] == {"activities": 1}
    exported = ok(cli("export", "acme")).stdout
    assert SECRET_NAME not in exported
    assert '"cfo"' not in exported
    raw = cli.db.read_bytes() + (
        cli.db.with_name(cli.db.name + "-wal").read_bytes() if cli.db.with_name(cli.db.name + "-wal").exists() else b""
    )
    assert SECRET_NAME.encode() not in raw
    assert SECRET_NOTES.encode() not in raw
    human = ok(cli("analyze", "acme")).stdout
    assert "Chen" in human


def test_erase_speaks_to_people_by_name(tmp_path: Path) -> None:
    cli = seeded(tmp_path)
    text = ok(cli("erase", "acme", "--stakeholder", "cfo", "--yes")).stdout
    assert f"erased {SECRET_NAME} (cfo) from account 'acme'" in text
    assert "from its history" in text


def test_erasing_an_unknown_stakeholder_exits_3_and_changes_nothing(tmp_path: Path) -> None:
    cli = seeded(tmp_path)
    before = ok(cli("export", "acme")).stdout
    message = fails(cli("erase", "acme", "--stakeholder", "ghost", "--yes"), 3)
    assert "no stakeholder with id 'ghost'" in message
    fails(cli("erase", "nowhere", "--stakeholder", "cfo", "--yes"), 3)
    assert ok(cli("export", "acme")).stdout == before


def test_erase_without_yes_and_without_a_terminal_refuses(tmp_path: Path) -> None:
    cli = seeded(tmp_path)
    message = fails(cli("erase", "acme", "--stakeholder", "cfo"), 2)
    assert "--yes" in message
    assert SECRET_NAME in ok(cli("export", "acme")).stdout


def test_person_exports_what_the_account_holds_about_someone(tmp_path: Path) -> None:
    cli = seeded(tmp_path)
    about = as_json(cli("person", "acme", "--stakeholder", "cfo", "--json"))
    assert about["stakeholder"]["name"] == SECRET_NAME
    assert about["stakeholder"]["notes"] == SECRET_NOTES
    assert [a["id"] for a in about["items"]["activities"]] == ["a1"]
    assert about["items"]["reports_to"] == [{"from": "cfo", "to": "ceo"}]
    assert about["erased_before"] == 0
    text = ok(cli("person", "acme", "--stakeholder", "cfo")).stdout
    assert SECRET_NAME in text
    fails(cli("person", "acme", "--stakeholder", "ghost"), 3)


def test_importing_an_erased_person_again_is_flagged(tmp_path: Path) -> None:
    cli = seeded(tmp_path)
    exported = json.loads(ok(cli("export", "acme")).stdout)
    ok(cli("erase", "acme", "--stakeholder", "cfo", "--yes"))
    result = cli("import", cli.write("again.json", exported), "--json")
    assert json.loads(ok(result).stdout)["previously_erased"] == ["cfo"]
    assert "'cfo' had been erased from this account before" in result.stderr


def test_db_scrub_rewrites_the_file_so_deleted_text_is_gone(tmp_path: Path) -> None:
    cli = seeded(tmp_path)
    ok(cli("delete", "acme"))
    assert as_json(cli("db", "scrub", "--json"))["scrubbed"] is True
    raw = cli.db.read_bytes()
    wal = cli.db.with_name(cli.db.name + "-wal")
    raw += wal.read_bytes() if wal.exists() else b""
    assert SECRET_NAME.encode() not in raw


def test_db_prune_needs_a_retention_and_applies_it(tmp_path: Path) -> None:
    cli = seeded(tmp_path)
    assert "POWERMAP_HISTORY_RETENTION_DAYS" in fails(cli("db", "prune"), 2)
    report = as_json(cli("db", "prune", "--older-than", "30", "--json"))
    assert (report["retention_days"], report["deleted"], report["accounts"]) == (30, 0, [])
    assert SECRET_NAME in ok(cli("export", "acme")).stdout
