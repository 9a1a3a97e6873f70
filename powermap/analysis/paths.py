"""Introduction paths: how our team reaches a stakeholder through people it already knows.

By the contract a path starts at one of our team members, takes one relationship (its strength) to a
stakeholder, then any number of stakeholder ties, and ends at the target. Its strength is the product
of its edges' strengths; the best path is the strongest, equal strengths go to the shorter path (and,
so that every store gives the same answer, equal lengths to the smaller node sequence). Edges of
strength 0 carry no introduction, so no path uses them.

Constraints narrow the paths that count, and the answer stays the best among those that meet them:
``avoid`` (stakeholders that may not be intermediaries, team members that may not start a path),
``avoid_stances`` (no intermediary of those stances), ``max_hops`` (at most that many lines, the first
relationship included) and, in :func:`disjoint_paths`, no intermediary shared with a path chosen before.
The target is never excluded.

Because every strength is at most 1, extending a path never makes it stronger. The search is a
best-first (A*) walk over simple paths whose estimate is the strongest possible finish from each
stakeholder (a max-product Dijkstra from the target, which ignores simplicity and so never
underestimates). Complete paths therefore surface best first, and the search stops as soon as no open
path can still beat the k-th one found.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TypedDict

import networkx as nx

from powermap.errors import InvalidInputError, MemberNotFoundError, StakeholderNotFoundError
from powermap.graph import ties
from powermap.model import Stance

# Guards the stop test against float rounding between the estimate and a path's own product.
_ESTIMATE_SLACK = 1.0 + 1e-9


class IntroPath(TypedDict):
    strength: float
    nodes: list[str]


@dataclass(frozen=True)
class PathConstraints:
    """What an introduction path may not use (see the module docstring); the default allows everything."""

    #: Ids to keep out: stakeholders as intermediaries, team members as the start of a path.
    avoid: frozenset[str] = frozenset()
    avoid_stances: frozenset[Stance] = frozenset()
    max_hops: int | None = None
    #: Stakeholders only (never a member that shares the id): the intermediaries of paths chosen before.
    exclude: frozenset[str] = frozenset()

    def blocked(self, graph: nx.DiGraph[str], target: str) -> frozenset[str]:
        """Stakeholders that may not be intermediaries (the target never is blocked)."""
        by_stance = {s for s in graph if graph.nodes[s].get("stance") in self.avoid_stances}
        return frozenset(((self.avoid & set(graph.nodes)) | self.exclude | by_stance) - {target})


NO_CONSTRAINTS = PathConstraints()


def best_finish(tie_graph: nx.Graph[str], target: str, blocked: Collection[str] = ()) -> dict[str, float]:
    """Strongest possible product of tie strengths from each stakeholder to the target (not via ``blocked``).

    >>> g = nx.Graph(); g.add_edge("a", "b", strength=0.5); g.add_edge("b", "t", strength=0.8)
    >>> g.add_edge("a", "t", strength=0.3)
    >>> best_finish(g, "t")
    {'t': 1.0, 'b': 0.8, 'a': 0.4}
    >>> best_finish(g, "t", blocked={"b"})
    {'t': 1.0, 'a': 0.3}
    """
    best: dict[str, float] = {}
    heap: list[tuple[float, str]] = [(-1.0, target)]
    while heap:
        negative, node = heapq.heappop(heap)
        if node in best:
            continue
        best[node] = -negative
        for neighbour, attrs in tie_graph[node].items():
            if neighbour not in best and neighbour not in blocked:
                heapq.heappush(heap, (negative * attrs["strength"], neighbour))
    return best


def introduction_paths(
    graph: nx.DiGraph[str],
    target: str,
    *,
    k: int = 3,
    member: str | None = None,
    tie_graph: nx.Graph[str] | None = None,
    constraints: PathConstraints = NO_CONSTRAINTS,
) -> list[IntroPath]:
    """The k best introduction paths from our team (or one member) to ``target``, best first.

    Only paths that meet ``constraints`` count; the answer is the best among them.

    >>> g = nx.DiGraph(members={"li": {}, "wu": {}})
    >>> for s, ours in [("cto", {"li": 0.8}), ("cfo", {"wu": 0.9}), ("ceo", {})]:
    ...     g.add_node(s, ours=ours)
    ...
    >>> g.add_edge("cto", "ceo", weight=0.7); g.add_edge("cfo", "ceo", reports=True)
    >>> [(round(p["strength"], 2), p["nodes"]) for p in introduction_paths(g, "ceo")]
    [(0.56, ['li', 'cto', 'ceo']), (0.45, ['wu', 'cfo', 'ceo'])]
    >>> introduction_paths(g, "ceo", k=1, member="wu")[0]["nodes"]
    ['wu', 'cfo', 'ceo']
    >>> introduction_paths(g, "ceo", constraints=PathConstraints(avoid=frozenset({"cto"})))[0]["nodes"]
    ['wu', 'cfo', 'ceo']
    """
    _check_ids(graph, target, member, constraints)
    if k < 1:
        return []
    if tie_graph is None:
        tie_graph = ties(graph)
    blocked = constraints.blocked(graph, target)
    finish = best_finish(tie_graph, target, blocked)
    max_nodes = None if constraints.max_hops is None else constraints.max_hops + 1

    # Heap entries: (-estimate, length, nodes, strength). Estimates of open paths are padded by
    # _ESTIMATE_SLACK so rounding can never make us stop before an equally strong path is found.
    heap: list[tuple[float, int, tuple[str, ...], float]] = []
    for stakeholder in finish:
        for who, strength in graph.nodes[stakeholder]["ours"].items():
            if strength > 0.0 and (member is None or who == member) and who not in constraints.avoid:
                _push(heap, (who, stakeholder), strength, finish[stakeholder], target, max_nodes)

    found: list[IntroPath] = []
    while heap:
        if len(found) >= k and -heap[0][0] < found[k - 1]["strength"]:
            break
        _, _, nodes, strength = heapq.heappop(heap)
        if nodes[-1] == target:
            found.append({"strength": strength, "nodes": list(nodes)})
            found.sort(key=_path_order)
            continue
        visited = set(nodes[1:])
        for neighbour, attrs in tie_graph[nodes[-1]].items():
            if neighbour not in visited and neighbour in finish:
                _push(heap, (*nodes, neighbour), strength * attrs["strength"], finish[neighbour], target, max_nodes)
    return found[:k]


def disjoint_paths(
    graph: nx.DiGraph[str],
    target: str,
    *,
    k: int = 3,
    member: str | None = None,
    tie_graph: nx.Graph[str] | None = None,
    constraints: PathConstraints = NO_CONSTRAINTS,
) -> list[IntroPath]:
    """The best path, then the best sharing no intermediary stakeholder with those chosen before, and so on.

    Each path is the best among those that meet ``constraints`` and avoid every intermediary already
    used (direct paths have none, so they may follow one another, each once).

    >>> g = nx.DiGraph(members={"li": {}})
    >>> for s, ours in [("a", {"li": 0.9}), ("b", {"li": 0.5}), ("t", {})]:
    ...     g.add_node(s, ours=ours)
    ...
    >>> g.add_edge("a", "t", weight=0.9); g.add_edge("b", "t", weight=0.9); g.add_edge("a", "b", weight=0.9)
    >>> [p["nodes"] for p in disjoint_paths(g, "t", k=3)]
    [['li', 'a', 't'], ['li', 'b', 't']]
    """
    _check_ids(graph, target, member, constraints)
    if tie_graph is None:
        tie_graph = ties(graph)
    chosen: list[IntroPath] = []
    used: set[str] = set()
    while len(chosen) < k:
        narrower = PathConstraints(
            constraints.avoid, constraints.avoid_stances, constraints.max_hops, constraints.exclude | used
        )
        # Only direct paths can come back (any other has an intermediary now avoided): at most len(chosen).
        candidates = introduction_paths(
            graph, target, k=len(chosen) + 1, member=member, tie_graph=tie_graph, constraints=narrower
        )
        following = next((p for p in candidates if p not in chosen), None)
        if following is None:
            break
        chosen.append(following)
        used.update(following["nodes"][1:-1])
    return chosen


def _check_ids(graph: nx.DiGraph[str], target: str, member: str | None, constraints: PathConstraints) -> None:
    account = graph.graph.get("account")
    if target not in graph:
        raise StakeholderNotFoundError(target, account)
    members: Mapping[str, object] = graph.graph.get("members", {})
    if member is not None and member not in members:
        raise MemberNotFoundError(member, account)
    for name in sorted(constraints.avoid):
        if name not in graph and name not in members:
            raise StakeholderNotFoundError(name, account)


def _push(
    heap: list[tuple[float, int, tuple[str, ...], float]],
    nodes: tuple[str, ...],
    strength: float,
    finish: float,
    target: str,
    max_nodes: int | None = None,
) -> None:
    if strength <= 0.0:  # a product that underflowed to 0 carries no introduction either
        return
    if max_nodes is not None and len(nodes) > max_nodes:
        return
    estimate = strength if nodes[-1] == target else strength * finish * _ESTIMATE_SLACK
    heapq.heappush(heap, (-estimate, len(nodes), nodes, strength))


def _path_order(path: IntroPath) -> tuple[float, int, list[str]]:
    return (-path["strength"], len(path["nodes"]), path["nodes"])


def best_path(
    graph: nx.DiGraph[str], target: str, *, member: str | None = None, tie_graph: nx.Graph[str] | None = None
) -> IntroPath | None:
    """The single best introduction path to ``target``, or None when our team cannot reach them."""
    paths = introduction_paths(graph, target, k=1, member=member, tie_graph=tie_graph)
    return paths[0] if paths else None


def path_constraints(avoid: list[str] | None, avoid_stance: str | None, max_hops: int | None) -> PathConstraints:
    """The constraints that --avoid, --avoid-stance and --max-hops (or the API's query) name; an unknown stance is
    refused by name as invalid input."""
    stances = set()
    for word in filter(None, (part.strip() for part in (avoid_stance or "").split(","))):
        try:
            stances.add(Stance(word))
        except ValueError:
            known = ", ".join(s.value for s in Stance)
            raise InvalidInputError(f"avoid-stance: {word!r} is not a stance (one of {known})") from None
    return PathConstraints(avoid=frozenset(avoid or ()), avoid_stances=frozenset(stances), max_hops=max_hops)
