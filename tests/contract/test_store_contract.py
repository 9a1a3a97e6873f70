"""One contract for every store: run against SQLite always and against a real Neo4j server when configured."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from powermap.errors import (
    AccountNotFoundError,
    ActivityNotFoundError,
    EdgeNotFoundError,
    InvalidMapError,
    MemberNotFoundError,
    StakeholderNotFoundError,
    StaleRevisionError,
)
from powermap.model import EdgeKind, NodeKind, Stakeholder, parse_account_map
from powermap.service import PowermapService
from powermap.store import Change, Store
from tests.factories import hostile_document, normalized, random_documents, sample_document, tiny_document

CHANGE = Change("tester", "test")


def with_id(document: dict[str, Any], account_id: str) -> dict[str, Any]:
    document = copy.deepcopy(document)
    document["account"]["id"] = account_id
    return document


def exported(service: PowermapService, account_id: str) -> dict[str, Any]:
    return service.export_map(account_id)


# -- whole maps ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [sample_document, tiny_document, hostile_document], ids=["sample", "tiny", "hostile"])
def test_a_stored_map_reads_back_identical_in_the_same_order(service: PowermapService, prefix: str, make: Any) -> None:
    document = with_id(make(), prefix + make().get("account", {}).get("id", "x"))
    result = service.import_map(document)
    assert result.revision == 1
    assert exported(service, result.account) == normalized(document)


def test_hostile_ids_and_text_round_trip_as_data(service: PowermapService, prefix: str) -> None:
    document = with_id(hostile_document(), prefix + "x'`}//\"")
    service.import_map(document)
    back = exported(service, document["account"]["id"])
    assert json.dumps(back, ensure_ascii=False, sort_keys=True) == json.dumps(
        normalized(document), ensure_ascii=False, sort_keys=True
    )


def test_importing_again_replaces_the_map_and_moves_the_revision(service: PowermapService, prefix: str) -> None:
    account = prefix + "acme"
    service.import_map(with_id(sample_document(), account))
    smaller = with_id(tiny_document(), account)
    assert service.import_map(smaller).revision == 2
    assert exported(service, account) == normalized(smaller)
    assert service.store.read(account).revision == 2


def test_accounts_are_listed_with_their_size_and_deleted_whole(service: PowermapService, prefix: str) -> None:
    service.import_map(with_id(tiny_document(), prefix + "b"))
    service.import_map(with_id(sample_document(), prefix + "a"))
    mine = [s for s in service.accounts() if s.id.startswith(prefix)]
    assert [(s.id, s.stakeholders, s.revision) for s in mine] == [(prefix + "a", 30, 1), (prefix + "b", 3, 1)]
    service.delete_account(prefix + "a")
    assert [s.id for s in service.accounts() if s.id.startswith(prefix)] == [prefix + "b"]
    with pytest.raises(AccountNotFoundError):
        service.export_map(prefix + "a")
    with pytest.raises(AccountNotFoundError):
        service.delete_account(prefix + "a")


def test_accounts_are_isolated_even_with_the_same_ids(service: PowermapService, prefix: str) -> None:
    first, second = prefix + "one", prefix + "two"
    service.import_map(with_id(tiny_document(), first))
    service.import_map(with_id(tiny_document(), second))
    service.remove_node(first, NodeKind.STAKEHOLDER, "cto")
    service.put_edge(first, EdgeKind.INFLUENCES, {"from": "cfo", "to": "ceo", "weight": 0.9})
    assert exported(service, second) == normalized(with_id(tiny_document(), second))
    service.import_map(with_id(sample_document(), first))
    service.delete_account(first)
    assert exported(service, second) == normalized(with_id(tiny_document(), second))


def test_a_refused_import_leaves_the_store_exactly_as_it_was(service: PowermapService, prefix: str) -> None:
    account = prefix + "acme"
    service.import_map(with_id(tiny_document(), account))
    before = (exported(service, account), service.store.read(account).revision)
    broken = with_id(sample_document(), account)
    broken["reports_to"].append({"from": "ceo", "to": "ghost"})
    with pytest.raises(InvalidMapError, match=r"reports_to\[\d+\]\.to \(from 'ceo' to 'ghost'\)"):
        service.import_map(broken)
    assert (exported(service, account), service.store.read(account).revision) == before
    with pytest.raises(InvalidMapError):
        service.import_map(with_id(broken, prefix + "new"))
    assert prefix + "new" not in {s.id for s in service.accounts()}


def test_an_import_that_fails_midway_leaves_the_previous_map_intact(service: PowermapService, prefix: str) -> None:
    account = prefix + "acme"
    service.import_map(with_id(tiny_document(), account))
    calls: list[int] = []

    def fail_after_first_batch(done: int, total: int) -> None:
        calls.append(done)
        raise RuntimeError("lost the connection")

    with pytest.raises(RuntimeError):
        service.import_map(with_id(sample_document(), account), on_progress=fail_after_first_batch)
    assert calls
    assert exported(service, account) == normalized(with_id(tiny_document(), account))
    assert service.store.read(account).revision == 1


def test_progress_is_reported_up_to_every_row(service: PowermapService, prefix: str) -> None:
    seen: list[tuple[int, int]] = []
    service.import_map(with_id(sample_document(), prefix + "p"), on_progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] > 100
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


# -- fine-grained edits ---------------------------------------------------------------------------------------


def test_put_node_appends_a_new_node_and_updates_an_existing_one_in_place(
    service: PowermapService, prefix: str
) -> None:
    account = prefix + "t"
    service.import_map(with_id(tiny_document(), account))
    new = {"id": "coo", "name": '老赵 "Zhao"', "level": "executive", "influence": 0.8, "stance": "opponent"}
    created = service.put_node(account, NodeKind.STAKEHOLDER, new)
    assert isinstance(created, Stakeholder)
    assert created.stance == "opponent"
    updated = {**tiny_document()["stakeholders"][0], "stance": "champion"}
    service.put_node(account, NodeKind.STAKEHOLDER, updated)
    expected = with_id(tiny_document(), account)
    expected["stakeholders"][0]["stance"] = "champion"
    expected["stakeholders"].append(new)
    assert exported(service, account) == normalized(expected)
    assert service.store.read(account).revision == 3


def test_removing_a_stakeholder_removes_its_lines_and_its_place_in_activities(
    service: PowermapService, prefix: str
) -> None:
    account = prefix + "t"
    service.import_map(with_id(tiny_document(), account))
    service.remove_node(account, NodeKind.STAKEHOLDER, "cto")
    expected = with_id(tiny_document(), account)
    expected["stakeholders"] = [s for s in expected["stakeholders"] if s["id"] != "cto"]
    expected["reports_to"] = [{"from": "cfo", "to": "ceo"}]
    expected["influences"] = [{"from": "cfo", "to": "ceo", "weight": 0.4}]
    expected["relationships"] = []
    expected["activities"][0]["stakeholders"] = []
    assert exported(service, account) == normalized(expected)


def test_removing_a_member_or_competitor_removes_their_relationships(service: PowermapService, prefix: str) -> None:
    account = prefix + "t"
    service.import_map(with_id(tiny_document(), account))
    service.remove_node(account, NodeKind.MEMBER, "li")
    service.remove_node(account, NodeKind.COMPETITOR, "rival")
    back = exported(service, account)
    assert back["relationships"] == []
    assert back["competitor_relationships"] == []
    assert back["activities"][0]["members"] == []
    assert [m["id"] for m in back["team"]] == ["boss"]
    assert back["competitors"] == []


def test_lines_are_created_updated_in_place_and_removed(service: PowermapService, prefix: str) -> None:
    account = prefix + "t"
    service.import_map(with_id(tiny_document(), account))
    service.put_edge(account, EdgeKind.RELATIONSHIP, {"member": "boss", "stakeholder": "ceo", "strength": 0.3})
    service.put_edge(account, EdgeKind.INFLUENCES, {"from": "cto", "to": "ceo", "weight": 0.2})
    service.put_edge(
        account, EdgeKind.COMPETITOR_RELATIONSHIP, {"competitor": "rival", "stakeholder": "ceo", "strength": 0.9}
    )
    service.put_edge(
        account, EdgeKind.RELATIONSHIP, {"member": "li", "stakeholder": "cto", "strength": 0.9, "last_contact": None}
    )
    service.remove_edge(account, EdgeKind.REPORTS_TO, "cfo", "ceo")
    expected = with_id(tiny_document(), account)
    expected["relationships"] = [
        {"member": "li", "stakeholder": "cto", "strength": 0.9},
        {"member": "boss", "stakeholder": "ceo", "strength": 0.3},
    ]
    expected["influences"][0]["weight"] = 0.2
    expected["competitor_relationships"].append({"competitor": "rival", "stakeholder": "ceo", "strength": 0.9})
    expected["reports_to"] = [{"from": "cto", "to": "ceo"}]
    assert exported(service, account) == normalized(expected)


def test_activities_and_the_account_record_can_be_edited(service: PowermapService, prefix: str) -> None:
    account = prefix + "t"
    service.import_map(with_id(tiny_document(), account))
    activity = {
        "id": "a2",
        "type": "summit",
        "date": "2026-11-01",
        "members": ["boss"],
        "stakeholders": ["ceo"],
        "outcome": "高层峰会",
        "notes": "",
    }
    service.put_activity(account, activity)
    service.remove_activity(account, "a1")
    service.update_account(account, {"name": "Renamed 改名", "industry": "rail", "notes": "n"})
    back = exported(service, account)
    assert back["activities"] == [activity]
    assert back["account"] == {"id": account, "name": "Renamed 改名", "industry": "rail", "notes": "n"}
    assert service.store.read(account).revision == 4


def test_an_edit_that_breaks_the_contract_is_refused_and_changes_nothing(service: PowermapService, prefix: str) -> None:
    account = prefix + "t"
    service.import_map(with_id(tiny_document(), account))
    before = (exported(service, account), service.store.read(account).revision)
    with pytest.raises(InvalidMapError, match=r"relationships\[\d\]\.stakeholder \(member 'li' to 'ghost'\)"):
        service.put_edge(account, EdgeKind.RELATIONSHIP, {"member": "li", "stakeholder": "ghost", "strength": 0.5})
    with pytest.raises(InvalidMapError, match=r"stakeholder\.influence \('ceo'\)"):
        service.put_node(
            account, NodeKind.STAKEHOLDER, {"id": "ceo", "name": "C", "level": "executive", "influence": 7}
        )
    with pytest.raises(InvalidMapError, match="cycle"):
        service.put_edge(account, EdgeKind.REPORTS_TO, {"from": "ceo", "to": "cto"})
    with pytest.raises(StakeholderNotFoundError):
        service.remove_node(account, NodeKind.STAKEHOLDER, "ghost")
    with pytest.raises(MemberNotFoundError):
        service.remove_node(account, NodeKind.MEMBER, "ghost")
    with pytest.raises(EdgeNotFoundError):
        service.remove_edge(account, EdgeKind.INFLUENCES, "ceo", "cto")
    with pytest.raises(ActivityNotFoundError):
        service.remove_activity(account, "ghost")
    with pytest.raises(AccountNotFoundError):
        service.put_node(prefix + "ghost", NodeKind.COMPETITOR, {"id": "c", "name": "C"})
    assert (exported(service, account), service.store.read(account).revision) == before


def test_a_write_against_a_stale_revision_is_refused(store: Store, prefix: str) -> None:
    account = prefix + "t"
    store.put_map(parse_account_map(with_id(tiny_document(), account)), CHANGE)
    node = parse_account_map(tiny_document()).stakeholders[0]
    assert store.put_node(account, node, CHANGE, expected_revision=1) == 2
    with pytest.raises(StaleRevisionError):
        store.put_node(account, node, CHANGE, expected_revision=1)
    assert store.read(account).revision == 2


# -- analyses give the same answer on every store ----------------------------------------------------------------


def analyses(service: PowermapService, account: str, target: str) -> dict[str, Any]:
    return {
        "analyze": service.analyze(account),
        "paths": service.paths(account, target, k=4),
        "recommend": service.recommend(account, limit=20),
    }


def test_the_sample_analyses_match_the_in_memory_answer(service: PowermapService, prefix: str) -> None:
    from powermap.store import open_store

    account = prefix + "acme"
    service.import_map(with_id(sample_document(), account))
    with open_store("sqlite:///:memory:") as memory:
        reference = PowermapService(memory)
        reference.import_map(with_id(sample_document(), account))
        assert analyses(service, account, "ceo") == analyses(reference, account, "ceo")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=random_documents())
def test_random_maps_give_identical_json_on_every_store(
    service: PowermapService, prefix: str, document: dict[str, Any]
) -> None:
    from powermap.store import open_store

    account = prefix + "rnd"
    service.import_map(with_id(document, account))
    target = document["stakeholders"][-1]["id"]
    with open_store("sqlite:///:memory:") as memory:
        reference = PowermapService(memory)
        reference.import_map(with_id(document, account))
        expected = json.dumps(analyses(reference, account, target), sort_keys=True)
    assert json.dumps(analyses(service, account, target), sort_keys=True) == expected


def test_an_account_without_an_industry_is_listed_with_none(service: PowermapService, prefix: str) -> None:
    document = with_id(tiny_document(), prefix + "plain")
    del document["account"]["industry"]
    service.import_map(document)
    assert [s.industry for s in service.accounts() if s.id == prefix + "plain"] == [""]


def test_an_accounts_change_log_lists_the_latest_fifty_unless_told_how_many(store: Store, prefix: str) -> None:
    service = PowermapService(store, actor="tester")
    account = prefix + "busy"
    service.import_map(with_id(tiny_document(), account))
    for n in range(50):
        service.update_account(account, {"name": f"Busy {n}"})
    assert [c.revision for c in store.list_changes(account)] == list(range(51, 1, -1))
    assert [c.revision for c in store.list_changes(account, limit=51)][-1] == 1


def test_the_change_log_of_a_deleted_account_says_who_deleted_it(store: Store, prefix: str) -> None:
    account = prefix + "gone"
    PowermapService(store, actor="tester").import_map(with_id(tiny_document(), account))
    store.delete_account(account, Change("ann", "delete account", account), expected_revision=1)
    last = store.list_changes(account, limit=1)[0]
    assert (last.revision, last.actor, last.operation, last.subject) == (2, "ann", "delete account", account)
