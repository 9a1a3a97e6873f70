"""docs/contract.md stays in step with the code: every vocabulary it lists is exactly the enum's."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest

from powermap import model
from powermap.model import ActivityKind, VoiceChannel

DOC = Path(__file__).resolve().parents[2] / "docs" / "contract.md"
#: A row of the vocabularies table: | field | `EnumName` | `a`, `b`, ... |
ROW = re.compile(r"^\|[^|]+\|\s*`(?P<enum>[A-Za-z]+)`\s*\|(?P<values>[^|]+)\|\s*$")


def documented() -> dict[str, set[str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            rows[match["enum"]] = set(re.findall(r"`([^`]+)`", match["values"]))
    return rows


def test_the_contract_doc_lists_every_vocabulary_of_the_document() -> None:
    assert set(documented()) == {
        "TeamRole",
        "Level",
        "DecisionRole",
        "Stance",
        "ActivityKind",
        "VoiceChannel",
        "VoiceCategory",
        "Flow",
        "VoiceStatus",
        "RoadmapStatus",
    }


@pytest.mark.parametrize("name", sorted(documented()))
def test_each_documented_vocabulary_is_exactly_the_enum(name: str) -> None:
    enum: type[StrEnum] = getattr(model, name)
    listed = documented()[name]
    if enum is VoiceChannel:  # documented as "every activity kind, and ..."
        listed |= {kind.value for kind in ActivityKind}
    assert listed == {member.value for member in enum}


def test_the_contract_doc_names_every_list_of_the_document() -> None:
    text = DOC.read_text(encoding="utf-8")
    for spec in model.LISTS:
        assert f"| `{spec.name}` |" in text, spec.name
