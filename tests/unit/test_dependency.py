"""Single-champion risk on maps small enough to check by hand: reach, who is lost with whom, and the empty account.

(The drops of larger maps are checked against full analyses of copies in ``test_dependency_scaling.py``.)
"""

from __future__ import annotations

import copy
import random
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powermap.analysis.dependency import dependency, reachable
from powermap.analysis.paths import introduction_paths
from powermap.graph import build_graph
from powermap.model import LISTS, parse_account_map
from tests.factories import random_documents


def graph_of(document: dict[str, Any]) -> nx.DiGraph[str]:
    return build_graph(parse_account_map(document))


def chain_with_an_outsider() -> dict[str, Any]:
    """Li holds the CTO (0.8), who sways the CEO (0.7); the auditor is tied to nobody; Wu holds no one."""
    return {
        "account": {"id": "acc", "name": "Acc"},
        "team": [{"id": "li", "name": "Li", "role": "AR"}, {"id": "wu", "name": "Wu", "role": "SR"}],
        "stakeholders": [
            {"id": "ceo", "name": "C", "level": "executive", "decision_role": "decision_maker", "influence": 0.9},
            {"id": "cto", "name": "T", "level": "senior", "decision_role": "technical_evaluator", "influence": 0.6},
            {"id": "aud", "name": "A", "level": "senior", "influence": 0.4},
        ],
        "influences": [{"from": "cto", "to": "ceo", "weight": 0.7}],
        "relationships": [{"member": "li", "stakeholder": "cto", "strength": 0.8}],
    }


# Power by hand: CEO 0.5 * 0.9 + 0.5 * 1.0 = 0.95; CTO 0.6 + 0.4 * 0.5 * 0.7 * 0.95 = 0.733; auditor
# 0.5 * 0.4 + 0.5 * 0.1 = 0.25. Total 1.933.
CEO, CTO, AUD = 0.95, 0.733, 0.25
TOTAL = CEO + CTO + AUD


def test_reach_is_the_share_of_power_some_introduction_reaches_and_who_it_hangs_on() -> None:
    found = dependency(graph_of(chain_with_an_outsider()))
    assert found["reach"] == pytest.approx((CEO + CTO) / TOTAL)
    assert found["coverage"] == pytest.approx(CTO / TOTAL)
    drops = {d["id"]: d["reach_drop"] for d in found["members"] + found["stakeholders"]}
    assert drops == pytest.approx({"li": (CEO + CTO) / TOTAL, "wu": 0.0, "cto": CEO / TOTAL, "ceo": 0.0, "aud": 0.0})
    # Li's leaving costs all our coverage and reach; the CTO's costs all coverage and the CEO behind them.
    assert [(p["kind"], p["id"]) for p in found["hangs_on"]] == [("member", "li"), ("stakeholder", "cto")]


def test_an_empty_account_depends_on_nobody() -> None:
    assert dependency(graph_of({"account": {"id": "e", "name": "Empty"}})) == {
        "coverage": 0.0,
        "support_index": 0.0,
        "reach": 0.0,
        "members": [],
        "stakeholders": [],
        "hangs_on": [],
    }


def test_reachable_follows_relationships_and_ties_above_zero_either_way() -> None:
    document = chain_with_an_outsider()
    assert reachable(graph_of(document)) == {"cto", "ceo"}
    document["relationships"].append({"member": "wu", "stakeholder": "aud", "strength": 0.0})  # no introduction
    document["influences"].append({"from": "aud", "to": "ceo", "weight": 0.0})  # no tie either
    assert reachable(graph_of(document)) == {"cto", "ceo"}
    document["reports_to"] = [{"from": "aud", "to": "ceo"}]  # a reporting line ties them at 0.5, either way
    assert reachable(graph_of(document)) == {"cto", "ceo", "aud"}
    document["relationships"][0]["strength"] = 0.0
    assert reachable(graph_of(document)) == set()


