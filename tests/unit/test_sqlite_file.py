"""Telling a powermap SQLite store from anything else, without changing a byte of what is looked at."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from powermap.errors import ForeignStoreError
from powermap.store.sqlite_file import APPLICATION_ID, OUR_TABLES, FileState, inspect, refuse_foreign


def make_db(path: Path, *statements: str) -> Path:
    connection = sqlite3.connect(path)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
    return path


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_the_mark_is_the_bytes_pmap() -> None:
    assert APPLICATION_ID.to_bytes(4, "big") == b"PMap"


def test_a_missing_file_is_missing_and_nothing_is_created(tmp_path: Path) -> None:
    assert inspect(tmp_path / "none.db")[0] is FileState.MISSING
    assert refuse_foreign(tmp_path / "sub" / "none.db") is FileState.MISSING
    assert list(tmp_path.iterdir()) == []


def test_an_empty_file_or_a_database_without_tables_may_become_a_store(tmp_path: Path) -> None:
    (tmp_path / "empty.db").write_bytes(b"")
    assert inspect(tmp_path / "empty.db")[0] is FileState.EMPTY
    assert inspect(make_db(tmp_path / "bare.db", "PRAGMA user_version = 0"))[0] is FileState.EMPTY


def test_a_marked_file_is_ours(tmp_path: Path) -> None:
    path = make_db(tmp_path / "ours.db", f"PRAGMA application_id = {APPLICATION_ID}", "CREATE TABLE t (x)")
    assert inspect(path)[0] is FileState.OURS


def test_our_tables_without_the_mark_are_an_older_store_of_ours(tmp_path: Path) -> None:
    path = make_db(tmp_path / "old.db", *(f"CREATE TABLE {name} (x)" for name in sorted(OUR_TABLES)))
    assert inspect(path)[0] is FileState.UNMARKED_OURS


@pytest.mark.parametrize(
    ("statements", "why"),
    [
        (("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)",), "other tables (invoices)"),
        (("PRAGMA application_id = 1234", "CREATE TABLE accounts (x)"), "application_id 1234"),
        (("CREATE TABLE accounts (id)", "CREATE TABLE meta (k)"), "other tables (accounts, meta)"),
    ],
    ids=["other-tables", "other-application", "some-of-our-names"],
)
def test_a_foreign_database_is_refused_and_left_byte_for_byte_as_it_was(
    tmp_path: Path, statements: tuple[str, ...], why: str
) -> None:
    path = make_db(tmp_path / "crm.db", *statements)
    before = snapshot(tmp_path)

    state, reason = inspect(path)
    assert state is FileState.FOREIGN
    assert why in reason
    with pytest.raises(ForeignStoreError, match="is not a powermap store") as refused:
        refuse_foreign(path)
    assert "untouched" in str(refused.value)
    assert snapshot(tmp_path) == before  # no byte changed, no -wal or -shm file appeared


@pytest.mark.parametrize("content", [b"hello, I am notes\n", b"SQLite format 3\x00short"])
def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(ForeignStoreError, match="not a SQLite database"):
        refuse_foreign(path)
    assert path.read_bytes() == content
    assert [p.name for p in tmp_path.iterdir()] == ["notes.db"]


def test_a_directory_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(ForeignStoreError, match="directory"):
        refuse_foreign(tmp_path)


def test_a_database_with_many_tables_names_a_few(tmp_path: Path) -> None:
    path = make_db(tmp_path / "big.db", *(f"CREATE TABLE t{i} (x)" for i in range(9)))
    state, reason = inspect(path)
    assert state is FileState.FOREIGN
    assert reason.endswith("(t0, t1, t2, t3, t4, …)")


def test_a_database_with_five_tables_names_them_all(tmp_path: Path) -> None:
    path = make_db(tmp_path / "five.db", *(f"CREATE TABLE t{i} (x)" for i in range(5)))
    assert inspect(path) == (FileState.FOREIGN, "a SQLite database with other tables (t0, t1, t2, t3, t4)")


def test_a_database_with_six_tables_names_five(tmp_path: Path) -> None:
    path = make_db(tmp_path / "six.db", *(f"CREATE TABLE t{i} (x)" for i in range(6)))
    assert inspect(path) == (FileState.FOREIGN, "a SQLite database with other tables (t0, t1, t2, t3, t4, …)")


def test_every_state_comes_with_the_reason_messages_give(tmp_path: Path) -> None:
    (tmp_path / "empty.db").write_bytes(b"")
    ours = make_db(tmp_path / "ours.db", f"PRAGMA application_id = {APPLICATION_ID}", "CREATE TABLE t (x)")
    older = make_db(tmp_path / "old.db", *(f"CREATE TABLE {name} (x)" for name in sorted(OUR_TABLES)))
    assert inspect(tmp_path / "none.db") == (FileState.MISSING, "no such file")
    assert inspect(tmp_path) == (FileState.NOT_SQLITE, "it is a directory")
    assert inspect(tmp_path / "empty.db") == (FileState.EMPTY, "an empty file")
    assert inspect(make_db(tmp_path / "bare.db", "PRAGMA user_version = 1")) == (
        FileState.EMPTY,
        "a SQLite database with no tables",
    )
    assert inspect(ours) == (FileState.OURS, "a powermap store")
    assert inspect(older) == (FileState.UNMARKED_OURS, "a powermap store written before stores were marked")
    assert inspect(make_db(tmp_path / "app.db", "PRAGMA application_id = 7", "CREATE TABLE t (x)")) == (
        FileState.FOREIGN,
        "a SQLite database of another application (application_id 7)",
    )


def test_a_long_text_file_is_not_sqlite_either(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("meeting notes\n" * 20)
    assert inspect(path) == (FileState.NOT_SQLITE, "not a SQLite database")
    with pytest.raises(ForeignStoreError) as refused:
        refuse_foreign(path)
    assert str(refused.value) == (
        f"{str(path)!r} is not a powermap store (not a SQLite database); powermap leaves it untouched: "
        "name another file with --store sqlite:///path/to/new.db"
    )


def test_a_file_with_a_sqlite_header_and_nothing_readable_after_it_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    content = b"SQLite format 3\x00" + b"\xff" * 52 + b"\x00" * 32 + b"garbage" * 100  # application_id 0
    path.write_bytes(content)
    assert inspect(path) == (FileState.FOREIGN, "a SQLite database with other tables ((unreadable))")
    assert path.read_bytes() == content


def test_a_foreign_database_whose_tables_are_still_in_its_wal_is_recognised(tmp_path: Path) -> None:
    """Another application has the file open in WAL mode: its tables may not be in the main file yet."""
    path = tmp_path / "crm.db"
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode = WAL")
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        assert inspect(path) == (FileState.FOREIGN, "a SQLite database with other tables (invoices)")
    finally:
        writer.close()


def test_a_foreign_database_is_recognised_where_sqlite_cannot_make_its_shared_memory_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only folder: ``mode=ro`` cannot open a WAL file there, ``immutable`` can (tests run as root)."""
    path = make_db(tmp_path / "crm.db", "CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    connect = sqlite3.connect

    def connect_without_shm(database: str, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if database.startswith("file:") and "immutable=1" not in database:
            raise sqlite3.OperationalError("unable to open database file")
        conn: sqlite3.Connection = connect(database, *args, **kwargs)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect_without_shm)
    assert inspect(path) == (FileState.FOREIGN, "a SQLite database with other tables (invoices)")
