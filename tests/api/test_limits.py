"""Limits through a real HTTP server: 413 for big bodies (unread), 408 for stalled ones, while others are served."""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from powermap.api import create_app
from powermap.settings import Settings
from powermap.store import Store
from tests.api.conftest import LiveServer, MakeKey

LIMIT = 2_000
STALL_S = 3.0


@pytest.fixture
def small_server(store: Store, api_settings: Settings) -> Iterator[str]:
    settings = api_settings.model_copy(update={"max_body_bytes": LIMIT, "body_timeout_s": STALL_S})
    with LiveServer(create_app(settings, store=store)) as url:
        yield url


def _raw(url: str, request: bytes) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    sock.sendall(request)
    return sock


def _status(sock: socket.socket) -> int:
    head = sock.recv(4096).decode("latin-1")
    return int(head.split(" ", 2)[1])


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_declared_oversized_body_gets_413_before_it_is_sent(small_server: str, make_key: MakeKey) -> None:
    token = make_key("admin")["Authorization"]
    sock = _raw(
        small_server,
        b"PUT /accounts/x/map HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        + f"Authorization: {token}\r\nContent-Length: 1000000000\r\n\r\n".encode(),
    )
    with sock:
        started = time.monotonic()
        assert _status(sock) == 413  # answered with not one byte of the gigabyte sent
        assert time.monotonic() - started < STALL_S  # not by the stall timeout: at once


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_streamed_body_is_cut_off_at_the_limit(small_server: str, make_key: MakeKey) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"account": {"id": "x", "name": "' + b"y" * 1500
        yield b"y" * 1500 + b'"}}'

    response = httpx.put(
        f"{small_server}/accounts/x/map",
        content=chunks(),
        headers={**make_key("admin"), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_stalled_body_gets_408_and_does_not_hold_up_other_clients(small_server: str, make_key: MakeKey) -> None:
    headers = make_key("admin")
    token = headers["Authorization"]
    sock = _raw(
        small_server,
        b"PUT /accounts/x/map HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        + f"Authorization: {token}\r\nContent-Length: 100\r\n\r\n".encode()
        + b'{"acc',
    )
    with sock:
        assert httpx.get(f"{small_server}/accounts", headers=headers).status_code == 200
        waiting, _, _ = select.select([sock], [], [], 0)
        assert not waiting  # the other client was served while the slow one still holds its request
        assert _status(sock) == 408
