"""Updating a node's own fields takes the one-item path (no whole-map validation): same results, stored, cached."""

from __future__ import annotations

import copy

import pytest

from powermap.errors import InvalidMapError, StakeholderNotFoundError, StaleVersionError
from powermap.model import NodeKind
from powermap.service import PowermapService
from powermap.service.cache import MapCache
from powermap.store import Store
from tests.factories import normalized, tiny_document


def test_a_node_update_is_stored_cached_and_refused_like_any_edit(store: Store, prefix: str) -> None:
    account = f"{prefix}fast"
    document = tiny_document(account)
    cached = PowermapService(store, actor="tester", cache=MapCache())
    cached.import_map(copy.deepcopy(document))
    seen = cached.get_node(account, NodeKind.STAKEHOLDER, "cfo")

    updated = cached.update_node(account, NodeKind.STAKEHOLDER, "cfo", {"stance": "champion"}, if_version=seen.version)

    fresh = PowermapService(store, actor="tester")  # no cache: reads the store itself
    assert fresh.get_node(account, NodeKind.STAKEHOLDER, "cfo") == updated
    assert cached.get_node(account, NodeKind.STAKEHOLDER, "cfo") == updated
    assert getattr(updated.item, "stance", None) == "champion"
    assert updated.revision == seen.revision + 1
    expected = copy.deepcopy(document)
    expected["stakeholders"][2]["stance"] = "champion"
    assert fresh.export_map(account) == normalized(expected)
    with pytest.raises(StaleVersionError):
        cached.update_node(account, NodeKind.STAKEHOLDER, "cfo", {"stance": "opponent"}, if_version=seen.version)
    with pytest.raises(InvalidMapError, match=r"influence.*'cfo'|'cfo'.*influence"):
        cached.update_node(account, NodeKind.STAKEHOLDER, "cfo", {"influence": 2})
    with pytest.raises(InvalidMapError, match="id"):
        cached.update_node(account, NodeKind.STAKEHOLDER, "cfo", {"id": "other"})
    with pytest.raises(StakeholderNotFoundError):
        cached.update_node(account, NodeKind.STAKEHOLDER, "ghost", {"stance": "champion"})
    assert fresh.snapshot(account).revision == updated.revision  # nothing refused was written


def test_a_new_node_is_stored_once_with_its_id_checked(store: Store, prefix: str) -> None:
    from powermap.errors import IdTakenError
    from powermap.model import Stakeholder

    account = f"{prefix}fastnew"
    cached = PowermapService(store, actor="tester", cache=MapCache())
    cached.import_map(tiny_document(account))
    newcomer = Stakeholder(id="cio", name="Qian", level="senior", influence=0.4)
    created = cached.create_node(account, newcomer)
    fresh = PowermapService(store, actor="tester")
    assert fresh.get_node(account, NodeKind.STAKEHOLDER, "cio") == created
    assert [s["id"] for s in fresh.export_map(account)["stakeholders"]] == ["ceo", "cto", "cfo", "cio"]
    with pytest.raises(IdTakenError, match="cio"):
        cached.create_node(account, newcomer)
    assert fresh.snapshot(account).revision == created.revision
