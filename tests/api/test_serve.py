"""``powermap serve``: the real console script, a real uvicorn, real HTTP."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.api.conftest import with_account
from tests.factories import tiny_document

POWERMAP = Path(sys.executable).with_name("powermap")


def _start(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], str, str]:
    process = subprocess.Popen(
        [str(POWERMAP), "serve", *args], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env
    )
    assert process.stderr is not None
    deadline = time.monotonic() + 60
    lines = []
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        lines.append(line)
        found = re.search(r"Uvicorn running on (http://\S+)", line)
        if found:
            return process, found.group(1), "".join(lines)
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError("powermap serve did not start:\n" + "".join(lines))


def test_powermap_serve_answers_over_http_with_keys_and_stops_cleanly(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/served.db"
    env = {**os.environ, "POWERMAP_STORE": url}
    made = json.loads(
        subprocess.run(
            [str(POWERMAP), "keys", "add", "ops", "--role", "editor", "--json"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout
    )
    process, base, said = _start(["--port", "0"], env)
    assert "authentication ON" in said
    try:
        assert base.startswith("http://127.0.0.1:")
        assert httpx.get(f"{base}/health").json() == {"status": "ok", "store": "reachable"}
        assert httpx.get(f"{base}/accounts").status_code == 401
        bearer = {"Authorization": f"Bearer {made['token']}"}
        put = httpx.put(f"{base}/accounts/tiny/map", json=with_account(tiny_document(), "tiny"), headers=bearer)
        assert put.status_code == 200
        assert httpx.get(f"{base}/accounts/tiny/paths", params={"to": "ceo"}, headers=bearer).json()["paths"]
        assert "paths" in httpx.get(f"{base}/openapi.json").json()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    assert process.returncode == 0


def test_serve_says_when_authentication_is_off_and_refuses_it_off_loopback(tmp_path: Path) -> None:
    env = {**os.environ, "POWERMAP_STORE": f"sqlite:///{tmp_path}/open.db"}
    refused = subprocess.run(
        [str(POWERMAP), "serve", "--no-auth", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 2
    assert "loopback" in refused.stderr
    process, base, said = _start(["--no-auth", "--port", "0"], env)
    assert "authentication OFF" in said
    try:
        assert httpx.get(f"{base}/accounts").status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
