"""``POST /accounts/{a}/activities/log``: ``powermap log`` over HTTP, on every store.

The effects are checked against hand-worked values of the documented defaults (``README``, "Activity
effects"), not against the product's own effects function.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import MakeKey, seg, with_account
from tests.factories import tiny_document

POWERMAP = Path(sys.executable).with_name("powermap")
PROBLEM = "application/problem+json"
TURNAROUND = {
    "id": "turn-1",
    "type": "attitude_turnaround",
    "date": "2026-11-20",
    "members": ["li"],
    "stakeholders": ["cfo", "cto"],
    "outcome": "agreed to look again",
}


def test_logging_records_the_activity_and_answers_each_change_before_and_after(
    client: TestClient, account: str
) -> None:
    base = f"/accounts/{seg(account)}"
    revision = client.get(base + "/map").headers["ETag"]
    response = client.post(base + "/activities/log", json=TURNAROUND)
    assert response.status_code == 201, response.text
    report = response.json()
    assert response.headers["ETag"] == f'"r{report["revision"]}"' != revision
    assert response.headers["Location"] == f"{base}/activities/turn-1"
    assert report["activity"] == {**TURNAROUND, "notes": ""}
    # A turnaround that worked: the skeptic CFO one step warmer, the supporter CTO too; each relationship +0.1
    # (li had none with the CFO: created at 0.1), dated the day of the activity.
    cfo_after = client.get(base + "/stakeholders/cfo").json()
    assert cfo_after["stance"] == "neutral"
    assert client.get(base + "/stakeholders/cto").json()["stance"] == "champion"
    changes = {(c["list"], tuple(c["key"])): (c["before"], c["after"]) for c in report["changes"]}
    assert changes[("stakeholders", ("cfo",))][0]["stance"] == "skeptic"
    assert changes[("stakeholders", ("cfo",))][1] == cfo_after
    assert changes[("relationships", ("li", "cto"))] == (
        {"member": "li", "stakeholder": "cto", "strength": 0.8, "last_contact": "2026-10-01"},
        {"member": "li", "stakeholder": "cto", "strength": 0.9, "last_contact": "2026-11-20"},
    )
    assert changes[("relationships", ("li", "cfo"))] == (
        None,
        {"member": "li", "stakeholder": "cfo", "strength": 0.1, "last_contact": "2026-11-20"},
    )
    assert set(changes) == {
        ("stakeholders", ("cfo",)),
        ("stakeholders", ("cto",)),
        ("relationships", ("li", "cto")),
        ("relationships", ("li", "cfo")),
    }
    assert report["effects"]["competitor_relationships"] == []
    assert client.get(base + "/activities/turn-1").json() == report["activity"]
    newest = client.get(base + "/changes").json()["data"][0]
    assert (newest["revision"], newest["operation"], newest["subject"]) == (
        report["revision"],
        "log attitude_turnaround",
        "turn-1",
    )


def test_a_log_on_a_map_that_moved_on_is_refused_and_writes_nothing(client: TestClient, account: str) -> None:
    base = f"/accounts/{seg(account)}"
    seen = client.get(base + "/map").headers["ETag"]
    client.patch(base + "/stakeholders/ceo", json={"notes": "someone else wrote"})
    before = client.get(base + "/map")
    stale = client.post(base + "/activities/log", json=TURNAROUND, headers={"If-Match": seen})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == PROBLEM
    version = client.get(base + "/stakeholders/cfo").headers["ETag"]
    assert client.post(base + "/activities/log", json=TURNAROUND, headers={"If-Match": version}).status_code == 412
    after = client.get(base + "/map")
    assert (after.headers["ETag"], after.json()) == (before.headers["ETag"], before.json())
    fresh = client.post(base + "/activities/log", json=TURNAROUND, headers={"If-Match": before.headers["ETag"]})
    assert fresh.status_code == 201, fresh.text


def test_bad_input_is_refused_naming_the_field_and_the_id_and_nothing_is_written(
    client: TestClient, account: str
) -> None:
    base = f"/accounts/{seg(account)}"
    before = client.get(base + "/map")

    def problems(body: dict[str, object]) -> set[tuple[str, str | None]]:
        response = client.post(base + "/activities/log", json=body)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == PROBLEM
        return {(e["path"], e["item"]) for e in response.json()["errors"]}

    assert problems({**TURNAROUND, "members": ["ghost"]}) == {("members[0]", "turn-1")}
    assert problems({**TURNAROUND, "stakeholders": ["cfo", "ghost"]}) == {("stakeholders[1]", "turn-1")}
    assert ("stance", "turn-1") in problems({**TURNAROUND, "stance": "friendly"})
    assert ("strength", "turn-1") in problems({**TURNAROUND, "strength": 1.5})
    assert ("type", "turn-1") in problems({**TURNAROUND, "type": "picnic"})
    assert ("stakeholders", "turn-1") in problems({**TURNAROUND, "stakeholders": []})
    assert ("mood", "turn-1") in problems({**TURNAROUND, "mood": "good"})
    client.post(base + "/activities/log", json={**TURNAROUND, "id": "a1"})  # an id already logged
    taken = client.post(base + "/activities/log", json={**TURNAROUND, "id": "a1"})
    assert taken.status_code == 422
    assert {(e["path"], e["item"]) for e in taken.json()["errors"]} == {("activity.id", "a1")}
    after = client.get(base + "/map")
    assert (after.headers["ETag"], after.json()) == (before.headers["ETag"], before.json())


def test_only_editors_and_admins_may_log(client: TestClient, account: str, make_key: MakeKey) -> None:
    url = f"/accounts/{seg(account)}/activities/log"
    assert client.post(url, json=TURNAROUND, headers=make_key("viewer")).status_code == 403
    assert client.post(url, json=TURNAROUND, headers=make_key("editor", [account + "-other"])).status_code == 404
    assert client.post(url, json=TURNAROUND, headers=make_key("editor", [account])).status_code == 201


def test_the_cli_json_and_the_api_answer_agree(client: TestClient, prefix: str, store_url: str) -> None:
    by_cli, by_api = prefix + "cli", prefix + "api"
    for account_id in (by_cli, by_api):
        assert (
            client.put(f"/accounts/{seg(account_id)}/map", json=with_account(tiny_document(), account_id)).status_code
            == 200
        )
    args = ["--type", "site_visit", "--member", "li", "--stakeholder", "cto", "--stakeholder", "ceo"]
    args += ["--date", "2026-11-21", "--id", "visit", "--outcome", "pilot 试点 <b>"]
    done = subprocess.run(
        [str(POWERMAP), "log", by_cli, *args, "--store", store_url, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    cli = json.loads(done.stdout)
    body = {"type": "site_visit", "members": ["li"], "stakeholders": ["cto", "ceo"], "date": "2026-11-21"}
    api = client.post(
        f"/accounts/{seg(by_api)}/activities/log", json={**body, "id": "visit", "outcome": "pilot 试点 <b>"}
    )
    assert api.status_code == 201, api.text
    assert {**api.json(), "account": by_cli} == cli
    assert cli["changes"]  # a site visit moves the evaluator's and the decision maker's relationships
