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
relationship of ours, then stakeholder ties: the contract's paths, as ``paths`` finds them). Every line
of such a path is above 0, but a product of lines above 0 can underflow to 0
(:mod:`~powermap.analysis.reach`), so the product decides, never the lines alone. **The account hangs on
one person** when a single departure would cost at least :data:`HANGS_ON_SHARE` (half) of our coverage or
half of our reach; every such person is listed in ``hangs_on``.

How it scales (one analysis per person would grow with the square of the account): the map is analysed
once, and each departure is then solved from that analysis instead of from scratch, with the very
equations ``analyze`` solves, so the drops stay exact differences of ``analyze`` (to the iterations'
tolerance, 1e-12):

- power and the forecast are each the unique fixed point of their equations, so their iterations may
  start from today's solution and recompute first only what a departure touches (those who swayed a
  leaving stakeholder; those whose relationships or influencers changed); a person with no lines
  costs nothing but the sums;
- nothing is copied: the map without someone is today's adjacency with one entry filtered out;
- reach: one max-product Dijkstra from us over "us -> our members -> the stakeholders they know ->
  stakeholders tied to them"; a departure can only cut off the people whose strongest path runs
  through them (their subtree of its tree), and only those are solved again
  (:func:`~powermap.analysis.reach.reached_and_cut_off`).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from typing import TypedDict

import networkx as nx

from powermap.analysis.coverage import COVERED_FROM, coverage, covered
from powermap.analysis.forecast import (
    decision_makers,
    influence_plan,
    own_lean,
    own_leans,
    propagate,
    support_index,
)
from powermap.analysis.power import REACH_SHARE, standing
from powermap.analysis.power import power as compute_power
from powermap.analysis.reach import MEMBER, STAKEHOLDER, Node, introductions, reached_and_cut_off
from powermap.errors import NotConvergedError
from powermap.graph import strongest_competitor

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
    """Stakeholders some introduction path reaches with a strength above 0 (as ``paths`` finds them).

    >>> g = nx.DiGraph(); g.add_node("a", ours={"li": 0.5}); g.add_node("b", ours={}); g.add_node("c", ours={})
    >>> g.add_edge("a", "b", weight=0.3)
    >>> sorted(reachable(g))
    ['a', 'b']
    >>> g.add_edge("b", "c", weight=1e-300); g.add_edge("a", "b", weight=1e-30)  # 0.5e-330 underflows to 0
    >>> sorted(reachable(g))
    ['a', 'b']
    """
    return reached_and_cut_off(introductions(graph, tie_graph))[0]


def in_id_order(graph: nx.DiGraph[str]) -> nx.DiGraph[str]:
    """The same graph with its people and lines in id order (a copy; attributes shared, not copied).

    Power and the forecast sum floats in the graph's order, and the order of a map's lists is whatever
    the store returned: in id order the answer no longer depends on it, to the last bit.

    >>> g = nx.DiGraph(); g.add_edge("b", "a", weight=0.5); g.add_edge("a", "c")
    >>> list(in_id_order(g)), list(in_id_order(g).edges)
    (['a', 'b', 'c'], [('a', 'c'), ('b', 'a')])
    """
    ordered: nx.DiGraph[str] = nx.DiGraph()
    ordered.graph.update(graph.graph)
    ordered.add_nodes_from(sorted(graph.nodes(data=True), key=lambda node: node[0]))
    ordered.add_edges_from(sorted(graph.edges(data=True), key=lambda edge: (edge[0], edge[1])))
    return ordered


def _lost_reach(graph: nx.DiGraph[str], powers: Mapping[str, float]) -> tuple[set[str], dict[Node, float]]:
    """Today's reach, and for each member and stakeholder the power of the stakeholders only they lead to.

    The leaving stakeholder's own power is not counted. Sums are exact (``math.fsum``), so they do not
    depend on the order the people come in.
    """
    reached, cut_off = reached_and_cut_off(introductions(graph))
    return reached, {node: math.fsum(powers[s] for s in lost) for node, lost in cut_off.items()}


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
    graph = in_id_order(graph)
    today = _Today(graph, powers)
    power_of = dict(zip(today.nodes, today.powers, strict=True))
    base_reach, lost = _lost_reach(graph, power_of)
    total = sum(today.powers)
    reach_share = math.fsum(power_of[s] for s in base_reach) / total if total else 0.0

    def share(node: Node) -> float:
        return lost.get(node, 0.0) / total if total else 0.0

    members: list[Drop] = []
    for member in sorted(graph.graph.get("members", {})):
        coverage_after, support_after = today.without_member(member)
        members.append(
            {
                "id": member,
                "coverage_drop": today.coverage - coverage_after,
                "support_drop": today.support - support_after,
                "reach_drop": share((MEMBER, member)),
            }
        )
    stakeholders: list[Drop] = []
    for stakeholder in sorted(graph):
        coverage_after, support_after = today.without_stakeholder(stakeholder)
        stakeholders.append(
            {
                "id": stakeholder,
                "coverage_drop": today.coverage - coverage_after,
                "support_drop": today.support - support_after,
                "reach_drop": share((STAKEHOLDER, stakeholder)),
            }
        )
    for drops in (members, stakeholders):
        drops.sort(key=lambda d: (-round(d["coverage_drop"], 12), -round(d["support_drop"], 12), d["id"]))
    hangs_on: list[SinglePoint] = [
        {"kind": kind, "id": d["id"], "coverage_drop": d["coverage_drop"], "reach_drop": d["reach_drop"]}
        for kind, drops in (("member", members), ("stakeholder", stakeholders))
        for d in drops
        if (today.coverage > 0.0 and d["coverage_drop"] >= HANGS_ON_SHARE * today.coverage - 1e-12)
        or (reach_share > 0.0 and d["reach_drop"] >= HANGS_ON_SHARE * reach_share - 1e-12)
    ]
    return {
        "coverage": today.coverage,
        "support_index": today.support,
        "reach": reach_share,
        "members": members,
        "stakeholders": stakeholders,
        "hangs_on": hangs_on,
    }


