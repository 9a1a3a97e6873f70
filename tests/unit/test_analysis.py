"""Power, coverage, gaps, forecast and recommendations on small hand-checked graphs and random maps."""

from __future__ import annotations

import copy
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powermap.analysis.coverage import competitor_gaps, coverage
from powermap.analysis.forecast import (
    decision_forecast,
    influence_plan,
    own_lean,
    own_leans,
    propagate,
    sensitivities,
    support_index,
)
from powermap.analysis.power import power, standing
from powermap.analysis.recommend import recommend
from powermap.graph import build_graph
from powermap.model import ActivityKind, DecisionRole, Stance, parse_account_map
from tests.factories import STANCES, random_documents, sample_map, tiny_document


def graph_of(document: dict[str, Any]) -> nx.DiGraph[str]:
    return build_graph(parse_account_map(document))


# -- power ------------------------------------------------------------------------------------------------


def test_power_of_a_lone_stakeholder_is_their_standing() -> None:
    graph = graph_of(tiny_document())
    powers = power(graph)
    assert powers["ceo"] == pytest.approx(standing(0.9, DecisionRole.DECISION_MAKER))  # sways nobody
    assert powers["ceo"] == pytest.approx(0.95)


def test_power_grows_with_influence_over_powerful_people() -> None:
    graph = graph_of(tiny_document())
    powers = power(graph)
    # cto: standing 0.6, sways the CEO (0.95) with 0.7 -> 0.6 + 0.4 * 0.5 * 0.7 * 0.95
    assert powers["cto"] == pytest.approx(0.6 + 0.4 * 0.5 * 0.7 * 0.95)
    stronger = tiny_document()
    stronger["influences"][0]["weight"] = 0.9
    assert power(graph_of(stronger))["cto"] > powers["cto"]


def test_power_grows_with_declared_influence_and_decision_role() -> None:
    base = power(graph_of(tiny_document()))["cfo"]
    more_influence = tiny_document()
    more_influence["stakeholders"][2]["influence"] = 0.9
    decider = tiny_document()
    decider["stakeholders"][2]["decision_role"] = "decision_maker"
    assert power(graph_of(more_influence))["cfo"] > base
    assert power(graph_of(decider))["cfo"] > base


@settings(max_examples=100, deadline=None)
@given(document=random_documents())
def test_power_stays_within_zero_and_one(document: dict[str, Any]) -> None:
    assert all(0.0 <= value <= 1.0 for value in power(graph_of(document)).values())


# -- gaps and coverage --------------------------------------------------------------------------------------


def test_gaps_are_the_strongest_competitor_minus_us_and_only_positive() -> None:
    document = tiny_document()
    document["competitors"].append({"id": "local", "name": "Local"})
    document["competitor_relationships"] += [
        {"competitor": "local", "stakeholder": "cfo", "strength": 0.9},
        {"competitor": "rival", "stakeholder": "cto", "strength": 0.8},  # equal to ours: no gap
    ]
    document["relationships"].append({"member": "boss", "stakeholder": "cfo", "strength": 0.2})
    gaps = competitor_gaps(graph_of(document))
    assert gaps == [
        {"stakeholder": "cfo", "competitor": "local", "ours": 0.2, "theirs": 0.9, "gap": pytest.approx(0.7)}
    ]


def test_coverage_is_the_share_of_power_held_by_people_we_hold_at_half_or_more() -> None:
    document = tiny_document()
    graph = graph_of(document)
    powers = power(graph)
    assert coverage(graph, powers) == pytest.approx(powers["cto"] / sum(powers.values()))
    document["relationships"][0]["strength"] = 0.49
    assert coverage(graph_of(document), powers) == 0.0
    document["relationships"][0]["strength"] = 0.5
    assert coverage(graph_of(document), powers) > 0.0


def test_an_empty_account_has_zero_coverage_and_a_neutral_forecast() -> None:
    graph = graph_of({"account": {"id": "e", "name": "Empty"}})
    assert coverage(graph, power(graph)) == 0.0
    assert decision_forecast(graph)["support_index"] == 0.0


# -- forecast -----------------------------------------------------------------------------------------------


def test_own_lean_follows_stance_and_relationships() -> None:
    assert own_lean(Stance.NEUTRAL, 0.0, 0.0) == 0.0
    assert own_lean(Stance.CHAMPION, 1.0, 0.0) == 1.0
    assert own_lean(Stance.OPPONENT, 0.0, 1.0) == -1.0


def test_the_forecast_blends_a_decision_makers_own_view_with_their_influencers() -> None:
    graph = graph_of(tiny_document())
    powers = power(graph)
    forecast = decision_forecast(graph, powers)
    cto_lean = own_lean(Stance.SUPPORTER, 0.8, 0.0)
    cfo_lean = own_lean(Stance.SKEPTIC, 0.0, 0.6)
    w_cto, w_cfo = 0.7 * powers["cto"], 0.4 * powers["cfo"]
    expected = (0.0 + w_cto * cto_lean + w_cfo * cfo_lean) / (1 + w_cto + w_cfo)
    assert forecast["basis"] == "decision_makers"
    assert forecast["support_index"] == pytest.approx(expected)
    assert forecast["decision_makers"][0]["stakeholder"] == "ceo"


