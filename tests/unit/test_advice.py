"""Advice an account director would follow: paths from the lead, introducers, the order of relationship work,
one entry per target, likelihood-weighted gains and fading relationships."""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings

from powermap.analysis.paths import introduction_paths
from powermap.analysis.recommend import FIRST_CONTACT_KINDS, recommend
from powermap.graph import build_graph, our_strength
from powermap.model import parse_account_map
from tests.factories import random_documents, tiny_document

TODAY = dt.date(2026, 11, 27)
FIRST_CONTACT = {kind.value for kind in FIRST_CONTACT_KINDS}


def graph_of(document: dict[str, Any]) -> nx.DiGraph[str]:
    return build_graph(parse_account_map(document))


def every(found: list[Any]) -> list[dict[str, Any]]:
    return [item | {"target": r["target"]} for r in found for item in (r, *r["alternatives"])]


def advice_of_kind(document: dict[str, Any], kind: str) -> dict[str, Any]:
    """The first advice of that kind (main entry or alternative) for the map."""
    return next(r for r in every(recommend(graph_of(document), limit=50)) if r["activity"] == kind)


def test_the_first_contact_kinds_are_exactly_the_four_of_the_issue() -> None:
    assert {"ice_breaking", "executive_engagement", "summit", "topic_seminar"} == FIRST_CONTACT


def test_a_colleague_who_must_make_the_introduction_is_named_and_the_gain_is_weighed_by_the_path() -> None:
    # Our executive (boss) should meet their CEO level to level, but only Li knows anyone: Li knows the CTO
    # (0.8), who sways the CEO (0.7). So Li introduces, and the meeting happens as likely as 0.8 * 0.7.
    found = every(recommend(graph_of(tiny_document()), limit=50))
    engagement = next(r for r in found if r["activity"] == "executive_engagement" and r["target"] == "ceo")
    assert engagement["lead"] == "boss"
    assert engagement["introducer"] == "li"
    assert engagement["path"] == ["li", "cto", "ceo"]
    assert engagement["likelihood"] == pytest.approx(0.8 * 0.7)
    assert engagement["expected_gain"] == pytest.approx(engagement["gain_if_done"] * 0.8 * 0.7, abs=1e-11)


def test_when_the_lead_has_a_path_of_their_own_it_runs_from_them_and_nobody_introduces() -> None:
    document = tiny_document()
    document["relationships"].append({"member": "boss", "stakeholder": "cfo", "strength": 0.9})
    found = every(recommend(graph_of(document), limit=50))
    engagement = next(r for r in found if r["activity"] == "executive_engagement" and r["target"] == "ceo")
    assert engagement["lead"] == "boss"
    assert engagement["introducer"] is None
    assert engagement["path"] == ["boss", "cfo", "ceo"]  # boss's own best path: 0.9 * 0.5 (reporting line)
    assert engagement["likelihood"] == pytest.approx(0.9 * 0.5)


def test_a_stakeholder_nobody_has_met_gets_no_visit_or_turnaround() -> None:
    # The CFO is a skeptical business evaluator none of us knows: a turnaround would have been proposed before.
    found = every(recommend(graph_of(tiny_document()), limit=100))
    for_cfo = {r["activity"] for r in found if r["target"] == "cfo"}
    assert for_cfo
    assert for_cfo <= FIRST_CONTACT
    assert "ice_breaking" in for_cfo


def test_a_relationship_untouched_for_longer_than_the_limit_is_worth_refreshing() -> None:
    document = tiny_document()  # Li last met the CTO on 2026-10-01
    found = every(recommend(graph_of(document), limit=50, today=dt.date(2026, 10, 31)))
    assert not any(r["activity"] == "meal" for r in found)  # 30 days: nothing fades yet
    late = recommend(graph_of(document), limit=50, today=dt.date(2027, 1, 15))  # 106 days later
    refresh = [r for r in every(late) if r["activity"] == "meal" and r["target"] == "cto"]
    assert len(refresh) == 1
    assert refresh[0]["lead"] == "li"
    assert "106 days" in refresh[0]["reason"]
    main_for_cto = next(r for r in late if r["target"] == "cto")
    assert main_for_cto["fading"] is (main_for_cto["activity"] == "meal")
    # the limit is a parameter (POWERMAP_FADING_AFTER_DAYS for the commands)
    strict = every(recommend(graph_of(document), limit=50, today=dt.date(2026, 10, 31), fading_after_days=20))
    assert any(r["activity"] == "meal" and r["target"] == "cto" for r in strict)


