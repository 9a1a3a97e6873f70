"""Every endpoint through FastAPI's test client, on every store (SQLite always, Neo4j when configured)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import MakeKey, seg, with_account
from tests.factories import HOSTILE_IDS, normalized, tiny_document

POWERMAP = Path(sys.executable).with_name("powermap")
PROBLEM = "application/problem+json"


def test_health_says_the_store_is_reachable_without_a_key(client: TestClient) -> None:
    response = client.get("/health", headers={"Authorization": ""})
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "store": "reachable"}


def test_openapi_and_docs_are_served_and_the_docs_load_nothing_remote(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/accounts/{account}/stakeholders/{item}" in schema["paths"]
    assert "/accounts/{account}/influences/{source}/{target}" in schema["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "http://" not in docs.text
    assert "https://" not in docs.text
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_the_map_round_trips_and_its_etag_is_its_revision(client: TestClient, account: str) -> None:
    response = client.get(f"/accounts/{seg(account)}/map")
    assert response.status_code == 200
    assert response.json() == normalized(with_account(tiny_document(), account))
    first = response.headers["ETag"]
    changed = with_account(tiny_document(), account)
    changed["stakeholders"][0]["stance"] = "champion"
    put = client.put(f"/accounts/{seg(account)}/map", json=changed, headers={"If-Match": first})
    assert put.status_code == 200
    assert put.headers["ETag"] != first
    assert put.json()["stakeholders"][0]["stance"] == "champion"
    stale = client.put(f"/accounts/{seg(account)}/map", json=changed, headers={"If-Match": first})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == PROBLEM


def test_a_broken_document_is_refused_whole_with_field_paths_and_ids(client: TestClient, account: str) -> None:
    broken = with_account(tiny_document(), account)
    broken["stakeholders"][1]["influence"] = 1.4
    broken["reports_to"].append({"from": "cto", "to": "ghost"})
    response = client.put(f"/accounts/{seg(account)}/map", json=broken)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    errors = {(e["path"], e["item"]) for e in response.json()["errors"]}
    assert ("stakeholders[1].influence", "'cto'") in errors
    assert any(path.startswith("reports_to[2].to") for path, _ in errors)
    assert client.get(f"/accounts/{seg(account)}/stakeholders/cto").json()["influence"] == 0.6


def test_a_document_for_another_account_than_the_url_is_refused(client: TestClient, account: str) -> None:
    response = client.put(f"/accounts/{seg(account)}/map", json=with_account(tiny_document(), account + "x"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "account.id"


def test_accounts_are_created_read_renamed_listed_and_deleted(client: TestClient, prefix: str) -> None:
    account_id = f"{prefix}a/b 中"
    created = client.post("/accounts", json={"id": account_id, "name": "New Co"})
    assert created.status_code == 201
    assert created.headers["Location"] == f"/accounts/{seg(account_id)}"
    assert client.post("/accounts", json={"id": account_id, "name": "Again"}).status_code == 409
    read = client.get(created.headers["Location"])
    assert read.json() == {"id": account_id, "name": "New Co", "industry": "", "notes": ""}
    renamed = client.patch(
        created.headers["Location"], json={"industry": "汽车"}, headers={"If-Match": read.headers["ETag"]}
    )
    assert renamed.status_code == 200
    assert (renamed.json()["industry"], renamed.json()["name"]) == ("汽车", "New Co")
    stale = client.patch(created.headers["Location"], json={"name": "X"}, headers={"If-Match": read.headers["ETag"]})
    assert stale.status_code == 412
    listed = client.get("/accounts", params={"limit": 200}).json()
    ours = [a for a in listed["data"] if a["id"] == account_id]
    assert [(a["stakeholders"], a["industry"]) for a in ours] == [(0, "汽车")]
    assert client.delete(created.headers["Location"]).status_code == 204
    gone = client.get(created.headers["Location"])
    assert gone.status_code == 404
    assert account_id in gone.json()["detail"]


@pytest.mark.parametrize(
    ("segment", "key", "create", "change"),
    [
        (
            "stakeholders",
            ("new",),
            {"id": "new", "name": "N", "level": "staff", "influence": 0.2},
            {"stance": "skeptic"},
        ),
        ("team", ("m2",), {"id": "m2", "name": "M", "role": "SR"}, {"title": "Architect"}),
        ("competitors", ("c2",), {"id": "c2", "name": "C"}, {"notes": "new entrant"}),
        (
            "activities",
            ("a2",),
            {"id": "a2", "type": "meal", "date": "2026-10-01", "members": ["li"], "stakeholders": ["ceo"]},
            {"outcome": "warm"},
        ),
        ("reports-to", ("cto", "cfo"), {"from": "cto", "to": "cfo"}, {}),
        ("influences", ("ceo", "cfo"), {"from": "ceo", "to": "cfo", "weight": 0.3}, {"weight": 0.9}),
        (
            "relationships",
            ("boss", "ceo"),
            {"member": "boss", "stakeholder": "ceo", "strength": 0.4},
            {"strength": 0.6},
        ),
        (
            "competitor-relationships",
            ("rival", "ceo"),
            {"competitor": "rival", "stakeholder": "ceo", "strength": 0.2},
            {"strength": 0.7},
        ),
    ],
)
def test_every_list_supports_list_create_read_patch_and_delete(
    client: TestClient, account: str, segment: str, key: tuple[str, ...], create: dict[str, Any], change: dict[str, Any]
) -> None:
    base = f"/accounts/{seg(account)}/{segment}"
    before = client.get(base).json()
    created = client.post(base, json=create)
    assert created.status_code == 201, created.text
    url = base + "/" + "/".join(seg(part) for part in key)
    assert created.headers["Location"] == url
    assert client.post(base, json=create).status_code == 409
    read = client.get(url)
    assert read.status_code == 200
    assert read.json() == {**read.json(), **create}
    assert read.headers["ETag"] == created.headers["ETag"]
    listed = client.get(base).json()
    assert listed["count"] == before["count"] + 1
    assert listed["data"][-1] == read.json()
    patched = client.patch(url, json=change, headers={"If-Match": read.headers["ETag"]})
    assert patched.status_code == 200, patched.text
    assert patched.json() == {**read.json(), **change}
    if change:
        assert patched.headers["ETag"] != read.headers["ETag"]
        assert client.patch(url, json=change, headers={"If-Match": read.headers["ETag"]}).status_code == 412
        assert client.delete(url, headers={"If-Match": read.headers["ETag"]}).status_code == 412
    assert client.delete(url, headers={"If-Match": patched.headers["ETag"]}).status_code == 204
    missing = client.get(url)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    assert key[-1] in missing.json()["detail"]
    assert client.delete(url).status_code == 404
    assert client.get(base).json()["count"] == before["count"]


def test_deleting_a_stakeholder_removes_its_lines(client: TestClient, account: str) -> None:
    assert client.delete(f"/accounts/{seg(account)}/stakeholders/cto").status_code == 204
    document = client.get(f"/accounts/{seg(account)}/map").json()
    assert all("cto" not in (line["from"], line["to"]) for line in document["influences"] + document["reports_to"])
    assert all(r["stakeholder"] != "cto" for r in document["relationships"])


def test_a_line_to_a_missing_stakeholder_is_refused_naming_it(client: TestClient, account: str) -> None:
    response = client.post(f"/accounts/{seg(account)}/influences", json={"from": "cto", "to": "ghost", "weight": 0.5})
    assert response.status_code == 422
    assert any("ghost" in e["message"] for e in response.json()["errors"])


def test_a_bad_item_names_its_field_and_id_and_unknown_fields_are_refused(client: TestClient, account: str) -> None:
    response = client.post(
        f"/accounts/{seg(account)}/stakeholders",
        json={"id": "x", "name": "X", "level": "staff", "influence": 2, "is_admin": True},
    )
    assert response.status_code == 422
    body = response.json()
    assert {(e["path"], e["item"]) for e in body["errors"]} == {("influence", "x"), ("is_admin", "x")}
    assert "Traceback" not in response.text
    patch = client.patch(f"/accounts/{seg(account)}/stakeholders/cto", json={"name": None})
    assert patch.status_code == 422
    assert patch.json()["errors"][0]["item"] == "cto"


def test_hostile_ids_are_reachable_one_segment_each(client: TestClient, account: str) -> None:
    ids = [*HOSTILE_IDS, "a/b", "q?x=1", "frag#ment", "50%", "%2F", "with space", "陈伟/财务", ".", "..", "a%2Fb"]
    base = f"/accounts/{seg(account)}/stakeholders"
    for item_id in ids:
        created = client.post(base, json={"id": item_id, "name": item_id, "level": "staff", "influence": 0.1})
        assert created.status_code == 201, (item_id, created.text)
        url = base + "/" + seg(item_id).replace(".", "%2E")
        assert client.get(url).json()["id"] == item_id
    line = client.post(f"/accounts/{seg(account)}/influences", json={"from": "a/b", "to": "a%2Fb", "weight": 0.5})
    assert line.status_code == 201
    assert client.get(f"/accounts/{seg(account)}/influences/a%2Fb/a%252Fb").json() == {
        "from": "a/b",
        "to": "a%2Fb",
        "weight": 0.5,
    }
    assert client.get(f"/accounts/{seg(account)}/influences/a/b/a%252Fb").status_code == 404
    for item_id in ids:
        assert client.delete(base + "/" + seg(item_id).replace(".", "%2E")).status_code == 204, item_id


def test_lists_are_paginated(client: TestClient, account: str) -> None:
    base = f"/accounts/{seg(account)}/stakeholders"
    for i in range(7):
        client.post(base, json={"id": f"p{i}", "name": "P", "level": "staff", "influence": 0.1})
    everyone = [s["id"] for s in client.get(base).json()["data"]]
    page = client.get(base, params={"offset": 2, "limit": 4}).json()
    assert page["count"] == len(everyone) == 10
    assert [s["id"] for s in page["data"]] == everyone[2:6]
    assert client.get(base, params={"limit": 10_000}).json()["limit"] == 200
    assert client.get(base, params={"offset": -1}).status_code == 422


def _cli_json(store_url: str, *args: str) -> Any:
    done = subprocess.run(
        [str(POWERMAP), *args, "--store", store_url, "--json"], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_analyses_equal_the_cli_json(client: TestClient, account: str, store_url: str) -> None:
    base = f"/accounts/{seg(account)}"
    analysis = client.get(base + "/analysis")
    assert analysis.status_code == 200
    cli = _cli_json(store_url, "analyze", account)
    assert analysis.json() == cli
    assert list(analysis.json()["power"]) == list(cli["power"])  # the ranking's order too
    paths = client.get(base + "/paths", params={"to": "ceo", "from": "li", "k": 2}).json()
    assert paths == _cli_json(store_url, "paths", account, "--to", "ceo", "--from", "li", "-k", "2")
    assert paths["paths"][0] == {"strength": pytest.approx(0.8 * 0.7), "nodes": ["li", "cto", "ceo"]}
    recommendations = client.get(base + "/recommendations", params={"limit": 3}).json()
    assert recommendations == _cli_json(store_url, "recommend", account, "--limit", "3")


def test_paths_to_an_unknown_stakeholder_is_a_404_naming_it(client: TestClient, account: str) -> None:
    response = client.get(f"/accounts/{seg(account)}/paths", params={"to": "ghost"})
    assert response.status_code == 404
    assert "ghost" in response.json()["detail"]


def test_the_offline_map_is_one_html_page_that_loads_nothing_remote(client: TestClient, account: str) -> None:
    response = client.get(f"/accounts/{seg(account)}/map.html", params={"highlight": "ceo"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<script src="http' not in response.text
    assert "Tao" in response.text


def test_unknown_routes_and_methods_answer_problem_details(client: TestClient) -> None:
    assert client.get("/nowhere").headers["content-type"] == PROBLEM
    response = client.put("/accounts")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM


def test_analyses_follow_every_edit_even_when_cached(client: TestClient, account: str, store_url: str) -> None:
    base = f"/accounts/{seg(account)}"
    before = client.get(base + "/analysis").json()
    assert client.get(base + "/analysis").json() == before  # a second read of the same revision
    assert client.patch(base + "/stakeholders/cfo", json={"influence": 0.1}).status_code == 200
    after = client.get(base + "/analysis").json()
    assert after["power"]["cfo"] < before["power"]["cfo"]
    assert after == _cli_json(store_url, "analyze", account)


def test_changes_say_who_when_and_what_newest_first_a_page_at_a_time(
    client: TestClient, account: str, prefix: str, make_key: MakeKey
) -> None:
    base = f"/accounts/{seg(account)}"
    alice = make_key("editor", name=f"{prefix}alice")
    for stance in ("supporter", "champion", "skeptic"):
        assert client.patch(base + "/stakeholders/ceo", json={"stance": stance}, headers=alice).status_code == 200
    first = client.get(base + "/changes", params={"limit": 2})
    assert first.status_code == 200
    page = first.json()
    revisions = [c["revision"] for c in page["data"]]
    assert revisions == sorted(revisions, reverse=True)
    assert [c["subject"] for c in page["data"]] == ["ceo", "ceo"]
    assert [c["actor"] for c in page["data"]] == [f"{prefix}alice"] * 2
    assert page["next_before"] == revisions[-1]
    rest = client.get(base + "/changes", params={"before": page["next_before"], "limit": 50}).json()
    assert [c["revision"] for c in rest["data"]] == list(range(revisions[-1] - 1, 0, -1))
    assert rest["next_before"] is None
    assert client.get(f"/accounts/{prefix}nobody/changes").status_code == 404
