<<<<<<< HEAD
"""Fading relationships: ours that nobody has touched for too long.

A relationship is *fading* when its ``last_contact`` lies more than ``days`` days (90 by default,
``POWERMAP_FADING_DAYS``) before ``today``. A relationship with no recorded contact is *undated*, not
fading: nothing says when it was last touched (``powermap log`` always dates the relationships an
activity touches). Fading relationships are listed oldest contact first, and the recommendations treat
them as worth refreshing.
=======
"""Fading relationships: ours that nobody has touched for too long (by ``last_contact``).

A relationship is *fading* when its last contact lies more than ``after_days`` days (default
:data:`FADING_AFTER_DAYS`, 90; ``POWERMAP_FADING_AFTER_DAYS``) before ``today``. A relationship with no
recorded contact is not called fading: we do not know, and the map says so by leaving the date empty.
>>>>>>> main
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

import networkx as nx

<<<<<<< HEAD
#: Days without contact after which a relationship is fading, unless configured otherwise.
DEFAULT_FADING_DAYS = 90


class FadingRelationship(TypedDict):
=======
FADING_AFTER_DAYS = 90


class Fading(TypedDict):
>>>>>>> main
    member: str
    stakeholder: str
    strength: float
    last_contact: str
<<<<<<< HEAD
    days_since_contact: int


def fading_relationships(
    graph: nx.DiGraph[str], today: dt.date, *, days: int = DEFAULT_FADING_DAYS
) -> list[FadingRelationship]:
    """Our relationships last touched more than ``days`` days before ``today``, oldest contact first.

    >>> g = nx.DiGraph()
    >>> g.add_node("cfo", ours={"li": 0.6, "wu": 0.3}, contacts={"li": dt.date(2026, 1, 5), "wu": None})
    >>> g.add_node("cto", ours={"li": 0.8}, contacts={"li": dt.date(2026, 9, 1)})
    >>> fading_relationships(g, dt.date(2026, 11, 1))
    [{'member': 'li', 'stakeholder': 'cfo', 'strength': 0.6, 'last_contact': '2026-01-05', 'days_since_contact': 300}]
    >>> [f["stakeholder"] for f in fading_relationships(g, dt.date(2026, 11, 1), days=30)]
    ['cfo', 'cto']
    """
    found: list[FadingRelationship] = []
    for stakeholder, attrs in graph.nodes(data=True):
        contacts: dict[str, dt.date | None] = attrs.get("contacts", {})
        for member, last in contacts.items():
            if last is None:
                continue
            age = (today - last).days
            if age > days:
                found.append(
                    FadingRelationship(
                        member=member,
                        stakeholder=stakeholder,
                        strength=attrs["ours"][member],
                        last_contact=last.isoformat(),
                        days_since_contact=age,
                    )
                )
    found.sort(key=lambda f: (-f["days_since_contact"], f["stakeholder"], f["member"]))
=======
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
>>>>>>> main
    return found
