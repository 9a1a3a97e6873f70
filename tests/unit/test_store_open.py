"""Opening a store by its URL (``powermap.store``): which store a URL names, with the settings it was given,
created or only read, and a failed garbage collection that never stops a store from opening."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from powermap.errors import StoreError, StoreNotFoundError, StoreURLError
from powermap.settings import Settings
from powermap.store import create_store, open_store
from powermap.store.neo4j import Neo4jStore
from powermap.store.sqlite import SQLiteStore


def busy_timeout_ms(store: SQLiteStore) -> int:
    with store._pool.connection() as conn:
        value: int = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    return value


def test_a_sqlite_url_names_a_sqlite_store_that_waits_as_long_as_the_settings_say(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/store.db"
    store = create_store(url, Settings(sqlite_busy_timeout_s=1.5))
    assert isinstance(store, SQLiteStore)
    assert store.url == url
    assert busy_timeout_ms(store) == 1500
    store.close()
    with open_store(url, Settings(sqlite_busy_timeout_s=2.25)) as opened:
        assert isinstance(opened, SQLiteStore)
        assert busy_timeout_ms(opened) == 2250


def test_without_a_url_the_settings_name_the_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/from-settings.db"
    with open_store(None, Settings(store=url)) as store:
        assert store.url == url
    assert (tmp_path / "from-settings.db").is_file()


def test_a_neo4j_url_names_a_neo4j_store_built_with_the_settings_given() -> None:
    for url in ("bolt://127.0.0.1:1", "neo4j+s://db.example:7687"):
        store = create_store(url, Settings(neo4j_database="sales"))
        assert isinstance(store, Neo4jStore)
        assert (store.url, store.database) == (url, "sales")
        store.close()


def test_an_unknown_scheme_is_invalid_input_naming_the_url_without_its_password() -> None:
    with pytest.raises(StoreURLError) as refused:
        create_store("postgres://ann:s3cret@db/sales", Settings())
    assert str(refused.value) == (
        "unknown store URL 'postgres://ann:***@db/sales': "
        "use sqlite:///path/to/file.db, bolt://host:7687 or neo4j://host:7687"
    )


def test_a_read_of_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/sub/none.db"
    store = create_store(url, Settings(), create=False)
    with pytest.raises(StoreNotFoundError, match="nothing was created"):
        store.ping()
    store.close()
    with pytest.raises(StoreNotFoundError, match="nothing was created"):
        open_store(url, Settings(), create=False)
    assert list(tmp_path.iterdir()) == []


def test_a_store_is_created_by_default(tmp_path: Path) -> None:
    store = create_store(f"sqlite:///{tmp_path}/new.db", Settings())
    store.initialize()
    store.close()
    with open_store(f"sqlite:///{tmp_path}/other.db", Settings()):
        pass
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db") == ["new.db", "other.db"]


def test_a_failed_garbage_collection_is_logged_and_the_store_still_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(self: SQLiteStore) -> int:
        raise StoreError("the store is busy")

    monkeypatch.setattr(SQLiteStore, "collect_garbage", refuse)
    with caplog.at_level(logging.WARNING, logger="powermap.store"), open_store(f"sqlite:///{tmp_path}/s.db") as store:
        store.ping()
    assert [r.getMessage() for r in caplog.records if r.name == "powermap.store"] == [
        "could not collect replaced map versions yet: the store is busy"
    ]


def test_a_sqlite_store_has_nothing_left_behind_to_collect(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path}/s.db", Settings()) as store:
        assert store.collect_garbage() == 0
