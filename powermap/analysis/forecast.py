"""Decision forecast: how the decision makers are expected to lean once influence has flowed.

1. Every stakeholder has an *own lean* toward us, in [-1, 1], from their stance and from the
   relationships around them: ``(stance + K * (ours - theirs)) / (1 + K)`` with ``K =`` :data:`RELATIONSHIP_PULL`,
   ``ours`` our strength on them and ``theirs`` the strongest competitor's.
2. Opinions then flow along influence lines (a Friedkin-Johnsen model). A stakeholder's final lean
   is a blend of their own lean and the weighted mean of the final leans of those who influence them,
   each influencer weighted by ``line weight * influencer's power``. The share given to others is
   ``S / (1 + S)`` where S is the total of those weights: someone swayed by several powerful people
   listens more than someone swayed by one junior.
3. The **support index** is the power-weighted mean final lean of the decision makers (of every
   stakeholder when the map names no decision maker), from -1 (lost) to +1 (won).

Why it is monotone, as the contract demands: own lean rises with stance and with our strength; final
leans are ``(I - A W)^-1 (I - A)`` times own leans, a matrix with no negative entry (a convergent
Neumann series of non-negative matrices); power does not depend on stances or relationships. So
improving any stance or relationship can never lower the index. The fixed point is found by
iterating the blend, which contracts because every share ``S / (1 + S)`` is below 1; an iteration
that exhausts its budget raises :class:`~powermap.errors.NotConvergedError` instead of answering.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

import networkx as nx

from powermap.analysis.power import power as compute_power
from powermap.errors import NotConvergedError
from powermap.graph import our_strength, strongest_competitor
from powermap.model import DecisionRole, Stance

RELATIONSHIP_PULL = 0.5
FAVOURABLE_FROM = 0.2


class DecisionMakerLean(TypedDict):
    stakeholder: str
    power: float
    own_lean: float
    lean: float


class Forecast(TypedDict):
    support_index: float
    outlook: str
    basis: str
    decision_makers: list[DecisionMakerLean]


def own_lean(stance: Stance, ours: float, theirs: float) -> float:
    """A stakeholder's lean toward us before anyone sways them, in [-1, 1].

    >>> own_lean(Stance.SUPPORTER, ours=0.8, theirs=0.2)
    0.5333333333333333
    """
    return (stance.score + RELATIONSHIP_PULL * (ours - theirs)) / (1.0 + RELATIONSHIP_PULL)


def own_leans(graph: nx.DiGraph[str]) -> dict[str, float]:
    """Own lean of every stakeholder, from the graph's stances and strengths."""
    return {
        s: own_lean(graph.nodes[s]["stance"], our_strength(graph, s), strongest_competitor(graph, s)[1]) for s in graph
    }


@dataclass(frozen=True)
class InfluencePlan:
    """How each swayed stakeholder blends views: the share they keep and each influencer's share.

    It depends only on influence lines and power, never on stances or relationships, so one plan
    serves every simulation of an account.
    """

    blend: dict[str, tuple[float, list[tuple[str, float]]]]
    #: The other way round: whom each influencer sways, with the share they have in that person's view.
    sways: dict[str, list[tuple[str, float]]]


def influence_plan(graph: nx.DiGraph[str], powers: Mapping[str, float]) -> InfluencePlan:
    blend: dict[str, tuple[float, list[tuple[str, float]]]] = {}
    pred = graph.pred
    for node in graph:
        sources = [
            (source, weight * powers[source])
            for source, data in pred[node].items()
            if (weight := data.get("weight", 0.0))
        ]
        total = sum(w for _, w in sources)
        if total > 0.0:
            blend[node] = (1.0 / (1.0 + total), [(source, w / (1.0 + total)) for source, w in sources])
    sways: dict[str, list[tuple[str, float]]] = {}
    for node, (_, sources) in blend.items():
        for source, w in sources:
            sways.setdefault(source, []).append((node, w))
    return InfluencePlan(blend, sways)


def propagate(
    graph: nx.DiGraph[str],
    own: Mapping[str, float],
    powers: Mapping[str, float],
    *,
    plan: InfluencePlan | None = None,
    tolerance: float = 1e-12,
    max_iterations: int = 100_000,
) -> dict[str, float]:
    """Final leans after influence has flowed (Friedkin-Johnsen fixed point), by Gauss-Seidel sweeps.

    >>> g = nx.DiGraph(); g.add_edge("cto", "ceo", weight=1.0)
    >>> leans = propagate(g, {"cto": 1.0, "ceo": 0.0}, {"cto": 1.0, "ceo": 1.0})
    >>> round(leans["ceo"], 6)
    0.5
    """
    plan = plan or influence_plan(graph, powers)
    leans = dict(own)  # nobody sways those outside the plan: their own lean is final
    # Gauss-Seidel sweeps over plain lists indexed by position (measured about 2x faster than dicts
    # keyed by id with dirty-node tracking on a 10k account, with the same floats and sweep count:
    # recomputing a node whose sources did not move gives back exactly the value it has).
    nodes = list(leans)
    position = {node: i for i, node in enumerate(nodes)}
    x = list(leans.values())
    rows = [
        (position[node], keep * own[node], [(position[s], w) for s, w in sources])
        for node, (keep, sources) in plan.blend.items()
    ]
    change = float("inf")
    for _ in range(max_iterations):
        change = 0.0
        for i, kept, sources in rows:
            value = kept + sum([w * x[s] for s, w in sources])
            delta = abs(value - x[i])
            if delta:
                change = max(change, delta)
                x[i] = value  # Gauss-Seidel: later nodes already see this value
        if change <= tolerance:
            return dict(zip(nodes, x, strict=True))
    raise NotConvergedError("the decision forecast", max_iterations, change, tolerance)


