"""The server runs with rare full garbage collections (api/collector.py) and gives the process its own back."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from powermap.api import create_app
from powermap.api.collector import SERVER_THRESHOLDS, server_collector
from powermap.settings import Settings
from powermap.store import Store


def test_a_running_server_collects_rarely_and_restores_the_thresholds_when_it_stops(
    store: Store, api_settings: Settings
) -> None:
    before = gc.get_threshold()
    assert before != SERVER_THRESHOLDS, "the test needs the process's thresholds to differ from the server's"
    with TestClient(create_app(api_settings, store=store)) as client:
        assert client.get("/health").status_code == 200
        assert gc.get_threshold() == SERVER_THRESHOLDS
    assert gc.get_threshold() == before


def test_the_thresholds_are_restored_even_when_the_block_fails() -> None:
    before = gc.get_threshold()
    try:
        with server_collector((1_000, 5, 7)):
            assert gc.get_threshold() == (1_000, 5, 7)
            raise RuntimeError("the server stopped on an error")
    except RuntimeError:
        pass
    assert gc.get_threshold() == before
