"""End to end: the CLI never touches what the user did not name, and its errors stay readable and bounded.

Runs the installed console script in a subprocess against a SQLite file in the test's directory
(helpers shared with ``test_cli.py``).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_cli import CLI, POWERMAP, as_json, base_env, fails, minimal, ok, run, sample
from tests.e2e.test_cli import cli as cli  # noqa: PLC0414  (the fixture, re-exported for this module)


def put(cli: CLI, name: str, text: str) -> Path:
    """Write a file in the test's directory exactly as given."""
    path = cli.cwd / name
    path.write_text(text, encoding="utf-8")
    return path


def run_with_input(cli: CLI, *args: str, stdin: str | int) -> subprocess.CompletedProcess[str]:
    """Run the CLI with ``stdin`` as its standard input: text to send, or a file descriptor to read."""
    return subprocess.run(
        [str(POWERMAP), *args],
        cwd=cli.cwd,
        env=base_env(cli.store),
        stdin=stdin if isinstance(stdin, int) else None,
        input=stdin if isinstance(stdin, str) else None,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


# -- the demo never replaces a user's own account -------------------------------------------------------------


def users_own_acme() -> dict[str, Any]:
    document = minimal()
    document["account"] = {"id": "acme", "name": "ACME Group", "industry": "automotive", "notes": "our real account"}
    return document


def test_the_demo_refuses_to_replace_a_users_own_account_with_the_samples_id(cli: CLI) -> None:
    cli.seed(users_own_acme())
    before = ok(cli("export", "acme")).stdout
    revision = cli.accounts()[0]["revision"]

    message = fails(cli("demo"), 1)

    assert "'acme'" in message
    assert "ACME Group" in message
    assert "never replaces" in message
    assert "--store" in message
    assert ok(cli("export", "acme")).stdout == before
    assert cli.accounts()[0]["revision"] == revision
    assert not (cli.cwd / "powermap-demo.html").exists()


def test_the_demo_reloads_its_own_sample_but_not_once_the_user_adopted_it(cli: CLI) -> None:
    ok(cli("demo"))
    exported = as_json(cli("export", "acme"))
    assert "powermap demo" in exported["account"]["notes"]  # the marker the demo recognises
    ok(cli("demo"))  # its own sample: reloaded

    # Deleting the marker line adopts the account: the demo leaves it alone from then on.
    exported["account"]["notes"] = "ours now"
    ok(cli("import", cli.write("adopted.json", exported)))
    fails(cli("demo"), 1)
    assert as_json(cli("export", "acme"))["account"]["notes"] == "ours now"


def test_the_demo_on_a_store_of_its_own_leaves_the_users_store_alone(cli: CLI) -> None:
    cli.seed(users_own_acme())
    other = f"sqlite:///{cli.cwd / 'demo.db'}"
    ok(run("demo", "--store", other, cwd=cli.cwd, env=base_env(cli.store)))
    assert as_json(cli("export", "acme"))["account"]["notes"] == "our real account"


# -- bounded, readable errors ----------------------------------------------------------------------------------


def test_a_huge_bad_value_is_echoed_cut_with_its_length(cli: CLI) -> None:
    document = sample()
    huge = "x" * 5_000_000
    document["stakeholders"][0]["level"] = huge

    message = fails(cli("import", cli.write("huge.json", document)), 2)

    assert len(message) < 2_000
    assert f"({len(huge) + 2} characters)" in message  # the quoted value's length
    assert "stakeholders[0].level" in message


def test_thousands_of_bad_rows_list_fifty_problems_and_how_many_more(cli: CLI) -> None:
    document = minimal()
    document["influences"] = [{"from": "ceo", "to": f"ghost{i}", "weight": 0.5} for i in range(3_000)]
    path = cli.write("many.json", document)

    message = fails(cli("import", path), 2)

    lines = message.rstrip("\n").split("\n")
    assert lines[0] == "powermap: error: the account map has 3000 problems:"
    assert len(lines) == 1 + 50 + 1
    assert "ghost49'" in lines[50]
    assert lines[-1].strip().startswith("and 2950 more problems")

    machine = run("import", path, "--json", cwd=cli.cwd, env=base_env(cli.store))
    assert machine.returncode == 2
    error = json.loads(machine.stdout)["error"]
    assert error["type"] == "invalid_map"
    assert error["exit_code"] == 2
    assert len(error["problems"]) == 3_000
    assert error["problems"][2999] == {
        "path": "influences[2999].to",
        "item": "from 'ceo' to 'ghost2999'",
        "message": "no stakeholder has id 'ghost2999'",
    }
    assert cli.accounts() == []


def test_problems_are_told_in_the_formats_words_not_pythons(cli: CLI) -> None:
    document = minimal()
    document["activities"] = [{"id": "a1", "type": "meal", "date": "2026-01-02", "members": {"li": 1}}]
    document["stakeholders"][0]["name"] = ["Chen"]
    document["stakeholders"][1]["influence"] = "high"

    message = fails(cli("import", cli.write("odd.json", document)), 2)

    assert "activities[0].members ('a1'): must be a list" in message
    assert "stakeholders[0].name ('ceo'): must be text" in message
    assert "stakeholders[1].influence ('cto'): must be a number (got 'high')" in message
    for python_word in ("tuple", "dictionary", "Input should", "instance of", "True", "None"):
        assert python_word not in message


YAML_TRAP = """\
account: {id: no, name: Norway Oil}
team: [{id: li, name: Li, role: AR}]
stakeholders:
  - {id: ceo, name: Chen, level: executive, influence: 0.9, title: 2026-01-02}
"""


def test_yaml_words_read_as_booleans_dates_or_numbers_get_a_hint_to_quote_them(cli: CLI) -> None:
    message = fails(cli("import", put(cli, "trap.yaml", YAML_TRAP)), 2)

    assert "account.id: must be text (got false)" in message
    assert "write it in quotes, e.g. id: 'no'" in message
    assert "stakeholders[0].title ('ceo'): must be text (got 2026-01-02)" in message
    assert "as a date" in message

    ok(cli("import", put(cli, "fixed.yaml", YAML_TRAP.replace("id: no", "id: 'no'").replace("2026-01-02", "CEO"))))
    assert [a["id"] for a in cli.accounts()] == ["no"]


@pytest.mark.parametrize("name", ["map.txt", "map", "account.conf"])
def test_a_yaml_file_without_a_yaml_extension_is_read_as_yaml(cli: CLI, name: str) -> None:
    text = "account: {id: plain, name: Plain}\nstakeholders: [{id: a, name: A, level: staff, influence: 0.2}]\n"
    imported = as_json(cli("import", put(cli, name, text), "--json"))
    assert imported["account"] == "plain"


def test_a_json_file_without_extension_is_still_json_and_its_syntax_errors_say_json(cli: CLI) -> None:
    assert as_json(cli("import", put(cli, "mini", json.dumps(minimal())), "--json"))["account"] == "mini"
    message = fails(cli("import", put(cli, "broken", '{"account": {"id": "x",}\n')), 2)
    assert "not valid JSON" in message
    assert "line 1" in message


@pytest.mark.parametrize("form", ["json", "yaml"])
def test_a_dash_reads_the_map_from_standard_input(cli: CLI, form: str) -> None:
    document = minimal()
    text = json.dumps(document) if form == "json" else "account: {id: mini, name: Mini Corp}\n"
    result = run_with_input(cli, "import", "-", "--json", stdin=text)
    assert json.loads(ok(result).stdout)["account"] == "mini"
    refused = run_with_input(cli, "import", "-", stdin="account: {id: [1], name: X}\n")
    assert refused.returncode == 2
    assert "account.id: must be text" in refused.stderr


@pytest.mark.parametrize("url", ["foo://x", "postgres://db/powermap", "sqlite:/x.db"])
def test_an_unknown_or_malformed_store_url_exits_2_like_other_invalid_input(cli: CLI, url: str) -> None:
    message = fails(run("accounts", "--store", url, cwd=cli.cwd, env=base_env()), 2)
    assert "sqlite:///" in message
    assert list(cli.cwd.iterdir()) == []


def test_a_missing_file_and_an_unknown_account_give_json_errors_with_json(cli: CLI) -> None:
    missing = run("import", "nope.json", "--json", cwd=cli.cwd, env=base_env(cli.store))
    assert missing.returncode == 2
    assert json.loads(missing.stdout)["error"]["type"] == "invalid_input"
    assert "nope.json" in missing.stderr
    cli.seed(minimal())
    unknown = run("analyze", "ghost", "--json", cwd=cli.cwd, env=base_env(cli.store))
    assert unknown.returncode == 3
    assert json.loads(unknown.stdout)["error"] == {
        "type": "account_not_found",
        "exit_code": 3,
        "message": unknown.stderr.removeprefix("powermap: error: ").rstrip("\n"),
    }


# -- naming people ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("wanted", ["ceo", "陈伟 Chen Wei", "chen wei", "陈伟"])
def test_to_takes_an_id_or_a_name_that_fits_one_person(cli: CLI, wanted: str) -> None:
    cli.seed(sample())
    report = as_json(cli("paths", "acme", "--to", wanted, "--json"))
    assert report["target"] == "ceo"
    text = ok(cli("paths", "acme", "--to", wanted)).stdout
    assert "Best introduction paths to 陈伟 Chen Wei (ceo, 集团总裁 Group President & CEO) ★" in text


def test_an_ambiguous_name_lists_the_candidates_and_an_unknown_one_exits_3(cli: CLI) -> None:
    cli.seed(sample())
    names = {s["id"]: s["name"] for s in sample()["stakeholders"]}
    sharing = [sid for sid, name in names.items() if "李" in name]
    assert len(sharing) >= 2
    message = fails(cli("paths", "acme", "--to", "李"), 2)
    for sid in sharing:
        assert f"{sid} ({names[sid]})" in message
    assert "'nobody at all'" in fails(cli("paths", "acme", "--to", "nobody at all"), 3)


def test_human_paths_show_each_hops_strength_and_mark_decision_makers(cli: CLI) -> None:
    document = minimal()  # li knows the cto (0.8); the cto sways the ceo (0.7); the ceo decides
    document["relationships"] = [{"member": "li", "stakeholder": "cto", "strength": 0.8}]
    document["influences"] = [{"from": "cto", "to": "ceo", "weight": 0.7}]
    document["stakeholders"][1]["title"] = "CTO"
    cli.seed(document)
    text = ok(cli("paths", "mini", "--to", "ceo")).stdout
    assert "1. 0.560  Li (li, AR) -0.80-> Wang (cto) -0.70-> Chen (ceo) ★" in text
    assert "product of its hops" in text


# -- --json on commands that used to print only text -----------------------------------------------------------


def test_map_demo_export_delete_and_db_init_speak_json_when_asked(cli: CLI) -> None:
    ok(cli("db", "init", "--json"))
    assert as_json(cli("db", "init", "--json")) == {"store": cli.store, "ready": True}
    demo = as_json(cli("demo", "--json"))
    assert demo["account"] == "acme"
    assert demo["analysis"]["power"]
    assert demo["paths"]["target"] == demo["analysis"]["forecast"]["decision_makers"][0]["stakeholder"]
    assert demo["map"] == "powermap-demo.html"
    mapped = as_json(cli("map", "acme", "-o", "m.html", "--highlight-path-to", "陈伟", "--json"))
    assert mapped["wrote"] == "m.html"
    assert mapped["highlight_path"][-1] == "ceo"
    assert as_json(cli("export", "acme", "-o", "a.json", "--json")) == {"account": "acme", "wrote": "a.json"}
    assert as_json(cli("delete", "acme", "--json")) == {"deleted": "acme"}


def test_version_is_printed_by_the_console_script(cli: CLI) -> None:
    assert ok(cli("--version")).stdout.startswith("powermap ")


# -- delete asks on a terminal ------------------------------------------------------------------------------


def _delete_at_a_terminal(cli: CLI, *args: str, answer: str) -> subprocess.CompletedProcess[str]:
    """Run delete with a pseudo-terminal as standard input, typing ``answer``."""
    import os
    import pty

    controller, terminal = pty.openpty()
    try:
        os.write(controller, answer.encode() + b"\n")
        return run_with_input(cli, "delete", "acme", *args, stdin=terminal)
    finally:
        os.close(terminal)
        os.close(controller)


def test_delete_at_a_terminal_asks_first_and_keeps_the_account_unless_told_yes(cli: CLI) -> None:
    cli.seed(sample())
    refused = _delete_at_a_terminal(cli, answer="no")
    assert refused.returncode == 1
    assert "delete account 'acme'" in refused.stderr
    assert "30 stakeholders" in refused.stderr
    assert "nothing deleted" in refused.stderr
    assert [a["id"] for a in cli.accounts()] == ["acme"]

    ok(_delete_at_a_terminal(cli, answer="yes"))
    assert cli.accounts() == []


def test_delete_with_yes_never_asks_even_at_a_terminal(cli: CLI) -> None:
    cli.seed(sample())
    done = ok(_delete_at_a_terminal(cli, "--yes", answer=""))
    assert "type yes" not in done.stderr
    assert cli.accounts() == []


# -- the store file: missing, foreign, read-only --------------------------------------------------------------

READ_COMMANDS = [
    ["accounts"],
    ["export", "acme"],
    ["analyze", "acme"],
    ["paths", "acme", "--to", "ceo"],
    ["recommend", "acme"],
    ["map", "acme", "-o", "m.html"],
    ["delete", "acme", "--yes"],
]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=[" ".join(a[:1]) for a in READ_COMMANDS])
def test_a_read_of_a_missing_store_says_so_and_creates_nothing(cli: CLI, args: list[str]) -> None:
    store = f"sqlite:///{cli.cwd / 'sub' / 'dir' / 'none.db'}"
    message = fails(run(*args, "--store", store, cwd=cli.cwd, env=base_env()), 3)
    assert "no powermap store at" in message
    assert "none.db" in message
    assert "nothing was created" in message
    assert list(cli.cwd.iterdir()) == []