@settings(max_examples=120, deadline=None)
@given(document=random_documents())
def test_advice_keeps_one_entry_per_target_its_path_from_lead_or_introducer_and_first_contact_order(
    document: dict[str, Any],
) -> None:
    graph = graph_of(document)
    found = recommend(graph, limit=50, today=TODAY)
    targets = [r["target"] for r in found]
    assert len(targets) == len(set(targets))
    for advice in every(found):
        if our_strength(graph, advice["target"]) <= 0.0:
            assert advice["activity"] in FIRST_CONTACT
        if advice["path"]:
            assert advice["path"][0] == (advice["introducer"] or advice["lead"])
            assert advice["path"][-1] == advice["target"]
        if advice["introducer"] is not None:
            assert advice["introducer"] != advice["lead"]
            assert introduction_paths(graph, advice["target"], k=1, member=advice["lead"]) == []
        assert 0.0 < advice["likelihood"] <= 1.0
        if len(advice["participants"]) == 1:
            assert advice["expected_gain"] == pytest.approx(advice["gain_if_done"] * advice["likelihood"], abs=1e-9)
        assert advice["expected_gain"] <= advice["gain_if_done"] + 1e-12


def test_the_recommendations_report_model_accepts_exactly_what_recommend_returns() -> None:
    from powermap.model.reports import RecommendationsReport
    from powermap.service import PowermapService
    from powermap.store import open_store
    from tests.factories import sample_document

    with open_store("sqlite:///:memory:") as memory:
        service = PowermapService(memory)
        service.import_map(sample_document())
        report = service.recommend("acme", limit=40)
    assert RecommendationsReport.model_validate(report).model_dump() == report


def test_voice_advice_also_keeps_the_order_of_relationship_work() -> None:
    from tests.voice_factories import voiced_document

    document = voiced_document()
    document["voices"][2]["satisfaction"] = None  # the CEO's resolved pain: a report-back would be an upgrade
    found = every(recommend(graph_of(document), limit=500))
    assert {r["activity"] for r in found if r["target"] == "ceo"} <= FIRST_CONTACT  # none of us knows the CEO


def test_a_first_contact_nobody_can_introduce_is_a_cold_approach_of_likelihood_one_tenth() -> None:
    # The auditor is tied to nobody and none of us knows them: ice-breaking is a cold call, as likely as 0.1.
    document = tiny_document()
    document["stakeholders"].append(
        {"id": "aud", "name": "Audit", "level": "senior", "decision_role": "decision_maker", "influence": 0.8}
    )
    ice = next(r for r in every(recommend(graph_of(document), limit=50)) if r["target"] == "aud")
    assert ice["activity"] == "ice_breaking"
    assert (ice["path"], ice["introducer"]) == ([], None)
    assert ice["likelihood"] == pytest.approx(0.1)
    assert ice["expected_gain"] == pytest.approx(0.1 * ice["gain_if_done"], abs=1e-12)
    assert ice["gain_if_done"] > 0.0
    # Nobody can introduce us, so our member of the closest level opens the channel: the auditor is senior, Li
    # (middle) and Big Boss (executive) are one level away each, and the tie goes to the more senior.
    assert ice["lead"] == "boss"
    assert ice["reason"].endswith("no introduction path exists, so Big Boss should open a direct channel.")


def test_a_turnaround_says_which_stance_it_turns_with_the_right_article() -> None:
    document = tiny_document()
    document["relationships"].append({"member": "li", "stakeholder": "cfo", "strength": 0.3})
    turnaround = advice_of_kind(document, "attitude_turnaround")
    assert " is a skeptic; " in turnaround["reason"]
    document["stakeholders"][2]["stance"] = "opponent"
    turnaround = advice_of_kind(document, "attitude_turnaround")
    assert " is an opponent; " in turnaround["reason"]
    assert turnaround["reason"].endswith("should meet them to address their objections and move them to skeptic.")