def sensitivities(
    graph: nx.DiGraph[str],
    powers: Mapping[str, float],
    *,
    plan: InfluencePlan | None = None,
    tolerance: float = 1e-13,
    max_iterations: int = 100_000,
) -> dict[str, float]:
    """How far the support index moves per unit of each stakeholder's own lean (never negative).

    Final leans solve ``x = K own + B x`` (K: the shares people keep, B: the shares they give their
    influencers) and the index is ``c . x`` (c: the decision makers' power shares), so the index is
    ``c (I - B)^-1 K own``: linear in own leans. Its gradient ``K y`` with ``y = c + B^T y`` is found
    once by the same kind of sweeps, and the effect of any simulated change is then exact and cheap.

    >>> g = nx.DiGraph()
    >>> g.add_node("ceo", decision_role=DecisionRole.DECISION_MAKER); g.add_node("cto", decision_role="user")
    >>> g.add_edge("cto", "ceo", weight=1.0)
    >>> {s: round(v, 4) for s, v in sensitivities(g, {"cto": 0.8, "ceo": 1.0}).items()}
    {'ceo': 0.5556, 'cto': 0.4444}
    """
    plan = plan or influence_plan(graph, powers)
    share = index_shares(graph, powers)
    y = {s: share.get(s, 0.0) for s in graph}
    change = float("inf")
    for _ in range(max_iterations):
        change = 0.0
        for source, swayed in plan.sways.items():
            value = share.get(source, 0.0) + sum(w * y[node] for node, w in swayed)
            change = max(change, abs(value - y[source]))
            y[source] = value
        if change <= tolerance:
            return {s: (plan.blend[s][0] if s in plan.blend else 1.0) * y[s] for s in graph}
    raise NotConvergedError("the forecast's sensitivities", max_iterations, change, tolerance)


def decision_makers(graph: nx.DiGraph[str]) -> list[str]:
    return [s for s in graph if graph.nodes[s]["decision_role"] == DecisionRole.DECISION_MAKER]


def index_shares(
    graph: nx.DiGraph[str], powers: Mapping[str, float], basis: Sequence[str] | None = None
) -> dict[str, float]:
    """Each stakeholder's weight in the support index: the decision makers' (everyone's when there is
    none) share of their total power; empty when that total is 0. ``basis``: those people, if known."""
    basis = basis if basis is not None else (decision_makers(graph) or list(graph))
    total = sum(powers[s] for s in basis)
    return {s: powers[s] / total for s in basis} if total > 0.0 else {}


def support_index(
    graph: nx.DiGraph[str],
    leans: Mapping[str, float],
    powers: Mapping[str, float],
    basis: Sequence[str] | None = None,
) -> float:
    """Power-weighted mean lean of the decision makers (of everyone when there is none), in [-1, 1]."""
    index = sum(share * leans[s] for s, share in index_shares(graph, powers, basis).items())
    return max(-1.0, min(1.0, index))


def outlook(index: float) -> str:
    """Plain words for a support index."""
    if index >= FAVOURABLE_FROM:
        return "favourable"
    if index <= -FAVOURABLE_FROM:
        return "unfavourable"
    return "undecided"


def decision_forecast(graph: nx.DiGraph[str], powers: Mapping[str, float] | None = None) -> Forecast:
    """The account's decision forecast.

    The champion CTO (power 0.8, own lean 1) sways the neutral CEO we have not reached (own lean 0)
    with weight 1, so the CEO keeps ``1 / 1.8`` of their own view and takes ``0.8 / 1.8`` of the CTO's:

    >>> g = nx.DiGraph()
    >>> g.add_node("ceo", influence=1.0, decision_role=DecisionRole.DECISION_MAKER,
    ...            stance=Stance.NEUTRAL, ours={}, theirs={})
    >>> g.add_node("cto", influence=0.6, decision_role=DecisionRole.TECHNICAL_EVALUATOR,
    ...            stance=Stance.CHAMPION, ours={"li": 1.0}, theirs={})
    >>> g.add_edge("cto", "ceo", weight=1.0)
    >>> f = decision_forecast(g)
    >>> round(f["support_index"], 4), f["outlook"], f["basis"]
    (0.4444, 'favourable', 'decision_makers')
    """
    powers = powers if powers is not None else compute_power(graph)
    own = own_leans(graph)
    leans = propagate(graph, own, powers)
    makers = decision_makers(graph)
    index = support_index(graph, leans, powers)
    return {
        "support_index": index,
        "outlook": outlook(index),
        "basis": "decision_makers" if makers else "all_stakeholders",
        "decision_makers": [
            {"stakeholder": s, "power": powers[s], "own_lean": own[s], "lean": leans[s]}
            for s in sorted(makers, key=lambda s: (-powers[s], s))
        ],
    }
