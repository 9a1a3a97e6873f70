"""Edits of one item of a map: the account record, nodes, lines and activities.

Per item kind: **create** (refused with :class:`~powermap.errors.IdTakenError` when the id, or a
line's two ends, already exist), **update** (a partial merge of the fields given; not found when
missing) and **delete**. Each takes the precondition the caller saw, if any:

- ``if_revision``: the account's revision. Refused (:class:`~powermap.errors.StaleRevisionError`)
  if the account moved on at all, never retried.
- ``if_version``: the item's version (:func:`~powermap.service.versions.item_version`). Refused
  (:class:`~powermap.errors.StaleVersionError`) if *that item* changed. When the account moved on
  for another item's sake, the edit is re-made on a fresh snapshot and the item's version checked
  again there: that is not a silent overwrite, because the item the caller saw is still exactly
  the item being changed.

Each returns the item as stored now with its new version and the account's new revision
(:class:`~powermap.service.versions.Item`); a delete returns the new revision. The older
``put_*``/``remove_*`` methods (create-or-replace, no precondition) remain for the CLI and tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from pydantic import BaseModel

from powermap.errors import (
    ActivityNotFoundError,
    IdTakenError,
    InvalidMapError,
    NotFoundError,
    Problem,
    StaleVersionError,
    VoiceNotFoundError,
)
from powermap.model import (
    EDGE_LISTS,
    EDGE_SPECS,
    LIST_BY_NAME,
    NODE_SPECS,
    Account,
    AccountMap,
    Activity,
    ContractModel,
    Edge,
    EdgeKind,
    ListSpec,
    Node,
    NodeKind,
)
from powermap.service.core import ServiceCore, edge_fields
from powermap.service.versions import Item, item_version
from powermap.store.base import Change, not_found_for_edge, not_found_for_node
from powermap.store.history import Delta

ACTIVITIES = LIST_BY_NAME["activities"]
VOICES = LIST_BY_NAME["voices"]
#: A partial update: the contract's field names and values, or a pydantic model (only fields set count).
Changes = Mapping[str, Any] | BaseModel
#: What produces an item's new JSON from its current JSON (None when absent); None deletes it.
_Produce = Callable[[dict[str, Any] | None], dict[str, Any] | None]


def _json(item: BaseModel) -> dict[str, Any]:
    data: dict[str, Any] = item.model_dump(mode="json", by_alias=True)
    return data


def _changes(changes: Changes) -> dict[str, Any]:
    if isinstance(changes, BaseModel):
        data: dict[str, Any] = changes.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return data
    if not isinstance(changes, Mapping):
        raise InvalidMapError([Problem("", None, "changes must be an object")])
    return dict(changes)


def _key_of(spec: ListSpec, item: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(item.get(field)) for field in spec.key)


def _model_key(spec: ListSpec, item: Any) -> tuple[str, ...]:
    return (item.source, item.target) if spec.is_line else (item.id,)


def _subject(key: Sequence[str]) -> str:
    return "->".join(key)


def _version_of_json(spec: ListSpec | None, data: Mapping[str, Any]) -> str:
    """The version of an item given as document JSON (as read from a snapshot, so already valid)."""
    model = Account if spec is None else spec.model
    return item_version(model.model_validate(data))


class EditsService(ServiceCore):
    """Fine-grained edits, each validated against the whole map and guarded by revision or version."""

    # -- typed edits with preconditions -----------------------------------------------------------

    def create_node(self, account_id: str, node: Node, *, if_revision: int | None = None) -> Item[Node]:
        """Add a stakeholder, team member or competitor at the end of its list; 409 if its id is taken."""
        spec = NODE_SPECS[node.kind]
        return cast(Item[Node], self._create(account_id, spec, node, if_revision))

    def update_node(
        self,
        account_id: str,
        kind: NodeKind,
        node_id: str,
        changes: Changes,
        *,
        if_revision: int | None = None,
        if_version: str | None = None,
    ) -> Item[Node]:
        """Merge ``changes`` into one node (fields not named stay as they are)."""
        item = self._update(account_id, NODE_SPECS[kind], (node_id,), changes, if_revision, if_version)
        return cast(Item[Node], item)

    def delete_node(
        self,
        account_id: str,
        kind: NodeKind,
        node_id: str,
        *,
        if_revision: int | None = None,
        if_version: str | None = None,
    ) -> int:
        """Remove a node, every line touching it and its id from activities; returns the new revision."""
        return self._delete(account_id, NODE_SPECS[kind], (node_id,), if_revision, if_version)

    def create_edge(self, account_id: str, edge: Edge, *, if_revision: int | None = None) -> Item[Edge]:
        """Add a line at the end of its list; 409 if a line of that kind already joins the same ends."""
        return cast(Item[Edge], self._create(account_id, EDGE_SPECS[edge.kind], edge, if_revision))

    def update_edge(
        self,
        account_id: str,
        kind: EdgeKind,
        source: str,
        target: str,
        changes: Changes,
        *,
        if_revision: int | None = None,
        if_version: str | None = None,
    ) -> Item[Edge]:
        """Merge ``changes`` into the line joining ``source`` to ``target`` (its ends cannot change)."""
        item = self._update(account_id, EDGE_SPECS[kind], (source, target), changes, if_revision, if_version)
        return cast(Item[Edge], item)

    def delete_edge(
        self,
        account_id: str,
        kind: EdgeKind,
        source: str,
        target: str,
        *,
        if_revision: int | None = None,
        if_version: str | None = None,
    ) -> int:
        return self._delete(account_id, EDGE_SPECS[kind], (source, target), if_revision, if_version)

    def create_activity(self, account_id: str, activity: Activity, *, if_revision: int | None = None) -> Item[Activity]:
        return cast(Item[Activity], self._create(account_id, ACTIVITIES, activity, if_revision))

    def update_activity(
        self,
        account_id: str,
        activity_id: str,
        changes: Changes,
        *,
        if_revision: int | None = None,
        if_version: str | None = None,
    ) -> Item[Activity]:
        item = self._update(account_id, ACTIVITIES, (activity_id,), changes, if_revision, if_version)
        return cast(Item[Activity], item)

    def delete_activity(
        self, account_id: str, activity_id: str, *, if_revision: int | None = None, if_version: str | None = None
    ) -> int:
        return self._delete(account_id, ACTIVITIES, (activity_id,), if_revision, if_version)

    def update_account_record(
        self,
        account_id: str,
        changes: Changes,
        *,
        if_revision: int | None = None,
        if_version: str | None = None,
    ) -> Item[Account]:
        """Merge ``changes`` into the account record (name, industry, notes; the id cannot change)."""
        data = _changes(changes)

        def mutate(document: dict[str, Any]) -> None:
            current = document["account"]
            self._check_version(None, (account_id,), account_id, current, if_version)
            merged = self._merged(None, (account_id,), current, data)
            self._check_item(Account, "account", merged)
            document["account"] = merged

        account_map, revision = self._edit(
            account_id,
            mutate,
            lambda m, rev, history: self.store.update_account(
                m.account, Change(self.actor, "update account", account_id, history=history), expected_revision=rev
            ),
            if_revision=if_revision,
        )
        return Item(account_map.account, item_version(account_map.account), revision)

    # -- create-or-replace, no precondition (kept for the CLI and earlier callers) -----------------

    def update_account(self, account_id: str, data: Mapping[str, Any]) -> Account:
        """Replace the account record whole (its id stays)."""

        def mutate(document: dict[str, Any]) -> None:
            document["account"] = {**data, "id": account_id}

        account_map, _ = self._edit(
            account_id,
            mutate,
            lambda m, rev, history: self.store.update_account(
                m.account, Change(self.actor, "update account", account_id, history=history), expected_revision=rev
            ),
        )
        return account_map.account

    def put_node(self, account_id: str, kind: NodeKind, data: Mapping[str, Any]) -> Node:
        """Create or replace a stakeholder, team member or competitor."""
        spec = NODE_SPECS[kind]
        return cast(Node, self._put(account_id, spec, data, f"put {kind.value}"))

    def remove_node(self, account_id: str, kind: NodeKind, node_id: str) -> None:
        self.delete_node(account_id, kind, node_id)

    def put_edge(self, account_id: str, kind: EdgeKind, data: Mapping[str, Any]) -> Edge:
        """Create or replace a line (matched by its two ends)."""
        return cast(Edge, self._put(account_id, EDGE_SPECS[kind], data, f"put {kind.value}"))

    def remove_edge(self, account_id: str, kind: EdgeKind, source: str, target: str) -> None:
        self.delete_edge(account_id, kind, source, target)

    def put_activity(self, account_id: str, data: Mapping[str, Any]) -> Activity:
        return cast(Activity, self._put(account_id, ACTIVITIES, data, "put activity"))

    def remove_activity(self, account_id: str, activity_id: str) -> None:
        self.delete_activity(account_id, activity_id)

    # -- the one engine ------------------------------------------------------------------------------

    def _put(self, account_id: str, spec: ListSpec, data: Mapping[str, Any], operation: str) -> ContractModel:
        self._check_item(spec.model, spec.name, data)
        key = _key_of(spec, data)
        item: ContractModel = self._change(account_id, spec, key, lambda _: dict(data), operation, None, None).item
        return item

    def _create(self, account_id: str, spec: ListSpec, item: ContractModel, if_revision: int | None) -> Item[Any]:
        data = _json(item)
        key = _key_of(spec, data)
        operation = f"create {spec.noun}"
        if spec.node_kind is not None and isinstance(item, spec.model):
            # Already validated (a subclass such as the API's StakeholderCreate has the same fields):
            # kept as the contract model itself, without validating it again.
            node = spec.model.model_construct(_fields_set=item.model_fields_set, **dict(item))
            return self._create_node(account_id, spec, node, key, operation, if_revision)

        def produce(current: dict[str, Any] | None) -> dict[str, Any]:
            if current is not None:
                raise IdTakenError(spec.noun, _subject(key), account_id)
            return data

        return self._change(account_id, spec, key, produce, operation, if_revision, None)

    def _create_node(
        self,
        account_id: str,
        spec: ListSpec,
        node: Any,
        key: tuple[str, ...],
        operation: str,
        if_revision: int | None,
    ) -> Item[Any]:
        """A new node, already a validated model: nothing refers to it yet, so no reference can break and
        nothing is validated again; only its id must be free (see :meth:`_edit_map`)."""

        def transform(account_map: AccountMap) -> AccountMap:
            items = getattr(account_map, spec.name)
            if any(existing.id == key[0] for existing in items):
                raise IdTakenError(spec.noun, _subject(key), account_id)
            return account_map.model_copy(update={spec.name: (*items, node)})

        def write(_: AccountMap, revision: int, history: Delta) -> int:
            change = Change(self.actor, operation, _subject(key), history=history)
            return self.store.put_node(account_id, node, change, expected_revision=revision)

        _, revision = self._edit_map(account_id, transform, write, if_revision=if_revision)
        return Item(node, item_version(node), revision)

    def _update(
        self,
        account_id: str,
        spec: ListSpec,
        key: tuple[str, ...],
        changes: Changes,
        if_revision: int | None,
        if_version: str | None,
    ) -> Item[Any]:
        data = _changes(changes)
        if spec.node_kind is not None:
            return self._update_node_fields(account_id, spec, key, data, if_revision, if_version)

        def produce(current: dict[str, Any] | None) -> dict[str, Any]:
            if current is None:
                raise self._not_found(account_id, spec, key)
            merged = self._merged(spec, key, current, data)
            self._check_item(spec.model, spec.name, merged)
            return merged

        return self._change(account_id, spec, key, produce, f"update {spec.noun}", if_revision, if_version)

    def _update_node_fields(
        self,
        account_id: str,
        spec: ListSpec,
        key: tuple[str, ...],
        data: Mapping[str, Any],
        if_revision: int | None,
        if_version: str | None,
    ) -> Item[Any]:
        """An update of a node's own fields: its id stays, and nothing refers to its other fields, so no
        reference of the map can break; only the node itself is validated (see :meth:`_edit_map`)."""
        operation = f"update {spec.noun}"
        found: list[Any] = []

        def transform(account_map: AccountMap) -> AccountMap:
            items = list(getattr(account_map, spec.name))
            index = next((i for i, item in enumerate(items) if item.id == key[0]), None)
            current = None if index is None else _json(items[index])
            self._check_version(spec, key, account_id, current, if_version)
            if index is None or current is None:
                raise self._not_found(account_id, spec, key)
            merged = self._merged(spec, key, current, data)
            self._check_item(spec.model, spec.name, merged)  # the same messages as any other edit
            items[index] = spec.model.model_validate(merged)
            found[:] = [items[index]]
            return account_map.model_copy(update={spec.name: tuple(items)})

        def write(_: AccountMap, revision: int, history: Delta) -> int:
            change = Change(self.actor, operation, _subject(key), history=history)
            return self.store.put_node(account_id, found[0], change, expected_revision=revision)

        _, revision = self._edit_map(account_id, transform, write, if_revision=if_revision)
        return Item(found[0], item_version(found[0]), revision)

    def _delete(
        self,
        account_id: str,
        spec: ListSpec,
        key: tuple[str, ...],
        if_revision: int | None,
        if_version: str | None,
    ) -> int:
        def produce(current: dict[str, Any] | None) -> None:
            if current is None:
                raise self._not_found(account_id, spec, key)

        operation = f"remove {spec.noun}"

        def write(_: AccountMap, revision: int, history: Delta) -> int:
            change = Change(self.actor, operation, _subject(key), history=history)
            if spec.node_kind is not None:
                return self.store.remove_node(account_id, spec.node_kind, key[0], change, expected_revision=revision)
            if spec.edge_kind is not None:
                return self.store.remove_edge(
                    account_id, spec.edge_kind, key[0], key[1], change, expected_revision=revision
                )
            if spec is VOICES:
                return self.store.remove_voice(account_id, key[0], change, expected_revision=revision)
            return self.store.remove_activity(account_id, key[0], change, expected_revision=revision)

        mutate = self._mutation(account_id, spec, key, produce, if_version)
        _, revision = self._edit(account_id, mutate, write, if_revision=if_revision)
        return revision

    def _change(
        self,
        account_id: str,
        spec: ListSpec,
        key: tuple[str, ...],
        produce: _Produce,
        operation: str,
        if_revision: int | None,
        if_version: str | None,
    ) -> Item[Any]:
        """Create or replace one item (``produce`` decides from the current one) and store it."""

        def find(account_map: AccountMap) -> Any:
            return next(i for i in getattr(account_map, spec.name) if _model_key(spec, i) == key)

        def write(account_map: AccountMap, revision: int, history: Delta) -> int:
            item, change = find(account_map), Change(self.actor, operation, _subject(key), history=history)
            if spec.node_kind is not None:
                return self.store.put_node(account_id, item, change, expected_revision=revision)
            if spec.edge_kind is not None:
                return self.store.put_edge(account_id, item, change, expected_revision=revision)
            if spec is VOICES:
                return self.store.put_voice(account_id, item, change, expected_revision=revision)
            return self.store.put_activity(account_id, item, change, expected_revision=revision)

        mutate = self._mutation(account_id, spec, key, produce, if_version)
        account_map, revision = self._edit(account_id, mutate, write, if_revision=if_revision)
        item = find(account_map)
        return Item(item, item_version(item), revision)

    def _mutation(
        self,
        account_id: str,
        spec: ListSpec,
        key: tuple[str, ...],
        produce: _Produce,
        if_version: str | None,
    ) -> Callable[[dict[str, Any]], None]:
        """The document edit: find the item, check its version, put what ``produce`` makes in its place."""

        def mutate(document: dict[str, Any]) -> None:
            items: list[dict[str, Any]] = document[spec.name]
            index = next((i for i, item in enumerate(items) if _key_of(spec, item) == key), None)
            current = None if index is None else items[index]
            self._check_version(spec, key, account_id, current, if_version)
            new = produce(current)
            if new is None:
                del items[index]  # type: ignore[arg-type]  # produce raises when there is nothing to delete
                if spec.node_kind is not None:
                    _drop_node_references(document, spec.node_kind, key[0])
                if spec is ACTIVITIES:  # voices heard at it keep everything but the reference
                    for voice in document["voices"]:
                        if voice["activity"] == key[0]:
                            voice["activity"] = None
            elif index is None:
                items.append(new)
            else:
                items[index] = new

        return mutate

    def _check_version(
        self,
        spec: ListSpec | None,
        key: tuple[str, ...],
        account_id: str,
        current: Mapping[str, Any] | None,
        if_version: str | None,
    ) -> None:
        if if_version is None:
            return
        if current is None:  # a missing item is "not found", whatever version the caller saw
            assert spec is not None  # the account record is always there
            raise self._not_found(account_id, spec, key)
        actual = _version_of_json(spec, current)
        if actual != if_version:
            noun = "account" if spec is None else spec.noun
            raise StaleVersionError(noun, _subject(key), account_id, if_version, actual)

    @staticmethod
    def _merged(
        spec: ListSpec | None, key: tuple[str, ...], current: Mapping[str, Any], changes: Mapping[str, Any]
    ) -> dict[str, Any]:
        """``current`` with ``changes`` laid over it; the fields that identify the item cannot change."""
        fields = ("id",) if spec is None else spec.key
        noun = "account" if spec is None else spec.noun
        problems = [
            Problem(f"{noun}.{field}", _subject(key), f"cannot change (it identifies the {noun})")
            for field, value in zip(fields, key, strict=True)
            if field in changes and changes[field] != value
        ]
        if problems:
            raise InvalidMapError(problems)
        return {**current, **changes}

    @staticmethod
    def _not_found(account_id: str, spec: ListSpec, key: tuple[str, ...]) -> NotFoundError:
        if spec.node_kind is not None:
            return not_found_for_node(spec.node_kind, key[0], account_id)
        if spec.edge_kind is not None:
            return not_found_for_edge(spec.edge_kind, key[0], key[1], account_id)
        if spec is VOICES:
            return VoiceNotFoundError(key[0], account_id)
        return ActivityNotFoundError(key[0], account_id)


def _drop_node_references(document: dict[str, Any], kind: NodeKind, node_id: str) -> None:
    """After a node leaves the document: every line touching it goes, and its id leaves activities."""
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
    if kind == NodeKind.STAKEHOLDER:  # a voice is raised by a stakeholder: it goes with them
        document["voices"] = [v for v in document["voices"] if v["stakeholder"] != node_id]