def test_a_reason_names_the_target_with_title_role_and_power_and_names_the_lead() -> None:
    # The CFO: standing 0.5 * 0.7 + 0.5 * 0.6 (business evaluator) = 0.65; sways the CEO (0.95) with 0.4,
    # so power 0.65 + 0.35 * 0.5 * 0.4 * 0.95 = 0.7165, shown with two decimals.
    document = tiny_document()
    document["relationships"].append({"member": "li", "stakeholder": "cfo", "strength": 0.3})
    turnaround = advice_of_kind(document, "attitude_turnaround")
    assert turnaround["reason"] == (
        "Fang (CFO, business evaluator, power 0.72) is a skeptic; Li Ming should meet them to address their "
        "objections and move them to neutral."
    )
    document["stakeholders"][2]["title"] = ""  # no title: role and power only
    turnaround = advice_of_kind(document, "attitude_turnaround")
    assert turnaround["reason"].startswith("Fang (business evaluator, power 0.72) is a skeptic; ")


def test_without_a_team_a_first_contact_says_nobody_on_our_team_can_lead_it() -> None:
    document = tiny_document()
    document["team"], document["relationships"], document["activities"] = [], [], []
    found = every(recommend(graph_of(document), limit=50))
    ice = next(r for r in found if r["activity"] == "ice_breaking" and r["target"] == "ceo")
    assert ice["lead"] is None
    assert ice["reason"].endswith("no introduction path exists, so nobody on our team should open a direct channel.")


# Power in the tiny account, by hand: CEO 0.5 * 0.9 + 0.5 * 1.0 = 0.95 (sways nobody); CTO 0.6 + 0.4 * 0.5 * 0.7 * 0.95
# = 0.733; CFO 0.65 + 0.35 * 0.5 * 0.4 * 0.95 = 0.7165.
TINY_POWER = {"ceo": 0.95, "cto": 0.733, "cfo": 0.7165}


def upgrade_for(document: dict[str, Any], target: str) -> dict[str, Any]:
    return next(
        r
        for r in every(recommend(graph_of(document), limit=50))
        if r["activity"] == "relationship_upgrade" and r["target"] == target
    )


def test_an_upgrade_to_exactly_half_adds_the_targets_share_of_power_to_coverage() -> None:
    document = tiny_document()
    document["relationships"].append({"member": "li", "stakeholder": "cfo", "strength": 0.3})  # +0.2: 0.5, covered
    upgrade = upgrade_for(document, "cfo")
    assert upgrade["coverage_gain"] == pytest.approx(TINY_POWER["cfo"] / sum(TINY_POWER.values()))


def test_an_upgrade_of_someone_covered_already_adds_no_coverage() -> None:
    document = tiny_document()
    document["stakeholders"][2]["stance"] = "neutral"  # neutral and held below 0.8: worth an upgrade
    document["relationships"].append({"member": "li", "stakeholder": "cfo", "strength": 0.5})
    assert upgrade_for(document, "cfo")["coverage_gain"] == 0.0


def test_an_activity_that_only_adds_coverage_is_still_recommended() -> None:
    # The clerk sways nobody and decides nothing: warming them cannot move the forecast, but holding them at
    # 0.6 instead of 0.4 covers their power, 0.5 * 0.3 + 0.5 * 0.1 = 0.2 of the total.
    document = tiny_document()
    document["stakeholders"].append({"id": "clerk", "name": "Clerk", "level": "staff", "influence": 0.3})
    document["relationships"].append({"member": "li", "stakeholder": "clerk", "strength": 0.4})
    upgrade = upgrade_for(document, "clerk")
    assert upgrade["expected_gain"] == 0.0
    assert upgrade["coverage_gain"] == pytest.approx(0.2 / (sum(TINY_POWER.values()) + 0.2))


