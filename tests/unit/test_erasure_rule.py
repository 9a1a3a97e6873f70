"""The erasure rule on contract-shaped data, by hand: what goes, what loses an id, what stays as it was.

The stores' erasure (tests/contract/test_erasure.py) rests on these functions; here each is pinned on
small documents whose forgotten form is written out in full.
"""

from __future__ import annotations

import copy
from typing import Any

from powermap.model.erasure import forget_in_document, forget_in_entry, forget_item, forget_items, mentions_item


def document() -> dict[str, Any]:
    return {
        "account": {"id": "acme", "name": "Acme", "notes": "x is our way in"},
        "team": [{"id": "x", "name": "Our own X"}, {"id": "li", "name": "Li"}],
        "stakeholders": [{"id": "x", "name": "Xu"}, {"id": "y", "name": "Yan"}, {"id": "z", "name": "Zhao"}],
        "reports_to": [{"from": "x", "to": "y"}, {"from": "z", "to": "y"}],
        "influences": [{"from": "y", "to": "x", "weight": 0.5}, {"from": "z", "to": "y", "weight": 0.3}],
        "relationships": [{"member": "li", "stakeholder": "x", "strength": 0.4}],
        "activities": [
            {"id": "a1", "members": ["li"], "stakeholders": ["x", "z"]},
            {"id": "a2", "members": ["x"], "stakeholders": ["y"]},
        ],
    }


def test_forgetting_drops_the_person_and_every_line_naming_them_and_takes_their_id_out_of_activities() -> None:
    forgotten = forget_in_document(document(), "x")
    assert forgotten == {
        "account": {"id": "acme", "name": "Acme", "notes": "x is our way in"},  # free text is not an id
        "team": [{"id": "x", "name": "Our own X"}, {"id": "li", "name": "Li"}],  # a member may share the id
        "stakeholders": [{"id": "y", "name": "Yan"}, {"id": "z", "name": "Zhao"}],
        "reports_to": [{"from": "z", "to": "y"}],
        "influences": [{"from": "z", "to": "y", "weight": 0.3}],
        "relationships": [],
        "activities": [
            {"id": "a1", "members": ["li"], "stakeholders": ["z"]},
            {"id": "a2", "members": ["x"], "stakeholders": ["y"]},  # member x is one of ours, not the person
        ],
    }


def test_forgetting_leaves_the_input_as_it_was_and_shares_nothing_with_it() -> None:
    original = document()
    kept = copy.deepcopy(original)
    forgotten = forget_in_document(original, "x")
    assert original == kept
    # what the caller then does with the result (the service writes it back) never reaches the input
    forgotten["account"]["notes"] = "changed"
    forgotten["team"][0]["name"] = "changed"
    forgotten["activities"][1]["members"].append("li")
    assert original == kept


def test_forgetting_someone_nobody_names_changes_nothing() -> None:
    assert forget_in_document(document(), "nobody") == document()
    assert not any(
        mentions_item(name, item, "nobody") for name, items in document().items() if name != "account" for item in items
    )


def test_an_item_mentions_the_person_only_when_forgetting_them_changes_or_drops_it() -> None:
    assert mentions_item("stakeholders", {"id": "x", "name": "Xu"}, "x")
    assert mentions_item("reports_to", {"from": "y", "to": "x"}, "x")
    assert mentions_item("activities", {"id": "a", "stakeholders": ["x"]}, "x")
    assert not mentions_item("activities", {"id": "a", "members": ["x"], "stakeholders": ["y"]}, "x")
    assert not mentions_item("team", {"id": "x", "name": "Our own X"}, "x")
    assert not mentions_item("stakeholders", {"id": "y", "name": "x"}, "x")


def test_forgetting_a_list_keeps_the_other_items_in_their_order() -> None:
    lines = [{"from": "a", "to": "x"}, {"from": "b", "to": "c"}, {"from": "x", "to": "c"}, {"from": "d", "to": "a"}]
    assert forget_items("reports_to", lines, "x") == [{"from": "b", "to": "c"}, {"from": "d", "to": "a"}]
    assert forget_item("not_a_list_of_the_contract", {"id": "x"}, "x") == {"id": "x"}


def test_a_history_entry_is_forgotten_on_both_sides_and_dropped_when_nothing_else_changed() -> None:
    # an influence on the person: gone before and after, so nothing is left to record
    assert forget_in_entry("influences", {"from": "y", "to": "x", "weight": 0.2}, None, "x") is None
    # an activity that only gained the person: the same once forgotten, so dropped
    assert (
        forget_in_entry("activities", {"id": "a", "stakeholders": ["y"]}, {"id": "a", "stakeholders": ["y", "x"]}, "x")
        is None
    )
    # an activity that also changed otherwise keeps that change, without the person
    assert forget_in_entry(
        "activities",
        {"id": "a", "stakeholders": ["x"], "notes": ""},
        {"id": "a", "stakeholders": ["x", "y"], "notes": "n"},
        "x",
    ) == ({"id": "a", "stakeholders": [], "notes": ""}, {"id": "a", "stakeholders": ["y"], "notes": "n"})
    # the person's own item created: nothing to record; someone else's: recorded as it was
    assert forget_in_entry("stakeholders", None, {"id": "x", "name": "Xu"}, "x") is None
    assert forget_in_entry("stakeholders", None, {"id": "y", "name": "Yan"}, "x") == (None, {"id": "y", "name": "Yan"})
    assert forget_in_entry("stakeholders", {"id": "y", "name": "Yan"}, None, "x") == ({"id": "y", "name": "Yan"}, None)


def test_references_given_as_tuples_are_forgotten_alike_and_left_alone_when_they_do_not_name_them() -> None:
    met = {"id": "a1", "members": ("li",), "stakeholders": ("x", "z")}
    assert forget_item("activities", met, "x") == {"id": "a1", "members": ("li",), "stakeholders": ["z"]}
    assert mentions_item("activities", met, "x")
    other = {"id": "a2", "members": ("li",), "stakeholders": ("y",)}
    assert forget_item("activities", other, "x") == other
    assert not mentions_item("activities", other, "x")
