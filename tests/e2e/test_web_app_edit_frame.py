"""What an editor sees around an edit, in a real Chromium over a real server on each store.

The person form lies over the map's left side and the map's camera makes room for it (the canvas is
never resized: on a big map that cost more than drawing it); after an edit that moves everyone's power,
every hover card shows the new power although only the dots that changed are handed to vis-network;
and the introduction-path target a strategist chose stays chosen while the team edits.
"""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.browser import browser_marks, screenshot
from tests.e2e.test_web_app import Server, open_account, signed_in

pytestmark = browser_marks

#: Every node's centre on screen, relative to the map's canvas, and the canvas's size.
NODES_ON_SCREEN = """() => {
  const net = window.powermap.network, canvas = net.canvas.frame.canvas;
  const at = net.getPositions();
  return {width: canvas.clientWidth, height: canvas.clientHeight,
          spots: Object.fromEntries(Object.entries(at).map(([id, p]) => [id, net.canvasToDOM(p)]))};
}"""


def on_screen(page: Any) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(NODES_ON_SCREEN)
    return found


def writes(page: Any) -> int:
    return int(page.get_attribute("body", "data-writes") or "0")


def editor_on_account(chromium: Any, server: Server, account: dict[str, Any]) -> tuple[Any, Any]:
    """An editor's page on the sample account, drawn, and the watch of its requests and console."""
    page, watch, _ = signed_in(chromium, server, "editor")
    open_account(page, server, account["account"]["id"])
    return page, watch


def save_influence(page: Any, stakeholder: str, value: str) -> None:
    done = writes(page) + 1
    page.evaluate(f"window.powermapApp.openStakeholder({stakeholder!r})")
    page.wait_for_selector(f"body[data-editing='{stakeholder}']")
    form = page.locator("#pm-stakeholder-form")
    form.get_by_label("Influence", exact=True).fill(value)
    form.get_by_role("button", name="Save").click()
    page.wait_for_selector(f"body[data-writes='{done}']")


def test_the_form_lies_beside_the_whole_map_and_never_resizes_its_canvas(
    chromium: Any, server: Server, account: dict[str, Any]
) -> None:
    page, watch = editor_on_account(chromium, server, account)
    closed = on_screen(page)

    page.get_by_role("button", name="Add stakeholder").click()
    editor = page.locator("#pm-editor").bounding_box()
    canvas = page.locator("#pm-network canvas").bounding_box()
    opened = on_screen(page)
    assert (opened["width"], opened["height"]) == (closed["width"], closed["height"]), "the canvas kept its size"
    covered = editor["x"] + editor["width"] - canvas["x"]
    assert covered > 200, "the form lies over the map's left side"
    for node, spot in opened["spots"].items():
        assert covered < spot["x"] < opened["width"], f"{node} is in the room right of the form"
        assert 0 < spot["y"] < opened["height"], f"{node} is on screen"
    screenshot(page, f"web-form-beside-map-{server.store.url.split(':')[0]}")

    page.locator("#pm-stakeholder-form").get_by_role("button", name="Cancel").click()
    page.wait_for_selector("#pm-editor", state="hidden")
    back = on_screen(page)
    assert (back["width"], back["height"]) == (closed["width"], closed["height"])
    xs = [spot["x"] for spot in back["spots"].values()]
    assert all(0 < x < back["width"] for x in xs), "the whole map is shown again"
    assert min(xs) < covered, "and it uses the room the form gave back"
    watch.assert_clean()


def power_lines(page: Any) -> dict[str, str]:
    """Each stakeholder's "Power: …" line, from the hover-card text of the page's newest data."""
    cards: dict[str, str] = page.evaluate(
        "() => Object.fromEntries(window.powermap.data.nodes.filter(n => n.kind === 'stakeholder')"
        ".map(n => [n.id, n.title]))"
    )
    return {node: re.search(r"Power: [0-9.]+", card).group(0) for node, card in cards.items()}  # type: ignore[union-attr]


