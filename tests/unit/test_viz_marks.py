"""What the map marks on a given day: fading relationships (issue 8), open pains and voices (issue 9).

Hand-built maps with known dates; the expectations are counted by hand here, not read back from the
analysis. tests/e2e/test_web_app_map_marks.py checks the same marks in a real browser.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from powermap.model import AccountMap, parse_account_map
from powermap.settings import Settings
from powermap.viz import map_data, render_map, style
from powermap.viz.render import MapDay
from tests.unit.test_viz import embedded_data

TODAY = dt.date(2026, 11, 27)


def days_ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def small_map() -> AccountMap:
    """Li knows Ann (last met 100 days ago), Bob (10 days ago) and Cy (never recorded); Bob has voices."""
    return parse_account_map(
        {
            "account": {"id": "a", "name": "A"},
            "team": [{"id": "li", "name": "Li", "role": "AR"}],
            "stakeholders": [
                {"id": "ann", "name": "Ann", "level": "staff", "influence": 0.2},
                {"id": "bob", "name": "Bob", "level": "executive", "influence": 0.9},
                {"id": "cy", "name": "Cy", "level": "middle", "influence": 0.5},
            ],
            "relationships": [
                {"member": "li", "stakeholder": "ann", "strength": 0.6, "last_contact": days_ago(100)},
                {"member": "li", "stakeholder": "bob", "strength": 0.8, "last_contact": days_ago(10)},
                {"member": "li", "stakeholder": "cy", "strength": 0.4},
            ],
            "voices": [
                {"id": "v-old", "stakeholder": "bob", "date": days_ago(40), "text": "<b>停线</b> hurts",
                 "category": "pain", "status": "routed"},
                {"id": "v-new", "stakeholder": "bob", "date": days_ago(5), "text": "nice to have", "category": "itch"},
                {"id": "v-done", "stakeholder": "ann", "date": days_ago(60), "text": "fixed", "category": "pain",
                 "status": "resolved", "closed_on": days_ago(20), "satisfaction": 4},
            ],
        }
    )  # fmt: skip


def relationship_edges(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {edge["to"].split(":", 1)[1]: edge for edge in data["edges"] if edge["kind"] == "relationship"}


def test_a_relationship_untouched_longer_than_the_window_is_drawn_fading_and_a_fresh_one_is_not() -> None:
    data = map_data(small_map(), {}, day=MapDay(TODAY))
    edges = relationship_edges(data)
    assert edges["ann"]["fading"] is True
    assert edges["ann"]["dashes"] == list(style.FADING_DASHES)
    assert edges["ann"]["color"]["color"] == style.FADING_COLOUR
    assert f"Fading: last contact {days_ago(100)}, 100 days ago" in edges["ann"]["title"]
    assert edges["bob"]["fading"] is False
    assert edges["bob"]["dashes"] is False
    assert edges["bob"]["color"]["color"] == style.EDGE_STYLES[edges["bob"]["kind"]].colour
    assert f"Last contact {days_ago(10)}, 10 days ago" in edges["bob"]["title"]
    assert edges["cy"]["fading"] is False, "no recorded contact: we do not know, so not called fading"
    assert "contact" not in edges["cy"]["title"].lower()
    assert [(f["member"], f["stakeholder"], f["days"]) for f in data["fading"]] == [("li", "ann", 100)]


def test_the_fading_window_is_the_configured_one() -> None:
    day = MapDay.of(TODAY, Settings(fading_after_days=7, voice_overdue_days=50))
    data = map_data(small_map(), {}, day=day)
    assert {name for name, edge in relationship_edges(data).items() if edge["fading"]} == {"ann", "bob"}
    assert data["fadingAfterDays"] == 7
    assert data["voiceOverdueDays"] == 50
    assert not any(v["overdue"] for v in data["voices"]), "40 days is not overdue with a 50-day window"


def test_without_a_day_nothing_is_called_fading_and_voices_have_no_age() -> None:
    data = map_data(small_map(), {})
    assert not any(edge["fading"] for edge in relationship_edges(data).values())
    assert data["fading"] == []
    assert data["voiceLoop"] is None
    assert {v["id"]: v["age_days"] for v in data["voices"]} == {"v-old": None, "v-new": None, "v-done": None}


def test_voices_carry_their_age_and_the_loop_summary_counts_them() -> None:
    data = map_data(small_map(), {"ann": 0.25, "bob": 0.5, "cy": 0.25}, day=MapDay(TODAY))
    rows = {v["id"]: v for v in data["voices"]}
    assert (rows["v-old"]["age_days"], rows["v-old"]["overdue"]) == (40, True)
    assert (rows["v-new"]["age_days"], rows["v-new"]["overdue"]) == (5, False)
    assert rows["v-done"]["age_days"] == 40, "a closed voice's age runs to its closing"
    assert rows["v-old"]["text"] == "<b>停线</b> hurts", "the words as said"
    bob = next(node for node in data["nodes"] if node["ref"] == "bob")
    assert f"since {days_ago(40)} (40 days): <b>停线</b> hurts" in bob["title"], "the hover card counts the age too"
    assert [v["id"] for v in data["voices"]] == ["v-old", "v-new", "v-done"], "overdue first, closed last"
    loop = data["voiceLoop"]
    assert (loop["total"], loop["open"], loop["overdue"]) == (3, 2, 1)
    assert loop["closure_rate"] == pytest.approx(1 / 3, abs=1e-6), "one of three pains and itches resolved"
    assert loop["mean_satisfaction"] == 4.0
    assert loop["pain_exposure"] == 0.5, "Bob holds half the power and has an open pain"
    marked = {node["ref"]: node["label"] for node in data["nodes"] if node["kind"] == "stakeholder"}
    assert marked == {"ann": "Ann", "bob": f"Bob {style.PAIN_MARK}", "cy": "Cy"}


def test_the_offline_file_has_the_fading_legend_and_the_voice_panels() -> None:
    page = render_map(small_map(), {}, day=MapDay(TODAY, fading_after_days=60))
    assert style.FADING_LABEL.format(days=60) in page
    for element in ('id="pm-legend-fading"', 'id="pm-legend-pain"', 'id="pm-voice-loop"', 'id="pm-person"',
                    'id="pm-fading"'):  # fmt: skip
        assert element in page
    data = embedded_data(page)
    assert relationship_edges(data)["ann"]["fading"] is True
    assert "<b>停线" not in page, "a voice's markup is escaped in the embedded data"
    assert data["voices"][0]["text"] == "<b>停线</b> hurts"
