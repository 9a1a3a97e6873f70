"""Edits of one item of a map: the account record, nodes, lines and activities."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from powermap.errors import ActivityNotFoundError
from powermap.model import (
    EDGE_LISTS,
    EDGE_MODELS,
    NODE_LISTS,
    NODE_MODELS,
    Account,
    AccountMap,
    Activity,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
)
from powermap.service.core import ServiceCore, edge_fields, upsert
from powermap.store.base import Change, not_found_for_edge, not_found_for_node
from powermap.store.history import Delta


class EditsService(ServiceCore):
    """Fine-grained edits, each validated against the whole map and guarded by revision."""

    def update_account(self, account_id: str, data: Mapping[str, Any]) -> Account:
        def mutate(document: dict[str, Any]) -> None:
            document["account"] = {**data, "id": account_id}

        updated = self._edit(
            account_id,
            mutate,
            lambda m, rev, history: self.store.update_account(
                m.account, Change(self.actor, "update account", account_id, history=history), expected_revision=rev
            ),
        )
        return updated.account

    def put_node(self, account_id: str, kind: NodeKind, data: Mapping[str, Any]) -> Node:
        """Create or replace a stakeholder, team member or competitor."""
        list_name = NODE_LISTS[kind]
        node_id = data.get("id")

        def mutate(document: dict[str, Any]) -> None:
            upsert(document[list_name], lambda item: item["id"] == node_id, data)

        def write(account_map: AccountMap, revision: int, history: Delta) -> int:
            node = next(n for n in account_map.nodes(kind) if n.id == node_id)
            return self.store.put_node(
                account_id,
                node,
                Change(self.actor, f"put {kind.value}", str(node_id), history=history),
                expected_revision=revision,
            )

        self._check_item(NODE_MODELS[kind], list_name, data)
        account_map = self._edit(account_id, mutate, write)
        return next(n for n in account_map.nodes(kind) if n.id == node_id)

    def remove_node(self, account_id: str, kind: NodeKind, node_id: str) -> None:
        list_name = NODE_LISTS[kind]

        def mutate(document: dict[str, Any]) -> None:
            before = len(document[list_name])
            document[list_name] = [item for item in document[list_name] if item["id"] != node_id]
            if len(document[list_name]) == before:
                raise not_found_for_node(kind, node_id, account_id)
            for edge_kind, edge_list in EDGE_LISTS.items():
                source_field, target_field = edge_fields(edge_kind)
                document[edge_list] = [
                    e
                    for e in document[edge_list]
                    if not (edge_kind.source_kind == kind and e[source_field] == node_id)
                    and not (edge_kind.target_kind == kind and e[target_field] == node_id)
                ]
            field = {NodeKind.MEMBER: "members", NodeKind.STAKEHOLDER: "stakeholders"}.get(kind)
            for activity in document["activities"] if field else ():
                activity[field] = [i for i in activity[field] if i != node_id]

        self._edit(
            account_id,
            mutate,
            lambda _, rev, history: self.store.remove_node(
                account_id,
                kind,
                node_id,
                Change(self.actor, f"remove {kind.value}", node_id, history=history),
                expected_revision=rev,
            ),
        )

    def put_edge(self, account_id: str, kind: EdgeKind, data: Mapping[str, Any]) -> Edge:
        """Create or replace a line (matched by its two ends)."""
        list_name = EDGE_LISTS[kind]
        source_field, target_field = edge_fields(kind)
        ends = (data.get(source_field), data.get(target_field))

        def mutate(document: dict[str, Any]) -> None:
            upsert(document[list_name], lambda e: (e[source_field], e[target_field]) == ends, data)

        def find(account_map: AccountMap) -> Edge:
            return next(e for e in account_map.edges(kind) if (e.source, e.target) == ends)

        self._check_item(EDGE_MODELS[kind], list_name, data)
        account_map = self._edit(
            account_id,
            mutate,
            lambda m, rev, history: self.store.put_edge(
                account_id,
                find(m),
                Change(self.actor, f"put {kind.value}", f"{ends[0]}->{ends[1]}", history=history),
                expected_revision=rev,
            ),
        )
        return find(account_map)

    def remove_edge(self, account_id: str, kind: EdgeKind, source: str, target: str) -> None:
        list_name = EDGE_LISTS[kind]
        source_field, target_field = edge_fields(kind)

        def mutate(document: dict[str, Any]) -> None:
            before = len(document[list_name])
            document[list_name] = [
                e for e in document[list_name] if (e[source_field], e[target_field]) != (source, target)
            ]
            if len(document[list_name]) == before:
                raise not_found_for_edge(kind, source, target, account_id)

        self._edit(
            account_id,
            mutate,
            lambda _, rev, history: self.store.remove_edge(
                account_id,
                kind,
                source,
                target,
                Change(self.actor, f"remove {kind.value}", f"{source}->{target}", history=history),
                expected_revision=rev,
            ),
        )

    def put_activity(self, account_id: str, data: Mapping[str, Any]) -> Activity:
        activity_id = data.get("id")

        def mutate(document: dict[str, Any]) -> None:
            upsert(document["activities"], lambda item: item["id"] == activity_id, data)

        def find(account_map: AccountMap) -> Activity:
            return next(a for a in account_map.activities if a.id == activity_id)

        self._check_item(Activity, "activities", data)
        account_map = self._edit(
            account_id,
            mutate,
            lambda m, rev, history: self.store.put_activity(
                account_id,
                find(m),
                Change(self.actor, "put activity", str(activity_id), history=history),
                expected_revision=rev,
            ),
        )
        return find(account_map)

    def remove_activity(self, account_id: str, activity_id: str) -> None:
        def mutate(document: dict[str, Any]) -> None:
            before = len(document["activities"])
            document["activities"] = [a for a in document["activities"] if a["id"] != activity_id]
            if len(document["activities"]) == before:
                raise ActivityNotFoundError(activity_id, account_id)

        self._edit(
            account_id,
            mutate,
            lambda _, rev, history: self.store.remove_activity(
                account_id,
                activity_id,
                Change(self.actor, "remove activity", activity_id, history=history),
                expected_revision=rev,
            ),
        )
