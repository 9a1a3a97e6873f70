"""The contract: every rule refused with the field path and the id, all problems listed at once."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from powermap.errors import InvalidMapError
from powermap.model import AccountMap, Stance, parse_account_map
from powermap.model.validation import validate_account_map
from tests.factories import hostile_document, normalized, sample_document, tiny_document


def refused(document: Any) -> str:
    with pytest.raises(InvalidMapError) as caught:
        parse_account_map(document)
    return str(caught.value)


def edited(**changes: Any) -> dict[str, Any]:
    document = tiny_document()
    for path, value in changes.items():
        target: Any = document
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return document


def test_the_sample_account_is_a_valid_contract_document() -> None:
    account_map = parse_account_map(sample_document())
    assert len(account_map.stakeholders) >= 25
    assert {m.role for m in account_map.team} >= {"AR", "SR", "FR", "executive"}


@pytest.mark.parametrize(
    ("changes", "path", "item"),
    [
        ({"stakeholders__0__influence": 1.5}, "stakeholders[0].influence", "'ceo'"),
        ({"stakeholders__1__influence": -0.1}, "stakeholders[1].influence", "'cto'"),
        ({"stakeholders__0__stance": "hostile"}, "stakeholders[0].stance", "'ceo'"),
        ({"stakeholders__0__level": "god"}, "stakeholders[0].level", "'ceo'"),
        ({"stakeholders__2__decision_role": "king"}, "stakeholders[2].decision_role", "'cfo'"),
        ({"team__0__role": "CEO"}, "team[0].role", "'li'"),
        ({"influences__0__weight": 2}, "influences[0].weight", "from 'cto' to 'ceo'"),
        ({"relationships__0__strength": "strong"}, "relationships[0].strength", "member 'li' to 'cto'"),
        (
            {"competitor_relationships__0__strength": 1.01},
            "competitor_relationships[0].strength",
            "competitor 'rival' to 'cfo'",
        ),
        ({"activities__0__type": "party"}, "activities[0].type", "'a1'"),
        ({"activities__0__date": "yesterday"}, "activities[0].date", "'a1'"),
        ({"relationships__0__last_contact": "2026-13-01"}, "relationships[0].last_contact", "member 'li' to 'cto'"),
        ({"stakeholders__0__nickname": "boss"}, "stakeholders[0].nickname", "'ceo'"),
        ({"format": "powermap/v2"}, "format", None),
    ],
)
def test_a_value_outside_the_contract_is_refused_naming_field_and_id(
    changes: dict[str, Any], path: str, item: str | None
) -> None:
    message = refused(edited(**changes))
    assert path in message
    if item:
        assert f"{path} ({item})" in message


def test_a_missing_required_field_is_named() -> None:
    document = tiny_document()
    del document["stakeholders"][1]["influence"]
    assert "stakeholders[1].influence ('cto'): is required" in refused(document)


@pytest.mark.parametrize(
    ("list_name", "field", "value", "noun"),
    [
        ("reports_to", "to", "ghost", "stakeholder"),
        ("influences", "from", "ghost", "stakeholder"),
        ("relationships", "member", "ghost", "team member"),
        ("relationships", "stakeholder", "ghost", "stakeholder"),
        ("competitor_relationships", "competitor", "ghost", "competitor"),
    ],
)
def test_a_dangling_reference_is_refused_naming_it(list_name: str, field: str, value: str, noun: str) -> None:
    document = tiny_document()
    document[list_name][0][field] = value
    assert f"{list_name}[0].{field}" in refused(document)
    assert f"no {noun} has id 'ghost'" in refused(document)


def test_an_activity_naming_an_unknown_person_is_refused() -> None:
    document = tiny_document()
    document["activities"][0]["members"] = ["li", "nobody"]
    document["activities"][0]["stakeholders"] = ["ghost"]
    message = refused(document)
    assert "activities[0].members[1] ('a1'): no team member has id 'nobody'" in message
    assert "activities[0].stakeholders[0] ('a1'): no stakeholder has id 'ghost'" in message


@pytest.mark.parametrize("list_name", ["stakeholders", "team", "competitors", "activities"])
def test_a_duplicate_id_within_a_list_is_refused(list_name: str) -> None:
    document = tiny_document()
    document[list_name].append(copy.deepcopy(document[list_name][0]))
    duplicate = document[list_name][0]["id"]
    assert f"{list_name}[0].id ({duplicate!r}): id is used 2 times" in refused(document)


def test_the_same_id_may_name_a_member_and_a_stakeholder() -> None:
    document = tiny_document()
    document["team"][0]["id"] = "cto"
    document["relationships"][0]["member"] = "cto"
    document["activities"][0]["members"] = ["cto"]
    assert parse_account_map(document).team[0].id == "cto"


def test_duplicated_and_self_pointing_lines_are_refused() -> None:
    document = tiny_document()
    document["influences"].append({"from": "cto", "to": "ceo", "weight": 0.1})
    document["reports_to"].append({"from": "cfo", "to": "cfo"})
    message = refused(document)
    assert "influences[2] (from 'cto' to 'ceo'): this line is given more than once" in message
    assert "reports_to[2] (from 'cfo' to 'cfo'): a stakeholder cannot point to itself" in message


def test_a_reporting_cycle_is_refused_naming_the_cycle() -> None:
    document = tiny_document()
    document["reports_to"].append({"from": "ceo", "to": "cfo"})
    assert "reporting lines form a cycle: 'cfo' -> 'ceo' -> 'cfo'" in refused(document) or (
        "reporting lines form a cycle: 'ceo' -> 'cfo' -> 'ceo'" in refused(document)
    )


def test_every_problem_of_a_document_is_listed_at_once() -> None:
    document = tiny_document()
    document["stakeholders"][0]["influence"] = 3
    document["reports_to"][0]["to"] = "ghost"
    document["team"].append(copy.deepcopy(document["team"][0]))
    message = refused(document)
    assert message.startswith("the account map has 3 problems:")


@pytest.mark.parametrize("document", [None, [], "text", 42])
def test_a_document_that_is_not_an_object_is_refused(document: Any) -> None:
    assert refused(document) == "the account map has 1 problem:\n  document: an account map must be a JSON/YAML object"


def test_defaults_are_filled_in_and_export_gives_contract_field_names() -> None:
    document = {
        "account": {"id": "a", "name": "A"},
        "stakeholders": [{"id": "s", "name": "S", "level": "staff", "influence": 0.2}],
        "reports_to": [],
        "team": [{"id": "m", "name": "M", "role": "SR"}],
        "relationships": [{"member": "m", "stakeholder": "s", "strength": 0.3}],
    }
    exported = parse_account_map(document).to_document()
    assert exported["format"] == "powermap/v1"
    assert exported["stakeholders"][0]["stance"] == "neutral"
    assert exported["relationships"][0] == {"member": "m", "stakeholder": "s", "strength": 0.3, "last_contact": None}


@pytest.mark.parametrize("make", [sample_document, tiny_document, hostile_document])
def test_a_document_survives_export_and_reimport_unchanged(make: Any) -> None:
    once = normalized(make())
    assert normalized(once) == once
    assert AccountMap.model_validate(once) == parse_account_map(make())


def test_hostile_text_is_kept_as_data() -> None:
    document = hostile_document()
    account_map = parse_account_map(document)
    assert account_map.account.name == document["account"]["name"]
    assert [s.id for s in account_map.stakeholders] == [s["id"] for s in document["stakeholders"]]


def test_stance_scores_and_warming_follow_the_contract() -> None:
    assert [s.score for s in Stance] == [1.0, 0.5, 0.0, -0.5, -1.0]
    assert Stance.OPPONENT.improved() is Stance.SKEPTIC
    assert Stance.CHAMPION.improved() is Stance.CHAMPION


def test_a_map_built_in_code_is_checked_for_the_rules_its_shape_cannot_say() -> None:
    built = AccountMap.model_validate(
        {
            "account": {"id": "a", "name": "A"},
            "stakeholders": [{"id": "ceo", "name": "Chen", "level": "executive", "influence": 0.9}],
            "reports_to": [{"from": "ghost", "to": "ceo"}],
        }
    )
    with pytest.raises(InvalidMapError) as caught:
        validate_account_map(built)
    assert [str(p) for p in caught.value.problems] == [
        "reports_to[0].from (from 'ghost' to 'ceo'): no stakeholder has id 'ghost'"
    ]
    sound = parse_account_map(tiny_document())
    assert validate_account_map(sound) is sound


def test_a_map_built_in_code_has_its_voices_roadmap_checked_when_the_roadmap_is_given() -> None:
    document = tiny_document()
    document["voices"] = [{"id": "v", "stakeholder": "ceo", "date": "2026-10-01", "text": "t", "roadmap": ["r1"]}]
    built = parse_account_map(document)
    assert validate_account_map(built, roadmap_ids=None) is built
    assert validate_account_map(built, roadmap_ids={"r1"}) is built
    with pytest.raises(InvalidMapError) as caught:
        validate_account_map(built, roadmap_ids={"r2"})
    assert [str(p) for p in caught.value.problems] == [
        "voices[0].roadmap[0] ('v'): no item of the store's roadmap has id 'r1'"
    ]


def test_an_item_without_an_id_is_named_by_its_place_alone() -> None:
    document = tiny_document()
    del document["stakeholders"][2]["id"]
    document["relationships"] = document["relationships"][:1]
    document["competitor_relationships"] = []
    document["reports_to"] = document["reports_to"][:1]
    document["influences"] = [line for line in document["influences"] if "cfo" not in (line["from"], line["to"])]
    document["activities"][0]["stakeholders"] = [s for s in document["activities"][0]["stakeholders"] if s != "cfo"]
    assert refused(document) == "the account map has 1 problem:\n  stakeholders[2].id: is required"


def test_a_reporting_cycle_is_found_after_lines_already_walked() -> None:
    people = ("a", "b", "x", "c", "d")
    document = {
        "account": {"id": "acme", "name": "ACME"},
        "stakeholders": [{"id": p, "name": p, "level": "staff", "influence": 0.1} for p in people],
        # a -> b -> x is walked first; b is met again as a line's start, then c and d report to each other
        "reports_to": [
            {"from": "a", "to": "b"},
            {"from": "b", "to": "x"},
            {"from": "c", "to": "d"},
            {"from": "d", "to": "c"},
        ],
    }
    assert (
        refused(document)
        == "the account map has 1 problem:\n  reports_to ('c'): reporting lines form a cycle: 'c' -> 'd' -> 'c'"
    )
