"""Who may do what: keys, roles, account lists; 401 without a valid key, 403 outside the role, and an
account outside a key's list is indistinguishable from a missing one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from powermap.api import create_app
from powermap.settings import Settings
from powermap.store import Store
from tests.api.conftest import MakeKey, seg, with_account
from tests.factories import tiny_document

POWERMAP = Path(sys.executable).with_name("powermap")

#: (role, whose account, action) -> the status the API must answer.
MATRIX = {
    ("viewer", "own", "read"): 200,
    ("viewer", "own", "write"): 403,
    ("viewer", "own", "delete"): 403,
    ("editor", "own", "read"): 200,
    ("editor", "own", "write"): 200,
    ("editor", "own", "delete"): 403,
    ("admin", "own", "read"): 200,
    ("admin", "own", "write"): 200,
    ("admin", "own", "delete"): 204,
}
MATRIX |= {
    (role, "other", action): 404 for role in ("viewer", "editor", "admin") for action in ("read", "write", "delete")
}


@pytest.fixture
def two_accounts(client: TestClient, prefix: str) -> tuple[str, str]:
    ids = (f"{prefix}own/中", f"{prefix}other?")
    for account_id in ids:
        assert client.put(f"/accounts/{seg(account_id)}/map", json=with_account(tiny_document(), account_id)).is_success
    return ids


def _act(client: TestClient, action: str, account: str, headers: dict[str, str]) -> int:
    base = f"/accounts/{seg(account)}"
    if action == "read":
        return int(client.get(base + "/stakeholders/ceo", headers=headers).status_code)
    if action == "write":
        return int(client.patch(base + "/stakeholders/ceo", json={"stance": "supporter"}, headers=headers).status_code)
    return int(client.delete(base, headers=headers).status_code)


@pytest.mark.parametrize(("role", "whose", "action"), sorted(MATRIX))
def test_the_authorisation_matrix(
    client: TestClient, make_key: MakeKey, two_accounts: tuple[str, str], role: str, whose: str, action: str
) -> None:
    own, other = two_accounts
    headers = make_key(role, [own])
    assert _act(client, action, own if whose == "own" else other, headers) == MATRIX[(role, whose, action)]


def test_an_account_outside_the_key_answers_exactly_as_a_missing_one(
    client: TestClient, make_key: MakeKey, two_accounts: tuple[str, str], prefix: str
) -> None:
    own, other = two_accounts
    limited = make_key("admin", [own, f"{prefix}ghost"])
    hidden = client.get(f"/accounts/{seg(other)}/map", headers=limited)
    missing = client.get(f"/accounts/{seg(prefix)}ghost/map", headers=limited)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.headers["content-type"] == missing.headers["content-type"]
    assert hidden.json() == json.loads(missing.text.replace(f"{prefix}ghost", other))
    listed = client.get("/accounts", params={"limit": 200}, headers=limited).json()
    assert [a["id"] for a in listed["data"]] == [own]
    assert listed["count"] == 1


def test_a_limited_key_may_create_only_accounts_it_lists(client: TestClient, make_key: MakeKey, prefix: str) -> None:
    mine = make_key("editor", [f"{prefix}mine"])
    refused = client.post("/accounts", json={"id": f"{prefix}theirs", "name": "T"}, headers=mine)
    assert refused.status_code == 403
    assert client.post("/accounts", json={"id": f"{prefix}mine", "name": "M"}, headers=mine).status_code == 201
    assert client.get(f"/accounts/{prefix}theirs").status_code == 404


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Bearer pm_not-a-key", "Basic dXNlcjpwYXNz", "bearer  "])
def test_no_valid_key_is_a_401_with_a_bearer_challenge(client: TestClient, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    client.headers.pop("Authorization")
    response = client.get("/accounts", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.headers["content-type"] == "application/problem+json"


def test_keys_made_revoked_and_listed_by_the_cli_govern_the_api(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/keys.db"

    def cli(*args: str) -> str:
        return subprocess.run([str(POWERMAP), *args, "--store", url], capture_output=True, text=True, check=True).stdout

    made = json.loads(cli("keys", "add", "alice", "--role", "editor", "--account", "acme", "--json"))
    assert set(made) == {"name", "role", "accounts", "token"}
    assert (made["name"], made["role"], made["accounts"]) == ("alice", "editor", ["acme"])
    listing = cli("keys", "list", "--json")
    assert made["token"] not in listing
    assert [k["name"] for k in json.loads(listing)] == ["alice"]
    human = cli("keys", "add", "bob", "--role", "viewer")
    assert "bob" in human
    assert "pm_" in human
    with TestClient(create_app(Settings(store=url, key_cache_s=0))) as api:
        bearer = {"Authorization": f"Bearer {made['token']}"}
        created = api.put("/accounts/acme/map", json=with_account(tiny_document(), "acme"), headers=bearer)
        assert created.status_code == 200
        cli("keys", "revoke", "alice")
        assert api.get("/accounts/acme/map", headers=bearer).status_code == 401
    refused = subprocess.run(
        [str(POWERMAP), "keys", "revoke", "alice", "--store", url], capture_output=True, text=True, check=False
    )
    assert refused.returncode == 3
    assert "alice" in refused.stderr


def test_auth_off_lets_loopback_callers_act_as_admin(store: Store, api_settings: Settings, prefix: str) -> None:
    settings = api_settings.model_copy(update={"auth": False})
    with TestClient(create_app(settings, store=store)) as api:
        account = f"{prefix}open"
        assert api.put(f"/accounts/{account}/map", json=with_account(tiny_document(), account)).status_code == 200
        assert api.delete(f"/accounts/{account}").status_code == 204
