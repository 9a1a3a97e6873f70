"""The plain way to single-champion risk, as ``dependency`` did it before it scaled: one full analysis
of a copy of the graph per person. The oracle of the unit test on larger maps and the baseline of
``bench/bench_dependency.py``."""

from __future__ import annotations

import networkx as nx

from powermap.analysis.coverage import coverage
from powermap.analysis.dependency import reachable
from powermap.analysis.forecast import decision_forecast
from powermap.analysis.power import power


def naive_drops(graph: nx.DiGraph[str]) -> dict[tuple[str, str], tuple[float, float, float]]:
    """(kind, id) -> (coverage_drop, support_drop, reach_drop), each from an analysis of a copy without them."""
    powers = power(graph)
    total = sum(powers.values())
    base_coverage = coverage(graph, powers)
    base_support = decision_forecast(graph, powers)["support_index"]
    base_reach = reachable(graph)
    drops: dict[tuple[str, str], tuple[float, float, float]] = {}
    for member in graph.graph.get("members", {}):
        after = graph.copy()
        after.graph["members"] = {m: v for m, v in graph.graph["members"].items() if m != member}
        for s in after:
            after.nodes[s]["ours"] = {m: v for m, v in after.nodes[s]["ours"].items() if m != member}
        after_powers = power(after)
        lost = base_reach - reachable(after)
        drops[("member", member)] = (
            base_coverage - coverage(after, after_powers),
            base_support - decision_forecast(after, after_powers)["support_index"],
            sum(powers[s] for s in lost) / total if total else 0.0,
        )
    for stakeholder in list(graph):
        after = graph.copy()
        after.remove_node(stakeholder)
        after_powers = power(after)
        lost = base_reach - reachable(after) - {stakeholder}
        drops[("stakeholder", stakeholder)] = (
            base_coverage - coverage(after, after_powers),
            base_support - decision_forecast(after, after_powers)["support_index"],
            sum(powers[s] for s in lost) / total if total else 0.0,
        )
    return drops
