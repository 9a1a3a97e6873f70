"""Connections to one SQLite file: one per thread, opened on first use, closed together.

WAL lets any number of readers run beside one writer, so an API process gives every worker thread its
own connection instead of serialising all requests behind one connection and a lock. Writers still
queue (``BEGIN IMMEDIATE`` and the busy timeout), as SQLite requires. ``:memory:`` is the exception: each
connection would be a different empty database, so it keeps one connection behind a lock.

:meth:`SQLitePool.open_connection` is the one place a connection is made: checks on the file itself
(a missing file, a foreign file, a read-only file system) belong there.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from powermap.errors import StoreError

MEMORY = ":memory:"


class SQLitePool:
    """Per-thread connections to ``path``; no I/O until a thread first asks for one."""

    def __init__(self, path: str, *, busy_timeout_s: float = 30.0) -> None:
        self.path = path
        self.busy_timeout_s = busy_timeout_s
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
        """Open and set up one connection (WAL, busy timeout, foreign keys, secure delete)."""
        if self.path != MEMORY:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
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

    def close(self) -> None:
        """Close every connection any thread opened; the pool is unusable afterwards."""
        with self._guard:
            self._closed = True
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
