"""Drawing the next revision from the last one gives exactly the drawing made from scratch.

The oracle is :func:`powermap.viz.map_data` without a memo (every piece computed afresh); the memo
must only ever save time. Edits are the ones the web app makes: one stakeholder changed (a label or
a weight), a line added or removed, a person added or removed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synthetic import synthetic_document
from powermap.analysis.power import power
from powermap.graph import build_graph, ties
from powermap.model import parse_account_map
from powermap.viz import layout, map_data
from powermap.viz.incremental import DrawingMemo, analysis_key, apply_delta, data_delta
from powermap.viz.panels import dominated, panel_report
from tests.factories import random_documents

Edit = Callable[[dict[str, Any]], None]


def _person(document: dict[str, Any], index: int) -> dict[str, Any]:
    people: list[dict[str, Any]] = document["stakeholders"]
    return people[index % len(people)]


def _retitle(index: int) -> Edit:
    return lambda d: _person(d, index).update(title="Head of <b>things</b>")


def _rename(index: int) -> Edit:
    return lambda d: _person(d, index).update(name="陈 </script>")


def _move(index: int) -> Edit:
    return lambda d: _person(d, index).update(department="Elsewhere")


def _reweigh(index: int) -> Edit:
    return lambda d: _person(d, index).update(influence=round(1 - float(_person(d, index)["influence"]), 2))


def _turn(index: int) -> Edit:
    return lambda d: _person(d, index).update(
        stance="opponent" if _person(d, index)["stance"] != "opponent" else "champion"
    )


def _unlink(index: int) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        if document["influences"]:
            del document["influences"][index % len(document["influences"])]

    return edit


def _link(index: int) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        ids = [person["id"] for person in document["stakeholders"]]
        taken = {(line["from"], line["to"]) for line in document["influences"]}
        free = [(a, b) for a in ids for b in ids if a != b and (a, b) not in taken]
        if free:
            a, b = free[index % len(free)]
            document["influences"].append({"from": a, "to": b, "weight": 0.8})

    return edit


def _closer(index: int) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        if document["relationships"]:
            line = document["relationships"][index % len(document["relationships"])]
            line["strength"] = round(1 - float(line["strength"]), 2)

    return edit


def _rival(index: int) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        if document["competitor_relationships"]:
            line = document["competitor_relationships"][index % len(document["competitor_relationships"])]
            line["strength"] = round(min(1.0, float(line["strength"]) + 0.05), 3)

    return edit


def _add_person(index: int) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        taken = {person["id"] for person in document["stakeholders"]}
        new = next(f"new{index}-{n}" for n in range(len(taken) + 1) if f"new{index}-{n}" not in taken)
        document["stakeholders"].append(
            {"id": new, "name": "Newcomer", "level": "middle", "influence": 0.4, "stance": "supporter"}
        )

    return edit


def _remove_person(index: int) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        if len(document["stakeholders"]) < 2:
            return
        gone = _person(document, index)["id"]
        document["stakeholders"] = [p for p in document["stakeholders"] if p["id"] != gone]
        for name, ends in (
            ("reports_to", ("from", "to")),
            ("influences", ("from", "to")),
            ("relationships", ("stakeholder",)),
            ("competitor_relationships", ("stakeholder",)),
        ):
            document[name] = [line for line in document[name] if all(line[end] != gone for end in ends)]

    return edit


EDITS = [_retitle, _rename, _move, _reweigh, _turn, _unlink, _link, _closer, _rival, _add_person, _remove_person]


def _drawn(document: dict[str, Any], memo: DrawingMemo | None = None) -> dict[str, Any]:
    account_map = parse_account_map(copy.deepcopy(document))
    graph = build_graph(account_map)
    return map_data(account_map, power(graph), recommendations=False, graph=graph, memo=memo)


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def _same_drawing(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert _by_id(a["nodes"]) == _by_id(b["nodes"])
    assert _by_id(a["edges"]) == _by_id(b["edges"])
    assert {k: v for k, v in a.items() if k not in ("nodes", "edges")} == {
        k: v for k, v in b.items() if k not in ("nodes", "edges")
    }


def _edit_chain(document: dict[str, Any], edits: list[Edit]) -> None:
    memo = DrawingMemo()
    before = _drawn(document, memo)
    for edit in edits:
        edit(document)
        after = _drawn(document, memo)
        _same_drawing(after, _drawn(document))  # the memo changed nothing
        _same_drawing(apply_delta(before, data_delta(before, after)), after)  # the page's update is exact
        before = after


@settings(max_examples=60, deadline=None)
@given(
    random_documents(max_stakeholders=8),
    st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 50)), min_size=1, max_size=4),
)
def test_a_drawing_made_from_the_last_revision_equals_one_made_from_scratch(
    document: dict[str, Any], edits: list[tuple[Callable[[int], Edit], int]]
) -> None:
    _edit_chain(document, [make(index) for make, index in edits])


def test_a_big_positioned_map_redrawn_after_each_kind_of_edit_equals_one_drawn_from_scratch() -> None:
    document = synthetic_document(layout.PHYSICS_MAX + 30, seed=5, account_id="big")
    _edit_chain(document, [make(7) for make in EDITS])


def test_a_retitle_reuses_the_analyses_a_new_weight_recomputes_them_and_only_a_line_edit_the_ties() -> None:
    document = synthetic_document(layout.PHYSICS_MAX + 30, seed=5, account_id="big")
    memo = DrawingMemo()
    _drawn(document, memo)
    memo.reused.clear()
    _retitle(3)(document)
    _drawn(document, memo)
    assert memo.reused == {"dominated", "power", "panels", "ties", "lines", "nodes"}
    memo.reused.clear()
    _reweigh(3)(document)
    _drawn(document, memo)
    assert "lines" in memo.reused  # lines show no power
    assert "ties" in memo.reused  # ties are made of the lines alone
    assert not memo.reused & {"power", "panels", "dominated"}  # the analyses changed with the weight
    memo.reused.clear()
    _unlink(0)(document)
    _drawn(document, memo)
    assert not memo.reused & {"power", "panels", "dominated", "ties", "lines"}  # an influence line went


@settings(max_examples=40, deadline=None)
@given(random_documents(max_stakeholders=8), st.text(max_size=12))
def test_labels_weigh_nothing_in_the_panels_analyses(document: dict[str, Any], text: str) -> None:
    """Why a rename may reuse the analyses: names, titles, departments and notes change none of them."""
    relabelled = copy.deepcopy(document)
    for person in relabelled["stakeholders"]:
        person.update(name=text or "x", title=text, department=text, notes=text)
    for member in relabelled["team"]:
        member.update(name=text or "x", title=text)
    for competitor in relabelled["competitors"]:
        competitor.update(name=text or "x", notes=text)
    maps = [parse_account_map(doc) for doc in (document, relabelled)]
    assert analysis_key(maps[0]) == analysis_key(maps[1])
    graphs = [build_graph(account_map) for account_map in maps]
    first, second = (
        (
            power(graph),
            panel_report(graph, power(graph), recommendations=False),
            dominated(graph),
            sorted(ties(graph).edges(data=True)),
        )
        for graph in graphs
    )
    assert first == second
