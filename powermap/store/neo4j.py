"""The shared store: account maps in a Neo4j server, behind the same interface as the embedded one.

Layout. Every account is an ``(:Account {id})`` node that points, by its ``scope`` property, at the
live *version* of its map. Every node of a map (``:Stakeholder``, ``:Member``, ``:Competitor``,
``:Activity``, all also ``:Scoped``) carries that version's ``scope`` and its ``account`` id, and
every query starts from the account, so no query of one account can touch another.

Atomic import, at any size: a new version is *staged* under a fresh scope in ``UNWIND $rows``
batches (one transaction each, with progress), then made live by one small transaction that swaps
the account's scope. The replaced version is marked ``garbage`` and deleted in batches afterwards. A
process killed mid-import leaves the live version untouched; its staged rows are collected later
(stale ``staging`` scopes, after an hour). Fine-grained edits run in one managed transaction that
first locks the account and checks its revision (see :mod:`powermap.store.base`); transient errors
are retried by the driver.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import secrets
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from neo4j import READ_ACCESS, Driver, GraphDatabase, ManagedTransaction, Record
from neo4j import exceptions as neo4j_errors

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
from powermap.model.diff import Entry
from powermap.model.keys import ApiKey
from powermap.settings import Settings, get_settings
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
)
from powermap.store.history import (
    CHUNK_ENTRIES,
    Delta,
    HistoryRows,
    chunked,
    detached_entry,
    forget_entry,
    unchunked,
)
from powermap.store.queries import (
    IMPORT_EDGES,
    IMPORT_NODES,
    PUT_EDGE,
    PUT_NODE,
    REMOVE_EDGE,
    REMOVE_NODE,
    SCHEMA,
    Q,
    cypher,
)

_T = TypeVar("_T")
logger = logging.getLogger(__name__)
#: Nodes deleted per transaction: small enough for a 512 MiB heap on maps of 100k stakeholders.
DELETE_BATCH = 2_000
_INTERNAL = ("scope", "account", "ord")
#: A revision past any real one ("no upper bound" for the history queries).
_NO_REVISION = 2**62


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _node_props(node: Node | Activity | Voice | RoadmapItem) -> dict[str, Any]:
    props: dict[str, Any] = node.model_dump(mode="json", by_alias=True)
    return props


def _edge_props(edge: Edge) -> dict[str, Any]:
    """A line's own properties: everything but its two ends (which are the graph's endpoints).

    None stays in: ``SET r += $props`` must clear a property that an edit removed.
    """
    props: dict[str, Any] = edge.model_dump(mode="json", exclude={"source", "target"})
    return props


def _put_node(tx: ManagedTransaction, scope: str, account_id: str, node: Node) -> None:
    tx.run(cypher(PUT_NODE[node.kind]), scope=scope, account=account_id, props=_node_props(node)).consume()


def _put_edge(tx: ManagedTransaction, scope: str, account_id: str, edge: Edge) -> None:
    record = tx.run(
        cypher(PUT_EDGE[edge.kind]), scope=scope, source=edge.source, target=edge.target, props=_edge_props(edge)
    ).single()
    if record is None:  # an end is missing: the service validates first, so only a race gets here
        raise not_found_for_edge(edge.kind, edge.source, edge.target, account_id)


def _put_activity(tx: ManagedTransaction, scope: str, account_id: str, activity: Activity) -> None:
    tx.run(cypher(Q.PUT_ACTIVITY), scope=scope, account=account_id, props=_node_props(activity)).consume()


def _forget_in_history_chunks(tx: ManagedTransaction, account_id: str, stakeholder_id: str) -> None:
    """Forget the stakeholder in every delta and checkpoint of the account (same rule as the live map)."""
    rows = []
    for record in tx.run(cypher(Q.ACCOUNT_HISTORY_CHUNKS), account=account_id):
        entries = unchunked(record["entries"])
        kept = [
            e for e in (forget_entry(e, stakeholder_id, checkpoint=bool(record["checkpoint"])) for e in entries) if e
        ]
        if kept != entries:
            rows.append({"chunk": record["chunk"], "entries": [e.dumps() for e in kept]})
    if rows:
        tx.run(cypher(Q.REWRITE_HISTORY_CHUNKS), rows=rows).consume()


def _record_history(
    tx: ManagedTransaction, account_id: str, revision: int, delta: Delta, chunks: list[dict[str, Any]]
) -> None:
    tx.run(
        cypher(Q.RECORD_HISTORY),
        account=account_id,
        revision=revision,
        items=len(delta.entries),
        checkpoint=delta.keeps_map,
        chunks=chunks,
    ).consume()


def _change_records(records: Sequence[Mapping[str, Any]]) -> list[ChangeRecord]:
    return [
        ChangeRecord(
            int(r["revision"]), dt.datetime.fromisoformat(r["at"]), r["actor"], r["operation"], r["subject"] or ""
        )
        for r in records
    ]


def _clean(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in _INTERNAL}


class Neo4jTarget:
    """Where a Neo4j URL points: address, credentials, database, and how to name it in messages (no I/O)."""

    def __init__(self, url: str, settings: Settings) -> None:
        parts = urlsplit(url)
        self.user = unquote(parts.username) if parts.username else settings.neo4j_user
        self.password = unquote(parts.password) if parts.password else settings.neo4j_password.get_secret_value()
        self.database = parts.path.strip("/") or settings.neo4j_database or None
        host = parts.hostname or "localhost"
        self.address = f"{parts.scheme}://{f'[{host}]' if ':' in host else host}:{parts.port or 7687}"
        self.where = f"Neo4j at {self.address}" + (f" (database {self.database!r})" if self.database else "")


def connect(url: str, settings: Settings | None = None) -> Driver:
    """The driver for a Neo4j URL: create it once per process and hand it to every :class:`Neo4jStore`.

    Creating a driver opens no connection (the first query does); it is closed when the process exits,
    or earlier by whoever created it (``driver.close()``, e.g. at the end of a FastAPI lifespan).
    """
    target = Neo4jTarget(url, settings or get_settings())
    try:
        driver = GraphDatabase.driver(
            target.address,
            auth=(target.user, target.password) if target.password else None,
            notifications_min_severity="OFF",
        )
    except neo4j_errors.ConfigurationError as error:
        raise StoreError(f"bad Neo4j URL or settings: {error}") from error
    atexit.register(driver.close)
    return driver


class Neo4jStore(Store):
    """Account maps in a Neo4j 5 server (``bolt://`` or ``neo4j://`` URLs), over a driver made by :func:`connect`.

    The constructor does no I/O: schema set-up (:meth:`initialize`) and garbage collection
    (:meth:`collect_garbage`) are explicit steps; :func:`powermap.store.open_store` runs both.
    :meth:`close` leaves the driver open when it was given one (its creator closes it).
    """

    def __init__(self, url: str, *, driver: Driver | None = None, settings: Settings | None = None) -> None:
        settings = settings or get_settings()
        target = Neo4jTarget(url, settings)
        self.url = url
        self.database = target.database
        self._batch = settings.import_batch_size
        self._where = target.where
        self._owns_driver = driver is None
        self._driver = driver if driver is not None else connect(url, settings)

    # -- plumbing --------------------------------------------------------------------------------

    @contextmanager
    def _translate(self) -> Iterator[None]:
        """Turn driver errors into powermap errors a person can act on."""
        try:
            yield
        except neo4j_errors.AuthError as error:
            raise StoreError(
                f"{self._where} refused the credentials: check the user and password "
                "(POWERMAP_NEO4J_USER, POWERMAP_NEO4J_PASSWORD or the URL)"
            ) from error
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as error:
            raise StoreUnavailableError(f"cannot reach {self._where}: is the server running? ({error})") from error
        except neo4j_errors.ClientError as error:
            if error.code == "Neo.ClientError.Security.AuthenticationRateLimit":
                raise StoreError(
                    f"{self._where} locked the user after too many wrong passwords: wait a few seconds, then "
                    "check the password (POWERMAP_NEO4J_PASSWORD or the URL)"
                ) from error
            if error.code and "DatabaseNotFound" in error.code:
                raise StoreError(f"{self._where}: the database does not exist") from error
            raise StoreError(f"{self._where} refused a query: {error.message}") from error
        except neo4j_errors.ConfigurationError as error:
            raise StoreError(f"bad Neo4j URL or settings: {error}") from error
        except neo4j_errors.Neo4jError as error:
            raise StoreError(f"{self._where} failed: {error.message}") from error
        except neo4j_errors.DriverError as error:
            raise StoreError(f"{self._where}: {error}") from error

    def _write(self, work: Callable[[ManagedTransaction], _T]) -> _T:
        with self._translate(), self._driver.session(database=self.database) as session:
            return session.execute_write(work)

    def _read(self, work: Callable[[ManagedTransaction], _T]) -> _T:
        with self._translate(), self._driver.session(database=self.database) as session:
            return session.execute_read(work)

    def _read_record(self, query: Q, **parameters: Any) -> Record | None:
        """The one record of a single-statement read, as an auto-commit query.

        One Bolt round trip, where a managed transaction costs two (begin and run, then commit): this is
        the per-request freshness check of the API's cached answers, where that round trip is most of the
        request (docs/benchmarks.md). A single statement is atomic on its own. Auto-commit queries are not
        retried by the driver, so an error the driver calls retryable (e.g. a cluster member going away)
        falls back to the managed, retried read.
        """
        session = self._driver.session(database=self.database, default_access_mode=READ_ACCESS)
        with self._translate(), session:
            try:
                return session.run(cypher(query), parameters).single()
            except neo4j_errors.Neo4jError as error:
                if not error.is_retryable():
                    raise
            except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired):
                pass
        return self._read(lambda tx: tx.run(cypher(query), parameters).single())

    def _edit(
        self,
        account_id: str,
        change: Change,
        expected_revision: int | None,
        apply: Callable[[ManagedTransaction, str], object],
    ) -> int:
        """Lock the account, check its revision, apply, record: one managed transaction."""

        def work(tx: ManagedTransaction) -> int:
            now = _now()
            record = tx.run(cypher(Q.LOCK_ACCOUNT), account=account_id, now=now).single()
            if record is None:
                raise AccountNotFoundError(account_id)
            previous, scope = int(record["previous"]), str(record["scope"])
            if expected_revision is not None and previous != expected_revision:
                raise StaleRevisionError(account_id, expected_revision, int(previous))
            apply(tx, scope)
            tx.run(
                cypher(Q.RECORD_CHANGE),
                account=account_id,
                revision=previous + 1,
                now=now,
                actor=change.actor,
                operation=change.operation,
                subject=change.subject,
            ).consume()
            if change.history is not None:
                delta = change.history
                chunks = chunked(delta.entries, checkpoint=False)
                if delta.keeps_map:
                    chunks += chunked(delta.checkpoint or (), checkpoint=True)
                _record_history(tx, account_id, previous + 1, delta, chunks)
            return previous + 1

        return self._write(work)

    # -- Store -----------------------------------------------------------------------------------

    def initialize(self) -> None:
        with self._translate(), self._driver.session(database=self.database) as session:
            for name in SCHEMA:
                session.run(cypher(name)).consume()

    def collect_garbage(self) -> int:
        """Delete replaced, deleted and abandoned map versions; returns how many nodes went.

        Replaced versions are deleted right after the write that replaced them; this sweeps what that
        could not finish and what a killed import left behind (``staging`` versions over an hour old).
        """
        scopes = self._read(lambda tx: [r["scope"] for r in tx.run(cypher(Q.DEAD_SCOPES))])
        return sum(self._delete_scope(scope) for scope in scopes)

    def _delete_scope(self, scope: str) -> int:
        total = self._delete_in_batches(Q.DELETE_SCOPE_BATCH, scope=scope)
        self._write(lambda tx: tx.run(cypher(Q.FORGET_SCOPE), scope=scope).consume())
        return total

    def _delete_in_batches(self, query: Q, **parameters: Any) -> int:
        """Run a batched delete (``query`` deletes at most ``$limit`` and returns ``deleted``) until a batch
        comes back short: one transaction per batch, so none holds a whole account's worth; returns the total."""
        total = 0
        while True:
            deleted = self._write(
                lambda tx: int(tx.run(cypher(query), parameters, limit=DELETE_BATCH).single(strict=True)["deleted"])
            )
            total += deleted
            if deleted < DELETE_BATCH:
                return total

    def put_map(
        self,
        account_map: AccountMap,
        change: Change,
        *,
        on_progress: ProgressCallback | None = None,
        expected_revision: int | None = None,
    ) -> int:
        account_id = account_map.account.id
        if expected_revision is not None:  # fail fast, before staging; checked again, atomically, at the swap
            check_replace(account_id, self._revision_or_none(account_id), expected_revision)
        scope = uuid.uuid4().hex
        batches: list[tuple[Q, list[dict[str, Any]]]] = []
        for kind in NodeKind:
            rows = [{"ord": i, "props": _node_props(n)} for i, n in enumerate(account_map.nodes(kind))]
            batches.append((IMPORT_NODES[kind], rows))
        for edge_kind in EdgeKind:
            rows = [
                {"ord": i, "source": e.source, "target": e.target, "props": _edge_props(e)}
                for i, e in enumerate(account_map.edges(edge_kind))
            ]
            batches.append((IMPORT_EDGES[edge_kind], rows))
        batches.append(
            (Q.IMPORT_ACTIVITIES, [{"ord": i, "props": _node_props(a)} for i, a in enumerate(account_map.activities)])
        )
        batches.append(
            (Q.IMPORT_VOICES, [{"ord": i, "props": _node_props(v)} for i, v in enumerate(account_map.voices)])
        )
        delta = change.history
        if delta is not None:  # the import's history is staged with its map version (see stage_history)
            chunks = chunked(delta.entries, checkpoint=False)
            if delta.keeps_map:
                chunks += chunked(delta.checkpoint or (), checkpoint=True)
            batches.append((Q.STAGE_HISTORY, chunks))
        total = sum(len(rows) for _, rows in batches)
        done = 0

        self._write(lambda tx: tx.run(cypher(Q.STAGE_SCOPE), scope=scope, account=account_id).consume())
        try:
            for query, rows in batches:
                for start in range(0, len(rows), self._batch):
                    chunk = rows[start : start + self._batch]
                    self._write(
                        lambda tx, q=query, c=chunk: tx.run(  # type: ignore[misc]
                            cypher(q), rows=c, chunks=c, scope=scope, account=account_id
                        ).consume()
                    )
                    done += len(chunk)
                    if on_progress is not None:
                        on_progress(done, total)
            account_props = account_map.account.model_dump(mode="json", exclude={"id"})

            def swap(tx: ManagedTransaction) -> tuple[int, str | None]:
                check = tx.run(cypher(Q.CHECK_IMPORT), account=account_id).single(strict=True)
                record = tx.run(
                    cypher(Q.SWAP_SCOPE),
                    account=account_id,
                    scope=scope,
                    props=account_props,
                    now=_now(),
                    actor=change.actor,
                    operation=change.operation,
                    subject=change.subject,
                    start=int(check["last"] or 0),
                ).single()
                if record is None:
                    raise StoreError(f"the import of {account_id!r} was abandoned and collected before it finished")
                revision, previous = int(record["revision"]), record["previous"]
                # The swap locked the account: a broken precondition rolls this transaction back.
                check_replace(account_id, None if previous is None else revision - 1, expected_revision)
                if delta is not None:
                    tx.run(cypher(Q.COMMIT_HISTORY), scope=scope, revision=revision).consume()
                    _record_history(tx, account_id, revision, delta, [])
                return revision, previous

            revision, previous = self._write(swap)
        except BaseException:
            self._try_delete_scope(scope)
            raise
        if previous is not None:
            self._try_delete_scope(previous)
        return revision

    def _try_delete_scope(self, scope: str) -> None:
        """Best-effort clean-up; whatever is left is collected by :meth:`collect_garbage`."""
        with suppress(StoreError):
            self._delete_scope(scope)

    def read(self, account_id: str) -> Snapshot:
        def work(tx: ManagedTransaction) -> dict[str, list[dict[str, Any]]]:
            rows: dict[str, list[dict[str, Any]]] = {}
            for record in tx.run(cypher(Q.READ_MAP), account=account_id):
                rows.setdefault(record["kind"], []).append(record["item"])
            return rows

        rows = self._read(work)
        if "account" not in rows:
            raise AccountNotFoundError(account_id)
        account = rows["account"][0]
        document: dict[str, Any] = {
            "account": {k: v for k, v in account.items() if k not in {"revision", "updated_at"} and v is not None}
        }
        for name in (*NODE_LISTS.values(), *EDGE_LISTS.values(), "activities", "voices"):
            items = sorted(rows.get(name, ()), key=lambda item: int(item["ord"]))
            document[name] = [_clean(item) for item in items]
        return Snapshot(
            AccountMap.model_validate(document),
            int(account["revision"]),
            dt.datetime.fromisoformat(account["updated_at"]),
        )

    def list_changes(
        self, account_id: str, *, limit: int = 50, before_revision: int | None = None
    ) -> list[ChangeRecord]:
        records = self._read(
            lambda tx: list(tx.run(cypher(Q.LIST_CHANGES), account=account_id, limit=limit, before=before_revision))
        )
        return _change_records(records)

    def list_accounts(self) -> list[AccountSummary]:
        records = self._read(lambda tx: list(tx.run(cypher(Q.LIST_ACCOUNTS))))
        return [
            AccountSummary(
                r["id"],
                r["name"],
                r["industry"] or "",
                int(r["revision"]),
                dt.datetime.fromisoformat(r["updated_at"]),
                int(r["stakeholders"]),
            )
            for r in records
        ]

    def _revision_or_none(self, account_id: str) -> int | None:
        record = self._read_record(Q.ACCOUNT_REVISION, account=account_id)
        return None if record is None else int(record["revision"])

    def revision(self, account_id: str) -> int:
        revision = self._revision_or_none(account_id)
        if revision is None:
            raise AccountNotFoundError(account_id)
        return revision

    def delete_account(self, account_id: str, change: Change, *, expected_revision: int | None = None) -> None:
        def work(tx: ManagedTransaction) -> str:
            record = tx.run(cypher(Q.DELETE_ACCOUNT), account=account_id).single()
            if record is None:
                raise AccountNotFoundError(account_id)
            if expected_revision is not None and int(record["revision"]) != expected_revision:
                raise StaleRevisionError(account_id, expected_revision, int(record["revision"]))
            tx.run(
                cypher(Q.RECORD_CHANGE),
                account=account_id,
                revision=int(record["revision"]) + 1,
                now=_now(),
                actor=change.actor,
                operation=change.operation,
                subject=change.subject,
            ).consume()
            return str(record["scope"])

        self._try_delete_scope(self._write(work))
        # The map's history goes with it (the change log stays: who deleted it, and when).
        self._prune(account_id, keep=_NO_REVISION, with_changes=False)

    def update_account(self, account: Account, change: Change, *, expected_revision: int) -> int:
        props = account.model_dump(mode="json", exclude={"id"})
        return self._edit(
            account.id,
            change,
            expected_revision,
            lambda tx, _: tx.run(cypher(Q.UPDATE_ACCOUNT), account=account.id, props=props).consume(),
        )

    def put_node(self, account_id: str, node: Node, change: Change, *, expected_revision: int) -> int:
        return self._edit(
            account_id, change, expected_revision, lambda tx, scope: _put_node(tx, scope, account_id, node)
        )

    def put_items(
        self,
        account_id: str,
        items: Sequence[Node | Edge | Activity],
        change: Change,
        *,
        expected_revision: int,
    ) -> int:
        def apply(tx: ManagedTransaction, scope: str) -> None:
            for item in items:
                if isinstance(item, Activity):
                    _put_activity(tx, scope, account_id, item)
                elif isinstance(item.kind, NodeKind):
                    _put_node(tx, scope, account_id, item)
                else:
                    _put_edge(tx, scope, account_id, item)

        return self._edit(account_id, change, expected_revision, apply)

    def remove_node(
        self, account_id: str, kind: NodeKind, node_id: str, change: Change, *, expected_revision: int
    ) -> int:
        def apply(tx: ManagedTransaction, scope: str) -> None:
            removed = tx.run(cypher(REMOVE_NODE[kind]), scope=scope, id=node_id).single(strict=True)["removed"]
            if not removed:
                raise not_found_for_node(kind, node_id, account_id)

        return self._edit(account_id, change, expected_revision, apply)

    def put_edge(self, account_id: str, edge: Edge, change: Change, *, expected_revision: int) -> int:
        return self._edit(
            account_id, change, expected_revision, lambda tx, scope: _put_edge(tx, scope, account_id, edge)
        )

    def remove_edge(
        self, account_id: str, kind: EdgeKind, source: str, target: str, change: Change, *, expected_revision: int
    ) -> int:
        def apply(tx: ManagedTransaction, scope: str) -> None:
            record = tx.run(cypher(REMOVE_EDGE[kind]), scope=scope, source=source, target=target).single(strict=True)
            if not record["removed"]:
                raise not_found_for_edge(kind, source, target, account_id)

        return self._edit(account_id, change, expected_revision, apply)

    def put_activity(self, account_id: str, activity: Activity, change: Change, *, expected_revision: int) -> int:
        return self._edit(
            account_id, change, expected_revision, lambda tx, scope: _put_activity(tx, scope, account_id, activity)
        )

    def remove_activity(self, account_id: str, activity_id: str, change: Change, *, expected_revision: int) -> int:
        def apply(tx: ManagedTransaction, scope: str) -> None:
            removed = tx.run(cypher(Q.REMOVE_ACTIVITY), scope=scope, id=activity_id).single(strict=True)["removed"]
            if not removed:
                raise ActivityNotFoundError(activity_id, account_id)

        return self._edit(account_id, change, expected_revision, apply)

    # -- voices and the roadmap ------------------------------------------------------------------

    def put_voice(self, account_id: str, voice: Voice, change: Change, *, expected_revision: int) -> int:
        def apply(tx: ManagedTransaction, scope: str) -> None:
            record = tx.run(cypher(Q.PUT_VOICE), scope=scope, account=account_id, props=_node_props(voice)).single()
            if record is None:  # the stakeholder is gone: the service validates first, so only a race gets here
                raise ConflictError(f"stakeholder {voice.stakeholder!r} was removed meanwhile; read the map again")
            if int(record["reached"]) < len(set(voice.roadmap)):
                raise ConflictError("a roadmap item the voice names was removed meanwhile; read the roadmap again")

        return self._edit(account_id, change, expected_revision, apply)

    def remove_voice(self, account_id: str, voice_id: str, change: Change, *, expected_revision: int) -> int:
        def apply(tx: ManagedTransaction, scope: str) -> None:
            if not tx.run(cypher(Q.REMOVE_VOICE), scope=scope, id=voice_id).single(strict=True)["removed"]:
                raise VoiceNotFoundError(voice_id, account_id)

        return self._edit(account_id, change, expected_revision, apply)

    def read_roadmap(self) -> Roadmap:
        return self.read_roadmap_at()[0]

    def read_roadmap_at(self) -> tuple[Roadmap, int]:
        def work(tx: ManagedTransaction) -> tuple[Roadmap, int]:
            items = [_clean(r["item"]) for r in tx.run(cypher(Q.READ_ROADMAP))]
            revision = int(tx.run(cypher(Q.ROADMAP_REVISION)).single(strict=True)["revision"])
            return Roadmap.model_validate({"items": items}), revision

        return self._read(work)

    def roadmap_revision(self) -> int:
        return self._read(lambda tx: int(tx.run(cypher(Q.ROADMAP_REVISION)).single(strict=True)["revision"]))

    def list_roadmap_changes(self, *, limit: int = 50, before_revision: int | None = None) -> list[ChangeRecord]:
        records = self._read(
            lambda tx: list(tx.run(cypher(Q.LIST_ROADMAP_CHANGES), limit=limit, before=before_revision))
        )
        return _change_records(records)

    def _roadmap_write(
        self, change: Change, expected_revision: int | None, apply: Callable[[ManagedTransaction], object]
    ) -> int:
        """Lock the roadmap's revision, check it, apply, record the change: one managed transaction."""

        def work(tx: ManagedTransaction) -> int:
            previous = int(tx.run(cypher(Q.LOCK_ROADMAP)).single(strict=True)["previous"])
            if expected_revision is not None and previous != expected_revision:
                raise StaleRoadmapError(expected_revision, previous)
            apply(tx)
            tx.run(
                cypher(Q.RECORD_ROADMAP_CHANGE),
                revision=previous + 1,
                now=_now(),
                actor=change.actor,
                operation=change.operation,
                subject=change.subject,
            ).consume()
            return previous + 1

        return self._write(work)

    def put_roadmap(
        self, roadmap: Roadmap, change: Change, *, detach: bool = False, expected_revision: int | None = None
    ) -> int:
        keep = {item.id for item in roadmap.items}
        rows = [{"ord": i, "props": _node_props(item)} for i, item in enumerate(roadmap.items)]

        def apply(tx: ManagedTransaction) -> None:
            stored = [r["item"]["id"] for r in tx.run(cypher(Q.READ_ROADMAP))]
            self._release_items(tx, [i for i in stored if i not in keep], change, detach=detach)
            tx.run(cypher(Q.IMPORT_ROADMAP), rows=rows).consume()

        return self._roadmap_write(change, expected_revision, apply)

    def put_roadmap_item(self, item: RoadmapItem, change: Change, *, expected_revision: int | None = None) -> int:
        return self._roadmap_write(
            change, expected_revision, lambda tx: tx.run(cypher(Q.PUT_ROADMAP_ITEM), props=_node_props(item)).consume()
        )

    def remove_roadmap_item(
        self, item_id: str, change: Change, *, detach: bool = False, expected_revision: int | None = None
    ) -> int:
        def apply(tx: ManagedTransaction) -> None:
            self._release_items(tx, [item_id], change, detach=detach)
            if not tx.run(cypher(Q.REMOVE_ROADMAP_ITEM), id=item_id).single(strict=True)["removed"]:
                raise RoadmapItemNotFoundError(item_id)

        return self._roadmap_write(change, expected_revision, apply)

    def _release_items(self, tx: ManagedTransaction, item_ids: list[str], change: Change, *, detach: bool) -> None:
        """Refuse to drop items voices still name, or (``detach``) take the ids out of those voices."""
        if not item_ids:
            return
        records = list(tx.run(cypher(Q.ROADMAP_USERS), ids=item_ids))
        users = [(r["account"], r["voice"], list(r["roadmap"])) for r in records]
        if not users:
            return
        if not detach:
            named = sorted({i for _, _, roadmap in users for i in roadmap if i in item_ids})
            raise RoadmapItemInUseError(named, [(account, voice) for account, voice, _ in users])
        touched: dict[str, list[str]] = {}
        entries: dict[str, list[Entry]] = {}
        for record in records:
            touched.setdefault(record["account"], []).append(record["voice"])
            entries.setdefault(record["account"], []).append(detached_entry(_clean(record["item"]), item_ids))
        now = _now()
        for account, voices in touched.items():
            record = tx.run(cypher(Q.LOCK_ACCOUNT), account=account, now=now).single(strict=True)
            tx.run(cypher(Q.DETACH_ROADMAP_ITEMS), account=account, voices=voices, ids=item_ids).consume()
            revision = int(record["previous"]) + 1
            tx.run(
                cypher(Q.RECORD_CHANGE),
                account=account,
                revision=revision,
                now=now,
                actor=change.actor,
                operation="detach roadmap items",
                subject=f"{', '.join(item_ids)} from voices {', '.join(voices)}",
            ).consume()
            delta = Delta(tuple(entries[account]))
            _record_history(tx, account, revision, delta, chunked(delta.entries, checkpoint=False))

    def open_pains_cypher(self, account_id: str) -> list[dict[str, Any]]:
        """Run ``cypher/open_pains.cypher`` (the form strategists use in Neo4j Browser)."""
        return self._read(lambda tx: [r.data() for r in tx.run(cypher(Q.OPEN_PAINS), account=account_id)])

    def best_paths_cypher(
        self, account_id: str, target: str, *, member: str | None = None, k: int = 3
    ) -> list[dict[str, Any]]:
        """Run ``cypher/best_paths.cypher`` (the form strategists use in Neo4j Browser)."""
        records = self._read(
            lambda tx: list(tx.run(cypher(Q.BEST_PATHS), account=account_id, target=target, member=member, k=k))
        )
        return [{"strength": float(r["strength"]), "nodes": list(r["nodes"])} for r in records]

    # -- history ---------------------------------------------------------------------------------

    def revision_at(self, account_id: str, moment: dt.datetime) -> int | None:
        at = moment.astimezone(dt.UTC).isoformat(timespec="microseconds")
        record = self._read(lambda tx: tx.run(cypher(Q.REVISION_AT), account=account_id, at=at).single())
        return None if record is None else int(record["revision"])

    def history_rows(self, account_id: str, revision: int) -> HistoryRows | None:
        def work(tx: ManagedTransaction) -> HistoryRows | None:
            heads = tx.run(cypher(Q.HISTORY_HEADS), account=account_id, to=revision).single(strict=True)
            if heads["checkpoint"] is None:
                return None
            checkpoint = int(heads["checkpoint"])
            base: list[Entry] = []
            for record in tx.run(
                cypher(Q.HISTORY_CHUNKS), account=account_id, checkpoint=True, first=checkpoint, last=checkpoint
            ):
                base.extend(unchunked(record["entries"]))
            deltas: dict[int, list[Entry]] = {}
            for record in tx.run(
                cypher(Q.HISTORY_CHUNKS), account=account_id, checkpoint=False, first=checkpoint + 1, last=revision
            ):
                deltas.setdefault(int(record["revision"]), []).extend(unchunked(record["entries"]))
            return HistoryRows(checkpoint, base, sorted(deltas.items()), [int(r) for r in heads["revisions"]])

        return self._read(work)

    def history_since_checkpoint(self, account_id: str) -> tuple[int | None, int]:
        record = self._read(
            lambda tx: tx.run(cypher(Q.HISTORY_HEADS), account=account_id, to=_NO_REVISION).single(strict=True)
        )
        checkpoint = record["checkpoint"]
        return (None if checkpoint is None else int(checkpoint)), int(record["items"])

    def write_checkpoint(self, account_id: str, revision: int, entries: Sequence[Entry]) -> None:
        self._write(lambda tx: tx.run(cypher(Q.DROP_CHECKPOINT), account=account_id, revision=revision).consume())
        chunks = chunked(entries, checkpoint=True)
        per_batch = max(1, self._batch // CHUNK_ENTRIES)
        for start in range(0, len(chunks), per_batch):
            batch = chunks[start : start + per_batch]
            self._write(
                lambda tx, b=batch: tx.run(  # type: ignore[misc]
                    cypher(Q.ADD_CHECKPOINT), account=account_id, revision=revision, chunks=b
                ).consume()
            )
        self._write(lambda tx: tx.run(cypher(Q.MARK_CHECKPOINT), account=account_id, revision=revision).consume())

    def prune_history(self, account_id: str, keep_from: int) -> int:
        return self._prune(account_id, keep=keep_from, with_changes=True)

    def prune_roadmap_changes(self, before: dt.datetime) -> int:
        cutoff = before.astimezone(dt.UTC).isoformat(timespec="microseconds")
        return self._delete_in_batches(Q.PRUNE_ROADMAP_CHANGES_BATCH, cutoff=cutoff)

    def _prune(self, account_id: str, *, keep: int, with_changes: bool) -> int:
        return self._delete_in_batches(Q.PRUNE_HISTORY_BATCH, account=account_id, keep=keep, with_changes=with_changes)

    def ping(self) -> None:
        with self._translate():
            self._driver.verify_connectivity()

    # -- API keys --------------------------------------------------------------------------------

    def add_key(self, key: ApiKey) -> None:
        created = self._write(
            lambda tx: bool(
                tx.run(
                    cypher(Q.ADD_API_KEY),
                    name=key.name,
                    role=key.role.value,
                    all_accounts=key.accounts is None,
                    accounts=list(key.accounts or ()),
                    token_hash=key.token_hash,
                    created_at=key.created_at.isoformat(),
                ).single(strict=True)["created"]
            )
        )
        if not created:
            raise ConflictError(f"an API key named {key.name!r} already exists")

    def find_key(self, token_hash: str) -> ApiKey | None:
        record = self._read(lambda tx: tx.run(cypher(Q.FIND_API_KEY), token_hash=token_hash).single())
        return None if record is None else _key(record)

    def list_keys(self) -> list[ApiKey]:
        return [_key(r) for r in self._read(lambda tx: list(tx.run(cypher(Q.LIST_API_KEYS))))]

    def revoke_key(self, name: str) -> None:
        removed = self._write(
            lambda tx: int(tx.run(cypher(Q.REVOKE_API_KEY), name=name).single(strict=True)["removed"])
        )
        if not removed:
            raise KeyNotFoundError(name)

    # -- personal data (issue 11) ----------------------------------------------------------------------

    def erase_stakeholder(
        self, account_id: str, stakeholder_id: str, change: Change, *, fingerprint: str, expected_revision: int
    ) -> int:
        def apply(tx: ManagedTransaction, _: str) -> None:
            removed = tx.run(cypher(Q.ERASE_STAKEHOLDER), account=account_id, id=stakeholder_id).single(strict=True)
            if not removed["removed"]:
                raise not_found_for_node(NodeKind.STAKEHOLDER, stakeholder_id, account_id)
            tx.run(cypher(Q.FORGET_IN_CHANGES), account=account_id, id=stakeholder_id).consume()
            _forget_in_history_chunks(tx, account_id, stakeholder_id)
            revision = expected_revision + 1
            tx.run(
                cypher(Q.RECORD_ERASURE),
                account=account_id,
                revision=revision,
                now=_now(),
                actor=change.actor,
                fingerprint=fingerprint,
            ).consume()

        return self._edit(account_id, change, expected_revision, apply)

    def scrub_files(self) -> None:
        """Nothing to do from a client: the server's store files and transaction logs are the operator's
        (what they keep and how to rotate them: ``docs/personal-data.md``)."""

    def change_log_accounts(self) -> list[str]:
        return self._read(lambda tx: [str(r["account"]) for r in tx.run(cypher(Q.CHANGE_LOG_ACCOUNTS))])

    def erasure_salt(self) -> bytes:
        # Read first: a store that already has its salt answers without a write (a person's export needs it,
        # and may run where writes are refused). The first writers MERGE on the unique key: one salt wins.
        salt = self._read(lambda tx: tx.run(cypher(Q.READ_ERASURE_SALT)).single(strict=True)["salt"])
        if salt is None:
            salt = self._write(
                lambda tx: tx.run(cypher(Q.ERASURE_SALT), salt=secrets.token_hex(32)).single(strict=True)["salt"]
            )
        return bytes.fromhex(str(salt))

    def erasures(self, account_id: str) -> list[Erasure]:
        records = self._read(lambda tx: list(tx.run(cypher(Q.LIST_ERASURES), account=account_id)))
        return [
            Erasure(
                account_id,
                int(r["revision"]),
                dt.datetime.fromisoformat(r["at"]),
                str(r["actor"]),
                str(r["fingerprint"]),
            )
            for r in records
        ]

    def close(self) -> None:
        if self._owns_driver:
            self._driver.close()
            atexit.unregister(self._driver.close)


def _key(record: Mapping[str, Any]) -> ApiKey:
    return ApiKey(
        name=record["name"],
        role=record["role"],
        accounts=None if record["all_accounts"] else tuple(record["accounts"]),
        token_hash=record["token_hash"],
        created_at=dt.datetime.fromisoformat(record["created_at"]),
    )
