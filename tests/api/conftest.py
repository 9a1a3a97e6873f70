"""The HTTP API in-process (FastAPI's test client) over each store, with keys made per test."""

from __future__ import annotations

import contextlib
import copy
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from powermap.api import create_app
from powermap.errors import KeyNotFoundError
from powermap.service import PowermapService
from powermap.settings import Settings
from powermap.store import Store
from tests.factories import tiny_document

Headers = dict[str, str]
MakeKey = Callable[..., Headers]


def seg(value: str) -> str:
    """An id as one path segment (what every client does: encodeURIComponent)."""
    return quote(value, safe="")


def with_account(document: dict[str, Any], account_id: str) -> dict[str, Any]:
    document = copy.deepcopy(document)
    document["account"]["id"] = account_id
    return document


@pytest.fixture
def api_settings(store_url: str) -> Settings:
    return Settings(store=store_url, key_cache_s=0, page_limit=50, max_page_limit=200)


@pytest.fixture
def make_key(store: Store) -> Iterator[MakeKey]:
    """Make a key (unique name, so tests can share a Neo4j server) and return its Authorization header."""
    service = PowermapService(store, actor="tester")
    made: list[str] = []

    def make(role: str = "admin", accounts: list[str] | None = None, name: str | None = None) -> Headers:
        key = service.add_key(name or f"k{uuid.uuid4().hex[:10]}", role, accounts)
        made.append(key.name)
        return {"Authorization": f"Bearer {key.token}"}

    yield make
    for name in made:
        with contextlib.suppress(KeyNotFoundError):
            service.revoke_key(name)


@pytest.fixture
def client(store: Store, api_settings: Settings, make_key: MakeKey) -> Iterator[TestClient]:
    """A client of the API over ``store``, sending an admin key unless a test passes other headers."""
    with TestClient(create_app(api_settings, store=store), headers=make_key("admin")) as test_client:
        yield test_client


@pytest.fixture
def account(client: TestClient, prefix: str) -> str:
    """The tiny sample map stored under a per-test account id (through the API)."""
    account_id = f"{prefix}tiny"
    response = client.put(f"/accounts/{seg(account_id)}/map", json=with_account(tiny_document(), account_id))
    assert response.status_code == 200, response.text
    return account_id


class LiveServer:
    """The API in a real uvicorn server on a free loopback port, in a thread of the test process."""

    def __init__(self, app: Any) -> None:
        import threading

        import uvicorn

        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", timeout_keep_alive=5, lifespan="on")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        import time

        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the API server did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture
def live_url(store: Store, api_settings: Settings) -> Iterator[str]:
    with LiveServer(create_app(api_settings, store=store)) as url:
        yield url
