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
relationship of ours, then stakeholder ties: the contract's paths), that is when every line of the path
is above 0. **The account hangs on one person** when a single departure would cost at least
:data:`HANGS_ON_SHARE` (half) of our coverage or half of our reach; every such person is listed in ``hangs_on``.

How it scales (one analysis per person would grow with the square of the account): the map is analysed
once, and each departure is then solved from that analysis instead of from scratch, with the very
equations ``analyze`` solves, so the drops stay exact differences of ``analyze`` (to the iterations'
tolerance, 1e-12):

- power and the forecast are each the unique fixed point of their equations, so their iterations may
  start from today's solution and recompute first only what a departure touches (those who swayed a
  leaving stakeholder; those whose relationships or influencers changed); a person with no lines
  costs nothing but the sums;
- nothing is copied: the map without someone is today's adjacency with one entry filtered out;
- reach: who *must* be on every introduction path to a stakeholder is the dominator tree of the
  graph "us -> our members -> the stakeholders they know -> stakeholders tied to them" (one pass,
  :func:`networkx.immediate_dominators`); a departure loses exactly the people it dominates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TypedDict

import networkx as nx

from powermap.analysis.coverage import COVERED_FROM, coverage, covered
from powermap.analysis.forecast import (
    InfluencePlan,
    decision_makers,
    influence_plan,
    own_lean,
    own_leans,
    propagate,
    support_index,
)
from powermap.analysis.power import REACH_SHARE, standing
from powermap.analysis.power import power as compute_power
from powermap.errors import NotConvergedError
from powermap.graph import strongest_competitor, ties

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
    flow = _introductions(graph, tie_graph if tie_graph is not None else ties(graph))
    return {node for kind, node in nx.descendants(flow, _US) if kind == _STAKEHOLDER}


_US = ("us", "")
_MEMBER, _STAKEHOLDER = "member", "stakeholder"
_Node = tuple[str, str]


def _introductions(graph: nx.DiGraph[str], tie_graph: nx.Graph[str]) -> nx.DiGraph[_Node]:
    """Who can introduce whom: us -> each member -> the stakeholders they know (above 0) <-> their ties."""
    flow: nx.DiGraph[_Node] = nx.DiGraph()
    flow.add_node(_US)
    for member in graph.graph.get("members", {}):
        flow.add_edge(_US, (_MEMBER, member))
    for stakeholder in graph:
        for member, strength in graph.nodes[stakeholder]["ours"].items():
            if strength > 0.0:
                flow.add_edge(_US, (_MEMBER, member))  # a relationship names a member of the map
                flow.add_edge((_MEMBER, member), (_STAKEHOLDER, stakeholder))
    for u, v in tie_graph.edges:  # ties() keeps only ties above 0
        flow.add_edge((_STAKEHOLDER, u), (_STAKEHOLDER, v))
        flow.add_edge((_STAKEHOLDER, v), (_STAKEHOLDER, u))
    return flow


