"""The account page's data route: whole, or as the change since the revision a page shows (both stores)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from powermap.viz.incremental import apply_delta
from tests.api.conftest import seg


def _data(client: TestClient, account: str, since: int | None = None) -> dict[str, Any]:
    query = "?recommendations=false" + (f"&since={since}" if since is not None else "")
    response = client.get(f"/app/accounts/{seg(account)}/data{query}")
    assert response.status_code == 200, response.text
    assert response.headers["Server-Timing"].startswith("read;dur=")  # what it cost, step by step
    body: dict[str, Any] = response.json()
    return body


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def _patch(client: TestClient, account: str, person: str, changes: dict[str, Any]) -> None:
    url = f"/accounts/{seg(account)}/stakeholders/{seg(person)}"
    etag = client.get(url).headers["ETag"]
    response = client.patch(url, json=changes, headers={"If-Match": etag})
    assert response.status_code == 200, response.text


def test_a_page_that_shows_a_revision_gets_only_what_an_edit_changed(client: TestClient, account: str) -> None:
    before = _data(client, account)
    person = next(node for node in before["nodes"] if node["kind"] == "stakeholder")
    _patch(client, account, person["ref"], {"title": "Head of <b>Things</b>"})

    delta = _data(client, account, since=before["revision"])
    assert delta["delta"] is True
    assert delta["since"] == before["revision"]
    assert delta["nodes"]["put"] == [], "the person kept every field: only changed values travel"
    assert [node["id"] for node in delta["nodes"]["patch"]] == [person["id"]]
    assert delta["nodes"]["drop"] == []
    assert delta["edges"] == {"put": [], "drop": []}
    patch = delta["nodes"]["patch"][0]
    assert patch["subtitle"] == "Head of <b>Things</b>"
    assert "Head of <b>Things</b>" in patch["title"], "the hover card names the new title"
    assert "color" not in patch, "the look did not change"
    assert "x" not in patch, "nor the place"
    assert delta["set"]["revision"] == before["revision"] + 1

    whole = _data(client, account)  # what a page opened now gets
    patched = apply_delta(before, delta)
    assert _by_id(patched.pop("nodes")) == _by_id(whole.pop("nodes"))
    assert _by_id(patched.pop("edges")) == _by_id(whole.pop("edges"))
    assert patched == whole


def test_a_change_of_weight_sends_the_new_analysis_and_a_new_person_their_node(
    client: TestClient, account: str
) -> None:
    before = _data(client, account)
    person = next(node for node in before["nodes"] if node["kind"] == "stakeholder")
    _patch(client, account, person["ref"], {"stance": "opponent" if person["stance"] != "opponent" else "champion"})
    delta = _data(client, account, since=before["revision"])
    assert "report" in delta["set"]  # the forecast moved with the stance
    assert delta["set"]["report"] == _data(client, account)["report"]

    response = client.post(
        f"/accounts/{seg(account)}/stakeholders",
        json={"id": "newcomer", "name": "New </script>", "level": "staff", "influence": 0.2},
    )
    assert response.status_code == 201, response.text
    after = _data(client, account, since=delta["set"]["revision"])
    assert "stakeholder:newcomer" in {node["id"] for node in after["nodes"]["put"]}


def test_a_page_too_far_behind_or_ahead_gets_the_whole_data(client: TestClient, account: str) -> None:
    now = _data(client, account)
    for since in (0, now["revision"] + 5):
        whole = _data(client, account, since=since)
        assert "delta" not in whole
        assert whole["revision"] == now["revision"]
        assert len(whole["nodes"]) == len(now["nodes"])
    same = _data(client, account, since=now["revision"])
    assert same["nodes"] == {"put": [], "patch": [], "drop": []}
    assert same["set"] == {}


def test_the_pages_scripts_are_sent_once_and_then_revalidated(client: TestClient) -> None:
    first = client.get("/app/assets/powermap-map.js")
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-cache"
    assert "PowermapMap" in first.text
    again = client.get("/app/assets/powermap-map.js", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    other = client.get("/app/assets/powermap-app.js", headers={"If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200  # another file's tag does not match
    assert other.headers["ETag"] != first.headers["ETag"]
