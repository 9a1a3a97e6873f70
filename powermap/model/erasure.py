"""Forgetting one stakeholder in contract-shaped data: a whole document, or single items of its lists.

One rule, read off :data:`~powermap.model.contract.LISTS` so that any list the contract gains (voices,
say) is covered by its ``refs`` without a change here: the stakeholder's own item goes; an item whose
single reference field names them (a line, a voice) goes; a reference list naming them (an activity's
``stakeholders``) loses their id. Everything else stays as it was, so a valid map stays valid: removing
a node and what points at it can break no rule of the contract (no reference dangles, no cycle appears).

The stores apply the same rule to the live map, to every recorded change and to every checkpoint,
which is what keeps the history of an account consistent after an erasure.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from powermap.model.contract import LIST_BY_NAME, LISTS

#: The list whose items are people we may be asked to forget.
PEOPLE = "stakeholders"


def forget_item(list_name: str, item: Mapping[str, Any], stakeholder_id: str) -> dict[str, Any] | None:
    """The item with the stakeholder forgotten: ``None`` when the item itself must go.

    >>> forget_item("stakeholders", {"id": "ceo", "name": "Chen"}, "ceo") is None
    True
    >>> forget_item("influences", {"from": "cto", "to": "ceo", "weight": 0.7}, "ceo") is None
    True
    >>> forget_item("activities", {"id": "a1", "members": ["li"], "stakeholders": ["ceo", "cto"]}, "ceo")
    {'id': 'a1', 'members': ['li'], 'stakeholders': ['cto']}
    >>> forget_item("team", {"id": "ceo", "name": "Our own CEO"}, "ceo")  # a member may share the id
    {'id': 'ceo', 'name': 'Our own CEO'}
    """
    spec = LIST_BY_NAME.get(list_name)
    if spec is None:
        return dict(item)
    if list_name == PEOPLE and item.get("id") == stakeholder_id:
        return None
    forgotten = dict(item)
    for field, target in spec.refs:
        if target != PEOPLE or field not in item:
            continue
        value = item[field]
        if isinstance(value, str):
            if value == stakeholder_id:
                return None
        elif isinstance(value, list | tuple) and stakeholder_id in value:
            forgotten[field] = [i for i in value if i != stakeholder_id]
    return forgotten


def forget_items(list_name: str, items: list[Any], stakeholder_id: str) -> list[dict[str, Any]]:
    """Every item of one list with the stakeholder forgotten (dropped items left out)."""
    kept = (forget_item(list_name, item, stakeholder_id) for item in items)
    return [item for item in kept if item is not None]


def forget_in_document(document: Mapping[str, Any], stakeholder_id: str) -> dict[str, Any]:
    """A contract document with the stakeholder forgotten everywhere; the input is left untouched.

    >>> doc = {"account": {"id": "a", "name": "A"}, "stakeholders": [{"id": "x"}, {"id": "y"}],
    ...        "reports_to": [{"from": "x", "to": "y"}], "activities": [{"id": "a1", "stakeholders": ["x"]}]}
    >>> forget_in_document(doc, "x")["stakeholders"], forget_in_document(doc, "x")["reports_to"]
    ([{'id': 'y'}], [])
    """
    result = copy.deepcopy(dict(document))
    for spec in LISTS:
        if isinstance(result.get(spec.name), list):
            result[spec.name] = forget_items(spec.name, result[spec.name], stakeholder_id)
    return result


def forget_in_entry(
    list_name: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, stakeholder_id: str
) -> tuple[dict[str, Any] | None, dict[str, Any] | None] | None:
    """One history entry (an item before and after a write) with the stakeholder forgotten.

    ``None`` when nothing is left to record: both sides forgotten, or only the stakeholder made them
    differ. Applying the forgotten entries to the forgotten checkpoint gives the forgotten map at every
    revision, because forgetting works item by item, the same way on every side.

    >>> forget_in_entry("stakeholders", None, {"id": "x", "name": "X"}, "x") is None
    True
    >>> forget_in_entry("activities", {"id": "a", "stakeholders": ["x"]}, {"id": "a", "stakeholders": ["x", "y"]}, "x")
    ({'id': 'a', 'stakeholders': []}, {'id': 'a', 'stakeholders': ['y']})
    >>> forget_in_entry("activities", {"id": "a", "stakeholders": []}, {"id": "a", "stakeholders": ["x"]}, "x") is None
    True
    >>> forget_in_entry("account", {"id": "acme"}, {"id": "acme", "notes": "n"}, "x")
    ({'id': 'acme'}, {'id': 'acme', 'notes': 'n'})
    """
    forgotten_before = None if before is None else forget_item(list_name, before, stakeholder_id)
    forgotten_after = None if after is None else forget_item(list_name, after, stakeholder_id)
    if forgotten_before == forgotten_after:
        return None
    return forgotten_before, forgotten_after


def mentions_item(list_name: str, item: Mapping[str, Any], stakeholder_id: str) -> bool:
    """Whether forgetting the stakeholder changes (or drops) this item."""
    return forget_item(list_name, item, stakeholder_id) != dict(item)
