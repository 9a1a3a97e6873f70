"""The import benchmark's Neo4j topic: ``Neo4jStore.put_map`` against the same rows through a bare driver.

See :mod:`bench.bench_import` for what is measured and how the run is made.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, LiteralString

import neo4j
from neo4j import GraphDatabase, ManagedTransaction

from bench.import_analysis import log_timings, run_analysis
from bench.import_common import ACTOR, ImportRun, Options, PhaseClock, SizeResult, fresh_id, log, ratio, with_account_id
from bench.synthetic import Counts, synthetic_map
from powermap.model import AccountMap, EdgeKind, NodeKind
from powermap.settings import get_settings
from powermap.store import Change
from powermap.store.queries import Q, cypher

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