def test_import_db_init_and_demo_may_create_the_store_they_are_told_to(cli: CLI) -> None:
    store = f"sqlite:///{cli.cwd / 'new' / 'a.db'}"
    ok(run("import", cli.write("mini.json", minimal()), "--store", store, cwd=cli.cwd, env=base_env()))
    assert (cli.cwd / "new" / "a.db").is_file()
    ok(run("db", "init", "--store", f"sqlite:///{cli.cwd / 'b.db'}", cwd=cli.cwd, env=base_env()))
    assert (cli.cwd / "b.db").is_file()


def _foreign_database(path: Path) -> bytes:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer TEXT, total REAL)")
    connection.execute("INSERT INTO invoices (customer, total) VALUES ('ACME', 1200.5)")
    connection.commit()
    connection.close()
    return path.read_bytes()


@pytest.mark.parametrize("args", [["accounts"], ["import", "mini.json"], ["db", "init"], ["demo"]])
def test_a_sqlite_file_that_is_not_a_powermap_store_is_refused_and_left_untouched(cli: CLI, args: list[str]) -> None:
    before = _foreign_database(cli.db)
    cli.write("mini.json", minimal())

    message = fails(cli(*args), 2)

    assert "is not a powermap store" in message
    assert "invoices" in message
    assert "untouched" in message
    assert cli.db.read_bytes() == before
    assert sorted(p.name for p in cli.cwd.iterdir()) == ["mini.json", "x.db"]  # no -wal, -shm or html


