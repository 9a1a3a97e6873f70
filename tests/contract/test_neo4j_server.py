"""What only the Neo4j store has that needs a server of its own or a process: its error messages, and the
CLI's (its Cypher files and store behaviour on a real server: test_neo4j_store.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from powermap.errors import StoreUnavailableError
from powermap.store import open_store

pytestmark = pytest.mark.neo4j


def test_a_server_that_is_down_is_one_clear_error() -> None:
    with pytest.raises(
        StoreUnavailableError, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:9: is the server running"
    ):
        open_store("bolt://127.0.0.1:9")


def test_the_cli_reports_a_server_that_is_down_without_a_traceback(tmp_path: Path) -> None:
    powermap = Path(sys.executable).with_name("powermap")
    result = subprocess.run(
        [str(powermap), "accounts", "--store", "bolt://127.0.0.1:9"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "cannot reach Neo4j" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
