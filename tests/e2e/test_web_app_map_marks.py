"""What the map marks beyond the lines' data, in the web app and the offline file, in a real Chromium.

Fading relationships (issue 8: ours untouched for longer than the fading window) are drawn dashed and
pale, with a legend entry, a line in their hover card and a panel; people with an open pain (issue 9)
carry ⚠ on the map, and their voices show in the side panel, in the person form and in the voice
loop's summary, as text. Runs over a real server on each store (``test_web_app``'s fixtures ``server`` and
``account``, shared through ``conftest.py``),
every request watched, console errors failing the test, screenshots kept.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from powermap.model import EdgeKind
from powermap.settings import get_settings
from powermap.viz import style
from tests.e2e.browser import Watch, browser_marks, new_context, screenshot, watch_page
from tests.e2e.test_web_app import HOSTILE_NOTES, Server, open_account, seg, signed_in

pytestmark = browser_marks

#: Markup and a script end in a voice's words, with Chinese: all of it must show as typed.
HOSTILE_VOICE = HOSTILE_NOTES + " 停线超过 4 小时不可接受 <b>now</b>"


def today() -> dt.date:
    """The day the server judges fading and ages on (``POWERMAP_TODAY`` when set, else today in UTC)."""
    return get_settings().today or dt.datetime.now(dt.UTC).date()


def eventually(page: Any, expression: str, timeout_s: float = 15.0) -> None:
    """Wait until ``expression`` is true in the page (checked every 200 ms)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        page.wait_for_timeout(200)


def edge_between(page: Any, source: str, target: str) -> dict[str, Any]:
    """The edge as the page holds it and as vis-network draws it (its resolved options)."""
    found: dict[str, Any] = page.evaluate(
        """([source, target]) => {
          const map = window.powermap;
          const edge = map.edges.get({filter: e => e.from === source && e.to === target})[0];
          const drawn = map.network.body.edges[edge.id].options;
          return {id: edge.id, fading: edge.fading, title: edge.title,
                  dashes: drawn.dashes, colour: drawn.color.color};
        }""",
        [source, target],
    )
    return found


def hover_edge(page: Any, source: str, target: str) -> str:
    """Bring both ends into view, hover the middle of the line, and return the hover card's text."""
    page.evaluate(
        "([a, b]) => window.powermap.network.fit({nodes: [a, b], animation: false})",
        [source, target],
    )
    at = page.evaluate(
        """([a, b]) => {
          const net = window.powermap.network;
          const p = net.getPosition(a), q = net.getPosition(b);
          return net.canvasToDOM({x: (p.x + q.x) / 2, y: (p.y + q.y) / 2});
        }""",
        [source, target],
    )
    box = page.locator("#pm-network canvas").bounding_box()
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"] + 1)
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    text: str = tip.inner_text()
    return text