def test_a_text_file_named_as_the_store_is_refused_and_left_untouched(cli: CLI) -> None:
    cli.db.write_text("my notes, not a database\n", encoding="utf-8")
    assert "not a SQLite database" in fails(cli("import", cli.write("mini.json", minimal())), 2)
    assert cli.db.read_text(encoding="utf-8") == "my notes, not a database\n"


def test_a_store_is_marked_as_powermaps_own(cli: CLI) -> None:
    cli.seed(minimal())
    connection = sqlite3.connect(cli.db)
    (application_id,) = connection.execute("PRAGMA application_id").fetchone()
    connection.close()
    assert application_id.to_bytes(4, "big") == b"PMap"


def test_no_account_with_an_id_names_the_store_it_looked_in(cli: CLI) -> None:
    cli.seed(minimal())
    message = fails(cli("analyze", "acme"), 3)
    assert f"no account with id 'acme' in the store {cli.store}" in message


def test_a_store_on_a_read_only_file_system_can_still_be_read(cli: CLI) -> None:
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-rm", "true"], check=False).returncode != 0:
        pytest.skip("needs user and mount namespaces (unshare -rm) to mount a read-only file system")
    cli.seed(sample())
    ok(cli("erase", "acme", "--stakeholder", "cfo", "--yes"))  # the store now holds an erasure, and its salt
    expected = ok(cli("export", "acme")).stdout
    read_only = (
        f'mount --bind "{cli.cwd}" "{cli.cwd}" && mount -o remount,ro,bind "{cli.cwd}" && '
        f'! touch "{cli.cwd}/probe" 2>/dev/null'
    )
    script = (
        f'{read_only} && "{POWERMAP}" export acme && "{POWERMAP}" analyze acme --json > /dev/null && '
        f'"{POWERMAP}" person acme --stakeholder ceo --json > /dev/null && "{POWERMAP}" accounts --json'
    )
    read = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        cwd=cli.cwd,
        env=base_env(cli.store),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert read.returncode == 0, read.stderr
    assert read.stdout.startswith(expected)
    assert json.loads(read.stdout[len(expected) :])[0]["id"] == "acme"

    write = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f'{read_only} && "{POWERMAP}" delete acme --yes'],
        cwd=cli.cwd,
        env=base_env(cli.store),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert write.returncode == 1
    assert write.stderr.startswith("powermap: store error: ")
    assert "read-only file system: it can be read, not changed" in write.stderr
    assert "Traceback" not in write.stderr
