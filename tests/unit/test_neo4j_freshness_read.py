"""Neo4j's freshness check (``store.revision``), the one store call of a cached API answer (no server needed).

It is one auto-commit query in read mode (one Bolt round trip, where a managed transaction costs two:
docs/benchmarks.md); the driver does not retry auto-commit queries, so a retryable failure falls back to
the managed, retried read, and any other failure is the store's error at once. A fake driver stands in
for the server here because no real one can be made to fail on cue; the contract tests run the same
reads against a real Neo4j.
"""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import READ_ACCESS
from neo4j import exceptions as neo4j_errors

from powermap.errors import AccountNotFoundError, StoreError
from powermap.settings import Settings
from powermap.store.neo4j import Neo4jStore
from powermap.store.queries import Q, cypher


class FakeResult:
    def __init__(self, record: dict[str, Any] | None) -> None:
        self.record = record

    def single(self) -> dict[str, Any] | None:
        return self.record


class FakeSession:
    def __init__(self, driver: FakeDriver) -> None:
        self.driver = driver

    def __enter__(self) -> FakeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.driver.closed += 1

    def run(self, query: str, parameters: dict[str, Any]) -> FakeResult:
        self.driver.calls.append(("auto-commit", query, parameters))
        if self.driver.auto_commit_error is not None:
            raise self.driver.auto_commit_error
        return FakeResult(self.driver.records.get(parameters["account"]))

    def execute_read(self, work: Any) -> Any:
        return work(FakeTransaction(self.driver))


class FakeTransaction:
    def __init__(self, driver: FakeDriver) -> None:
        self.driver = driver

    def run(self, query: str, parameters: dict[str, Any]) -> FakeResult:
        self.driver.calls.append(("managed", query, parameters))
        return FakeResult(self.driver.records.get(parameters["account"]))


class FakeDriver:
    def __init__(self, records: dict[str, dict[str, Any]], auto_commit_error: Exception | None = None) -> None:
        self.records = records
        self.auto_commit_error = auto_commit_error
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.sessions: list[dict[str, Any]] = []
        self.closed = 0

    def session(self, **config: Any) -> FakeSession:
        self.sessions.append(config)
        return FakeSession(self)


def store_over(driver: FakeDriver) -> Neo4jStore:
    return Neo4jStore("bolt://db.example:7687/sales", driver=driver, settings=Settings())  # type: ignore[arg-type]


def test_the_revision_is_one_auto_commit_read_on_the_stores_database() -> None:
    driver = FakeDriver({"acme": {"revision": 7}})
    assert store_over(driver).revision("acme") == 7
    assert driver.calls == [("auto-commit", cypher(Q.ACCOUNT_REVISION), {"account": "acme"})]
    assert driver.sessions == [{"database": "sales", "default_access_mode": READ_ACCESS}]
    assert driver.closed == 1  # the session goes back to the pool


def test_a_missing_account_is_not_found_without_a_second_query() -> None:
    driver = FakeDriver({})
    with pytest.raises(AccountNotFoundError, match="ghost"):
        store_over(driver).revision("ghost")
    assert [kind for kind, _, _ in driver.calls] == ["auto-commit"]


@pytest.mark.parametrize(
    "failure",
    [neo4j_errors.TransientError("the database is busy"), neo4j_errors.SessionExpired("the member went away")],
    ids=["transient", "session expired"],
)
def test_a_retryable_failure_falls_back_to_the_managed_retried_read(failure: Exception) -> None:
    driver = FakeDriver({"acme": {"revision": 3}}, auto_commit_error=failure)
    assert store_over(driver).revision("acme") == 3
    query = cypher(Q.ACCOUNT_REVISION)
    assert driver.calls == [("auto-commit", query, {"account": "acme"}), ("managed", query, {"account": "acme"})]


def test_any_other_failure_is_the_stores_error_naming_the_server_at_once() -> None:
    driver = FakeDriver({"acme": {"revision": 3}}, auto_commit_error=neo4j_errors.ClientError("no such label"))
    with pytest.raises(StoreError, match=r"Neo4j at bolt://db\.example:7687 \(database 'sales'\) refused a query"):
        store_over(driver).revision("acme")
    assert [kind for kind, _, _ in driver.calls] == ["auto-commit"]
