"""Telling a powermap SQLite store from anything else, without changing a byte of what is looked at."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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
