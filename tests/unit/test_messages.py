"""Refusals a person can read: plain words for every kind of problem, values cut, lists bounded.

Each expected message is written out here in full, so a changed word is a failing test.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from powermap.errors import CLIP_AT, PROBLEMS_SHOWN, InvalidMapError, InvalidRoadmapError, Problem, clip
from powermap.model import parse_account_map, parse_roadmap
from tests.factories import tiny_document


def problems_of(document: Any) -> list[str]:
    with pytest.raises(InvalidMapError) as refused:
        parse_account_map(document)
    return [str(problem) for problem in refused.value.problems]


def with_value(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    document = copy.deepcopy(tiny_document())
    *parents, last = path
    holder: Any = document
    for key in parents:
        holder = holder[key]
    holder[last] = value
    return document


YAML_BOOLEAN = "YAML reads an unquoted no, yes, on, off, true or false as true/false: write it in quotes, e.g. id: 'no'"


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("stakeholders", 0, "name"), ["Chen"], "stakeholders[0].name ('ceo'): must be text (got [\"Chen\"])"),
        (("stakeholders", 0, "influence"), "high", "stakeholders[0].influence ('ceo'): must be a number (got 'high')"),
        (("stakeholders", 0, "influence"), 1.4, "stakeholders[0].influence ('ceo'): must be at most 1.0 (got 1.4)"),
        (("stakeholders", 0, "influence"), -0.5, "stakeholders[0].influence ('ceo'): must be at least 0.0 (got -0.5)"),
        (
            ("stakeholders", 0, "influence"),
            float("inf"),
            "stakeholders[0].influence ('ceo'): must be a finite number (got Infinity)",
        ),
        (
            ("stakeholders", 0, "level"),
            "boss",
            "stakeholders[0].level ('ceo'): must be one of 'executive', 'senior', 'middle' or 'staff' (got 'boss')",
        ),
        (("stakeholders", 0, "id"), "", "stakeholders[0].id (''): must not be empty (got '')"),
        (
            ("stakeholders", 0, "id"),
            "x" * 200,
            f"stakeholders[0].id ({clip('x' * 200)}): must be at most 128 characters (got 200 characters)",
        ),
        (
            ("stakeholders", 0, "notes"),
            None,
            "stakeholders[0].notes ('ceo'): must be text (got null); "
            "YAML reads an empty value, null or ~ as nothing: write the text in quotes, or leave the field out",
        ),
        (
            ("stakeholders", 0, "title"),
            False,
            f"stakeholders[0].title ('ceo'): must be text (got false); {YAML_BOOLEAN}",
        ),
        (
            ("stakeholders", 0, "department"),
            dt.date(2026, 1, 2),
            "stakeholders[0].department ('ceo'): must be text (got 2026-01-02); "
            "YAML reads an unquoted 2026-01-02 as a date: write it in quotes, e.g. '2026-01-02'",
        ),
        (
            ("stakeholders", 0, "title"),
            1.5,
            "stakeholders[0].title ('ceo'): must be text (got 1.5); "
            "YAML reads an unquoted 1.5 as a number: write it in quotes, e.g. '1.5'",
        ),
        (
            ("stakeholders", 0, "stance"),
            True,
            "stakeholders[0].stance ('ceo'): must be one of 'champion', 'supporter', 'neutral', 'skeptic' or "
            f"'opponent' (got true); {YAML_BOOLEAN}",
        ),
        (("activities", 0, "members"), {"li": 1}, "activities[0].members ('a1'): must be a list (got {\"li\": 1})"),
        (("activities", 0, "date"), "soon", "activities[0].date ('a1'): must be a date like 2026-10-01 (got 'soon')"),
        (("stakeholders", 0), "ceo", "stakeholders[0]: must be an object"),
        (("format",), "powermap/v2", "format: must be 'powermap/v1' (got 'powermap/v2')"),
        (("stakeholders", 0, "typo"), 1, "stakeholders[0].typo ('ceo'): is not a field of the powermap/v1 format"),
        (("team",), {"li": 1}, 'team: must be a list (got {"li": 1})'),
    ],
)
def test_each_kind_of_problem_is_told_in_plain_words(path: tuple[Any, ...], value: Any, expected: str) -> None:
    assert expected in problems_of(with_value(path, value))


def test_a_missing_field_is_required() -> None:
    document = tiny_document()
    del document["stakeholders"][0]["level"]
    assert problems_of(document) == ["stakeholders[0].level ('ceo'): is required"]


def test_no_message_speaks_python() -> None:
    document = tiny_document()
    document["stakeholders"][0].update(name=None, influence=True, title=("a",), level=3)
    document["activities"][0]["members"] = "li"
    text = "\n".join(problems_of(document))
    for word in ("Input should", "tuple", "dictionary", "None", "True", "False", "instance", "datetime"):
        assert word not in text, text


# -- bounded size -------------------------------------------------------------------------------------------


def test_clip_keeps_short_values_whole_and_cuts_long_ones_with_their_length() -> None:
    assert clip("cfo") == "'cfo'"
    assert clip(None) == "null"
    assert clip(True) == "true"
    assert clip(0.5) == "0.5"
    assert clip(dt.date(2026, 1, 2)) == "2026-01-02"
    exactly = "y" * (CLIP_AT - 2)  # quoted, exactly the limit
    assert clip(exactly) == repr(exactly)
    cut = clip("z" * 10_000)
    assert cut == "'" + "z" * (CLIP_AT - 3) + "… (10002 characters)"


def test_a_huge_value_is_echoed_cut() -> None:
    text = "\n".join(problems_of(with_value(("stakeholders", 0, "level"), "v" * 1_000_000)))
    assert len(text) < 300
    assert "(1000002 characters)" in text


def test_a_huge_unknown_field_name_is_cut_too() -> None:
    (message,) = problems_of(with_value(("account", "k" * 10_000), 1))
    assert len(message) < 200
    assert message.startswith("account." + "k" * (CLIP_AT - 1) + "…: is not a field")


def test_fifty_problems_are_listed_then_how_many_more() -> None:
    problems = [Problem(f"p[{i}]", None, "bad") for i in range(PROBLEMS_SHOWN + 7)]
    lines = str(InvalidMapError(problems)).split("\n")
    assert lines[0] == f"the account map has {PROBLEMS_SHOWN + 7} problems:"
    assert lines[1:3] == ["  p[0]: bad", "  p[1]: bad"]
    assert lines[PROBLEMS_SHOWN] == f"  p[{PROBLEMS_SHOWN - 1}]: bad"
    assert lines[-1] == "  and 7 more problems (--json lists them all)"
    assert len(lines) == PROBLEMS_SHOWN + 2


def test_exactly_fifty_problems_need_no_more_line_and_one_more_is_singular() -> None:
    at_limit = str(InvalidMapError([Problem("p", None, "bad")] * PROBLEMS_SHOWN)).split("\n")
    assert len(at_limit) == PROBLEMS_SHOWN + 1
    assert "more" not in at_limit[-1]
    one_more = str(InvalidMapError([Problem("p", None, "bad")] * (PROBLEMS_SHOWN + 1))).split("\n")
    assert one_more[-1] == "  and 1 more problem (--json lists them all)"
    assert str(InvalidMapError([Problem("p", "'x'", "bad")])) == "the account map has 1 problem:\n  p ('x'): bad"


def test_a_long_reporting_cycle_is_named_by_its_first_people_and_its_length() -> None:
    people = [f"s{i:03d}" for i in range(40)]
    document = {
        "account": {"id": "a", "name": "A"},
        "stakeholders": [{"id": s, "name": s, "level": "staff", "influence": 0.1} for s in people],
        "reports_to": [{"from": people[i], "to": people[(i + 1) % 40]} for i in range(40)],
    }
    (message,) = problems_of(document)
    assert message.startswith("reports_to ('s000'): reporting lines form a cycle: 's000' -> 's001' -> ")
    assert "'s010' -> … (40 people) -> 's000'" in message
    assert "'s011'" not in message
    short = problems_of(
        {
            "account": {"id": "a", "name": "A"},
            "stakeholders": [{"id": s, "name": s, "level": "staff", "influence": 0.1} for s in ("a", "b")],
            "reports_to": [{"from": "a", "to": "b"}, {"from": "b", "to": "a"}],
        }
    )
    assert short == ["reports_to ('a'): reporting lines form a cycle: 'a' -> 'b' -> 'a'"]


def cycle_of(size: int) -> dict[str, Any]:
    """A map whose ``size`` stakeholders report round a ring: p00 -> p01 -> ... -> back to p00."""
    people = [f"p{i:02d}" for i in range(size)]
    return {
        "account": {"id": "a", "name": "A"},
        "stakeholders": [{"id": s, "name": s, "level": "staff", "influence": 0.1} for s in people],
        "reports_to": [{"from": people[i], "to": people[(i + 1) % size]} for i in range(size)],
    }


def test_a_reporting_cycle_of_eleven_is_named_in_full_and_one_of_twelve_is_cut_after_eleven() -> None:
    eleven = " -> ".join(f"'p{i:02d}'" for i in range(11))
    assert problems_of(cycle_of(11)) == [f"reports_to ('p00'): reporting lines form a cycle: {eleven} -> 'p00'"]
    assert problems_of(cycle_of(12)) == [
        f"reports_to ('p00'): reporting lines form a cycle: {eleven} -> … (12 people) -> 'p00'"
    ]


def test_a_field_name_of_the_clip_length_is_shown_whole_and_a_longer_one_is_cut() -> None:
    (whole,) = problems_of(with_value(("account", "k" * CLIP_AT), 1))
    assert whole == "account." + "k" * CLIP_AT + ": is not a field of the powermap/v1 format"
    (cut,) = problems_of(with_value(("account", "k" * (CLIP_AT + 1)), 1))
    assert cut == "account." + "k" * (CLIP_AT - 1) + "…: is not a field of the powermap/v1 format"


def test_half_a_character_from_a_json_escape_is_told_in_plain_words() -> None:
    name = json.loads('"Chen\\ud800"')  # a lone surrogate: valid JSON, not valid text
    assert problems_of(with_value(("stakeholders", 0, "name"), name)) == [
        "stakeholders[0].name ('ceo'): must be text of whole characters: a \\ud800-\\udfff escape comes only "
        "in pairs (got 'Chen\\ud800')"
    ]


def test_a_roadmap_of_another_format_is_told_the_format_it_must_have() -> None:
    with pytest.raises(InvalidRoadmapError) as refused:
        parse_roadmap({"format": "powermap/v1", "items": []})
    assert [str(p) for p in refused.value.problems] == ["format: must be 'powermap-roadmap/v1' (got 'powermap/v1')"]
