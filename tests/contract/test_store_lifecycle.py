"""Store lifecycle: constructors do no I/O, set-up and garbage collection are explicit steps, the Neo4j
driver is made once and shared, and SQLite readers are not queued behind a writer of the same process."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from powermap.errors import StoreUnavailableError
from powermap.model import parse_account_map
from powermap.settings import Settings
from powermap.store import Change, Store, create_store
from powermap.store.neo4j import Neo4jStore, connect
from powermap.store.sqlite import SQLiteStore
from tests.conftest import account_prefix, neo4j_or_skip
from tests.contract.test_store_contract import with_id
from tests.factories import sample_document, tiny_document

CHANGE = Change("tester", "test")


def test_a_sqlite_store_touches_no_file_until_it_is_used(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet.db"
    store = create_store(f"sqlite:///{path}")
    assert isinstance(store, SQLiteStore)
    assert not path.parent.exists()
    store.initialize()
    assert path.exists()
    store.ping()
    store.close()


def test_a_neo4j_store_is_built_without_reaching_the_server() -> None:
    store = create_store("bolt://127.0.0.1:1", Settings())
    assert isinstance(store, Neo4jStore)
    with pytest.raises(StoreUnavailableError, match=re.escape("cannot reach Neo4j at bolt://127.0.0.1:1")):
        store.ping()
    store.close()


@pytest.mark.neo4j
def test_stores_share_one_injected_driver_and_leave_it_open_when_they_close() -> None:
    url = neo4j_or_skip()
    driver = connect(url)
    try:
        first, second = Neo4jStore(url, driver=driver), Neo4jStore(url, driver=driver)
        first.initialize()
        first.close()
        second.ping()
        gen = account_prefix(second)
        prefix = next(gen)
        second.put_map(parse_account_map(with_id(tiny_document(), prefix + "d")), CHANGE)
        assert second.revision(prefix + "d") == 1
        next(gen, None)
        second.close()
    finally:
        driver.close()


def test_a_reader_is_not_queued_behind_a_long_import_in_the_same_process(store: Store, prefix: str) -> None:
    """The import holds its write transaction open while the reader reads the previous revision."""
    account = prefix + "r"
    store.put_map(parse_account_map(with_id(tiny_document(), account)), CHANGE)
    seen: list[int] = []

    def read() -> None:
        seen.append(store.read(account).revision)

    def midway(done: int, total: int) -> None:
        if seen or done == total:
            return
        reader = threading.Thread(target=read)
        reader.start()
        reader.join(timeout=20)
        assert not reader.is_alive(), "the reader waited for the writer"

    store.put_map(parse_account_map(with_id(sample_document(), account)), CHANGE, on_progress=midway)
    assert seen == [1]
    assert store.revision(account) == 2


def test_collecting_garbage_is_an_explicit_step_that_leaves_live_maps_alone(store: Store, prefix: str) -> None:
    account = prefix + "g"
    document = with_id(tiny_document(), account)
    store.put_map(parse_account_map(document), CHANGE)
    store.put_map(parse_account_map(document), CHANGE)
    assert store.collect_garbage() >= 0
    assert store.read(account).account_map == parse_account_map(document)
