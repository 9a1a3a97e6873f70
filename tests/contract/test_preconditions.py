"""Revisions and versions in and out, on every store: what a caller saw guards what it writes.

A stale precondition is refused (412 at the HTTP edge) and changes nothing; an id already taken is a
different refusal (409); two editors of two different items never conflict.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from typing import Any

import pytest

from powermap.errors import (
    AccountNotFoundError,
    ActivityNotFoundError,
    EdgeNotFoundError,
    IdTakenError,
    InvalidMapError,
    StakeholderNotFoundError,
    StaleRevisionError,
    StaleVersionError,
)
from powermap.model import Activity, EdgeKind, Influence, NodeKind, Stakeholder, TeamMember
from powermap.service import PowermapService
from tests.factories import normalized, tiny_document


def with_id(document: dict[str, Any], account_id: str) -> dict[str, Any]:
    document = copy.deepcopy(document)
    document["account"]["id"] = account_id
    return document


def seeded(service: PowermapService, prefix: str, name: str = "p") -> str:
    account = prefix + name
    service.import_map(with_id(tiny_document(), account))
    return account


def state(service: PowermapService, account: str) -> tuple[dict[str, Any], int]:
    snapshot = service.snapshot(account)
    return snapshot.account_map.to_document(), snapshot.revision


def independent_version(item: dict[str, Any]) -> str:
    """The documented rule, computed here by hand: sha256 of the sorted contract JSON, 20 hex digits."""
    text = json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def test_reads_return_the_revision_and_each_items_version(service: PowermapService, prefix: str) -> None:
    account = seeded(service, prefix)
    assert service.snapshot(account).revision == 1 == service.store.revision(account)
    cto = next(s for s in tiny_document()["stakeholders"] if s["id"] == "cto")
    read = service.get_node(account, NodeKind.STAKEHOLDER, "cto")
    assert (read.revision, read.version) == (1, independent_version(cto))
    listing = service.list_nodes(account, NodeKind.STAKEHOLDER)
    assert [(v.item.id, v.version) for v in listing.items] == [
        (s["id"], independent_version(s)) for s in tiny_document()["stakeholders"]
    ]
    line = service.get_edge(account, EdgeKind.INFLUENCES, "cto", "ceo").item
    assert line == Influence(source="cto", target="ceo", weight=0.7)
    assert service.get_activity(account, "a1").revision == 1
    assert service.account_record(account).item.name == "Tiny Co"
    with pytest.raises(AccountNotFoundError):
        service.store.revision(prefix + "ghost")
    with pytest.raises(StakeholderNotFoundError):
        service.get_node(account, NodeKind.STAKEHOLDER, "ghost")


def test_an_update_merges_fields_and_returns_the_new_revision_and_version(
    service: PowermapService, prefix: str
) -> None:
    account = seeded(service, prefix)
    before = service.get_node(account, NodeKind.STAKEHOLDER, "cto")
    after = service.update_node(account, NodeKind.STAKEHOLDER, "cto", {"stance": "champion"}, if_version=before.version)
    assert after.revision == 2
    assert after.item == before.item.model_copy(update={"stance": "champion"})
    expected = {**before.item.model_dump(mode="json"), "stance": "champion"}
    assert after.version == independent_version(expected) != before.version
    assert service.get_node(account, NodeKind.STAKEHOLDER, "cto").version == after.version


def test_a_stale_item_version_is_refused_and_changes_nothing(service: PowermapService, prefix: str) -> None:
    account = seeded(service, prefix)
    seen = service.get_node(account, NodeKind.STAKEHOLDER, "cto").version
    service.update_node(account, NodeKind.STAKEHOLDER, "cto", {"notes": "someone else"})
    before = state(service, account)
    with pytest.raises(StaleVersionError):
        service.update_node(account, NodeKind.STAKEHOLDER, "cto", {"notes": "mine"}, if_version=seen)
    with pytest.raises(StaleVersionError):
        service.delete_node(account, NodeKind.STAKEHOLDER, "cto", if_version=seen)
    assert state(service, account) == before


def test_editors_of_two_different_items_do_not_conflict(service: PowermapService, prefix: str) -> None:
    account = seeded(service, prefix)
    cto = service.get_node(account, NodeKind.STAKEHOLDER, "cto").version
    cfo = service.get_node(account, NodeKind.STAKEHOLDER, "cfo").version
    service.update_node(account, NodeKind.STAKEHOLDER, "cfo", {"stance": "supporter"}, if_version=cfo)
    done = service.update_node(account, NodeKind.STAKEHOLDER, "cto", {"notes": "x"}, if_version=cto)
    assert done.revision == 3
    assert service.get_node(account, NodeKind.STAKEHOLDER, "cfo").item.model_dump()["stance"] == "supporter"


def test_a_stale_account_revision_is_refused_even_for_an_untouched_item(service: PowermapService, prefix: str) -> None:
    account = seeded(service, prefix)
    service.update_node(account, NodeKind.STAKEHOLDER, "cfo", {"notes": "moved the account on"})
    before = state(service, account)
    with pytest.raises(StaleRevisionError) as refused:
        service.update_node(account, NodeKind.STAKEHOLDER, "cto", {"notes": "x"}, if_revision=1)
    assert (refused.value.expected, refused.value.actual) == (1, 2)
    with pytest.raises(StaleRevisionError):
        service.create_activity(account, Activity(id="a2", type="call", date="2026-10-02"), if_revision=1)
    with pytest.raises(StaleRevisionError):
        service.replace_map(account, with_id(tiny_document(), account), if_revision=1)
    with pytest.raises(StaleRevisionError):
        service.delete_account(account, if_revision=1)
    assert state(service, account) == before
    assert service.replace_map(account, with_id(tiny_document(), account), if_revision=2).revision == 3


def test_create_of_a_taken_id_is_refused_apart_from_a_stale_precondition(service: PowermapService, prefix: str) -> None:
    account = seeded(service, prefix)
    before = state(service, account)
    with pytest.raises(IdTakenError):
        service.create_node(account, Stakeholder(id="cto", name="Other", level="senior", influence=0.1))
    with pytest.raises(IdTakenError):
        service.create_node(account, TeamMember(id="li", name="Li", role="AR"))
    with pytest.raises(IdTakenError):
        service.create_edge(account, Influence(source="cto", target="ceo", weight=0.1))
    with pytest.raises(IdTakenError):
        service.create_activity(account, Activity(id="a1", type="call", date="2026-10-02"))
    with pytest.raises(IdTakenError):
        service.create_account(with_id(tiny_document(), account))
    assert service.create_account(with_id(tiny_document(), prefix + "new")).revision == 1
    assert state(service, account) == before
    assert not issubclass(IdTakenError, StaleRevisionError)


def test_items_of_every_kind_are_created_updated_and_deleted(service: PowermapService, prefix: str) -> None:
    account = seeded(service, prefix)
    new = service.create_node(account, Stakeholder(id="cio", name="Ivy", level="senior", influence=0.5))
    assert (new.revision, new.item.id) == (2, "cio")
    line = service.create_edge(account, Influence(source="cio", target="ceo", weight=0.3), if_revision=2)
    assert line.revision == 3
    moved = service.update_edge(account, EdgeKind.INFLUENCES, "cio", "ceo", {"weight": 0.6}, if_version=line.version)
    assert moved.item == Influence(source="cio", target="ceo", weight=0.6)
    activity = service.create_activity(
        account, Activity(id="a2", type="call", date="2026-10-02", stakeholders=("cio",))
    )
    changed = service.update_activity(account, "a2", {"outcome": "good"}, if_version=activity.version)
    assert changed.item.outcome == "good"
    record = service.account_record(account)
    renamed = service.update_account_record(account, {"name": "Renamed 改名"}, if_version=record.version)
    assert (renamed.item.name, renamed.item.industry) == ("Renamed 改名", "test")
    assert service.delete_node(account, NodeKind.STAKEHOLDER, "cio", if_version=new.version) == 8
    expected = with_id(tiny_document(), account)
    expected["account"]["name"] = "Renamed 改名"
    expected["activities"].append(
        {
            "id": "a2",
            "type": "call",
            "date": "2026-10-02",
            "members": [],
            "stakeholders": [],
            "outcome": "good",
            "notes": "",
        }
    )
    assert service.export_map(account) == normalized(expected)
    assert service.delete_activity(account, "a2") == 9
    assert service.delete_edge(account, EdgeKind.INFLUENCES, "cfo", "ceo") == 10


def test_updates_of_missing_items_or_of_identifying_fields_are_refused(service: PowermapService, prefix: str) -> None:
    account = seeded(service, prefix)
    before = state(service, account)
    with pytest.raises(StakeholderNotFoundError):
        service.update_node(account, NodeKind.STAKEHOLDER, "ghost", {"notes": "x"}, if_version="0" * 20)
    with pytest.raises(EdgeNotFoundError):
        service.update_edge(account, EdgeKind.INFLUENCES, "ceo", "cto", {"weight": 0.1})
    with pytest.raises(ActivityNotFoundError):
        service.delete_activity(account, "ghost")
    with pytest.raises(InvalidMapError, match=r"stakeholder\.id"):
        service.update_node(account, NodeKind.STAKEHOLDER, "cto", {"id": "cto2"})
    with pytest.raises(InvalidMapError, match=r"influence line\.from"):
        service.update_edge(account, EdgeKind.INFLUENCES, "cto", "ceo", {"from": "cfo"})
    with pytest.raises(InvalidMapError, match=r"stakeholder\.influence"):
        service.update_node(account, NodeKind.STAKEHOLDER, "cto", {"influence": 2})
    with pytest.raises(InvalidMapError, match="not a field"):
        service.update_node(account, NodeKind.STAKEHOLDER, "cto", {"salary": 1})
    with pytest.raises(AccountNotFoundError):
        service.replace_map(prefix + "ghost", with_id(tiny_document(), prefix + "ghost"), if_revision=4)
    with pytest.raises(InvalidMapError, match=r"account\.id"):
        service.replace_map(account, with_id(tiny_document(), prefix + "other"))
    assert state(service, account) == before


def test_concurrent_editors_of_one_item_with_one_version_apply_exactly_once(
    service: PowermapService, prefix: str
) -> None:
    account = seeded(service, prefix)
    seen = service.get_node(account, NodeKind.STAKEHOLDER, "cto").version
    applied: list[str] = []
    refused: list[str] = []
    lock = threading.Lock()

    def edit(n: int) -> None:
        try:
            service.update_node(account, NodeKind.STAKEHOLDER, "cto", {"notes": f"editor {n}"}, if_version=seen)
        except StaleVersionError:
            with lock:
                refused.append(f"editor {n}")
        else:
            with lock:
                applied.append(f"editor {n}")

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(applied) == 1
    assert len(refused) == 7
    assert service.get_node(account, NodeKind.STAKEHOLDER, "cto").item.model_dump()["notes"] == applied[0]
