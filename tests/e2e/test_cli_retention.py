"""Retention from the command line: ``POWERMAP_HISTORY_RETENTION_DAYS`` is the default of both pruning
commands, and ``db prune`` covers every account of the store (SQLite store; the rules themselves are
tested on every store in ``tests/contract/test_retention.py``)."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_cli import CLI, as_json, base_env, fails, run
from tests.factories import tiny_document


def test_the_retention_setting_is_the_default_of_db_prune_and_prune_history(tmp_path: Path) -> None:
    cli = CLI(tmp_path)
    for account in ("acme", "beta"):
        cli.seed(tiny_document(account))
    env = {**base_env(cli.store), "POWERMAP_HISTORY_RETENTION_DAYS": "7"}
    store_wide = as_json(run("db", "prune", "--json", cwd=tmp_path, env=env))
    assert store_wide["retention_days"] == 7
    assert store_wide["deleted"] == 0  # everything is younger than a week
    one = as_json(run("prune-history", "acme", "--json", cwd=tmp_path, env=env))
    assert one["account"] == "acme"
    bad = fails(run("db", "prune", cwd=tmp_path, env={**env, "POWERMAP_HISTORY_RETENTION_DAYS": "0"}), 2)
    assert "POWERMAP_HISTORY_RETENTION_DAYS" in bad
    assert "greater than or equal to 1" in bad
