"""The pure diff of two maps: applying it to the earlier map yields the later one."""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from powermap.model import LISTS, AccountMap, Level, Stakeholder, parse_account_map
from powermap.model.diff import Entry, apply_diff, apply_diffs, diff_documents, diff_maps, item_key, key_of
from tests.factories import normalized, random_documents, tiny_document


def keyed(document: dict[str, Any] | None) -> dict[str, Any]:
    """A document as sets of items per list (order left out), for comparing content only."""
    assert document is not None
    return {
        "account": document["account"],
        **{spec.name: {item_key(spec, i): i for i in document.get(spec.name, [])} for spec in LISTS},
    }


@settings(max_examples=60, deadline=None)
@given(random_documents(), random_documents())
def test_a_diff_applied_to_the_earlier_map_yields_the_later_one(first: dict[str, Any], second: dict[str, Any]) -> None:
    before, after = normalized(first), normalized(second)
    diff = diff_documents(before, after)
    assert keyed(apply_diff(before, diff)) == keyed(after)
    assert diff_maps(parse_account_map(before), parse_account_map(after)) == diff


@st.composite
def edited(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A map and the map a few fine-grained edits make of it (replace in place, append new, remove)."""
    before = normalized(draw(random_documents()))
    after = copy.deepcopy(before)
    for _ in range(draw(st.integers(0, 5))):
        action = draw(st.sampled_from(["stance", "drop_line", "add_line", "rename"]))
        if action == "stance":
            person = draw(st.sampled_from(after["stakeholders"]))
            person["stance"] = draw(st.sampled_from(["champion", "opponent", "neutral"]))
        elif action == "drop_line" and after["relationships"]:
            after["relationships"].pop(draw(st.integers(0, len(after["relationships"]) - 1)))
        elif action == "add_line":
            # a pair never seen before: a line removed and put back is at the end, which one diff cannot say
            ends = {(r["member"], r["stakeholder"]) for r in after["relationships"] + before["relationships"]}
            free = [
                (m["id"], s["id"])
                for m in after["team"]
                for s in after["stakeholders"]
                if (m["id"], s["id"]) not in ends
            ]
            if free:
                member, stakeholder = draw(st.sampled_from(free))
                after["relationships"].append(
                    {"member": member, "stakeholder": stakeholder, "strength": 0.5, "last_contact": None}
                )
        else:
            after["account"]["name"] = draw(st.text(min_size=1, max_size=5))
    return before, after


@settings(max_examples=60, deadline=None)
@given(edited())
def test_a_diff_of_an_edit_reproduces_the_later_map_in_order(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    before, after = pair
    assert apply_diff(before, diff_documents(before, after)) == after


def test_a_diff_names_items_by_id_and_lines_by_their_ends() -> None:
    before = {
        "account": {"id": "a", "name": "A"},
        "stakeholders": [{"id": "ceo", "stance": "neutral"}, {"id": "cfo", "stance": "skeptic"}],
        "influences": [{"from": "cfo", "to": "ceo", "weight": 0.5}],
    }
    after = {
        "account": {"id": "a", "name": "A2"},
        "stakeholders": [{"id": "ceo", "stance": "supporter"}],
        "influences": [],
        "relationships": [{"member": "li", "stakeholder": "ceo", "strength": 0.3}],
    }
    report = diff_documents(before, after).to_report()
    assert report == {
        "added": {"relationships": [{"member": "li", "stakeholder": "ceo", "strength": 0.3}]},
        "removed": {
            "stakeholders": [{"id": "cfo", "stance": "skeptic"}],
            "influences": [{"from": "cfo", "to": "ceo", "weight": 0.5}],
        },
        "changed": {
            "account": [{"before": {"id": "a", "name": "A"}, "after": {"id": "a", "name": "A2"}}],
            "stakeholders": [
                {"before": {"id": "ceo", "stance": "neutral"}, "after": {"id": "ceo", "stance": "supporter"}}
            ],
        },
    }
    assert not diff_documents(after, after)


@st.composite
def edit_chains(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Maps one fine-grained edit apart each (a line removed may come back later, at the end)."""
    states = [normalized(draw(random_documents()))]
    for _ in range(draw(st.integers(1, 8))):
        state = copy.deepcopy(states[-1])
        lines = state["relationships"]
        action = draw(st.sampled_from(["drop", "add", "strength"]))
        if action == "drop" and lines:
            lines.pop(draw(st.integers(0, len(lines) - 1)))
        elif action == "strength" and lines:
            lines[draw(st.integers(0, len(lines) - 1))]["strength"] = draw(st.sampled_from([0.1, 0.9]))
        else:
            ends = {(r["member"], r["stakeholder"]) for r in lines}
            free = [(m["id"], s["id"]) for m in state["team"] for s in state["stakeholders"]]
            free = [pair for pair in free if pair not in ends]
            if free:
                member, stakeholder = draw(st.sampled_from(free))
                lines.append({"member": member, "stakeholder": stakeholder, "strength": 0.3, "last_contact": None})
        states.append(state)
    return states


@settings(max_examples=80, deadline=None)
@given(edit_chains())
def test_diffs_applied_in_one_pass_equal_the_diffs_applied_one_by_one(states: list[dict[str, Any]]) -> None:
    diffs = [diff_documents(a, b) for a, b in itertools.pairwise(states)]
    for diff, (earlier, later) in zip(diffs, itertools.pairwise(states), strict=True):
        assert apply_diff(earlier, diff) == later
    assert apply_diffs(states[0], [d.entries for d in diffs]) == states[-1]
    rebuilt = apply_diffs(None, [diff_documents(None, states[0]).entries, *(d.entries for d in diffs)])
    assert rebuilt is not None
    non_empty = {key: value for key, value in rebuilt.items() if value != []}
    assert non_empty == {key: value for key, value in states[-1].items() if key != "format" and value != []}


def test_a_diff_is_true_exactly_when_something_changed() -> None:
    before = parse_account_map(tiny_document())
    after = parse_account_map({**tiny_document(), "account": {**tiny_document()["account"], "notes": "moved"}})
    assert not diff_maps(before, before)  # an identical import changes nothing
    assert diff_maps(before, after)


def test_a_history_entry_is_stored_as_compact_json_that_reads_back_as_the_same_entry() -> None:
    changed = Entry("stakeholders", ("cfo",), {"id": "cfo", "name": "方"}, {"id": "cfo", "name": "方芳"})
    # the stored text of one entry (Neo4j's history chunks): compact, Chinese as is, the key as a list
    assert changed.dumps() == (
        '{"list":"stakeholders","key":["cfo"],"before":{"id":"cfo","name":"方"},"after":{"id":"cfo","name":"方芳"}}'
    )
    added = Entry("influences", ("cto", "ceo"), None, {"from": "cto", "to": "ceo", "weight": 0.5})
    removed = Entry("account", (), {"id": "a", "name": "A"}, None)
    for entry in (changed, added, removed):
        assert Entry.from_json(json.loads(entry.dumps())) == entry


def test_an_entry_read_from_json_without_a_side_has_none_there() -> None:
    assert Entry.from_json({"list": "team", "key": ["li"], "after": {"id": "li"}}) == Entry(
        "team", ("li",), None, {"id": "li"}
    )
    assert Entry.from_json({"list": "team", "key": ["li"], "before": {"id": "li"}}) == Entry(
        "team", ("li",), {"id": "li"}, None
    )


def test_the_account_record_has_the_empty_key_and_items_their_id_or_ends() -> None:
    assert key_of("account", {"id": "a", "name": "A"}) == ()
    assert key_of("stakeholders", {"id": "ceo", "name": "Chen"}) == ("ceo",)
    assert key_of("relationships", {"member": "li", "stakeholder": "ceo", "strength": 0.5}) == ("li", "ceo")


def small_lists() -> list[tuple[Stakeholder, ...]]:
    """Every list of at most three stakeholders of distinct ids drawn from one pool of objects.

    ``p`` comes in three forms: one object, an equal copy of it (same content, another object) and a
    changed version; the others are one object each. Lists share the pool's objects, as an edit's new
    map shares every untouched item with the old one, in every order.
    """
    base = {"name": "N", "level": "staff", "influence": 0.5}
    p = Stakeholder.model_validate({"id": "p", **base})
    forms = {
        "p": [p, Stakeholder.model_validate({"id": "p", **base}), p.model_copy(update={"name": "P2"})],
        **{key: [Stakeholder.model_validate({"id": key, **base})] for key in ("q", "x", "z")},
    }
    lists: list[tuple[Stakeholder, ...]] = []
    for size in range(4):
        for keys in itertools.permutations(forms, size):
            lists.extend(itertools.product(*(forms[key] for key in keys)))
    return lists


def test_the_fast_diff_of_two_maps_equals_the_plain_diff_of_their_documents_for_every_small_pair() -> None:
    start = AccountMap.model_validate({"account": {"id": "a", "name": "A"}})
    lists = small_lists()
    maps = [start.model_copy(update={"stakeholders": items}) for items in lists]
    documents = [m.to_document() for m in maps]
    for before, before_document in zip(maps, documents, strict=True):
        assert not diff_maps(before, before)  # the very same lists
        for after, after_document in zip(maps, documents, strict=True):
            assert diff_maps(before, after) == diff_documents(before_document, after_document), (
                [s.id for s in before.stakeholders],
                [s.id for s in after.stakeholders],
            )


def test_a_moved_item_beside_a_removed_one_is_not_taken_for_it() -> None:
    start = AccountMap.model_validate({"account": {"id": "a", "name": "A"}})
    p, q, x, z = (Stakeholder(id=i, name=i.upper(), level=Level.STAFF, influence=0.5) for i in "pqxz")
    before = start.model_copy(update={"stakeholders": (p, q, z)})
    after = start.model_copy(update={"stakeholders": (x, p, z)})  # q removed, x added in front, p moved
    assert diff_maps(before, after).to_report() == {
        "added": {"stakeholders": [x.model_dump(mode="json")]},
        "removed": {"stakeholders": [q.model_dump(mode="json")]},
        "changed": {},
    }


def test_an_item_added_for_an_id_the_document_holds_replaces_it_at_the_end_never_beside_it() -> None:
    document = {"stakeholders": [{"id": "p", "name": "P"}, {"id": "q", "name": "Q"}]}
    added_again = Entry("stakeholders", ("p",), None, {"id": "p", "name": "P2"})
    assert apply_diffs(document, [[added_again]]) == {
        "stakeholders": [{"id": "q", "name": "Q"}, {"id": "p", "name": "P2"}]
    }


def test_a_diff_of_lists_only_applies_to_a_document_without_an_account_record() -> None:
    added = Entry("stakeholders", ("p",), None, {"id": "p", "name": "P"})
    assert apply_diffs(None, [[added]]) == {"stakeholders": [{"id": "p", "name": "P"}]}
    assert apply_diffs({"account": {"id": "a"}}, [[Entry("account", (), {"id": "a"}, None)]]) is None


def test_a_diff_keeps_its_own_copy_of_the_account_record() -> None:
    before: dict[str, Any] = {"account": {"id": "a", "name": "A"}}
    after: dict[str, Any] = {"account": {"id": "a", "name": "B"}}
    diff = diff_documents(before, after)
    before["account"]["name"] = "edited later"
    after["account"]["name"] = "edited later"
    assert diff.entries == (Entry("account", (), {"id": "a", "name": "A"}, {"id": "a", "name": "B"}),)


def test_a_new_account_is_all_added_and_a_deleted_one_all_removed() -> None:
    document = {
        "account": {"id": "a", "name": "A"},
        "team": [{"id": "li", "name": "Li", "role": "AR"}],
        "stakeholders": [
            {"id": "ceo", "name": "Chen", "level": "executive", "influence": 0.9},
            {"id": "cfo", "name": "Fang", "level": "executive", "influence": 0.7},
        ],
        "relationships": [{"member": "li", "stakeholder": "ceo", "strength": 0.5}],
    }
    account_map = parse_account_map(document)
    nothing = {"added": 0, "removed": 0, "changed": 0}
    one_added = {"added": 1, "removed": 0, "changed": 0}
    expected = dict.fromkeys(("account", *(spec.name for spec in LISTS)), nothing)
    assert diff_maps(None, account_map).counts() == {
        **expected,
        **dict.fromkeys(("account", "team", "relationships"), one_added),
        "stakeholders": {"added": 2, "removed": 0, "changed": 0},
    }
    exported = account_map.to_document()
    assert diff_maps(account_map, None).to_report() == {
        "added": {},
        "removed": {
            name: [exported[name]] if name == "account" else exported[name]
            for name in ("account", "team", "stakeholders", "relationships")
        },
        "changed": {},
    }
