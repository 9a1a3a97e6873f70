"""The web app served by the API process, in a real Chromium, on each store.

A real HTTP server (uvicorn in a thread, ``api.create_app`` over the test's store) serves the pages
and the API; Debian's Chromium is driven by Playwright (``tests/e2e/browser.py``). Every request the
pages make is watched: anything not addressed to this server fails the test, as does any console
error other than the logged HTTP refusals a test provokes on purpose. Screenshots are kept as
artefacts. What the pages did is checked through the API with a key of its own.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from importlib import resources
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import uvicorn

from powermap.api import create_app
from powermap.errors import KeyNotFoundError
from powermap.service import PowermapService
from powermap.settings import Settings
from powermap.store import Store
from tests.e2e.browser import Watch, browser_marks, new_context, screenshot, watch_page

pytestmark = browser_marks

HOSTILE_NAME = "<img src=x onerror=\"window.pwned=1;document.title='pwned'\">"
HOSTILE_NOTES = "</script><script>window.pwned=2;document.title='pwned'</script>"


def seg(value: str) -> str:
    return quote(value, safe="")


class Server:
    """The API and the web app over one store, on a free loopback port."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.service = PowermapService(store, actor="tester")
        self.keys: list[str] = []
        self.names: dict[str, str] = {}  # token -> the key's name (what the changes feed records as actor)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        app = create_app(Settings(store=store.url, key_cache_s=0), store=store)
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        for name in self.keys:
            with contextlib.suppress(KeyNotFoundError):
                self.service.revoke_key(name)

    def key(self, role: str) -> str:
        made = self.service.add_key(f"web-{role}-{uuid.uuid4().hex[:8]}", role, None)
        self.keys.append(made.name)
        self.names[made.token] = made.name
        return made.token

    def api(self, token: str) -> httpx.Client:
        return httpx.Client(base_url=self.base, headers={"Authorization": f"Bearer {token}"}, timeout=30)


@pytest.fixture
def server(store: Store) -> Iterator[Server]:
    with Server(store) as running:
        yield running


@pytest.fixture
def account(server: Server, prefix: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        resources.files("powermap").joinpath("samples/acme.json").read_text(encoding="utf-8")
    )
    document["account"]["id"] = prefix + "acme"
    server.service.import_map(document)
    return document


def signed_in(chromium: Any, server: Server, role: str) -> tuple[Any, Watch, str]:
    watch = Watch(allowed_origin=server.base)
    context = new_context(chromium, watch)
    page = watch_page(context.new_page(), watch)
    token = server.key(role)
    page.goto(server.base + "/")
    page.wait_for_url(server.base + "/signin")
    page.get_by_label("Key", exact=True).fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(server.base + "/")
    return page, watch, token


def open_account(page: Any, server: Server, account_id: str) -> None:
    page.goto(f"{server.base}/app/accounts/{seg(account_id)}")
    page.wait_for_selector("body[data-ready='1'][data-panels='1'][data-stabilized='1']", timeout=60_000)


