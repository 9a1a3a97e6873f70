"""A SQLite store the file system will not let us write: every read works, every write is refused in plain words.

The real thing (a read-only mount) is tests/e2e/test_cli_trust.py; here the pool is told the file is not
writable (the tests run as root, who may write anything), and opens it the way it would on such a mount.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from powermap.errors import StoreError
from powermap.model import EdgeKind, Influence, NodeKind, Stakeholder, Voice, parse_account_map, parse_roadmap
from powermap.model.keys import ApiKey, Role, hash_token
from powermap.service import PowermapService
from powermap.settings import Settings
from powermap.store import Change, Store, open_store, sqlite_pool
from tests.factories import tiny_document
from tests.voice_factories import roadmap_document

CHANGE = Change("tester", "test")
KEY = ApiKey(
    name="ci",
    role=Role.EDITOR,
    accounts=None,
    token_hash=hash_token("pm_x"),
    created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
)
VOICE = Voice(id="v1", stakeholder="cto", date=dt.date(2026, 11, 2), text="t")
STAKEHOLDER = Stakeholder(id="coo", name="Ou", level="executive", influence=0.5)
INFLUENCE = Influence.model_validate({"from": "cfo", "to": "cto", "weight": 0.2})


@pytest.fixture
def read_only_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path}/store.db"
    with open_store(url, Settings()) as store:
        store.put_roadmap(parse_roadmap(roadmap_document()), CHANGE)
        document = tiny_document("tiny")
        document["voices"] = [VOICE.model_dump(mode="json")]
        store.put_map(parse_account_map(document), CHANGE)
        store.add_key(KEY)
    monkeypatch.setattr(sqlite_pool, "_writable", lambda path: False)
    with open_store(url, Settings()) as store:
        yield store


def test_every_read_of_a_read_only_store_works(read_only_store: Store) -> None:
    store = read_only_store
    store.ping()
    assert store.read("tiny").account_map.voices == (VOICE,)
    assert [a.id for a in store.list_accounts()] == ["tiny"]
    assert [i.id for i in store.read_roadmap().items] == [i["id"] for i in roadmap_document()["items"]]
    assert store.find_key(hash_token("pm_x")) == KEY
    assert store.list_keys() == [KEY]
    assert store.change_log_accounts() == ["tiny"]
    assert store.erasures("tiny") == []
    assert store.revision("tiny") == 1
    assert [(c.revision, c.operation) for c in store.list_changes("tiny")] == [(1, "test")]
    assert store.revision_at("tiny", dt.datetime.now(dt.UTC)) == 1
    assert store.history_since_checkpoint("tiny") == (None, 0)  # the write above kept no history
    assert store.history_rows("tiny", 1) is None
    assert store.roadmap_revision() == 1
    assert store.read_roadmap_at()[1] == 1
    assert [c.revision for c in store.list_roadmap_changes()] == [1]


WRITES: dict[str, Callable[[Store], Any]] = {
    "put_roadmap": lambda store: store.put_roadmap(parse_roadmap({"items": []}), CHANGE, detach=True),
    "put_roadmap_item": lambda store: store.put_roadmap_item(store.read_roadmap().items[0], CHANGE),
    "remove_roadmap_item": lambda store: store.remove_roadmap_item(
        store.read_roadmap().items[0].id, CHANGE, detach=True
    ),
    "add_key": lambda store: store.add_key(KEY.model_copy(update={"name": "other"})),
    "revoke_key": lambda store: store.revoke_key("ci"),
    "prune_history": lambda store: store.prune_history("tiny", 5),
    "put_voice": lambda store: store.put_voice("tiny", VOICE, CHANGE, expected_revision=1),
    "remove_voice": lambda store: store.remove_voice("tiny", "v1", CHANGE, expected_revision=1),
    "remove_activity": lambda store: store.remove_activity("tiny", "a1", CHANGE, expected_revision=1),
    "put_map": lambda store: store.put_map(parse_account_map(tiny_document("other")), CHANGE),
    "delete_account": lambda store: store.delete_account("tiny", CHANGE),
    "update_account": lambda store: store.update_account(
        store.read("tiny").account_map.account, CHANGE, expected_revision=1
    ),
    "put_node": lambda store: store.put_node("tiny", STAKEHOLDER, CHANGE, expected_revision=1),
    "remove_node": lambda store: store.remove_node("tiny", NodeKind.STAKEHOLDER, "cfo", CHANGE, expected_revision=1),
    "put_edge": lambda store: store.put_edge("tiny", INFLUENCE, CHANGE, expected_revision=1),
    "remove_edge": lambda store: store.remove_edge(
        "tiny", EdgeKind.INFLUENCES, "cto", "ceo", CHANGE, expected_revision=1
    ),
    "put_items": lambda store: store.put_items("tiny", [STAKEHOLDER, INFLUENCE], CHANGE, expected_revision=1),
    "put_activity": lambda store: store.put_activity(
        "tiny", store.read("tiny").account_map.activities[0], CHANGE, expected_revision=1
    ),
    "write_checkpoint": lambda store: store.write_checkpoint("tiny", 1, []),
    "prune_roadmap_changes": lambda store: store.prune_roadmap_changes(dt.datetime.now(dt.UTC)),
    "erase_stakeholder": lambda store: store.erase_stakeholder(
        "tiny", "cfo", CHANGE, fingerprint="f", expected_revision=1
    ),
    "erasure_salt": lambda store: store.erasure_salt(),  # this store has no salt yet: making it is a write
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_write_to_a_read_only_store_is_refused_saying_why(read_only_store: Store, write: str) -> None:
    with pytest.raises(StoreError, match="read-only file system: it can be read, not changed"):
        WRITES[write](read_only_store)


def test_a_read_only_store_that_holds_erasures_exports_a_person_with_their_erasures_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The CFO is erased once, then imported again; on the read-only store their export still counts that
    # erasure, which takes the store's salt: a read, not a write.
    url = f"sqlite:///{tmp_path}/store.db"
    with open_store(url, Settings()) as store:
        service = PowermapService(store, actor="tester")
        service.import_map(tiny_document("tiny"))
        service.erase_stakeholder("tiny", "cfo")
        assert service.import_map(tiny_document("tiny")).previously_erased == ("cfo",)
        salt = store.erasure_salt()
    monkeypatch.setattr(sqlite_pool, "_writable", lambda path: False)
    with open_store(url, Settings()) as store:
        service = PowermapService(store, actor="tester")
        about = service.person("tiny", "cfo")
        assert (about["stakeholder"]["id"], about["erased_before"]) == ("cfo", 1)
        assert service.person("tiny", "cto")["erased_before"] == 0
        assert store.erasure_salt() == salt
        with pytest.raises(StoreError, match="read-only file system"):  # and it is read-only indeed
            service.erase_stakeholder("tiny", "cto")
