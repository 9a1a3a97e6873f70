"""Who our introductions reach, and whom each departure would cut off.

A stakeholder is *reached* when some introduction path of ours reaches them with a strength above 0, as
:func:`~powermap.analysis.paths.introduction_paths` finds paths: one relationship of ours, then
stakeholder ties, the strength their product, multiplied in that order, in floating point. Every line
of such a path is above 0, but that is not enough: a product of lines each above 0 can still come out
as 0 (a tie of 1e-200 twice, or over 600 ties of 0.3 in a row, underflow), and ``paths`` then finds no
path; so reach is decided by the product, not by the lines.

The strongest strength to every stakeholder is one max-product Dijkstra from us (float multiplication
is monotone, and no line exceeds 1, so the label each node settles with is the largest product of any
path to it, as multiplied left to right). A departure can only cut off people whose strongest path
runs through the one leaving, that is their subtree of the Dijkstra tree; those alone are solved again,
from the entries into that subtree that stay, and the rest keep their strength. Which of several
equally strong paths the tree keeps does not matter: any one gives the same answer.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping

import networkx as nx

from powermap.graph import ties

#: A node of the introductions graph: (kind, id), kind one of "us", "member", "stakeholder".
Node = tuple[str, str]
US: Node = ("us", "")
MEMBER, STAKEHOLDER = "member", "stakeholder"
#: node -> the lines out of it (the node they lead to, the line's strength)
Lines = dict[Node, list[tuple[Node, float]]]


def introductions(graph: nx.DiGraph[str], tie_graph: nx.Graph[str] | None = None) -> Lines:
    """Who can introduce whom: us -> each member (1.0) -> the stakeholders they know (above 0) <-> their ties.

    Ties are symmetric, so the lines out of a stakeholder are also the ties into them; a stakeholder's
    other lines in come from members only.
    """
    if tie_graph is None:
        tie_graph = ties(graph)  # ties of strength 0 are left out
    lines: Lines = {US: []}
    for member in graph.graph.get("members", {}):
        lines[(MEMBER, member)] = []
    for stakeholder in graph:
        lines[(STAKEHOLDER, stakeholder)] = []
    for stakeholder in graph:
        for member, strength in graph.nodes[stakeholder]["ours"].items():
            if strength > 0.0:
                lines.setdefault((MEMBER, member), []).append(((STAKEHOLDER, stakeholder), strength))
    lines[US] = [(node, 1.0) for node in lines if node[0] == MEMBER]
    for u, v, strength in tie_graph.edges(data="strength"):
        lines[(STAKEHOLDER, u)].append(((STAKEHOLDER, v), strength))
        lines[(STAKEHOLDER, v)].append(((STAKEHOLDER, u), strength))
    return lines


def strongest(
    lines: Lines, seeds: Iterable[tuple[Node, float]], within: set[Node] | None = None
) -> tuple[dict[Node, float], dict[Node, Node]]:
    """The largest product of line strengths from the seeds to every node it is above 0 for, and each
    node's predecessor on such a path (seeds have none); with ``within``, only through those nodes."""
    best: dict[Node, float] = {}
    parent: dict[Node, Node] = {}
    heap: list[tuple[float, Node]] = []
    for node, strength in seeds:
        if strength > best.get(node, 0.0):
            best[node] = strength
            heapq.heappush(heap, (-strength, node))
    settled: set[Node] = set()
    while heap:
        negative, node = heapq.heappop(heap)
        if node in settled:
            continue
        settled.add(node)
        for neighbour, weight in lines[node]:
            if neighbour in settled or (within is not None and neighbour not in within):
                continue
            strength = -negative * weight  # multiplied in the order introduction_paths multiplies
            if strength > best.get(neighbour, 0.0):  # a product that underflowed to 0 introduces nobody
                best[neighbour] = strength
                parent[neighbour] = node
                heapq.heappush(heap, (-strength, neighbour))
    return best, parent


def reached_and_cut_off(lines: Lines) -> tuple[set[str], dict[Node, set[str]]]:
    """The stakeholders we reach today, and for each node the stakeholders reached today that nobody
    would reach without it (the node itself not included)."""
    best, parent = strongest(lines, [(US, 1.0)])
    children: dict[Node, list[Node]] = {}
    for node, up in parent.items():
        children.setdefault(up, []).append(node)
    into: dict[Node, list[tuple[Node, float]]] = {}
    for node, out in lines.items():
        for neighbour, weight in out:
            into.setdefault(neighbour, []).append((node, weight))
    cut_off: dict[Node, set[str]] = {}
    for gone in best:
        if gone == US:
            continue
        below = _subtree(children, gone)
        if len(below) == 1:  # nobody's strongest path runs through them
            continue
        rest = below - {gone}
        seeds = [
            (node, best[source] * weight)
            for node in rest
            for source, weight in into.get(node, ())
            if source not in below and source in best
        ]
        again, _ = strongest(lines, seeds, within=rest)
        lost = {node[1] for node in rest if node[0] == STAKEHOLDER and node not in again}
        if lost:
            cut_off[gone] = lost
    return {node[1] for node in best if node[0] == STAKEHOLDER}, cut_off


def _subtree(children: Mapping[Node, list[Node]], root: Node) -> set[Node]:
    found = {root}
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            found.add(child)
            stack.append(child)
    return found
