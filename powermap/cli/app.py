"""The Typer application and its sub-command groups; command modules register themselves on these."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="powermap",
    help="Stakeholder power maps for key-account teams: who decides, who sways whom, and what to do next.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Manage the store itself.", no_args_is_help=True)
app.add_typer(db_app, name="db")
