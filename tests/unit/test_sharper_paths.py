"""Constrained and disjoint introduction paths: by hand and against brute-force enumeration."""

from __future__ import annotations

import itertools
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powermap.analysis.paths import PathConstraints, disjoint_paths, introduction_paths, path_constraints
from powermap.errors import InvalidInputError, MemberNotFoundError, StakeholderNotFoundError
from powermap.graph import build_graph, ties
from powermap.model import Stance, parse_account_map
from tests.factories import STANCES, random_documents, tiny_document


def graph_of(document: dict[str, Any]) -> nx.DiGraph[str]:
    return build_graph(parse_account_map(document))


def every_path(graph: nx.DiGraph[str], target: str, member: str | None = None) -> list[dict[str, Any]]:
    """Every simple introduction path with its strength, best first, by plain enumeration."""
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
    return found


def allowed(graph: nx.DiGraph[str], path: dict[str, Any], constraints: PathConstraints) -> bool:
    middle = path["nodes"][1:-1]
    return (
        path["nodes"][0] not in constraints.avoid
        and not any(s in constraints.avoid or graph.nodes[s]["stance"] in constraints.avoid_stances for s in middle)
        and (constraints.max_hops is None or len(path["nodes"]) - 1 <= constraints.max_hops)
    )


def brute_disjoint(
    graph: nx.DiGraph[str], target: str, k: int, member: str | None, constraints: PathConstraints
) -> list[dict[str, Any]]:
    chosen: list[dict[str, Any]] = []
    used: set[str] = set()
    for path in every_path(graph, target, member):
        if len(chosen) == k:
            break
        if allowed(graph, path, constraints) and not used & set(path["nodes"][1:-1]):
            chosen.append(path)
            used.update(path["nodes"][1:-1])
    return chosen


def nodes_of(paths: list[Any]) -> list[list[str]]:
    return [p["nodes"] for p in paths]


def test_avoiding_a_stakeholder_or_a_stance_reroutes_and_the_target_is_never_excluded() -> None:
    document = tiny_document()
    document["relationships"].append({"member": "boss", "stakeholder": "cfo", "strength": 0.9})
    graph = graph_of(document)
    assert nodes_of(introduction_paths(graph, "ceo", k=1)) == [["li", "cto", "ceo"]]  # 0.56 beats 0.45
    assert introduction_paths(graph, "ceo", constraints=PathConstraints(avoid=frozenset({"cto"}))) == [
        {"strength": pytest.approx(0.9 * 0.5), "nodes": ["boss", "cfo", "ceo"]}
    ]
    skeptic_free = PathConstraints(avoid_stances=frozenset({Stance.SKEPTIC}))  # the CFO is a skeptic
    assert nodes_of(introduction_paths(graph, "ceo", k=5, constraints=skeptic_free)) == [["li", "cto", "ceo"]]
    # the CFO is the target here: avoiding them or their stance never removes the target
    to_cfo = PathConstraints(avoid=frozenset({"cfo"}), avoid_stances=frozenset({Stance.SKEPTIC}))
    assert nodes_of(introduction_paths(graph, "cfo", k=1, constraints=to_cfo)) == [["boss", "cfo"]]


def test_avoiding_a_team_member_means_no_path_starts_with_them() -> None:
    document = tiny_document()
    document["relationships"].append({"member": "boss", "stakeholder": "cfo", "strength": 0.9})
    paths = introduction_paths(graph_of(document), "ceo", k=5, constraints=PathConstraints(avoid=frozenset({"li"})))
    assert nodes_of(paths) == [["boss", "cfo", "ceo"]]


def test_max_hops_counts_every_line_including_the_first_relationship() -> None:
    graph = graph_of(tiny_document())  # li -> cto -> ceo -> cfo is the only way to the CFO: 3 lines
    assert introduction_paths(graph, "cfo", constraints=PathConstraints(max_hops=2)) == []
    assert nodes_of(introduction_paths(graph, "cfo", constraints=PathConstraints(max_hops=3))) == [
        ["li", "cto", "ceo", "cfo"]
    ]


def test_disjoint_paths_share_no_intermediary() -> None:
    document = tiny_document()
    document["relationships"] += [
        {"member": "boss", "stakeholder": "cfo", "strength": 0.9},
        {"member": "boss", "stakeholder": "cto", "strength": 0.3},
    ]
    graph = graph_of(document)
    # li-cto-ceo (0.56) is best; boss-cfo-ceo (0.45) shares no one with it; boss-cto-ceo (0.21) would reuse the CTO
    assert nodes_of(disjoint_paths(graph, "ceo", k=3)) == [["li", "cto", "ceo"], ["boss", "cfo", "ceo"]]


def test_an_unknown_avoided_id_is_refused_by_name() -> None:
    with pytest.raises(StakeholderNotFoundError, match="ghost"):
        introduction_paths(graph_of(tiny_document()), "ceo", constraints=PathConstraints(avoid=frozenset({"ghost"})))


@st.composite
def constraints_for(draw: st.DrawFn, graph: nx.DiGraph[str]) -> PathConstraints:
    ids = sorted(graph) + sorted(graph.graph["members"])
    return PathConstraints(
        avoid=frozenset(draw(st.lists(st.sampled_from(ids), max_size=3))),
        avoid_stances=frozenset(Stance(s) for s in draw(st.lists(st.sampled_from(STANCES), max_size=2))),
        max_hops=draw(st.one_of(st.none(), st.integers(1, 5))),
    )


