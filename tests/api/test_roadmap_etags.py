"""The roadmap over HTTP carries ETags and honours If-Match exactly like an account's items (both stores)."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from tests.api.conftest import MakeKey, seg

PROBLEM = "application/problem+json"


def test_the_roadmap_and_its_items_carry_etags_and_stale_writes_get_412(client: TestClient) -> None:
    item = f"r{uuid.uuid4().hex[:6]}/中 #?"
    whole = client.get("/roadmap")
    assert whole.status_code == 200
    assert whole.headers["ETag"].startswith('"r')
    revision = int(whole.headers["ETag"].strip('"')[1:])

    created = client.post("/roadmap", json={"id": item, "title": "Zero downtime"})
    assert created.status_code == 201, created.text
    assert created.headers["Location"] == f"/roadmap/{seg(item)}"
    assert client.post("/roadmap", json={"id": item, "title": "again"}).status_code == 409
    assert client.get("/roadmap").headers["ETag"] == f'"r{revision + 1}"'

    read = client.get(f"/roadmap/{seg(item)}")
    assert read.headers["ETag"] == created.headers["ETag"]
    patched = client.patch(
        f"/roadmap/{seg(item)}", json={"status": "planned"}, headers={"If-Match": read.headers["ETag"]}
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["status"] == "planned"
    assert patched.headers["ETag"] != read.headers["ETag"]

    stale = client.patch(f"/roadmap/{seg(item)}", json={"status": "idea"}, headers={"If-Match": read.headers["ETag"]})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == PROBLEM
    assert (
        client.put(f"/roadmap/{seg(item)}", json={"title": "X"}, headers={"If-Match": read.headers["ETag"]}).status_code
        == 412
    )
    assert client.delete(f"/roadmap/{seg(item)}", headers={"If-Match": read.headers["ETag"]}).status_code == 412
    assert client.put("/roadmap", json={"items": []}, headers={"If-Match": whole.headers["ETag"]}).status_code == 412
    assert client.patch(f"/roadmap/{seg(item)}", json={"id": "other"}).status_code == 422
    assert client.get(f"/roadmap/{seg(item)}").json()["status"] == "planned"  # nothing stale was written

    now = client.get("/roadmap")
    same = client.put("/roadmap", json=now.json(), headers={"If-Match": now.headers["ETag"]})
    assert same.status_code == 200
    assert same.headers["ETag"] == now.headers["ETag"]  # an identical roadmap is no change
    assert client.delete(f"/roadmap/{seg(item)}", headers={"If-Match": patched.headers["ETag"]}).status_code == 204
    assert client.get(f"/roadmap/{seg(item)}").status_code == 404


def test_the_roadmap_change_log_names_who_changed_what_newest_first(client: TestClient, make_key: MakeKey) -> None:
    item = f"r{uuid.uuid4().hex[:6]}"
    name = f"boss{uuid.uuid4().hex[:6]}"
    admin = make_key("admin", name=name)
    assert client.post("/roadmap", json={"id": item, "title": "A"}, headers=admin).status_code == 201
    assert client.patch(f"/roadmap/{item}", json={"notes": "<b>n</b>"}, headers=admin).status_code == 200
    page = client.get("/roadmap-changes", params={"limit": 1})
    assert page.status_code == 200
    (latest,) = page.json()["data"]
    assert (latest["actor"], latest["operation"], latest["subject"]) == (name, "update roadmap item", item)
    older = client.get("/roadmap-changes", params={"limit": 1, "before": page.json()["next_before"]}).json()["data"]
    assert (older[0]["operation"], older[0]["revision"]) == ("create roadmap item", latest["revision"] - 1)


def test_only_admins_change_the_roadmap_and_viewers_read_its_log(client: TestClient, make_key: MakeKey) -> None:
    editor = make_key("editor")
    viewer = make_key("viewer")
    assert client.post("/roadmap", json={"id": "x", "title": "A"}, headers=editor).status_code == 403
    assert client.patch("/roadmap/x", json={"title": "B"}, headers=editor).status_code == 403
    assert client.get("/roadmap-changes", headers=viewer).status_code == 200
    assert client.get("/roadmap", headers=viewer).headers["ETag"].startswith('"r')


def test_a_page_below_a_revision_no_store_can_hold_is_422_not_500(client: TestClient, account: str) -> None:
    # found by schemathesis: a huge ?before= reached the store and overflowed its 64-bit integers
    for url in (f"/accounts/{seg(account)}/changes", "/roadmap-changes"):
        assert client.get(url, params={"before": 2**63}).status_code == 422
        assert client.get(url, params={"before": 2**63 - 1}).status_code == 200