def test_without_decision_makers_the_forecast_weighs_everyone_by_power() -> None:
    document = tiny_document()
    document["stakeholders"][0]["decision_role"] = "user"
    assert decision_forecast(graph_of(document))["basis"] == "all_stakeholders"


WARMER = {s: STANCES[max(i - 1, 0)] for i, s in enumerate(STANCES)}


@settings(max_examples=200, deadline=None)
@given(document=random_documents(), data=st.data())
def test_improving_any_stance_or_relationship_never_lowers_the_forecast(
    document: dict[str, Any], data: st.DataObject
) -> None:
    before = decision_forecast(graph_of(document))["support_index"]
    improved = copy.deepcopy(document)
    if data.draw(st.booleans()):
        person = data.draw(st.sampled_from(improved["stakeholders"]))
        person["stance"] = data.draw(st.sampled_from(STANCES[: STANCES.index(person["stance"]) + 1]))
    else:
        member = data.draw(st.sampled_from(improved["team"]))["id"]
        target = data.draw(st.sampled_from(improved["stakeholders"]))["id"]
        existing = [r for r in improved["relationships"] if (r["member"], r["stakeholder"]) == (member, target)]
        if existing:
            existing[0]["strength"] = data.draw(st.floats(existing[0]["strength"], 1.0))
        else:
            improved["relationships"].append(
                {"member": member, "stakeholder": target, "strength": data.draw(st.floats(0.0, 1.0))}
            )
    after = decision_forecast(graph_of(improved))["support_index"]
    assert after >= before - 1e-9
    assert -1.0 <= after <= 1.0


# -- recommendations ---------------------------------------------------------------------------------------


def test_recommendations_on_the_sample_are_ranked_have_positive_gain_and_name_everything() -> None:
    account_map = sample_map()
    graph = build_graph(account_map)
    found = recommend(graph, limit=30)
    assert found, "the sample account has obvious work to do"
    gains = [r["expected_gain"] for r in found]
    assert gains == sorted(gains, reverse=True)
    members = {m.id for m in account_map.team}
    kinds = {k.value for k in ActivityKind}
    for rec in found:
        assert rec["activity"] in kinds
        assert rec["target"] in graph
        assert rec["lead"] in members
        assert rec["reason"]
        assert rec["expected_gain"] >= 0.0
        assert rec["expected_gain"] > 0.0 or rec["coverage_gain"] > 0.0
        if rec["path"]:
            assert rec["path"][0] in members
            assert rec["path"][-1] == rec["target"]
    every = [item for r in recommend(graph, limit=500) for item in (r, *r["alternatives"])]
    assert {"attitude_turnaround", "ice_breaking", "competitor_block"} <= {r["activity"] for r in every}


def test_a_recommendations_gain_is_the_simulated_change_of_the_forecast() -> None:
    document = tiny_document()
    document["relationships"].append({"member": "li", "stakeholder": "cfo", "strength": 0.2})
    graph = graph_of(document)
    before = decision_forecast(graph)["support_index"]
    every = [item | {"target": r["target"]} for r in recommend(graph, limit=100) for item in (r, *r["alternatives"])]
    turnaround = next(r for r in every if r["activity"] == "attitude_turnaround")
    assert turnaround["target"] == "cfo"
    assert turnaround["likelihood"] == 1.0  # we know the CFO: the meeting happens
    after_doc = copy.deepcopy(document)
    after_doc["stakeholders"][2]["stance"] = "neutral"
    after_doc["relationships"][-1]["strength"] = 0.2 + 0.1
    after = decision_forecast(graph_of(after_doc))["support_index"]
    assert turnaround["expected_gain"] == pytest.approx(after - before)
    assert turnaround["gain_if_done"] == pytest.approx(after - before)


def test_executive_engagement_is_led_by_our_member_of_the_same_level() -> None:
    found = recommend(graph_of(tiny_document()), limit=100)
    engagements = [r for r in found if r["activity"] == "executive_engagement"]
    assert engagements
    assert all(r["lead"] == "boss" for r in engagements if r["target"] in {"ceo", "cfo"})


@settings(max_examples=60, deadline=None)
@given(document=random_documents())
def test_recommendation_gains_are_never_negative_and_come_best_first(document: dict[str, Any]) -> None:
    found = recommend(graph_of(document), limit=50)
    assert all(r["expected_gain"] >= 0.0 for r in found)
    assert [r["expected_gain"] for r in found] == sorted((r["expected_gain"] for r in found), reverse=True)


@settings(max_examples=100, deadline=None)
@given(document=random_documents(), data=st.data())
def test_sensitivities_predict_the_change_of_the_support_index_exactly(
    document: dict[str, Any], data: st.DataObject
) -> None:
    graph = graph_of(document)
    powers = power(graph)
    plan = influence_plan(graph, powers)
    own = own_leans(graph)
    before = support_index(graph, propagate(graph, own, powers, plan=plan), powers)
    changed = data.draw(st.lists(st.sampled_from(sorted(graph)), unique=True, min_size=1))
    after_own = {**own, **{s: data.draw(st.floats(-1.0, 1.0)) for s in changed}}
    after = support_index(graph, propagate(graph, after_own, powers, plan=plan), powers)
    sensitivity = sensitivities(graph, powers, plan=plan)
    assert all(value >= 0.0 for value in sensitivity.values())
    predicted = sum(sensitivity[s] * (after_own[s] - own[s]) for s in changed)
    assert after - before == pytest.approx(predicted, abs=1e-9)
