"""Activity effects: every kind's documented default, explicit values and last contact, by hand and on random maps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powermap.analysis.effects import KIND_EFFECTS, activity_effects, apply_effects
from powermap.analysis.forecast import decision_forecast
from powermap.errors import MemberNotFoundError, StakeholderNotFoundError
from powermap.graph import build_graph
from powermap.model import AccountMap, Activity, ActivityKind, Stance, parse_account_map, validate_account_map
from tests.factories import random_documents, tiny_document

DAY = dt.date(2026, 11, 2)


def tiny() -> AccountMap:
    return parse_account_map(tiny_document())


def act(kind: str, members: tuple[str, ...] = (), stakeholders: tuple[str, ...] = (), date: dt.date = DAY) -> Activity:
    return Activity(id="new", type=ActivityKind(kind), date=date, members=members, stakeholders=stakeholders)


def strengths(account_map: AccountMap) -> dict[tuple[str, str], float]:
    return {(r.source, r.target): r.strength for r in account_map.relationships}


def test_every_kind_of_activity_has_a_documented_default() -> None:
    assert set(KIND_EFFECTS) == set(ActivityKind)
    from powermap.analysis import effects

    for kind in ActivityKind:
        assert f"``{kind.value}``" in (effects.__doc__ or "")


def test_ice_breaking_creates_a_weak_relationship_only_where_there_was_none() -> None:
    effects = activity_effects(tiny(), act("ice_breaking", ("li",), ("ceo", "cto")))
    assert effects.items()["relationships"] == [
        {"member": "li", "stakeholder": "ceo", "strength": 0.25, "last_contact": "2026-11-02"},
        # Li already holds the CTO at 0.8: only the contact date moves
        {"member": "li", "stakeholder": "cto", "strength": 0.8, "last_contact": "2026-11-02"},
    ]
    assert effects.stakeholders == ()


def test_an_attitude_turnaround_moves_each_stance_one_step_and_strengthens_the_relationship() -> None:
    effects = activity_effects(tiny(), act("attitude_turnaround", ("li",), ("cfo", "cto")))
    assert {s.id: s.stance for s in effects.stakeholders} == {"cfo": Stance.NEUTRAL, "cto": Stance.CHAMPION}
    assert {r.target: r.strength for r in effects.relationships} == {
        "cfo": pytest.approx(0.1),
        "cto": pytest.approx(0.9),
    }


def test_a_site_visit_raises_the_evaluators_and_only_dates_the_others() -> None:
    document = tiny_document()
    document["stakeholders"].append(
        {"id": "clerk", "name": "Clerk", "level": "staff", "decision_role": "user", "influence": 0.1}
    )
    document["relationships"].append({"member": "li", "stakeholder": "clerk", "strength": 0.4})
    effects = activity_effects(parse_account_map(document), act("site_visit", ("li",), ("cto", "clerk")))
    after = {r.target: r for r in effects.relationships}
    assert after["cto"].strength == pytest.approx(0.9)  # technical evaluator: +0.1
    assert after["clerk"].strength == pytest.approx(0.4)  # a user along for the visit: contact only
    assert after["clerk"].last_contact == DAY
    assert effects.stakeholders == ()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("relationship_upgrade", 0.8 + 0.2),
        ("executive_engagement", 1.0),  # 0.8 + 0.3 is capped at 1
        ("summit", 0.8 + 0.15),
        ("topic_seminar", 0.8 + 0.1),
        ("meal", 0.8 + 0.1),
        ("call", 0.8 + 0.05),
        ("message", 0.8),
        ("other", 0.8),
        ("competitor_block", 0.8),
    ],
)
def test_each_kind_raises_an_existing_relationship_by_its_step(kind: str, expected: float) -> None:
    (after,) = activity_effects(tiny(), act(kind, ("li",), ("cto",))).relationships
    assert after.strength == pytest.approx(expected)
    assert after.last_contact == DAY


def test_a_message_or_other_contact_creates_no_relationship_with_a_stranger() -> None:
    for kind in ("message", "other", "competitor_block"):
        assert activity_effects(tiny(), act(kind, ("li",), ("ceo",))).relationships == ()
    (meal,) = activity_effects(tiny(), act("meal", ("li",), ("ceo",))).relationships
    assert meal.strength == pytest.approx(0.1)


def test_a_competitor_block_pushes_each_competitor_back_but_never_below_us() -> None:
    document = tiny_document()
    document["relationships"].append({"member": "li", "stakeholder": "cfo", "strength": 0.5})
    effects = activity_effects(parse_account_map(document), act("competitor_block", ("li",), ("cfo",)))
    (pushed,) = effects.competitor_relationships
    assert (pushed.source, pushed.target) == ("rival", "cfo")
    assert pushed.strength == pytest.approx(0.5)  # 0.6 - 0.25 would fall below our 0.5
    far_ahead = parse_account_map(tiny_document())
    (pushed,) = activity_effects(far_ahead, act("competitor_block", ("li",), ("cfo",))).competitor_relationships
    assert pushed.strength == pytest.approx(0.6 - 0.25)


def test_explicit_stance_and_strength_win_over_the_kinds_default() -> None:
    effects = activity_effects(
        tiny(), act("ice_breaking", ("li", "boss"), ("cto",)), stance=Stance.OPPONENT, strength=0.3
    )
    assert [(s.id, s.stance) for s in effects.stakeholders] == [("cto", Stance.OPPONENT)]
    assert {(r.source, r.strength) for r in effects.relationships} == {("li", 0.3), ("boss", 0.3)}


def test_an_older_activity_never_moves_last_contact_back() -> None:
    (after,) = activity_effects(tiny(), act("call", ("li",), ("cto",), date=dt.date(2025, 1, 1))).relationships
    assert after.last_contact == dt.date(2026, 10, 1)


def test_unknown_people_are_refused_by_id() -> None:
    with pytest.raises(MemberNotFoundError, match="ghost"):
        activity_effects(tiny(), act("meal", ("ghost",), ("cto",)))
    with pytest.raises(StakeholderNotFoundError, match="nobody"):
        activity_effects(tiny(), act("meal", ("li",), ("nobody",)))


def test_the_map_passed_in_is_left_as_it_was() -> None:
    before = tiny()
    snapshot = before.to_document()
    effects = activity_effects(before, act("attitude_turnaround", ("li",), ("cfo",)))
    after = apply_effects(before, effects)
    assert before.to_document() == snapshot
    assert {s.id: s.stance for s in after.stakeholders}["cfo"] == Stance.NEUTRAL
    assert strengths(after)[("li", "cfo")] == pytest.approx(0.1)


def _activity(document: dict[str, Any], data: st.DataObject) -> Activity:
    members = [m["id"] for m in document["team"]]
    stakeholders = [s["id"] for s in document["stakeholders"]]
    return Activity(
        id="new",
        type=data.draw(st.sampled_from(list(ActivityKind))),
        date=data.draw(st.dates(dt.date(2025, 1, 1), dt.date(2027, 1, 1))),
        members=tuple(data.draw(st.lists(st.sampled_from(members), unique=True, max_size=2))),
        stakeholders=tuple(data.draw(st.lists(st.sampled_from(stakeholders), unique=True, min_size=1, max_size=3))),
    )


@settings(max_examples=120, deadline=None)
@given(document=random_documents(), data=st.data())
def test_default_effects_touch_only_the_activitys_people_keep_the_map_valid_and_never_lower_the_forecast(
    document: dict[str, Any], data: st.DataObject
) -> None:
    before = parse_account_map(document)
    activity = _activity(document, data)
    effects = activity_effects(before, activity)
    after = validate_account_map(apply_effects(before, effects))
    assert {s.id for s in effects.stakeholders} <= set(activity.stakeholders)
    assert {(r.source, r.target) for r in effects.relationships} <= {
        (m, s) for m in activity.members for s in activity.stakeholders
    }
    for relationship in effects.relationships:
        assert relationship.last_contact is not None
        assert relationship.last_contact >= activity.date
    old = strengths(before)
    assert all(value >= old.get(pair, 0.0) for pair, value in strengths(after).items())
    index_before = decision_forecast(build_graph(before))["support_index"]
    assert decision_forecast(build_graph(after))["support_index"] >= index_before - 1e-9


def test_the_changed_items_come_as_contract_documents_under_their_list_names() -> None:
    # what `log` writes and a what-if plan puts: each list under the contract's own name, empty lists left out
    turnaround = activity_effects(tiny(), act("attitude_turnaround", ("li",), ("cfo",))).items()
    assert set(turnaround) == {"stakeholders", "relationships"}
    assert [(s["id"], s["stance"]) for s in turnaround["stakeholders"]] == [("cfo", "neutral")]  # skeptic, one up
    assert [(r["member"], r["stakeholder"], r["strength"]) for r in turnaround["relationships"]] == [
        ("li", "cfo", pytest.approx(0.1))  # none before: 0 + 0.1
    ]
    block = activity_effects(tiny(), act("competitor_block", ("li",), ("cfo",))).items()
    assert set(block) == {"competitor_relationships"}  # contact only with no relationship creates none
    assert [(c["competitor"], c["stakeholder"], c["strength"]) for c in block["competitor_relationships"]] == [
        ("rival", "cfo", pytest.approx(0.6 - 0.25))
    ]


def test_applying_a_competitor_block_pushes_the_competitor_back_in_the_map() -> None:
    # A what-if plan applies the block to a copy: Rival held the CFO at 0.6; 0.6 - 0.25 = 0.35 afterwards,
    # and the other lists stay as they were.
    before = tiny()
    after = apply_effects(before, activity_effects(before, act("competitor_block", ("li",), ("cfo",))))
    (pushed,) = after.competitor_relationships
    assert (pushed.source, pushed.target) == ("rival", "cfo")
    assert pushed.strength == pytest.approx(0.35)
    assert after.relationships == before.relationships
    assert after.stakeholders == before.stakeholders


def test_a_moved_strength_is_kept_to_twelve_decimals_so_a_tenth_plus_a_fifth_reads_three_tenths() -> None:
    document = tiny_document()
    document["relationships"] = [{"member": "li", "stakeholder": "cto", "strength": 0.1}]
    (upgraded,) = activity_effects(parse_account_map(document), act("relationship_upgrade", ("li",), ("cto",))).items()[
        "relationships"
    ]
    assert upgraded["strength"] == 0.3  # 0.1 + 0.2 is 0.30000000000000004 in floats
    document["relationships"] = [{"member": "li", "stakeholder": "cto", "strength": 0.1234567891234}]
    (upgraded,) = activity_effects(parse_account_map(document), act("relationship_upgrade", ("li",), ("cto",))).items()[
        "relationships"
    ]
    assert upgraded["strength"] == 0.323456789123  # 0.3234567891234 cut to 12 places
    (dated,) = activity_effects(parse_account_map(document), act("message", ("li",), ("cto",))).items()["relationships"]
    assert dated["strength"] == 0.1234567891234  # not moved: left exactly as it was


def test_a_contact_by_someone_without_a_relationship_still_dates_the_others() -> None:
    # Big Boss has no relationship with the CTO and a message creates none; Li's, listed after, is dated all the same.
    effects = activity_effects(tiny(), act("message", ("boss", "li"), ("cto",)))
    assert [(r.source, r.target, r.strength, r.last_contact) for r in effects.relationships] == [
        ("li", "cto", 0.8, DAY)
    ]


def test_a_competitor_block_where_we_already_match_the_competitor_changes_nothing() -> None:
    document = tiny_document()
    document["relationships"].append({"member": "li", "stakeholder": "cfo", "strength": 0.6})  # Rival's is 0.6 too
    effects = activity_effects(parse_account_map(document), act("competitor_block", ("li",), ("cfo",)))
    assert effects.competitor_relationships == ()


def test_unknown_people_are_refused_naming_the_account() -> None:
    with pytest.raises(MemberNotFoundError, match="no team member with id 'ghost' in account 'tiny'"):
        activity_effects(tiny(), act("meal", ("ghost",), ("cto",)))
    with pytest.raises(StakeholderNotFoundError, match="no stakeholder with id 'nobody' in account 'tiny'"):
        activity_effects(tiny(), act("meal", ("li",), ("nobody",)))