def test_sign_in_open_the_sample_add_a_stakeholder_and_an_influence_line(
    chromium: Any, server: Server, account: dict[str, Any]
) -> None:
    page, watch, _ = signed_in(chromium, server, "editor")
    cookie = next(c for c in page.context.cookies() if c["name"] == "powermap_session")
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == "", "the session cookie is not readable by scripts"
    link = page.get_by_role("link", name=account["account"]["name"])
    row = page.locator("tr", has=link)
    assert str(len(account["stakeholders"])) in row.inner_text()
    screenshot(page, "web-accounts")
    link.click()
    page.wait_for_selector("body[data-ready='1'][data-panels='1'][data-stabilized='1']", timeout=60_000)
    expected = len(account["stakeholders"]) + len(account["team"]) + len(account["competitors"])
    assert page.evaluate("window.powermap.network.body.nodeIndices.length") == expected, "every node drawn"
    forecast_before = page.inner_text("#pm-forecast")
    account_id = account["account"]["id"]

    page.get_by_role("button", name="Add stakeholder").click()
    form = page.locator("#pm-stakeholder-form")
    form.get_by_label("Id", exact=True).fill("new_ally")
    form.get_by_label("Name", exact=True).fill("钱新 Qian Xin")
    form.get_by_label("Title", exact=True).fill("Chief of Staff")
    form.get_by_label("Department", exact=True).fill("Board")
    form.get_by_label("Level", exact=True).select_option("senior")
    form.get_by_label("Decision role", exact=True).select_option("coach")
    form.get_by_label("Influence", exact=True).fill("1.5")
    form.get_by_label("Stance", exact=True).select_option("champion")
    form.get_by_role("button", name="Save").click()
    error = form.locator('.pm-field-error[data-for="influence"]')
    error.wait_for(state="visible")
    assert "less than or equal to 1" in error.inner_text(), "the API's message beside the field"
    form.get_by_label("Influence", exact=True).fill("0.8")
    form.get_by_role("button", name="Save").click()
    page.wait_for_selector("body[data-saved='new_ally']")
    gap = page.evaluate(
        """() => {
          const at = window.powermap.network.getPositions(), me = at["stakeholder:new_ally"];
          return Math.min(...Object.entries(at).filter(([id]) => id !== "stakeholder:new_ally")
            .map(([, p]) => Math.hypot(p.x - me.x, p.y - me.y)));
        }"""
    )
    assert gap >= 89, f"a new person is placed clear of everyone else (nearest {gap:.0f} away)"

    page.get_by_role("button", name="Add line").click()
    lines = page.locator("#pm-line-form")
    lines.get_by_label("Kind", exact=True).select_option("influences")
    lines.get_by_label("From", exact=True).select_option("new_ally")
    lines.get_by_label("To", exact=True).select_option("ceo")
    lines.get_by_label("Weight or strength", exact=True).fill("0.9")
    lines.get_by_role("button", name="Save").click()
    page.wait_for_selector("body[data-saved='influences:new_ally->ceo']")

    with server.api(server.key("viewer")) as api:
        made = api.get(f"/accounts/{seg(account_id)}/stakeholders/new_ally")
        assert made.status_code == 200
        assert made.json()["name"] == "钱新 Qian Xin"
        assert made.json()["influence"] == 0.8
        line = api.get(f"/accounts/{seg(account_id)}/influences/new_ally/ceo")
        assert line.status_code == 200
        assert line.json()["weight"] == 0.9
        index = api.get(f"/accounts/{seg(account_id)}/analysis").json()["forecast"]["support_index"]
    assert page.inner_text("#pm-forecast") != forecast_before, "the analysis panel changed"
    assert f"{index:+.3f}" in page.inner_text("#pm-forecast"), "and shows the API's new support index"
    assert page.evaluate("window.powermap.nodes.get('stakeholder:new_ally') !== null")
    screenshot(page, f"web-account-edited-{server.store.url.split(':')[0]}")

    page.get_by_role("button", name="Log activity").click()
    activity = page.locator("#pm-activity-form")
    activity.get_by_label("Id", exact=True).fill("visit-1")
    activity.get_by_label("Type", exact=True).select_option("site_visit")
    activity.get_by_label("Date", exact=True).fill("2026-11-20")
    activity.get_by_label("Our people", exact=True).select_option([account["team"][0]["id"]])
    activity.get_by_label("Stakeholders", exact=True).select_option(["new_ally", "ceo"])
    activity.get_by_label("Outcome", exact=True).fill("agreed to a pilot")
    activity.get_by_role("button", name="Save").click()
    page.wait_for_selector("body[data-saved='activity:visit-1']")

    page.evaluate("window.powermapApp.openStakeholder('new_ally')")
    page.wait_for_selector("body[data-editing='new_ally']")
    form.get_by_role("button", name="Delete").click()
    page.wait_for_selector("body[data-writes='4']")
    with server.api(server.key("viewer")) as api:
        logged = api.get(f"/accounts/{seg(account_id)}/activities/visit-1")
        assert logged.status_code == 200
        assert logged.json()["outcome"] == "agreed to a pilot"
        assert api.get(f"/accounts/{seg(account_id)}/stakeholders/new_ally").status_code == 404
    assert page.evaluate("window.powermap.nodes.get('stakeholder:new_ally')") is None
    watch.assert_clean()


