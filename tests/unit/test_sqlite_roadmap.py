"""The roadmap in a fresh SQLite store: items keep the order they were added in, and detaching is logged by name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from powermap.model import RoadmapItem, Voice, parse_account_map, parse_roadmap
from powermap.settings import Settings
from powermap.store import Change, Store, open_store
from tests.factories import tiny_document

CHANGE = Change("tester", "test")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path}/store.db", Settings()) as opened:
        yield opened


def test_items_put_one_by_one_into_an_empty_roadmap_keep_their_order(store: Store) -> None:
    assert store.read_roadmap().items == ()
    for item_id in ("r2", "r1", "r3"):
        store.put_roadmap_item(RoadmapItem(id=item_id, title=item_id), CHANGE)
    store.put_roadmap_item(RoadmapItem(id="r1", title="renamed"), CHANGE)  # in place, not moved to the end
    assert [(i.id, i.title) for i in store.read_roadmap().items] == [("r2", "r2"), ("r1", "renamed"), ("r3", "r3")]


def test_detaching_roadmap_items_logs_which_items_left_which_voices(store: Store) -> None:
    store.put_roadmap(parse_roadmap({"items": [{"id": "r7", "title": "A"}, {"id": "r8", "title": "B"}]}), CHANGE)
    document = tiny_document("tiny")
    voices = [
        Voice(id=v, stakeholder="cto", date=dt.date(2026, 11, 2), text="t", roadmap=("r7", "r8")) for v in ("v1", "v2")
    ]
    document["voices"] = [v.model_dump(mode="json") for v in voices]
    store.put_map(parse_account_map(document), CHANGE)
    store.put_roadmap(parse_roadmap({"items": []}), CHANGE, detach=True)
    assert [v.roadmap for v in store.read("tiny").account_map.voices] == [(), ()]
    latest = store.list_changes("tiny")[0]
    assert (latest.operation, latest.subject) == ("detach roadmap items", "r7, r8 from voices v1, v2")
