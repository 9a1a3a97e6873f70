"""The map's data beyond the drawing: big-map positions, overviews, panels, marks and the ties.

Expectations are computed here independently of viz (hand-made maps, the contract's definitions).
"""

from __future__ import annotations

import random
from collections import defaultdict
from itertools import pairwise
from typing import Any

import pytest

from bench.synthetic import synthetic_document, synthetic_map
from powermap.analysis.power import power
from powermap.graph import build_graph
from powermap.model import AccountMap, Level, NodeKind, parse_account_map
from powermap.viz import layout, map_data, style

LEVEL_ORDER = [Level.EXECUTIVE, Level.SENIOR, Level.MIDDLE, Level.STAFF]


def big(n: int = layout.PHYSICS_MAX + 50) -> AccountMap:
    return synthetic_map(n, seed=3)


def data_of(account_map: AccountMap, **options: Any) -> dict[str, Any]:
    return map_data(account_map, power(build_graph(account_map)), **options)


def test_a_small_map_is_laid_out_by_the_browser_and_a_big_one_by_the_server() -> None:
    small = data_of(synthetic_map(30, seed=3))
    assert small["options"]["physics"]["enabled"] is True
    assert all("x" not in node for node in small["nodes"])
    large = data_of(big())
    assert large["options"]["physics"] == {"enabled": False}
    assert all(isinstance(node["x"], float) and isinstance(node["y"], float) for node in large["nodes"])
    assert large["options"]["nodes"]["scaling"]["label"]["drawThreshold"] == style.LABEL_DRAW_THRESHOLD


def test_big_map_positions_are_the_same_for_the_same_map_in_any_order() -> None:
    document = synthetic_document(layout.PHYSICS_MAX + 60, seed=5)
    shuffled = dict(document)
    for key in ("stakeholders", "influences", "reports_to", "relationships", "team", "competitors"):
        items = list(document[key])
        random.Random(1).shuffle(items)
        shuffled[key] = items
    first, second = parse_account_map(document), parse_account_map(shuffled)
    spots = layout.positions(first)
    assert spots == layout.positions(second)
    assert spots == layout.positions(first)


def test_big_map_puts_levels_in_bands_departments_in_columns_and_nobody_on_anybody() -> None:
    account_map = big()
    spots = layout.positions(account_map)
    people = {s.id: s for s in account_map.stakeholders}
    ys = {
        level: [spots[(NodeKind.STAKEHOLDER, s.id)][1] for s in people.values() if s.level is level]
        for level in LEVEL_ORDER
    }
    present = [level for level in LEVEL_ORDER if ys[level]]
    for upper, lower in pairwise(present):
        assert max(ys[upper]) < min(ys[lower]), f"{upper} above {lower}"
    xs: dict[str, list[float]] = defaultdict(list)
    for s in people.values():
        xs[s.department].append(spots[(NodeKind.STAKEHOLDER, s.id)][0])
    spans = sorted((min(v), max(v)) for v in xs.values())
    for (_, right), (left, _) in pairwise(spans):
        assert right < left, "department columns do not overlap"
    assert len(set(spots.values())) == len(spots), "no two nodes share a place"
    team_y = {spots[(NodeKind.MEMBER, m.id)][1] for m in account_map.team}
    rival_y = {spots[(NodeKind.COMPETITOR, c.id)][1] for c in account_map.competitors}
    assert max(team_y) < min(min(v) for v in ys.values() if v)
    assert min(rival_y) > max(max(v) for v in ys.values() if v)


def test_big_map_fills_each_block_row_by_row_most_influential_first() -> None:
    account_map = big()
    spots = layout.positions(account_map)
    blocks: dict[tuple[Level, str], list[Any]] = defaultdict(list)
    for s in account_map.stakeholders:
        blocks[(s.level, s.department)].append(s)
    for people in blocks.values():
        place = {s.id: spots[(NodeKind.STAKEHOLDER, s.id)] for s in people}
        reading_order = sorted(people, key=lambda s: (place[s.id][1], place[s.id][0]))
        assert [(-s.influence, s.id) for s in reading_order] == sorted((-s.influence, s.id) for s in people)


def test_an_influence_edit_moves_only_people_of_the_edited_persons_block() -> None:
    """Power moves for nearly everyone after such an edit; places follow the people's own influence."""
    account_map = big(400)
    before = layout.positions(account_map)
    departments: dict[str, float] = defaultdict(float)
    for s in account_map.stakeholders:
        departments[s.department] += s.influence
    # The person with the most neighbours in their block, their influence nudged so that no
    # department's total passes another's (the columns stay in their order).
    blocks: dict[tuple[Level, str], list[str]] = defaultdict(list)
    for s in account_map.stakeholders:
        blocks[(s.level, s.department)].append(s.id)
    edited = max(account_map.stakeholders, key=lambda s: (len(blocks[(s.level, s.department)]), s.id))
    gaps = sorted(abs(a - b) for a, b in pairwise(sorted(departments.values())))
    nudge = min(0.9 * gaps[0], 1.0 - edited.influence, 0.2) if gaps else 0.2
    people = [
        s.model_copy(update={"influence": s.influence + nudge}) if s.id == edited.id else s
        for s in account_map.stakeholders
    ]
    edited_map = account_map.model_copy(update={"stakeholders": people})
    after = layout.positions(edited_map)
    moved = {raw for kind, raw in after if after[(kind, raw)] != before[(kind, raw)]}
    assert moved <= set(blocks[(edited.level, edited.department)])
    assert power(build_graph(account_map)) != power(build_graph(edited_map))


