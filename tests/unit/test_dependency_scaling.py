"""Single-champion risk solved from one analysis equals one full analysis of a copy per person.

``dependency`` warm-starts every departure from today's solution (the stakeholders' side by side) and
finds reach by a strongest-path search; here it is checked against the plain way (a copy of the graph
without each person, analysed from scratch: ``bench/naive_dependency.py``) on synthetic accounts large
enough for influence to travel far, on random maps, in batches of a few departures,
and on maps shaped to hit the corners (a sole influencer, people with no lines, no decision maker).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from bench.naive_dependency import naive_drops
from bench.synthetic import synthetic_document
from powermap.analysis import departures
from powermap.analysis.dependency import dependency
from powermap.graph import build_graph
from powermap.model import parse_account_map
from tests.factories import random_documents


def check(document: dict[str, Any]) -> None:
    graph = build_graph(parse_account_map(document))
    found = dependency(graph)
    expected = naive_drops(graph)
    rows = [("member", d) for d in found["members"]] + [("stakeholder", d) for d in found["stakeholders"]]
    assert sorted((kind, d["id"]) for kind, d in rows) == sorted(expected)
    for kind, d in rows:
        coverage_drop, support_drop, reach_drop = expected[(kind, d["id"])]
        assert d["coverage_drop"] == pytest.approx(coverage_drop, abs=1e-9), (kind, d["id"])
        assert d["support_drop"] == pytest.approx(support_drop, abs=1e-9), (kind, d["id"])
        assert d["reach_drop"] == pytest.approx(reach_drop, abs=1e-12), (kind, d["id"])


@pytest.mark.parametrize(("size", "seed"), [(40, 1), (80, 2), (120, 3)])
def test_drops_equal_full_analyses_of_copies_on_synthetic_accounts(size: int, seed: int) -> None:
    check(synthetic_document(size, seed=seed))


def test_corners_sole_influencer_people_without_lines_and_no_decision_maker() -> None:
    document = synthetic_document(30, seed=7)
    for person in document["stakeholders"]:
        person["decision_role"] = "user" if person["decision_role"] == "decision_maker" else person["decision_role"]
    document["stakeholders"].append(
        {"id": "loner", "name": "No Lines", "level": "staff", "influence": 0.3, "stance": "opponent"}
    )
    document["stakeholders"].append({"id": "swayed", "name": "Swayed Once", "level": "staff", "influence": 0.2})
    first = document["stakeholders"][0]["id"]
    document["influences"].append({"from": first, "to": "swayed", "weight": 0.9})
    check(document)


@settings(max_examples=150, deadline=None)
@given(document=random_documents(max_stakeholders=9))
def test_drops_equal_full_analyses_of_copies_on_random_accounts(document: dict[str, Any]) -> None:
    # Random maps reach the corners: no decision maker, the only one leaving, people without lines, lines of 0.
    check(document)


def test_departures_solved_in_batches_of_a_few_give_the_drops_of_full_analyses(monkeypatch: pytest.MonkeyPatch) -> None:
    document = synthetic_document(45, seed=5)
    monkeypatch.setattr(departures, "VALUES_PER_BATCH", 45 * 7)  # batches of 7 departures, the last of 3
    monkeypatch.setattr(departures, "MIN_BATCH", 1)
    check(document)
