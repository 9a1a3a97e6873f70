"""Reads that say what they read: the map or one item, with the account's revision and the item's version.

Whatever a caller reads here it can hand back as the precondition of its next write (see
:mod:`powermap.service.edits`): a revision for the whole map or the account, a version for one item.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from powermap.errors import ActivityNotFoundError
from powermap.model import EDGE_SPECS, LIST_BY_NAME, NODE_SPECS, Account, Activity, Edge, EdgeKind, Node, NodeKind
from powermap.service.core import ServiceCore
from powermap.service.versions import Item, Listing, item_version, versioned
from powermap.store.base import Snapshot, not_found_for_edge, not_found_for_node


class ReadsService(ServiceCore):
    """The map and its items, each with the revision (and version) it was read at."""

    def snapshot(self, account_id: str) -> Snapshot:
        """The whole map with its revision (the map's ETag) and when it last changed."""
        return self._snapshot(account_id)

    def account_record(self, account_id: str) -> Item[Account]:
        snapshot = self.snapshot(account_id)
        account = snapshot.account_map.account
        return Item(account, item_version(account), snapshot.revision)

    def list_nodes(self, account_id: str, kind: NodeKind) -> Listing[Node]:
        return self._listing(account_id, NODE_SPECS[kind].name)

    def get_node(self, account_id: str, kind: NodeKind, node_id: str) -> Item[Node]:
        snapshot = self.snapshot(account_id)
        found = _one(snapshot.account_map.nodes(kind), lambda n: n.id == node_id)
        if found is None:
            raise not_found_for_node(kind, node_id, account_id)
        return Item(found, item_version(found), snapshot.revision)

    def list_edges(self, account_id: str, kind: EdgeKind) -> Listing[Edge]:
        return self._listing(account_id, EDGE_SPECS[kind].name)

    def get_edge(self, account_id: str, kind: EdgeKind, source: str, target: str) -> Item[Edge]:
        snapshot = self.snapshot(account_id)
        found = _one(snapshot.account_map.edges(kind), lambda e: (e.source, e.target) == (source, target))
        if found is None:
            raise not_found_for_edge(kind, source, target, account_id)
        return Item(found, item_version(found), snapshot.revision)

    def list_activities(self, account_id: str) -> Listing[Activity]:
        return self._listing(account_id, LIST_BY_NAME["activities"].name)

    def get_activity(self, account_id: str, activity_id: str) -> Item[Activity]:
        snapshot = self.snapshot(account_id)
        found = _one(snapshot.account_map.activities, lambda a: a.id == activity_id)
        if found is None:
            raise ActivityNotFoundError(activity_id, account_id)
        return Item(found, item_version(found), snapshot.revision)

    def _listing(self, account_id: str, list_name: str) -> Listing[Any]:
        snapshot = self.snapshot(account_id)
        items: Sequence[Any] = getattr(snapshot.account_map, list_name)
        return Listing(snapshot.revision, tuple(versioned(item) for item in items))


def _one(items: Sequence[Any], match: Any) -> Any:
    return next((item for item in items if match(item)), None)
