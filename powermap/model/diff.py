"""What changed between two versions of an account map: a pure diff, and its application.

Items are compared in their contract shape (JSON-ready dicts), per list of :data:`LISTS`, each item
identified by its key (an id, or a line's two ends); the account record is compared as a whole under
the name ``"account"``. The same diff serves three purposes: the ``diff`` command, the report of an
import (counts per list, and "nothing changed"), and the deltas that history keeps of every write.

Applying a diff keeps the stores' order of items: kept items stay where they were (a changed one is
replaced in place) and added ones go to the end, in the order of the later map. Every fine-grained
edit changes a map exactly that way; an import may also reorder items, which :func:`apply_diff` cannot
express, so the history of such an import keeps the whole map (see :mod:`powermap.store.history`).

>>> before = {"account": {"id": "a", "name": "A"}, "stakeholders": [{"id": "x", "stance": "neutral"}]}
>>> after = {"account": {"id": "a", "name": "A"},
...          "stakeholders": [{"id": "x", "stance": "supporter"}, {"id": "y", "stance": "neutral"}]}
>>> d = diff_documents(before, after)
>>> d.counts()["stakeholders"]
{'added': 1, 'removed': 0, 'changed': 1}
>>> apply_diff(before, d)["stakeholders"] == after["stakeholders"]
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from powermap.model.contract import LIST_BY_NAME, LISTS, AccountMap, ContractModel, ListSpec

#: The name the account record goes by in a diff, beside the contract's list names.
ACCOUNT = "account"

Item = dict[str, Any]
Key = tuple[Any, ...]


def list_names() -> tuple[str, ...]:
    """Every list a diff covers, in document order (read at call time: the contract may grow lists)."""
    return tuple(spec.name for spec in LISTS)


def item_key(spec: ListSpec, item: Mapping[str, Any]) -> Key:
    """The fields that identify an item of a list: its id, or a line's two ends."""
    return tuple(item.get(name) for name in spec.key)


def key_of(list_name: str, item: Mapping[str, Any]) -> Key:
    """:func:`item_key` by list name; the account record has the empty key."""
    return () if list_name == ACCOUNT else item_key(LIST_BY_NAME[list_name], item)


@dataclass(frozen=True)
class Entry:
    """One item's change: ``before`` is None when it was added, ``after`` None when it was removed."""

    list: str
    key: Key
    before: Item | None
    after: Item | None

    def to_json(self) -> dict[str, Any]:
        return {"list": self.list, "key": list(self.key), "before": self.before, "after": self.after}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Entry:
        return cls(str(data["list"]), tuple(data["key"]), data.get("before"), data.get("after"))

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class MapDiff:
    """The entries that turn one map into another, in a stable order (lists in document order)."""

    entries: tuple[Entry, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per list (and ``account``): how many items were added, removed and changed."""
        counts = {name: {"added": 0, "removed": 0, "changed": 0} for name in (ACCOUNT, *list_names())}
        for entry in self.entries:
            bucket = counts[entry.list]
            bucket["added" if entry.before is None else "removed" if entry.after is None else "changed"] += 1
        return counts

    def to_report(self) -> dict[str, Any]:
        """The issue's shape: ``added``/``removed`` ``{LIST: [item]}``, ``changed`` ``{LIST: [{before, after}]}``.

        Only lists with something in them appear; the account record appears under ``account``.
        """
        added: dict[str, list[Item]] = {}
        removed: dict[str, list[Item]] = {}
        changed: dict[str, list[dict[str, Item]]] = {}
        for entry in self.entries:
            if entry.before is None and entry.after is not None:
                added.setdefault(entry.list, []).append(entry.after)
            elif entry.after is None and entry.before is not None:
                removed.setdefault(entry.list, []).append(entry.before)
            elif entry.before is not None and entry.after is not None:
                changed.setdefault(entry.list, []).append({"before": entry.before, "after": entry.after})
        return {"added": added, "removed": removed, "changed": changed}


def diff_documents(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> MapDiff:
    """The diff that turns the document ``before`` into ``after`` (None: the account did not exist)."""
    entries: list[Entry] = []
    old_account = before.get(ACCOUNT) if before is not None else None
    new_account = after.get(ACCOUNT) if after is not None else None
    if old_account != new_account:
        entries.append(Entry(ACCOUNT, (), _copy(old_account), _copy(new_account)))
    for spec in LISTS:
        entries.extend(diff_items(spec, _items(before, spec.name), _items(after, spec.name)))
    return MapDiff(tuple(entries))


def diff_maps(before: AccountMap | None, after: AccountMap | None) -> MapDiff:
    """:func:`diff_documents` of two maps, dumping only the items that differ (fast on large maps)."""
    entries: list[Entry] = []
    old_account = before.account if before is not None else None
    new_account = after.account if after is not None else None
    if old_account != new_account:
        entries.append(Entry(ACCOUNT, (), _dump(old_account), _dump(new_account)))
    for spec in LISTS:
        old: Sequence[ContractModel] = getattr(before, spec.name) if before is not None else ()
        new: Sequence[ContractModel] = getattr(after, spec.name) if after is not None else ()
        # An edit touches few items: diff only what lies between the common head and the common tail
        # (items there are equal, so their keys cannot appear in the middle of the other side).
        if old is new:  # a list an edit did not touch is the very same tuple
            continue
        # Identity first: an edit's new map shares every untouched item with the old one.
        head = 0
        while head < len(old) and head < len(new) and (old[head] is new[head] or old[head] == new[head]):
            head += 1
        tail = 0
        while (
            tail < len(old) - head
            and tail < len(new) - head
            and (old[-1 - tail] is new[-1 - tail] or old[-1 - tail] == new[-1 - tail])
        ):
            tail += 1
        old = old[head : len(old) - tail]
        new = new[head : len(new) - tail]
        if not old and not new:
            continue
        attrs = _key_attrs(spec)
        later = {tuple(getattr(item, a) for a in attrs): item for item in new}
        kept = set()
        for item in old:
            key = tuple(getattr(item, a) for a in attrs)
            kept.add(key)
            match = later.get(key)
            if match is None:
                entries.append(Entry(spec.name, key, _dump(item), None))
            elif match != item:
                entries.append(Entry(spec.name, key, _dump(item), _dump(match)))
        entries.extend(Entry(spec.name, key, None, _dump(item)) for key, item in later.items() if key not in kept)
    return MapDiff(tuple(entries))


def _key_attrs(spec: ListSpec) -> tuple[str, ...]:
    """The model attributes behind a list's key fields (a line's ``from`` is its ``source``)."""
    by_alias = {(info.alias or name): name for name, info in spec.model.model_fields.items()}
    return tuple(by_alias[field_name] for field_name in spec.key)


def _dump(item: ContractModel | None) -> Item | None:
    return None if item is None else item.model_dump(mode="json", by_alias=True)


def diff_items(spec: ListSpec, before: Sequence[Item], after: Sequence[Item]) -> Iterator[Entry]:
    """One list's entries: removed and changed in the earlier order, then added in the later order."""
    new = {item_key(spec, item): item for item in after}
    old_keys = set()
    for item in before:
        key = item_key(spec, item)
        old_keys.add(key)
        later = new.get(key)
        if later is None:
            yield Entry(spec.name, key, item, None)
        elif later != item:
            yield Entry(spec.name, key, item, later)
    for item in after:
        key = item_key(spec, item)
        if key not in old_keys:
            yield Entry(spec.name, key, None, item)


