"""What only the Neo4j store has, on a real server and without starting processes: its Cypher files, the
forms strategists run in Neo4j Browser, garbage collection and routing URLs (its error messages and the CLI's:
test_neo4j_server.py). In the mutation run's selection, so Neo4j's own mutants are tested by them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from neo4j import GraphDatabase, Query

from powermap.analysis.paths import introduction_paths
from powermap.errors import ConflictError, StoreError
from powermap.graph import build_graph
from powermap.model import Voice, parse_account_map, parse_roadmap
from powermap.service import PowermapService
from powermap.store import Change, open_store
from powermap.store import neo4j as neo4j_module
from powermap.store.neo4j import Neo4jStore
from powermap.store.queries import SCHEMA, Q, cypher, query_files
from tests.conftest import account_prefix, neo4j_or_skip
from tests.contract.test_store_contract import with_id
from tests.factories import random_documents, sample_document

pytestmark = pytest.mark.neo4j
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def neo4j_store() -> Iterator[Neo4jStore]:
    store = open_store(neo4j_or_skip())
    assert isinstance(store, Neo4jStore)
    with store:
        yield store


def test_every_cypher_file_is_a_named_query_and_every_named_query_has_a_file() -> None:
    assert set(query_files()) == {q.value for q in Q}


def test_every_named_query_is_used_by_the_code() -> None:
    code = "".join(p.read_text() for p in (ROOT / "powermap" / "store").glob("*.py"))
    unused = [q.name for q in Q if q not in SCHEMA and not re.search(rf"\bQ\.{q.name}\b", code)]
    assert unused == []


def test_every_query_passes_explain_on_the_server(neo4j_store: Neo4jStore) -> None:
    with GraphDatabase.driver(neo4j_or_skip(), notifications_min_severity="OFF") as driver, driver.session() as session:
        for name in Q:
            if name in SCHEMA:
                continue  # schema commands cannot be explained; the next test runs them
            summary = session.run(Query("EXPLAIN " + cypher(name))).consume()
            assert summary.plan is not None, name


def test_schema_queries_are_idempotent(neo4j_store: Neo4jStore) -> None:
    neo4j_store.initialize()
    neo4j_store.initialize()
    with GraphDatabase.driver(neo4j_or_skip(), notifications_min_severity="OFF") as driver:
        records, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names")
    assert {"account_id", "stakeholder_key", "member_key", "competitor_key", "activity_key"} <= set(records[0]["names"])


@pytest.mark.parametrize("target", ["ceo", "cfo", "cio", "proc_dir", "plant_gm"])
def test_the_browser_cypher_for_paths_finds_the_same_best_paths(
    neo4j_store: Neo4jStore, prefix_n: str, target: str
) -> None:
    account = prefix_n + "acme"
    PowermapService(neo4j_store).import_map(with_id(sample_document(), account))
    graph = build_graph(neo4j_store.get_map(account))
    expected = introduction_paths(graph, target, k=3)
    found = neo4j_store.best_paths_cypher(account, target, k=3)
    assert [p["nodes"] for p in found] == [p["nodes"] for p in expected]
    assert [p["strength"] for p in found] == pytest.approx([p["strength"] for p in expected])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=random_documents(max_stakeholders=6))
def test_the_browser_cypher_agrees_on_random_maps(
    neo4j_store: Neo4jStore, prefix_n: str, document: dict[str, Any]
) -> None:
    account = prefix_n + "rnd"
    PowermapService(neo4j_store).import_map(with_id(document, account))
    graph = build_graph(parse_account_map(document))
    for target in graph:
        expected = introduction_paths(graph, target, k=2)
        found = neo4j_store.best_paths_cypher(account, target, k=2)
        assert [p["nodes"] for p in found] == [p["nodes"] for p in expected]


@pytest.fixture
def prefix_n(neo4j_store: Neo4jStore) -> Iterator[str]:
    yield from account_prefix(neo4j_store)


def test_collecting_garbage_removes_replaced_versions(neo4j_store: Neo4jStore, prefix_n: str) -> None:
    service = PowermapService(neo4j_store)
    account = prefix_n + "acme"
    service.import_map(with_id(sample_document(), account))
    service.import_map(with_id(sample_document(), account))
    with GraphDatabase.driver(neo4j_or_skip(), notifications_min_severity="OFF") as driver:
        records, _, _ = driver.execute_query(
            "MATCH (n:Scoped {account: $account}) RETURN count(DISTINCT n.scope) AS scopes", account=account
        )
    assert records[0]["scopes"] == 1


def test_a_routing_url_reaches_the_same_store(neo4j_store: Neo4jStore, prefix_n: str) -> None:
    account = prefix_n + "routed"
    PowermapService(neo4j_store).import_map(with_id(sample_document(), account))
    routed_url = neo4j_or_skip().replace("bolt://", "neo4j://", 1)
    with open_store(routed_url) as routed:
        assert routed.get_map(account) == neo4j_store.get_map(account)


def test_the_browser_cypher_gives_three_paths_unless_asked_and_starts_from_the_member_named(
    neo4j_store: Neo4jStore, prefix_n: str
) -> None:
    account = prefix_n + "acme"
    PowermapService(neo4j_store).import_map(with_id(sample_document(), account))
    graph = build_graph(neo4j_store.get_map(account))
    assert len(neo4j_store.best_paths_cypher(account, "ceo", k=4)) == 4  # there are more than three
    assert len(neo4j_store.best_paths_cypher(account, "ceo")) == 3
    for member in ("li", "zhou"):
        found = neo4j_store.best_paths_cypher(account, "ceo", member=member)
        assert {p["nodes"][0] for p in found} == {member}
        assert [p["nodes"] for p in found] == [p["nodes"] for p in introduction_paths(graph, "ceo", member=member)]


def test_a_voice_of_a_stakeholder_removed_meanwhile_is_a_conflict_naming_them(
    neo4j_store: Neo4jStore, prefix_n: str
) -> None:
    account = prefix_n + "acme"
    PowermapService(neo4j_store).import_map(with_id(sample_document(), account))
    snapshot = neo4j_store.read(account)
    voice = Voice.model_validate({"id": "v9", "stakeholder": "ghost", "date": "2026-11-01", "text": "x"})
    with pytest.raises(ConflictError, match=r"^stakeholder 'ghost' was removed meanwhile; read the map again$"):
        neo4j_store.put_voice(account, voice, Change("tester", "test"), expected_revision=snapshot.revision)
    assert neo4j_store.read(account) == snapshot


def count(query: str, **parameters: Any) -> int:
    """A count read straight from the server, not through the store."""
    with GraphDatabase.driver(neo4j_or_skip(), notifications_min_severity="OFF") as driver:
        records, _, _ = driver.execute_query(query, parameters)
    return int(records[0][0])


def test_deletions_larger_than_a_batch_run_batch_after_batch_to_the_end_and_count_everything(
    neo4j_store: Neo4jStore, prefix_n: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Maps, history and change logs are deleted DELETE_BATCH nodes a transaction; here a batch is 2 nodes."""
    service = PowermapService(neo4j_store, actor="tester")
    account = prefix_n + "acme"
    service.import_map(with_id(sample_document(), account))
    for n in range(3):
        service.update_account(account, {"name": f"Acme {n}"})
    monkeypatch.setattr(neo4j_module, "DELETE_BATCH", 2)

    keep = neo4j_store.read(account).revision
    old = count(
        # what is older than the revision kept, and the delta that led to it (its checkpoint stays)
        "MATCH (n {account: $account}) WHERE (n:HistoryChunk OR n:HistoryHead OR n:Change) AND "
        "(n.revision < $keep OR (n:HistoryChunk AND n.revision = $keep AND NOT n.checkpoint)) RETURN count(n)",
        account=account,
        keep=keep,
    )
    assert old >= 5  # more than two batches
    assert neo4j_store.prune_history(account, keep) == old
    assert [c.revision for c in neo4j_store.list_changes(account)] == [keep]

    roadmap = neo4j_store.read_roadmap()
    try:
        for n in range(5):
            item = parse_roadmap({"items": [{"id": f"{prefix_n}r1", "title": f"v{n}"}]}).items[0]
            neo4j_store.put_roadmap_item(item, Change("tester", "test"))
        cutoff = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
        logged = count("MATCH (c:RoadmapChange) RETURN count(c)")
        assert logged >= 5
        assert neo4j_store.prune_roadmap_changes(cutoff) == logged
        assert neo4j_store.list_roadmap_changes() == []
    finally:
        neo4j_store.put_roadmap(roadmap, Change("tester", "cleanup"), detach=True)

    assert count("MATCH (n:Scoped {account: $account}) RETURN count(n)", account=account) > 2
    service.delete_account(account)
    assert count("MATCH (n:Scoped {account: $account}) RETURN count(n)", account=account) == 0


