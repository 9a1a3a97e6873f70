"""``?as_of=`` on the map and analysis endpoints: the answer as it was then, on both stores."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import seg, with_account
from tests.factories import normalized, tiny_document


def test_the_map_and_its_analyses_as_of_an_earlier_revision_are_what_they_were_then(
    client: TestClient, prefix: str
) -> None:
    account = f"{prefix}past"
    base = f"/accounts/{seg(account)}"
    first = with_account(tiny_document(), account)
    assert client.put(base + "/map", json=first).status_code == 200
    before = client.get(base + "/analysis").json()
    changed = with_account(tiny_document(), account)
    changed["stakeholders"][0]["stance"] = "opponent"
    changed["account"]["name"] = "Renamed"
    assert client.put(base + "/map", json=changed).status_code == 200

    past = client.get(base + "/map", params={"as_of": "1"})
    assert past.status_code == 200
    assert past.json() == normalized(first)
    assert past.headers["ETag"] == '"r1"'
    assert client.get(base + "/map").json() == normalized(changed)
    assert client.get(base + "/analysis", params={"as_of": "1"}).json() == before
    assert client.get(base + "/analysis").json() != before
    assert client.get(base + "/paths", params={"to": "ceo", "as_of": "1"}).status_code == 200
    assert client.get(base + "/recommendations", params={"as_of": "1"}).status_code == 200
    assert client.get(base + "/map.html", params={"as_of": "1"}).status_code == 200


def test_as_of_a_revision_that_never_was_is_a_400_and_one_before_the_account_a_404(
    client: TestClient, prefix: str
) -> None:
    account = f"{prefix}never"
    base = f"/accounts/{seg(account)}"
    assert client.put(base + "/map", json=with_account(tiny_document(), account)).status_code == 200
    assert client.get(base + "/analysis", params={"as_of": "9"}).status_code in {400, 422}
    assert client.get(base + "/analysis", params={"as_of": "2001-01-01"}).status_code == 404
