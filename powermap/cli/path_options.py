"""The options that sharpen ``paths``: --avoid, --avoid-stance, --max-hops, --disjoint (read by
:func:`~powermap.analysis.paths.path_constraints`, which the HTTP API shares)."""

from __future__ import annotations

from typing import Annotated

import typer

from powermap.analysis.paths import path_constraints

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

__all__ = ["AvoidOption", "AvoidStanceOption", "DisjointOption", "MaxHopsOption", "path_constraints"]
