"""A Neo4j server with authentication on: the right password opens the store, a wrong one is one clear error.

The module starts its own server (`scripts/neo4j start --instance auth --password ...`), separate from the
shared one the other Neo4j tests use, and stops it at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from powermap.errors import StoreError
from powermap.settings import Settings
from powermap.store import open_store, redact

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "neo4j"
INSTANCE = "auth"
USER = "neo4j"
PASSWORD = "s3cret-pw"
WRONG_PASSWORD = "wrong-pw-4711"
REQUIRED = os.environ.get("POWERMAP_TEST_REQUIRE_NEO4J", "") == "1"
START_TIMEOUT_S = 900  # the first run fetches the server jars with Maven


@dataclass(frozen=True)
class AuthServer:
    """The running server: its Bolt port, and URLs for it with or without credentials."""

    port: int

    def url(self, password: str | None = None) -> str:
        credentials = f"{USER}:{password}@" if password is not None else ""
        return f"bolt://{credentials}127.0.0.1:{self.port}"


def _missing_tools() -> list[str]:
    java = os.environ.get("JAVA") or shutil.which("java")
    mvn = os.environ.get("MVN") or shutil.which("mvn")
    return [name for name, found in (("java", java), ("mvn", mvn)) if not found]


def _neo4j_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args, "--instance", INSTANCE],
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
        check=False,
    )


@pytest.fixture(scope="module")
def auth_server() -> Iterator[AuthServer]:
    missing = _missing_tools()
    if missing:
        reason = f"no {' and no '.join(missing)} found (PATH, $JAVA, $MVN): scripts/neo4j needs them for a server"
        if REQUIRED:
            pytest.fail(f"POWERMAP_TEST_REQUIRE_NEO4J=1 but {reason}")
        pytest.skip(reason)
    try:
        _neo4j_script("stop")  # a server left over by an interrupted run: --fresh refuses a running one
        started = _neo4j_script("start", "--port", "0", "--fresh", "--password", PASSWORD)
        lines = started.stdout.strip().splitlines()
        if started.returncode != 0 or not lines or not lines[-1].startswith("bolt://"):
            pytest.fail(
                f"`scripts/neo4j start --instance {INSTANCE} --password ...` failed "
                f"(exit {started.returncode}):\n{started.stdout}\n{started.stderr[-4000:]}"
            )
        yield AuthServer(port=int(lines[-1].rsplit(":", 1)[1]))
    finally:
        stopped = _neo4j_script("stop")
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr


def _log_in_with_the_right_password(server: AuthServer, within_s: float = 30.0) -> None:
    """One successful login resets Neo4j's count of failed ones (3 in a row lock the user for 5 s)."""
    deadline = time.monotonic() + within_s
    while True:
        try:
            with open_store(server.url(PASSWORD)):
                return
        except StoreError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1.0)


@pytest.fixture
def server_for_wrong_logins(auth_server: AuthServer) -> Iterator[AuthServer]:
    """The server, for a test that tries a wrong password: afterwards the failed-login count is reset,
    so that no later test finds the user locked, whatever the order the tests run in."""
    yield auth_server
    _log_in_with_the_right_password(auth_server)


def _settings(password: str) -> Settings:
    return Settings(neo4j_user=USER, neo4j_password=password)


def test_the_right_password_in_the_url_opens_the_store(auth_server: AuthServer) -> None:
    with open_store(auth_server.url(PASSWORD)) as store:
        assert isinstance(store.list_accounts(), list)


def test_the_right_password_from_the_password_setting_opens_the_store(auth_server: AuthServer) -> None:
    with open_store(auth_server.url(), _settings(PASSWORD)) as store:
        assert isinstance(store.list_accounts(), list)


def test_the_password_in_the_url_wins_over_the_password_setting(auth_server: AuthServer) -> None:
    with open_store(auth_server.url(PASSWORD), _settings(WRONG_PASSWORD)) as store:
        assert isinstance(store.list_accounts(), list)


@pytest.mark.parametrize("where", ["url", "setting"])
def test_a_wrong_password_is_refused_with_a_message_that_names_the_setting_but_not_the_password(
    server_for_wrong_logins: AuthServer, where: str
) -> None:
    server = server_for_wrong_logins
    if where == "url":
        url, settings = server.url(WRONG_PASSWORD), _settings(PASSWORD)
    else:
        url, settings = server.url(), _settings(WRONG_PASSWORD)
    with pytest.raises(StoreError) as refused:
        open_store(url, settings)
    message = str(refused.value)
    assert "refused the credentials" in message
    assert "POWERMAP_NEO4J_PASSWORD" in message
    assert f"127.0.0.1:{server.port}" in message
    assert WRONG_PASSWORD not in message
    assert WRONG_PASSWORD not in repr(refused.value.args)


def test_the_cli_reports_a_wrong_password_in_one_line_without_a_traceback_or_the_password(
    server_for_wrong_logins: AuthServer, tmp_path: Path
) -> None:
    powermap = Path(sys.executable).with_name("powermap")
    env = {k: v for k, v in os.environ.items() if not k.startswith("POWERMAP_")}
    result = subprocess.run(
        [str(powermap), "accounts", "--store", server_for_wrong_logins.url(WRONG_PASSWORD)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "refused the credentials" in lines[0]
    assert "POWERMAP_NEO4J_PASSWORD" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert WRONG_PASSWORD not in result.stderr + result.stdout


def test_redact_hides_the_password_of_a_store_url_and_keeps_the_rest() -> None:
    url = f"bolt://{USER}:{PASSWORD}@127.0.0.1:7687/sales"
    shown = redact(url)
    assert PASSWORD not in shown
    assert shown == f"bolt://{USER}:***@127.0.0.1:7687/sales"
    assert redact("bolt://127.0.0.1:7687") == "bolt://127.0.0.1:7687"
