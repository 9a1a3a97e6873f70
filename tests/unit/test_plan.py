"""What-if plans as documents: how a plan is read (every problem named), and the edits its steps make.

Expected plans, messages and documents are written out by hand from the plan format in
:mod:`powermap.model.plan` (``put`` merges by key or appends, ``remove`` takes ids or a line's ends and a
node leaves with its lines and its place in activities).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from powermap.errors import InvalidPlanError, Problem
from powermap.model.enums import ActivityKind, Stance
from powermap.model.plan import ActivityStep, PutStep, RemoveStep, parse_plan, put_items, remove_items


def problems(document: Any) -> list[tuple[str, str | None, str]]:
    with pytest.raises(InvalidPlanError) as refused:
        parse_plan(document)
    return as_tuples(refused.value.problems)


def as_tuples(found: Sequence[Problem]) -> list[tuple[str, str | None, str]]:
    return [(p.path, p.item, p.message) for p in found]


# -- reading a plan ----------------------------------------------------------------------------------


def test_a_plan_keeps_its_steps_in_order_with_their_items_and_keys() -> None:
    plan = parse_plan(
        {
            "format": "powermap-plan/v1",
            "steps": [
                {"put": {"stakeholders": [{"id": "cfo", "stance": "supporter"}]}},
                {"remove": {"team": ["li"], "influences": [{"from": "cto", "to": "ceo"}]}},
                {"activity": {"type": "meal", "members": ["li"], "stakeholders": ["cfo"], "stance": "champion"}},
                {"put": {}},
            ],
        }
    )
    assert len(plan.steps) == 4
    put, remove, activity, empty = plan.steps
    assert isinstance(put, PutStep)
    assert put.items == {"stakeholders": ({"id": "cfo", "stance": "supporter"},)}
    assert isinstance(remove, RemoveStep)
    assert remove.keys == {"team": ("li",), "influences": (("cto", "ceo"),)}
    assert isinstance(activity, ActivityStep)
    assert activity.activity.type == ActivityKind.MEAL
    assert activity.activity.members == ("li",)
    assert activity.activity.stakeholders == ("cfo",)
    assert activity.activity.stance == Stance.CHAMPION
    assert activity.activity.strength is None
    assert activity.activity.date is None
    assert empty == PutStep({})


def test_a_plan_without_format_is_read_as_the_plan_format() -> None:
    assert parse_plan({"steps": []}).steps == ()


def test_a_plan_that_is_not_an_object_is_refused() -> None:
    assert problems(["put"]) == [("", None, "a plan must be a JSON/YAML object")]
    assert problems("steps") == [("", None, "a plan must be a JSON/YAML object")]


def test_a_plans_own_fields_are_checked_each_by_name() -> None:
    assert problems({"format": "powermap/v1", "step": []}) == [
        ("step", None, "is not a field of the powermap-plan/v1 format"),
        ("format", None, "must be 'powermap-plan/v1' (got 'powermap/v1')"),
        ("steps", None, "is required: a list of steps"),
    ]
    assert problems({"steps": {"put": {}}}) == [("steps", None, "is required: a list of steps")]


def test_every_malformed_step_is_named_by_its_place() -> None:
    assert problems(
        {
            "steps": [
                "put",
                {},
                {"put": {}, "remove": {}},
                {"visit": {}},
                {"put": ["stakeholders"]},
                {"remove": "cfo"},
                {"activity": ["meal"]},
            ]
        }
    ) == [
        ("steps[0]", None, "a step is an object with exactly one of put, remove, activity"),
        ("steps[1]", None, "a step is an object with exactly one of put, remove, activity"),
        ("steps[2]", None, "a step is an object with exactly one of put, remove, activity"),
        ("steps[3]", None, "a step is one of put, remove, activity (got 'visit')"),
        ("steps[4].put", None, "must be an object of lists by name"),
        ("steps[5].remove", None, "must be an object of lists by name"),
        ("steps[6].activity", None, "must be an object"),
    ]


def test_a_steps_lists_and_items_are_checked_each_by_path() -> None:
    assert problems(
        {
            "steps": [
                {"put": {"stakeholder": [], "team": {"id": "li"}}},
                {
                    "put": {
                        "stakeholders": ["cfo", {"name": "no id"}, {"id": 7}],
                        "influences": [{"from": "cto"}],
                    }
                },
                {"remove": {"stakeholders": [{"id": "cfo"}], "reports_to": ["cto", {"from": "cto", "to": 1}]}},
            ]
        }
    ) == [
        ("steps[0].put.stakeholder", None, "is not a list of the powermap/v1 format"),
        ("steps[0].put.team", None, "must be a list"),
        ("steps[1].put.stakeholders[0]", None, "must be an object"),
        ("steps[1].put.stakeholders[1].id", None, "is required to say which item to put"),
        ("steps[1].put.stakeholders[2].id", None, "is required to say which item to put"),
        ("steps[1].put.influences[0].to", None, "is required to say which item to put"),
        ("steps[2].remove.stakeholders[0]", None, "must be the id of a stakeholder"),
        ("steps[2].remove.reports_to[0]", None, "must name the reporting line's ends: {from: ..., to: ...}"),
        ("steps[2].remove.reports_to[1]", None, "must name the reporting line's ends: {from: ..., to: ...}"),
    ]


def test_a_line_to_put_needs_both_its_ends() -> None:
    assert problems({"steps": [{"put": {"relationships": [{"strength": 0.5}]}}]}) == [
        ("steps[0].put.relationships[0].member", None, "is required to say which item to put"),
        ("steps[0].put.relationships[0].stakeholder", None, "is required to say which item to put"),
    ]


def test_a_planned_activitys_fields_are_checked_in_the_formats_words() -> None:
    assert problems({"steps": [{"put": {}}, {"activity": {"type": "party", "strength": 2}}]}) == [
        (
            "steps[1].activity.type",
            None,
            "must be one of 'ice_breaking', 'attitude_turnaround', 'relationship_upgrade', 'executive_engagement', "
            "'summit', 'site_visit', 'topic_seminar', 'competitor_block', 'call', 'meal', 'message' or 'other' "
            "(got 'party')",
        ),
        ("steps[1].activity.strength", None, "must be at most 1.0 (got 2)"),
    ]


# -- the edits of a plan -----------------------------------------------------------------------------


def test_put_merges_an_item_into_the_one_with_its_key_and_appends_a_new_one() -> None:
    document: dict[str, Any] = {
        "stakeholders": [{"id": "ceo", "name": "Chen"}, {"id": "cfo", "name": "Fang", "stance": "skeptic"}],
        "influences": [{"from": "cfo", "to": "ceo", "weight": 0.2}, {"from": "ceo", "to": "cfo", "weight": 0.4}],
    }
    placed = put_items(
        document,
        {
            "stakeholders": [{"id": "new", "name": "Niu"}, {"id": "cfo", "stance": "supporter"}],
            "influences": [{"from": "ceo", "to": "cfo", "weight": 0.9}],
            "team": [{"id": "li", "name": "Li"}],
        },
    )
    assert document == {
        "stakeholders": [
            {"id": "ceo", "name": "Chen"},
            {"id": "cfo", "name": "Fang", "stance": "supporter"},
            {"id": "new", "name": "Niu"},
        ],
        "influences": [{"from": "cfo", "to": "ceo", "weight": 0.2}, {"from": "ceo", "to": "cfo", "weight": 0.9}],
        "team": [{"id": "li", "name": "Li"}],
    }
    # where each item of the step landed (list, index in the document) -> its position in the step
    assert placed == {("stakeholders", 2): 0, ("stakeholders", 1): 1, ("influences", 1): 0, ("team", 0): 0}


def test_put_copies_the_items_it_adds() -> None:
    item = {"id": "new", "name": "Niu"}
    document: dict[str, Any] = {"stakeholders": []}
    put_items(document, {"stakeholders": [item]})
    document["stakeholders"][0]["name"] = "changed later"
    assert item == {"id": "new", "name": "Niu"}


def document_with_everyone() -> dict[str, Any]:
    return {
        "account": {"id": "a", "name": "A"},
        "competitors": [{"id": "rival", "name": "Rival"}],
        "team": [{"id": "li", "name": "Li"}, {"id": "wu", "name": "Wu"}],
        "stakeholders": [{"id": "ceo", "name": "Chen"}, {"id": "cfo", "name": "Fang"}, {"id": "cto", "name": "Tao"}],
        "reports_to": [{"from": "cfo", "to": "ceo"}, {"from": "cto", "to": "ceo"}],
        "influences": [{"from": "cto", "to": "cfo", "weight": 0.5}, {"from": "cfo", "to": "cto", "weight": 0.5}],
        "relationships": [
            {"member": "li", "stakeholder": "cfo", "strength": 0.4},
            {"member": "wu", "stakeholder": "ceo", "strength": 0.6},
        ],
        "competitor_relationships": [{"competitor": "rival", "stakeholder": "cfo", "strength": 0.7}],
        "activities": [
            {"id": "m1", "members": ["li", "wu"], "stakeholders": ["cfo", "ceo"]},
            {"id": "m2", "members": ["wu"], "stakeholders": ["cto"]},
        ],
        "voices": [
            {"id": "v1", "stakeholder": "cfo", "activity": "m1", "text": "too dear"},
            {"id": "v2", "stakeholder": "ceo", "activity": "m1", "text": "too slow"},
            {"id": "v3", "stakeholder": "cto", "activity": "m2", "text": "fine"},
        ],
    }


def test_a_stakeholder_leaves_with_every_line_and_voice_of_theirs_and_their_place_in_activities() -> None:
    document = document_with_everyone()
    assert remove_items(document, {"stakeholders": ["cfo"]}) == []
    expected = document_with_everyone()
    expected["stakeholders"] = [{"id": "ceo", "name": "Chen"}, {"id": "cto", "name": "Tao"}]
    expected["reports_to"] = [{"from": "cto", "to": "ceo"}]
    expected["influences"] = []
    expected["relationships"] = [{"member": "wu", "stakeholder": "ceo", "strength": 0.6}]
    expected["competitor_relationships"] = []
    expected["activities"][0]["stakeholders"] = ["ceo"]
    expected["voices"] = expected["voices"][1:]
    assert document == expected


def test_a_team_member_leaves_with_their_relationships_and_their_place_in_activities() -> None:
    document = document_with_everyone()
    assert remove_items(document, {"team": ["wu"]}) == []
    expected = document_with_everyone()
    expected["team"] = [{"id": "li", "name": "Li"}]
    expected["relationships"] = [{"member": "li", "stakeholder": "cfo", "strength": 0.4}]
    expected["activities"][0]["members"] = ["li"]
    expected["activities"][1]["members"] = []
    assert document == expected


def test_a_competitor_leaves_with_its_relationships_only() -> None:
    document = document_with_everyone()
    assert remove_items(document, {"competitors": ["rival"]}) == []
    expected = document_with_everyone()
    expected["competitors"] = []
    expected["competitor_relationships"] = []
    assert document == expected


def test_a_removed_activity_leaves_the_voices_heard_at_it_without_the_reference() -> None:
    document = document_with_everyone()
    assert remove_items(document, {"activities": ["m1"]}) == []
    expected = document_with_everyone()
    expected["activities"] = expected["activities"][1:]
    expected["voices"][0]["activity"] = None
    expected["voices"][1]["activity"] = None
    assert document == expected


def test_a_line_is_removed_by_its_two_ends_in_that_direction() -> None:
    document = document_with_everyone()
    assert remove_items(document, {"influences": [("cfo", "cto")], "relationships": [("li", "cfo")]}) == []
    expected = document_with_everyone()
    expected["influences"] = [{"from": "cto", "to": "cfo", "weight": 0.5}]
    expected["relationships"] = [{"member": "wu", "stakeholder": "ceo", "strength": 0.6}]
    assert document == expected


def test_removing_what_is_not_there_names_each_by_its_place_and_changes_nothing_else() -> None:
    document = document_with_everyone()
    found = as_tuples(
        remove_items(
            document,
            {"stakeholders": ["ghost", "ceo", "nobody"], "influences": [("ceo", "cto")], "voices": ["v9"], "team": []},
        )
    )
    assert found == [
        ("stakeholders[0]", "'ghost'", "no stakeholder 'ghost' to remove"),
        ("stakeholders[2]", "'nobody'", "no stakeholder 'nobody' to remove"),
        ("influences[0]", "'ceo' to 'cto'", "no influence line 'ceo' to 'cto' to remove"),
        ("voices[0]", "'v9'", "no voice 'v9' to remove"),
    ]
    assert [s["id"] for s in document["stakeholders"]] == ["cfo", "cto"]  # the known one went
    assert document["influences"] == document_with_everyone()["influences"]


def test_removing_from_a_list_the_document_lacks_is_a_problem_not_a_crash() -> None:
    document: dict[str, Any] = {"account": {"id": "a", "name": "A"}}
    assert as_tuples(remove_items(document, {"stakeholders": ["ceo"]})) == [
        ("stakeholders[0]", "'ceo'", "no stakeholder 'ceo' to remove")
    ]
    assert document == {"account": {"id": "a", "name": "A"}}


def test_a_member_leaves_an_activity_given_without_a_members_list_with_an_empty_one() -> None:
    document: dict[str, Any] = {
        "team": [{"id": "li", "name": "Li"}],
        "activities": [{"id": "m3", "stakeholders": ["cto"]}],
    }
    assert remove_items(document, {"team": ["li"]}) == []
    assert document["activities"] == [{"id": "m3", "stakeholders": ["cto"], "members": []}]
    assert document["team"] == []
