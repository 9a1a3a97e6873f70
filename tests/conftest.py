"""Shared fixtures: a store of each kind (SQLite always, Neo4j when a server is configured)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import Phase, settings
from neo4j import GraphDatabase

from powermap.service import PowermapService
from powermap.settings import Settings
from powermap.store import Change, Store, open_store

NEO4J_URL = os.environ.get("POWERMAP_TEST_NEO4J_URL", "")
NEO4J_REQUIRED = os.environ.get("POWERMAP_TEST_REQUIRE_NEO4J", "") == "1"

# `make mutation` sets POWERMAP_MUTATION_EXAMPLES: every mutant re-runs the property tests that reach it, so
# there each runs a few fixed examples, unshrunk (a mutant needs one failure, not the smallest). Never in CI.
MUTATION_EXAMPLES = int(os.environ.get("POWERMAP_MUTATION_EXAMPLES", "0") or 0)
MUTATION_PHASES = (Phase.explicit, Phase.reuse, Phase.generate)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if MUTATION_EXAMPLES:
        for item in items:
            cap_examples_for_mutation_run(item)
    if NEO4J_URL or not NEO4J_REQUIRED:
        return
    raise pytest.UsageError("POWERMAP_TEST_REQUIRE_NEO4J=1 but POWERMAP_TEST_NEO4J_URL is not set")


@pytest.fixture(scope="session", autouse=True)
def empty_neo4j_for_each_mutant() -> None:
    """In a mutation run, each mutant's tests start on an empty Neo4j test server.

    Mutants run one after another against the same server. A mutant that writes a broken map (an account
    without ``updated_at``, say) would otherwise fail every later mutant's tests, and each failure would
    count as a kill. Never outside a mutation run: the tests share the server and clean up after themselves.
    """
    if MUTATION_EXAMPLES and NEO4J_URL:
        with GraphDatabase.driver(NEO4J_URL) as driver, driver.session() as session:
            session.run("MATCH (n) DETACH DELETE n").consume()


def cap_examples_for_mutation_run(item: pytest.Item) -> None:
    # A test's own @settings(max_examples=...) outranks any profile, so the cap is set on the test itself.
    test = getattr(item, "obj", None)
    own = getattr(test, "_hypothesis_internal_use_settings", None)
    if own is None:
        return
    test._hypothesis_internal_use_settings = settings(  # type: ignore[union-attr]
        own,
        max_examples=min(own.max_examples, MUTATION_EXAMPLES),
        phases=MUTATION_PHASES,
        derandomize=True,
        database=None,
        deadline=None,
    )


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
