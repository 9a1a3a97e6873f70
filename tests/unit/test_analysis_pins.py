"""Behaviours a user relies on, each pinned by a test that fails when the code gets it wrong.

A mutation run (single-line changes to the analyses) left each of these bugs alive once; the tests
here are written against the behaviour (what the account director sees), not against exact numbers
that a better model may legitimately change. Expected values are worked out by hand or restated from
the contract's equations, never taken from the product's own output.
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings

from powermap.analysis.coverage import competitor_gaps, coverage
from powermap.analysis.forecast import (
    decision_forecast,
    influence_plan,
    outlook,
    own_leans,
    propagate,
    sensitivities,
)
from powermap.analysis.paths import introduction_paths
from powermap.analysis.power import ROLE_WEIGHT, power, ranking
from powermap.analysis.recommend import recommend
from powermap.errors import NotConvergedError, PowermapError, StakeholderNotFoundError
from powermap.graph import build_graph, strongest_competitor, tie_strength, ties
from powermap.model import DecisionRole, parse_account_map
from tests.factories import random_documents, sample_map


def graph_of(document: dict[str, Any]) -> nx.DiGraph[str]:
    return build_graph(parse_account_map(document))


def with_alternatives(found: list[Any]) -> list[dict[str, Any]]:
    """Every activity advised, each target's main one and its alternatives (one entry per target)."""
    return [item for r in found for item in (r, *r["alternatives"])]


def person(sid: str, **fields: Any) -> dict[str, Any]:
    """A stakeholder with plain defaults: middle level, no role, influence 0.5, neutral."""
    return {"id": sid, "name": sid.title(), "level": "middle", "decision_role": "none", "influence": 0.5, **fields}


def account(**lists: Any) -> dict[str, Any]:
    return {"account": {"id": "pin", "name": "Pin"}, **lists}


# -- competitor gaps ------------------------------------------------------------------------------------------


def test_competitor_gaps_come_largest_first_so_the_biggest_threats_lead() -> None:
    document = account(
        competitors=[{"id": "rival", "name": "Rival"}],
        stakeholders=[person("a"), person("b"), person("c"), person("d")],
        competitor_relationships=[
            {"competitor": "rival", "stakeholder": s, "strength": v}
            for s, v in (("a", 0.3), ("b", 0.9), ("c", 0.5), ("d", 0.5))
        ],
    )
    gaps = competitor_gaps(graph_of(document))
    # 0.9 first; c and d tie at 0.5 and go by id; 0.3 last.
    assert [g["stakeholder"] for g in gaps] == ["b", "c", "d", "a"]
    assert [g["gap"] for g in gaps] == pytest.approx([0.9, 0.5, 0.5, 0.3])


def test_the_demo_accounts_gaps_are_listed_largest_first() -> None:
    gaps = [g["gap"] for g in competitor_gaps(build_graph(sample_map()))]
    assert len(gaps) >= 3
    assert gaps == sorted(gaps, reverse=True)
    assert gaps[0] > gaps[-1]


@pytest.mark.parametrize("order", [("zeta", "alpha"), ("alpha", "zeta")])
def test_when_two_competitors_tie_on_a_stakeholder_the_smaller_id_is_named(order: tuple[str, str]) -> None:
    document = account(
        competitors=[{"id": c, "name": c.title()} for c in order],
        stakeholders=[person("cfo")],
        competitor_relationships=[{"competitor": c, "stakeholder": "cfo", "strength": 0.6} for c in order],
    )
    graph = graph_of(document)
    assert strongest_competitor(graph, "cfo") == ("alpha", 0.6)
    assert [g["competitor"] for g in competitor_gaps(graph)] == ["alpha"]


def test_the_strongest_competitor_is_named_not_the_first_listed() -> None:
    document = account(
        # The weaker one is listed first and its id sorts first: only "strongest" names "zeta".
        competitors=[{"id": "alpha", "name": "Alpha"}, {"id": "zeta", "name": "Zeta"}],
        stakeholders=[person("cfo")],
        competitor_relationships=[
            {"competitor": "alpha", "stakeholder": "cfo", "strength": 0.2},
            {"competitor": "zeta", "stakeholder": "cfo", "strength": 0.7},
        ],
    )
    assert strongest_competitor(graph_of(document), "cfo") == ("zeta", 0.7)


