"""Single-champion risk: what the account loses if one of our people, or one of theirs, leaves.

For every team member and every stakeholder the map is analysed again without them (a member leaves with
their relationships; a stakeholder with every line that touches them) and compared with the map as it is:

- ``coverage_drop``: coverage now minus coverage without them (the exact difference of ``analyze``);
- ``support_drop``: support index now minus support index without them (the same; negative when the
  account is better off without them, say an opponent who leaves);
- ``reach_drop``: the share of the account's power (today's power, of today's total) held by stakeholders
  we can reach today by some introduction path and could no longer reach by any path without them. The
  leaving stakeholder's own power does not count here (it is gone either way, and ``coverage_drop``
  already says what holding them was worth): reach_drop is about the people *behind* them.

A stakeholder is *reachable* when some introduction path reaches them with a strength above 0 (one
relationship of ours, then stakeholder ties: the contract's paths). **The account hangs on one person** when a single
departure would cost at least :data:`HANGS_ON_SHARE` (half) of our coverage or half of our reach; every
such person is listed in ``hangs_on``.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from typing import TypedDict

import networkx as nx

from powermap.analysis.coverage import coverage
from powermap.analysis.forecast import decision_forecast
from powermap.analysis.power import power as compute_power
from powermap.graph import ties

#: A departure that costs at least this share of our coverage or reach means the account hangs on one person.
HANGS_ON_SHARE = 0.5


class Drop(TypedDict):
    id: str
    coverage_drop: float
    support_drop: float
    reach_drop: float


class SinglePoint(TypedDict):
    kind: str
    id: str
    coverage_drop: float
    reach_drop: float


class Dependency(TypedDict):
    coverage: float
    support_index: float
    reach: float
    members: list[Drop]
    stakeholders: list[Drop]
    hangs_on: list[SinglePoint]


def reachable(graph: nx.DiGraph[str], tie_graph: nx.Graph[str] | None = None) -> set[str]:
    """Stakeholders some introduction path reaches (a relationship above 0, then ties above 0).

    >>> g = nx.DiGraph(); g.add_node("a", ours={"li": 0.5}); g.add_node("b", ours={}); g.add_node("c", ours={})
    >>> g.add_edge("a", "b", weight=0.3)
    >>> sorted(reachable(g))
    ['a', 'b']
    """
    tie_graph = tie_graph if tie_graph is not None else ties(graph)
    return _reach(graph, tie_graph)


def _reach(graph: nx.DiGraph[str], tie_graph: nx.Graph[str], *, skip: str | None = None) -> set[str]:
    """Stakeholders whose best introduction path in ``graph`` (over ``tie_graph``, never through ``skip``) is
    above 0: a max-product search from every relationship of ours, so a product that underflows to 0
    reaches nobody, exactly as in :mod:`~powermap.analysis.paths`."""
    best: dict[str, float] = {}
    heap = [(-max(graph.nodes[s]["ours"].values()), s) for s in graph if s != skip and graph.nodes[s]["ours"]]
    heapq.heapify(heap)
    while heap:
        negative, node = heapq.heappop(heap)
        if node in best or negative >= 0.0:
            continue
        best[node] = -negative
        for neighbour, attrs in tie_graph[node].items():
            if neighbour not in best and neighbour != skip:
                heapq.heappush(heap, (negative * attrs["strength"], neighbour))
    return set(best)


def dependency(graph: nx.DiGraph[str], powers: Mapping[str, float] | None = None) -> Dependency:
    """Coverage, support and reach lost if each member or stakeholder left, and who the account hangs on.

    Li alone holds the CTO, who alone sways the CEO: Li leaving loses all our coverage (the CTO's power
    0.733 of the total 1.683) and all our reach (both of them):

    >>> from powermap.model import DecisionRole, Stance
    >>> g = nx.DiGraph(members={"li": {}, "wu": {}})
    >>> g.add_node("ceo", influence=0.9, decision_role=DecisionRole.DECISION_MAKER, stance=Stance.NEUTRAL,
    ...            ours={}, theirs={})
    >>> g.add_node("cto", influence=0.6, decision_role=DecisionRole.TECHNICAL_EVALUATOR, stance=Stance.SUPPORTER,
    ...            ours={"li": 0.8}, theirs={})
    >>> g.add_edge("cto", "ceo", weight=0.7)
    >>> d = dependency(g)
    >>> [(m["id"], round(m["coverage_drop"], 3), round(m["reach_drop"], 3)) for m in d["members"]]
    [('li', 0.436, 1.0), ('wu', 0.0, 0.0)]
    >>> [(p["kind"], p["id"]) for p in d["hangs_on"]]
    [('member', 'li'), ('stakeholder', 'cto')]
    """
    powers = dict(powers) if powers is not None else compute_power(graph)
    total = sum(powers.values())
    base_coverage = coverage(graph, powers)
    base_support = decision_forecast(graph, powers)["support_index"]
    tie_graph = ties(graph)  # a departure only removes ties, so today's tie graph serves every one
    base_reach = _reach(graph, tie_graph)
    reach_share = sum(powers[s] for s in base_reach) / total if total else 0.0

    def lost_reach(after: nx.DiGraph[str], gone: str | None) -> float:
        lost = base_reach - _reach(after, tie_graph, skip=gone) - {gone}
        return sum(powers[s] for s in lost) / total if total else 0.0

    members: list[Drop] = []
    for member in sorted(graph.graph.get("members", {})):
        after = _without_member(graph, member)
        # Power never depends on relationships, so the powers of today serve the map without them.
        members.append(
            {
                "id": member,
                "coverage_drop": base_coverage - coverage(after, powers),
                "support_drop": base_support - decision_forecast(after, powers)["support_index"],
                "reach_drop": lost_reach(after, None),
            }
        )
    stakeholders: list[Drop] = []
    for stakeholder in sorted(graph):
        after = graph.copy()
        after.remove_node(stakeholder)
        after_powers = compute_power(after)
        stakeholders.append(
            {
                "id": stakeholder,
                "coverage_drop": base_coverage - coverage(after, after_powers),
                "support_drop": base_support - decision_forecast(after, after_powers)["support_index"],
                "reach_drop": lost_reach(after, stakeholder),
            }
        )
    for drops in (members, stakeholders):
        drops.sort(key=lambda d: (-round(d["coverage_drop"], 12), -round(d["support_drop"], 12), d["id"]))
    hangs_on: list[SinglePoint] = [
        {"kind": kind, "id": d["id"], "coverage_drop": d["coverage_drop"], "reach_drop": d["reach_drop"]}
        for kind, drops in (("member", members), ("stakeholder", stakeholders))
        for d in drops
        if (base_coverage > 0.0 and d["coverage_drop"] >= HANGS_ON_SHARE * base_coverage - 1e-12)
        or (reach_share > 0.0 and d["reach_drop"] >= HANGS_ON_SHARE * reach_share - 1e-12)
    ]
    return {
        "coverage": base_coverage,
        "support_index": base_support,
        "reach": reach_share,
        "members": members,
        "stakeholders": stakeholders,
        "hangs_on": hangs_on,
    }


def _without_member(graph: nx.DiGraph[str], member: str) -> nx.DiGraph[str]:
    """The graph as it would be without one of our members: their relationships go with them."""
    after = graph.copy()
    after.graph["members"] = {m: info for m, info in graph.graph.get("members", {}).items() if m != member}
    for stakeholder in after:
        ours = after.nodes[stakeholder]["ours"]
        if member in ours:
            after.nodes[stakeholder]["ours"] = {m: v for m, v in ours.items() if m != member}
    return after
