"""Advice that closes the voice loop: recommendations drawn from voices, each citing the voices it answers."""

from __future__ import annotations

from typing import Any

from powermap.analysis.recommend import Recommendation, recommend
from powermap.graph import build_graph
from powermap.model import parse_account_map
from tests.voice_factories import voiced_document


def advice(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every activity advised: each target's main one and its alternatives (one entry per target)."""
    found: list[Recommendation] = recommend(build_graph(parse_account_map(document)), limit=500)
    return [dict(item) | {"target": r["target"]} for r in found for item in (r, *r["alternatives"])]


def citing(recommendations: list[dict[str, Any]], *voice_ids: str) -> list[dict[str, Any]]:
    return [r for r in recommendations if all(f"{v} " in r["reason"] for v in voice_ids)]


def voice(voice_id: str, stakeholder: str, **fields: Any) -> dict[str, Any]:
    return {"id": voice_id, "stakeholder": stakeholder, "date": "2026-10-01", "text": f"said {voice_id}", **fields}


def test_a_resolved_voice_nobody_asked_about_is_reported_back_to_whoever_raised_it() -> None:
    document = voiced_document()
    document["voices"][2]["satisfaction"] = None  # v3: the CEO's pain, resolved on 2026-10-20
    # Someone of ours must know the CEO: nobody upgrades a relationship none of us has (issue 8).
    document["relationships"].append({"member": "li", "stakeholder": "ceo", "strength": 0.3})
    (found,) = citing(advice(document), "v3")
    assert found["activity"] == "relationship_upgrade"
    assert found["target"] == "ceo"
    assert found["participants"] == ["ceo"]
    assert '"We want a supplier who co-creates our digital strategy"' in found["reason"]
    assert "2026-10-20" in found["reason"]
    assert "satisfied" in found["reason"]
    assert found["expected_gain"] > 0


def test_a_resolved_voice_already_rated_is_not_reported_back_again() -> None:
    assert citing(advice(voiced_document()), "v3") == []  # satisfaction 4 is known


def test_stakeholders_sharing_an_open_pain_get_a_topic_seminar_naming_their_voices() -> None:
    document = voiced_document()
    document["voices"].append(voice("v5", "cfo", category="pain", roadmap=["r7"]))  # the CFO shares v1's pain on r7
    (found,) = [r for r in citing(advice(document), "v1", "v5") if r["activity"] == "topic_seminar"]
    assert sorted(found["participants"]) == ["cfo", "cto"]
    assert "r7" in found["reason"]
    assert "Tao" in found["reason"]
    assert "Fang" in found["reason"]


def test_pains_shared_through_one_owner_make_a_seminar_and_closed_or_lone_pains_do_not() -> None:
    document = voiced_document()
    document["voices"] += [
        voice("v5", "cfo", category="pain", owner="Quality"),
        voice("v6", "ceo", category="pain", owner="Quality"),
        voice("v7", "cto", category="pain", owner="Logistics"),  # alone with its owner
        voice("v8", "cto", category="itch", owner="Quality"),  # an itch is no pain
        voice("v9", "cto", category="pain", owner="Quality", status="rejected", closed_on="2026-10-02"),
    ]
    seminars = [r for r in advice(document) if r["activity"] == "topic_seminar" and "share an open pain" in r["reason"]]
    assert [sorted(r["participants"]) for r in seminars] == [["ceo", "cfo"]]
    assert "v5 " in seminars[0]["reason"]
    assert "v6 " in seminars[0]["reason"]
    assert "v9" not in seminars[0]["reason"]
    assert "v8" not in seminars[0]["reason"]


def test_executives_with_open_voices_get_a_summit_where_our_executive_reports_progress() -> None:
    document = voiced_document()
    document["voices"].append(voice("v5", "ceo", category="pain"))  # CEO and CFO (v2) are executives
    (found,) = citing(advice(document), "v5", "v2")
    assert found["activity"] == "summit"
    assert found["lead"] == "boss"  # our executive
    assert sorted(found["participants"]) == ["ceo", "cfo"]
    assert "reports progress" in found["reason"]


def test_pseudo_needs_and_open_voices_of_a_lone_executive_bring_no_summit() -> None:
    document = voiced_document()
    document["voices"].append(voice("v5", "ceo", category="pseudo"))
    assert [r for r in advice(document) if "reports progress" in r["reason"]] == []


def test_a_map_without_voices_gets_no_loop_advice() -> None:
    document = voiced_document()
    document["voices"] = []
    assert [r for r in advice(document) if '"' in r["reason"]] == []


def test_a_report_back_names_the_voice_when_it_was_resolved_and_who_asks() -> None:
    document = voiced_document()
    document["voices"][2]["satisfaction"] = None  # v3: the CEO's pain, resolved on 2026-10-20
    document["relationships"].append({"member": "li", "stakeholder": "ceo", "strength": 0.3})
    (found,) = citing(advice(document), "v3")
    assert found["lead"] == "li"
    assert found["reason"].endswith(
        ' raised v3 "We want a supplier who co-creates our digital strategy", resolved on 2026-10-20, and nobody '
        "has asked them yet whether it is solved for them: Li Ming should report it back and ask how satisfied "
        "they are (1-5), closing the loop with the person who raised it."
    )


def test_only_resolved_voices_are_reported_back() -> None:
    # v1 (the CTO's pain, in progress) and v2 (the CFO's itch, routed) have no satisfaction either: still open.
    found = advice(voiced_document())
    assert [r for r in found if r["activity"] == "relationship_upgrade" and "report it back" in r["reason"]] == []


def test_pains_shared_through_one_owner_make_a_seminar_on_what_that_owner_is_doing() -> None:
    document = voiced_document()
    document["voices"] += [
        voice("v5", "cfo", category="pain", owner="Quality"),
        voice("v6", "ceo", category="pain", owner="Quality"),
    ]
    (seminar,) = [r for r in advice(document) if "share an open pain" in r["reason"]]
    assert seminar["target"] == "ceo"  # the most powerful of the two
    assert "a topic seminar on what Quality is doing about it, led by " in seminar["reason"]


def test_people_sharing_pains_both_on_an_item_and_through_an_owner_get_one_seminar_on_the_item() -> None:
    document = voiced_document()
    document["voices"] += [
        voice("v5", "cfo", category="pain", roadmap=["r7"]),  # with v1, the CTO's pain on r7
        voice("v6", "cto", category="pain", owner="Quality"),
        voice("v7", "cfo", category="pain", owner="Quality"),
    ]
    (seminar,) = [r for r in advice(document) if "share an open pain" in r["reason"]]
    assert seminar["target"] == "cto"
    assert "a topic seminar on roadmap item r7, led by " in seminar["reason"]


def test_a_progress_summit_invites_the_five_most_powerful_executives_with_open_voices() -> None:
    document = voiced_document()
    document["voices"].append(voice("v5", "ceo", category="pain"))  # with v2, the CFO's itch
    for i, influence in enumerate([0.1, 0.2, 0.3, 0.4]):  # a0 is the weakest: left out, though first by id
        document["stakeholders"].append({"id": f"a{i}", "name": f"A{i}", "level": "executive", "influence": influence})
        document["voices"].append(voice(f"w{i}", f"a{i}", category="itch"))
    (summit,) = [r for r in advice(document) if "reports progress" in r["reason"]]
    assert summit["target"] == "ceo"
    assert summit["participants"] == ["ceo", "cfo", "a3", "a2", "a1"]
    assert summit["reason"].startswith(
        '5 of their executives have voices still open (Chen: v5 "said v5"; Fang: v2 "许可证按工厂计费太贵"; '
        'A3: w3 "said w3"; A2: w2 "said w2"; A1: w1 "said w1"); a summit where Big Boss, our executive, reports '
        "progress on each draws their leaders into the loop."
    )


def test_a_progress_summit_is_led_by_our_executive_even_when_another_member_matches_their_level() -> None:
    document = voiced_document()
    document["voices"].append(voice("v5", "ceo", category="pain", text="one, two"))
    document["voices"].append(voice("v6", "ceo", category="itch"))
    document["team"][0]["level"] = "executive"  # Li, an AR at their level
    document["team"][1]["level"] = "senior"  # Big Boss, our executive sponsor, one level below
    (summit,) = [r for r in advice(document) if "reports progress" in r["reason"]]
    assert summit["lead"] == "boss"
    assert '(Chen: v5 "one, two", v6 "said v6"; Fang: v2 ' in summit["reason"]