def test_ten_targets_by_default_and_every_expected_gain_is_its_likelihood_times_the_gain_if_done() -> None:
    from tests.factories import sample_map

    graph = build_graph(sample_map())
    assert len(recommend(graph, limit=500)) > 10
    assert len(recommend(graph)) == 10
    found = every(recommend(graph, limit=500))
    groups = [r for r in found if len(r["participants"]) > 1]
    assert groups, "the sample has summits and seminars, whose likelihood is a share of several people's"
    for advice in found:
        assert advice["expected_gain"] == pytest.approx(advice["likelihood"] * advice["gain_if_done"], abs=1e-12)


def test_an_ice_breaking_names_who_introduces_through_whom_and_the_paths_strength() -> None:
    # Nobody of ours knows the CEO; Li knows the CTO (0.8), who sways the CEO (0.7): 0.56 through Tao.
    found = every(recommend(graph_of(tiny_document()), limit=50))
    ice = next(r for r in found if r["activity"] == "ice_breaking" and r["target"] == "ceo")
    assert ice["lead"] == "li"
    assert ice["reason"] == (
        "Chen (CEO, decision maker, power 0.95) has no relationship with our team yet; "
        "Li Ming can be introduced through Tao (path strength 0.56)."
    )
    # The CFO, further on: through the CTO and the CEO, 0.8 * 0.7 * 0.5 (the CFO reports to the CEO).
    ice = next(r for r in found if r["activity"] == "ice_breaking" and r["target"] == "cfo")
    assert ice["reason"].endswith("; Li Ming can be introduced through Tao, Chen (path strength 0.28).")


def test_someone_we_already_hold_however_weakly_gets_no_ice_breaking() -> None:
    document = tiny_document()
    document["relationships"].append({"member": "li", "stakeholder": "ceo", "strength": 0.1})  # below a first contact
    found = every(recommend(graph_of(document), limit=50))
    assert {r["activity"] for r in found if r["target"] == "ceo"}  # other advice for the CEO, but not this
    assert not [r for r in found if r["activity"] == "ice_breaking" and r["target"] == "ceo"]


def test_a_simulated_relationship_never_goes_above_one() -> None:
    # Our executive holds theirs at 0.75; an engagement (+0.3) can only bring that to 1.0, and the gain is
    # exactly the forecast's change for a relationship of 1.0.
    from powermap.analysis.forecast import decision_forecast

    document = tiny_document()
    document["relationships"].append({"member": "boss", "stakeholder": "ceo", "strength": 0.75})
    before = decision_forecast(graph_of(document))["support_index"]
    engagement = advice_of_kind(document, "executive_engagement")
    assert engagement["target"] == "ceo"
    document["relationships"][-1]["strength"] = 1.0
    after = decision_forecast(graph_of(document))["support_index"]
    assert engagement["gain_if_done"] == pytest.approx(after - before, abs=1e-12)


def test_a_target_within_the_limit_keeps_every_alternative_even_those_ranked_below_other_targets() -> None:
    from tests.factories import sample_map

    # In the sample, the COO's weaker alternatives rank below the procurement director's best activity.
    graph = build_graph(sample_map())
    (top,) = recommend(graph, limit=1)
    full = recommend(graph, limit=50)
    assert top == full[0]
    assert min(a["expected_gain"] for a in top["alternatives"]) < full[1]["expected_gain"]


def test_of_two_activities_of_equal_expected_gain_the_one_adding_more_coverage_comes_first() -> None:
    # Two clerks who sway nobody: upgrading either moves no forecast; the one of more power adds more coverage.
    document = tiny_document()
    document["stakeholders"] += [
        {"id": "clerk1", "name": "Clerk One", "level": "staff", "influence": 0.3},
        {"id": "clerk2", "name": "Clerk Two", "level": "staff", "influence": 0.5},
    ]
    document["relationships"] += [
        {"member": "li", "stakeholder": "clerk1", "strength": 0.4},
        {"member": "li", "stakeholder": "clerk2", "strength": 0.4},
    ]
    targets = [r["target"] for r in recommend(graph_of(document), limit=50)]
    assert targets.index("clerk2") < targets.index("clerk1")