def test_coverage_of_a_small_account_we_fully_hold_is_all_of_it() -> None:
    # Total power below 1 (one person, power 0.3): coverage is still a share, here the whole.
    document = account(
        team=[{"id": "li", "name": "Li", "role": "AR"}],
        stakeholders=[person("clerk", influence=0.5)],
        relationships=[{"member": "li", "stakeholder": "clerk", "strength": 0.9}],
    )
    graph = graph_of(document)
    assert sum(power(graph).values()) == pytest.approx(0.3)
    assert coverage(graph, power(graph)) == pytest.approx(1.0)


# -- tie strength (the contract's rule) --------------------------------------------------------------------


def _tie_graph(lines: list[dict[str, Any]], reports: list[dict[str, str]] | None = None) -> nx.DiGraph[str]:
    return graph_of(account(stakeholders=[person("a"), person("b")], influences=lines, reports_to=reports or []))


def test_a_tie_is_the_strongest_line_either_way() -> None:
    for lines in (
        [{"from": "a", "to": "b", "weight": 0.8}, {"from": "b", "to": "a", "weight": 0.3}],
        [{"from": "a", "to": "b", "weight": 0.3}, {"from": "b", "to": "a", "weight": 0.8}],
    ):
        graph = _tie_graph(lines)
        assert tie_strength(graph, "a", "b") == tie_strength(graph, "b", "a") == 0.8


def test_a_reporting_line_alone_ties_at_one_half_and_an_influence_alone_at_its_weight() -> None:
    assert tie_strength(_tie_graph([], [{"from": "a", "to": "b"}]), "a", "b") == 0.5
    assert tie_strength(_tie_graph([{"from": "a", "to": "b", "weight": 0.3}]), "a", "b") == 0.3
    assert (
        tie_strength(_tie_graph([{"from": "a", "to": "b", "weight": 0.8}], [{"from": "b", "to": "a"}]), "a", "b") == 0.8
    )
    assert tie_strength(_tie_graph([]), "a", "b") == 0.0


def test_lines_of_strength_zero_tie_nobody() -> None:
    graph = _tie_graph([{"from": "a", "to": "b", "weight": 0.0}])
    assert list(ties(graph).edges) == []


def test_an_unknown_target_is_named_with_the_account_the_graph_was_built_from() -> None:
    graph = _tie_graph([{"from": "a", "to": "b", "weight": 0.5}])
    with pytest.raises(StakeholderNotFoundError, match=r"no stakeholder with id 'ghost' in account 'pin'"):
        introduction_paths(graph, "ghost")


def test_advice_against_a_competitor_calls_it_by_its_name() -> None:
    document = account(
        team=[{"id": "li", "name": "Li", "role": "AR"}],
        competitors=[{"id": "rv", "name": "Rival Systems"}],
        stakeholders=[person("ceo", decision_role="decision_maker", influence=0.9)],
        relationships=[{"member": "li", "stakeholder": "ceo", "strength": 0.2}],
        competitor_relationships=[{"competitor": "rv", "stakeholder": "ceo", "strength": 0.9}],
    )
    blocks = [r for r in with_alternatives(recommend(graph_of(document))) if r["activity"] == "competitor_block"]
    assert blocks
    assert all("Rival Systems" in r["reason"] for r in blocks)


# -- who leads an activity ----------------------------------------------------------------------------------


def _team_on(target: dict[str, Any], strengths: dict[str, float]) -> dict[str, Any]:
    """Two middle-level members of ours holding ``target`` at the given strengths."""
    return account(
        team=[{"id": m, "name": m.title(), "role": "AR", "level": "middle"} for m in strengths],
        stakeholders=[target],
        relationships=[{"member": m, "stakeholder": target["id"], "strength": v} for m, v in strengths.items()],
    )


@pytest.mark.parametrize(
    ("stance", "activity"), [("supporter", "relationship_upgrade"), ("skeptic", "attitude_turnaround")]
)
def test_a_relationship_activity_is_led_by_the_member_closest_to_the_target(stance: str, activity: str) -> None:
    target = person("boss", decision_role="decision_maker", stance=stance, influence=0.8)
    # Listed weakest first, and the weaker one's id sorts first: only "strongest" picks "wang".
    document = _team_on(target, {"adam": 0.1, "wang": 0.4})
    found = [r for r in recommend(graph_of(document), limit=50) if r["activity"] == activity]
    assert found, f"expected a {activity} for a {stance} decision maker we hold at 0.4"
    assert {r["lead"] for r in found} == {"wang"}


