"""The offline map's side panels, path finder, filters and big-map layout in a real Chromium.

Driven with Playwright for Python on Debian's ``/usr/bin/chromium`` (see ``tests/e2e/browser.py``):
every request the page makes is watched (an offline file may load nothing but itself), console
errors fail the test, and screenshots are kept as artefacts.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from bench.synthetic import synthetic_map
from powermap.analysis.paths import introduction_paths
from powermap.analysis.power import power
from powermap.graph import build_graph
from powermap.model import AccountMap, parse_account_map
from powermap.viz import render_map, style
from tests.e2e.browser import Watch, browser_marks, new_context, screenshot, watch_page

pytestmark = browser_marks

HOSTILE_NAME = "<img src=x onerror=\"window.pwned=1;document.title='pwned'\">"
HOSTILE_NOTES = "</script><script>window.pwned=2;document.title='pwned'</script>"


def sample_map() -> AccountMap:
    text = resources.files("powermap").joinpath("samples/acme.json").read_text(encoding="utf-8")
    return parse_account_map(json.loads(text))


def open_map(chromium: Any, tmp_path: Path, account_map: AccountMap, name: str) -> tuple[Any, Watch]:
    page_file = tmp_path / f"{name}.html"
    page_file.write_text(render_map(account_map, power(build_graph(account_map))), encoding="utf-8")
    watch = Watch()
    context = new_context(chromium, watch)
    page = watch_page(context.new_page(), watch)
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-stabilized='1'][data-panels='1']", timeout=60_000)
    return page, watch


def attr(page: Any, name: str) -> Any:
    return page.evaluate(f"document.body.getAttribute('data-{name}')")


def test_offline_map_shows_every_node_and_the_panels(chromium: Any, tmp_path: Path) -> None:
    account_map = sample_map()
    graph = build_graph(account_map)
    powers = power(graph)
    page, watch = open_map(chromium, tmp_path, account_map, "panels")
    expected = len(account_map.stakeholders) + len(account_map.team) + len(account_map.competitors)
    assert attr(page, "nodes") == str(expected)
    assert page.evaluate("window.powermap.network.body.nodeIndices.length") == expected, "every node drawn"
    forecast = page.inner_text("#pm-forecast")
    assert "undecided" in forecast or "favourable" in forecast
    top = max(account_map.stakeholders, key=lambda s: (powers[s.id], s.id))
    assert page.inner_text("#pm-ranking li >> nth=0").startswith(top.name)
    assert page.locator("#pm-recs li").count() >= 5
    assert page.locator("#pm-gaps li").count() >= 1
    assert "%" in page.inner_text("#pm-coverage")
    for label in style.STANCE_LABELS.values():
        assert page.get_by_text(label, exact=True).count() >= 1
    screenshot(page, "offline-map-panels")
    watch.assert_clean()


def test_paths_found_in_the_page_are_the_ones_powermap_paths_finds(chromium: Any, tmp_path: Path) -> None:
    account_map = sample_map()
    graph = build_graph(account_map)
    page, watch = open_map(chromium, tmp_path, account_map, "paths")
    asks = [(s.id, None) for s in account_map.stakeholders] + [(s.id, "ho") for s in account_map.stakeholders[:10]]
    found = page.evaluate(
        """(asks) => {
          const ix = PowermapPaths.index(window.powermap.data.graph);
          return asks.map(([target, member]) => PowermapPaths.paths(ix, target, 3, member));
        }""",
        [[target, member] for target, member in asks],
    )
    for (target, member), in_page in zip(asks, found, strict=True):
        expected = introduction_paths(graph, target, k=3, member=member)
        assert [p["nodes"] for p in in_page] == [p["nodes"] for p in expected], (target, member)
        assert [p["strength"] for p in in_page] == pytest.approx([p["strength"] for p in expected])
    watch.assert_clean()


def test_choosing_a_target_and_member_highlights_the_best_path(chromium: Any, tmp_path: Path) -> None:
    account_map = sample_map()
    graph = build_graph(account_map)
    page, watch = open_map(chromium, tmp_path, account_map, "choose")
    page.select_option("#pm-path-target", "ceo")
    best = introduction_paths(graph, "ceo", k=1)[0]["nodes"]
    expected = ["member:" + best[0]] + ["stakeholder:" + s for s in best[1:]]
    assert attr(page, "highlighted") == ",".join(expected)
    assert attr(page, "highlighted-lines") == str(len(best) - 1), "one line lit per step"
    assert page.locator("#pm-paths li").count() == 3
    page.select_option("#pm-path-member", "ho")
    from_ho = introduction_paths(graph, "ceo", k=1, member="ho")[0]["nodes"]
    assert attr(page, "highlighted").split(",")[0] == "member:ho"
    assert attr(page, "highlighted") == ",".join(["member:ho"] + ["stakeholder:" + s for s in from_ho[1:]])
    colour = page.evaluate("window.powermap.nodes.get('stakeholder:ceo').color.border")
    assert colour.lower() == style.PATH_COLOUR
    screenshot(page, "offline-map-path")
    watch.assert_clean()


def test_clicking_a_recommendation_highlights_its_path(chromium: Any, tmp_path: Path) -> None:
    account_map = sample_map()
    page, watch = open_map(chromium, tmp_path, account_map, "recs")
    recs = page.evaluate("window.powermap.data.report.recommendations")
    index = next(i for i, rec in enumerate(recs) if len(rec["path"]) > 2)
    page.click(f"#pm-recs li >> nth={index}")
    path = recs[index]["path"]
    assert attr(page, "highlighted") == ",".join(["member:" + path[0]] + ["stakeholder:" + s for s in path[1:]])
    watch.assert_clean()


def test_filters_by_department_role_and_side(chromium: Any, tmp_path: Path) -> None:
    account_map = sample_map()
    page, watch = open_map(chromium, tmp_path, account_map, "filters")
    others = len(account_map.team) + len(account_map.competitors)
    department = sorted({s.department for s in account_map.stakeholders if s.department})[0]
    page.select_option("#pm-filter-department", department)
    in_department = sum(1 for s in account_map.stakeholders if s.department == department)
    assert attr(page, "shown") == str(in_department + others)
    page.select_option("#pm-filter-department", "")
    page.select_option("#pm-filter-role", "decision_maker")
    deciders = sum(1 for s in account_map.stakeholders if s.decision_role.value == "decision_maker")
    assert attr(page, "shown") == str(deciders + others)
    page.select_option("#pm-filter-role", "")
    page.select_option("#pm-filter-side", "team")
    assert attr(page, "shown") == str(len(account_map.team))
    page.select_option("#pm-filter-side", "competitor-ahead")
    graph = build_graph(account_map)
    ahead = sum(
        1
        for s in graph
        if graph.nodes[s]["theirs"]
        and max(graph.nodes[s]["theirs"].values()) > max(graph.nodes[s]["ours"].values(), default=0)
    )
    assert attr(page, "shown") == str(ahead)
    hidden = page.evaluate("window.powermap.nodes.get({filter: n => n.hidden === true}).length")
    assert hidden == len(account_map.stakeholders) + others - ahead
    watch.assert_clean()


def hostile_map() -> AccountMap:
    return parse_account_map(
        {
            "account": {"id": "x", "name": "<script>window.pwned=3</script>"},
            "competitors": [{"id": "c", "name": HOSTILE_NAME, "notes": HOSTILE_NOTES}],
            "team": [{"id": "m", "name": HOSTILE_NOTES, "role": "AR"}],
            "stakeholders": [
                {
                    "id": "s0",
                    "name": HOSTILE_NAME,
                    "title": HOSTILE_NAME,
                    "department": HOSTILE_NAME,
                    "level": "executive",
                    "decision_role": "decision_maker",
                    "influence": 0.9,
                    "stance": "skeptic",
                    "notes": HOSTILE_NOTES,
                },
                {"id": "s1", "name": "张三 <b>bold</b>", "level": "senior", "influence": 0.5, "notes": HOSTILE_NOTES},
            ],
            "influences": [{"from": "s1", "to": "s0", "weight": 0.8}],
            "relationships": [{"member": "m", "stakeholder": "s1", "strength": 0.7}],
            "competitor_relationships": [{"competitor": "c", "stakeholder": "s0", "strength": 0.5}],
        }
    )


def test_hostile_names_and_notes_execute_nothing_in_panels_filters_or_tooltips(chromium: Any, tmp_path: Path) -> None:
    page, watch = open_map(chromium, tmp_path, hostile_map(), "hostile")
    page.select_option("#pm-path-target", "s0")
    page.select_option("#pm-filter-department", HOSTILE_NAME)
    page.select_option("#pm-filter-department", "")
    # Hover the stakeholder named <img onerror=...> so its tooltip shows.
    box = page.locator("#pm-network canvas").bounding_box()
    at = page.evaluate("window.powermap.network.canvasToDOM(window.powermap.network.getPosition('stakeholder:s0'))")
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    assert HOSTILE_NAME in page.inner_text("div.vis-tooltip")
    assert HOSTILE_NAME in page.inner_text("#pm-gaps")
    assert HOSTILE_NAME in page.inner_text("#pm-forecast")
    assert HOSTILE_NOTES in page.inner_text("#pm-paths")
    assert page.evaluate("document.querySelectorAll('img, b, svg').length") == 0
    assert page.evaluate("window.pwned") is None
    assert page.title() == "<script>window.pwned=3</script> — power map"
    screenshot(page, "offline-map-hostile")
    watch.assert_clean()


def test_a_big_map_is_drawn_whole_from_server_positions_the_same_every_time(chromium: Any, tmp_path: Path) -> None:
    account_map = synthetic_map(2_000, seed=11)
    page, watch = open_map(chromium, tmp_path, account_map, "big")
    total = len(account_map.stakeholders) + len(account_map.team) + len(account_map.competitors)
    assert attr(page, "frozen-by") == "positions"
    assert page.evaluate("window.powermap.network.body.nodeIndices.length") == total
    first = page.evaluate("window.powermap.network.getPositions()")
    screenshot(page, "offline-map-2000")
    # Zoomed out to fit, labels are below the draw threshold; zoomed in, they are drawn.
    scale = page.evaluate("window.powermap.network.getScale()")
    assert scale * style.LABEL_SIZE < style.LABEL_DRAW_THRESHOLD
    page.evaluate("window.powermap.network.moveTo({scale: 1.2})")
    page.wait_for_timeout(300)
    screenshot(page, "offline-map-2000-zoomed")
    page.reload()
    page.wait_for_selector("body[data-stabilized='1'][data-panels='1']", timeout=60_000)
    assert page.evaluate("window.powermap.network.getPositions()") == first, "same map, same picture"
    watch.assert_clean()
