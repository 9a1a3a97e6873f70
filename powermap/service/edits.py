"""Edits of one item of a map: the account record, nodes, lines, activities and voices.

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

Every create, update and create-or-replace, and the removal of a line, an activity or a voice, is
checked **item-only** against the stored (valid) map: the item's own fields, the ids it names, whether
its key is free, a self-pointing line, a reporting cycle through it, a voice's rules
(:func:`~powermap.model.item_rule_problems`), with the messages a whole-document check would give.
Only removing a node (its lines, activity references and voices go with it) edits the whole document.

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
    Voice,
    item_rule_problems,
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


def _index_of(spec: ListSpec, items: Sequence[Any], key: tuple[str, ...]) -> int | None:
    return next((i for i, item in enumerate(items) if _model_key(spec, item) == key), None)


class EditsService(ServiceCore):
    """Fine-grained edits, each validated item-only against the stored map and guarded by revision or version."""

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

        def produce(current: Account) -> Account:
            self._check_version(None, (account_id,), account_id, current, if_version)
            return self._valid_item(Account, "account", self._merged(None, (account_id,), _json(current), data))

        return self._edit_account_record(account_id, produce, if_revision)

    # -- create-or-replace, no precondition (kept for the CLI and earlier callers) -----------------

    def update_account(self, account_id: str, data: Mapping[str, Any]) -> Account:
        """Replace the account record whole (its id stays)."""
        record = self._valid_item(Account, "account", {**data, "id": account_id})
        return self._edit_account_record(account_id, lambda _: record, None).item

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
        item = self._valid_item(spec.model, spec.name, data)
        put: ContractModel = self._item_edit(
            account_id, spec, _model_key(spec, item), lambda _: item, operation, None, None
        ).item
        return put

    def _create(
        self, account_id: str, spec: ListSpec, item: ContractModel | Mapping[str, Any], if_revision: int | None
    ) -> Item[Any]:
        if isinstance(item, Mapping):  # contract field names, from a caller that did not validate them
            new = self._valid_item(spec.model, spec.name, item)
        elif isinstance(item, spec.model):
            # Already validated (a subclass such as the API's StakeholderCreate has the same fields):
            # kept as the contract model itself, without validating it again.
            new = spec.model.model_construct(_fields_set=item.model_fields_set, **dict(item))
        else:
            new = self._valid_item(spec.model, spec.name, _json(item))
        key = _model_key(spec, new)

        def produce(current: ContractModel | None) -> ContractModel:
            if current is not None:
                raise IdTakenError(spec.noun, _subject(key), account_id)
            return new

        return self._item_edit(account_id, spec, key, produce, f"create {spec.noun}", if_revision, None)

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

        def produce(current: ContractModel | None) -> ContractModel:
            if current is None:
                raise self._not_found(account_id, spec, key)
            return self._valid_item(spec.model, spec.name, self._merged(spec, key, _json(current), data))

        return self._item_edit(account_id, spec, key, produce, f"update {spec.noun}", if_revision, if_version)

    def _item_edit(
        self,
        account_id: str,
        spec: ListSpec,
        key: tuple[str, ...],
        produce: Callable[[Any], ContractModel],
        operation: str,
        if_revision: int | None,
        if_version: str | None,
    ) -> Item[Any]:
        """Put one item in its list (``produce`` makes it from the current one, None when new), checked alone.

        The stored map is valid, so only what the new item touches is checked (its shape by ``produce``,
        then :func:`~powermap.model.item_rule_problems`: the ids it names, a self-pointing line, a
        reporting cycle through it, a voice's own rules and roadmap items), never the whole document:
        an edit costs about the same in a 20- or a 20,000-person account (see :meth:`_edit_map`).
        """
        put: list[ContractModel] = []

        def transform(account_map: AccountMap) -> AccountMap:
            items: tuple[ContractModel, ...] = getattr(account_map, spec.name)
            index = _index_of(spec, items, key)
            current = None if index is None else items[index]
            self._check_version(spec, key, account_id, current, if_version)
            new = produce(current)
            position = len(items) if index is None else index
            problems = item_rule_problems(
                account_map, spec.name, position, _json(new), roadmap_ids=self._roadmap_ids_named(new)
            )
            if problems:
                raise InvalidMapError(problems)
            put[:] = [new]
            replaced = (*items, new) if index is None else (*items[:index], new, *items[index + 1 :])
            return account_map.model_copy(update={spec.name: replaced})

        def write(_: AccountMap, revision: int, history: Delta) -> int:
            change = Change(self.actor, operation, _subject(key), history=history)
            if spec.node_kind is not None:
                return self.store.put_node(account_id, cast(Node, put[0]), change, expected_revision=revision)
            if spec.edge_kind is not None:
                return self.store.put_edge(account_id, cast(Edge, put[0]), change, expected_revision=revision)
            if spec is VOICES:
                return self.store.put_voice(account_id, cast(Voice, put[0]), change, expected_revision=revision)
            return self.store.put_activity(account_id, cast(Activity, put[0]), change, expected_revision=revision)

        _, revision = self._edit_map(account_id, transform, write, if_revision=if_revision)
        return Item(put[0], item_version(put[0]), revision)

    def _roadmap_ids_named(self, item: ContractModel) -> set[str] | None:
        """The store's roadmap ids when ``item`` is a voice naming roadmap items (one read), else None."""
        if not isinstance(item, Voice) or not item.roadmap:
            return None
        return {entry.id for entry in self.store.read_roadmap().items}

    def _edit_account_record(
        self, account_id: str, produce: Callable[[Account], Account], if_revision: int | None
    ) -> Item[Account]:
        """Replace the account record (its id stays, so no reference can break: nothing else is checked)."""
        put: list[Account] = []

        def transform(account_map: AccountMap) -> AccountMap:
            put[:] = [produce(account_map.account)]
            return account_map.model_copy(update={"account": put[0]})

        def write(_: AccountMap, revision: int, history: Delta) -> int:
            change = Change(self.actor, "update account", account_id, history=history)
            return self.store.update_account(put[0], change, expected_revision=revision)

        _, revision = self._edit_map(account_id, transform, write, if_revision=if_revision)
        return Item(put[0], item_version(put[0]), revision)

    def _delete(
        self,
        account_id: str,
        spec: ListSpec,
        key: tuple[str, ...],
        if_revision: int | None,
        if_version: str | None,
    ) -> int:
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

        if spec.node_kind is not None:  # lines, activities and voices name it: the document is edited whole
            mutate = self._node_removal(account_id, spec, key, if_version)
            _, revision = self._edit(account_id, mutate, write, if_revision=if_revision)
            return revision

        def transform(account_map: AccountMap) -> AccountMap:
            """Nothing names a line or a voice; voices heard at an activity only lose the reference."""
            items: tuple[ContractModel, ...] = getattr(account_map, spec.name)
            index = _index_of(spec, items, key)
            self._check_version(spec, key, account_id, None if index is None else items[index], if_version)
            if index is None:
                raise self._not_found(account_id, spec, key)
            update: dict[str, Any] = {spec.name: (*items[:index], *items[index + 1 :])}
            if spec is ACTIVITIES and any(v.activity == key[0] for v in account_map.voices):
                update["voices"] = tuple(
                    v.model_copy(update={"activity": None}) if v.activity == key[0] else v for v in account_map.voices
                )
            return account_map.model_copy(update=update)

        _, revision = self._edit_map(account_id, transform, write, if_revision=if_revision)
        return revision

    def _node_removal(
        self, account_id: str, spec: ListSpec, key: tuple[str, ...], if_version: str | None
    ) -> Callable[[dict[str, Any]], None]:
        """The document edit of a node's removal: check its version, drop it and everything naming it."""

        def mutate(document: dict[str, Any]) -> None:
            items: list[dict[str, Any]] = document[spec.name]
            index = next((i for i, item in enumerate(items) if _key_of(spec, item) == key), None)
            current = None if index is None else spec.model.model_validate(items[index])
            self._check_version(spec, key, account_id, current, if_version)
            if index is None:
                raise self._not_found(account_id, spec, key)
            del items[index]
            assert spec.node_kind is not None
            _drop_node_references(document, spec.node_kind, key[0])

        return mutate

    def _check_version(
        self,
        spec: ListSpec | None,
        key: tuple[str, ...],
        account_id: str,
        current: BaseModel | None,
        if_version: str | None,
    ) -> None:
        if if_version is None:
            return
        if current is None:  # a missing item is "not found", whatever version the caller saw
            assert spec is not None  # the account record is always there
            raise self._not_found(account_id, spec, key)
        actual = item_version(current)
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
