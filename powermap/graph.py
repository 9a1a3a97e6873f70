"""From an account map to the NetworkX graph every analysis reads.

One directed graph per account. Its nodes are the stakeholders, keyed by id, carrying what the
analyses need (level, decision role, influence, stance, our and competitors' strengths). Its edges
are the customer's own lines: an edge ``u -> v`` carries ``weight`` when u influences v and
``reports=True`` when u reports to v. Our team and the competitors are not nodes: they only ever
*touch* stakeholders, so each stakeholder holds ``ours`` (member id -> strength, with ``last_contact``:
member id -> date or None) and ``theirs``
(competitor id -> strength). That keeps ids of different kinds from colliding and guarantees no
path can run through a team member or a competitor.
"""

from __future__ import annotations

import networkx as nx

from powermap.model import AccountMap

#: Tie strength a reporting line gives two stakeholders, by the contract.
REPORTING_TIE = 0.5


def build_graph(account_map: AccountMap) -> nx.DiGraph[str]:
    """The account's stakeholder graph.

    >>> from powermap.model import parse_account_map
    >>> m = parse_account_map({"account": {"id": "a", "name": "A"},
    ...   "team": [{"id": "li", "name": "Li", "role": "AR"}],
    ...   "stakeholders": [{"id": "cto", "name": "T", "level": "senior", "influence": 0.6},
    ...                    {"id": "ceo", "name": "C", "level": "executive", "influence": 0.9}],
    ...   "reports_to": [{"from": "cto", "to": "ceo"}],
    ...   "influences": [{"from": "cto", "to": "ceo", "weight": 0.7}],
    ...   "relationships": [{"member": "li", "stakeholder": "cto", "strength": 0.8}]})
    >>> g = build_graph(m)
    >>> g.edges["cto", "ceo"]
    {'reports': True, 'weight': 0.7}
    >>> g.nodes["cto"]["ours"]
    {'li': 0.8}
    """
    graph: nx.DiGraph[str] = nx.DiGraph(
        account=account_map.account.id,
        members={m.id: {"name": m.name, "role": m.role, "level": m.level, "title": m.title} for m in account_map.team},
        competitors={c.id: {"name": c.name} for c in account_map.competitors},
        voices=account_map.voices,  # the customer's voices, for the analyses that close the loop
    )
    for s in account_map.stakeholders:
        graph.add_node(
            s.id,
            name=s.name,
            title=s.title,
            department=s.department,
            level=s.level,
            decision_role=s.decision_role,
            influence=s.influence,
            stance=s.stance,
            ours={},
            theirs={},
            last_contact={},
        )
    for line in account_map.reports_to:
        graph.add_edge(line.source, line.target, reports=True)
    for influence in account_map.influences:
        graph.add_edge(influence.source, influence.target, weight=influence.weight)
    for rel in account_map.relationships:
        _keep_max(graph.nodes[rel.target]["ours"], rel.source, rel.strength)
        graph.nodes[rel.target]["last_contact"][rel.source] = rel.last_contact  # member -> date or None
    for crel in account_map.competitor_relationships:
        _keep_max(graph.nodes[crel.target]["theirs"], crel.source, crel.strength)
    return graph


def _keep_max(strengths: dict[str, float], key: str, value: float) -> None:
    strengths[key] = max(strengths.get(key, 0.0), value)


def tie_strength(graph: nx.DiGraph[str], u: str, v: str) -> float:
    """The contract's tie strength of two stakeholders (0 when they are not tied).

    The largest influence weight between them in either direction and, where one reports to the
    other, 0.5.

    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", weight=0.3); g.add_edge("b", "a", reports=True)
    >>> tie_strength(g, "a", "b"), tie_strength(g, "b", "a")
    (0.5, 0.5)
    """
    best = 0.0
    for attrs in (graph.get_edge_data(u, v), graph.get_edge_data(v, u)):
        if attrs:
            best = max(best, attrs.get("weight", 0.0), REPORTING_TIE if attrs.get("reports") else 0.0)
    return best


def ties(graph: nx.DiGraph[str]) -> nx.Graph[str]:
    """Undirected graph of stakeholder ties with a ``strength`` attribute; ties of strength 0 are left out.

    >>> g = nx.DiGraph(); g.add_nodes_from("abc")
    >>> g.add_edge("a", "b", weight=0.3); g.add_edge("b", "a", weight=0.6); g.add_edge("c", "b", weight=0.0)
    >>> sorted(ties(g).edges(data="strength"))
    [('a', 'b', 0.6)]
    """
    undirected: nx.Graph[str] = nx.Graph()
    undirected.add_nodes_from(graph.nodes)
    for u, v in graph.edges:
        strength = tie_strength(graph, u, v)
        if strength > 0.0:
            undirected.add_edge(u, v, strength=strength)
    return undirected


def our_strength(graph: nx.DiGraph[str], stakeholder: str) -> float:
    """Largest strength of our team's relationships with a stakeholder (0 when none)."""
    ours: dict[str, float] = graph.nodes[stakeholder]["ours"]
    return max(ours.values(), default=0.0)


def competitor_strengths(graph: nx.DiGraph[str], stakeholder: str) -> dict[str, float]:
    """Each competitor's strength on a stakeholder (competitors with no relationship are left out)."""
    theirs: dict[str, float] = graph.nodes[stakeholder]["theirs"]
    return dict(theirs)


def strongest_competitor(graph: nx.DiGraph[str], stakeholder: str) -> tuple[str | None, float]:
    """The competitor strongest on a stakeholder and its strength; ties go to the smaller id."""
    theirs = competitor_strengths(graph, stakeholder)
    if not theirs:
        return None, 0.0
    competitor = min(theirs, key=lambda c: (-theirs[c], c))
    return competitor, theirs[competitor]
