"""What-if plans applied in memory (no store): a planned activity as the log would record it, and its refusals.

Expected maps are worked out by hand on the tiny account (Li knows the CTO at 0.8; Rival holds the CFO at 0.6).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from powermap.analysis.whatif import apply_plan
from powermap.errors import InvalidPlanError
from powermap.model import AccountMap, Stance, parse_account_map
from powermap.model.plan import parse_plan
from tests.factories import tiny_document

TODAY = dt.date(2026, 11, 27)


def tiny() -> AccountMap:
    return parse_account_map(tiny_document())


def planned(*activities: dict[str, Any]) -> Any:
    return parse_plan({"steps": [{"activity": activity} for activity in activities]})


def refusal(account_map: AccountMap, plan: Any) -> list[tuple[str, str | None, str]]:
    with pytest.raises(InvalidPlanError) as error:
        apply_plan(account_map, plan, today=TODAY)
    return [(p.path, p.item, p.message) for p in error.value.problems]


def test_a_planned_activity_is_added_as_given_with_todays_date_when_it_has_none() -> None:
    activity = {"type": "meal", "members": ["li"], "stakeholders": ["cto"], "outcome": "agreed", "notes": "n"}
    after = apply_plan(tiny(), planned(activity, {**activity, "id": "m2", "date": "2026-12-01"}), today=TODAY)
    added = [a.model_dump(mode="json") for a in after.activities[1:]]
    assert added == [
        {**activity, "id": "whatif-steps[0]", "date": "2026-11-27"},
        {**activity, "id": "m2", "date": "2026-12-01"},
    ]
    assert [a.id for a in tiny().activities] == ["a1"]  # the map given is left as it was


def test_a_planned_activity_without_an_id_gets_a_free_one() -> None:
    document = tiny_document()
    stored = document["activities"][0]
    document["activities"] = [{**stored, "id": "whatif-steps[0]"}, {**stored, "id": "whatif-steps[0]-2"}]
    after = apply_plan(parse_account_map(document), planned({"type": "call", "members": ["li"]}), today=TODAY)
    assert after.activities[-1].id == "whatif-steps[0]-3"
    document["activities"] = [{**stored, "id": "whatif-steps[0]"}]
    after = apply_plan(parse_account_map(document), planned({"type": "call", "members": ["li"]}), today=TODAY)
    assert after.activities[-1].id == "whatif-steps[0]-2"  # the first number after the bare id is 2


def test_a_planned_activity_moves_the_map_with_its_explicit_stance_and_strength() -> None:
    plan = planned({"type": "meal", "members": ["li"], "stakeholders": ["cfo"], "stance": "opponent", "strength": 0.3})
    after = apply_plan(tiny(), plan, today=TODAY)
    assert {s.id: s.stance for s in after.stakeholders}["cfo"] == Stance.OPPONENT  # a meal alone moves no stance
    assert {(r.source, r.target): r.strength for r in after.relationships}[("li", "cfo")] == 0.3  # not 0 + 0.1


def test_a_planned_activity_with_a_stored_activitys_id_is_refused() -> None:
    plan = planned({"id": "a1", "type": "meal", "members": ["li"], "stakeholders": ["cto"]})
    assert refusal(tiny(), plan) == [("steps[0].activity.id", "'a1'", "an activity with this id already exists")]


def test_a_planned_activity_naming_unknown_people_is_refused_naming_each() -> None:
    plan = planned({"type": "meal", "members": ["li", "ghost"], "stakeholders": ["cto", "nobody"]})
    assert refusal(tiny(), plan) == [
        ("steps[0].activity.members[1]", None, "no team member has id 'ghost'"),
        ("steps[0].activity.stakeholders[1]", None, "no stakeholder has id 'nobody'"),
    ]


def test_a_put_or_remove_the_contract_refuses_names_the_step_the_list_and_the_item() -> None:
    cycle = parse_plan({"steps": [{"put": {"reports_to": [{"from": "ceo", "to": "cto"}]}}]})
    assert refusal(tiny(), cycle) == [
        ("steps[0].put: reports_to", "'cto'", "reporting lines form a cycle: 'cto' -> 'ceo' -> 'cto'")
    ]
    too_much = parse_plan({"steps": [{"put": {"stakeholders": [{"id": "cto", "influence": 2}]}}]})
    assert refusal(tiny(), too_much) == [
        ("steps[0].put.stakeholders[0].influence", "'cto'", "must be at most 1.0 (got 2)")
    ]
    unknown = parse_plan({"steps": [{"remove": {"stakeholders": ["ghost"]}}]})
    assert refusal(tiny(), unknown) == [
        ("steps[0].remove.stakeholders[0]", "'ghost'", "no stakeholder 'ghost' to remove")
    ]