def test_a_viewer_sees_no_editing_controls_and_forged_writes_are_refused(
    chromium: Any, server: Server, account: dict[str, Any]
) -> None:
    account_id = account["account"]["id"]
    page, watch, _ = signed_in(chromium, server, "viewer")
    open_account(page, server, account_id)
    for label in ("Add stakeholder", "Add line", "Log activity", "Save", "Delete"):
        assert page.get_by_role("button", name=label).count() == 0, label
    assert page.locator("form#pm-stakeholder-form").count() == 0
    forge = """async ([url, header]) => {
      const r = await fetch(url, {method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", [header]: document.body.dataset.csrf},
        body: JSON.stringify({id: "forged", name: "Forged", level: "staff", influence: 0.1})});
      return r.status;
    }"""
    url = f"/accounts/{seg(account_id)}/stakeholders"
    assert page.evaluate(forge, [url, "X-CSRF-Token"]) == 403, "a viewer's session may not write"
    editor, editor_watch, _ = signed_in(chromium, server, "editor")
    open_account(editor, server, account_id)
    assert editor.evaluate(forge, [url, "X-Not-The-Token"]) == 403, "a write without the page's CSRF token"
    with server.api(server.key("viewer")) as api:
        assert api.get(f"/accounts/{seg(account_id)}/stakeholders/forged").status_code == 404
    screenshot(page, "web-viewer")
    watch.assert_clean()
    editor_watch.assert_clean()


def test_two_people_edit_one_stakeholder_from_the_same_version_and_nothing_is_lost(
    chromium: Any, server: Server, account: dict[str, Any]
) -> None:
    account_id = account["account"]["id"]
    first, first_watch, first_token = signed_in(chromium, server, "editor")
    second, second_watch, second_token = signed_in(chromium, server, "editor")
    winner, loser = server.names[first_token], server.names[second_token]
    assert winner != loser, "two different keys"
    for page in (first, second):
        open_account(page, server, account_id)
    # The first clicks the person on the map; the second opens them from the page's script (the same call).
    box = first.locator("#pm-network canvas").bounding_box()
    at = first.evaluate("window.powermap.network.canvasToDOM(window.powermap.network.getPosition('stakeholder:cio'))")
    first.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    second.evaluate("window.powermapApp.openStakeholder('cio')")
    for page in (first, second):
        page.wait_for_selector("body[data-editing='cio']")
    first.locator("#pm-stakeholder-form").get_by_label("Title", exact=True).fill("CIO and CDO")
    first.locator("#pm-stakeholder-form").get_by_role("button", name="Save").click()
    first.wait_for_selector("body[data-saved='cio']")

    form = second.locator("#pm-stakeholder-form")
    form.get_by_label("Stance", exact=True).select_option("champion")
    form.get_by_role("button", name="Save").click()
    second.wait_for_selector("body[data-conflict='1']")
    text = second.inner_text("#pm-conflict")
    assert text.startswith(f"{winner} changed "), "names who made the change (their key's name)"
    assert loser not in text
    assert "update stakeholder cio" in text, "what they did, from the changes feed"
    with server.api(server.key("viewer")) as api:
        logged = api.get(f"/accounts/{seg(account_id)}/changes", params={"limit": 1}).json()["data"][0]
    assert logged["actor"] == winner
    assert logged["at"][:19].replace("T", " ") in text, "and when"
    assert "CIO and CDO" in text, "says what the other person changed"
    screenshot(second, "web-conflict")
    with server.api(server.key("viewer")) as api:
        item = api.get(f"/accounts/{seg(account_id)}/stakeholders/cio").json()
    assert (item["title"], item["stance"]) == ("CIO and CDO", account_stance(account, "cio")), "nothing overwritten"

    second.get_by_role("button", name="Re-apply mine").click()
    second.wait_for_selector("body[data-saved='cio']")
    with server.api(server.key("viewer")) as api:
        item = api.get(f"/accounts/{seg(account_id)}/stakeholders/cio").json()
    assert (item["title"], item["stance"]) == ("CIO and CDO", "champion"), "both changes kept"
    # The first page hears of the second's change by itself within a few seconds.
    first.wait_for_selector("body[data-remote-updates]", timeout=10_000)
    assert first.inner_text("#pm-notice").startswith(f"{loser} changed this map"), "names who changed the map"
    first_watch.assert_clean()
    second_watch.assert_clean()


