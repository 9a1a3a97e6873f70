"""Retention (issue 11): ``POWERMAP_HISTORY_RETENTION_DAYS`` / ``powermap db prune``, on every store.

History older than the cutoff goes with the same guarantees as an erasure: the map in force at the
cutoff stays readable, nothing older can be read back, not even from the SQLite file's bytes, and the
change log of a deleted account (which outlives it) is pruned too.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator

import pytest

from powermap.errors import HistoryNotKeptError
from powermap.model import NodeKind, parse_roadmap
from powermap.service import PowermapService
from powermap.store import Change, Store
from powermap.store.neo4j import Neo4jStore
from powermap.store.sqlite import SQLiteStore
from tests.contract.test_erasure import neo4j_leaks_of, raw_bytes
from tests.contract.test_store_contract import with_id
from tests.factories import tiny_document

OLD_NOTES = "old-notes-pruned-by-retention 6h"
DELETED_SUBJECT = "zz-subject-of-a-deleted-account 1m"


def test_retention_drops_history_older_than_the_cutoff_everywhere(service: PowermapService, prefix: str) -> None:
    account, deleted = prefix + "kept", prefix + "deleted"
    service.import_map(with_id(tiny_document(), account))
    cfo = next(s for s in service.export_map(account)["stakeholders"] if s["id"] == "cfo")
    service.put_node(account, NodeKind.STAKEHOLDER, {**cfo, "notes": OLD_NOTES})
    service.put_node(account, NodeKind.STAKEHOLDER, {**cfo, "notes": "today's notes"})
    current = service.export_map(account)
    latest = service.store.read(account).revision
    service.import_map(with_id(tiny_document(), deleted))
    service.put_node(deleted, NodeKind.STAKEHOLDER, {**cfo, "id": DELETED_SUBJECT})
    service.delete_account(deleted)

    assert OLD_NOTES in json.dumps(service.export_map(account, as_of=str(latest - 1)), ensure_ascii=False)
    report = service.apply_retention(1, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=2))

    assert report["deleted"] > 0
    assert service.export_map(account) == current
    assert service.export_map(account, as_of=str(latest)) == current
    with pytest.raises(HistoryNotKeptError):
        service.export_map(account, as_of=str(latest - 1))
    assert [c["revision"] for c in service.history(account)["changes"]] == [latest]
    assert deleted not in service.store.change_log_accounts()
    secrets = (OLD_NOTES, DELETED_SUBJECT)
    if isinstance(service.store, SQLiteStore):
        assert [s for s in secrets if s.encode() in raw_bytes(service.store)] == []
    if isinstance(service.store, Neo4jStore):
        assert neo4j_leaks_of(service.store, account, secrets) == []
        assert neo4j_leaks_of(service.store, deleted, secrets) == []


def test_retention_keeps_history_younger_than_the_cutoff(service: PowermapService, prefix: str) -> None:
    account = prefix + "young"
    service.import_map(with_id(tiny_document(), account))
    service.update_account(account, {"name": "Renamed"})
    before = service.history(account)
    assert service.apply_retention(30)["deleted"] == 0
    assert service.history(account) == before
    assert service.export_map(account, as_of="1")["account"]["name"] == "Tiny Co"


def test_retention_prunes_the_roadmap_change_log_and_its_revision_never_goes_back(
    service: PowermapService, prefix: str
) -> None:
    before = service.store.read_roadmap()
    try:
        item = {"id": prefix + "r-retained", "title": "Old roadmap entry 7k", "status": "planned"}
        service.put_roadmap_item(item)
        revision = service.store.roadmap_revision()
        assert any(c.subject == item["id"] for c in service.store.list_roadmap_changes(limit=1000))
        report = service.apply_retention(1, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
        assert report["roadmap_changes_deleted"] >= 1
        assert item["id"] not in {c.subject for c in service.store.list_roadmap_changes(limit=1000)}
        assert service.store.roadmap_revision() == revision  # the revision is kept, not reset
        service.remove_roadmap_item(item["id"])
        assert service.store.roadmap_revision() == revision + 1
        assert service.store.list_roadmap_changes(limit=1)[0].revision == revision + 1
        young = service.apply_retention(1)
        assert young["roadmap_changes_deleted"] == 0
    finally:
        service.store.put_roadmap(before, Change("tester", "cleanup"), detach=True)


@pytest.fixture
def eight_hours_ahead_of_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local time zone set to UTC+8 (a POSIX TZ string: no time zone database needed)."""
    monkeypatch.setenv("TZ", "CST-8")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_roadmap_cutoff_is_a_moment_whatever_the_local_time_zone(
    store: Store, prefix: str, eight_hours_ahead_of_utc: None
) -> None:
    before = store.read_roadmap()
    try:
        item = parse_roadmap({"items": [{"id": prefix + "r-today", "title": "Logged just now"}]}).items[0]
        store.put_roadmap_item(item, Change("tester", "test", item.id))
        store.prune_roadmap_changes(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
        assert store.list_roadmap_changes(limit=1)[0].subject == item.id
    finally:
        store.put_roadmap(before, Change("tester", "cleanup"), detach=True)
