"""Where a Neo4j URL points (no server needed): the URL's own parts win over the settings, and messages name it."""

from __future__ import annotations

import atexit
from typing import Any, cast

import pytest
from neo4j import Driver, GraphDatabase

from powermap.errors import StoreError
from powermap.settings import Settings
from powermap.store import redact
from powermap.store.neo4j import Neo4jStore, Neo4jTarget, connect

SETTINGS = Settings(neo4j_user="settings-user", neo4j_password="settings-secret", neo4j_database="settings-db")


def test_the_urls_user_password_and_database_win_over_the_settings() -> None:
    target = Neo4jTarget("neo4j://ann:p%40ss@db.example:7700/sales", SETTINGS)
    assert (target.user, target.password, target.database) == ("ann", "p@ss", "sales")
    assert target.address == "neo4j://db.example:7700"
    assert target.where == "Neo4j at neo4j://db.example:7700 (database 'sales')"


def test_the_settings_fill_in_what_the_url_leaves_out() -> None:
    target = Neo4jTarget("bolt://db.example", SETTINGS)
    assert (target.user, target.password, target.database) == ("settings-user", "settings-secret", "settings-db")
    assert target.address == "bolt://db.example:7687"  # Bolt's own port


def test_without_a_database_anywhere_the_servers_default_is_used_and_not_named() -> None:
    target = Neo4jTarget("bolt://", Settings(neo4j_database=""))
    assert target.database is None
    assert target.address == "bolt://localhost:7687"
    assert target.where == "Neo4j at bolt://localhost:7687"


def test_an_ipv6_host_is_bracketed_in_the_address() -> None:
    assert Neo4jTarget("bolt://[::1]:7688", SETTINGS).address == "bolt://[::1]:7688"


def test_a_store_url_in_a_message_shows_everything_but_the_password() -> None:
    assert redact("bolt://neo4j:s3cret@db:7687/sales") == "bolt://neo4j:***@db:7687/sales"
    assert redact("bolt://neo4j@db:7687") == "bolt://neo4j@db:7687"  # no password, nothing to hide
    assert redact("sqlite:///tmp/s.db") == "sqlite:///tmp/s.db"


def test_a_database_name_is_taken_as_written_between_the_slashes() -> None:
    assert Neo4jTarget("bolt://db.example/XSales/", SETTINGS).database == "XSales"


class DriverCalls:
    """What ``GraphDatabase.driver`` was asked for (creating a driver does no I/O, but this test needs none at all)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.closed = 0

    def __call__(self, address: str, **options: Any) -> DriverCalls:
        self.calls.append((address, options))
        return self

    def close(self) -> None:
        self.closed += 1


@pytest.fixture
def driver_calls(monkeypatch: pytest.MonkeyPatch) -> DriverCalls:
    calls = DriverCalls()
    monkeypatch.setattr(GraphDatabase, "driver", calls)
    monkeypatch.setattr(atexit, "register", lambda *_: None)
    return calls


def test_the_driver_gets_the_address_the_credentials_and_no_server_notifications(driver_calls: DriverCalls) -> None:
    connect("neo4j://ann:p%40ss@db.example:7700/sales", SETTINGS)
    connect("bolt://db.example", SETTINGS)
    connect("bolt://db.example", Settings(neo4j_password=""))
    assert driver_calls.calls == [
        ("neo4j://db.example:7700", {"auth": ("ann", "p@ss"), "notifications_min_severity": "OFF"}),
        ("bolt://db.example:7687", {"auth": ("settings-user", "settings-secret"), "notifications_min_severity": "OFF"}),
        ("bolt://db.example:7687", {"auth": None, "notifications_min_severity": "OFF"}),  # no password: no auth
    ]


def test_a_store_without_a_driver_connects_with_the_settings_it_was_given(driver_calls: DriverCalls) -> None:
    store = Neo4jStore("bolt://db.example", settings=SETTINGS)
    assert store.database == "settings-db"
    assert driver_calls.calls == [
        ("bolt://db.example:7687", {"auth": ("settings-user", "settings-secret"), "notifications_min_severity": "OFF"})
    ]


def test_a_url_the_driver_refuses_is_one_error_saying_what_is_wrong() -> None:
    with pytest.raises(StoreError, match=r"^bad Neo4j URL or settings: URI scheme 'bolt\+xyz' is not supported"):
        connect("bolt+xyz://db.example", SETTINGS)


def test_a_store_uses_the_driver_it_is_given_and_leaves_it_open(driver_calls: DriverCalls) -> None:
    given = DriverCalls()
    store = Neo4jStore("bolt://db.example", driver=cast(Driver, given), settings=SETTINGS)
    store.close()
    assert (driver_calls.calls, given.closed) == ([], 0)  # no driver of its own; the creator closes the given one


def test_a_store_closes_the_driver_it_made(driver_calls: DriverCalls) -> None:
    Neo4jStore("bolt://db.example", settings=SETTINGS).close()
    assert (len(driver_calls.calls), driver_calls.closed) == (1, 1)
