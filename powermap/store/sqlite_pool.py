"""Connections to one SQLite file: one per thread, opened on first use, closed together.

WAL lets any number of readers run beside one writer, so an API process gives every worker thread its
own connection instead of serialising all requests behind one connection and a lock. Writers still
queue (``BEGIN IMMEDIATE`` and the busy timeout), as SQLite requires. ``:memory:`` is the exception: each
connection would be a different empty database, so it keeps one connection behind a lock.

:meth:`SQLitePool.open_connection` is the one place a connection is made: checks on the file itself
(a missing file, a foreign file, a read-only file system) belong there.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from powermap.errors import StoreError, StoreNotFoundError
from powermap.store.sqlite_file import FileState, refuse_foreign

MEMORY = ":memory:"


class SQLitePool:
    """Per-thread connections to ``path``; no I/O until a thread first asks for one."""

    def __init__(self, path: str, *, busy_timeout_s: float = 30.0, create: bool = True) -> None:
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        #: May a missing (or empty) file become a store? False for reads: they say so and create nothing.
        self.create = create
        #: True once a connection found the file on a read-only file system (reads work, writes refuse).
        self.read_only = False
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._closed = False
        # One shared in-memory database needs one connection, used by one thread at a time.
        self._shared_lock: threading.RLock | None = threading.RLock() if path == MEMORY else None
        self._shared: sqlite3.Connection | None = None

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection (exclusive to it while the block runs)."""
        lock: AbstractContextManager[object] = self._shared_lock if self._shared_lock is not None else nullcontext()
        with lock:
            yield self._connection()

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError("the SQLite store is closed")
        if self._shared_lock is not None:
            if self._shared is None:
                self._shared = self._remember(self.open_connection())
            return self._shared
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._remember(self.open_connection())
            self._local.conn = conn
        return conn

    def _remember(self, conn: sqlite3.Connection) -> sqlite3.Connection:
        with self._guard:
            self._opened.append(conn)
        return conn

    def open_connection(self) -> sqlite3.Connection:
        """Open and set up one connection (WAL, busy timeout, foreign keys, secure delete).

        The file is looked at first, without opening it: a foreign file is refused untouched; a missing
        or empty one is created only when the pool may create; a file on a read-only file system is
        opened read-only (reads work, writes are refused by SQLite).
        """
        if self.path != MEMORY:
            state = refuse_foreign(Path(self.path))
            if state in {FileState.MISSING, FileState.EMPTY} and not self.create:
                what = "no such file" if state is FileState.MISSING else "an empty database"
                raise StoreNotFoundError(
                    f"no powermap store at {self.path!r} ({what}); nothing was created: "
                    "import a map (powermap import FILE) or run powermap db init to make one"
                )
            if state is FileState.MISSING:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            elif not _writable(Path(self.path)):
                return self._open_read_only()
        try:
            conn = sqlite3.connect(
                self.path, timeout=self.busy_timeout_s, isolation_level=None, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            # Deleted rows are overwritten with zeros, not left in free pages: what powermap deletes
            # (an erased person above all) cannot be read back from the file (docs/personal-data.md).
            conn.execute("PRAGMA secure_delete = ON")
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the SQLite store {self.path!r}: {error}") from error
        return conn

    def _open_read_only(self) -> sqlite3.Connection:
        """A connection that never writes, for a file on a read-only file system (or one we may not write).

        ``immutable`` is the fallback when SQLite cannot even make its shared-memory file: nobody can
        change a file on a read-only file system, so reading it as immutable is exact.
        """
        uri = Path(self.path).resolve().as_uri()
        for options in ("mode=ro", "mode=ro&immutable=1"):
            try:
                conn = sqlite3.connect(
                    f"{uri}?{options}",
                    uri=True,
                    timeout=self.busy_timeout_s,
                    isolation_level=None,
                    check_same_thread=False,
                )
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.Error as error:
                last = error
                continue
            self.read_only = True
            return conn
        raise StoreError(f"cannot read the SQLite store {self.path!r} on a read-only file system: {last}")

    def close(self) -> None:
        """Close every connection any thread opened; the pool is unusable afterwards."""
        with self._guard:
            self._closed = True
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()


def _writable(path: Path) -> bool:
    """Can this process write the file and make its journal beside it (False on a read-only file system)?"""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
