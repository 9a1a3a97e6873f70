"""The API's interactive docs (``/docs``) in a real Chromium: they render every operation and load nothing remote."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from powermap.api import create_app
from powermap.settings import Settings
from powermap.store import open_store
from tests.api.conftest import LiveServer
from tests.e2e.browser import Watch, browser_marks, new_context, screenshot, watch_page

pytestmark = browser_marks


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    with (
        open_store(f"sqlite:///{tmp_path}/docs.db") as store,
        LiveServer(create_app(Settings(store=store.url), store=store)) as url,
    ):
        yield url


def test_the_docs_page_lists_the_api_and_loads_nothing_from_the_internet(chromium: Any, served: str) -> None:
    watch = Watch(allowed_origin=served)
    context = new_context(chromium, watch)
    try:
        page = watch_page(context.new_page(), watch)
        page.goto(f"{served}/docs")
        page.wait_for_selector(".opblock", timeout=30_000)
        screenshot(page, "api-docs")
        summaries = page.locator(".opblock-summary-path").all_inner_texts()
        assert any("/accounts/{account}/stakeholders/{item}" in text.replace("\u200b", "") for text in summaries)
        assert len(summaries) > 40
    finally:
        context.close()
    watch.assert_clean()
