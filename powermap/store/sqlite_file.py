"""What a SQLite store file is before powermap touches it: missing, empty, ours, or someone else's.

powermap marks its files with ``PRAGMA application_id`` (:data:`APPLICATION_ID`, "PMap"), which SQLite
keeps in the file header at byte 68. Reading the header needs no connection, so looking at a file can
never change it: a foreign database is refused without a single byte written and without a ``-wal``
or ``-shm`` file appearing beside it. Files written before the mark existed are recognised by their
tables and marked on their next write.
"""

from __future__ import annotations

import enum
import sqlite3
from pathlib import Path

from powermap.errors import ForeignStoreError

#: ``PRAGMA application_id`` of every powermap SQLite store: the bytes "PMap".
APPLICATION_ID = int.from_bytes(b"PMap", "big")
_HEADER = b"SQLite format 3\x00"
_APPLICATION_ID_AT = 68
#: The tables that make a file written before the mark a powermap store.
OUR_TABLES = frozenset({"meta", "accounts", "nodes", "edges", "activities", "changes"})


class FileState(enum.Enum):
    MISSING = "missing"
    EMPTY = "empty"  # a zero-length file, or a SQLite database with no tables: ours to initialise
    OURS = "ours"
    UNMARKED_OURS = "unmarked ours"  # our tables, written before the mark existed
    FOREIGN = "foreign"  # a SQLite database of something else
    NOT_SQLITE = "not sqlite"


def inspect(path: Path) -> tuple[FileState, str]:
    """What the file at ``path`` is, and a word on why (for messages). Writes nothing, creates nothing."""
    if not path.exists():
        return FileState.MISSING, "no such file"
    if path.is_dir():
        return FileState.NOT_SQLITE, "it is a directory"
    with path.open("rb") as file:
        header = file.read(100)
    if not header:
        return FileState.EMPTY, "an empty file"
    if not header.startswith(_HEADER) or len(header) < 100:
        return FileState.NOT_SQLITE, "not a SQLite database"
    application_id = int.from_bytes(header[_APPLICATION_ID_AT : _APPLICATION_ID_AT + 4], "big")
    if application_id == APPLICATION_ID:
        return FileState.OURS, "a powermap store"
    if application_id != 0:
        return FileState.FOREIGN, f"a SQLite database of another application (application_id {application_id})"
    tables = _tables(path)
    if not tables:
        return FileState.EMPTY, "a SQLite database with no tables"
    if tables >= OUR_TABLES:
        return FileState.UNMARKED_OURS, "a powermap store written before stores were marked"
    shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
    return FileState.FOREIGN, f"a SQLite database with other tables ({shown})"


def refuse_foreign(path: Path) -> FileState:
    """The file's state, or :class:`ForeignStoreError` when it is not (and cannot become) a powermap store."""
    state, why = inspect(path)
    if state in {FileState.FOREIGN, FileState.NOT_SQLITE}:
        raise ForeignStoreError(
            f"{str(path)!r} is not a powermap store ({why}); powermap leaves it untouched: "
            "name another file with --store sqlite:///path/to/new.db"
        )
    return state


def _tables(path: Path) -> frozenset[str]:
    """The table names of a SQLite file, read through a read-only connection that changes nothing."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    for suffix in ("", "&immutable=1"):  # immutable: a read-only directory where no -shm can be made
        try:
            connection = sqlite3.connect(uri + suffix, uri=True)
            try:
                rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            finally:
                connection.close()
            return frozenset(str(name) for (name,) in rows)
        except sqlite3.DatabaseError:
            continue
    return frozenset({"(unreadable)"})
