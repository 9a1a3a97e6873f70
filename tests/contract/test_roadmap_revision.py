"""The store's roadmap has a revision, item versions and a change log, with the same preconditions as an account.

Each store (SQLite and Neo4j) runs the same tests. A Neo4j server is shared by the whole session and the
roadmap is one per store, so revisions are compared with the one read at the start, and item ids carry
the test's prefix.
"""

from __future__ import annotations

import threading

import pytest

from powermap.errors import (
    IdTakenError,
    InvalidRoadmapError,
    RoadmapItemNotFoundError,
    StaleRoadmapError,
    StaleRoadmapItemError,
)
from powermap.model import parse_roadmap
from powermap.service import PowermapService
from powermap.store import Change, Store
from powermap.store.base import ChangeRecord


def _subjects(changes: list[ChangeRecord]) -> list[tuple[int, str, str, str]]:
    return [(c.revision, c.actor, c.operation, c.subject) for c in changes]


def test_every_roadmap_write_moves_the_revision_by_one_and_is_listed_newest_first(store: Store, prefix: str) -> None:
    alice, bob = PowermapService(store, actor="alice"), PowermapService(store, actor="bob")
    start = store.roadmap_revision()
    r1, r2 = f"{prefix}r1", f"{prefix}r2"

    created = alice.create_roadmap_item({"id": r1, "title": "Zero downtime 零停机"})
    assert created.revision == start + 1
    assert bob.update_roadmap_item(r1, {"status": "committed"}).revision == start + 2
    assert alice.replace_roadmap_item({"id": r2, "title": "Ledger"}).revision == start + 3
    assert bob.remove_roadmap_item(r2) == start + 4

    roadmap, revision = store.read_roadmap_at()
    assert revision == store.roadmap_revision() == start + 4
    assert [i.status for i in roadmap.items if i.id == r1] == ["committed"]
    changes = store.list_roadmap_changes(limit=4)
    assert _subjects(changes) == [
        (start + 4, "bob", "remove roadmap item", r2),
        (start + 3, "alice", "put roadmap item", r2),
        (start + 2, "bob", "update roadmap item", r1),
        (start + 1, "alice", "create roadmap item", r1),
    ]
    assert changes[0].at >= changes[-1].at
    # the next page starts below the last revision of this one
    assert _subjects(store.list_roadmap_changes(limit=2, before_revision=start + 3)) == _subjects(changes[2:])


def test_an_import_moves_the_revision_only_when_it_changes_something(store: Store, prefix: str) -> None:
    service = PowermapService(store, actor="importer")
    kept = [i.model_dump() for i in store.read_roadmap().items]
    document = {"items": [*kept, {"id": f"{prefix}r1", "title": "A"}]}
    first = service.import_roadmap(document)
    assert first["changed"] is True
    assert first["revision"] == store.roadmap_revision()
    again = service.import_roadmap(document)
    assert again == {"items": len(kept) + 1, "revision": first["revision"], "changed": False}
    assert store.list_roadmap_changes(limit=1)[0].revision == first["revision"]  # nothing recorded
    renamed = {"items": [*kept, {"id": f"{prefix}r1", "title": "B"}]}
    assert service.import_roadmap(renamed)["revision"] == first["revision"] + 1
    assert store.list_roadmap_changes(limit=1)[0].operation == "import roadmap"