def test_every_node_of_a_map_carries_its_account_also_when_added_one_by_one(
    neo4j_store: Neo4jStore, prefix_n: str
) -> None:
    """The layout strategists query in Neo4j Browser: each map node names its account (module docstring)."""
    service = PowermapService(neo4j_store, actor="tester")
    account = prefix_n + "acme"
    service.import_map(with_id(sample_document(), account))
    revision = neo4j_store.read(account).revision
    assert "v-new" not in {v.id for v in neo4j_store.read(account).account_map.voices}  # added, not replaced
    voice = Voice.model_validate({"id": "v-new", "stakeholder": "ceo", "date": "2026-11-01", "text": "x"})
    neo4j_store.put_voice(account, voice, Change("tester", "test"), expected_revision=revision)
    live = "MATCH (a:Account {id: $account}) MATCH (n:Scoped {scope: a.scope}) "
    assert count(live + "WHERE n.id = 'v-new' RETURN count(n)", account=account) == 1
    assert count(live + "WHERE n.account IS NULL OR n.account <> $account RETURN count(n)", account=account) == 0


def test_collecting_garbage_counts_the_nodes_it_deleted(neo4j_store: Neo4jStore, prefix_n: str) -> None:
    neo4j_store.collect_garbage()
    scope = prefix_n + "replaced"
    with GraphDatabase.driver(neo4j_or_skip(), notifications_min_severity="OFF") as driver:
        driver.execute_query(
            "CREATE (:Scope {id: $scope, account: $account, state: 'garbage', since: datetime()}) "
            "WITH 1 AS one UNWIND range(1, 3) AS i "
            "CREATE (:Stakeholder:Scoped {scope: $scope, account: $account, id: 's' + i})",
            scope=scope,
            account=prefix_n + "acme",
        )
    assert neo4j_store.collect_garbage() == 3
    assert count("MATCH (n {scope: $scope}) RETURN count(n)", scope=scope) == 0
    assert count("MATCH (s:Scope {id: $scope}) RETURN count(s)", scope=scope) == 0  # the version's record too


def test_history_since_the_checkpoint_and_a_checkpoint_written_again(neo4j_store: Neo4jStore, prefix_n: str) -> None:
    service = PowermapService(neo4j_store, actor="tester")
    account = prefix_n + "acme"
    service.import_map(with_id(sample_document(), account))
    assert neo4j_store.history_since_checkpoint(prefix_n + "none") == (None, 0)  # no account, no history
    assert neo4j_store.history_since_checkpoint(account) == (1, 0)  # the import is written with its checkpoint
    service.update_account(account, {"name": "Renamed"})
    checkpoint, since = neo4j_store.history_since_checkpoint(account)
    assert (checkpoint, since > 0) == (1, True)
    rows = neo4j_store.history_rows(account, 1)
    assert rows is not None
    neo4j_store.write_checkpoint(account, 1, rows.checkpoint)  # again: replaces it, does not add to it
    again = neo4j_store.history_rows(account, 1)
    assert again is not None
    assert list(again.checkpoint) == list(rows.checkpoint)


def test_a_missing_database_is_one_clear_error() -> None:
    url = neo4j_or_skip().rstrip("/") + "/nosuchdb"
    with pytest.raises(StoreError, match=r"database 'nosuchdb'.*does not exist"):
        open_store(url)
