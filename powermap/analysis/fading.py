"""Fading relationships: ours that nobody has touched for too long (by ``last_contact``).

A relationship is *fading* when its last contact lies more than ``after_days`` days (default
:data:`FADING_AFTER_DAYS`, 90; ``POWERMAP_FADING_AFTER_DAYS``) before ``today``. A relationship with no
recorded contact is not called fading: we do not know, and the map says so by leaving the date empty.
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

import networkx as nx

FADING_AFTER_DAYS = 90


class Fading(TypedDict):
    member: str
    stakeholder: str
    strength: float
    last_contact: str
    days: int


def fading_relationships(
    graph: nx.DiGraph[str], today: dt.date, *, after_days: int = FADING_AFTER_DAYS
) -> list[Fading]:
    """Our relationships untouched for more than ``after_days`` days, longest untouched first.

    >>> g = nx.DiGraph()
    >>> g.add_node("cfo", ours={"li": 0.6, "wu": 0.3}, last_contact={"li": dt.date(2026, 7, 1), "wu": None})
    >>> g.add_node("cto", ours={"li": 0.8}, last_contact={"li": dt.date(2026, 10, 1)})
    >>> fading_relationships(g, dt.date(2026, 11, 27))
    [{'member': 'li', 'stakeholder': 'cfo', 'strength': 0.6, 'last_contact': '2026-07-01', 'days': 149}]
    """
    found: list[Fading] = []
    for stakeholder in graph:
        contacts: dict[str, dt.date | None] = graph.nodes[stakeholder].get("last_contact", {})
        for member, strength in graph.nodes[stakeholder]["ours"].items():
            last = contacts.get(member)
            if last is not None and strength > 0.0 and (today - last).days > after_days:
                found.append(
                    {
                        "member": member,
                        "stakeholder": stakeholder,
                        "strength": strength,
                        "last_contact": last.isoformat(),
                        "days": (today - last).days,
                    }
                )
    found.sort(key=lambda f: (-f["days"], f["stakeholder"], f["member"]))
    return found