def test_a_named_revision_or_version_that_is_stale_is_refused_and_nothing_is_written(store: Store, prefix: str) -> None:
    service = PowermapService(store, actor="tester")
    r1, r2 = f"{prefix}r1", f"{prefix}r2"
    seen_r1 = service.create_roadmap_item({"id": r1, "title": "A"})
    seen_r2 = service.create_roadmap_item({"id": r2, "title": "B"})
    service.update_roadmap_item(r1, {"title": "A2"}, if_version=seen_r1.version)  # r1 changes
    now = store.roadmap_revision()

    with pytest.raises(StaleRoadmapItemError, match=r1):
        service.update_roadmap_item(r1, {"title": "A3"}, if_version=seen_r1.version)
    with pytest.raises(StaleRoadmapItemError):
        service.remove_roadmap_item(r1, if_version=seen_r1.version)
    with pytest.raises(StaleRoadmapError, match=f"revision {now}, expected {seen_r2.revision}"):
        service.update_roadmap_item(r2, {"title": "B2"}, if_revision=seen_r2.revision)
    with pytest.raises(StaleRoadmapError):
        service.import_roadmap({"items": []}, if_revision=seen_r2.revision)
    with pytest.raises(StaleRoadmapError):
        store.put_roadmap_item(seen_r2.item, Change("tester", "test"), expected_revision=now - 1)
    assert store.roadmap_revision() == now
    assert service.roadmap_item(r1).title == "A2"

    # r2's version still holds although the roadmap moved on for r1's sake: it applies (not a conflict)
    assert service.update_roadmap_item(r2, {"title": "B2"}, if_version=seen_r2.version).revision == now + 1
    assert service.remove_roadmap_item(r2, if_revision=now + 1) == now + 2


def test_a_taken_id_is_409_a_missing_item_404_and_a_bad_field_names_the_item(store: Store, prefix: str) -> None:
    service = PowermapService(store, actor="tester")
    r1 = f"{prefix}r1"
    service.create_roadmap_item({"id": r1, "title": "A"})
    now = store.roadmap_revision()
    with pytest.raises(IdTakenError, match=r1):
        service.create_roadmap_item({"id": r1, "title": "again"})
    with pytest.raises(RoadmapItemNotFoundError):
        service.update_roadmap_item(f"{prefix}ghost", {"title": "x"})
    with pytest.raises(RoadmapItemNotFoundError):
        service.remove_roadmap_item(f"{prefix}ghost")
    with pytest.raises(InvalidRoadmapError, match=r"roadmap item\.status .*someday"):
        service.update_roadmap_item(r1, {"status": "someday"})
    with pytest.raises(InvalidRoadmapError, match=r"roadmap item\.id"):
        service.update_roadmap_item(r1, {"id": f"{prefix}r9"})
    assert store.roadmap_revision() == now


def test_concurrent_writers_without_preconditions_each_get_their_own_revision(store: Store, prefix: str) -> None:
    start = store.roadmap_revision()
    revisions: list[int] = []
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            item = PowermapService(store, actor=f"w{n}").create_roadmap_item({"id": f"{prefix}c{n}", "title": f"{n}"})
            revisions.append(item.revision)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(revisions) == list(range(start + 1, start + 7))
    assert {i.id for i in store.read_roadmap().items} >= {f"{prefix}c{n}" for n in range(6)}
    assert sorted(c.revision for c in store.list_roadmap_changes(limit=6)) == sorted(revisions)


def test_the_roadmap_change_log_lists_the_latest_fifty_unless_told_how_many(store: Store, prefix: str) -> None:
    before = store.read_roadmap()
    change = Change("tester", "test")
    try:
        for n in range(51):
            store.put_roadmap_item(parse_roadmap({"items": [{"id": f"{prefix}r1", "title": f"v{n}"}]}).items[0], change)
        latest = store.roadmap_revision()
        assert [c.revision for c in store.list_roadmap_changes()] == list(range(latest, latest - 50, -1))
        assert [c.revision for c in store.list_roadmap_changes(limit=51)][-1] == latest - 50
    finally:
        store.put_roadmap(before, Change("tester", "cleanup"), detach=True)


def test_the_stores_roadmap_writes_against_a_stale_revision_are_refused_and_change_nothing(
    store: Store, prefix: str
) -> None:
    change = Change("tester", "test")
    item = parse_roadmap({"items": [{"id": f"{prefix}r1", "title": "A"}]}).items[0]
    store.put_roadmap_item(item, change)
    now = store.roadmap_revision()
    with pytest.raises(StaleRoadmapError):
        store.put_roadmap_item(item, change, expected_revision=now - 1)
    with pytest.raises(StaleRoadmapError):
        store.remove_roadmap_item(item.id, change, expected_revision=now - 1)
    with pytest.raises(StaleRoadmapError):
        store.put_roadmap(store.read_roadmap(), change, expected_revision=now - 1)
    assert store.roadmap_revision() == now
    assert item in store.read_roadmap().items
    store.remove_roadmap_item(item.id, change, expected_revision=now)
