"""The options that sharpen ``paths``: --avoid, --avoid-stance, --max-hops, --disjoint."""

from __future__ import annotations

from typing import Annotated

import typer

from powermap.analysis.paths import PathConstraints
from powermap.errors import InvalidInputError
from powermap.model import Stance

AvoidOption = Annotated[
    list[str] | None,
    typer.Option(
        "--avoid",
        help="A stakeholder no path may pass through, or a team member no path may start from (repeatable).",
        show_default=False,
    ),
]
AvoidStanceOption = Annotated[
    str | None,
    typer.Option(
        "--avoid-stance",
        help="No intermediary of these stances, comma-separated (e.g. opponent,skeptic).",
        show_default=False,
    ),
]
MaxHopsOption = Annotated[
    int | None,
    typer.Option("--max-hops", min=1, help="At most this many lines per path, the first relationship included."),
]
DisjointOption = Annotated[
    bool,
    typer.Option("--disjoint", help="Each path after the first shares no intermediary with those before it."),
]


def path_constraints(avoid: list[str] | None, avoid_stance: str | None, max_hops: int | None) -> PathConstraints:
    """The constraints the options name; an unknown stance is refused by name (exit 2)."""
    stances = set()
    for word in filter(None, (part.strip() for part in (avoid_stance or "").split(","))):
        try:
            stances.add(Stance(word))
        except ValueError:
            known = ", ".join(s.value for s in Stance)
            raise InvalidInputError(f"--avoid-stance: {word!r} is not a stance (one of {known})") from None
    return PathConstraints(avoid=frozenset(avoid or ()), avoid_stances=frozenset(stances), max_hops=max_hops)