def test_an_executive_engagement_is_never_led_by_someone_below_the_targets_level() -> None:
    target = person("ceo", level="executive", decision_role="decision_maker", stance="neutral", influence=0.9)
    document = _team_on(target, {"li": 0.3, "wang": 0.2})  # both of ours are middle managers
    found = recommend(graph_of(document), limit=50)
    assert found, "the neutral decision maker still deserves some activity"
    assert "executive_engagement" not in {r["activity"] for r in with_alternatives(found)}
    # With an executive of ours the engagement appears (for this target, perhaps as an alternative to a
    # better activity: one entry per target) and that executive leads it.
    document["team"].append({"id": "zhao", "name": "Zhao", "role": "executive", "level": "executive"})
    every = with_alternatives(recommend(graph_of(document), limit=50))
    engagements = [r for r in every if r["activity"] == "executive_engagement"]
    assert [r["lead"] for r in engagements] == ["zhao"]


# -- ranking ------------------------------------------------------------------------------------------------


def test_recommendations_of_equal_gain_put_the_more_powerful_target_first() -> None:
    # Two decision makers we both know (so each activity surely happens), alike but for influence and
    # level (power 0.9 vs 0.6). Raising our 0.05 on "big" by 0.2 (relationship upgrade) and on the senior
    # "small" by 0.3 (engagement by our senior) move the support index by the same amount:
    # 0.9/1.5 * (0.5*0.2/1.5) == 0.6/1.5 * (0.5*0.3/1.5) == 0.04; neither covers anyone.
    document = account(
        team=[
            {"id": "li", "name": "Li", "role": "AR", "level": "middle"},
            {"id": "wu", "name": "Wu", "role": "AR", "level": "senior"},
        ],
        stakeholders=[
            person("big", decision_role="decision_maker", influence=0.8, stance="supporter"),
            person("small", decision_role="decision_maker", influence=0.2, stance="supporter", level="senior"),
        ],
        relationships=[
            {"member": "li", "stakeholder": "big", "strength": 0.05},
            {"member": "li", "stakeholder": "small", "strength": 0.05},
        ],
    )
    found = recommend(graph_of(document), limit=10)
    gains = {r["target"]: r["expected_gain"] for r in found}
    assert gains["big"] == pytest.approx(0.04) == gains["small"]
    assert gains["big"] == gains["small"], "the test needs an exact tie to pin the tie-break"
    assert [r["target"] for r in found][:2] == ["big", "small"]


@settings(max_examples=60, deadline=None)
@given(document=random_documents())
def test_among_equal_gains_and_coverage_a_stronger_target_never_follows_a_weaker_one(
    document: dict[str, Any],
) -> None:
    graph = graph_of(document)
    powers = power(graph)
    found = recommend(graph, powers, limit=50)
    for first, second in pairwise(found):
        if (first["expected_gain"], first["coverage_gain"]) == (second["expected_gain"], second["coverage_gain"]):
            assert powers[first["target"]] >= powers[second["target"]]


# -- power and the forecast solve their equations -----------------------------------------------------------


def _power_residuals(graph: nx.DiGraph[str], powers: dict[str, float]) -> dict[str, float]:
    """How far each power is from ``standing + (1 - standing) * 1/2 * (1 - prod(1 - w * power(v)))``."""
    residuals = {}
    for node, attrs in graph.nodes(data=True):
        own = (attrs["influence"] + ROLE_WEIGHT[DecisionRole(attrs["decision_role"])]) / 2
        miss = 1.0
        for _, target, weight in graph.out_edges(node, data="weight", default=0.0):
            miss *= 1.0 - weight * powers[target]
        residuals[node] = abs(powers[node] - (own + (1 - own) * 0.5 * (1 - miss)))
    return residuals


@settings(max_examples=150, deadline=None)
@given(document=random_documents(max_stakeholders=9))
def test_every_stakeholders_power_solves_its_equation_within_1e_9(document: dict[str, Any]) -> None:
    graph = graph_of(document)
    assert max(_power_residuals(graph, power(graph)).values()) <= 1e-9


def test_a_chain_of_influence_solves_the_power_equation_tightly() -> None:
    # A long chain where each link lifts the next: a loose stopping rule stops visibly short here.
    n = 12
    document = account(
        stakeholders=[person(f"p{i:02d}", influence=0.2) for i in range(n - 1)]
        + [person(f"p{n - 1:02d}", decision_role="decision_maker", influence=1.0)],
        influences=[{"from": f"p{i:02d}", "to": f"p{i + 1:02d}", "weight": 1.0} for i in range(n - 1)],
    )
    graph = graph_of(document)
    assert max(_power_residuals(graph, power(graph)).values()) <= 1e-9