def test_one_hangs_on_a_person_by_coverage_alone_or_by_reach_alone() -> None:
    # Li holds the CTO only at 0.3 (not covered), but every path to the CTO and the CEO starts with Li: reach.
    # Wu holds the auditor at 0.9, our only covered stakeholder: coverage (the auditor reaches nobody else).
    document = chain_with_an_outsider()
    document["relationships"] = [
        {"member": "li", "stakeholder": "cto", "strength": 0.3},
        {"member": "wu", "stakeholder": "aud", "strength": 0.9},
    ]
    found = dependency(graph_of(document))
    assert found["coverage"] == pytest.approx(AUD / TOTAL)
    assert found["reach"] == pytest.approx(1.0)
    # The CTO's leaving loses the CEO's reach, 0.95 / 1.933 < half; the auditor's loses all coverage.
    assert [(p["kind"], p["id"]) for p in found["hangs_on"]] == [
        ("member", "wu"),
        ("member", "li"),
        ("stakeholder", "aud"),
    ]


def test_without_coverage_only_reach_makes_one_hang_on_a_person_and_equal_coverage_drops_go_by_support() -> None:
    # "an" holds nobody; Li holds the CTO at 0.3 (nobody is covered). Both leave coverage as it is (0); Li's
    # leaving cools the CTO and so the CEO's view: a larger support drop puts Li first, before "an".
    document = chain_with_an_outsider()
    document["team"][1]["id"] = "an"
    document["relationships"][0]["strength"] = 0.3
    found = dependency(graph_of(document))
    assert found["coverage"] == 0.0
    assert [m["id"] for m in found["members"]] == ["li", "an"]
    assert found["members"][0]["support_drop"] > 0.0
    assert [(p["kind"], p["id"]) for p in found["hangs_on"]] == [("member", "li"), ("stakeholder", "cto")]


def test_a_team_without_stakeholders_depends_on_nobody() -> None:
    found = dependency(
        graph_of({"account": {"id": "t", "name": "T"}, "team": [{"id": "li", "name": "Li", "role": "AR"}]})
    )
    assert found["members"] == [{"id": "li", "coverage_drop": 0.0, "support_drop": 0.0, "reach_drop": 0.0}]
    assert (found["reach"], found["hangs_on"]) == (0.0, [])


def staff(*ids: str) -> list[dict[str, Any]]:
    """Stakeholders of equal standing, (0.5 + 0.1) / 2 = 0.3 each: with no line of noticeable weight, their power."""
    return [{"id": s, "name": s, "level": "staff", "influence": 0.5} for s in ids]


def li_and_wu_with_two_staff(*relationships: tuple[str, str, float]) -> nx.DiGraph[str]:
    """Our Li and Wu, stakeholders s1 and s2 of equal standing and no ties, and our (member, stakeholder,
    strength) relationships with them."""
    return graph_of(
        {
            "account": {"id": "half", "name": "Half"},
            "team": [{"id": "li", "name": "Li", "role": "AR"}, {"id": "wu", "name": "Wu", "role": "SR"}],
            "stakeholders": staff("s1", "s2"),
            "relationships": [{"member": m, "stakeholder": s, "strength": w} for m, s, w in relationships],
        }
    )


def test_a_departure_costing_exactly_half_of_our_coverage_means_the_account_hangs_on_that_person() -> None:
    # Two equal stakeholders, each held (0.9) by one of us and known (0.3) by the other: either member's leaving
    # uncovers one of the two, exactly half of our coverage, while the other still reaches everyone.
    found = dependency(
        li_and_wu_with_two_staff(("li", "s1", 0.9), ("li", "s2", 0.3), ("wu", "s2", 0.9), ("wu", "s1", 0.3))
    )
    assert found["coverage"] == pytest.approx(1.0)
    assert [m["id"] for m in found["members"]] == ["li", "wu"]
    assert [m["coverage_drop"] for m in found["members"]] == pytest.approx([0.5, 0.5])
    assert [m["reach_drop"] for m in found["members"]] == [0.0, 0.0]
    assert [(p["kind"], p["id"]) for p in found["hangs_on"]] == [("member", "li"), ("member", "wu")]