def _lost_reach(graph: nx.DiGraph[str], powers: Mapping[str, float]) -> tuple[set[str], dict[_Node, float]]:
    """Today's reach, and for each member and stakeholder the power of the stakeholders only they lead to.

    A stakeholder is lost with someone exactly when every introduction path to them passes through that
    someone: when that someone dominates them in the introductions graph. The leaving stakeholder's own
    power is not counted.
    """
    flow = _introductions(graph, ties(graph))
    dominator = nx.immediate_dominators(flow, _US)
    children: dict[_Node, list[_Node]] = {}
    for node, parent in dominator.items():
        if node != parent:
            children.setdefault(parent, []).append(node)
    below: dict[_Node, float] = {}  # power of the stakeholders each node dominates, itself included
    order = [_US]
    for node in order:  # breadth first, then sum bottom up
        order.extend(children.get(node, ()))
    for node in reversed(order):
        own = powers[node[1]] if node[0] == _STAKEHOLDER else 0.0
        below[node] = own + sum(below[child] for child in children.get(node, ()))
    lost = {node: below[node] - (powers[node[1]] if node[0] == _STAKEHOLDER else 0.0) for node in order}
    return {node for kind, node in order if kind == _STAKEHOLDER}, lost


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
    today = _Today(graph, powers)
    base_reach, lost = _lost_reach(graph, today.powers)
    total = sum(today.powers.values())
    reach_share = sum(today.powers[s] for s in base_reach) / total if total else 0.0

    def share(node: _Node) -> float:
        return lost.get(node, 0.0) / total if total else 0.0

    members: list[Drop] = []
    for member in sorted(graph.graph.get("members", {})):
        coverage_after, support_after = today.without_member(member)
        members.append(
            {
                "id": member,
                "coverage_drop": today.coverage - coverage_after,
                "support_drop": today.support - support_after,
                "reach_drop": share((_MEMBER, member)),
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
                "reach_drop": share((_STAKEHOLDER, stakeholder)),
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
    sum them on the map without them.
    """

    def __init__(self, graph: nx.DiGraph[str], powers: Mapping[str, float] | None) -> None:
        self.graph = graph
        self.standing = {s: standing(a["influence"], a["decision_role"]) for s, a in graph.nodes(data=True)}
        succ = graph.succ
        self.sways = {
            node: [(target, weight) for target, data in succ[node].items() if (weight := data.get("weight", 0.0))]
            for node in graph
        }
        self.swayers: dict[str, list[str]] = {}
        for node, lines in self.sways.items():
            for target, _ in lines:
                self.swayers.setdefault(target, []).append(node)
        self.powers = dict(powers) if powers is not None else compute_power(graph)
        self.own = own_leans(graph)
        self.plan = influence_plan(graph, self.powers)
        self.leans = propagate(graph, self.own, self.powers, plan=self.plan)
        self.makers = decision_makers(graph)
        self.covered = covered(graph)
        self.coverage = coverage(graph, self.powers)
        self.support = support_index(graph, self.leans, self.powers, self.makers or list(graph))

    def _swayed_by(self, nodes: set[str]) -> set[str]:
        return {swayed for node in nodes for swayed, _ in self.plan.sways.get(node, ())}

    def _coverage(self, powers: Mapping[str, float], covered_now: set[str], gone: str | None) -> float:
        total = sum(powers[s] for s in self.graph if s != gone)
        if total <= 0.0:
            return 0.0
        return sum(powers[s] for s in covered_now if s != gone) / total

    def without_member(self, member: str) -> tuple[float, float]:
        """Coverage and support index once a member leaves with their relationships (power is unchanged)."""
        graph, own = self.graph, dict(self.own)
        changed: set[str] = set()
        covered_now = set(self.covered)
        for s in graph:
            ours = graph.nodes[s]["ours"]
            if member in ours:
                left = max((v for m, v in ours.items() if m != member), default=0.0)
                own[s] = own_lean(graph.nodes[s]["stance"], left, strongest_competitor(graph, s)[1])
                if own[s] != self.own[s]:
                    changed.add(s)
                if left < COVERED_FROM:
                    covered_now.discard(s)
        # Their own lean is final if nobody sways them; else they and those they sway are recomputed.
        unswayed = {s for s in changed if s not in self.plan.blend}
        leans = {**self.leans, **{s: own[s] for s in unswayed}}
        stale = (changed - unswayed) | self._swayed_by(unswayed)
        _settle_leans(self.plan, own, leans, stale)
        basis = self.makers or list(graph)
        return self._coverage(self.powers, covered_now, None), support_index(graph, leans, self.powers, basis)

    def without_stakeholder(self, gone: str) -> tuple[float, float]:
        """Coverage and support index once a stakeholder leaves with every line that touches them."""
        graph = self.graph
        powers = dict(self.powers)
        powers[gone] = 0.0
        _settle_power(self.standing, self.sways, self.swayers, powers, gone)
        moved = {s for s, v in powers.items() if v != self.powers[s]}
        # Whose blend of views changes: those whom the leaving person or anyone whose power moved swayed.
        blend = dict(self.plan.blend)
        leans = dict(self.leans)
        reblend = self._swayed_by(moved) - {gone}
        pred = graph.pred
        for node in reblend:
            sources = [
                (source, weight * powers[source])
                for source, data in pred[node].items()
                if source != gone and (weight := data.get("weight", 0.0))
            ]
            total = sum(w for _, w in sources)
            if total > 0.0:
                blend[node] = (1.0 / (1.0 + total), [(source, w / (1.0 + total)) for source, w in sources])
            else:  # nobody sways them any more: their own lean is final
                del blend[node]
                leans[node] = self.own[node]
        blend.pop(gone, None)
        stale = reblend | self._swayed_by({n for n in reblend if n not in blend})
        _settle_leans(InfluencePlan(blend, self.plan.sways), self.own, leans, stale - {gone})
        basis = [s for s in self.makers if s != gone] or [s for s in graph if s != gone]
        return self._coverage(powers, self.covered, gone), support_index(graph, leans, powers, basis)


def _settle_power(
    base: Mapping[str, float],
    sways: Mapping[str, list[tuple[str, float]]],
    swayers: Mapping[str, list[str]],
    current: dict[str, float],
    gone: str,
    *,
    tolerance: float = 1e-12,
    max_iterations: int = 10_000,
) -> None:
    """:func:`~powermap.analysis.power.power`'s Jacobi sweeps, from ``current`` (updated in place), with
    ``gone`` held at 0 and only those whose targets moved recomputed (first: those who swayed ``gone``)."""
    dirty = [node for node in swayers.get(gone, ()) if node != gone]
    change = float("inf")
    prod, share = math.prod, REACH_SHARE
    for _ in range(max_iterations):
        updated = []
        for node in dirty:
            own = base[node]
            miss = prod([1.0 - weight * current[target] for target, weight in sways[node]])
            updated.append((node, own + (1.0 - own) * share * (1.0 - miss)))
        change = 0.0
        moved: set[str] = set()
        for node, value in updated:
            delta = abs(value - current[node])
            if delta:
                change = max(change, delta)
                current[node] = value
                moved.update(swayers.get(node, ()))
        if change <= tolerance:
            return
        moved.discard(gone)
        dirty = list(moved)  # Jacobi: a sweep reads only the previous sweep's values, so order is free
    raise NotConvergedError("power", max_iterations, change, tolerance)


def _settle_leans(
    plan: InfluencePlan,
    own: Mapping[str, float],
    leans: dict[str, float],
    stale: set[str],
    *,
    tolerance: float = 1e-12,
    max_iterations: int = 100_000,
) -> None:
    """:func:`~powermap.analysis.forecast.propagate`'s Gauss-Seidel sweeps from ``leans`` (updated in
    place), recomputing only ``stale`` nodes and those whose influencers moved since."""
    change = float("inf")
    for _ in range(max_iterations):
        change = 0.0
        for node, (keep, sources) in plan.blend.items():
            if node not in stale:
                continue
            stale.discard(node)
            value = keep * own[node] + sum([w * leans[source] for source, w in sources])
            delta = abs(value - leans[node])
            if delta:
                change = max(change, delta)
                leans[node] = value
                stale.update(swayed for swayed, _ in plan.sways.get(node, ()))
        if change <= tolerance:
            return
    raise NotConvergedError("the decision forecast", max_iterations, change, tolerance)
