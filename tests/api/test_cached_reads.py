"""Cached analysis answers (api.cached): fresh after any writer, shared under concurrent load, on every store."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi.testclient import TestClient

from powermap.model import EdgeKind, NodeKind
from powermap.service import PowermapService
from powermap.store import Store
from tests.api.conftest import MakeKey, seg, with_account
from tests.factories import tiny_document


async def _concurrent_gets(base: str, headers: dict[str, str], path: str, params: dict[str, Any], n: int) -> list[Any]:
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
        return list(await asyncio.gather(*(http.get(path, params=params) for _ in range(n))))


def test_a_cached_answer_follows_a_write_made_outside_the_api(client: TestClient, account: str, store: Store) -> None:
    base = f"/accounts/{seg(account)}"
    before = client.get(base + "/paths", params={"to": "ceo", "k": 1}).json()
    assert client.get(base + "/paths", params={"to": "ceo", "k": 1}).json() == before  # now cached
    # Another process (the CLI, another server) weakens our first line on the path: no API call tells
    # this server, only its freshness check does.
    PowermapService(store, actor="other").update_edge(account, EdgeKind.RELATIONSHIP, "li", "cto", {"strength": 0.1})
    after = client.get(base + "/paths", params={"to": "ceo", "k": 1}).json()
    assert after == PowermapService(store).paths(account, "ceo", k=1)
    assert after["paths"][0]["strength"] < before["paths"][0]["strength"]


def test_thirty_two_concurrent_clients_get_the_same_answers_as_one(
    live_url: str, make_key: MakeKey, prefix: str, store: Store
) -> None:
    headers = make_key("admin")
    account = f"{prefix}crowd"
    with httpx.Client(base_url=live_url, headers=headers) as http:
        assert http.put(f"/accounts/{seg(account)}/map", json=with_account(tiny_document(), account)).status_code == 200
    expected = {
        "analysis": PowermapService(store).analyze(account),
        "paths": PowermapService(store).paths(account, "ceo"),
    }
    for endpoint, params in (("analysis", {}), ("paths", {"to": "ceo"})):
        # The first wave arrives with nothing cached (one computes, the others wait), the second finds it.
        path = f"/accounts/{seg(account)}/{endpoint}"
        for _ in range(2):
            responses = asyncio.run(_concurrent_gets(live_url, headers, path, params, 32))
            assert {r.status_code for r in responses} == {200}
            assert all(r.json() == expected[endpoint] for r in responses)
            assert all(r.headers["content-type"] == "application/json" for r in responses)
    # A change made meanwhile by another writer shows in the very next wave.
    PowermapService(store).update_node(account, NodeKind.STAKEHOLDER, "cfo", {"influence": 0.05})
    responses = asyncio.run(_concurrent_gets(live_url, headers, f"/accounts/{seg(account)}/analysis", {}, 32))
    assert all(r.json() == PowermapService(store).analyze(account) for r in responses)


def test_concurrent_requests_for_a_missing_account_all_get_404(live_url: str, make_key: MakeKey, prefix: str) -> None:
    responses = asyncio.run(
        _concurrent_gets(live_url, make_key("admin"), f"/accounts/{seg(prefix + 'ghost')}/paths", {"to": "x"}, 16)
    )
    assert {r.status_code for r in responses} == {404}
