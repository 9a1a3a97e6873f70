"""Introduction paths against the contract's definition, by hand and by brute force."""

from __future__ import annotations

import itertools
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powermap.analysis.paths import introduction_paths
from powermap.errors import MemberNotFoundError, StakeholderNotFoundError
from powermap.graph import build_graph, tie_strength, ties
from powermap.model import parse_account_map
from tests.factories import random_documents, tiny_document


def graph_of(document: dict[str, Any]) -> nx.DiGraph[str]:
    return build_graph(parse_account_map(document))


def test_tie_strength_is_the_largest_influence_either_way_or_half_for_reporting() -> None:
    document = tiny_document()
    document["influences"].append({"from": "ceo", "to": "cto", "weight": 0.9})
    graph = graph_of(document)
    assert tie_strength(graph, "cto", "ceo") == 0.9
    assert tie_strength(graph, "cfo", "ceo") == 0.5  # reporting beats the 0.4 influence
    assert tie_strength(graph, "cto", "cfo") == 0.0


def test_the_best_path_multiplies_relationship_and_tie_strengths() -> None:
    graph = graph_of(tiny_document())
    assert introduction_paths(graph, "ceo", k=5) == [
        {"strength": pytest.approx(0.8 * 0.7), "nodes": ["li", "cto", "ceo"]}
    ]
    # to the CFO the path runs on through the CEO, over a reporting line (0.5 beats the 0.4 influence)
    assert introduction_paths(graph, "cfo", k=5) == [
        {"strength": pytest.approx(0.8 * 0.7 * 0.5), "nodes": ["li", "cto", "ceo", "cfo"]}
    ]


def test_equal_strengths_go_to_the_shorter_path_then_the_smaller_node_sequence() -> None:
    document = tiny_document()
    document["relationships"] = [
        {"member": "li", "stakeholder": "cto", "strength": 0.5},
        {"member": "li", "stakeholder": "cfo", "strength": 0.25},
        {"member": "boss", "stakeholder": "cfo", "strength": 0.25},
    ]
    document["influences"] = [{"from": "cto", "to": "cfo", "weight": 0.5}]
    document["reports_to"] = []
    paths = introduction_paths(graph_of(document), "cfo", k=3)
    assert paths == [
        {"strength": 0.25, "nodes": ["boss", "cfo"]},
        {"strength": 0.25, "nodes": ["li", "cfo"]},
        {"strength": 0.25, "nodes": ["li", "cto", "cfo"]},
    ]


def test_paths_never_run_through_a_second_team_member_or_a_competitor() -> None:
    document = tiny_document()
    document["relationships"].append({"member": "boss", "stakeholder": "cfo", "strength": 1.0})
    document["competitor_relationships"].append({"competitor": "rival", "stakeholder": "ceo", "strength": 1.0})
    for path in introduction_paths(graph_of(document), "ceo", k=10):
        assert path["nodes"][0] in {"li", "boss"}
        assert all(node in {"ceo", "cto", "cfo"} for node in path["nodes"][1:])


def test_from_member_restricts_the_start_and_unknown_ids_are_refused() -> None:
    document = tiny_document()
    document["relationships"].append({"member": "boss", "stakeholder": "cfo", "strength": 1.0})
    graph = graph_of(document)
    assert {p["nodes"][0] for p in introduction_paths(graph, "ceo", member="boss", k=5)} == {"boss"}
    with pytest.raises(StakeholderNotFoundError):
        introduction_paths(graph, "ghost")
    with pytest.raises(MemberNotFoundError):
        introduction_paths(graph, "ceo", member="ghost")


def test_an_unreachable_target_has_no_path_and_zero_strength_edges_carry_none() -> None:
    document = tiny_document()
    document["relationships"][0]["strength"] = 0.0
    assert introduction_paths(graph_of(document), "ceo") == []


def brute_force(graph: nx.DiGraph[str], target: str, k: int, member: str | None) -> list[dict[str, Any]]:
    """Every simple path by enumeration, straight from the contract's definition."""
    tie_graph = ties(graph)
    found = []
    for first in graph:
        for who, strength in graph.nodes[first]["ours"].items():
            if strength <= 0 or (member is not None and who != member):
                continue
            chains = [[first]] if first == target else list(nx.all_simple_paths(tie_graph, first, target))
            for chain in chains:
                product = strength
                for u, v in itertools.pairwise(chain):
                    product *= tie_graph.edges[u, v]["strength"]
                if product > 0:
                    found.append({"strength": product, "nodes": [who, *chain]})
    found.sort(key=lambda p: (-p["strength"], len(p["nodes"]), p["nodes"]))
    return found[:k]


@settings(max_examples=300, deadline=None)
@given(document=random_documents(), k=st.integers(1, 6), data=st.data())
def test_paths_equal_a_brute_force_enumeration_of_all_simple_paths(
    document: dict[str, Any], k: int, data: st.DataObject
) -> None:
    graph = graph_of(document)
    target = data.draw(st.sampled_from(sorted(graph)))
    member = data.draw(st.one_of(st.none(), st.sampled_from(sorted(graph.graph["members"]))))
    assert introduction_paths(graph, target, k=k, member=member) == brute_force(graph, target, k, member)
