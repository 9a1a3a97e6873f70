"""``powermap import --if-revision``: a re-import that names the revision it saw refuses a stale one."""

from __future__ import annotations

from tests.e2e.test_cli import CLI, as_json, cli, fails, ok, sample

__all__ = ["cli"]


def test_import_if_revision_replaces_only_the_revision_it_names(cli: CLI) -> None:
    source = cli.write("acme.json", sample())
    ok(cli("import", source, "--if-revision", "0"))
    message = fails(cli("import", source, "--if-revision", "0"), 1)
    assert "already exists" in message
    renamed = sample()
    renamed["account"]["name"] = "Renamed 改名"
    changed = cli.write("renamed.json", renamed)
    assert as_json(cli("import", changed, "--if-revision", "1", "--json"))["revision"] == 2
    stale = fails(cli("import", source, "--if-revision", "1"), 1)
    assert "changed meanwhile (revision 2, expected 1)" in stale
    assert [a["revision"] for a in cli.accounts()] == [2]


def test_db_gc_reports_what_it_removed(cli: CLI) -> None:
    ok(cli("db", "init"))  # gc, like every command but import, demo and db init, never creates a store
    report = as_json(cli("db", "gc", "--json"))
    assert report == {"store": cli.store, "removed": 0}