def test_saving_a_person_someone_else_deleted_names_who_deleted_them_and_writes_nothing(
    chromium: Any, server: Server, account: dict[str, Any]
) -> None:
    account_id = account["account"]["id"]
    page, watch, _ = signed_in(chromium, server, "editor")
    open_account(page, server, account_id)
    page.evaluate("window.powermapApp.openStakeholder('cio')")
    page.wait_for_selector("body[data-editing='cio']")
    remover = server.key("editor")
    with server.api(remover) as api:
        assert api.delete(f"/accounts/{seg(account_id)}/stakeholders/cio").status_code == 204
    form = page.locator("#pm-stakeholder-form")
    form.get_by_label("Title", exact=True).fill("Still here?")
    form.get_by_role("button", name="Save").click()
    page.wait_for_selector("body[data-conflict='1']")
    text = page.inner_text("#pm-conflict")
    assert text.startswith(f"{server.names[remover]} deleted "), "names who deleted them"
    assert "remove stakeholder cio" in text
    assert form.get_by_label("Title", exact=True).input_value() == "Still here?", "the user's values are kept"
    with server.api(server.key("viewer")) as api:
        assert api.get(f"/accounts/{seg(account_id)}/stakeholders/cio").status_code == 404, "nothing written"
    watch.assert_clean()


def account_stance(account: dict[str, Any], stakeholder: str) -> str:
    stance: str = next(s.get("stance", "neutral") for s in account["stakeholders"] if s["id"] == stakeholder)
    return stance


def test_markup_in_a_name_and_notes_executes_nothing_in_map_form_or_panels(
    chromium: Any, server: Server, account: dict[str, Any]
) -> None:
    account_id = account["account"]["id"]
    with server.api(server.key("editor")) as api:
        made = api.post(
            f"/accounts/{seg(account_id)}/stakeholders",
            json={"id": "evil", "name": HOSTILE_NAME, "title": HOSTILE_NAME, "department": HOSTILE_NAME,
                  "level": "executive", "decision_role": "decision_maker", "influence": 0.9, "stance": "opponent",
                  "notes": HOSTILE_NOTES},
        )  # fmt: skip
        assert made.status_code == 201, made.text
        assert (
            api.post(
                f"/accounts/{seg(account_id)}/influences", json={"from": "evil", "to": "ceo", "weight": 0.8}
            ).status_code
            == 201
        )
    page, watch, _ = signed_in(chromium, server, "editor")
    assert HOSTILE_NAME not in page.content() or page.evaluate("document.querySelectorAll('img').length") == 0
    open_account(page, server, account_id)
    network = "window.powermap.network"
    box = page.locator("#pm-network canvas").bounding_box()
    at = page.evaluate(f"{network}.canvasToDOM({network}.getPosition('stakeholder:evil'))")
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    assert HOSTILE_NAME in page.inner_text("div.vis-tooltip")
    page.evaluate("window.powermapApp.openStakeholder('evil')")
    page.wait_for_selector("body[data-editing='evil']")
    form = page.locator("#pm-stakeholder-form")
    assert form.get_by_label("Name", exact=True).input_value() == HOSTILE_NAME
    assert form.get_by_label("Notes", exact=True).input_value() == HOSTILE_NOTES
    page.select_option("#pm-path-target", "evil")
    page.select_option("#pm-filter-department", HOSTILE_NAME)
    assert HOSTILE_NAME in page.inner_text("#pm-legend")
    assert page.evaluate("document.querySelectorAll('img, svg').length") == 0
    assert page.evaluate("window.pwned") is None
    assert page.title() != "pwned"
    screenshot(page, "web-hostile")
    watch.assert_clean()


def test_sign_out_ends_the_session(chromium: Any, server: Server, account: dict[str, Any]) -> None:
    page, watch, _ = signed_in(chromium, server, "viewer")
    open_account(page, server, account["account"]["id"])
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(server.base + "/signin")
    status = page.evaluate(f"fetch('/app/accounts/{seg(account['account']['id'])}/data').then(r => r.status)")
    assert status == 401
    page.goto(server.base + "/")
    assert page.url == server.base + "/signin"
    watch.assert_clean()
