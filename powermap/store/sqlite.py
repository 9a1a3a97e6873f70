"""The embedded default store: one local SQLite file, no server.

Every item is a row holding its contract JSON, keyed by account and id (lines by their two ends) and
ordered by ``position`` so exports come back in the order they went in. Each write is one
``BEGIN IMMEDIATE`` transaction (WAL journal, busy timeout), so several processes can share a file:
writers queue, readers never block, and a write that fails leaves nothing behind. Every write moves
the account's revision on and appends a row to ``changes`` (who, when, what): the seed of history.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from powermap.errors import (
    AccountNotFoundError,
    ActivityNotFoundError,
    ConflictError,
    KeyNotFoundError,
    RoadmapItemInUseError,
    RoadmapItemNotFoundError,
    StaleRevisionError,
    StaleRoadmapError,
    StoreError,
    StoreUnavailableError,
    StoreURLError,
    VoiceNotFoundError,
)
from powermap.model import (
    EDGE_LISTS,
    NODE_LISTS,
    Account,
    AccountMap,
    Activity,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    Roadmap,
    RoadmapItem,
    Voice,
)
from powermap.model.diff import ACCOUNT, Entry
from powermap.model.keys import ApiKey
from powermap.store.base import (
    AccountSummary,
    Change,
    ChangeRecord,
    Erasure,
    ProgressCallback,
    Snapshot,
    Store,
    check_replace,
    not_found_for_edge,
    not_found_for_node,
    subject_names,
)
from powermap.store.history import WAS_THERE, Delta, HistoryRows, detached_entry, forget_entry
from powermap.store.sqlite_file import APPLICATION_ID
from powermap.store.sqlite_pool import SQLitePool

SCHEMA_VERSION = 1
#: ``history_heads.checkpoint`` of a revision whose checkpoint is the live map (not yet copied).
LIVE_CHECKPOINT = 2
_PROGRESS_BATCH = 5_000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    revision INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS nodes (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (account_id, kind, id)
);
CREATE TABLE IF NOT EXISTS edges (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    position INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (account_id, kind, source, target)
);
CREATE INDEX IF NOT EXISTS edges_by_target ON edges (account_id, kind, target);
CREATE TABLE IF NOT EXISTS activities (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
);
-- No foreign key: an account's history outlives the account.
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    operation TEXT NOT NULL,
    subject TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS changes_by_account ON changes (account_id, seq);
-- History (powermap.store.history): one head per revision that recorded it, and its items (the
-- delta, and at some revisions a checkpoint of the whole map), one row per item in contract shape.
CREATE TABLE IF NOT EXISTS history_heads (
    account_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    items INTEGER NOT NULL,
    checkpoint INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, revision)
);
CREATE TABLE IF NOT EXISTS history_items (
    account_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    checkpoint INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    list TEXT NOT NULL,
    key TEXT NOT NULL,
    before TEXT,
    after TEXT,
    PRIMARY KEY (account_id, revision, checkpoint, seq)
);
-- The customer's voices, per account; their roadmap references live in the JSON (json_each finds them).
CREATE TABLE IF NOT EXISTS voices (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
);
-- Our roadmap: one per store, shared by every account.
CREATE TABLE IF NOT EXISTS roadmap (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    data TEXT NOT NULL
);
-- The roadmap's change log: one row per write of it; its revision is the last row's (0 before any).
CREATE TABLE IF NOT EXISTS roadmap_changes (
    revision INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    operation TEXT NOT NULL,
    subject TEXT NOT NULL
);
-- API keys: the token's hash only; accounts is a JSON list, or NULL for every account.
CREATE TABLE IF NOT EXISTS api_keys (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    accounts TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
-- Erasures of people (issue 11): who erased someone from an account and when, with a salted
-- fingerprint of the erased id and never the id itself.
CREATE TABLE IF NOT EXISTS erasures (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    fingerprint TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS erasures_by_account ON erasures (account_id, fingerprint);
"""


def path_from_url(url: str) -> str:
    """The file of a ``sqlite:///relative.db`` or ``sqlite:////absolute.db`` URL (``:memory:`` allowed).

    >>> path_from_url("sqlite:///powermap.db"), path_from_url("sqlite:////tmp/x.db")
    ('powermap.db', '/tmp/x.db')
    """
    prefix = "sqlite:///"
    if not url.startswith(prefix) or len(url) == len(prefix):
        raise StoreURLError(f"a SQLite store URL looks like sqlite:///path/to/file.db, not {url!r}")
    return url[len(prefix) :]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _dump(item: Any) -> str:
    return json.dumps(item.model_dump(mode="json", by_alias=True), ensure_ascii=False, separators=(",", ":"))


