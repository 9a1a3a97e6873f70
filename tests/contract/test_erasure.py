"""Erasing a person (issue 11), on every store: the live map, the history, the bytes on disk.

The person gets strings found nowhere else (name, title, notes, id), so "not in the store" can be
checked by searching for them: in exports, in the history, in the SQLite file and its WAL (raw bytes)
and, on Neo4j, in every node and relationship property through Cypher. Each check is shown to bite
by finding the strings before the erasure.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from powermap.errors import StakeholderNotFoundError
from powermap.model import EDGE_LISTS, EdgeKind, NodeKind, parse_account_map
from powermap.service import PowermapService
from powermap.store import Store
from powermap.store.neo4j import Neo4jStore
from powermap.store.sqlite import SQLiteStore, path_from_url
from tests.contract.test_store_contract import with_id
from tests.factories import tiny_document

ERASED_ID = "zx-erase-me-7f3a"
SECRETS = (
    ERASED_ID,
    "Zhou Xiaoyan 周晓燕",
    "Chief Secret Officer 9q",
    "asked-about-her-divorce 4k",
    "prefers tea 8w",
    "her voice: the MES cut-over scares me 2p",
)


def person(notes: str = SECRETS[3]) -> dict[str, Any]:
    return {
        "id": ERASED_ID,
        "name": SECRETS[1],
        "title": SECRETS[2],
        "department": "Strategy",
        "level": "executive",
        "decision_role": "business_evaluator",
        "influence": 0.8,
        "stance": "skeptic",
        "notes": notes,
    }


def edited_account(service: PowermapService, account: str) -> dict[str, Any]:
    """An account where the person arrives by import and is then edited several times; the export before erasure."""
    document = with_id(tiny_document(), account)
    document["stakeholders"].append(person())
    document["reports_to"].append({"from": ERASED_ID, "to": "ceo"})
    document["voices"] = [
        {"id": "v1", "stakeholder": ERASED_ID, "date": "2026-10-12", "activity": "a1", "text": SECRETS[5]},
        {"id": "v2", "stakeholder": "cto", "date": "2026-10-13", "text": "the CTO's own voice stays"},
    ]
    service.import_map(document)
    service.put_node(account, *_stakeholder(person(notes=SECRETS[4])))
    service.put_edge(account, *_line("influences", {"from": ERASED_ID, "to": "ceo", "weight": 0.6}))
    service.put_edge(account, *_line("influences", {"from": "cfo", "to": ERASED_ID, "weight": 0.3}))
    service.put_edge(account, *_line("relationships", {"member": "li", "stakeholder": ERASED_ID, "strength": 0.4}))
    service.put_edge(
        account, *_line("competitor_relationships", {"competitor": "rival", "stakeholder": ERASED_ID, "strength": 0.7})
    )
    service.put_activity(
        account,
        {"id": "a2", "type": "meal", "date": "2026-10-02", "members": ["li"], "stakeholders": [ERASED_ID, "cfo"]},
    )
    service.put_activity(
        account, {"id": "a3", "type": "call", "date": "2026-10-03", "members": ["li"], "stakeholders": [ERASED_ID]}
    )
    service.remove_edge(account, *_ends("influences", "cfo", ERASED_ID))
    return service.export_map(account)


def _stakeholder(data: dict[str, Any]) -> tuple[NodeKind, dict[str, Any]]:
    return NodeKind.STAKEHOLDER, data


def _line(list_name: str, data: dict[str, Any]) -> tuple[EdgeKind, dict[str, Any]]:
    return next(k for k, name in EDGE_LISTS.items() if name == list_name), data


def _ends(list_name: str, source: str, target: str) -> tuple[EdgeKind, str, str]:
    return _line(list_name, {})[0], source, target


def expected_after(before: dict[str, Any]) -> dict[str, Any]:
    """The export after the erasure, written out by hand from the contract: person, lines, ids gone."""
    after = copy.deepcopy(before)
    after["stakeholders"] = [s for s in after["stakeholders"] if s["id"] != ERASED_ID]
    for name, ends in (
        ("reports_to", ("from", "to")),
        ("influences", ("from", "to")),
        ("relationships", ("stakeholder",)),
        ("competitor_relationships", ("stakeholder",)),
    ):
        after[name] = [line for line in after[name] if all(line[end] != ERASED_ID for end in ends)]
    for activity in after["activities"]:
        activity["stakeholders"] = [s for s in activity["stakeholders"] if s != ERASED_ID]
    after["voices"] = [v for v in after["voices"] if v["stakeholder"] != ERASED_ID]
    return after


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def test_erasing_after_several_edits_leaves_the_rest_of_the_map_as_it_was(
    service: PowermapService, prefix: str
) -> None:
    account = prefix + "erase"
    before = edited_account(service, account)
    assert leaks(json.dumps(before, ensure_ascii=False)) == [*SECRETS[:3], *SECRETS[4:]]
    result = service.erase_stakeholder(account, ERASED_ID)
    after = service.export_map(account)
    assert after == expected_after(before)
    assert leaks(json.dumps(after, ensure_ascii=False)) == []
    assert result.dropped == {"stakeholders": 1, "reports_to": 1, "influences": 1, "relationships": 1,
                              "competitor_relationships": 1, "voices": 1}  # fmt: skip
    assert result.changed == {"activities": 2}
    assert result.revision == service.store.read(account).revision


def test_an_erased_account_is_still_a_valid_map_and_still_analyses(service: PowermapService, prefix: str) -> None:
    account = prefix + "analyses"
    edited_account(service, account)
    service.erase_stakeholder(account, ERASED_ID)
    parse_account_map(service.export_map(account))
    analysis = service.analyze(account)
    assert set(analysis["power"]) == {"ceo", "cto", "cfo"}
    assert ERASED_ID not in json.dumps(service.recommend(account))


def test_erasing_an_unknown_stakeholder_changes_nothing(service: PowermapService, prefix: str) -> None:
    account = prefix + "unknown"
    service.import_map(with_id(tiny_document(), account))
    with pytest.raises(StakeholderNotFoundError):
        service.erase_stakeholder(account, "nobody")
    with pytest.raises(StakeholderNotFoundError):
        service.erase_stakeholder(account, "li")  # a team member is not a stakeholder
    assert service.store.read(account).revision == 1
    assert service.store.erasures(account) == []


def test_the_erasure_is_recorded_without_naming_the_person(service: PowermapService, prefix: str) -> None:
    account = prefix + "record"
    edited_account(service, account)
    result = service.erase_stakeholder(account, ERASED_ID)
    [erasure] = service.store.erasures(account)
    assert (erasure.revision, erasure.actor) == (result.revision, "tester")
    assert leaks(erasure.fingerprint) == []
    assert len(erasure.fingerprint) == 64


def test_a_later_import_of_the_same_person_is_flagged(service: PowermapService, prefix: str) -> None:
    account = prefix + "again"
    edited_account(service, account)
    service.erase_stakeholder(account, ERASED_ID)
    again = with_id(tiny_document(), account)
    again["stakeholders"].append(person())
    assert service.previously_erased(parse_account_map(again)) == (ERASED_ID,)
    assert service.import_map(again).previously_erased == (ERASED_ID,)
    elsewhere = with_id(again, prefix + "other-account")
    assert service.previously_erased(parse_account_map(elsewhere)) == ()
    assert service.previously_erased(parse_account_map(with_id(tiny_document(), account))) == ()


def test_the_fingerprint_salt_is_kept_in_the_store(store: Store) -> None:
    assert store.erasure_salt() == store.erasure_salt()
    assert len(store.erasure_salt()) == 32


def test_the_export_of_one_person_gathers_what_names_them(service: PowermapService, prefix: str) -> None:
    account = prefix + "person"
    edited_account(service, account)
    about = service.person(account, ERASED_ID)
    assert about["stakeholder"]["name"] == SECRETS[1]
    assert sorted(about["items"]) == [
        "activities",
        "competitor_relationships",
        "influences",
        "relationships",
        "reports_to",
        "voices",
    ]
    assert [a["id"] for a in about["items"]["activities"]] == ["a2", "a3"]
    assert [v["text"] for v in about["items"]["voices"]] == [SECRETS[5]]
    with pytest.raises(StakeholderNotFoundError):
        service.person(account, "nobody")


def test_the_export_of_one_person_lists_every_change_naming_them_back_to_the_first(
    service: PowermapService, prefix: str
) -> None:
    # More writes than a page of the change log, so an export that read one page would miss the oldest.
    account = prefix + "person-log"
    service.import_map(with_id(tiny_document(), account))
    edits = 130
    for n in range(edits):
        service.put_node(account, *_stakeholder(person(notes=f"note {n}")))
    service.put_node(account, NodeKind.STAKEHOLDER, {**tiny_document()["stakeholders"][0], "notes": "not her"})
    history = service.person(account, ERASED_ID)["history"]
    assert [h["revision"] for h in history] == list(range(edits + 1, 1, -1))  # import = 1, then each edit


# -- the bytes on disk -------------------------------------------------------------------------------------


def raw_bytes(store: SQLiteStore) -> bytes:
    path = Path(path_from_url(store.url))
    found = b""
    for suffix in ("", "-wal", "-journal"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            found += candidate.read_bytes()
    return found


def test_the_sqlite_file_and_its_wal_keep_none_of_the_persons_strings(service: PowermapService, prefix: str) -> None:
    if not isinstance(service.store, SQLiteStore):
        pytest.skip("the SQLite file is only on the SQLite store")
    account = prefix + "bytes"
    edited_account(service, account)
    # The map is imported again (without the person's lines) so old copies also sit in freed pages.
    service.import_map(service.export_map(account))
    before = raw_bytes(service.store)
    assert [s for s in SECRETS if s.encode() in before] == list(SECRETS)
    service.erase_stakeholder(account, ERASED_ID)
    after = raw_bytes(service.store)
    assert [s for s in SECRETS if s.encode() in after] == []
    assert b"Tiny Co" in after  # the rest is still there


def neo4j_leaks(store: Neo4jStore, account: str) -> list[str]:
    return neo4j_leaks_of(store, account, SECRETS)


def neo4j_leaks_of(store: Neo4jStore, account: str, secrets: tuple[str, ...]) -> list[str]:
    """Every secret found in any property of any node or relationship of the account (read through Cypher).

    Other tests share the server, so the search keeps to what belongs to this account: nodes that carry
    its id (map nodes, changes, erasures, scopes and the account itself) and lines leaving them.
    """
    records, _, _ = store._driver.execute_query(  # the test looks past the store on purpose
        "MATCH (n) WHERE n.account = $account OR n.id = $account RETURN labels(n) AS what, properties(n) AS props "
        "UNION ALL MATCH (n)-[r]->() WHERE n.account = $account RETURN [type(r)] AS what, properties(r) AS props",
        account=account,
        database_=store.database,
    )
    text = json.dumps([[r["what"], r["props"]] for r in records], ensure_ascii=False, default=str)
    return [secret for secret in secrets if secret in text]


def test_neo4j_keeps_no_node_property_or_change_naming_the_person(service: PowermapService, prefix: str) -> None:
    if not isinstance(service.store, Neo4jStore):
        pytest.skip("Cypher checks are for the Neo4j store")
    account = prefix + "cypher"
    edited_account(service, account)
    assert set(neo4j_leaks(service.store, account)) >= {SECRETS[0], SECRETS[1], SECRETS[2], SECRETS[4], SECRETS[5]}
    service.erase_stakeholder(account, ERASED_ID)
    assert neo4j_leaks(service.store, account) == []


def test_the_change_log_of_a_deleted_account_is_still_found_for_retention(
    service: PowermapService, prefix: str
) -> None:
    service.import_map(with_id(tiny_document(), prefix + "kept"))
    service.import_map(with_id(tiny_document(), prefix + "gone"))
    service.delete_account(prefix + "gone")
    mine = [a for a in service.store.change_log_accounts() if a.startswith(prefix)]
    assert mine == [prefix + "gone", prefix + "kept"]


def test_no_earlier_moment_diff_or_history_entry_shows_the_erased_person(service: PowermapService, prefix: str) -> None:
    account = prefix + "history"
    before = edited_account(service, account)
    assert leaks(json.dumps(service.export_map(account, as_of="1"), ensure_ascii=False))  # the check bites
    service.erase_stakeholder(account, ERASED_ID)
    latest = service.store.read(account).revision
    for revision in range(1, latest + 1):
        past = service.export_map(account, as_of=str(revision))
        assert leaks(json.dumps(past, ensure_ascii=False)) == [], revision
        parse_account_map(past)  # still a valid map
        assert leaks(json.dumps(service.diff(account, from_when=str(revision)), ensure_ascii=False)) == []
        assert leaks(json.dumps(service.analyze(account, as_of=str(revision)), ensure_ascii=False)) == []
    history = service.history(account)
    assert leaks(json.dumps(history, ensure_ascii=False)) == []
    newest = history["changes"][0]
    assert (newest["revision"], newest["operation"], newest["subject"], newest["actor"]) == (
        latest,
        "erase stakeholder",
        "",
        "tester",
    )
    # the moment before the erasure is that map minus the person, as written out by hand
    assert service.export_map(account, as_of=str(latest - 1)) == expected_after(before)


def test_an_item_edited_beside_the_person_keeps_its_place_and_its_edit_in_every_earlier_moment(
    service: PowermapService, prefix: str
) -> None:
    """The erasure rewrites the history entry of an item that named the person; its earlier side must survive."""
    account = prefix + "place"
    document = with_id(tiny_document(), account)
    document["stakeholders"].append(person())
    document["activities"].append(
        {"id": "a2", "type": "meal", "date": "2026-10-02", "members": ["li"], "stakeholders": ["cfo"]}
    )
    service.import_map(document)
    first = service.export_map(account)["activities"][0]
    service.put_activity(account, {**first, "stakeholders": ["cto", ERASED_ID], "outcome": "pilot signed"})
    service.erase_stakeholder(account, ERASED_ID)
    edited = service.export_map(account, as_of="2")["activities"]
    assert [(a["id"], a["stakeholders"], a["outcome"]) for a in edited] == [
        ("a1", ["cto"], "pilot signed"),
        ("a2", ["cfo"], ""),
    ]
    assert [a["id"] for a in service.export_map(account, as_of="1")["activities"]] == ["a1", "a2"]
