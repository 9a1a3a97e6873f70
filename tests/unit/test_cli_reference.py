"""What helps a person write and read maps: the template, the JSON Schema, --version, --json, the README.

The README's documents are extracted and imported as they stand, and the README lists every value
each enum allows; the schema is checked with an independent validator (jsonschema), not with our parser.
"""

from __future__ import annotations

import copy
import json
import re
from enum import StrEnum
from importlib import metadata
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import typer
import yaml
from typer.testing import CliRunner

from powermap.cli import app, main
from powermap.cli.reference import contract_schema, template_text
from powermap.errors import InvalidMapError
from powermap.model import ActivityKind, DecisionRole, Level, Stance, TeamRole, parse_account_map
from powermap.model.enums import Flow, RoadmapStatus, VoiceCategory, VoiceChannel, VoiceStatus
from tests.factories import hostile_document, sample_document, tiny_document

README = Path(__file__).resolve().parents[2] / "README.md"
#: Every closed vocabulary a powermap/v1 document uses.
CONTRACT_ENUMS: tuple[type[StrEnum], ...] = (
    TeamRole,
    Level,
    DecisionRole,
    Stance,
    ActivityKind,
    VoiceChannel,
    VoiceCategory,
    VoiceStatus,
    Flow,
    RoadmapStatus,
)
#: Commands that print no result to read (a server runs until stopped).
NO_RESULT = {"serve"}


def readme_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.DOTALL | re.MULTILINE)


def readme_documents() -> list[Any]:
    """Every JSON/YAML block of the README that is an account map (has an ``account``)."""
    found = []
    for language, load in (("json", _json_load), ("yaml", yaml.safe_load)):
        for block in readme_blocks(language):
            document = load(block)
            if isinstance(document, dict) and "account" in document:
                found.append(document)
    return found


def _json_load(text: str) -> Any:
    return json.loads(text)


# -- the README ---------------------------------------------------------------------------------------------


def test_every_account_map_in_the_readme_imports_as_it_stands() -> None:
    documents = readme_documents()
    assert documents, "the README shows at least the format example"
    for document in documents:
        parse_account_map(document)


def test_the_docs_list_every_allowed_value_of_every_enum_of_the_format() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Allowed values", 1)[1].split("\n## ", 1)[0]
    for enum in (TeamRole, Level, DecisionRole, Stance, ActivityKind):
        for member in enum:
            assert f"`{member.value}`" in section, f"{enum.__name__}.{member.name} is not in the README"
    contract = (README.parent / "docs" / "contract.md").read_text(encoding="utf-8")
    for vocabulary in CONTRACT_ENUMS:
        for value in vocabulary:
            assert f"`{value.value}`" in contract, f"{vocabulary.__name__}.{value.name} is not in docs/contract.md"


def test_the_readme_says_how_to_call_the_console_script_after_the_quick_start() -> None:
    quick_start = README.read_text(encoding="utf-8").split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert ".venv/bin/powermap" in quick_start
    assert "source .venv/bin/activate" in quick_start


# -- template and schema ------------------------------------------------------------------------------------


def test_the_template_is_commented_yaml_that_imports_as_it_stands() -> None:
    text = template_text()
    assert text.count("\n#") >= 8
    account_map = parse_account_map(yaml.safe_load(text))
    assert account_map.stakeholders
    assert account_map.relationships


def test_the_templates_comments_list_the_allowed_values() -> None:
    comments = "\n".join(line for line in template_text().splitlines() if "#" in line)
    for enum in (TeamRole, Level, DecisionRole, Stance, ActivityKind):
        for member in enum:
            assert member.value in comments


def test_template_writes_a_file_and_never_replaces_one_without_force(tmp_path: Path) -> None:
    target = tmp_path / "starter.yaml"
    assert main(["template", "-o", str(target)]) == 0
    assert yaml.safe_load(target.read_text(encoding="utf-8")) == yaml.safe_load(template_text())
    target.write_text("mine", encoding="utf-8")
    assert main(["template", "-o", str(target)]) == 2
    assert target.read_text(encoding="utf-8") == "mine"
    assert main(["template", "-o", str(target), "--force"]) == 0
    assert target.read_text(encoding="utf-8") == template_text()


@pytest.mark.parametrize(
    "document",
    # YAML reads the template's dates as dates; JSON Schema speaks of the JSON form, where they are text.
    [
        sample_document(),
        tiny_document(),
        hostile_document(),
        json.loads(json.dumps(yaml.safe_load(template_text()), default=str)),
    ],
    ids=["sample", "tiny", "hostile", "template"],
)
def test_valid_documents_satisfy_the_json_schema(document: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(contract_schema()).validate(document)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("stakeholders", 0, "stance"), "hostile"),
        (("stakeholders", 0, "influence"), 1.5),
        (("stakeholders", 0, "level"), None),
        (("team", 0, "role"), "CEO"),
        (("activities", 0, "type"), "party"),
        (("format",), "powermap/v2"),
        (("account", "typo"), "x"),
    ],
)
def test_the_schema_refuses_what_the_importer_refuses(where: tuple[Any, ...], value: Any) -> None:
    document = copy.deepcopy(tiny_document())
    *parents, last = where
    holder: Any = document
    for key in parents:
        holder = holder[key]
    holder[last] = value
    with pytest.raises(InvalidMapError):
        parse_account_map(document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(contract_schema()).validate(document)


def test_schema_prints_the_schema_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(contract_schema()))
    assert printed["$schema"].endswith("2020-12/schema")
    jsonschema.Draft202012Validator.check_schema(printed)


# -- --version and --json everywhere ------------------------------------------------------------------------


def test_version_prints_the_installed_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"powermap {metadata.version('powermap')}"


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found += _commands(command, (*prefix, name))
        else:
            found.append(((*prefix, name), command))
    return found


def test_every_command_that_prints_a_result_accepts_json() -> None:
    commands = _commands(typer.main.get_command(app))
    assert len(commands) >= 12
    missing = [
        " ".join(path)
        for path, command in commands
        if path[-1] not in NO_RESULT and not any("--json" in p.opts for p in command.params)
    ]
    assert missing == []
