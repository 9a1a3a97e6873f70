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
