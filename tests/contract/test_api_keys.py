"""API keys on every store: stored hashed, found by hash, listed by name, revoked; names unique."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from powermap.errors import ConflictError, InvalidInputError, KeyNotFoundError
from powermap.model.keys import ApiKey, Role, hash_token
from powermap.service import PowermapService
from powermap.store import Store


def _key(name: str, token: str, accounts: tuple[str, ...] | None) -> ApiKey:
    return ApiKey(
        name=name,
        role=Role.EDITOR,
        accounts=accounts,
        token_hash=hash_token(token),
        created_at=dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC),
    )


def test_a_key_is_found_by_its_token_hash_only_and_lists_without_secrets(store: Store) -> None:
    name = f"k{uuid.uuid4().hex[:8]}"
    key = _key(name, "pm_secret", ("acme", "a/b 中"))
    store.add_key(key)
    try:
        assert store.find_key(hash_token("pm_secret")) == key
        assert store.find_key(hash_token("pm_other")) is None
        assert store.find_key("pm_secret") is None
        assert [k for k in store.list_keys() if k.name == name] == [key]
        with pytest.raises(ConflictError, match=name):
            store.add_key(_key(name, "pm_again", None))
    finally:
        store.revoke_key(name)
    assert store.find_key(hash_token("pm_secret")) is None
    with pytest.raises(KeyNotFoundError, match=name):
        store.revoke_key(name)


def test_a_key_for_every_account_keeps_none_apart_from_an_empty_list(store: Store) -> None:
    names = [f"k{uuid.uuid4().hex[:8]}" for _ in range(2)]
    store.add_key(_key(names[0], "pm_all", None))
    store.add_key(_key(names[1], "pm_none", ()))
    try:
        everywhere, nowhere = store.find_key(hash_token("pm_all")), store.find_key(hash_token("pm_none"))
        assert everywhere is not None
        assert everywhere.accounts is None
        assert nowhere is not None
        assert nowhere.accounts == ()
    finally:
        for name in names:
            store.revoke_key(name)


def test_the_service_prints_a_token_once_and_stores_only_its_hash(service: PowermapService) -> None:
    name = f"k{uuid.uuid4().hex[:8]}"
    made = service.add_key(name, "viewer", ["acme", "acme"])
    try:
        assert made.token.startswith("pm_")
        assert made.accounts == ("acme",)
        stored = service.store.find_key(hash_token(made.token))
        assert stored is not None
        assert made.token not in stored.model_dump_json()
        assert [k.name for k in service.list_keys() if k.name == name] == [name]
        assert "token" not in service.list_keys()[0].model_dump()
    finally:
        service.revoke_key(name)
    with pytest.raises(InvalidInputError, match="role"):
        service.add_key(f"k{uuid.uuid4().hex[:8]}", "owner")
    with pytest.raises(InvalidInputError, match="name"):
        service.add_key("has space", "viewer")
