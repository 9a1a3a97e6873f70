"""Voices and the roadmap on every store (SQLite always, a real Neo4j server when configured)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from powermap.errors import ConflictError, RoadmapItemInUseError, RoadmapItemNotFoundError, VoiceNotFoundError
from powermap.model import NodeKind, Voice, parse_account_map, parse_roadmap
from powermap.store import Change, Store
from tests.factories import normalized, tiny_document
from tests.voice_factories import roadmap_document, voiced_document

CHANGE = Change("tester", "test")


@pytest.fixture
def roadmap(store: Store, prefix: str) -> Iterator[str]:
    """Our prefixed roadmap in the store; whatever roadmap was there before comes back afterwards."""
    before = store.read_roadmap()
    items = [item for item in before.items if not item.id.startswith(prefix)]
    store.put_roadmap(
        parse_roadmap({"items": [*roadmap_document(prefix)["items"], *(i.model_dump() for i in items)]}), CHANGE
    )
    yield prefix
    store.put_roadmap(before, CHANGE, detach=True)


def stored(store: Store, account: str, prefix: str) -> dict[str, Any]:
    document = voiced_document(account, prefix)
    store.put_map(parse_account_map(document, roadmap_ids={i.id for i in store.read_roadmap().items}), CHANGE)
    return document


def test_voices_round_trip_in_order_with_every_field(store: Store, prefix: str, roadmap: str) -> None:
    document = stored(store, prefix + "acme", prefix)
    assert store.get_map(prefix + "acme").to_document() == normalized(document)


def test_a_v1_document_without_voices_exports_with_an_empty_voices_list_only(store: Store, prefix: str) -> None:
    document = tiny_document(prefix + "plain")
    document["competitors"][0]["notes"] = ""  # every other field is already spelled out
    store.put_map(parse_account_map(document), CHANGE)
    exported = store.get_map(prefix + "plain").to_document()
    assert set(exported) - set(document) == {"voices"}
    assert exported["voices"] == []
    assert {k: v for k, v in exported.items() if k != "voices"} == document


def test_a_voice_is_added_at_the_end_replaced_in_place_and_removed(store: Store, prefix: str, roadmap: str) -> None:
    account = prefix + "acme"
    stored(store, account, prefix)
    revision = store.read(account).revision
    new = Voice.model_validate(
        {"id": "v5", "stakeholder": "ceo", "date": "2026-11-01", "text": "新的声音", "roadmap": [f"{prefix}r9"]}
    )
    revision = store.put_voice(account, new, CHANGE, expected_revision=revision)
    assert [v.id for v in store.get_map(account).voices] == ["v1", "v2", "v3", "v4", "v5"]
    with pytest.raises(RoadmapItemInUseError) as in_use:  # the added voice belongs to its account
        store.remove_roadmap_item(f"{prefix}r9", CHANGE)
    assert in_use.value.voices == ((account, "v5"),)
    changed = Voice.model_validate(
        voiced_document(prefix=prefix)["voices"][0] | {"status": "resolved", "closed_on": "2026-11-02"}
    )
    revision = store.put_voice(account, changed, CHANGE, expected_revision=revision)
    voices = store.get_map(account).voices
    assert [v.id for v in voices] == ["v1", "v2", "v3", "v4", "v5"]
    assert voices[0].status == "resolved"
    assert str(voices[0].closed_on) == "2026-11-02"
    assert voices[-1] == new
    revision = store.remove_voice(account, "v2", CHANGE, expected_revision=revision)
    assert [v.id for v in store.get_map(account).voices] == ["v1", "v3", "v4", "v5"]
    with pytest.raises(VoiceNotFoundError, match="v2"):
        store.remove_voice(account, "v2", CHANGE, expected_revision=revision)


def test_removing_a_stakeholder_removes_their_voices_and_an_activity_only_its_reference(
    store: Store, prefix: str, roadmap: str
) -> None:
    account = prefix + "acme"
    stored(store, account, prefix)
    revision = store.read(account).revision
    revision = store.remove_activity(account, "a1", CHANGE, expected_revision=revision)
    v1 = store.get_map(account).voices[0]
    assert (v1.id, v1.activity, v1.text) == ("v1", None, voiced_document()["voices"][0]["text"])
    store.remove_node(account, NodeKind.STAKEHOLDER, "cto", CHANGE, expected_revision=revision)
    assert [v.id for v in store.get_map(account).voices] == ["v2", "v3"]


def test_the_roadmap_round_trips_in_order_and_items_are_upserted(store: Store, prefix: str, roadmap: str) -> None:
    mine = [i.model_dump(mode="json") for i in store.read_roadmap().items if i.id.startswith(prefix)]
    assert mine == roadmap_document(prefix)["items"]
    changed = parse_roadmap({"items": [{"id": f"{prefix}r8", "title": "Group licence", "status": "committed"}]}).items[
        0
    ]
    store.put_roadmap_item(changed, CHANGE)
    added = parse_roadmap({"items": [{"id": f"{prefix}r10", "title": "New"}]}).items[0]
    store.put_roadmap_item(added, CHANGE)
    mine_after = [i for i in store.read_roadmap().items if i.id.startswith(prefix)]
    assert [i.id for i in mine_after] == [f"{prefix}r7", f"{prefix}r8", f"{prefix}r9", f"{prefix}r10"]
    assert mine_after[1] == changed


def test_an_item_answering_voices_is_not_removed_unless_detached(store: Store, prefix: str, roadmap: str) -> None:
    account = prefix + "acme"
    stored(store, account, prefix)
    revision = store.read(account).revision
    with pytest.raises(RoadmapItemInUseError) as refused:
        store.remove_roadmap_item(f"{prefix}r7", CHANGE)
    assert refused.value.voices == ((account, "v1"), (account, "v3"))
    assert "v1" in str(refused.value)
    assert "--force" in str(refused.value)
    assert store.read(account).revision == revision
    store.remove_roadmap_item(f"{prefix}r9", CHANGE)  # nobody asked for it
    store.remove_roadmap_item(f"{prefix}r7", CHANGE, detach=True)
    snapshot = store.read(account)
    assert snapshot.revision == revision + 1
    assert [v.roadmap for v in snapshot.account_map.voices] == [(), (f"{prefix}r8",), (), ()]
    assert [i.id for i in store.read_roadmap().items if i.id.startswith(prefix)] == [f"{prefix}r8"]
    with pytest.raises(RoadmapItemNotFoundError):
        store.remove_roadmap_item(f"{prefix}r7", CHANGE)


def test_replacing_the_roadmap_without_an_item_in_use_is_refused_unless_detached(
    store: Store, prefix: str, roadmap: str
) -> None:
    account = prefix + "acme"
    stored(store, account, prefix)
    others = [i for i in store.read_roadmap().items if not i.id.startswith(prefix)]
    smaller = parse_roadmap({"items": [roadmap_document(prefix)["items"][0], *(i.model_dump() for i in others)]})
    with pytest.raises(RoadmapItemInUseError, match="v2"):
        store.put_roadmap(smaller, CHANGE)
    assert len([i for i in store.read_roadmap().items if i.id.startswith(prefix)]) == 3
    store.put_roadmap(smaller, CHANGE, detach=True)
    assert [v.roadmap for v in store.get_map(account).voices] == [(f"{prefix}r7",), (), (f"{prefix}r7",), ()]


def test_a_voice_naming_an_item_removed_meanwhile_is_a_conflict(store: Store, prefix: str, roadmap: str) -> None:
    account = prefix + "acme"
    stored(store, account, prefix)
    store.remove_roadmap_item(f"{prefix}r9", CHANGE)
    voice = Voice.model_validate(
        {"id": "v9", "stakeholder": "ceo", "date": "2026-11-01", "text": "x", "roadmap": [f"{prefix}r9"]}
    )
    with pytest.raises(ConflictError) as conflict:
        store.put_voice(account, voice, CHANGE, expected_revision=store.read(account).revision)
    assert [v.id for v in store.get_map(account).voices] == ["v1", "v2", "v3", "v4"]
    message = str(conflict.value)  # says what happened and what to do, in the house's lower-case style
    assert message.startswith(("roadmap item", "a roadmap item"))
    assert "was removed meanwhile; read the roadmap again" in message


@pytest.mark.neo4j
def test_in_neo4j_voices_are_nodes_between_stakeholders_activities_and_roadmap_items() -> None:
    import uuid

    from neo4j import GraphDatabase

    from powermap.store import open_store
    from powermap.store.neo4j import Neo4jStore
    from tests.conftest import neo4j_or_skip

    url = neo4j_or_skip()
    prefix = f"t{uuid.uuid4().hex[:8]}-"
    with open_store(url) as neo4j:
        neo4j.put_roadmap(
            parse_roadmap(
                {"items": [*roadmap_document(prefix)["items"], *(i.model_dump() for i in neo4j.read_roadmap().items)]}
            ),
            CHANGE,
        )
        try:
            stored(neo4j, prefix + "acme", prefix)
            with GraphDatabase.driver(url) as driver, driver.session() as session:
                rows = session.run(
                    "MATCH (a:Account {id: $account})"
                    " MATCH (s:Stakeholder {scope: a.scope})-[:VOICED]->(v:Voice)"
                    " OPTIONAL MATCH (v)-[:ANSWERED_BY]->(r:RoadmapItem)"
                    " OPTIONAL MATCH (v)-[:HEARD_AT]->(x:Activity)"
                    " RETURN s.id AS s, v.id AS v, collect(r.id) AS items, x.id AS heard ORDER BY v",
                    account=prefix + "acme",
                ).data()
            assert rows == [
                {"s": "cto", "v": "v1", "items": [f"{prefix}r7"], "heard": "a1"},
                {"s": "cfo", "v": "v2", "items": [f"{prefix}r8"], "heard": None},
                {"s": "ceo", "v": "v3", "items": [f"{prefix}r7"], "heard": None},
                {"s": "cto", "v": "v4", "items": [], "heard": None},
            ]
            assert isinstance(neo4j, Neo4jStore)
            # The Browser query: v1 is the only open pain, answered by the committed r7.
            assert neo4j.open_pains_cypher(prefix + "acme") == [
                {
                    "stakeholder": "cto",
                    "name": "Tao",
                    "voice": "v1",
                    "date": "2026-09-12",
                    "text": voiced_document()["voices"][0]["text"],
                    "items": [{"id": f"{prefix}r7", "title": "Zero-downtime MES cut-over", "status": "committed"}],
                    "answered": True,
                }
            ]
            revision = neo4j.read(prefix + "acme").revision
            neo4j.put_voice(
                prefix + "acme",
                Voice.model_validate(
                    {
                        "id": "v0",
                        "stakeholder": "cfo",
                        "date": "2026-10-02",
                        "text": "无人回应",
                        "category": "pain",
                        "roadmap": [f"{prefix}r9"],
                    }
                ),
                CHANGE,
                expected_revision=revision,
            )
            assert [(r["voice"], r["answered"]) for r in neo4j.open_pains_cypher(prefix + "acme")] == [
                ("v0", False),
                ("v1", True),
            ]
        finally:
            neo4j.delete_account(prefix + "acme", CHANGE)
            neo4j.put_roadmap(
                parse_roadmap(
                    {"items": [i.model_dump() for i in neo4j.read_roadmap().items if not i.id.startswith(prefix)]}
                ),
                CHANGE,
            )


def test_detaching_an_item_takes_only_that_item_out_of_the_voices(store: Store, prefix: str, roadmap: str) -> None:
    account = prefix + "acme"
    stored(store, account, prefix)
    both = Voice.model_validate(
        {"id": "v5", "stakeholder": "ceo", "date": "2026-11-01", "text": "x", "roadmap": [f"{prefix}r7", f"{prefix}r8"]}
    )
    store.put_voice(account, both, CHANGE, expected_revision=store.read(account).revision)
    store.remove_roadmap_item(f"{prefix}r7", CHANGE, detach=True)
    assert [v.roadmap for v in store.get_map(account).voices] == [(), (f"{prefix}r8",), (), (), (f"{prefix}r8",)]


def test_detaching_is_logged_in_the_account_by_who_asked_naming_the_items_and_the_voices(
    store: Store, prefix: str, roadmap: str
) -> None:
    account = prefix + "acme"
    stored(store, account, prefix)
    store.remove_roadmap_item(f"{prefix}r7", Change("ann", "remove roadmap item"), detach=True)
    logged = store.list_changes(account, limit=1)[0]
    assert (logged.actor, logged.operation) == ("ann", "detach roadmap items")
    assert logged.subject == f"{prefix}r7 from voices v1, v3"


def test_detaching_several_items_at_once_is_one_change_naming_them_all(store: Store, prefix: str, roadmap: str) -> None:
    account = prefix + "acme"
    stored(store, account, prefix)
    others = [i for i in store.read_roadmap().items if not i.id.startswith(prefix)]
    only_r9 = parse_roadmap({"items": [roadmap_document(prefix)["items"][2], *(i.model_dump() for i in others)]})
    store.put_roadmap(only_r9, Change("ann", "import roadmap"), detach=True)
    logged = store.list_changes(account, limit=1)[0]
    assert (logged.actor, logged.operation) == ("ann", "detach roadmap items")
    assert logged.subject == f"{prefix}r7, {prefix}r8 from voices v1, v2, v3"
