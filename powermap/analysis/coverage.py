"""Where we stand against the competition: strengths, competitor gaps and coverage (all fixed by the contract)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

import networkx as nx

from powermap.graph import our_strength, strongest_competitor

#: Our strength on a stakeholder from which they count as covered.
COVERED_FROM = 0.5


class Gap(TypedDict):
    stakeholder: str
    competitor: str
    ours: float
    theirs: float
    gap: float


def competitor_gaps(graph: nx.DiGraph[str]) -> list[Gap]:
    """Every stakeholder on whom the strongest competitor beats us, largest gap first.

    >>> g = nx.DiGraph()
    >>> g.add_node("cfo", ours={"li": 0.2}, theirs={"rival": 0.8, "local": 0.5})
    >>> g.add_node("cto", ours={"li": 0.9}, theirs={"rival": 0.4})
    >>> [(x["stakeholder"], x["competitor"], round(x["gap"], 2)) for x in competitor_gaps(g)]
    [('cfo', 'rival', 0.6)]
    """
    gaps: list[Gap] = []
    for stakeholder in graph:
        competitor, theirs = strongest_competitor(graph, stakeholder)
        ours = our_strength(graph, stakeholder)
        if competitor is not None and theirs - ours > 0.0:
            gaps.append(
                {
                    "stakeholder": stakeholder,
                    "competitor": competitor,
                    "ours": ours,
                    "theirs": theirs,
                    "gap": theirs - ours,
                }
            )
    gaps.sort(key=lambda gap: (-gap["gap"], gap["stakeholder"]))
    return gaps


def covered(graph: nx.DiGraph[str]) -> set[str]:
    """Stakeholders on whom our strength is at least :data:`COVERED_FROM`."""
    return {s for s in graph if our_strength(graph, s) >= COVERED_FROM}


def coverage(graph: nx.DiGraph[str], powers: Mapping[str, float]) -> float:
    """Share of the account's total power held by covered stakeholders (0 for an empty account).

    >>> g = nx.DiGraph()
    >>> g.add_node("a", ours={"li": 0.5}); g.add_node("b", ours={"li": 0.49}); g.add_node("c", ours={})
    >>> coverage(g, {"a": 0.5, "b": 0.25, "c": 0.25})
    0.5
    """
    total = sum(powers[s] for s in graph)
    if total <= 0.0:
        return 0.0
    return sum(powers[s] for s in covered(graph)) / total
