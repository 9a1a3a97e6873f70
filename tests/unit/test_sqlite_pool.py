"""Connections to one SQLite file: how each is set up, one per thread, closed together, and what the file
must be before one is opened (missing, empty, not writable)."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from powermap.errors import StoreError, StoreNotFoundError
from powermap.store import sqlite_pool
from powermap.store.sqlite_file import APPLICATION_ID
from powermap.store.sqlite_pool import MEMORY, SQLitePool


def in_thread(function: Callable[[], Any]) -> Any:
    """What ``function`` returns when another thread calls it (re-raising what it raised)."""
    result: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(function())
        except BaseException as error:  # handed back to the calling thread
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    if errors:
        raise errors[0]
    return result[0]


def pragma(conn: sqlite3.Connection, name: str) -> Any:
    return conn.execute(f"PRAGMA {name}").fetchone()[0]


def make_store_file(path: Path) -> Path:
    """A file with a table, as a store that was written before."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('k', 'v')")
    conn.commit()
    conn.close()
    return path


# -- how a connection is set up ------------------------------------------------------------------------


def test_a_connection_uses_wal_the_busy_timeout_foreign_keys_and_secure_delete(tmp_path: Path) -> None:
    pool = SQLitePool(str(tmp_path / "store.db"), busy_timeout_s=2.5)
    with pool.connection() as conn:
        assert pragma(conn, "journal_mode") == "wal"  # readers never wait for the writer
        assert pragma(conn, "busy_timeout") == 2500  # milliseconds
        assert pragma(conn, "synchronous") == 1  # NORMAL: safe with WAL, one fsync per checkpoint
        assert pragma(conn, "foreign_keys") == 1  # an account's rows go with it
        assert pragma(conn, "secure_delete") == 1  # what is deleted is overwritten (docs/personal-data.md)
        assert conn.isolation_level is None  # the store says BEGIN and COMMIT itself
    pool.close()


def test_the_default_busy_timeout_is_thirty_seconds(tmp_path: Path) -> None:
    pool = SQLitePool(str(tmp_path / "store.db"))
    with pool.connection() as conn:
        assert pragma(conn, "busy_timeout") == 30_000
    pool.close()


def test_a_file_another_process_holds_locked_is_reported_as_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # ours: told from its header, no query
    holder.execute("BEGIN EXCLUSIVE")
    try:
        pool = SQLitePool(str(path), busy_timeout_s=0)
        with pytest.raises(StoreError) as refused, pool.connection():
            pass
        assert str(refused.value) == f"cannot open the SQLite store {str(path)!r}: database is locked"
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# -- one connection per thread, closed together ----------------------------------------------------------


def test_a_thread_keeps_its_connection_and_another_thread_gets_its_own(tmp_path: Path) -> None:
    pool = SQLitePool(str(tmp_path / "store.db"))

    def mine() -> sqlite3.Connection:
        with pool.connection() as conn:
            return conn

    first = mine()
    assert mine() is first
    other = in_thread(mine)
    assert other is not first
    pool.close()


def test_closing_closes_the_connections_of_every_thread_and_the_pool_refuses_more(tmp_path: Path) -> None:
    pool = SQLitePool(str(tmp_path / "store.db"))

    def open_one() -> sqlite3.Connection:
        with pool.connection() as conn:
            conn.execute("SELECT 1")
            return conn

    mine, theirs = open_one(), in_thread(open_one)
    pool.close()  # from this thread, the other thread's connection included
    for conn in (mine, theirs):
        with pytest.raises(sqlite3.ProgrammingError, match="closed"):
            conn.execute("SELECT 1")
    with pytest.raises(StoreError) as refused, pool.connection():
        pass
    assert str(refused.value) == "the SQLite store is closed"


def test_an_in_memory_store_is_one_database_shared_by_every_thread() -> None:
    pool = SQLitePool(MEMORY)
    with pool.connection() as conn:
        conn.execute("CREATE TABLE seen (who TEXT)")
        conn.execute("INSERT INTO seen VALUES ('main')")

    def read_and_add() -> list[str]:
        with pool.connection() as conn:
            conn.execute("INSERT INTO seen VALUES ('worker')")
            return [who for (who,) in conn.execute("SELECT who FROM seen ORDER BY who")]

    assert in_thread(read_and_add) == ["main", "worker"]
    with pool.connection() as conn:
        assert [who for (who,) in conn.execute("SELECT who FROM seen ORDER BY who")] == ["main", "worker"]
    pool.close()


# -- the file before it is opened ---------------------------------------------------------------------------


