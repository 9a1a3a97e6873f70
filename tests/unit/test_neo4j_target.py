"""Where a Neo4j URL points (no server needed): the URL's own parts win over the settings, and messages name it."""

from __future__ import annotations

from powermap.settings import Settings
from powermap.store import redact
from powermap.store.neo4j import Neo4jTarget

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