def hover_card(page: Any, node: str) -> str:
    page.evaluate(f"window.powermap.network.fit({{nodes: [{node!r}], animation: false}})")
    box = page.locator("#pm-network canvas").bounding_box()
    at = page.evaluate(f"window.powermap.network.canvasToDOM(window.powermap.network.getPosition({node!r}))")
    page.mouse.move(box["x"] + at["x"] + 1, box["y"] + at["y"])
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    text: str = tip.inner_text()
    page.mouse.move(box["x"] + 2, box["y"] + 2)
    return text


def test_after_an_influence_edit_every_hover_card_shows_the_new_power(
    chromium: Any, server: Server, account: dict[str, Any]
) -> None:
    page, watch = editor_on_account(chromium, server, account)
    before = power_lines(page)
    mightiest = max(account["stakeholders"], key=lambda s: s["influence"])
    save_influence(page, mightiest["id"], "0.05")
    after = power_lines(page)
    moved = sorted(node for node in after if after[node] != before[node] and node != f"stakeholder:{mightiest['id']}")
    assert moved, "the edit moved other people's power"
    for node in moved[:3]:
        card = hover_card(page, node)
        assert after[node] in card, f"{node}'s card shows {after[node]}"
        assert before[node] not in card
    watch.assert_clean()


def test_the_chosen_path_target_stays_chosen_while_the_team_edits(
    chromium: Any, server: Server, account: dict[str, Any]
) -> None:
    page, watch = editor_on_account(chromium, server, account)
    target = min(account["stakeholders"], key=lambda s: s["influence"])["id"]
    page.select_option("#pm-path-target", target)
    edited = max(account["stakeholders"], key=lambda s: s["influence"])["id"]
    save_influence(page, edited, "0.1")
    assert page.input_value("#pm-path-target") == target
    options = page.eval_on_selector_all("#pm-path-target option", "os => os.map(o => o.value)")
    assert sorted(options[1:]) == sorted(s["id"] for s in account["stakeholders"]), "each person offered once"
    watch.assert_clean()


def room_of(page: Any) -> float:
    """How far the open form reaches over the map's canvas, in pixels."""
    editor = page.locator("#pm-editor").bounding_box()
    canvas = page.locator("#pm-network canvas").bounding_box()
    return float(editor["x"] + editor["width"] - canvas["x"])


def in_room(page: Any, ids: list[str], covered: float) -> bool:
    spots = on_screen(page)
    return all(covered < spots["spots"][node]["x"] < spots["width"] for node in ids)


def test_with_the_form_open_a_path_or_a_found_person_is_shown_right_of_it(
    chromium: Any, server: Server, account: dict[str, Any]
) -> None:
    page, watch = editor_on_account(chromium, server, account)
    page.get_by_role("button", name="Add stakeholder").click()
    covered = room_of(page)
    page.evaluate("window.powermap.network.moveTo({position: {x: 0, y: 0}, scale: 3, animation: false})")

    target = min(account["stakeholders"], key=lambda s: s["influence"])["id"]
    page.select_option("#pm-path-target", target)
    page.wait_for_selector("body[data-highlighted]")
    path = (page.get_attribute("body", "data-highlighted") or "").split(",")
    assert len(path) >= 2, "a path to the target"
    page.wait_for_function(
        "([ids, covered]) => { const net = window.powermap.network, w = net.canvas.frame.canvas.clientWidth;"
        " return ids.every(id => { const x = net.canvasToDOM(net.getPosition(id)).x;"
        " return covered < x && x < w; }); }",
        arg=[path, covered],
        timeout=10_000,
    )
    assert in_room(page, path, covered)

    name = next(s for s in account["stakeholders"] if s["id"] == target)["name"]
    page.fill("#pm-search", name)
    page.press("#pm-search", "Enter")
    node = f"stakeholder:{target}"
    page.wait_for_function(
        "([id, covered]) => { const net = window.powermap.network, w = net.canvas.frame.canvas.clientWidth;"
        " const x = net.canvasToDOM(net.getPosition(id)).x; return Math.abs(x - (covered + w) / 2) < 3; }",
        arg=[node, covered],
        timeout=10_000,
    )
    screenshot(page, f"web-path-beside-form-{server.store.url.split(':')[0]}")
    watch.assert_clean()