@settings(max_examples=300, deadline=None)
@given(document=random_documents(), k=st.integers(1, 5), data=st.data())
def test_constrained_paths_equal_the_best_allowed_paths_of_a_brute_force_enumeration(
    document: dict[str, Any], k: int, data: st.DataObject
) -> None:
    graph = graph_of(document)
    target = data.draw(st.sampled_from(sorted(graph)))
    member = data.draw(st.one_of(st.none(), st.sampled_from(sorted(graph.graph["members"]))))
    constraints = data.draw(constraints_for(graph))
    expected = [p for p in every_path(graph, target, member) if allowed(graph, p, constraints)][:k]
    assert introduction_paths(graph, target, k=k, member=member, constraints=constraints) == expected


@settings(max_examples=300, deadline=None)
@given(document=random_documents(), k=st.integers(1, 5), data=st.data())
def test_disjoint_paths_equal_a_greedy_choice_over_a_brute_force_enumeration(
    document: dict[str, Any], k: int, data: st.DataObject
) -> None:
    graph = graph_of(document)
    target = data.draw(st.sampled_from(sorted(graph)))
    member = data.draw(st.one_of(st.none(), st.sampled_from(sorted(graph.graph["members"]))))
    constraints = data.draw(constraints_for(graph))
    found = disjoint_paths(graph, target, k=k, member=member, constraints=constraints)
    assert found == brute_disjoint(graph, target, k, member, constraints)


def test_path_constraints_read_the_options_a_person_types() -> None:
    constraints = path_constraints(["cfo", "ceo"], " opponent, skeptic ,,", 3)
    assert constraints == PathConstraints(
        avoid=frozenset({"cfo", "ceo"}), avoid_stances=frozenset({Stance.OPPONENT, Stance.SKEPTIC}), max_hops=3
    )
    assert path_constraints(None, None, None) == PathConstraints(
        avoid=frozenset(), avoid_stances=frozenset(), max_hops=None
    )
    with pytest.raises(InvalidInputError) as refused:
        path_constraints(None, "opponent,hostile", None)
    assert str(refused.value) == (
        "avoid-stance: 'hostile' is not a stance (one of champion, supporter, neutral, skeptic, opponent)"
    )


def five_members_who_each_know_the_target() -> nx.DiGraph[str]:
    """Five of us know the CEO directly (0.9 down to 0.5); the CTO, whom Li knows at 1.0, ties to the CEO at 0.3."""
    members: dict[str, dict[str, str]] = {m: {} for m in ("a", "b", "c", "d", "e", "li")}
    graph: nx.DiGraph[str] = nx.DiGraph(members=members)
    graph.add_node("ceo", ours={"a": 0.9, "b": 0.8, "c": 0.7, "d": 0.6, "e": 0.5})
    graph.add_node("cto", ours={"li": 1.0})
    graph.add_edge("cto", "ceo", weight=0.3)
    return graph


def test_disjoint_paths_give_three_by_default_and_never_more_than_asked() -> None:
    graph = five_members_who_each_know_the_target()
    direct = [["a", "ceo"], ["b", "ceo"], ["c", "ceo"], ["d", "ceo"], ["e", "ceo"]]
    assert nodes_of(disjoint_paths(graph, "ceo")) == direct[:3]
    assert nodes_of(disjoint_paths(graph, "ceo", k=2)) == direct[:2]
    # Direct paths have no intermediary, so all five may follow one another, then Li's through the CTO (0.3).
    assert nodes_of(disjoint_paths(graph, "ceo", k=10)) == [*direct, ["li", "cto", "ceo"]]


def test_disjoint_paths_keep_to_the_maximum_number_of_hops() -> None:
    graph = five_members_who_each_know_the_target()
    constraints = PathConstraints(max_hops=1)  # only a relationship straight to the target
    assert nodes_of(disjoint_paths(graph, "ceo", k=10, constraints=constraints)) == [
        ["a", "ceo"],
        ["b", "ceo"],
        ["c", "ceo"],
        ["d", "ceo"],
        ["e", "ceo"],
    ]
    tiny = graph_of(tiny_document())  # li -> cto -> ceo -> cfo is the only way to the CFO: 3 lines
    assert disjoint_paths(tiny, "cfo", constraints=PathConstraints(max_hops=2)) == []


def test_disjoint_paths_from_an_unknown_member_are_refused_even_when_none_are_asked_for() -> None:
    graph = five_members_who_each_know_the_target()
    with pytest.raises(MemberNotFoundError, match="ghost"):
        disjoint_paths(graph, "ceo", k=0, member="ghost")
    assert disjoint_paths(graph, "ceo", k=0, member="a") == []


def test_three_introduction_paths_by_default() -> None:
    assert nodes_of(introduction_paths(five_members_who_each_know_the_target(), "ceo")) == [
        ["a", "ceo"],
        ["b", "ceo"],
        ["c", "ceo"],
    ]


def test_a_path_whose_strength_underflows_to_zero_carries_no_introduction() -> None:
    graph: nx.DiGraph[str] = nx.DiGraph(members={"li": {}})
    graph.add_node("a", ours={"li": 1e-200})
    graph.add_node("t", ours={})
    graph.add_edge("a", "t", weight=1e-200)  # 1e-200 * 1e-200 is 0.0 in floats
    assert introduction_paths(graph, "t") == []
    assert nodes_of(introduction_paths(graph, "a")) == [["li", "a"]]


def test_unknown_members_and_avoided_ids_are_refused_naming_the_account() -> None:
    graph = graph_of(tiny_document())
    with pytest.raises(MemberNotFoundError, match=r"^no team member with id 'ghost' in account 'tiny'$"):
        introduction_paths(graph, "ceo", member="ghost")
    with pytest.raises(StakeholderNotFoundError, match=r"^no stakeholder with id 'ghost' in account 'tiny'$"):
        introduction_paths(graph, "ceo", constraints=PathConstraints(avoid=frozenset({"ghost"})))