def upgrades_for_cto(stance: str, strength: float) -> list[dict[str, Any]]:
    """The relationship upgrades advised for the CTO when Li holds them at ``strength`` with that stance."""
    document = tiny_document()
    document["stakeholders"][1]["stance"] = stance
    document["relationships"][0]["strength"] = strength
    found = every(recommend(graph_of(document), limit=50))
    return [r for r in found if r["activity"] == "relationship_upgrade" and r["target"] == "cto"]


def test_a_relationship_below_six_tenths_is_worth_upgrading_and_one_at_six_tenths_is_not() -> None:
    (weak,) = upgrades_for_cto("supporter", 0.59)
    assert weak["reason"].startswith("Our relationship with Tao (CTO, technical evaluator, power ")
    assert weak["reason"].endswith(" is only 0.59; Li Ming should deepen it.")
    assert upgrades_for_cto("supporter", 0.6) == []
    assert upgrades_for_cto("supporter", 0.7) == []


def test_a_neutral_held_below_eight_tenths_is_worth_upgrading_and_one_at_eight_tenths_is_not() -> None:
    (lukewarm,) = upgrades_for_cto("neutral", 0.7)
    assert lukewarm["reason"].endswith(" is only 0.70 and they are neutral; Li Ming should deepen it.")
    assert upgrades_for_cto("neutral", 0.8) == []
    assert upgrades_for_cto("neutral", 0.9) == []


