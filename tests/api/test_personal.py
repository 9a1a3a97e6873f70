"""``POST /accounts/{a}/stakeholders/{id}/erase`` and ``GET …/personal-data`` (issue 11): admin keys only."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from powermap.service import PowermapService
from powermap.store import Store
from tests.api.conftest import MakeKey, seg, with_account
from tests.factories import tiny_document

SECRET = "Lu Xiaoqing 陆晓青 api"


@pytest.fixture
def account(store: Store, prefix: str) -> str:
    document = with_account(tiny_document(), prefix + "a/b 中")
    cfo = next(s for s in document["stakeholders"] if s["id"] == "cfo")
    cfo["name"] = SECRET
    PowermapService(store, actor="tester").import_map(document)
    return str(document["account"]["id"])


def erase_url(account: str, stakeholder: str) -> str:
    return f"/accounts/{seg(account)}/stakeholders/{seg(stakeholder)}/erase"


def test_an_admin_key_erases_a_stakeholder_and_the_map_forgets_them(client: TestClient, account: str) -> None:
    answer = client.post(erase_url(account, "cfo"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["account"], body["stakeholder"]) == (account, "cfo")
    assert body["dropped"] == {"stakeholders": 1, "reports_to": 1, "influences": 1, "competitor_relationships": 1}
    document = client.get(f"/accounts/{seg(account)}/map").json()
    assert SECRET not in json.dumps(document, ensure_ascii=False)
    assert [s["id"] for s in document["stakeholders"]] == ["ceo", "cto"]
    assert client.get(f"/accounts/{seg(account)}/analysis").status_code == 200


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_a_viewer_or_editor_key_cannot_erase(client: TestClient, make_key: MakeKey, account: str, role: str) -> None:
    headers = make_key(role)
    answer = client.post(erase_url(account, "cfo"), headers=headers)
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert (
        client.get(f"/accounts/{seg(account)}/stakeholders/{seg('cfo')}/personal-data", headers=headers).status_code
        == 403
    )
    assert SECRET in json.dumps(client.get(f"/accounts/{seg(account)}/map").json(), ensure_ascii=False)


def test_an_admin_key_limited_to_other_accounts_cannot_erase(
    client: TestClient, make_key: MakeKey, account: str
) -> None:
    answer = client.post(erase_url(account, "cfo"), headers=make_key("admin", ["elsewhere"]))
    assert answer.status_code == 404
    assert SECRET in json.dumps(client.get(f"/accounts/{seg(account)}/map").json(), ensure_ascii=False)


def test_erasing_an_unknown_stakeholder_answers_404(client: TestClient, account: str) -> None:
    answer = client.post(erase_url(account, "ghost"))
    assert answer.status_code == 404
    assert "ghost" in answer.json()["detail"]


def test_an_admin_key_reads_one_persons_data(client: TestClient, account: str) -> None:
    answer = client.get(f"/accounts/{seg(account)}/stakeholders/{seg('cfo')}/personal-data")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["stakeholder"]["name"] == SECRET
    assert body["items"]["reports_to"] == [{"from": "cfo", "to": "ceo"}]