def apply_diff(document: Mapping[str, Any] | None, diff: MapDiff | Iterable[Entry]) -> dict[str, Any] | None:
    """The document ``diff`` turns ``document`` into (None when the account record is removed).

    Kept items keep their place, changed ones are replaced in place, added ones are appended.
    """
    return apply_diffs(document, [diff.entries if isinstance(diff, MapDiff) else diff])


_ABSENT: Any = object()


def apply_diffs(document: Mapping[str, Any] | None, diffs: Iterable[Iterable[Entry]]) -> dict[str, Any] | None:
    """:func:`apply_diff` of each diff in turn, in one pass: time linear in the items plus the entries.

    Per list, items of ``document`` are replaced or dropped in place and added items are kept in the
    order they were (last) added, so an item removed and added again goes to the end, as the stores do.
    """
    result: dict[str, Any] = dict(document) if document is not None else {}
    replaced: dict[str, dict[Key, Item | None]] = {}
    appended: dict[str, dict[Key, Item]] = {}
    for entries in diffs:
        for entry in entries:
            if entry.list == ACCOUNT:
                result[ACCOUNT] = entry.after
                continue
            kept = replaced.setdefault(entry.list, {})
            added = appended.setdefault(entry.list, {})
            if entry.before is None and entry.after is not None:  # added (again, if it was there once)
                added.pop(entry.key, None)
                added[entry.key] = entry.after
                if entry.key not in kept:
                    kept[entry.key] = None  # a first item of that key, if any, no longer holds its place
            elif entry.key in added:
                if entry.after is None:
                    del added[entry.key]
                else:
                    added[entry.key] = entry.after
            else:
                kept[entry.key] = entry.after
    if result.get(ACCOUNT, _ABSENT) is None:
        return None
    for name in replaced.keys() | appended.keys():
        spec = LIST_BY_NAME[name]
        kept = replaced.get(name, {})
        items: list[Item] = []
        for item in result.get(name, ()):
            later = kept.get(item_key(spec, item), item)
            if later is not None:
                items.append(later)
        items.extend(appended.get(name, {}).values())
        result[name] = items
    return result


def _items(document: Mapping[str, Any] | None, name: str) -> Sequence[Item]:
    if document is None:
        return ()
    items: Sequence[Item] = document.get(name) or ()
    return items


def _copy(value: Any) -> Any:
    return dict(value) if isinstance(value, Mapping) else value
