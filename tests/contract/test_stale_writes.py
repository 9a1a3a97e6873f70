"""Every single-item write on every store is guarded by the revision its caller read: a stale one changes nothing.

And an item that is not there is named with its account, so a person with several accounts knows where to look.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from powermap.errors import (
    ActivityNotFoundError,
    EdgeNotFoundError,
    IdTakenError,
    StakeholderNotFoundError,
    StaleRevisionError,
    VoiceNotFoundError,
)
from powermap.model import Account, Activity, EdgeKind, Influence, NodeKind, Stakeholder, Voice, parse_account_map
from powermap.store import Change, Store
from tests.factories import tiny_document

CHANGE = Change("tester", "test")
VOICE = Voice(id="v1", stakeholder="cto", date=dt.date(2026, 11, 2), text="the cut-over must not stop the line")


def stored(store: Store, account: str) -> int:
    document = tiny_document(account)
    document["voices"] = [VOICE.model_dump(mode="json")]
    return store.put_map(parse_account_map(document), CHANGE)


WRITES: dict[str, Callable[[Store, str, int], Any]] = {
    "put_items": lambda store, account, revision: store.put_items(
        account,
        [Stakeholder(id="coo", name="Ou", level="executive", influence=0.5)],
        CHANGE,
        expected_revision=revision,
    ),
    "put_activity": lambda store, account, revision: store.put_activity(
        account, Activity(id="a2", type="meal", date=dt.date(2026, 11, 3)), CHANGE, expected_revision=revision
    ),
    "remove_activity": lambda store, account, revision: store.remove_activity(
        account, "a1", CHANGE, expected_revision=revision
    ),
    "put_voice": lambda store, account, revision: store.put_voice(
        account, VOICE.model_copy(update={"text": "changed"}), CHANGE, expected_revision=revision
    ),
    "remove_voice": lambda store, account, revision: store.remove_voice(
        account, "v1", CHANGE, expected_revision=revision
    ),
    "update_account": lambda store, account, revision: store.update_account(
        Account(id=account, name="Renamed Co"), CHANGE, expected_revision=revision
    ),
    "put_node": lambda store, account, revision: store.put_node(
        account, Stakeholder(id="coo", name="Ou", level="executive", influence=0.5), CHANGE, expected_revision=revision
    ),
    "remove_node": lambda store, account, revision: store.remove_node(
        account, NodeKind.STAKEHOLDER, "cfo", CHANGE, expected_revision=revision
    ),
    "put_edge": lambda store, account, revision: store.put_edge(
        account,
        Influence.model_validate({"from": "cfo", "to": "cto", "weight": 0.2}),
        CHANGE,
        expected_revision=revision,
    ),
    "remove_edge": lambda store, account, revision: store.remove_edge(
        account, EdgeKind.INFLUENCES, "cto", "ceo", CHANGE, expected_revision=revision
    ),
    "erase_stakeholder": lambda store, account, revision: store.erase_stakeholder(
        account, "cfo", CHANGE, fingerprint="f", expected_revision=revision
    ),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_write_against_a_stale_revision_is_refused_and_changes_nothing(store: Store, prefix: str, write: str) -> None:
    account = f"{prefix}stale"
    revision = stored(store, account)
    before = store.read(account)
    with pytest.raises(StaleRevisionError):
        WRITES[write](store, account, revision - 1)
    after = store.read(account)
    assert (after.revision, after.account_map) == (before.revision, before.account_map)
    assert WRITES[write](store, account, revision) == revision + 1  # the same write at the revision read goes through


def test_an_import_at_a_stale_revision_or_as_a_create_of_a_taken_id_is_refused(store: Store, prefix: str) -> None:
    account = f"{prefix}stale-import"
    stored(store, account)
    replacement = parse_account_map(tiny_document(account))
    revision = store.put_map(replacement, CHANGE)  # revision 2: revision 1 is stale, not a create
    before = store.read(account)
    with pytest.raises(StaleRevisionError):
        store.put_map(replacement, CHANGE, expected_revision=revision - 1)
    with pytest.raises(IdTakenError):
        store.put_map(replacement, CHANGE, expected_revision=0)
    after = store.read(account)
    assert (after.revision, after.account_map) == (before.revision, before.account_map)
    assert store.put_map(replacement, CHANGE, expected_revision=revision) == revision + 1


def test_deleting_an_account_at_a_stale_revision_is_refused_and_deletes_nothing(store: Store, prefix: str) -> None:
    account = f"{prefix}stale-delete"
    revision = stored(store, account)
    before = store.read(account)
    with pytest.raises(StaleRevisionError):
        store.delete_account(account, CHANGE, expected_revision=revision - 1)
    after = store.read(account)
    assert (after.revision, after.account_map) == (before.revision, before.account_map)
    store.delete_account(account, CHANGE, expected_revision=revision)
    assert account not in [a.id for a in store.list_accounts()]


def test_removing_what_is_not_there_names_the_item_and_its_account(store: Store, prefix: str) -> None:
    account = f"{prefix}missing"
    revision = stored(store, account)
    with pytest.raises(ActivityNotFoundError, match=rf"no activity with id 'nope' in account '{account}'"):
        store.remove_activity(account, "nope", CHANGE, expected_revision=revision)
    with pytest.raises(VoiceNotFoundError, match=rf"no voice with id 'nope' in account '{account}'"):
        store.remove_voice(account, "nope", CHANGE, expected_revision=revision)
    with pytest.raises(StakeholderNotFoundError, match=rf"no stakeholder with id 'nope' in account '{account}'"):
        store.remove_node(account, NodeKind.STAKEHOLDER, "nope", CHANGE, expected_revision=revision)
    with pytest.raises(
        EdgeNotFoundError, match=rf"no line with id \"influences 'ceo' -> 'cto'\" in account '{account}'"
    ):
        store.remove_edge(account, EdgeKind.INFLUENCES, "ceo", "cto", CHANGE, expected_revision=revision)
    assert store.read(account).revision == revision