def test_fading_relationships_are_drawn_dashed_with_legend_hover_card_and_panel_in_app_and_offline_file(
    chromium: Any, server: Server, account: dict[str, Any], tmp_path: Path
) -> None:
    account_id = account["account"]["id"]
    day = today()
    cold, fresh = day - dt.timedelta(days=200), day - dt.timedelta(days=3)
    with server.api(server.key("editor")) as api:
        base = f"/accounts/{seg(account_id)}/relationships"
        for stakeholder, when in (("it_deputy", cold), ("it_arch", fresh)):
            changed = api.patch(f"{base}/li/{stakeholder}", json={"last_contact": when.isoformat()})
            assert changed.status_code == 200, changed.text
        fading = api.get(f"/accounts/{seg(account_id)}/analysis").json()["fading"]
    assert {"member": "li", "stakeholder": "it_deputy"}.items() <= next(
        f for f in fading if f["stakeholder"] == "it_deputy"
    ).items(), "the analysis lists it"
    assert not any(f["stakeholder"] == "it_arch" and f["member"] == "li" for f in fading)
    window = get_settings().fading_after_days

    page, watch, _ = signed_in(chromium, server, "viewer")
    open_account(page, server, account_id)
    offline_file = tmp_path / "offline.html"
    with server.api(server.key("viewer")) as api:
        offline_file.write_text(api.get(f"/accounts/{seg(account_id)}/map.html").text, encoding="utf-8")
    offline_watch = Watch()
    offline = watch_page(new_context(chromium, offline_watch).new_page(), offline_watch)
    offline.goto(offline_file.as_uri())
    offline.wait_for_selector("body[data-stabilized='1'][data-panels='1']", timeout=60_000)

    for where, shown in (("app", page), ("offline", offline)):
        stale = edge_between(shown, "member:li", "stakeholder:it_deputy")
        assert stale["fading"] is True, where
        assert stale["dashes"] == list(style.FADING_DASHES), f"{where}: drawn dashed"
        assert stale["colour"] == style.FADING_COLOUR, f"{where}: in the fading colour"
        assert f"Fading: last contact {cold.isoformat()}, 200 days ago" in stale["title"], where
        live = edge_between(shown, "member:li", "stakeholder:it_arch")
        assert live["fading"] is False, where
        assert live["dashes"] is False, f"{where}: a fresh relationship is solid"
        assert live["colour"] == style.EDGE_STYLES[EdgeKind.RELATIONSHIP].colour, where
        assert f"Last contact {fresh.isoformat()}, 3 days ago" in live["title"], where
        legend = shown.inner_text("#pm-legend-fading")
        assert f"no contact for over {window} days" in legend, f"{where}: the legend explains it"
        listed = shown.inner_text("#pm-fading")
        assert f"last contact {cold.isoformat()}, 200 days ago" in listed, f"{where}: the panel lists it"
        assert fresh.isoformat() not in listed, where

    card = hover_edge(page, "member:li", "stakeholder:it_deputy")
    assert f"Fading: last contact {cold.isoformat()}, 200 days ago" in card, "the hover card says so"
    screenshot(page, f"web-fading-{server.store.url.split(':')[0]}")
    offline.evaluate("window.powermap.spotlight('stakeholder:it_deputy')")
    screenshot(offline, "offline-fading")
    watch.assert_clean()
    offline_watch.assert_clean()


def quiet_stakeholders(account: dict[str, Any]) -> list[str]:
    """Stakeholders of the document with no open pain (no ⚠ before the test adds one)."""
    pained = {
        v["stakeholder"]
        for v in account.get("voices", [])
        if v.get("category") == "pain" and v.get("status", "new") not in ("resolved", "rejected")
    }
    return [s["id"] for s in account["stakeholders"] if s["id"] not in pained]