class _Today:
    """Today's analysis, solved once, and the coverage and support index of the map without one person.

    Each departure re-solves ``analyze``'s own equations (:mod:`~powermap.analysis.power`,
    :mod:`~powermap.analysis.forecast`) warm-started from today's solution: both are unique fixed points
    (power's map is monotone and strictly subhomogeneous, every standing being above 0; the forecast's
    blend contracts), so the iterations end where a cold start would, to the same tolerance. A departed
    stakeholder is given power 0: a line toward them then weighs ``1 - w * 0 = 1`` in a noisy-or and
    ``w * 0 = 0`` in a blend, exactly as if the line were gone. Coverage and the index are then summed
    as :func:`~powermap.analysis.coverage.coverage` and :func:`~powermap.analysis.forecast.support_index`
    sum them on the map without them. People are numbered (lists, not dicts) for speed.
    """

    def __init__(self, graph: nx.DiGraph[str], powers: Mapping[str, float] | None) -> None:
        self.graph = graph
        self.nodes = nodes = list(graph)
        self.position = position = {node: i for i, node in enumerate(nodes)}
        attrs, succ, pred = graph.nodes, graph.succ, graph.pred
        self.standing = [standing(attrs[s]["influence"], attrs[s]["decision_role"]) for s in nodes]
        #: whom each person sways (index, line weight), and who sways each person (index, line weight)
        self.sways = [
            [(position[t], w) for t, data in succ[s].items() if (w := data.get("weight", 0.0))] for s in nodes
        ]
        self.swayers: list[list[int]] = [[] for _ in nodes]
        for i, lines in enumerate(self.sways):
            for t, _ in lines:
                self.swayers[t].append(i)
        self.lines_in = [
            [(position[u], w) for u, data in pred[s].items() if (w := data.get("weight", 0.0))] for s in nodes
        ]
        power_of = dict(powers) if powers is not None else compute_power(graph)
        self.powers = [power_of[s] for s in nodes]
        own_of = own_leans(graph)
        self.own = [own_of[s] for s in nodes]
        plan = influence_plan(graph, power_of)
        leans_of = propagate(graph, own_of, power_of, plan=plan)
        self.leans = [leans_of[s] for s in nodes]
        #: each swayed person's blend (the share they keep, their influencers' shares), None for the others
        self.rows: list[tuple[float, list[tuple[int, float]]] | None] = [None] * len(nodes)
        self.rank = [len(nodes)] * len(nodes)  # the forecast's sweep order
        for rank, (node, (keep, sources)) in enumerate(plan.blend.items()):
            i = position[node]
            self.rows[i] = (keep, [(position[source], w) for source, w in sources])
            self.rank[i] = rank
        self.swayed: list[list[int]] = [[] for _ in nodes]
        for i, row in enumerate(self.rows):
            for j, _ in row[1] if row is not None else ():
                self.swayed[j].append(i)
        self.makers = [position[s] for s in decision_makers(graph)]
        self.covered = sorted(position[s] for s in covered(graph))
        self.coverage = coverage(graph, power_of)
        self.support = support_index(graph, leans_of, power_of, decision_makers(graph) or nodes)

    def _index(
        self, powers: list[float], leans: list[float], gone: int | None, covered_now: list[int]
    ) -> tuple[float, float]:
        """Coverage and support index of the map without ``gone`` (None: everyone stays)."""
        total = sum(p for i, p in enumerate(powers) if i != gone)
        covered_power = sum(powers[i] for i in covered_now if i != gone)
        coverage_now = covered_power / total if total > 0.0 else 0.0
        basis = [i for i in self.makers if i != gone] or [i for i in range(len(powers)) if i != gone]
        basis_power = sum(powers[i] for i in basis)
        index = sum(powers[i] / basis_power * leans[i] for i in basis) if basis_power > 0.0 else 0.0
        return coverage_now, max(-1.0, min(1.0, index))

    def without_member(self, member: str) -> tuple[float, float]:
        """Coverage and support index once a member leaves with their relationships (power is unchanged)."""
        graph, own, leans = self.graph, list(self.own), list(self.leans)
        changed: set[int] = set()
        covered_now = set(self.covered)
        for i, s in enumerate(self.nodes):
            ours = graph.nodes[s]["ours"]
            if member in ours:
                left = max((v for m, v in ours.items() if m != member), default=0.0)
                own[i] = own_lean(graph.nodes[s]["stance"], left, strongest_competitor(graph, s)[1])
                if own[i] != self.own[i]:
                    changed.add(i)
                if left < COVERED_FROM:
                    covered_now.discard(i)
        # Their own lean is final if nobody sways them; else they and those they sway are recomputed.
        stale: set[int] = set()
        for i in changed:
            if self.rows[i] is None:
                leans[i] = own[i]
                stale.update(self.swayed[i])
            else:
                stale.add(i)
        _settle_leans(self.rows, self.rank, self.swayed, own, leans, stale)
        return self._index(self.powers, leans, None, sorted(covered_now))

    def without_stakeholder(self, gone_id: str) -> tuple[float, float]:
        """Coverage and support index once a stakeholder leaves with every line that touches them."""
        gone = self.position[gone_id]
        powers = list(self.powers)
        powers[gone] = 0.0
        moved = _settle_power(self.standing, self.sways, self.swayers, powers, gone)
        moved.add(gone)
        # Whose blend of views changes: those whom the leaving person or anyone whose power moved swayed.
        rows, leans = list(self.rows), list(self.leans)
        reblend = {v for u in moved for v in self.swayed[u]} - {gone}
        stale = set(reblend)
        for v in reblend:
            sources = [(j, w * powers[j]) for j, w in self.lines_in[v] if j != gone]
            total = sum(w for _, w in sources)
            if total > 0.0:
                rows[v] = (1.0 / (1.0 + total), [(j, w / (1.0 + total)) for j, w in sources])
            else:  # nobody sways them any more: their own lean is final
                rows[v] = None
                leans[v] = self.own[v]
                stale.update(self.swayed[v])
        rows[gone] = None
        stale.discard(gone)
        _settle_leans(rows, self.rank, self.swayed, self.own, leans, stale)
        return self._index(powers, leans, gone, self.covered)


