"""Who is who in an account, for output meant for people: names, titles, roles and hop strengths.

Analyses speak in ids (stable, what machines want); a person reads names. :class:`Directory` is the
lookup the edges use to put a name and title beside every id, mark decision makers and show the
strength of each hop of an introduction path. :meth:`PeopleService.resolve_stakeholder` lets a person
name a stakeholder by id or by an unambiguous name.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from itertools import pairwise

import networkx as nx

from powermap.errors import InvalidInputError, StakeholderNotFoundError, clip
from powermap.graph import build_graph, tie_strength
from powermap.model import AccountMap, DecisionRole
from powermap.service.core import ServiceCore

#: How many candidates an ambiguous name lists.
_CANDIDATES_SHOWN = 8


@dataclass(frozen=True)
class Person:
    """One person as output for people shows them."""

    id: str
    name: str
    title: str = ""
    role: str = ""  # decision role (stakeholders) or team role (members)

    @property
    def decides(self) -> bool:
        return self.role == DecisionRole.DECISION_MAKER.value


@dataclass(frozen=True)
class Directory:
    """The people of one account map, with the graph that gives hop strengths."""

    stakeholders: dict[str, Person]
    members: dict[str, Person]
    competitors: dict[str, str]
    graph: nx.DiGraph[str]

    @classmethod
    def of(cls, account_map: AccountMap) -> Directory:
        return cls(
            stakeholders={s.id: Person(s.id, s.name, s.title, s.decision_role.value) for s in account_map.stakeholders},
            members={m.id: Person(m.id, m.name, m.title, m.role.value) for m in account_map.team},
            competitors={c.id: c.name for c in account_map.competitors},
            graph=build_graph(account_map),
        )

    def stakeholder(self, stakeholder_id: str) -> Person:
        return self.stakeholders.get(stakeholder_id) or Person(stakeholder_id, stakeholder_id)

    def member(self, member_id: str) -> Person:
        return self.members.get(member_id) or Person(member_id, member_id)

    def hops(self, nodes: list[str]) -> list[float]:
        """The strength of each hop of an introduction path ``[member, stakeholder, ..., target]``.

        The first hop is our member's relationship with the first stakeholder; each later hop is the
        contract's tie strength of two stakeholders. Their product is the path's strength.
        """
        if len(nodes) < 2:
            return []
        first: float = self.graph.nodes[nodes[1]]["ours"].get(nodes[0], 0.0) if nodes[1] in self.graph else 0.0
        return [first, *(tie_strength(self.graph, u, v) for u, v in pairwise(nodes[1:]))]


def _folded(text: str) -> str:
    """A name as compared for matching: case, width and surrounding space ignored."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def resolve(account_map: AccountMap, wanted: str) -> str:
    """The id of the stakeholder ``wanted`` names: an id, else an exact name, else one name containing it.

    An id always wins; a name must point at exactly one person (else the candidates are listed).
    """
    if account_map.stakeholder(wanted) is not None:
        return wanted
    folded = _folded(wanted)
    if folded:
        for match in (lambda name: name == folded, lambda name: folded in name):
            found = [s for s in account_map.stakeholders if match(_folded(s.name))]
            if len(found) == 1:
                return found[0].id
            if len(found) > 1:
                shown = ", ".join(f"{s.id} ({s.name})" for s in found[:_CANDIDATES_SHOWN])
                more = f" and {len(found) - _CANDIDATES_SHOWN} more" if len(found) > _CANDIDATES_SHOWN else ""
                raise InvalidInputError(
                    f"{clip(wanted)} could be {len(found)} stakeholders of account {account_map.account.id!r}: "
                    f"{shown}{more}; name one by id"
                )
    raise StakeholderNotFoundError(wanted, account_map.account.id)


class PeopleService(ServiceCore):
    """Names for ids, for output meant for people."""

    def directory(self, account_id: str, *, as_of: str | None = None) -> Directory:
        return Directory.of(self._read_map(account_id, as_of))

    def resolve_stakeholder(self, account_id: str, wanted: str, *, as_of: str | None = None) -> str:
        """The id of the stakeholder named by id or by an unambiguous (part of a) name (as of WHEN, if given)."""
        return resolve(self._read_map(account_id, as_of), wanted)