def test_open_pains_are_marked_and_voices_show_as_text_in_panel_form_and_loop_summary(
    chromium: Any, server: Server, account: dict[str, Any]
) -> None:
    account_id = account["account"]["id"]
    quiet = quiet_stakeholders(account)
    person, other = quiet[0], quiet[1]
    said = today() - dt.timedelta(days=45)
    voice = {"id": "v-hostile", "stakeholder": person, "date": said.isoformat(), "text": HOSTILE_VOICE,
             "category": "pain", "status": "routed", "flow": "LTC", "owner": "<i>ops</i>", "priority": 2,
             "channel": "summit"}  # fmt: skip
    with server.api(server.key("editor")) as api:
        made = api.post(f"/accounts/{seg(account_id)}/voices", json=voice)
        assert made.status_code == 201, made.text
        loop = api.get(f"/accounts/{seg(account_id)}/analysis").json()["voice_loop"]

    page, watch, _ = signed_in(chromium, server, "viewer")
    open_account(page, server, account_id)
    label = page.evaluate(f"window.powermap.nodes.get('stakeholder:{person}').label")
    assert label.endswith(style.PAIN_MARK), "an open pain is marked on the map"
    assert not page.evaluate(f"window.powermap.nodes.get('stakeholder:{other}').label").endswith(style.PAIN_MARK)
    assert style.PAIN_MARK in page.inner_text("#pm-legend-pain"), "and explained in the legend"

    summary = page.inner_text("#pm-voice-loop")
    assert f"{loop['open']} open of {loop['total']}" in summary, "the loop's summary as the analysis gives it"
    assert f"{loop['overdue']} overdue" in summary
    assert f"{round(loop['closure_rate'] * 100)}% of pains and itches resolved" in summary
    assert f"{round(loop['pain_exposure'] * 100)}% of the power" in summary

    box = page.locator("#pm-network canvas").bounding_box()
    at = page.evaluate(
        f"window.powermap.network.canvasToDOM(window.powermap.network.getPosition('stakeholder:{person}'))"
    )
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    page.wait_for_selector(f"body[data-person='{person}']")
    block = page.locator("#pm-person [data-voice='v-hostile']")
    assert block.locator(".pm-voice-text").inner_text() == HOSTILE_VOICE, "the words exactly as said, as text"
    head = block.locator(".pm-num").inner_text()
    assert "pain 痛点 · routed · open 45 days" in head, "category, status and age"
    assert "overdue" in head, "an open pain older than 30 days"
    assert "<i>ops</i>" in block.inner_text(), "the owner is text too"
    page.mouse.move(box["x"] + at["x"] + 2, box["y"] + at["y"] + 2)
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    card = page.inner_text("div.vis-tooltip")
    assert f"v-hostile pain, routed, since {said.isoformat()} (45 days): {HOSTILE_VOICE}" in card, (
        "and in the hover card"
    )
    screenshot(page, f"web-voices-{server.store.url.split(':')[0]}")

    editor, editor_watch, _ = signed_in(chromium, server, "editor")
    open_account(editor, server, account_id)
    editor.evaluate(f"window.powermapApp.openStakeholder('{person}')")
    editor.wait_for_selector(f"body[data-editing='{person}']")
    in_form = editor.locator("#pm-f-voices [data-voice='v-hostile'] .pm-voice-text")
    assert in_form.inner_text() == HOSTILE_VOICE, "the person form lists their voices"
    screenshot(editor, "web-voices-form")

    for shown in (page, editor):
        assert shown.evaluate("document.querySelectorAll('img, svg, b, i, script:not([src])').length") == 0
        assert shown.evaluate("window.pwned") is None
        assert shown.title() != "pwned"
    watch.assert_clean()
    editor_watch.assert_clean()


def test_a_voice_and_a_fading_relationship_added_by_someone_else_show_up_on_an_open_page(
    chromium: Any, server: Server, account: dict[str, Any]
) -> None:
    account_id = account["account"]["id"]
    person = quiet_stakeholders(account)[0]
    page, watch, _ = signed_in(chromium, server, "viewer")
    open_account(page, server, account_id)
    before = page.inner_text("#pm-voice-loop")
    cold = today() - dt.timedelta(days=400)
    with server.api(server.key("editor")) as api:
        voice = {"id": "v-remote", "stakeholder": person, "date": today().isoformat(), "text": "远程 <u>remote</u>",
                 "category": "pain"}  # fmt: skip
        assert api.post(f"/accounts/{seg(account_id)}/voices", json=voice).status_code == 201
        changed = api.patch(
            f"/accounts/{seg(account_id)}/relationships/li/it_arch", json={"last_contact": cold.isoformat()}
        )
        assert changed.status_code == 200, changed.text
        loop = api.get(f"/accounts/{seg(account_id)}/analysis").json()["voice_loop"]
    # The page hears of it by itself (polling); its strict CSP rules out wait_for_function's eval.
    eventually(page, f"window.powermap.nodes.get('stakeholder:{person}').label.endsWith('{style.PAIN_MARK}')")
    eventually(
        page,
        "window.powermap.edges.get({filter: e => e.from === 'member:li' && e.to === 'stakeholder:it_arch'})[0].fading",
    )
    assert edge_between(page, "member:li", "stakeholder:it_arch")["dashes"] == list(style.FADING_DASHES)
    after = page.inner_text("#pm-voice-loop")
    assert after != before
    assert f"{loop['open']} open of {loop['total']}" in after, "the loop's summary follows"
    assert "400 days ago" in page.inner_text("#pm-fading")
    watch.assert_clean()
