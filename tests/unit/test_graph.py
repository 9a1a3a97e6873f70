"""The graph every analysis reads, built from a small map and checked attribute by attribute by hand."""

from __future__ import annotations

import datetime as dt

import networkx as nx

from powermap.graph import build_graph, competitor_strengths, our_strength, strongest_competitor, tie_strength, ties
from powermap.model import DecisionRole, Level, Stance, parse_account_map

DOCUMENT = {
    "account": {"id": "acc", "name": "Acc"},
    "competitors": [{"id": "rival", "name": "Rival Corp"}, {"id": "local", "name": "Local Ltd"}],
    "team": [
        {"id": "li", "name": "Li", "role": "AR", "title": "Account director", "level": "middle"},
        {"id": "wu", "name": "Wu", "role": "SR", "level": "senior"},
    ],
    "stakeholders": [
        {
            "id": "ceo",
            "name": "Chen",
            "title": "CEO",
            "department": "Board",
            "level": "executive",
            "decision_role": "decision_maker",
            "influence": 0.9,
            "stance": "skeptic",
        },
        {"id": "cto", "name": "Tao", "level": "senior", "influence": 0.6},
    ],
    "reports_to": [{"from": "cto", "to": "ceo"}],
    "influences": [{"from": "cto", "to": "ceo", "weight": 0.7}, {"from": "ceo", "to": "cto", "weight": 0.2}],
    "relationships": [
        {"member": "li", "stakeholder": "cto", "strength": 0.8, "last_contact": "2026-10-01"},
        {"member": "wu", "stakeholder": "cto", "strength": 0.3},
    ],
    "competitor_relationships": [
        {"competitor": "rival", "stakeholder": "ceo", "strength": 0.6},
        {"competitor": "local", "stakeholder": "ceo", "strength": 0.6},
        {"competitor": "local", "stakeholder": "cto", "strength": 0.2},
    ],
    "voices": [{"id": "v1", "stakeholder": "ceo", "date": "2026-09-01", "text": "Too slow"}],
}


def graph() -> nx.DiGraph[str]:
    return build_graph(parse_account_map(DOCUMENT))


def test_the_graph_names_its_account_our_team_the_competitors_and_carries_the_voices() -> None:
    built = graph()
    assert built.graph["account"] == "acc"
    assert built.graph["members"] == {
        "li": {"name": "Li", "role": "AR", "level": "middle", "title": "Account director"},
        "wu": {"name": "Wu", "role": "SR", "level": "senior", "title": ""},
    }
    assert built.graph["competitors"] == {"rival": {"name": "Rival Corp"}, "local": {"name": "Local Ltd"}}
    assert [v.id for v in built.graph["voices"]] == ["v1"]


def test_each_stakeholder_is_a_node_with_what_the_analyses_read() -> None:
    built = graph()
    assert sorted(built) == ["ceo", "cto"]  # our team and the competitors are no nodes
    assert built.nodes["ceo"] == {
        "name": "Chen",
        "title": "CEO",
        "department": "Board",
        "level": Level.EXECUTIVE,
        "decision_role": DecisionRole.DECISION_MAKER,
        "influence": 0.9,
        "stance": Stance.SKEPTIC,
        "ours": {},
        "theirs": {"rival": 0.6, "local": 0.6},
        "last_contact": {},
    }
    assert built.nodes["cto"] == {
        "name": "Tao",
        "title": "",
        "department": "",
        "level": Level.SENIOR,
        "decision_role": DecisionRole.NONE,
        "influence": 0.6,
        "stance": Stance.NEUTRAL,
        "ours": {"li": 0.8, "wu": 0.3},
        "theirs": {"local": 0.2},
        "last_contact": {"li": dt.date(2026, 10, 1), "wu": None},
    }


def test_lines_are_edges_a_reporting_line_and_an_influence_one_way_share_one_edge() -> None:
    built = graph()
    assert dict(built.edges) == {
        ("cto", "ceo"): {"reports": True, "weight": 0.7},
        ("ceo", "cto"): {"weight": 0.2},
    }


def test_tie_strength_is_the_strongest_line_either_way_and_half_for_a_reporting_line() -> None:
    only_reports: nx.DiGraph[str] = nx.DiGraph()
    only_reports.add_edge("aide", "boss", reports=True)
    only_reports.add_edge("x", "y", weight=0.3)
    assert tie_strength(only_reports, "aide", "boss") == 0.5
    assert tie_strength(only_reports, "boss", "aide") == 0.5
    assert tie_strength(only_reports, "y", "x") == 0.3
    assert tie_strength(only_reports, "aide", "x") == 0.0
    assert tie_strength(graph(), "ceo", "cto") == 0.7  # 0.7 beats both 0.5 and 0.2
    assert sorted(ties(graph()).edges(data="strength")) == [("ceo", "cto", 0.7)]


def test_our_strength_and_the_competitors_on_a_stakeholder() -> None:
    built = graph()
    assert our_strength(built, "cto") == 0.8
    assert our_strength(built, "ceo") == 0.0  # none of us holds the CEO
    assert competitor_strengths(built, "ceo") == {"rival": 0.6, "local": 0.6}
    assert competitor_strengths(built, "cto") == {"local": 0.2}
    assert strongest_competitor(built, "ceo") == ("local", 0.6)  # a tie goes to the smaller id
    assert strongest_competitor(built, "cto") == ("local", 0.2)
    built.nodes["cto"]["theirs"].clear()
    assert strongest_competitor(built, "cto") == (None, 0.0)


def test_the_competitor_strengths_are_a_copy_the_caller_may_change() -> None:
    built = graph()
    strengths = competitor_strengths(built, "ceo")
    strengths["rival"] = 0.0
    assert built.nodes["ceo"]["theirs"] == {"rival": 0.6, "local": 0.6}
