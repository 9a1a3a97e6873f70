"""Voices and the roadmap: every contract rule refused by name, and the fixed formulas on hand-checked maps."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from powermap.analysis.voices import age_days, is_overdue, portfolio_fit, roadmap_fit, voice_loop, voice_rows
from powermap.errors import InvalidMapError, InvalidRoadmapError
from powermap.model import (
    ActivityKind,
    RoadmapItem,
    Voice,
    VoiceChannel,
    parse_account_map,
    parse_roadmap,
)
from tests.factories import tiny_document
from tests.voice_factories import roadmap_document, voiced_document

ROADMAP = {"r7", "r8", "r9"}
DAY = dt.date(2026, 11, 1)


def refused(document: Any, roadmap_ids: set[str] | None = ROADMAP) -> list[str]:
    with pytest.raises(InvalidMapError) as caught:
        parse_account_map(document, roadmap_ids=roadmap_ids)
    return [str(problem) for problem in caught.value.problems]


def with_voice(index: int, **changes: Any) -> dict[str, Any]:
    document = voiced_document()
    document["voices"][index].update(changes)
    return document


# -- the document -------------------------------------------------------------------------------------------


def test_a_v1_document_without_voices_stays_valid_and_gains_an_empty_list() -> None:
    document = tiny_document()
    assert "voices" not in document
    assert parse_account_map(document, roadmap_ids=set()).voices == ()


def test_the_voiced_document_is_valid_and_its_voices_read_as_written() -> None:
    account_map = parse_account_map(voiced_document(), roadmap_ids=ROADMAP)
    assert [v.id for v in account_map.voices] == ["v1", "v2", "v3", "v4"]
    assert account_map.to_document()["voices"] == voiced_document()["voices"]


def test_omitted_voice_fields_take_the_contract_defaults() -> None:
    document = tiny_document()
    document["voices"] = [{"id": "v", "stakeholder": "ceo", "date": "2026-10-01", "text": "说"}]
    (voice,) = parse_account_map(document).to_document()["voices"]
    assert voice == {
        "id": "v",
        "stakeholder": "ceo",
        "date": "2026-10-01",
        "channel": "other",
        "activity": None,
        "text": "说",
        "category": "unscreened",
        "priority": None,
        "flow": "none",
        "owner": "",
        "status": "new",
        "roadmap": [],
        "closed_on": None,
        "satisfaction": None,
    }


@pytest.mark.parametrize(
    ("index", "changes", "expected"),
    [
        (0, {"stakeholder": "ghost"}, "voices[0].stakeholder ('v1'): no stakeholder has id 'ghost'"),
        (0, {"activity": "a9"}, "voices[0].activity ('v1'): no activity has id 'a9'"),
        (0, {"roadmap": ["r7", "r99"]}, "voices[0].roadmap[1] ('v1'): no item of the store's roadmap has id 'r99'"),
        (2, {"closed_on": None}, "voices[2].closed_on ('v3'): is required when status is 'resolved'"),
        (3, {"closed_on": None}, "voices[3].closed_on ('v4'): is required when status is 'rejected'"),
        (
            0,
            {"closed_on": "2026-10-01"},
            "voices[0].closed_on ('v1'): must be absent while the voice is open (status 'in_progress')",
        ),
        (
            1,
            {"satisfaction": 3},
            "voices[1].satisfaction ('v2'): only a resolved voice has a satisfaction (status 'routed')",
        ),
        (
            3,
            {"satisfaction": 3},
            "voices[3].satisfaction ('v4'): only a resolved voice has a satisfaction (status 'rejected')",
        ),
        (
            2,
            {"closed_on": "2026-07-01"},
            "voices[2].closed_on ('v3'): 2026-07-01 is before the voice's date 2026-08-01",
        ),
        (2, {"satisfaction": 6}, "voices[2].satisfaction ('v3'): must be at most 5 (got 6)"),
        (2, {"satisfaction": 0}, "voices[2].satisfaction ('v3'): must be at least 1 (got 0)"),
        (0, {"priority": 0}, "voices[0].priority ('v1'): must be at least 1 (got 0)"),
        (0, {"priority": "1"}, "voices[0].priority ('v1'): must be a whole number (got '1')"),
        (0, {"category": "gripe"}, "voices[0].category ('v1'): must be one of 'pain', 'itch', 'pseudo' or"),
        (0, {"flow": "CRM"}, "voices[0].flow ('v1'): must be one of 'LTC', 'IPD', 'ITR' or 'none' (got 'CRM')"),
        (0, {"status": "done"}, "voices[0].status ('v1'): must be one of 'new', 'screened', 'routed'"),
        (0, {"channel": "pigeon"}, "voices[0].channel ('v1'): must be one of 'ice_breaking'"),
        (0, {"date": "soon"}, "voices[0].date ('v1'): must be a date like"),
        (0, {"text": ""}, "voices[0].text ('v1'): must not be empty"),
        (0, {"mood": "angry"}, "voices[0].mood ('v1'): is not a field of the powermap/v1 format"),
        (1, {"id": "v1"}, "voices[0].id ('v1'): id is used 2 times"),
    ],
)
def test_every_voice_rule_is_refused_naming_field_path_and_id(
    index: int, changes: dict[str, Any], expected: str
) -> None:
    problems = refused(with_voice(index, **changes))
    assert any(p.startswith(expected) for p in problems), problems


def test_a_missing_required_voice_field_is_named() -> None:
    document = voiced_document()
    del document["voices"][1]["text"]
    assert "voices[1].text ('v2'): is required" in refused(document)


def test_every_problem_of_every_voice_is_listed_in_one_refusal() -> None:
    document = voiced_document()
    document["voices"][0].update(stakeholder="ghost", closed_on="2026-10-01", roadmap=["nope"])
    document["voices"][2].update(closed_on=None)
    document["voices"][3].update(satisfaction=2)
    document["reports_to"].append({"from": "ceo", "to": "ceo"})
    problems = refused(document)
    assert len(problems) == 6, problems


def test_roadmap_references_are_checked_only_against_given_roadmap_ids() -> None:
    assert parse_account_map(voiced_document(), roadmap_ids=None).voices[0].roadmap == ("r7",)
    assert refused(voiced_document(), roadmap_ids=set()) == [
        "voices[0].roadmap[0] ('v1'): no item of the store's roadmap has id 'r7'",
        "voices[1].roadmap[0] ('v2'): no item of the store's roadmap has id 'r8'",
        "voices[2].roadmap[0] ('v3'): no item of the store's roadmap has id 'r7'",
    ]


def test_a_resolved_voice_without_satisfaction_and_a_rejected_one_with_its_date_are_valid() -> None:
    document = with_voice(2, satisfaction=None)
    assert parse_account_map(document, roadmap_ids=ROADMAP).voices[2].satisfaction is None


def test_channels_are_the_activity_kinds_plus_the_voice_channels() -> None:
    extra = {"survey", "call_minutes", "executive_message", "email", "web", "other"}
    assert {c.value for c in VoiceChannel} == {k.value for k in ActivityKind} | extra


# -- the roadmap document -----------------------------------------------------------------------------------


def test_a_roadmap_document_round_trips_and_defaults_are_filled() -> None:
    assert parse_roadmap(roadmap_document()).to_document() == roadmap_document()
    bare = parse_roadmap({"items": [{"id": "r1", "title": "T"}]}).to_document()
    assert bare == {
        "format": "powermap-roadmap/v1",
        "items": [{"id": "r1", "title": "T", "release": "", "status": "idea", "notes": ""}],
    }


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"format": "powermap/v1", "items": []}, "format: must be 'powermap-roadmap/v1'"),
        ({"items": [{"id": "r1"}]}, "items[0].title ('r1'): is required"),
        ({"items": [{"id": "r1", "title": "T", "status": "shipped"}]}, "items[0].status ('r1'): must be one of"),
        ({"items": [{"id": "r1", "title": "T"}, {"id": "r1", "title": "U"}]}, "items[0].id ('r1'): id is used 2 times"),
        ({"items": [{"id": "r1", "title": "T", "owner": "x"}]}, "items[0].owner ('r1'): is not a field"),
        ([], "document: a roadmap must be a JSON/YAML object"),
    ],
)
def test_a_bad_roadmap_is_refused_naming_field_and_id(document: Any, expected: str) -> None:
    with pytest.raises(InvalidRoadmapError) as caught:
        parse_roadmap(document)
    assert str(caught.value).startswith("the roadmap has")
    assert any(str(p).startswith(expected) for p in caught.value.problems), caught.value.problems


# -- the loop's health, by hand ------------------------------------------------------------------------------

#: Powers chosen by hand (not computed): the formulas only weigh them.
POWERS = {"ceo": 0.5, "cto": 0.3, "cfo": 0.2}


def voices(document: dict[str, Any] | None = None) -> tuple[Voice, ...]:
    return parse_account_map(document or voiced_document()).voices


def test_the_loop_summary_matches_the_hand_count() -> None:
    # v1 cto open pain (2026-09-12, 50 days on 11-01: overdue); v2 cfo open itch; v3 ceo resolved pain (4);
    # v4 cto rejected pseudo.
    loop = voice_loop(voices(), POWERS, DAY)
    assert loop == {
        "total": 4,
        "open": 2,
        "overdue": 1,
        "by_category": {"pain": 2, "itch": 1, "pseudo": 1, "unscreened": 0},
        "by_flow": {"LTC": 1, "IPD": 2, "ITR": 0, "none": 1},
        "closure_rate": pytest.approx(1 / 3),  # v3 resolved among v1, v2, v3
        "mean_satisfaction": pytest.approx(4.0),
        "pain_exposure": pytest.approx(0.3 / 1.0),  # only the CTO has an open pain
    }


def test_overdue_is_after_the_configured_days_counted_to_today() -> None:
    v1 = voices()[0]  # 2026-09-12
    assert age_days(v1, dt.date(2026, 10, 12)) == 30
    assert not is_overdue(v1, dt.date(2026, 10, 12))
    assert is_overdue(v1, dt.date(2026, 10, 13))
    assert not is_overdue(v1, dt.date(2026, 10, 13), overdue_days=31)
    assert voice_loop(voices(), POWERS, dt.date(2026, 10, 12))["overdue"] == 0
    assert voice_loop(voices(), POWERS, DAY, overdue_days=60)["overdue"] == 0


def test_an_open_itch_or_a_closed_pain_is_never_overdue() -> None:
    v2, v3 = voices()[1], voices()[2]
    assert not is_overdue(v2, dt.date(2030, 1, 1))
    assert not is_overdue(v3, dt.date(2030, 1, 1))
    assert age_days(v3, dt.date(2030, 1, 1)) == 80  # 2026-08-01 to its closing on 2026-10-20


def test_an_account_without_voices_has_no_rates_and_no_exposure() -> None:
    loop = voice_loop((), POWERS, DAY)
    assert (loop["total"], loop["closure_rate"], loop["mean_satisfaction"], loop["pain_exposure"]) == (0, None, None, 0)
    assert voice_loop((), {}, DAY)["pain_exposure"] == 0.0  # an empty account: no power at all, and no pain


def test_exposure_counts_each_pained_stakeholder_once_and_closure_ignores_unscreened_voices() -> None:
    document = voiced_document()
    document["voices"].append(
        {"id": "v5", "stakeholder": "cto", "date": "2026-10-30", "text": "again", "category": "pain"}
    )
    document["voices"].append(
        {
            "id": "v6",
            "stakeholder": "cfo",
            "date": "2026-10-30",
            "text": "?",
            "status": "resolved",
            "closed_on": "2026-10-31",
            "satisfaction": 1,
        }
    )
    loop = voice_loop(voices(document), POWERS, DAY)
    assert loop["pain_exposure"] == pytest.approx(0.3)
    assert loop["closure_rate"] == pytest.approx(1 / 4)  # v3 of v1, v2, v3, v5; v6 is unscreened
    assert loop["mean_satisfaction"] == pytest.approx((4 + 1) / 2)


def test_voice_rows_carry_age_power_and_put_overdue_open_voices_first() -> None:
    rows = voice_rows(voices(), POWERS, DAY)
    assert [(r["id"], r["age_days"], r["power"], r["overdue"]) for r in rows] == [
        ("v1", 50, 0.3, True),
        ("v2", 31, 0.2, False),
        ("v3", 80, 0.5, False),
        ("v4", 5, 0.3, False),
    ]


# -- roadmap fit, by hand ------------------------------------------------------------------------------------


def test_fit_counts_pains_in_full_itches_by_half_and_never_rejected_or_pseudo_voices() -> None:
    document = voiced_document()
    # The CFO also has a rejected pain on r7 (must not count) and the CTO a pseudo-need on r9.
    document["voices"].append(
        {
            "id": "v5",
            "stakeholder": "cfo",
            "date": "2026-10-01",
            "text": "x",
            "category": "pain",
            "status": "rejected",
            "closed_on": "2026-10-02",
            "roadmap": ["r7"],
        }
    )
    document["voices"][3]["roadmap"] = ["r9"]
    fits = roadmap_fit(voices(document), POWERS)
    assert fits == {
        "r7": {"fit": pytest.approx(0.5 + 0.3), "stakeholders": ["ceo", "cto"]},
        "r8": {"fit": pytest.approx(0.5 * 0.2), "stakeholders": ["cfo"]},
    }


def test_a_stakeholder_with_a_pain_and_an_itch_on_one_item_counts_once_in_full() -> None:
    document = voiced_document()
    document["voices"].append(
        {"id": "v5", "stakeholder": "cfo", "date": "2026-10-01", "text": "x", "category": "pain", "roadmap": ["r8"]}
    )
    assert roadmap_fit(voices(document), POWERS)["r8"]["fit"] == pytest.approx(0.2)


def test_portfolio_fit_sums_accounts_and_ranks_items_with_zero_fit_last() -> None:
    items = [RoadmapItem.model_validate(i) for i in roadmap_document()["items"]]
    other = [v for v in voices() if v.id == "v2"]  # an account where only the CFO's itch on r8 counts
    ranked = portfolio_fit(items, {"b": (other, {"cfo": 0.9}), "a": (voices(), POWERS)})
    assert [(i["id"], i["fit"]) for i in ranked] == [
        ("r7", pytest.approx(0.8)),
        ("r8", pytest.approx(0.1 + 0.45)),
        ("r9", 0),
    ]
    assert ranked[1]["accounts"] == {"a": pytest.approx(0.1), "b": pytest.approx(0.45)}
    assert ranked[1]["stakeholders"] == [{"account": "a", "stakeholder": "cfo"}, {"account": "b", "stakeholder": "cfo"}]
    assert ranked[2] == {
        "id": "r9",
        "title": "Ledger 链",
        "release": "",
        "status": "idea",
        "fit": 0,
        "accounts": {},
        "stakeholders": [],
    }


def test_fit_is_additive_over_accounts() -> None:
    items = [RoadmapItem.model_validate(i) for i in roadmap_document()["items"]]
    alone = portfolio_fit(items, {"a": (voices(), POWERS)})
    twice = portfolio_fit(items, {"a": (voices(), POWERS), "c": (voices(), POWERS)})
    assert [i["fit"] * 2 for i in alone] == pytest.approx([i["fit"] for i in twice])


def test_the_voiced_document_is_not_changed_by_the_analyses() -> None:
    document = voiced_document()
    before = copy.deepcopy(document)
    voice_loop(voices(document), POWERS, DAY)
    assert document == before


def test_a_what_if_plan_removing_a_stakeholder_or_an_activity_keeps_the_voices_sound() -> None:
    from powermap.model.plan import remove_items

    document = parse_account_map(voiced_document()).to_document()
    assert remove_items(document, {"stakeholders": ["cto"], "activities": ["a1"]}) == []
    assert [v["id"] for v in document["voices"]] == ["v2", "v3"]  # the CTO's v1 and v4 went with them
    assert parse_account_map(document, roadmap_ids=ROADMAP).voices[0].id == "v2"
    other = parse_account_map(voiced_document()).to_document()
    remove_items(other, {"activities": ["a1"]})
    assert other["voices"][0]["activity"] is None


def test_a_voice_without_a_status_is_new_and_so_open() -> None:
    document = voiced_document()
    del document["voices"][1]["status"]
    document["voices"][1].update(closed_on="2026-10-01", satisfaction=4)
    assert refused(document) == [
        "voices[1].closed_on ('v2'): must be absent while the voice is open (status 'new')",
        "voices[1].satisfaction ('v2'): only a resolved voice has a satisfaction (status 'new')",
    ]


def test_a_voice_may_be_closed_on_the_day_it_was_heard() -> None:
    document = voiced_document()
    document["voices"][2]["closed_on"] = document["voices"][2]["date"]
    assert parse_account_map(document, roadmap_ids=ROADMAP).voices[2].closed_on == dt.date.fromisoformat(
        document["voices"][2]["date"]
    )
