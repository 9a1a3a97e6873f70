"""Shared fixtures: a store of each kind (SQLite always, Neo4j when a server is configured)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from powermap.service import PowermapService
from powermap.settings import Settings
from powermap.store import Change, Store, open_store

NEO4J_URL = os.environ.get("POWERMAP_TEST_NEO4J_URL", "")
NEO4J_REQUIRED = os.environ.get("POWERMAP_TEST_REQUIRE_NEO4J", "") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if NEO4J_URL or not NEO4J_REQUIRED:
        return
    raise pytest.UsageError("POWERMAP_TEST_REQUIRE_NEO4J=1 but POWERMAP_TEST_NEO4J_URL is not set")


def neo4j_or_skip() -> str:
    if not NEO4J_URL:
        pytest.skip("no Neo4j server: run `scripts/neo4j start` and set POWERMAP_TEST_NEO4J_URL (make test does)")
    return NEO4J_URL


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store.db"
    return neo4j_or_skip()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url, Settings(import_batch_size=7)) as opened:
        yield opened


@pytest.fixture
def service(store: Store) -> PowermapService:
    return PowermapService(store, actor="tester")


def account_prefix(store: Store) -> Iterator[str]:
    """A unique account-id prefix, so tests can share one Neo4j server; its accounts are removed after."""
    value = f"t{uuid.uuid4().hex[:8]}-"
    yield value
    for summary in store.list_accounts():
        if summary.id.startswith(value):
            store.delete_account(summary.id, Change("tester", "cleanup"))


@pytest.fixture
def prefix(store: Store) -> Iterator[str]:
    yield from account_prefix(store)