def advice_for(document: dict[str, Any], kind: str, target: str, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every advice of that kind for that target (as main entry or alternative)."""
    found = every(recommend(graph_of(document), limit=50, today=today))
    return [r for r in found if r["activity"] == kind and r["target"] == target]


def test_a_competitor_block_names_the_competitor_the_strengths_and_who_counters() -> None:
    document = tiny_document()
    document["relationships"].append({"member": "li", "stakeholder": "cfo", "strength": 0.3})
    (block,) = advice_for(document, "competitor_block", "cfo")
    assert block["reason"] == (
        "Rival holds Fang (CFO, business evaluator, power 0.72) at 0.60 against our 0.30; "
        "Li Ming should counter its position before the decision."
    )


def test_an_executive_engagement_is_for_executives_and_seniors_held_below_eight_tenths() -> None:
    document = tiny_document()
    document["relationships"].append({"member": "li", "stakeholder": "cfo", "strength": 0.3})
    (engagement,) = advice_for(document, "executive_engagement", "cfo")
    assert engagement["reason"] == (
        "Fang (CFO, business evaluator, power 0.72) is at executive level and we hold them at 0.30; "
        "a visit by Big Boss, our executive, matches level to level."
    )
    document["relationships"][-1]["strength"] = 0.8
    assert advice_for(document, "executive_engagement", "cfo") == []


def test_a_summit_gathers_two_or_more_executives_we_hold_below_seven_tenths_the_strongest_first() -> None:
    # Nobody of ours holds the CEO (0.95) or the CFO (0.72): a summit for both, aimed at the CEO.
    document = tiny_document()
    (summit,) = advice_for(document, "summit", "ceo")
    assert summit["participants"] == ["ceo", "cfo"]
    assert summit["reason"] == (
        "2 of their executives (Chen, Fang) are not yet close to us; a summit hosted by Big Boss lifts all of "
        "these relationships at once."
    )
    document["relationships"].append({"member": "boss", "stakeholder": "cfo", "strength": 0.7})  # close enough
    assert advice_for(document, "summit", "ceo") == []


def test_a_summit_invites_at_most_five_executives() -> None:
    document = tiny_document()
    document["stakeholders"] += [
        {"id": f"vp{i}", "name": f"VP {i}", "level": "executive", "influence": 0.5 - i / 100} for i in range(5)
    ]
    (summit,) = advice_for(document, "summit", "ceo")
    assert summit["participants"] == ["ceo", "cfo", "vp0", "vp1", "vp2"]  # the five most powerful of seven


def test_a_site_visit_is_for_neutral_evaluators_and_warms_them_a_step() -> None:
    from powermap.analysis.forecast import decision_forecast

    document = tiny_document()
    document["stakeholders"][1]["stance"] = "neutral"  # the CTO, a technical evaluator Li holds at 0.8
    before = decision_forecast(graph_of(document))["support_index"]
    (visit,) = advice_for(document, "site_visit", "cto")
    assert visit["reason"] == (
        "Tao (CTO, technical evaluator, power 0.73) is undecided; seeing a working reference site or our factory, "
        "hosted by Li Ming, gives them the evidence to come out for us."
    )
    document["stakeholders"][1]["stance"] = "supporter"
    document["relationships"][0]["strength"] = 0.9
    after = decision_forecast(graph_of(document))["support_index"]
    assert visit["gain_if_done"] == pytest.approx(after - before, abs=1e-12)
    document["stakeholders"][1].update(stance="neutral", decision_role="user")  # not an evaluator: no visit
    assert advice_for(document, "site_visit", "cto") == []


def seminar_document(strengths: list[float], department: str = "Plant") -> dict[str, Any]:
    document = tiny_document()
    for i, strength in enumerate(strengths):
        document["stakeholders"].append(
            {"id": f"eng{i}", "name": f"Eng {i}", "level": "staff", "department": department, "influence": 0.3 + i / 10}
        )
        document["relationships"].append({"member": "li", "stakeholder": f"eng{i}", "strength": strength})
    return document


def test_a_topic_seminar_gathers_three_of_one_department_held_below_half_aimed_at_the_strongest() -> None:
    # Engineers who sway nobody: a seminar (+0.1) moves no forecast but covers all three (0.45 -> 0.55).
    (seminar,) = advice_for(seminar_document([0.45, 0.45, 0.45]), "topic_seminar", "eng2")
    assert seminar["participants"] == ["eng2", "eng1", "eng0"]  # most powerful first: influence 0.5, 0.4, 0.3
    covered = every(recommend(graph_of(seminar_document([0.45, 0.45, 0.5])), limit=50))
    assert not [r for r in covered if r["activity"] == "topic_seminar"]  # one of three is covered at 0.5
    assert not [
        r for r in every(recommend(graph_of(seminar_document([0.45] * 3, "")))) if r["activity"] == "topic_seminar"
    ]


def fading_document(li: float, wu: float | None, wu_contact: str) -> dict[str, Any]:
    """Li last met the CTO on 2026-10-01 (held at ``li``); Wu holds them at ``wu`` (None: not at all)."""
    document = tiny_document()
    document["relationships"][0]["strength"] = li
    if wu is not None:
        document["team"].append({"id": "wu", "name": "Wu Fei", "role": "SR", "level": "senior"})
        document["relationships"].append(
            {"member": "wu", "stakeholder": "cto", "strength": wu, "last_contact": wu_contact}
        )
    return document


def test_a_refresh_is_led_by_whoever_holds_the_fading_stakeholder_best_and_says_since_when() -> None:
    late = dt.date(2027, 1, 15)  # 106 days after Li's last contact
    (meal,) = advice_for(fading_document(0.8, 0.3, "2026-09-01"), "meal", "cto", today=late)
    assert meal["lead"] == "li"
    assert meal["reason"] == (
        "Nobody of ours has been in touch with Tao (CTO, technical evaluator, power 0.73) for 106 days "
        "(since 2026-10-01); Li Ming should refresh the relationship before it fades."
    )
    (meal,) = advice_for(fading_document(0.3, 0.8, "2026-09-01"), "meal", "cto", today=late)
    assert meal["lead"] == "wu"


def test_no_refresh_while_someone_of_ours_keeps_in_touch_and_relationships_of_zero_do_not_count() -> None:
    late = dt.date(2027, 1, 15)
    assert advice_for(fading_document(0.8, 0.5, "2027-01-10"), "meal", "cto", today=late) == []
    assert len(advice_for(fading_document(0.8, 0.0, "2027-01-10"), "meal", "cto", today=late)) == 1
