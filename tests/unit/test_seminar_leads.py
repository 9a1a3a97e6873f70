"""Who leads a topic seminar: our solution lead (SR) when we have one, else the member closest in level to the
most powerful guest; and the reason names that person. Small maps worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import tiny_document
from tests.unit.test_voice_advice import advice, voice
from tests.voice_factories import voiced_document

SR = {"id": "sun", "name": "Sun Li", "role": "SR", "title": "SA", "level": "staff"}


def plant_document() -> dict[str, Any]:
    """Three people of Plant nobody of ours holds, reachable through the CTO; Li is senior, Big Boss executive."""
    document = tiny_document()
    document["team"][0]["level"] = "senior"
    for i, (level, influence) in enumerate([("senior", 0.5), ("executive", 0.3), ("middle", 0.2)]):
        document["stakeholders"].append(
            {
                "id": f"p{i}",
                "name": f"Plant {i}",
                "title": "",
                "department": "Plant",
                "level": level,
                "decision_role": "user",
                "influence": influence,
                "stance": "neutral",
                "notes": "",
            }
        )
        document["reports_to"].append({"from": f"p{i}", "to": "cto"})
        document["influences"].append({"from": f"p{i}", "to": "cto", "weight": 0.3})
    return document


def seminars(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in advice(document) if r["activity"] == "topic_seminar"]


@pytest.mark.parametrize("with_sr", [False, True])
def test_a_department_seminar_is_led_by_our_sr_or_the_member_level_with_its_first_guest(with_sr: bool) -> None:
    document = plant_document()
    if with_sr:
        document["team"].append(SR)
    (seminar,) = seminars(document)
    assert seminar["participants"][0] == "p0"  # the most powerful of the three, a senior
    lead, name = ("sun", "Sun Li") if with_sr else ("li", "Li Ming")  # not Big Boss, level with p1 only
    assert seminar["lead"] == lead
    assert seminar["reason"].endswith(f"a topic seminar led by {name} reaches them as a group.")


@pytest.mark.parametrize("with_sr", [False, True])
def test_a_shared_pain_seminar_is_led_by_our_sr_or_the_member_level_with_its_first_guest(with_sr: bool) -> None:
    document = voiced_document()
    document["team"][0]["level"] = "senior"  # Li: level with the CTO; Big Boss: level with the CFO
    document["voices"].append(voice("v5", "cfo", category="pain", roadmap=["r7"]))
    if with_sr:
        document["team"].append(SR)
    (seminar,) = seminars(document)
    assert seminar["participants"] == ["cto", "cfo"]  # the CTO weighs more
    lead, name = ("sun", "Sun Li") if with_sr else ("li", "Li Ming")
    assert seminar["lead"] == lead
    assert f"led by {name}, answers them together" in seminar["reason"]
    assert seminar["reason"].startswith("Tao, Fang share an open pain (v1 ")
    assert '…"; v5 "said v5"); a topic seminar on roadmap item r7' in seminar["reason"]  # each voice quoted