class SQLiteStore(Store):
    """Account maps in one SQLite file, safe to share between processes."""

    def __init__(self, url: str, *, busy_timeout_s: float = 30.0, create: bool = True) -> None:
        self.url = url
        # No I/O here: each thread opens its own connection on first use (see sqlite_pool). With
        # create=False a missing file is reported, never made (reads create nothing).
        self._pool = SQLitePool(path_from_url(url), busy_timeout_s=busy_timeout_s, create=create)

    # -- plumbing --------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        with self._pool.connection() as conn:
            if write and self._pool.read_only:
                raise StoreError(
                    f"the SQLite store {self._pool.path!r} is on a read-only file system: it can be read, not changed"
                )
            try:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.OperationalError as error:
                raise StoreUnavailableError(f"the SQLite store is busy or unreadable: {error}") from error
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except sqlite3.OperationalError as error:
                conn.execute("ROLLBACK")
                raise StoreUnavailableError(f"the SQLite store could not commit: {error}") from error

    def _edit(
        self,
        account_id: str,
        change: Change,
        expected_revision: int | None,
        apply: Callable[[sqlite3.Connection], None],
    ) -> int:
        """Run ``apply`` in one write transaction guarded by the account's revision; returns the new one."""
        with self._transaction(write=True) as conn:
            row = conn.execute("SELECT revision FROM accounts WHERE id = ?", (account_id,)).fetchone()
            if row is None:
                raise AccountNotFoundError(account_id)
            if expected_revision is not None and row[0] != expected_revision:
                raise StaleRevisionError(account_id, expected_revision, int(row[0]))
            self._copy_live_checkpoint(conn, account_id)
            apply(conn)
            revision: int = row[0] + 1
            now = _now()
            conn.execute("UPDATE accounts SET revision = ?, updated_at = ? WHERE id = ?", (revision, now, account_id))
            self._record(conn, account_id, revision, now, change)
            return revision

    @staticmethod
    def _record(conn: sqlite3.Connection, account_id: str, revision: int, at: str, change: Change) -> None:
        conn.execute(
            "INSERT INTO changes (account_id, revision, at, actor, operation, subject) VALUES (?, ?, ?, ?, ?, ?)",
            (account_id, revision, at, change.actor, change.operation, change.subject),
        )
        delta = change.history
        if delta is None:
            return
        # A write that keeps the map as a checkpoint (an import) copies nothing now: the map it has just
        # written is that checkpoint (LIVE_CHECKPOINT) until the account next changes, when
        # _copy_live_checkpoint copies it into history first (copy on write).
        conn.execute(
            "INSERT INTO history_heads (account_id, revision, items, checkpoint) VALUES (?, ?, ?, ?)",
            (account_id, revision, len(delta.entries), LIVE_CHECKPOINT if delta.keeps_map else 0),
        )
        _insert_items(conn, account_id, revision, 0, delta.entries)

    @staticmethod
    def _copy_live_checkpoint(conn: sqlite3.Connection, account_id: str) -> None:
        """Before the account's live map changes: copy it into history if it is its revision's checkpoint.

        Called first in every transaction that changes a stored map, so a checkpoint kept "live" is never
        lost. The rows are copied as they are stored (contract JSON, validated on the way in): no parsing.
        """
        head = conn.execute(
            "SELECT revision FROM history_heads WHERE account_id = ? AND checkpoint = ?", (account_id, LIVE_CHECKPOINT)
        ).fetchone()
        if head is None:
            return
        revision = int(head[0])
        rows: list[tuple[str, list[str], str]] = []
        (account,) = conn.execute("SELECT data FROM accounts WHERE id = ?", (account_id,)).fetchone()
        rows.append((ACCOUNT, [], account))
        for kind, node_id, data in conn.execute(
            "SELECT kind, id, data FROM nodes WHERE account_id = ? ORDER BY kind, position", (account_id,)
        ):
            rows.append((NODE_LISTS[NodeKind(kind)], [node_id], data))
        for kind, source, target, data in conn.execute(
            "SELECT kind, source, target, data FROM edges WHERE account_id = ? ORDER BY kind, position", (account_id,)
        ):
            rows.append((EDGE_LISTS[EdgeKind(kind)], [source, target], data))
        for name in ("activities", "voices"):
            # ``name`` is one of two literals, never user text.
            rows.extend(
                (name, [item_id], data)
                for item_id, data in conn.execute(
                    f"SELECT id, data FROM {name} WHERE account_id = ? ORDER BY position",  # noqa: S608
                    (account_id,),
                )
            )
        conn.executemany(
            "INSERT INTO history_items (account_id, revision, checkpoint, seq, list, key, before, after) "
            "VALUES (?, ?, 1, ?, ?, ?, NULL, ?)",
            ((account_id, revision, seq, name, _json(key), data) for seq, (name, key, data) in enumerate(rows)),
        )
        conn.execute(
            "UPDATE history_heads SET checkpoint = 1 WHERE account_id = ? AND revision = ?", (account_id, revision)
        )

    @staticmethod
    def _next_position(conn: sqlite3.Connection, table: str, account_id: str, kind: str | None = None) -> int:
        # ``table`` is one of three literals chosen below, never user text.
        if kind is None:
            row = conn.execute(f"SELECT MAX(position) FROM {table} WHERE account_id = ?", (account_id,)).fetchone()  # noqa: S608
        else:
            row = conn.execute(
                f"SELECT MAX(position) FROM {table} WHERE account_id = ? AND kind = ?",  # noqa: S608
                (account_id, kind),
            ).fetchone()
        return 0 if row[0] is None else int(row[0]) + 1

    # -- Store -----------------------------------------------------------------------------------

    def initialize(self) -> None:
        with self._pool.connection() as conn:
            if self._pool.read_only:
                return  # a store on a read-only file system is read as it is
            conn.executescript(_SCHEMA)
            conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            # The mark that tells a powermap store from any other SQLite file (see sqlite_file).
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def put_map(
        self,
        account_map: AccountMap,
        change: Change,
        *,
        on_progress: ProgressCallback | None = None,
        expected_revision: int | None = None,
    ) -> int:
        account_id = account_map.account.id
        batches: list[tuple[str, list[tuple[Any, ...]]]] = [
            (
                "INSERT INTO nodes (account_id, kind, id, position, data) VALUES (?, ?, ?, ?, ?)",
                [
                    (account_id, kind.value, node.id, position, _dump(node))
                    for kind in NodeKind
                    for position, node in enumerate(account_map.nodes(kind))
                ],
            ),
            (
                "INSERT INTO edges (account_id, kind, source, target, position, data) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (account_id, kind.value, edge.source, edge.target, position, _dump(edge))
                    for kind in EdgeKind
                    for position, edge in enumerate(account_map.edges(kind))
                ],
            ),
            (
                "INSERT INTO activities (account_id, id, position, data) VALUES (?, ?, ?, ?)",
                [(account_id, a.id, position, _dump(a)) for position, a in enumerate(account_map.activities)],
            ),
            (
                "INSERT INTO voices (account_id, id, position, data) VALUES (?, ?, ?, ?)",
                [(account_id, v.id, position, _dump(v)) for position, v in enumerate(account_map.voices)],
            ),
        ]
        total = sum(len(rows) for _, rows in batches)
        done = 0
        with self._transaction(write=True) as conn:
            row = conn.execute("SELECT revision, created_at FROM accounts WHERE id = ?", (account_id,)).fetchone()
            check_replace(account_id, None if row is None else int(row[0]), expected_revision)
            if row is None:  # a re-created account goes on from its last recorded revision: revisions never repeat
                last = conn.execute("SELECT MAX(revision) FROM changes WHERE account_id = ?", (account_id,)).fetchone()
                revision = int(last[0] or 0) + 1
            else:
                revision = int(row[0]) + 1
            now = _now()
            created = now if row is None else row[1]
            if row is not None:
                self._copy_live_checkpoint(conn, account_id)
                for table in ("nodes", "edges", "activities", "voices"):
                    conn.execute(f"DELETE FROM {table} WHERE account_id = ?", (account_id,))  # noqa: S608
            conn.execute(
                "INSERT INTO accounts (id, data, revision, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET data = excluded.data, revision = excluded.revision, "
                "updated_at = excluded.updated_at",
                (account_id, _dump(account_map.account), revision, created, now),
            )
            for statement, rows in batches:
                for start in range(0, len(rows), _PROGRESS_BATCH):
                    chunk = rows[start : start + _PROGRESS_BATCH]
                    conn.executemany(statement, chunk)
                    done += len(chunk)
                    if on_progress is not None:
                        on_progress(done, total)
            self._record(conn, account_id, revision, now, change)
        return revision

    def read(self, account_id: str) -> Snapshot:
        # Trusted read, fast path: the rows hold contract JSON that was validated on the way in, so the
        # document is assembled as one JSON text (no per-row parsing in Python) and handed to pydantic's
        # JSON parser in one call: measured 25-30% faster than json.loads per row plus model_validate
        # (docs/benchmarks.md), and faster than building the tree with model_construct.
        with self._transaction(write=False) as conn:
            row = conn.execute("SELECT data, revision, updated_at FROM accounts WHERE id = ?", (account_id,)).fetchone()
            if row is None:
                raise AccountNotFoundError(account_id)
            parts = ['{"account":', row[0]]
            lists: dict[str, list[str]] = {name: [] for name in (*NODE_LISTS.values(), *EDGE_LISTS.values())}
            for kind, data in conn.execute(
                "SELECT kind, data FROM nodes WHERE account_id = ? ORDER BY kind, position", (account_id,)
            ):
                lists[NODE_LISTS[NodeKind(kind)]].append(data)
            for kind, data in conn.execute(
                "SELECT kind, data FROM edges WHERE account_id = ? ORDER BY kind, position", (account_id,)
            ):
                lists[EDGE_LISTS[EdgeKind(kind)]].append(data)
            for name, table in (("activities", "activities"), ("voices", "voices")):
                # ``table`` is one of two literals, never user text.
                lists[name] = [
                    data
                    for (data,) in conn.execute(
                        f"SELECT data FROM {table} WHERE account_id = ? ORDER BY position",  # noqa: S608
                        (account_id,),
                    )
                ]
        for name, items in lists.items():
            parts.extend((f',"{name}":[', ",".join(items), "]"))
        parts.append("}")
        account_map = AccountMap.model_validate_json("".join(parts))
        return Snapshot(account_map, int(row[1]), dt.datetime.fromisoformat(row[2]))

    def list_changes(
        self, account_id: str, *, limit: int = 50, before_revision: int | None = None
    ) -> list[ChangeRecord]:
        with self._transaction(write=False) as conn:
            rows = conn.execute(
                "SELECT revision, at, actor, operation, subject FROM changes "
                "WHERE account_id = ? AND (? IS NULL OR revision < ?) ORDER BY seq DESC LIMIT ?",
                (account_id, before_revision, before_revision, limit),
            ).fetchall()
        return [ChangeRecord(int(r), dt.datetime.fromisoformat(at), a, op, sub) for r, at, a, op, sub in rows]

    def list_accounts(self) -> list[AccountSummary]:
        with self._transaction(write=False) as conn:
            rows = conn.execute(
                "SELECT a.data, a.revision, a.updated_at, "
                "(SELECT COUNT(*) FROM nodes n WHERE n.account_id = a.id AND n.kind = 'stakeholder') "
                "FROM accounts a ORDER BY a.id"
            ).fetchall()
        summaries = []
        for data, revision, updated_at, stakeholders in rows:
            account = Account.model_validate_json(data)
            summaries.append(
                AccountSummary(
                    account.id,
                    account.name,
                    account.industry,
                    int(revision),
                    dt.datetime.fromisoformat(updated_at),
                    int(stakeholders),
                )
            )
        return summaries

    def revision(self, account_id: str) -> int:
        with self._transaction(write=False) as conn:
            row = conn.execute("SELECT revision FROM accounts WHERE id = ?", (account_id,)).fetchone()
        if row is None:
            raise AccountNotFoundError(account_id)
        return int(row[0])

    def delete_account(self, account_id: str, change: Change, *, expected_revision: int | None = None) -> None:
        with self._transaction(write=True) as conn:
            row = conn.execute("SELECT revision FROM accounts WHERE id = ?", (account_id,)).fetchone()
            if row is None:
                raise AccountNotFoundError(account_id)
            if expected_revision is not None and int(row[0]) != expected_revision:
                raise StaleRevisionError(account_id, expected_revision, int(row[0]))
            conn.execute("DELETE FROM accounts WHERE id = ?", (account_id,))
            # The map's history goes with it (the change log stays: who deleted it, and when).
            conn.execute("DELETE FROM history_items WHERE account_id = ?", (account_id,))
            conn.execute("DELETE FROM history_heads WHERE account_id = ?", (account_id,))
            self._record(conn, account_id, int(row[0]) + 1, _now(), replace(change, history=None))

    def update_account(self, account: Account, change: Change, *, expected_revision: int) -> int:
        def apply(conn: sqlite3.Connection) -> None:
            conn.execute("UPDATE accounts SET data = ? WHERE id = ?", (_dump(account), account.id))

        return self._edit(account.id, change, expected_revision, apply)

    def put_node(self, account_id: str, node: Node, change: Change, *, expected_revision: int) -> int:
        return self._edit(account_id, change, expected_revision, lambda conn: self._put_node(conn, account_id, node))

    def _put_node(self, conn: sqlite3.Connection, account_id: str, node: Node) -> None:
        updated = conn.execute(
            "UPDATE nodes SET data = ? WHERE account_id = ? AND kind = ? AND id = ?",
            (_dump(node), account_id, node.kind.value, node.id),
        ).rowcount
        if not updated:
            conn.execute(
                "INSERT INTO nodes (account_id, kind, id, position, data) VALUES (?, ?, ?, ?, ?)",
                (
                    account_id,
                    node.kind.value,
                    node.id,
                    self._next_position(conn, "nodes", account_id, node.kind.value),
                    _dump(node),
                ),
            )

    def put_items(
        self,
        account_id: str,
        items: Sequence[Node | Edge | Activity],
        change: Change,
        *,
        expected_revision: int,
    ) -> int:
        def apply(conn: sqlite3.Connection) -> None:
            for item in items:
                if isinstance(item, Activity):
                    self._put_activity(conn, account_id, item)
                elif isinstance(item.kind, NodeKind):
                    self._put_node(conn, account_id, item)
                else:
                    self._put_edge(conn, account_id, item)

        return self._edit(account_id, change, expected_revision, apply)

    def remove_node(
        self, account_id: str, kind: NodeKind, node_id: str, change: Change, *, expected_revision: int
    ) -> int:
        return self._edit(
            account_id, change, expected_revision, lambda conn: self._remove_node_rows(conn, account_id, kind, node_id)
        )

    def _remove_node_rows(self, conn: sqlite3.Connection, account_id: str, kind: NodeKind, node_id: str) -> None:
        removed = conn.execute(
            "DELETE FROM nodes WHERE account_id = ? AND kind = ? AND id = ?", (account_id, kind.value, node_id)
        ).rowcount
        if not removed:
            raise not_found_for_node(kind, node_id, account_id)
        for edge_kind in EdgeKind:
            if edge_kind.source_kind == kind:
                conn.execute(
                    "DELETE FROM edges WHERE account_id = ? AND kind = ? AND source = ?",
                    (account_id, edge_kind.value, node_id),
                )
            if edge_kind.target_kind == kind:
                conn.execute(
                    "DELETE FROM edges WHERE account_id = ? AND kind = ? AND target = ?",
                    (account_id, edge_kind.value, node_id),
                )
        field = {NodeKind.MEMBER: "members", NodeKind.STAKEHOLDER: "stakeholders"}.get(kind)
        if field is not None:
            self._drop_from_activities(conn, account_id, field, node_id)
        if kind == NodeKind.STAKEHOLDER:  # a voice is raised by a stakeholder: it goes with them
            conn.execute(
                "DELETE FROM voices WHERE account_id = ? AND json_extract(data, '$.stakeholder') = ?",
                (account_id, node_id),
            )

    @staticmethod
    def _drop_from_activities(conn: sqlite3.Connection, account_id: str, field: str, node_id: str) -> None:
        rows = conn.execute("SELECT id, data FROM activities WHERE account_id = ?", (account_id,)).fetchall()
        for activity_id, data in rows:
            activity = json.loads(data)
            ids: Sequence[str] = activity[field]
            if node_id in ids:
                activity[field] = [i for i in ids if i != node_id]
                conn.execute(
                    "UPDATE activities SET data = ? WHERE account_id = ? AND id = ?",
                    (json.dumps(activity, ensure_ascii=False, separators=(",", ":")), account_id, activity_id),
                )

    def put_edge(self, account_id: str, edge: Edge, change: Change, *, expected_revision: int) -> int:
        return self._edit(account_id, change, expected_revision, lambda conn: self._put_edge(conn, account_id, edge))

    def _put_edge(self, conn: sqlite3.Connection, account_id: str, edge: Edge) -> None:
        key = (account_id, edge.kind.value, edge.source, edge.target)
        updated = conn.execute(
            "UPDATE edges SET data = ? WHERE account_id = ? AND kind = ? AND source = ? AND target = ?",
            (_dump(edge), *key),
        ).rowcount
        if not updated:
            conn.execute(
                "INSERT INTO edges (account_id, kind, source, target, position, data) VALUES (?, ?, ?, ?, ?, ?)",
                (*key, self._next_position(conn, "edges", account_id, edge.kind.value), _dump(edge)),
            )

    def remove_edge(
        self, account_id: str, kind: EdgeKind, source: str, target: str, change: Change, *, expected_revision: int
    ) -> int:
        def apply(conn: sqlite3.Connection) -> None:
            removed = conn.execute(
                "DELETE FROM edges WHERE account_id = ? AND kind = ? AND source = ? AND target = ?",
                (account_id, kind.value, source, target),
            ).rowcount
            if not removed:
                raise not_found_for_edge(kind, source, target, account_id)

        return self._edit(account_id, change, expected_revision, apply)

    def put_activity(self, account_id: str, activity: Activity, change: Change, *, expected_revision: int) -> int:
        return self._edit(
            account_id, change, expected_revision, lambda conn: self._put_activity(conn, account_id, activity)
        )

    def _put_activity(self, conn: sqlite3.Connection, account_id: str, activity: Activity) -> None:
        updated = conn.execute(
            "UPDATE activities SET data = ? WHERE account_id = ? AND id = ?",
            (_dump(activity), account_id, activity.id),
        ).rowcount
        if not updated:
            conn.execute(
                "INSERT INTO activities (account_id, id, position, data) VALUES (?, ?, ?, ?)",
                (account_id, activity.id, self._next_position(conn, "activities", account_id), _dump(activity)),
            )

    def remove_activity(self, account_id: str, activity_id: str, change: Change, *, expected_revision: int) -> int:
        def apply(conn: sqlite3.Connection) -> None:
            removed = conn.execute(
                "DELETE FROM activities WHERE account_id = ? AND id = ?", (account_id, activity_id)
            ).rowcount
            if not removed:
                raise ActivityNotFoundError(activity_id, account_id)
            # Voices heard at the activity keep everything but the reference.
            conn.execute(
                "UPDATE voices SET data = json_set(data, '$.activity', json('null')) "
                "WHERE account_id = ? AND json_extract(data, '$.activity') = ?",
                (account_id, activity_id),
            )

        return self._edit(account_id, change, expected_revision, apply)

    # -- history ---------------------------------------------------------------------------------

    def revision_at(self, account_id: str, moment: dt.datetime) -> int | None:
        at = moment.astimezone(dt.UTC).isoformat(timespec="microseconds")
        with self._transaction(write=False) as conn:
            row = conn.execute(
                "SELECT revision FROM changes WHERE account_id = ? AND at <= ? ORDER BY seq DESC LIMIT 1",
                (account_id, at),
            ).fetchone()
        return None if row is None else int(row[0])

    def history_rows(self, account_id: str, revision: int) -> HistoryRows | None:
        with self._transaction(write=False) as conn:
            (checkpoint,) = conn.execute(
                "SELECT MAX(revision) FROM history_heads WHERE account_id = ? AND checkpoint = 1 AND revision <= ?",
                (account_id, revision),
            ).fetchone()
            if checkpoint is None:
                return None
            base = [
                _entry(name, key, None, after)
                for name, key, after in conn.execute(
                    "SELECT list, key, after FROM history_items "
                    "WHERE account_id = ? AND revision = ? AND checkpoint = 1 ORDER BY seq",
                    (account_id, checkpoint),
                )
            ]
            deltas: dict[int, list[Entry]] = {}
            # Rebuilding needs only whether an item was there before, not what it was: skip parsing it.
            for rev, name, key, had, after in conn.execute(
                "SELECT revision, list, key, before IS NOT NULL, after FROM history_items "
                "WHERE account_id = ? AND checkpoint = 0 AND revision > ? AND revision <= ? ORDER BY revision, seq",
                (account_id, checkpoint, revision),
            ):
                entry = Entry(name, tuple(json.loads(key)), WAS_THERE if had else None, _loads_or_none(after))
                deltas.setdefault(int(rev), []).append(entry)
            heads = [
                int(r)
                for (r,) in conn.execute(
                    "SELECT revision FROM history_heads WHERE account_id = ? AND revision > ? AND revision <= ?",
                    (account_id, checkpoint, revision),
                )
            ]
        return HistoryRows(int(checkpoint), base, sorted(deltas.items()), heads)

    def history_since_checkpoint(self, account_id: str) -> tuple[int | None, int]:
        with self._transaction(write=False) as conn:
            (checkpoint,) = conn.execute(
                "SELECT MAX(revision) FROM history_heads WHERE account_id = ? AND checkpoint IN (1, ?)",
                (account_id, LIVE_CHECKPOINT),
            ).fetchone()
            (items,) = conn.execute(
                "SELECT COALESCE(SUM(items), 0) FROM history_heads WHERE account_id = ? AND revision > ?",
                (account_id, -1 if checkpoint is None else checkpoint),
            ).fetchone()
        return (None if checkpoint is None else int(checkpoint)), int(items)

    def write_checkpoint(self, account_id: str, revision: int, entries: Sequence[Entry]) -> None:
        with self._transaction(write=True) as conn:
            conn.execute(
                "DELETE FROM history_items WHERE account_id = ? AND revision = ? AND checkpoint = 1",
                (account_id, revision),
            )
            _insert_items(conn, account_id, revision, 1, entries)
            conn.execute(
                "INSERT INTO history_heads (account_id, revision, items, checkpoint) VALUES (?, ?, 0, 1) "
                "ON CONFLICT (account_id, revision) DO UPDATE SET checkpoint = 1",
                (account_id, revision),
            )

    def prune_history(self, account_id: str, keep_from: int) -> int:
        with self._transaction(write=True) as conn:
            gone = conn.execute(
                "DELETE FROM history_items WHERE account_id = ? "
                "AND (revision < ? OR (revision = ? AND checkpoint = 0))",
                (account_id, keep_from, keep_from),
            ).rowcount
            gone += conn.execute(
                "DELETE FROM history_heads WHERE account_id = ? AND revision < ?", (account_id, keep_from)
            ).rowcount
            gone += conn.execute(
                "DELETE FROM changes WHERE account_id = ? AND revision < ?", (account_id, keep_from)
            ).rowcount
        return int(gone)

    # -- voices and the roadmap ------------------------------------------------------------------

    def put_voice(self, account_id: str, voice: Voice, change: Change, *, expected_revision: int) -> int:
        def apply(conn: sqlite3.Connection) -> None:
            self._check_roadmap_ids(conn, voice.roadmap)
            updated = conn.execute(
                "UPDATE voices SET data = ? WHERE account_id = ? AND id = ?", (_dump(voice), account_id, voice.id)
            ).rowcount
            if not updated:
                conn.execute(
                    "INSERT INTO voices (account_id, id, position, data) VALUES (?, ?, ?, ?)",
                    (account_id, voice.id, self._next_position(conn, "voices", account_id), _dump(voice)),
                )

        return self._edit(account_id, change, expected_revision, apply)

    @staticmethod
    def _check_roadmap_ids(conn: sqlite3.Connection, item_ids: Sequence[str]) -> None:
        """Refuse (as a conflict, so the service retries) references to items removed meanwhile."""
        for item_id in item_ids:
            if conn.execute("SELECT 1 FROM roadmap WHERE id = ?", (item_id,)).fetchone() is None:
                raise ConflictError(f"roadmap item {item_id!r} was removed meanwhile; read the roadmap again and retry")

    def remove_voice(self, account_id: str, voice_id: str, change: Change, *, expected_revision: int) -> int:
        def apply(conn: sqlite3.Connection) -> None:
            removed = conn.execute(
                "DELETE FROM voices WHERE account_id = ? AND id = ?", (account_id, voice_id)
            ).rowcount
            if not removed:
                raise VoiceNotFoundError(voice_id, account_id)

        return self._edit(account_id, change, expected_revision, apply)

    def read_roadmap(self) -> Roadmap:
        return self.read_roadmap_at()[0]

    def read_roadmap_at(self) -> tuple[Roadmap, int]:
        with self._transaction(write=False) as conn:
            rows = conn.execute("SELECT data FROM roadmap ORDER BY position").fetchall()
            revision = self._roadmap_revision(conn)
        return Roadmap.model_validate({"items": [json.loads(data) for (data,) in rows]}), revision

    def roadmap_revision(self) -> int:
        with self._transaction(write=False) as conn:
            return self._roadmap_revision(conn)

    @staticmethod
    def _roadmap_revision(conn: sqlite3.Connection) -> int:
        # The last entry's, or (once retention pruned the log) the revision it had then (meta).
        row = conn.execute(
            "SELECT MAX(revision) FROM (SELECT revision FROM roadmap_changes UNION ALL "
            "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'roadmap_revision')"
        ).fetchone()
        return 0 if row[0] is None else int(row[0])

    def prune_roadmap_changes(self, before: dt.datetime) -> int:
        cutoff = before.astimezone(dt.UTC).isoformat(timespec="microseconds")
        with self._transaction(write=True) as conn:
            revision = self._roadmap_revision(conn)
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('roadmap_revision', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(revision),),
            )
            return int(conn.execute("DELETE FROM roadmap_changes WHERE at < ?", (cutoff,)).rowcount)

    def list_roadmap_changes(self, *, limit: int = 50, before_revision: int | None = None) -> list[ChangeRecord]:
        with self._transaction(write=False) as conn:
            rows = conn.execute(
                "SELECT revision, at, actor, operation, subject FROM roadmap_changes "
                "WHERE ? IS NULL OR revision < ? ORDER BY revision DESC LIMIT ?",
                (before_revision, before_revision, limit),
            ).fetchall()
        return [ChangeRecord(int(r), dt.datetime.fromisoformat(at), a, o, s) for r, at, a, o, s in rows]

    @contextmanager
    def _roadmap_write(self, change: Change, expected_revision: int | None) -> Iterator[tuple[sqlite3.Connection, int]]:
        """One write transaction of the roadmap: check its revision, yield (conn, new revision), record the change."""
        with self._transaction(write=True) as conn:
            current = self._roadmap_revision(conn)
            if expected_revision is not None and current != expected_revision:
                raise StaleRoadmapError(expected_revision, current)
            yield conn, current + 1
            conn.execute(
                "INSERT INTO roadmap_changes (revision, at, actor, operation, subject) VALUES (?, ?, ?, ?, ?)",
                (current + 1, _now(), change.actor, change.operation, change.subject),
            )

    def put_roadmap(
        self, roadmap: Roadmap, change: Change, *, detach: bool = False, expected_revision: int | None = None
    ) -> int:
        keep = {item.id for item in roadmap.items}
        with self._roadmap_write(change, expected_revision) as (conn, revision):
            gone = [item_id for (item_id,) in conn.execute("SELECT id FROM roadmap") if item_id not in keep]
            self._release_items(conn, gone, change, detach=detach)
            conn.execute("DELETE FROM roadmap")
            conn.executemany(
                "INSERT INTO roadmap (id, position, data) VALUES (?, ?, ?)",
                [(item.id, position, _dump(item)) for position, item in enumerate(roadmap.items)],
            )
        return revision

    def put_roadmap_item(self, item: RoadmapItem, change: Change, *, expected_revision: int | None = None) -> int:
        with self._roadmap_write(change, expected_revision) as (conn, revision):
            updated = conn.execute("UPDATE roadmap SET data = ? WHERE id = ?", (_dump(item), item.id)).rowcount
            if not updated:
                row = conn.execute("SELECT MAX(position) FROM roadmap").fetchone()
                position = 0 if row[0] is None else int(row[0]) + 1
                conn.execute(
                    "INSERT INTO roadmap (id, position, data) VALUES (?, ?, ?)", (item.id, position, _dump(item))
                )
        return revision

    def remove_roadmap_item(
        self, item_id: str, change: Change, *, detach: bool = False, expected_revision: int | None = None
    ) -> int:
        with self._roadmap_write(change, expected_revision) as (conn, revision):
            if conn.execute("SELECT 1 FROM roadmap WHERE id = ?", (item_id,)).fetchone() is None:
                raise RoadmapItemNotFoundError(item_id)
            self._release_items(conn, [item_id], change, detach=detach)
            conn.execute("DELETE FROM roadmap WHERE id = ?", (item_id,))
        return revision

    def _release_items(
        self, conn: sqlite3.Connection, item_ids: Sequence[str], change: Change, *, detach: bool
    ) -> None:
        """Refuse to drop items voices still name, or (``detach``) take the ids out of those voices."""
        if not item_ids:
            return
        marks = ",".join("?" * len(item_ids))
        users = conn.execute(
            "SELECT DISTINCT v.account_id, v.id, v.data FROM voices v, json_each(v.data, '$.roadmap') j "  # noqa: S608
            f"WHERE j.value IN ({marks}) ORDER BY v.account_id, v.position",
            tuple(item_ids),
        ).fetchall()
        if not users:
            return
        if not detach:
            named = sorted({i for _, _, data in users for i in json.loads(data)["roadmap"] if i in set(item_ids)})
            raise RoadmapItemInUseError(named, [(account, voice) for account, voice, _ in users])
        now = _now()
        touched: dict[str, list[str]] = {}
        entries: dict[str, list[Entry]] = {}
        for account in {account for account, _, _ in users}:
            self._copy_live_checkpoint(conn, account)
        for account, voice_id, data in users:
            entry = detached_entry(json.loads(data), item_ids)
            conn.execute(
                "UPDATE voices SET data = ? WHERE account_id = ? AND id = ?",
                (json.dumps(entry.after, ensure_ascii=False, separators=(",", ":")), account, voice_id),
            )
            touched.setdefault(account, []).append(voice_id)
            entries.setdefault(account, []).append(entry)
        for account, voice_ids in touched.items():
            (revision,) = conn.execute(
                "UPDATE accounts SET revision = revision + 1, updated_at = ? WHERE id = ? RETURNING revision",
                (now, account),
            ).fetchone()
            subject = f"{', '.join(item_ids)} from voices {', '.join(voice_ids)}"
            detached = Change(change.actor, "detach roadmap items", subject, history=Delta(tuple(entries[account])))
            self._record(conn, account, int(revision), now, detached)

    def ping(self) -> None:
        with self._transaction(write=False) as conn:
            conn.execute("SELECT 1 FROM meta LIMIT 1").fetchall()

    # -- API keys --------------------------------------------------------------------------------

    def add_key(self, key: ApiKey) -> None:
        accounts = None if key.accounts is None else json.dumps(list(key.accounts), ensure_ascii=False)
        with self._transaction(write=True) as conn:
            try:
                conn.execute(
                    "INSERT INTO api_keys (name, role, accounts, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                    (key.name, key.role.value, accounts, key.token_hash, key.created_at.isoformat()),
                )
            except sqlite3.IntegrityError as error:
                raise ConflictError(f"an API key named {key.name!r} already exists") from error

    def find_key(self, token_hash: str) -> ApiKey | None:
        with self._transaction(write=False) as conn:
            row = conn.execute(
                "SELECT name, role, accounts, token_hash, created_at FROM api_keys WHERE token_hash = ?", (token_hash,)
            ).fetchone()
        return None if row is None else _key(row)

    def list_keys(self) -> list[ApiKey]:
        with self._transaction(write=False) as conn:
            rows = conn.execute(
                "SELECT name, role, accounts, token_hash, created_at FROM api_keys ORDER BY name"
            ).fetchall()
        return [_key(row) for row in rows]

    def revoke_key(self, name: str) -> None:
        with self._transaction(write=True) as conn:
            if not conn.execute("DELETE FROM api_keys WHERE name = ?", (name,)).rowcount:
                raise KeyNotFoundError(name)

    # -- personal data (issue 11) ----------------------------------------------------------------------

    def erase_stakeholder(
        self, account_id: str, stakeholder_id: str, change: Change, *, fingerprint: str, expected_revision: int
    ) -> int:
        def apply(conn: sqlite3.Connection) -> None:
            self._remove_node_rows(conn, account_id, NodeKind.STAKEHOLDER, stakeholder_id)
            self._forget_in_history(conn, account_id, stakeholder_id)
            (revision,) = conn.execute("SELECT revision FROM accounts WHERE id = ?", (account_id,)).fetchone()
            conn.execute(
                "INSERT INTO erasures (account_id, revision, at, actor, fingerprint) VALUES (?, ?, ?, ?, ?)",
                (account_id, int(revision) + 1, _now(), change.actor, fingerprint),
            )

        revision = self._edit(account_id, change, expected_revision, apply)
        self.scrub_files()
        return revision

    @staticmethod
    def _forget_in_history(conn: sqlite3.Connection, account_id: str, stakeholder_id: str) -> None:
        """Make every recorded change of the account stop naming the stakeholder."""
        rows = conn.execute("SELECT seq, subject FROM changes WHERE account_id = ?", (account_id,)).fetchall()
        for seq, subject in rows:
            if subject_names(subject, stakeholder_id):
                conn.execute("UPDATE changes SET subject = '' WHERE seq = ?", (seq,))
        _forget_in_history_items(conn, account_id, stakeholder_id)

    def scrub_files(self) -> None:
        """Leave no readable copy of deleted data in the file or its WAL: rebuild, then truncate the WAL.

        ``secure_delete`` zeroes what a delete frees, but an index's inner pages may still hold a copy
        of a deleted key, and rows freed before ``secure_delete`` was on stay in free pages; ``VACUUM``
        rewrites the database from its live rows only. The WAL then holds the old pages until a
        checkpoint copies them back and ``TRUNCATE`` empties it. A reader that keeps the WAL busy makes
        the checkpoint fail; that is reported, never hidden.
        """
        with self._pool.connection() as conn:
            try:
                conn.execute("VACUUM")
                busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except sqlite3.OperationalError as error:
                raise StoreUnavailableError(
                    f"the data is deleted, but the SQLite file could not be rewritten yet ({error}); "
                    "run `powermap db scrub` when no other process uses the store"
                ) from error
            if busy:
                raise StoreUnavailableError(
                    "the data is deleted, but another process is reading the SQLite store, so its WAL could not "
                    "be emptied yet; run `powermap db scrub` when no other process uses the store"
                )

    def change_log_accounts(self) -> list[str]:
        with self._transaction(write=False) as conn:
            return [row[0] for row in conn.execute("SELECT DISTINCT account_id FROM changes ORDER BY account_id")]

    def erasure_salt(self) -> bytes:
        # Read first: a store that already has its salt answers without a write (a person's export needs it,
        # and may run on a read-only file). The first writers race on INSERT OR IGNORE: one salt is kept, and
        # each reads back the one kept, in its own write transaction.
        select = "SELECT value FROM meta WHERE key = 'erasure_salt'"
        with self._transaction(write=False) as conn:
            row = conn.execute(select).fetchone()
        if row is None:
            candidate = secrets.token_hex(32)
            with self._transaction(write=True) as conn:
                conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('erasure_salt', ?)", (candidate,))
                row = conn.execute(select).fetchone()
        return bytes.fromhex(row[0])

    def erasures(self, account_id: str) -> list[Erasure]:
        with self._transaction(write=False) as conn:
            rows = conn.execute(
                "SELECT revision, at, actor, fingerprint FROM erasures WHERE account_id = ? ORDER BY seq",
                (account_id,),
            ).fetchall()
        return [Erasure(account_id, int(r), dt.datetime.fromisoformat(at), actor, f) for r, at, actor, f in rows]

    def close(self) -> None:
        self._pool.close()


