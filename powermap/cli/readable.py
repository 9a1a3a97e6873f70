"""Text for people: names and titles beside ids, decision makers marked, and what each number means.

Every number the human output shows is explained once, in one line, where it first appears
(:data:`MEANING`); ``--json`` output stays ids and numbers only.
"""

from __future__ import annotations

from powermap.analysis.coverage import COVERED_FROM
from powermap.analysis.forecast import FAVOURABLE_FROM
from powermap.service import Directory, Person

DECIDES = "★"

MEANING = {
    "power": (
        "power (0-1): weight on the decision, from decision role and declared influence, "
        "plus reach over the powerful people they sway"
    ),
    "coverage": (
        f"coverage: share of the account's total power held by people one of us holds at strength "
        f"{COVERED_FROM} or more"
    ),
    "support": (
        f"support index (-1 lost … +1 won): the decision makers' power-weighted lean toward us after "
        f"influence flows; favourable from +{FAVOURABLE_FROM:.1f}, unfavourable from -{FAVOURABLE_FROM:.1f}, "
        "undecided between"
    ),
    "lean": "lean (-1…+1): toward us (+) or away (-); own view is before anyone sways them",
    "gap": "gap: the strongest competitor's relationship strength minus ours (0-1), largest first",
    "path": (
        "path strength (0-1): the product of its hops (our relationship, then stakeholder ties); "
        "each hop's strength is shown on its arrow"
    ),
    "gain": (
        "expected gain: how far the support index would rise if the activity works, weighed by how likely it "
        "is to happen (1 with people we know, else the introduction's strength); coverage gain: share of "
        "power newly held at 0.5"
    ),
    "marks": f"{DECIDES} decision maker",
}


def stakeholder_label(person: Person) -> str:
    """``Chen Wei (ceo, CEO) ★``: the name first, the id and title to find them, the decision maker marked."""
    details = ", ".join(part for part in (person.id, person.title) if part)
    mark = f" {DECIDES}" if person.decides else ""
    return f"{person.name} ({details}){mark}" if person.name != person.id or person.title else f"{person.id}{mark}"


def short_label(person: Person) -> str:
    """``Chen Wei (ceo) ★``: for the stops of a path, where titles would make the line unreadable."""
    mark = f" {DECIDES}" if person.decides else ""
    return f"{person.name} ({person.id}){mark}" if person.name != person.id else f"{person.id}{mark}"


def member_label(person: Person) -> str:
    """``Li Ming (li, AR)``: one of ours, with their role on the team."""
    details = ", ".join(part for part in (person.id, person.role) if part)
    return f"{person.name} ({details})"


def path_text(directory: Directory, nodes: list[str]) -> str:
    """``Li Ming (li, AR) -0.80-> Tao Jun (cto) -0.70-> Chen Wei (ceo) ★``: each arrow carries its hop's strength."""
    if not nodes:
        return ""
    hops = directory.hops(nodes)
    parts = [member_label(directory.member(nodes[0]))]
    for strength, node in zip(hops, nodes[1:], strict=False):
        parts.append(f"-{strength:.2f}-> {short_label(directory.stakeholder(node))}")
    return " ".join(parts)