def test_big_map_hides_our_and_competitors_fans_until_asked() -> None:
    edges = data_of(big())["edges"]
    fans = [e for e in edges if e["kind"] in {"relationship", "competitor_relationship"}]
    assert fans
    assert all(e.get("hidden") is True for e in fans)
    assert all(not e.get("hidden") for e in edges if e["kind"] in {"influences", "reports_to"})


def test_an_account_above_the_threshold_is_an_overview_of_the_most_powerful() -> None:
    account_map = synthetic_map(80, seed=9)
    powers = power(build_graph(account_map))
    data = map_data(account_map, powers, overview_above=50, overview_size=20)
    expected = {s for s, _ in sorted(powers.items(), key=lambda kv: (-kv[1], kv[0]))[:20]}
    drawn = {n["ref"] for n in data["nodes"] if n["kind"] == "stakeholder"}
    assert drawn == expected
    assert {n["ref"] for n in data["nodes"] if n["kind"] == "member"} == {m.id for m in account_map.team}
    assert data["overview"] == {"shown": 20, "total": 80}
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    # The panels still cover everyone: names of people they mention but the map does not draw.
    hidden = dict(data["hidden"])
    assert set(hidden).isdisjoint(drawn)
    names = {s.id: s.name for s in account_map.stakeholders}
    assert all(names[raw] == name for raw, name in hidden.items())
    for rec in data["report"]["recommendations"]:
        assert rec["target"] in drawn or rec["target"] in hidden
    assert map_data(account_map, powers, overview_above=80)["overview"] is None


HAND = {
    "account": {"id": "h", "name": "Hand"},
    "competitors": [{"id": "rival", "name": "Rival"}],
    "team": [{"id": "li", "name": "Li", "role": "AR"}],
    "stakeholders": [
        {"id": "ceo", "name": "CEO", "level": "executive", "influence": 0.9, "decision_role": "decision_maker"},
        {"id": "cto", "name": "CTO", "level": "senior", "influence": 0.6, "department": "IT"},
        {"id": "cfo", "name": "CFO", "level": "senior", "influence": 0.5, "department": "Finance"},
    ],
    "reports_to": [{"from": "cto", "to": "ceo"}, {"from": "cfo", "to": "ceo"}],
    "influences": [{"from": "cto", "to": "ceo", "weight": 0.3}, {"from": "cfo", "to": "cto", "weight": 0.8}],
    "relationships": [{"member": "li", "stakeholder": "cto", "strength": 0.7}],
    "competitor_relationships": [
        {"competitor": "rival", "stakeholder": "cfo", "strength": 0.4},
        {"competitor": "rival", "stakeholder": "cto", "strength": 0.2},
    ],
}


def test_the_embedded_ties_follow_the_contract_on_a_hand_made_map() -> None:
    data = data_of(parse_account_map(HAND))
    # cto-ceo: max(influence 0.3, reporting 0.5) = 0.5; cfo-ceo: reporting 0.5; cfo-cto: 0.8.
    assert [list(row) for row in data["graph"]["ties"]] == [
        ["ceo", "cfo", 0.5],
        ["ceo", "cto", 0.5],
        ["cfo", "cto", 0.8],
    ]
    assert [list(row) for row in data["graph"]["ours"]] == [["li", "cto", 0.7]]
    assert data["graph"]["stakeholders"] == ["ceo", "cfo", "cto"]


def test_competitor_dominated_people_are_marked_and_listed_as_gaps() -> None:
    data = data_of(parse_account_map(HAND))
    nodes = {n["ref"]: n for n in data["nodes"] if n["kind"] == "stakeholder"}
    # Rival 0.4 on cfo against our 0 (gap 0.4); on cto 0.2 against our 0.7 (no gap); ceo untouched.
    assert {ref for ref, n in nodes.items() if n["dominated"]} == {"cfo"}
    assert nodes["cfo"]["color"]["border"] == style.DOMINATED_BORDER
    assert nodes["cto"]["color"]["border"] != style.DOMINATED_BORDER
    report = data["report"]
    assert report["gaps"] == [
        {"stakeholder": "cfo", "competitor": "rival", "ours": 0.0, "theirs": 0.4, "gap": pytest.approx(0.4)}
    ]
    assert report["gapsTotal"] == 1


def test_panel_report_carries_coverage_forecast_and_recommendations() -> None:
    account_map = parse_account_map(HAND)
    report = data_of(account_map)["report"]
    powers = power(build_graph(account_map))
    # Coverage by hand: only cto is held at >= 0.5.
    assert report["coverage"] == pytest.approx(powers["cto"] / sum(powers.values()), abs=1e-6)
    assert report["coveredFrom"] == 0.5
    assert report["forecast"]["basis"] == "decision_makers"
    assert [dm["stakeholder"] for dm in report["forecast"]["decision_makers"]] == ["ceo"]
    assert report["recommendations"], "the hand map leaves room for activities"
    for rec in report["recommendations"]:
        assert {"activity", "target", "lead", "path", "reason", "expected_gain"} <= set(rec)


def test_nodes_carry_what_the_filters_need() -> None:
    data = data_of(parse_account_map(HAND))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert (nodes["stakeholder:cto"]["department"], nodes["stakeholder:cto"]["role"]) == ("IT", "none")
    assert nodes["stakeholder:ceo"]["role"] == "decision_maker"
    assert nodes["stakeholder:ceo"]["level"] == "executive"
    assert nodes["member:li"]["kind"] == "member"


def test_the_time_of_the_data_is_shown() -> None:
    from datetime import UTC, datetime

    from powermap.viz import render_map

    account_map = parse_account_map(HAND)
    when = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    assert data_of(account_map, as_of=when)["asOf"] == "2026-11-27T09:30:00+00:00"
    assert 'datetime="2026-11-27T09:30:00+00:00"' in render_map(account_map, {}, as_of=when)
