"""Import and analysis benchmark: the stores against a bare driver, on synthetic accounts.

    .venv/bin/python -m bench.bench_import --sizes 1000,10000,100000 --neo4j bolt://127.0.0.1:7687
    .venv/bin/python -m bench.bench_import --smoke [--neo4j bolt://...]     # tiny, for CI; never asserts timings

For every size N (stakeholders; about 5 lines each, see :mod:`bench.synthetic`) it measures, in one run:

(a) ``Neo4jStore.put_map`` of a new account: rows per second, rows = nodes + lines + activities;
(b) the **bare driver baseline**: the very same rows (same dicts, same ``UNWIND $rows`` batch size) written
    with plain parameterised ``UNWIND $rows AS row CREATE ...`` statements, one managed transaction per
    batch in one session, into a separate namespace (labels ``BenchS``/``BenchM``/``BenchC``/``BenchA``,
    relationship type ``BENCH_E``) whose lines find their ends through a range index on ``(scope, id)``
    that the bench creates for the run and drops afterwards, as the store's lines use its
    ``(scope, id)`` key constraints. The ratio store / bare (goal >= 0.7) is what the store costs on
    top of the driver: building the rows from the model, the uniqueness constraints and the ``:Scoped``
    index, the staging and swap transactions;
(c) ``SQLiteStore.put_map`` into a fresh file;
(d) ``PowermapService(store).analyze`` (then ``paths`` to the top decision maker and ``recommend``) on
    both stores, each in a child process with a time cap, split into load (``store.read``) and analysis.

Small sizes are repeated (``--repeat``, default 3; store and bare alternate which goes first) and the
median is reported; sizes from ``--large`` (default 50 000) run once. The machine is assumed noisy:
compare the ratios of one run, not absolute numbers across runs. Everything the bench writes to Neo4j
is removed at the end (``store.delete_account``, the baseline nodes and indexes, the bench's change-log
entries); map versions of bench accounts that the store failed to delete are swept in small batches,
with a message. The server is expected to run with auth disabled (``scripts/neo4j start``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import math
import multiprocessing
import os
import platform
import queue as queue_module
import shutil
import statistics
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, LiteralString

import neo4j
from neo4j import GraphDatabase, ManagedTransaction

from bench.synthetic import Counts, synthetic_map
from powermap.model import AccountMap, EdgeKind, NodeKind
from powermap.service import PowermapService
from powermap.settings import get_settings
from powermap.store import Change, open_store
from powermap.store.queries import Q, cypher

ACTOR = "bench"
SMOKE_SIZE = 200
OPS = ("analyze", "paths", "recommend")

# -- the bare baseline: parameterised Cypher of the bench's own namespace ----------------------------

BARE_NODES: dict[NodeKind, LiteralString] = {
    NodeKind.STAKEHOLDER: "UNWIND $rows AS row CREATE (n:BenchS) "
    "SET n = row.props, n.scope = $scope, n.account = $account, n.ord = row.ord",
    NodeKind.MEMBER: "UNWIND $rows AS row CREATE (n:BenchM) "
    "SET n = row.props, n.scope = $scope, n.account = $account, n.ord = row.ord",
    NodeKind.COMPETITOR: "UNWIND $rows AS row CREATE (n:BenchC) "
    "SET n = row.props, n.scope = $scope, n.account = $account, n.ord = row.ord",
}
BARE_ACTIVITIES: LiteralString = (
    "UNWIND $rows AS row CREATE (n:BenchA) SET n = row.props, n.scope = $scope, n.account = $account, n.ord = row.ord"
)
BARE_EDGES: dict[EdgeKind, LiteralString] = {
    EdgeKind.REPORTS_TO: "UNWIND $rows AS row "
    "MATCH (s:BenchS {scope: $scope, id: row.source}) MATCH (t:BenchS {scope: $scope, id: row.target}) "
    "CREATE (s)-[r:BENCH_E]->(t) SET r = row.props, r.ord = row.ord",
    EdgeKind.INFLUENCES: "UNWIND $rows AS row "
    "MATCH (s:BenchS {scope: $scope, id: row.source}) MATCH (t:BenchS {scope: $scope, id: row.target}) "
    "CREATE (s)-[r:BENCH_E]->(t) SET r = row.props, r.ord = row.ord",
    EdgeKind.RELATIONSHIP: "UNWIND $rows AS row "
    "MATCH (s:BenchM {scope: $scope, id: row.source}) MATCH (t:BenchS {scope: $scope, id: row.target}) "
    "CREATE (s)-[r:BENCH_E]->(t) SET r = row.props, r.ord = row.ord",
    EdgeKind.COMPETITOR_RELATIONSHIP: "UNWIND $rows AS row "
    "MATCH (s:BenchC {scope: $scope, id: row.source}) MATCH (t:BenchS {scope: $scope, id: row.target}) "
    "CREATE (s)-[r:BENCH_E]->(t) SET r = row.props, r.ord = row.ord",
}
BARE_INDEXES: tuple[LiteralString, ...] = (
    "CREATE INDEX bench_s_key IF NOT EXISTS FOR (n:BenchS) ON (n.scope, n.id)",
    "CREATE INDEX bench_m_key IF NOT EXISTS FOR (n:BenchM) ON (n.scope, n.id)",
    "CREATE INDEX bench_c_key IF NOT EXISTS FOR (n:BenchC) ON (n.scope, n.id)",
)
BARE_AWAIT_INDEXES: LiteralString = "CALL db.awaitIndexes(300)"
BARE_DROP_INDEXES: tuple[LiteralString, ...] = (
    "DROP INDEX bench_s_key IF EXISTS",
    "DROP INDEX bench_m_key IF EXISTS",
    "DROP INDEX bench_c_key IF EXISTS",
)
BARE_DELETE_BATCH: LiteralString = (
    "MATCH (n) WHERE n:BenchS OR n:BenchM OR n:BenchC OR n:BenchA "
    "WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
)
SERVER_VERSION: LiteralString = "CALL dbms.components() YIELD name, versions, edition RETURN versions[0] AS v, edition"
SERVER_MEMORY: LiteralString = (
    "SHOW SETTINGS YIELD name, value WHERE name IN "
    "['server.memory.heap.max_size', 'server.memory.pagecache.size', 'dbms.memory.transaction.total.max'] "
    "RETURN name, value"
)
#: Nodes per clean-up transaction of the bench's own data (small: see "delete" in docs/benchmarks.md).
DELETE_LIMIT = 2_000
LEFTOVER_SCOPES: LiteralString = (
    "MATCH (s:Scope) WHERE s.account = $account "
    "RETURN s.id AS scope, s.state AS state, COUNT { MATCH (n:Scoped {scope: s.id}) } AS nodes"
)
BENCH_SCOPES: LiteralString = "MATCH (s:Scope) WHERE s.account STARTS WITH 'bench-' RETURN s.id AS scope"
SWEEP_SCOPE_BATCH: LiteralString = (
    "MATCH (n:Scoped {scope: $scope}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
)
SWEEP_SCOPE_MARKER: LiteralString = "MATCH (s:Scope {id: $scope}) DELETE s"
SWEEP_CHANGES: LiteralString = (
    "MATCH (c:Change) WHERE c.actor = $actor AND c.account STARTS WITH 'bench-' "
    "WITH c LIMIT $limit DELETE c RETURN count(*) AS deleted"
)


# -- results ---------------------------------------------------------------------------------------


@dataclass
class ImportRun:
    """One timed import: seconds in all and per phase (nodes, lines, activities + swap)."""

    seconds: float
    phases: dict[str, float] = field(default_factory=dict)


@dataclass
class OpTiming:
    """Latency of one service call, repeated: totals, and the part spent loading the map."""

    op: str
    totals: list[float] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)
    status: str = "ok"  # ok | timeout | error | skipped
    detail: str = ""
    digest: str = ""


@dataclass
class SizeResult:
    size: int
    rows: int
    nodes: int
    edges: int
    activities: int
    generate_s: float
    repeats: int
    prep_s: float = 0.0
    neo4j_store: list[ImportRun] = field(default_factory=list)
    neo4j_bare: list[ImportRun] = field(default_factory=list)
    neo4j_delete_s: list[float] = field(default_factory=list)
    neo4j_read_s: list[float] = field(default_factory=list)
    neo4j_read_raw_s: list[float] = field(default_factory=list)
    sqlite_store: list[ImportRun] = field(default_factory=list)
    analysis: dict[str, list[OpTiming]] = field(default_factory=dict)
    paths_target: str = ""
    errors: list[str] = field(default_factory=list)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def median_seconds(runs: Sequence[ImportRun]) -> float:
    return median([r.seconds for r in runs])


def ratio(result: SizeResult) -> float:
    """Store rows/s over bare rows/s (= bare seconds over store seconds), medians of the run."""
    store, bare = median_seconds(result.neo4j_store), median_seconds(result.neo4j_bare)
    return bare / store if store and result.neo4j_store and result.neo4j_bare else float("nan")


# -- helpers ---------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def with_account_id(account_map: AccountMap, account_id: str) -> AccountMap:
    return account_map.model_copy(update={"account": account_map.account.model_copy(update={"id": account_id})})


def fresh_id(size: int, what: str) -> str:
    return f"bench-{size}-{what}-{uuid.uuid4().hex[:8]}"


@dataclass
class BareRows:
    nodes: list[tuple[NodeKind, list[dict[str, Any]]]]
    edges: list[tuple[EdgeKind, list[dict[str, Any]]]]
    activities: list[dict[str, Any]]

    @classmethod
    def of(cls, account_map: AccountMap) -> BareRows:
        """Rows with exactly the content and shape ``Neo4jStore.put_map`` sends (ord, props, ends)."""
        nodes = [
            (
                kind,
                [
                    {"ord": i, "props": n.model_dump(mode="json", by_alias=True)}
                    for i, n in enumerate(account_map.nodes(kind))
                ],
            )
            for kind in NodeKind
        ]
        edges = [
            (
                kind,
                [
                    {
                        "ord": i,
                        "source": e.source,
                        "target": e.target,
                        "props": e.model_dump(mode="json", exclude={"source", "target"}),
                    }
                    for i, e in enumerate(account_map.edges(kind))
                ],
            )
            for kind in EdgeKind
        ]
        activities = [
            {"ord": i, "props": a.model_dump(mode="json", by_alias=True)} for i, a in enumerate(account_map.activities)
        ]
        return cls(nodes, edges, activities)


class PhaseClock:
    """Progress callback for ``put_map``: when the node rows, then the line rows, were all written."""

    def __init__(self, counts: Counts) -> None:
        self.counts = counts
        self.start = time.perf_counter()
        self.nodes_done: float | None = None
        self.edges_done: float | None = None

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if self.nodes_done is None and done >= self.counts.nodes:
            self.nodes_done = now
        if self.edges_done is None and done >= self.counts.nodes + self.counts.edges:
            self.edges_done = now

    def phases(self, end: float) -> dict[str, float]:
        nodes_done = self.nodes_done or end
        edges_done = self.edges_done or end
        return {
            "nodes": nodes_done - self.start,
            "edges": edges_done - nodes_done,
            "activities+swap": end - edges_done,
        }


# -- Neo4j: store and bare -------------------------------------------------------------------------


class Neo4jBench:
    """The Neo4j side of the run: one store and one bare driver on the same server."""

    def __init__(self, url: str) -> None:
        from powermap.store.neo4j import Neo4jStore

        self.url = url
        self.batch = get_settings().import_batch_size
        self.driver = GraphDatabase.driver(url, auth=None, notifications_min_severity="OFF")
        self.driver.verify_connectivity()
        # Before the store opens: its start-up garbage collection fails on a big leftover version
        # (see docs/benchmarks.md), so a leftover of an earlier bench run is swept first.
        self.sweep()
        self.store = Neo4jStore(url, driver=self.driver)
        self.store.initialize()
        self.accounts: list[str] = []
        self.indexed = False

    def server_info(self) -> dict[str, str]:
        info: dict[str, str] = {}
        with self.driver.session() as session:
            record = session.run(SERVER_VERSION).single()
            if record is not None:
                info["neo4j"] = f"{record['v']} {str(record['edition']).title()}"
            with contextlib.suppress(neo4j.exceptions.Neo4jError):
                for r in session.run(SERVER_MEMORY):
                    info[str(r["name"])] = str(r["value"])
        info["driver"] = f"neo4j-python {neo4j.__version__}"
        return info

    # store

    def store_import(self, account_map: AccountMap, counts: Counts) -> ImportRun:
        self.accounts.append(account_map.account.id)
        clock = PhaseClock(counts)
        self.store.put_map(account_map, Change(ACTOR, "bench import"), on_progress=clock)
        end = time.perf_counter()
        return ImportRun(end - clock.start, clock.phases(end))

    def read_raw(self, account_id: str) -> float:
        """One ``read_map.cypher`` round trip through the bare driver, without building the model."""
        start = time.perf_counter()
        with self.driver.session() as session:
            record = session.execute_read(lambda tx: tx.run(cypher(Q.READ_MAP), account=account_id).single())
        if record is None:
            raise RuntimeError(f"read_map found no account {account_id!r}")
        return time.perf_counter() - start

    def delete(self, account_id: str) -> float:
        """``store.delete_account``, timed; raises if it left any of the account's nodes behind.

        The store deletes the old version best-effort (errors are swallowed and left to a later
        ``collect_garbage``), so the bench checks for a leftover version marker itself.
        """
        start = time.perf_counter()
        self.store.delete_account(account_id, Change(ACTOR, "bench cleanup"))
        elapsed = time.perf_counter() - start
        self.accounts.remove(account_id)
        with self.driver.session() as session:
            left = [dict(r) for r in session.run(LEFTOVER_SCOPES, account=account_id)]
        if left:
            raise RuntimeError(
                f"store.delete_account({account_id!r}) returned after {elapsed:.1f} s but left its map behind: {left}"
            )
        return elapsed

    # bare

    def bare_indexes(self) -> None:
        with self.driver.session() as session:
            for statement in BARE_INDEXES:
                session.run(statement).consume()
            session.run(BARE_AWAIT_INDEXES).consume()
        self.indexed = True

    def bare_import(self, rows: BareRows, account_id: str) -> ImportRun:
        scope = uuid.uuid4().hex

        def write(session: neo4j.Session, statement: LiteralString, batch: list[dict[str, Any]]) -> None:
            def work(tx: ManagedTransaction) -> None:
                tx.run(statement, rows=batch, scope=scope, account=account_id).consume()

            session.execute_write(work)

        def write_all(session: neo4j.Session, statement: LiteralString, all_rows: list[dict[str, Any]]) -> None:
            for begin in range(0, len(all_rows), self.batch):
                write(session, statement, all_rows[begin : begin + self.batch])

        start = time.perf_counter()
        with self.driver.session() as session:
            for node_kind, node_rows in rows.nodes:
                write_all(session, BARE_NODES[node_kind], node_rows)
            nodes_done = time.perf_counter()
            for edge_kind, edge_rows in rows.edges:
                write_all(session, BARE_EDGES[edge_kind], edge_rows)
            edges_done = time.perf_counter()
            write_all(session, BARE_ACTIVITIES, rows.activities)
        end = time.perf_counter()
        return ImportRun(
            end - start,
            {"nodes": nodes_done - start, "edges": edges_done - nodes_done, "activities+swap": end - edges_done},
        )

    def bare_clear(self) -> None:
        self._delete_in_batches(BARE_DELETE_BATCH)

    def _delete_in_batches(self, statement: LiteralString, **params: Any) -> int:
        total = 0
        with self.driver.session() as session:
            while True:
                record = session.execute_write(
                    lambda tx: tx.run(statement, limit=DELETE_LIMIT, **params).single(strict=True)
                )
                total += int(record["deleted"])
                if int(record["deleted"]) < DELETE_LIMIT:
                    return total

    def sweep(self) -> None:
        """Remove what the store failed to remove of the bench's accounts, and the bench's change log."""
        with self.driver.session() as session:
            scopes = [str(r["scope"]) for r in session.run(BENCH_SCOPES)]
        for scope in scopes:
            removed = self._delete_in_batches(SWEEP_SCOPE_BATCH, scope=scope)
            with self.driver.session() as session:
                session.run(SWEEP_SCOPE_MARKER, scope=scope).consume()
            log(f"swept {removed} nodes of a bench map version the store had left behind ({scope})")
        self._delete_in_batches(SWEEP_CHANGES, actor=ACTOR)

    def warm_up(self, size: int, seed: int) -> None:
        """One untimed store import and bare import, so that every query plan is compiled and cached."""
        account_map = with_account_id(synthetic_map(size, seed=seed), fresh_id(size, "warmup"))
        counts = Counts.of(account_map)
        self.store_import(account_map, counts)
        self.store.get_map(account_map.account.id)
        self.delete(account_map.account.id)
        self.bare_import(BareRows.of(account_map), account_map.account.id)
        self.bare_clear()

    def close(self) -> None:
        """Remove everything the bench wrote, then disconnect (best effort, each step on its own)."""
        for account_id in list(self.accounts):
            try:
                self.delete(account_id)
            except Exception as error:
                log(f"could not delete bench account {account_id}: {error}")
        try:
            self.sweep()
            self.bare_clear()
            if self.indexed:
                with self.driver.session() as session:
                    for statement in BARE_DROP_INDEXES:
                        session.run(statement).consume()
        except Exception as error:
            log(f"could not remove the baseline nodes or indexes: {error}")
        self.store.close()
        self.driver.close()


# -- analysis in a child process, with a time cap --------------------------------------------------


def _digest(value: dict[str, Any]) -> str:
    """A short fingerprint of a service answer, without the account id (which differs between stores)."""
    value = {k: v for k, v in value.items() if k != "account"}
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _analysis_child(url: str, account_id: str, ops: Sequence[str], repeats: int, out: Any) -> None:
    """Runs in a child process: every op ``repeats`` times, one message per call (so a cap loses little)."""
    try:
        store = open_store(url)
        loads: list[float] = []
        real_read = store.read

        def timed_read(account: str) -> Any:
            start = time.perf_counter()
            try:
                return real_read(account)
            finally:
                loads.append(time.perf_counter() - start)

        setattr(store, "read", timed_read)  # noqa: B010 - a timing shim over this one instance
        service = PowermapService(store, actor=ACTOR)
        target = ""
        for op in ops:
            for _ in range(repeats):
                loads.clear()
                start = time.perf_counter()
                if op == "analyze":
                    result = service.analyze(account_id)
                    makers = result["forecast"]["decision_makers"]
                    target = makers[0]["stakeholder"] if makers else next(iter(result["power"]))
                elif op == "paths":
                    result = service.paths(account_id, target)
                else:
                    result = service.recommend(account_id)
                total = time.perf_counter() - start
                out.put(("sample", op, total, sum(loads), _digest(result), target))
        store.close()
        out.put(("done", "", 0.0, 0.0, "", ""))
    except BaseException:
        out.put(("error", "", 0.0, 0.0, traceback.format_exc(limit=8), ""))


def run_analysis(
    url: str, account_id: str, ops: Sequence[str], repeats: int, timeout_s: float
) -> tuple[list[OpTiming], str]:
    """Time the service's analyses in a child process; a call over ``timeout_s`` stops the child.

    Returns the timings of each op and the paths target (the top decision maker).
    """
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    child = context.Process(target=_analysis_child, args=(url, account_id, list(ops), repeats, out), daemon=True)
    timings = {op: OpTiming(op) for op in ops}
    target = ""
    child.start()
    try:
        pending = [(op, r) for op in ops for r in range(repeats)]
        startup_grace = 60.0  # imports and the store's connection are not timed
        for index, (op, _) in enumerate(pending):
            wait = timeout_s + (startup_grace if index == 0 else 0.0)
            try:
                kind, got_op, total, load, detail, got_target = out.get(timeout=wait)
            except queue_module.Empty:
                timings[op].status = "timeout"
                timings[op].detail = f"did not finish in {timeout_s:.0f} s"
                for later, _ in pending[index + 1 :]:
                    if timings[later].status == "ok" and later != op:
                        timings[later].status = "skipped"
                        timings[later].detail = f"not run: {op} hit the {timeout_s:.0f} s cap first"
                break
            if kind == "error":
                timings[op].status = "error"
                timings[op].detail = detail
                for later, _ in pending[index + 1 :]:
                    if timings[later].status == "ok" and later != op:
                        timings[later].status = "skipped"
                        timings[later].detail = f"not run: {op} failed first"
                break
            timing = timings[got_op]
            timing.totals.append(total)
            timing.loads.append(load)
            if timing.digest and timing.digest != detail:
                timing.status = "error"
                timing.detail = "the same call gave different answers on repetition"
            timing.digest = detail
            target = got_target or target
    finally:
        if child.is_alive():
            child.join(timeout=5 if all(t.status == "ok" for t in timings.values()) else 0)
        if child.is_alive():
            child.terminate()  # only the child this function started
            child.join(timeout=10)
        if child.is_alive():
            child.kill()
            child.join()
    return list(timings.values()), target


# -- the run ---------------------------------------------------------------------------------------


@dataclass
class Options:
    sizes: list[int]
    neo4j: str | None
    sqlite_dir: Path | None
    repeat: int
    large: int
    ops: list[str]
    timeout_s: float
    seed: int
    json_out: Path | None
    smoke: bool


def bench_neo4j(
    result: SizeResult, base: AccountMap, counts: Counts, bare_rows: BareRows, options: Options, neo: Neo4jBench
) -> None:
    """Store and bare imports (alternating which goes first), then the analyses, on one server.

    A failing step is recorded in ``result.errors`` and the run goes on with the next one.
    """
    size, repeats = result.size, result.repeats

    def attempt(what: str, step: Callable[[], None]) -> bool:
        try:
            step()
        except Exception as error:
            result.errors.append(f"Neo4j {what}: {type(error).__name__}: {error}")
            log(f"  neo4j {what} FAILED: {type(error).__name__}: {error}")
            return False
        return True

    kept = ""
    for rep in range(repeats):
        account_map = with_account_id(base, fresh_id(size, f"neo4j{rep}"))
        account_id = account_map.account.id
        for which in ("store", "bare") if rep % 2 == 0 else ("bare", "store"):
            if which == "bare":
                run = neo.bare_import(bare_rows, account_id)
                result.neo4j_bare.append(run)
                log(f"  neo4j bare   rep {rep}: {run.seconds:.2f} s ({counts.rows / run.seconds:,.0f} rows/s)")
                neo.bare_clear()
                continue
            run = neo.store_import(account_map, counts)
            result.neo4j_store.append(run)
            log(f"  neo4j store  rep {rep}: {run.seconds:.2f} s ({counts.rows / run.seconds:,.0f} rows/s)")

            def check(account_map: AccountMap = account_map) -> None:
                start = time.perf_counter()
                back = neo.store.get_map(account_map.account.id)
                result.neo4j_read_s.append(time.perf_counter() - start)
                if back != account_map:
                    raise AssertionError("the map read back differs from the map imported")

            def read_raw(account_id: str = account_id) -> None:
                result.neo4j_read_raw_s.append(neo.read_raw(account_id))

            def delete(account_id: str = account_id) -> None:
                result.neo4j_delete_s.append(neo.delete(account_id))

            if rep == 0:
                attempt("store.read after import", check)
            attempt("raw read_map.cypher", read_raw)
            if rep < repeats - 1:
                attempt("store.delete_account", delete)
            else:
                kept = account_id
    log(f"  ratio store/bare: {ratio(result):.2f}")
    timings, result.paths_target = run_analysis(neo.url, kept, options.ops, repeats, options.timeout_s)
    result.analysis["neo4j"] = timings
    log_timings("neo4j", timings)
    attempt("store.delete_account", lambda: result.neo4j_delete_s.append(neo.delete(kept)))


def bench_size(size: int, options: Options, neo: Neo4jBench | None, sqlite_dir: Path) -> SizeResult:
    started = time.perf_counter()
    base = synthetic_map(size, seed=options.seed)
    counts = Counts.of(base)
    repeats = options.repeat if size < options.large else 1
    result = SizeResult(
        size,
        counts.rows,
        counts.nodes,
        counts.edges,
        counts.activities,
        time.perf_counter() - started,
        repeats,
    )
    log(f"N={size}: {counts.rows} rows ({counts.nodes} nodes, {counts.edges} lines, {counts.activities} activities)")

    start = time.perf_counter()
    bare_rows = BareRows.of(base)
    result.prep_s = time.perf_counter() - start

    if neo is not None:
        try:
            bench_neo4j(result, base, counts, bare_rows, options, neo)
        except Exception as error:
            result.errors.append(f"Neo4j part stopped: {type(error).__name__}: {error}")
            log(f"N={size}: the Neo4j part stopped:\n{traceback.format_exc()}")

    sqlite_url = ""
    for rep in range(repeats):
        path = sqlite_dir / f"bench-{size}-{rep}-{uuid.uuid4().hex[:6]}.db"
        sqlite_url = f"sqlite:///{path}"
        account_map = with_account_id(base, fresh_id(size, f"sqlite{rep}"))
        with open_store(sqlite_url) as store:
            clock = PhaseClock(counts)
            store.put_map(account_map, Change(ACTOR, "bench import"), on_progress=clock)
            end = time.perf_counter()
            result.sqlite_store.append(ImportRun(end - clock.start, clock.phases(end)))
            if rep == 0 and store.get_map(account_map.account.id) != account_map:
                result.errors.append("SQLite: the map read back differs from the map imported")
        log(f"  sqlite store rep {rep}: {end - clock.start:.2f} s ({counts.rows / (end - clock.start):,.0f} rows/s)")
        if rep < repeats - 1:
            remove_sqlite(path)
    timings, target = run_analysis(sqlite_url, account_map.account.id, options.ops, repeats, options.timeout_s)
    result.analysis["sqlite"] = timings
    result.paths_target = result.paths_target or target
    log_timings("sqlite", timings)
    remove_sqlite(Path(sqlite_url.removeprefix("sqlite:///")))

    for timings in result.analysis.values():
        for timing in timings:
            if timing.status == "error":
                result.errors.append(f"{timing.op}: {timing.detail.strip()}")
    if "neo4j" in result.analysis and "sqlite" in result.analysis:
        for a, b in zip(result.analysis["neo4j"], result.analysis["sqlite"], strict=True):
            if a.digest and b.digest and a.digest != b.digest:
                result.errors.append(f"{a.op}: Neo4j and SQLite gave different answers for the same map")
    return result


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def log_timings(store: str, timings: Sequence[OpTiming]) -> None:
    for t in timings:
        if t.status == "ok":
            log(f"  {store} {t.op}: {median(t.totals):.3f} s (load {median(t.loads):.3f} s)")
        else:
            log(f"  {store} {t.op}: {t.status} {t.detail.strip().splitlines()[-1] if t.detail else ''}")


# -- report ----------------------------------------------------------------------------------------


def machine_info(neo: Neo4jBench | None) -> dict[str, str]:
    info = {
        "nproc": str(os.cpu_count()),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    info["import_batch_size"] = str(get_settings().import_batch_size)
    if neo is not None:
        info.update(neo.server_info())
    return info


def fmt_rate(rows: int, runs: Sequence[ImportRun]) -> str:
    return f"{rows / median_seconds(runs):,.0f}" if runs else "–"


def fmt_s(value: float) -> str:
    if math.isnan(value):
        return "–"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def markdown(results: Sequence[SizeResult]) -> str:
    lines = [
        "### Import (median of the repeats; rows = nodes + lines + activities)",
        "",
        "| stakeholders | rows | runs | Neo4jStore rows/s | bare driver rows/s | store / bare | SQLiteStore rows/s "
        "| Neo4jStore s | bare s | SQLite s | row prep s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.size:,} | {r.rows:,} | {r.repeats} | {fmt_rate(r.rows, r.neo4j_store)} "
            f"| {fmt_rate(r.rows, r.neo4j_bare)} | {fmt_ratio(r)} | {fmt_rate(r.rows, r.sqlite_store)} "
            f"| {fmt_s(median_seconds(r.neo4j_store))} | {fmt_s(median_seconds(r.neo4j_bare))} "
            f"| {fmt_s(median_seconds(r.sqlite_store))} | {fmt_s(r.prep_s)} |"
        )
    lines += [
        "",
        "### Where the import time goes (median seconds per phase)",
        "",
        "| stakeholders | writer | nodes | lines | activities + swap | delete account (Neo4j) |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        for name, runs in (
            ("Neo4jStore", r.neo4j_store),
            ("bare driver", r.neo4j_bare),
            ("SQLiteStore", r.sqlite_store),
        ):
            if not runs:
                continue
            phases = {key: median([run.phases.get(key, float("nan")) for run in runs]) for key in runs[0].phases}
            delete = fmt_s(median(r.neo4j_delete_s)) if name == "Neo4jStore" else ""
            lines.append(
                f"| {r.size:,} | {name} | {fmt_s(phases['nodes'])} | {fmt_s(phases['edges'])} "
                f"| {fmt_s(phases['activities+swap'])} | {delete} |"
            )
    lines += [
        "",
        "### Analysis latency (PowermapService, median; load = store.read, analysis = the rest)",
        "",
        "| stakeholders | store | call | total s | load s | analysis s | note |",
        "|---:|---|---|---:|---:|---:|---|",
    ]
    for r in results:
        for store, timings in r.analysis.items():
            for t in timings:
                note = t.detail.strip().splitlines()[-1] if t.detail else ""
                if t.op == "paths" and r.paths_target and t.status == "ok":
                    note = f"to {r.paths_target}"
                if t.totals:
                    total, load = median(t.totals), median(t.loads)
                    lines.append(
                        f"| {r.size:,} | {store} | {t.op} | {fmt_s(total)} | {fmt_s(load)} | {fmt_s(total - load)} "
                        f"| {note} |"
                    )
                else:
                    lines.append(f"| {r.size:,} | {store} | {t.op} | – | – | – | {t.status}: {note} |")
    reads = [r for r in results if r.neo4j_read_raw_s or r.neo4j_read_s]
    if reads:
        lines += [
            "",
            "Neo4j reads, seconds: `store.read` right after the first import (query + building the model) / "
            "the same `read_map.cypher` through the bare driver (no model building), median: "
            + "; ".join(
                f"{r.size:,}: {fmt_s(median(r.neo4j_read_s))} / {fmt_s(median(r.neo4j_read_raw_s))}" for r in reads
            ),
        ]
    errors = [(r.size, e) for r in results for e in r.errors]
    if errors:
        lines += ["", "### Failures", ""]
        lines += [f"- N={size:,}: {e.strip().splitlines()[-1] if e.strip() else e}" for size, e in errors]
    return "\n".join(lines)


def fmt_ratio(result: SizeResult) -> str:
    value = ratio(result)
    if math.isnan(value):
        return "–"
    return f"**{value:.2f}**" + ("" if value >= 0.7 else " (below 0.7)")


# -- entry point -----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_import", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="stakeholder counts, comma separated")
    parser.add_argument("--neo4j", default=os.environ.get("POWERMAP_BENCH_NEO4J"), help="bolt:// URL (auth off)")
    parser.add_argument("--sqlite-dir", type=Path, help="where SQLite files go (default: a temporary directory)")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of sizes below --large (median reported)")
    parser.add_argument("--large", type=int, default=50_000, help="sizes from this one run once")
    parser.add_argument("--ops", default=",".join(OPS), help="service calls to time: analyze,paths,recommend")
    parser.add_argument("--timeout", type=float, default=600.0, help="cap in seconds on one analysis call")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json-out", type=Path, help="also write every figure as JSON here")
    parser.add_argument("--smoke", action="store_true", help=f"one tiny size ({SMOKE_SIZE}), once; for CI")
    args = parser.parse_args(argv)
    ops = [op.strip() for op in args.ops.split(",") if op.strip()]
    if not ops or ops[0] != "analyze" or any(op not in OPS for op in ops):
        parser.error(f"--ops must start with analyze and name only {', '.join(OPS)}")
    sizes = [SMOKE_SIZE] if args.smoke else [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    return Options(
        sizes=sizes,
        neo4j=args.neo4j,
        sqlite_dir=args.sqlite_dir,
        repeat=1 if args.smoke else max(1, args.repeat),
        large=args.large,
        ops=ops,
        timeout_s=60.0 if args.smoke else args.timeout,
        seed=args.seed,
        json_out=args.json_out,
        smoke=args.smoke,
    )


@contextlib.contextmanager
def sqlite_directory(given: Path | None) -> Iterator[Path]:
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        yield given
        return
    made = Path(tempfile.mkdtemp(prefix="powermap-bench-"))
    try:
        yield made
    finally:
        shutil.rmtree(made, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    began = time.perf_counter()
    if options.neo4j is None:
        log("no --neo4j URL: only the SQLite store is measured")
    neo = Neo4jBench(options.neo4j) if options.neo4j else None
    results: list[SizeResult] = []
    failed = False
    try:
        if neo is not None:
            neo.bare_indexes()
            log("warming up (an untimed store import and bare import, so query plans are cached)")
            neo.warm_up(SMOKE_SIZE, options.seed + 1)
        machine = machine_info(neo)
        with sqlite_directory(options.sqlite_dir) as sqlite_dir:
            for size in options.sizes:
                try:
                    result = bench_size(size, options, neo, sqlite_dir)
                except Exception:
                    log(f"N={size} failed:\n{traceback.format_exc()}")
                    failed = True
                    continue
                results.append(result)
                for error in result.errors:
                    log(f"N={size} ERROR: {error}")
                    failed = True
    finally:
        if neo is not None:
            neo.close()
    report = markdown(results)
    print(report)
    elapsed = time.perf_counter() - began
    log(f"finished in {elapsed:.1f} s")
    if options.json_out is not None:
        payload: dict[str, Any] = {
            "command": " ".join([Path(sys.executable).name, "-m", "bench.bench_import", *(argv or sys.argv[1:])]),
            "machine": machine,
            "elapsed_s": elapsed,
            "results": [{**asdict(r), "store_over_bare": ratio(r)} for r in results],
        }
        options.json_out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if options.smoke and len(results) != len(options.sizes):
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
