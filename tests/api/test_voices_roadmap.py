"""The voices and the roadmap over HTTP (issue 9), on every store: the same rules as every other item."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from powermap.store import Change, Store
from tests.api.conftest import MakeKey, seg, with_account
from tests.voice_factories import roadmap_document, voiced_document


@pytest.fixture
def roadmap(store: Store) -> Iterator[str]:
    """Prefixed roadmap items added to the store's roadmap; the roadmap as it was comes back afterwards."""
    from powermap.model import parse_roadmap

    prefix = f"r{uuid.uuid4().hex[:6]}-"
    before = store.read_roadmap()
    items = [*roadmap_document(prefix)["items"], *(i.model_dump() for i in before.items)]
    store.put_roadmap(parse_roadmap({"items": items}), Change("tester", "test"))
    yield prefix
    store.put_roadmap(before, Change("tester", "cleanup"), detach=True)


@pytest.fixture
def account(client: TestClient, prefix: str, roadmap: str) -> str:
    account_id = f"{prefix}tiny"
    response = client.put(
        f"/accounts/{seg(account_id)}/map", json=with_account(voiced_document(prefix=roadmap), account_id)
    )
    assert response.status_code == 200, response.text
    return account_id


def test_voices_are_listed_created_read_closed_and_deleted_with_etags(
    client: TestClient, account: str, roadmap: str
) -> None:
    base = f"/accounts/{seg(account)}/voices"
    assert [v["id"] for v in client.get(base).json()["data"]] == ["v1", "v2", "v3", "v4"]
    new: dict[str, Any] = {
        "id": "v5",
        "stakeholder": "cfo",
        "date": "2026-10-30",
        "text": "需要",
        "category": "pain",
        "roadmap": [f"{roadmap}r8"],
    }
    created = client.post(base, json=new)
    assert created.status_code == 201, created.text
    assert created.headers["Location"] == f"{base}/v5"
    assert client.post(base, json=new).status_code == 409
    read = client.get(f"{base}/v5")
    assert read.json()["roadmap"] == [f"{roadmap}r8"]
    closing = {"status": "resolved", "closed_on": "2026-11-02"}
    closed = client.patch(f"{base}/v5", json=closing, headers={"If-Match": read.headers["ETag"]})
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "resolved"
    assert (
        client.patch(f"{base}/v5", json={"satisfaction": 4}, headers={"If-Match": read.headers["ETag"]}).status_code
        == 412
    )
    assert client.delete(f"{base}/v5", headers={"If-Match": closed.headers["ETag"]}).status_code == 204
    assert client.get(f"{base}/v5").status_code == 404


def test_a_voice_that_breaks_a_rule_is_422_naming_field_and_id(client: TestClient, account: str) -> None:
    base = f"/accounts/{seg(account)}/voices"
    refused = client.patch(f"{base}/v2", json={"satisfaction": 5})
    assert refused.status_code == 422
    assert "voices[1].satisfaction ('v2'): only a resolved voice has a satisfaction" in refused.text
    ghost = client.post(
        base, json={"id": "v9", "stakeholder": "cfo", "date": "2026-10-30", "text": "x", "roadmap": ["nowhere"]}
    )
    assert ghost.status_code == 422
    assert "no item of the store's roadmap has id 'nowhere'" in ghost.text


def test_the_roadmap_is_read_by_item_and_ranked_by_fit(client: TestClient, account: str, roadmap: str) -> None:
    items = client.get("/roadmap").json()["items"]
    assert [i["id"] for i in items if i["id"].startswith(roadmap)] == [f"{roadmap}r7", f"{roadmap}r8", f"{roadmap}r9"]
    assert client.get(f"/roadmap/{roadmap}r7").json()["title"] == "Zero-downtime MES cut-over"
    assert client.get("/roadmap/nowhere").status_code == 404
    fit = client.get("/roadmap/fit", params={"account": account}).json()["items"]
    mine = [i for i in fit if i["id"].startswith(roadmap)]
    assert [i["id"] for i in mine] == [f"{roadmap}r7", f"{roadmap}r8", f"{roadmap}r9"]
    assert mine[0]["accounts"] == {account: mine[0]["fit"]}
    assert mine[0]["stakeholders"] == [
        {"account": account, "stakeholder": "ceo"},
        {"account": account, "stakeholder": "cto"},
    ]
    everywhere = {i["id"]: i for i in client.get("/roadmap/fit").json()["items"]}
    assert everywhere[f"{roadmap}r7"]["fit"] == pytest.approx(mine[0]["fit"])


def test_an_item_answering_voices_is_deleted_only_when_forced_and_only_by_an_admin(
    client: TestClient, account: str, roadmap: str, make_key: MakeKey
) -> None:
    editor = make_key("editor")
    assert client.delete(f"/roadmap/{roadmap}r9", headers=editor).status_code == 403
    refused = client.delete(f"/roadmap/{roadmap}r7")
    assert refused.status_code == 409
    assert "'v1'" in refused.json()["detail"]
    assert client.delete(f"/roadmap/{roadmap}r7", params={"force": "true"}).status_code == 204
    assert client.get(f"/accounts/{seg(account)}/voices/v1").json()["roadmap"] == []
    put = client.put(f"/roadmap/{roadmap}r10", json={"title": "New", "status": "planned"})
    assert put.status_code == 200, put.text
    assert put.json() == {"id": f"{roadmap}r10", "title": "New", "release": "", "status": "planned", "notes": ""}
    bad = client.put(f"/roadmap/{roadmap}r10", json={"title": "New", "status": "someday"})
    assert bad.status_code == 422
    assert "status" in bad.text