def _two_person_loop() -> nx.DiGraph[str]:
    return graph_of(
        account(
            stakeholders=[person("a", influence=0.1), person("b", influence=0.1)],
            influences=[{"from": "a", "to": "b", "weight": 1.0}, {"from": "b", "to": "a", "weight": 1.0}],
        )
    )


def test_power_that_does_not_converge_raises_instead_of_answering() -> None:
    with pytest.raises(NotConvergedError, match="power did not converge in 2 iterations") as raised:
        power(_two_person_loop(), max_iterations=2)
    assert isinstance(raised.value, PowermapError)
    assert raised.value.iterations == 2
    assert raised.value.change > 1e-12
    assert power(_two_person_loop())  # the default budget is ample
    with pytest.raises(NotConvergedError, match=r"power did not converge in 0 iterations \(last change inf"):
        power(_two_person_loop(), max_iterations=0)


def test_the_forecast_that_does_not_converge_raises_instead_of_answering() -> None:
    graph = _two_person_loop()
    powers = power(graph)
    own = {"a": 1.0, "b": -1.0}
    with pytest.raises(NotConvergedError, match=r"^the decision forecast did not converge in 2 iterations"):
        propagate(graph, own, powers, max_iterations=2)
    with pytest.raises(NotConvergedError, match=r"^the forecast's sensitivities did not converge in 2 iterations"):
        sensitivities(graph, powers, max_iterations=2)
    with pytest.raises(NotConvergedError, match=r"in 0 iterations \(last change inf"):
        propagate(graph, own, powers, max_iterations=0)
    with pytest.raises(NotConvergedError, match=r"in 0 iterations \(last change inf"):
        sensitivities(graph, powers, max_iterations=0)
    leans = propagate(graph, own, powers)
    # Each keeps 1/(1+S) of their own view, S = w * power of the other (equal here by symmetry).
    share = powers["a"] / (1 + powers["a"])
    assert leans["a"] == pytest.approx((1 - share) * 1.0 + share * leans["b"], abs=1e-9)
    assert leans["b"] == pytest.approx((1 - share) * -1.0 + share * leans["a"], abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(document=random_documents(max_stakeholders=9))
def test_final_leans_solve_the_blend_equation_within_1e_9(document: dict[str, Any]) -> None:
    graph = graph_of(document)
    powers = power(graph)
    own = own_leans(graph)
    leans = propagate(graph, own, powers)
    for node in graph:
        sources = [(u, w * powers[u]) for u, _, w in graph.in_edges(node, data="weight", default=0.0) if w]
        total = sum(w for _, w in sources)
        expected = (own[node] + sum(w * leans[u] for u, w in sources)) / (1 + total)
        assert math.isclose(leans[node], expected, abs_tol=1e-9)
    assert influence_plan(graph, powers).blend.keys() <= set(graph)
    assert -1.0 <= decision_forecast(graph, powers)["support_index"] <= 1.0


def test_the_power_ranking_puts_the_strongest_first_and_breaks_ties_by_id() -> None:
    ranked = ranking({"b": 0.5, "a": 0.5, "c": 0.9, "d": 0.1})
    assert ranked == [("c", 0.9), ("a", 0.5), ("b", 0.5), ("d", 0.1)]


def test_the_outlook_bands_are_closed_at_plus_and_minus_one_fifth() -> None:
    assert [outlook(x) for x in (1.0, 0.2, 0.19, 0.0, -0.19, -0.2, -1.0)] == [
        "favourable",
        "favourable",
        "undecided",
        "undecided",
        "undecided",
        "unfavourable",
        "unfavourable",
    ]


def test_the_forecast_lists_its_decision_makers_strongest_first_with_the_outlook() -> None:
    document = account(
        stakeholders=[
            person("b", decision_role="decision_maker", influence=0.2),
            person("c", decision_role="decision_maker", influence=0.9),
            person("a", decision_role="decision_maker", influence=0.2),
        ]
    )
    forecast = decision_forecast(graph_of(document))
    assert [dm["stakeholder"] for dm in forecast["decision_makers"]] == ["c", "a", "b"]
    assert forecast["outlook"] == "undecided"