def test_a_departure_costing_exactly_half_of_our_reach_means_the_account_hangs_on_that_person() -> None:
    # Two equal stakeholders tied to nobody, each known (0.3, not covered) by one of us only.
    found = dependency(li_and_wu_with_two_staff(("li", "s1", 0.3), ("wu", "s2", 0.3)))
    assert found["coverage"] == 0.0
    assert found["reach"] == pytest.approx(1.0)
    assert [m["reach_drop"] for m in found["members"]] == pytest.approx([0.5, 0.5])
    assert [(p["kind"], p["id"]) for p in found["hangs_on"]] == [("member", "li"), ("member", "wu")]


def test_a_stakeholder_whose_only_path_underflows_to_zero_is_not_reached_since_paths_finds_none() -> None:
    # Li holds s0 (0.9); s0 -> s1 -> s2 by ties of 1e-200. The path to s1 has strength 0.9e-200, the one to s2
    # 0.9e-400: below the smallest double, it is 0, and `paths` finds no introduction to s2. (A line of 1e-200
    # adds nothing to power either: 1 - 1e-200 * 0.3 is 1.0, so every power is the standing, 0.3.)
    assert 0.9 * 1e-200 > 0.0
    assert 0.9 * 1e-200 * 1e-200 == 0.0
    document = {
        "account": {"id": "tiny", "name": "Tiny"},
        "team": [{"id": "li", "name": "Li", "role": "AR"}],
        "stakeholders": staff("s0", "s1", "s2"),
        "influences": [{"from": "s0", "to": "s1", "weight": 1e-200}, {"from": "s1", "to": "s2", "weight": 1e-200}],
        "relationships": [{"member": "li", "stakeholder": "s0", "strength": 0.9}],
    }
    graph = graph_of(document)
    assert introduction_paths(graph, "s2") == []
    assert reachable(graph) == {"s0", "s1"}
    found = dependency(graph)
    assert found["reach"] == pytest.approx(2 / 3)
    drops = {d["id"]: d["reach_drop"] for d in found["members"] + found["stakeholders"]}
    assert drops == pytest.approx({"li": 2 / 3, "s0": 1 / 3, "s1": 0.0, "s2": 0.0})


def test_a_departure_that_leaves_only_a_path_underflowing_to_zero_cuts_that_stakeholder_off() -> None:
    # Li holds s0 (0.9); s0 - s1 - s2 by reporting lines (0.5 each); s0 -> s3 -> s2 by influences of 1e-200.
    # With s1 gone, s2 keeps a path of lines above 0, through s3, but its strength 0.9e-400 is 0: s2 is lost
    # with s1. Reporting lines and lines of 1e-200 add no power: each power is the standing, 0.3.
    document = {
        "account": {"id": "tiny", "name": "Tiny"},
        "team": [{"id": "li", "name": "Li", "role": "AR"}],
        "stakeholders": staff("s0", "s1", "s2", "s3"),
        "reports_to": [{"from": "s1", "to": "s0"}, {"from": "s2", "to": "s1"}],
        "influences": [{"from": "s0", "to": "s3", "weight": 1e-200}, {"from": "s3", "to": "s2", "weight": 1e-200}],
        "relationships": [{"member": "li", "stakeholder": "s0", "strength": 0.9}],
    }
    found = dependency(graph_of(document))
    assert found["reach"] == pytest.approx(1.0)
    drops = {d["id"]: d["reach_drop"] for d in found["members"] + found["stakeholders"]}
    assert drops == pytest.approx({"li": 1.0, "s0": 3 / 4, "s1": 1 / 4, "s2": 0.0, "s3": 0.0})


@settings(max_examples=200, deadline=None)
@given(document=random_documents(max_stakeholders=7), shuffle=st.randoms(use_true_random=False))
def test_the_risk_report_does_not_depend_on_the_order_the_maps_lists_come_in(
    document: dict[str, Any], shuffle: random.Random
) -> None:
    # A store may return a map's lists, and so the graph's people and lines, in any order.
    reordered = copy.deepcopy(document)
    for spec in LISTS:  # every list of the contract the document has
        if spec.name in reordered:
            shuffle.shuffle(reordered[spec.name])
    assert dependency(graph_of(reordered)) == dependency(graph_of(document))
