"""Fading relationships on small hand-built maps: which count, the day they start to fade, and their order."""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx

from powermap.analysis.fading import FADING_AFTER_DAYS, fading_relationships
from powermap.graph import build_graph
from powermap.model import parse_account_map

TODAY = dt.date(2026, 11, 27)


def days_ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def account(relationships: list[dict[str, Any]]) -> nx.DiGraph[str]:
    """Li and Wu on our side; three stakeholders; the relationships given (member, stakeholder, strength, date)."""
    return build_graph(
        parse_account_map(
            {
                "account": {"id": "a", "name": "A"},
                "team": [{"id": "li", "name": "Li", "role": "AR"}, {"id": "wu", "name": "Wu", "role": "SR"}],
                "stakeholders": [
                    {"id": s, "name": s.upper(), "level": "senior", "influence": 0.5} for s in ("cfo", "cio", "cto")
                ],
                "relationships": relationships,
            }
        )
    )


def rel(member: str, stakeholder: str, strength: float, last: str | None) -> dict[str, Any]:
    return {"member": member, "stakeholder": stakeholder, "strength": strength, "last_contact": last}


def test_a_relationship_fades_only_after_more_than_90_days_by_default() -> None:
    assert FADING_AFTER_DAYS == 90
    graph = account([rel("li", "cfo", 0.6, days_ago(90)), rel("li", "cto", 0.6, days_ago(91))])
    assert fading_relationships(graph, TODAY) == [
        {"member": "li", "stakeholder": "cto", "strength": 0.6, "last_contact": days_ago(91), "days": 91}
    ]


def test_the_threshold_is_the_number_of_days_given() -> None:
    graph = account([rel("li", "cfo", 0.6, days_ago(10)), rel("wu", "cfo", 0.4, days_ago(11))])
    assert [(f["member"], f["days"]) for f in fading_relationships(graph, TODAY, after_days=10)] == [("wu", 11)]
    assert fading_relationships(graph, TODAY, after_days=11) == []
    assert [(f["member"], f["days"]) for f in fading_relationships(graph, TODAY, after_days=9)] == [
        ("wu", 11),
        ("li", 10),
    ]


def test_a_relationship_without_a_recorded_contact_or_of_strength_zero_is_not_called_fading() -> None:
    graph = account([rel("li", "cfo", 0.6, None), rel("wu", "cfo", 0.0, days_ago(400)), rel("li", "cio", 0.1, None)])
    assert fading_relationships(graph, TODAY) == []


def test_the_days_are_counted_from_the_last_contact_to_the_day_asked_about() -> None:
    graph = account([rel("li", "cfo", 0.7, "2026-01-31")])
    # From 31 January to 1 May 2026: 28 + 31 + 30 + 1 = 90 days, not more than 90; a day later, 91.
    assert fading_relationships(graph, dt.date(2026, 5, 1)) == []
    assert fading_relationships(graph, dt.date(2026, 5, 2)) == [
        {"member": "li", "stakeholder": "cfo", "strength": 0.7, "last_contact": "2026-01-31", "days": 91}
    ]
    assert fading_relationships(graph, dt.date(2026, 1, 31)) == []  # a contact today


def test_the_longest_untouched_come_first_then_by_stakeholder_then_by_member() -> None:
    graph = account(
        [
            rel("wu", "cto", 0.3, days_ago(100)),
            rel("li", "cto", 0.9, days_ago(100)),
            rel("wu", "cfo", 0.2, days_ago(100)),
            rel("li", "cio", 0.5, days_ago(200)),
            rel("wu", "cio", 0.5, days_ago(95)),
        ]
    )
    assert [(f["member"], f["stakeholder"], f["days"]) for f in fading_relationships(graph, TODAY)] == [
        ("li", "cio", 200),
        ("wu", "cfo", 100),
        ("li", "cto", 100),
        ("wu", "cto", 100),
        ("wu", "cio", 95),
    ]