def _settle_power(
    base: list[float],
    sways: list[list[tuple[int, float]]],
    swayers: list[list[int]],
    current: list[float],
    gone: int,
    *,
    tolerance: float = 1e-12,
    max_iterations: int = 10_000,
) -> set[int]:
    """:func:`~powermap.analysis.power.power`'s Jacobi sweeps, from ``current`` (updated in place), with
    ``gone`` held at 0 and only those whose targets moved recomputed (first: those who swayed ``gone``).
    Returns everyone whose power moved."""
    dirty = [i for i in swayers[gone] if i != gone]
    changed: set[int] = set()
    change = float("inf")
    prod, share = math.prod, REACH_SHARE
    for _ in range(max_iterations):
        updated = [
            (i, base[i] + (1.0 - base[i]) * share * (1.0 - prod([1.0 - w * current[t] for t, w in sways[i]])))
            for i in dirty
        ]
        change = 0.0
        moved: set[int] = set()
        for i, value in updated:
            delta = abs(value - current[i])
            if delta:
                change = max(change, delta)
                current[i] = value
                changed.add(i)
                moved.update(swayers[i])
        if change <= tolerance:
            return changed
        moved.discard(gone)
        dirty = list(moved)  # Jacobi: a sweep reads only the previous sweep's values, so order is free
    raise NotConvergedError("power", max_iterations, change, tolerance)


def _settle_leans(
    rows: list[tuple[float, list[tuple[int, float]]] | None],
    rank: list[int],
    swayed: list[list[int]],
    own: list[float],
    leans: list[float],
    stale: set[int],
    *,
    tolerance: float = 1e-12,
    max_iterations: int = 100_000,
) -> None:
    """:func:`~powermap.analysis.forecast.propagate`'s Gauss-Seidel sweeps from ``leans`` (updated in
    place), in the same order, recomputing only ``stale`` people and those whose influencers moved since:
    one moved earlier in a sweep is recomputed later in the same sweep, as in a full sweep."""
    change = float("inf")
    for _ in range(max_iterations):
        change = 0.0
        queue = [(rank[i], i) for i in stale if rows[i] is not None]
        heapq.heapify(queue)
        queued = {i for _, i in queue}
        stale = set()
        while queue:
            place, i = heapq.heappop(queue)
            queued.discard(i)
            keep, sources = rows[i]  # type: ignore[misc]  # only people with a blend are queued
            value = keep * own[i] + sum([w * leans[j] for j, w in sources])
            delta = abs(value - leans[i])
            if delta:
                change = max(change, delta)
                leans[i] = value
                for v in swayed[i]:
                    if rows[v] is None:
                        continue
                    if rank[v] > place:
                        if v not in queued:
                            heapq.heappush(queue, (rank[v], v))
                            queued.add(v)
                    else:
                        stale.add(v)
        if change <= tolerance:
            return
    raise NotConvergedError("the decision forecast", max_iterations, change, tolerance)
