"""Driving Debian's Chromium with Playwright for Python: one launcher, a request watch, artefacts.

Never downloads a browser: Chromium is ``/usr/bin/chromium`` (``executable_path``), launched
headless with Chromium's own background traffic turned off. Every page opened through
:func:`open_page` is watched: each request the page makes is recorded and anything that is not
``file:`` / ``data:`` / ``blob:`` or the one allowed origin is aborted and reported, console errors
and uncaught exceptions are collected, and screenshots go to the artefact folder
(``$POWERMAP_TEST_ARTEFACTS``, by default ``<tempdir>/powermap-artefacts``) for a person to look at.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

browser_marks = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("POWERMAP_TEST_REQUIRE_BROWSER") != "1",
        reason="needs Debian's chromium at /usr/bin/chromium",
    ),
]


def artefacts() -> Path:
    folder = Path(os.environ.get("POWERMAP_TEST_ARTEFACTS") or Path(tempfile.gettempdir()) / "powermap-artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Watch:
    """What the pages of one context did: requests (allowed and refused), console errors."""

    allowed_origin: str | None = None
    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def allows(self, url: str) -> bool:
        if url.startswith(LOCAL_SCHEMES):
            return True
        return self.allowed_origin is not None and (
            url == self.allowed_origin or url.startswith(self.allowed_origin + "/")
        )

    def assert_clean(self) -> None:
        assert self.refused == [], f"the page tried to leave the machine: {self.refused}"
        assert self.errors == [], f"console errors: {self.errors}"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # In the full suite an earlier test leaves this thread marked as running an asyncio loop (no
    # loop runs: a synchronous test is executing), and Playwright's sync API refuses to start under
    # that mark. Clear it while the browser lives and put it back afterwards.
    leaked = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        asyncio._set_running_loop(leaked)


def new_context(browser: Any, watch: Watch, **options: Any) -> Any:
    """A fresh browser context (own cookies) whose every request goes through ``watch``."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, **options)

    def route(route: Any) -> None:
        url = route.request.url
        watch.requests.append(url)
        if watch.allows(url):
            route.continue_()
        else:
            watch.refused.append(url)
            route.abort()

    context.route("**/*", route)
    return context


#: How Chromium logs an HTTP refusal (4xx) of a fetch: the subject of the tests that provoke one,
#: not a script error. Server errors (5xx) still count.
_REFUSAL = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d")


def watch_page(page: Any, watch: Watch) -> Any:
    def console(message: Any) -> None:
        if message.type == "error" and not _REFUSAL.match(message.text):
            watch.errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: watch.errors.append(f"uncaught: {error}"))
    return page


def screenshot(page: Any, name: str) -> Path:
    path = artefacts() / f"{name}.png"
    page.screenshot(path=str(path))
    return path
