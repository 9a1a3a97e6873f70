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

from api import create_app
from powermap.errors import KeyNotFoundError
from powermap.service import PowermapService
from powermap.settings import Settings
from powermap.store import Store

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