def _forget_in_history_items(conn: sqlite3.Connection, account_id: str, stakeholder_id: str) -> None:
    """Forget the stakeholder in every delta and checkpoint of the account (same rule as the live map)."""
    rows = conn.execute(
        "SELECT revision, checkpoint, seq, list, key, before, after FROM history_items WHERE account_id = ?",
        (account_id,),
    ).fetchall()
    for revision, checkpoint, seq, name, key, before, after in rows:
        where = (account_id, revision, checkpoint, seq)
        entry = _entry(name, key, before, after)
        forgotten = forget_entry(entry, stakeholder_id, checkpoint=bool(checkpoint))
        if forgotten is None:
            conn.execute(
                "DELETE FROM history_items WHERE account_id = ? AND revision = ? AND checkpoint = ? AND seq = ?", where
            )
        elif forgotten != entry:
            conn.execute(
                "UPDATE history_items SET before = ?, after = ? "
                "WHERE account_id = ? AND revision = ? AND checkpoint = ? AND seq = ?",
                (_json_or_null(forgotten.before), _json_or_null(forgotten.after), *where),
            )


def _insert_items(
    conn: sqlite3.Connection, account_id: str, revision: int, checkpoint: int, entries: Sequence[Entry]
) -> None:
    conn.executemany(
        "INSERT INTO history_items (account_id, revision, checkpoint, seq, list, key, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                account_id,
                revision,
                checkpoint,
                seq,
                e.list,
                _json(list(e.key)),
                _json_or_null(e.before),
                _json_or_null(e.after),
            )
            for seq, e in enumerate(entries)
        ),
    )


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json_or_null(value: Any) -> str | None:
    return None if value is None else _json(value)


def _loads_or_none(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _entry(name: str, key: str, before: str | None, after: str | None) -> Entry:
    return Entry(name, tuple(json.loads(key)), _loads_or_none(before), _loads_or_none(after))


def _key(row: Sequence[Any]) -> ApiKey:
    name, role, accounts, token_hash, created_at = row
    return ApiKey(
        name=name,
        role=role,
        accounts=None if accounts is None else tuple(json.loads(accounts)),
        token_hash=token_hash,
        created_at=dt.datetime.fromisoformat(created_at),
    )
