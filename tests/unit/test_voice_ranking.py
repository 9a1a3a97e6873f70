"""The order a person reads voices and roadmap items in, and the documents they come as (by hand)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from powermap.analysis.voice_advice import quote
from powermap.analysis.voices import portfolio_fit, roadmap_fit, voice_rows
from powermap.model import RoadmapItem, Voice

TODAY = dt.date(2026, 3, 1)


def voice(vid: str, stakeholder: str = "s1", **fields: Any) -> Voice:
    return Voice.model_validate({"id": vid, "stakeholder": stakeholder, "date": "2026-01-01", "text": "t", **fields})


def test_voice_rows_are_json_documents_and_use_the_overdue_days_given() -> None:
    pain = voice("p", category="pain", date="2026-02-10")  # 19 days old on TODAY
    rows = voice_rows([voice("q", priority=1), pain], {"s1": 0.4}, TODAY, overdue_days=10)
    assert json.loads(json.dumps(rows)) == rows  # plain JSON: dates as text, ready for --json and the API
    assert [(r["id"], r["overdue"], r["age_days"], r["date"]) for r in rows] == [
        ("p", True, 19, "2026-02-10"),  # older than 10 days: overdue, so first despite no priority
        ("q", False, 59, "2026-01-01"),
    ]
    assert voice_rows([pain], {"s1": 0.4}, TODAY)[0]["overdue"] is False  # 19 days: not past the default 30


def test_open_voices_come_by_priority_before_age_and_unset_priority_last() -> None:
    rows = voice_rows(
        [
            voice("old-low", priority=4, date="2026-01-01"),
            voice("unset", date="2025-06-01"),
            voice("new-high", priority=1, date="2026-02-01"),
        ],
        {"s1": 0.4},
        TODAY,
    )
    assert [r["id"] for r in rows] == ["new-high", "old-low", "unset"]


def test_an_items_stakeholders_come_most_weighty_first_not_by_id() -> None:
    voices = [
        voice("a", "a-light", category="pain", roadmap=["r"]),
        voice("b", "b-heavy", category="pain", roadmap=["r"]),
    ]
    fits = roadmap_fit(voices, {"a-light": 0.2, "b-heavy": 0.5})
    assert fits == {"r": {"fit": pytest.approx(0.7), "stakeholders": ["b-heavy", "a-light"]}}


def test_the_portfolio_ranks_items_by_fit_and_ties_in_roadmap_order() -> None:
    items = [RoadmapItem(id=i, title=i.upper()) for i in ("first", "second", "third", "fourth")]
    voices = [voice("v", category="itch", roadmap=["third"]), voice("w", "s2", category="pain", roadmap=["second"])]
    ranked = portfolio_fit(items, {"acme": (voices, {"s1": 0.6, "s2": 0.2})})
    # third: an itch of 0.6 power counts half, 0.3; second: a pain of 0.2; first and fourth: nobody, in order
    assert [(r["id"], r["fit"]) for r in ranked] == [
        ("third", pytest.approx(0.3)),
        ("second", pytest.approx(0.2)),
        ("first", 0),
        ("fourth", 0),
    ]
    assert ranked[0] == {
        "id": "third",
        "title": "THIRD",
        "release": "",
        "status": "idea",
        "fit": pytest.approx(0.3),
        "accounts": {"acme": pytest.approx(0.3)},
        "stakeholders": [{"account": "acme", "stakeholder": "s1"}],
    }


def test_a_reason_quotes_a_voice_in_at_most_60_characters_marking_a_cut() -> None:
    exact = "x" * 60
    assert quote(voice("v", text=exact)) == f'v "{exact}"'
    assert quote(voice("v", text=exact + "y")) == f'v "{"x" * 59}…"'  # 59 characters and the mark: 60