def test_a_missing_file_is_made_with_its_folders_when_the_pool_may_create(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folders" / "store.db"
    pool = SQLitePool(str(path))
    with pool.connection() as conn:
        conn.execute("CREATE TABLE t (x)")
    assert path.is_file()
    pool.close()
    again = SQLitePool(str(tmp_path / "new" / "other.db"))  # its folder exists already
    with again.connection():
        pass
    again.close()


def test_a_missing_file_is_reported_and_nothing_is_made_when_the_pool_may_not_create(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "none.db"
    pool = SQLitePool(str(path), create=False)
    with pytest.raises(StoreNotFoundError) as refused, pool.connection():
        pass
    assert str(refused.value) == (
        f"no powermap store at {str(path)!r} (no such file); nothing was created: "
        "import a map (powermap import FILE) or run powermap db init to make one"
    )
    assert list(tmp_path.iterdir()) == []


def test_an_empty_file_is_reported_as_an_empty_database_when_the_pool_may_not_create(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    with pytest.raises(StoreNotFoundError) as refused, SQLitePool(str(path), create=False).connection():
        pass
    assert f"no powermap store at {str(path)!r} (an empty database); nothing was created" in str(refused.value)
    assert path.read_bytes() == b""


def test_an_existing_store_opens_for_reading_without_creating(tmp_path: Path) -> None:
    path = make_store_file(tmp_path / "store.db")
    pool = SQLitePool(str(path), create=False)
    with pool.connection() as conn:
        assert conn.execute("SELECT value FROM meta").fetchall() == [("v",)]
    assert not pool.read_only
    pool.close()


def test_a_file_is_writable_only_when_its_folder_is_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """SQLite writes its journal beside the file: a writable file in a folder we may not write is read-only."""
    path = make_store_file(tmp_path / "store.db")
    writable = {path: True, tmp_path: False}
    monkeypatch.setattr(os, "access", lambda p, mode: writable[Path(p)])
    assert not sqlite_pool._writable(path)
    writable[tmp_path] = True
    assert sqlite_pool._writable(path)
    writable[path] = False
    assert not sqlite_pool._writable(path)


# -- a file we may not write: read-only connections ----------------------------------------------------------


@pytest.fixture
def not_writable(monkeypatch: pytest.MonkeyPatch) -> None:
    """The file system refuses writes (the tests run as root, who may write anything: the pool is told so)."""
    monkeypatch.setattr(sqlite_pool, "_writable", lambda path: False)


@pytest.mark.usefixtures("not_writable")
def test_a_file_we_may_not_write_is_opened_read_only_and_its_connection_refuses_writes(tmp_path: Path) -> None:
    path = make_store_file(tmp_path / "store.db")
    pool = SQLitePool(str(path), busy_timeout_s=3)
    with pool.connection() as conn:
        assert pool.read_only
        assert conn.execute("SELECT value FROM meta").fetchall() == [("v",)]
        assert conn.isolation_level is None
        assert pragma(conn, "busy_timeout") == 3000  # it waits for a writer elsewhere as long as any connection
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("CREATE TABLE more (x)")
    pool.close()
    assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall() == [
        ("meta",)
    ]


@pytest.mark.usefixtures("not_writable")
def test_a_read_only_connection_opened_by_one_thread_is_closed_by_another(tmp_path: Path) -> None:
    pool = SQLitePool(str(make_store_file(tmp_path / "store.db")))

    def read() -> sqlite3.Connection:
        with pool.connection() as conn:
            assert conn.execute("SELECT value FROM meta").fetchall() == [("v",)]
            return conn

    conn = in_thread(read)
    pool.close()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        conn.execute("SELECT 1")


def refuse_shared_memory(monkeypatch: pytest.MonkeyPatch, *, also_immutable: bool = False) -> None:
    """SQLite as on a read-only mount where its shared-memory file cannot be made: ``mode=ro`` fails."""
    connect = sqlite3.connect

    def connect_without_shm(database: str, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if database.startswith("file:") and (also_immutable or "immutable=1" not in database):
            raise sqlite3.OperationalError("unable to open database file")
        conn: sqlite3.Connection = connect(database, *args, **kwargs)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect_without_shm)


@pytest.mark.usefixtures("not_writable")
def test_without_a_shared_memory_file_the_store_is_read_as_immutable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = make_store_file(tmp_path / "store.db")
    refuse_shared_memory(monkeypatch)
    pool = SQLitePool(str(path))
    with pool.connection() as conn:
        assert pool.read_only
        assert conn.execute("SELECT value FROM meta").fetchall() == [("v",)]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("INSERT INTO meta VALUES ('x', 'y')")
    pool.close()


@pytest.mark.usefixtures("not_writable")
def test_a_file_that_cannot_be_read_at_all_is_reported_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = make_store_file(tmp_path / "store.db")
    refuse_shared_memory(monkeypatch, also_immutable=True)
    pool = SQLitePool(str(path))
    with pytest.raises(StoreError) as refused, pool.connection():
        pass
    assert str(refused.value) == (
        f"cannot read the SQLite store {str(path)!r} on a read-only file system: unable to open database file"
    )
    assert not pool.read_only
