"""The first checkpoint of an import (``docs/history.md``): on SQLite it is the map just written, copied
into history only when the account next changes (copy on write), so an import costs about a bare write.
Whatever write comes first, the imported state stays readable as of its revision, on every store; an
erasure takes the person out of it too; pruning keeps what it must."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from powermap.model import NodeKind
from powermap.service import PowermapService
from powermap.store.sqlite import SQLiteStore, path_from_url
from tests.contract.test_erasure import neo4j_leaks_of, raw_bytes
from tests.factories import normalized, tiny_document
from tests.voice_factories import voiced_document

Write = Callable[[PowermapService, str], None]


def with_id(document: dict[str, Any], account_id: str) -> dict[str, Any]:
    return {**json.loads(json.dumps(document)), "account": {**document["account"], "id": account_id}}


def history_rows_of(service: PowermapService, account: str, revision: int) -> int:
    """SQLite only: the history rows kept for one revision (looked up past the store on purpose)."""
    assert isinstance(service.store, SQLiteStore)
    with sqlite3.connect(path_from_url(service.store.url)) as conn:
        (count,) = conn.execute(
            "SELECT COUNT(*) FROM history_items WHERE account_id = ? AND revision = ?", (account, revision)
        ).fetchone()
    return int(count)


def rename_ceo(service: PowermapService, account: str) -> None:
    service.update_node(account, NodeKind.STAKEHOLDER, "ceo", {"name": "Renamed"})


def reimport(service: PowermapService, account: str) -> None:
    changed = with_id(tiny_document(), account)
    changed["stakeholders"].reverse()  # a reordered map: kept whole again
    changed["stakeholders"][0]["notes"] = "re-imported"
    service.import_map(changed)


def log_a_call(service: PowermapService, account: str) -> None:
    service.log_activity(account, {"type": "call", "members": ["li"], "stakeholders": ["cfo"], "date": "2026-11-02"})


def rename_account(service: PowermapService, account: str) -> None:
    service.update_account(account, {"name": "Renamed Co"})


@pytest.mark.parametrize("first_write", [rename_ceo, reimport, log_a_call, rename_account])
def test_the_imported_state_stays_readable_whatever_write_comes_first(
    service: PowermapService, prefix: str, first_write: Write
) -> None:
    account = prefix + "first"
    imported = with_id(tiny_document(), account)
    revision = service.import_map(imported).revision
    if isinstance(service.store, SQLiteStore):
        assert history_rows_of(service, account, revision) == 0  # nothing copied by the import itself
    assert service.export_map(account, as_of=str(revision)) == normalized(imported)
    first_write(service, account)
    if isinstance(service.store, SQLiteStore):
        # copied on write: the account record and its 13 items
        assert history_rows_of(service, account, revision) == 14
    assert service.export_map(account, as_of=str(revision)) == normalized(imported)
    diff = service.diff(account, from_when=str(revision))
    assert diff["from"] == revision
    assert any(diff[kind] for kind in ("added", "removed", "changed"))


def test_an_erasure_right_after_the_import_takes_the_person_out_of_the_imported_state(
    service: PowermapService, prefix: str
) -> None:
    account = prefix + "erase"
    secret = "Fang-the-CFO-9q"
    imported = with_id(tiny_document(), account)
    next(s for s in imported["stakeholders"] if s["id"] == "cfo")["name"] = secret
    revision = service.import_map(imported).revision
    service.erase_stakeholder(account, "cfo")
    past = service.export_map(account, as_of=str(revision))
    assert "cfo" not in {s["id"] for s in past["stakeholders"]}
    assert secret not in json.dumps(past)
    if isinstance(service.store, SQLiteStore):
        assert secret.encode() not in raw_bytes(service.store)
    else:
        assert neo4j_leaks_of(service.store, account, (secret,)) == []  # type: ignore[arg-type]


def test_pruning_an_account_still_on_its_import_keeps_it_readable(service: PowermapService, prefix: str) -> None:
    account = prefix + "prune"
    imported = with_id(tiny_document(), account)
    revision = service.import_map(imported).revision
    service.apply_retention(1, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    assert service.export_map(account, as_of=str(revision)) == normalized(imported)
    rename_ceo(service, account)
    assert service.export_map(account, as_of=str(revision)) == normalized(imported)


def test_a_roadmap_item_forced_out_right_after_the_import_leaves_the_imported_state_readable(
    service: PowermapService, prefix: str, roadmap: str
) -> None:
    account = prefix + "voiced"
    imported = voiced_document(account, prefix)
    revision = service.import_map(imported).revision
    service.remove_roadmap_item(f"{prefix}r8", force=True)  # a write to the account's voices, from the roadmap
    assert service.export_map(account, as_of=str(revision)) == normalized(imported)


def test_pruning_up_to_a_reimport_still_held_live_keeps_it_and_what_follows(
    service: PowermapService, prefix: str
) -> None:
    account = prefix + "prune-live"
    service.import_map(with_id(tiny_document(), account))
    reimport(service, account)  # kept whole: its checkpoint is the live map
    kept = service.export_map(account)
    revision = service.store.revision(account)
    report = service.apply_retention(1, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    assert report["deleted"] > 0
    rename_ceo(service, account)
    assert service.export_map(account, as_of=str(revision)) == kept
    assert [c["revision"] for c in service.history(account)["changes"]] == [revision + 1, revision]
