"""Commands that help a person write a map: ``template``, ``schema``, and ``--version``.

The template's comments list every allowed value from the enums themselves, so they cannot drift
from what the importer accepts; a test imports the template as it stands.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from typing import Annotated, Any

import typer

import powermap
from powermap.cli.app import app
from powermap.cli.common import JsonOption, err, out, print_json, write_text
from powermap.errors import InvalidInputError
from powermap.model import FORMAT, AccountMap, ActivityKind, DecisionRole, Level, Stance, TeamRole

OutputOption = Annotated[
    Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).", show_default=False)
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")]


def version() -> str:
    try:
        return metadata.version("powermap")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        return powermap.__version__


def _version_callback(value: bool) -> None:
    if value:
        out.print(f"powermap {version()}", markup=False)
        raise typer.Exit


@app.callback()
def main_options(
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Stakeholder power maps for key-account teams: who decides, who sways whom, and what to do next."""


def _values(enum: Any) -> str:
    return ", ".join(member.value for member in enum)


def template_text() -> str:
    """A commented starter map in YAML: a small, valid account to edit."""
    return f"""\
# A powermap account map ({FORMAT}). Edit it, then: powermap import this-file.yaml
# Ids are any text of 1-128 characters; lines refer to people by id. Numbers marked 0-1 go from 0 to 1.
# In YAML, quote words that YAML would read otherwise: id: 'no', title: '2026', notes: 'on hold'.
# The JSON Schema of this format: powermap schema. Every rule: docs/contract.md.
format: {FORMAT}
account:
  id: my-account              # required; how commands name the account (powermap analyze my-account)
  name: My Key Account Ltd    # required
  industry: manufacturing     # optional
  notes: ""                   # optional free text

# Rival suppliers (optional): id and name.
competitors:
  - {{id: rival, name: Rival Systems}}

# Our team. role: {_values(TeamRole)}
# level (optional, default middle): {_values(Level)}
team:
  - {{id: li, name: Li Ming, role: AR, title: Account Director, level: middle}}
  - {{id: zhao, name: Zhao Lei, role: executive, title: Vice President, level: executive}}

# The customer's people. level (required): {_values(Level)}
# decision_role (default none): {_values(DecisionRole)}
# influence (required, 0-1): how much they weigh on the decision by their position
# stance toward us (default neutral): {_values(Stance)}
stakeholders:
  - id: ceo
    name: Chen Wei
    title: CEO
    department: Board
    level: executive
    decision_role: decision_maker
    influence: 0.9
    stance: neutral
    notes: ""
  - {{id: cto, name: Tao Jun, title: CTO, department: IT, level: senior,
     decision_role: technical_evaluator, influence: 0.6, stance: supporter}}

# Reporting lines between stakeholders (from reports to to); no cycles.
reports_to:
  - {{from: cto, to: ceo}}

# Who sways whom, with a weight 0-1.
influences:
  - {{from: cto, to: ceo, weight: 0.7}}

# How strong one of our people is with a stakeholder (strength 0-1; last_contact optional, a date).
relationships:
  - {{member: li, stakeholder: cto, strength: 0.8, last_contact: 2026-10-01}}

# The same for competitors.
competitor_relationships:
  - {{competitor: rival, stakeholder: ceo, strength: 0.6}}

# Things done (or planned). type: {_values(ActivityKind)}
activities:
  - id: visit-1
    type: site_visit
    date: 2026-09-12
    members: [li]
    stakeholders: [cto]
    outcome: agreed to a pilot
    notes: ""
"""


def contract_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of a ``powermap/v1`` document, with the contract's field names."""
    schema = AccountMap.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://powermap.example/schema/powermap-v1.json",
        **schema,
        "title": f"powermap account map ({FORMAT})",
        "description": (
            "One key account's power map. The schema gives each item's shape; the importer also checks "
            "what a schema cannot say: ids unique within their list, every reference naming an existing "
            "item, no line given twice or pointing a stakeholder at itself, no reporting cycle."
        ),
    }


def _emit(text: str, output: Path | None, force: bool, as_json: bool) -> None:
    if output is None:
        out.file.write(text)
        return
    if output.exists() and not force:
        raise InvalidInputError(f"{str(output)!r} exists; pass --force to replace it")
    write_text(output, text)
    if as_json:
        print_json({"wrote": str(output)})
    else:
        err.print(f"wrote {output}", markup=False)


@app.command("template")
def template_command(output: OutputOption = None, force: ForceOption = False, as_json: JsonOption = False) -> None:
    """Write a commented starter map (YAML) that imports as it stands."""
    _emit(template_text(), output, force, as_json)


@app.command("schema")
def schema_command(output: OutputOption = None, force: ForceOption = False, as_json: JsonOption = False) -> None:
    """Print the JSON Schema of the powermap/v1 document format."""
    _emit(json.dumps(contract_schema(), ensure_ascii=False, indent=2) + "\n", output, force, as_json)
