"""API keys' rules without a store: which role may do what, which accounts a key sees, how tokens look."""

from __future__ import annotations

import datetime as dt

import pytest

from powermap.model.keys import TOKEN_PREFIX, ApiKeyPublic, Role, hash_token, new_token

ORDER = [Role.VIEWER, Role.EDITOR, Role.ADMIN]


@pytest.mark.parametrize("held", ORDER)
@pytest.mark.parametrize("needed", ORDER)
def test_a_role_allows_what_it_needs_and_every_role_below_it(held: Role, needed: Role) -> None:
    assert held.allows(needed) == (ORDER.index(held) >= ORDER.index(needed))


def key(accounts: tuple[str, ...] | None) -> ApiKeyPublic:
    return ApiKeyPublic(
        name="ci", role=Role.VIEWER, accounts=accounts, created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    )


def test_a_key_without_an_account_list_sees_every_account() -> None:
    assert key(None).may_see("acme")
    assert key(None).may_see("any-other")


def test_a_key_with_an_account_list_sees_those_accounts_only() -> None:
    assert key(("acme", "tiny")).may_see("acme")
    assert key(("acme", "tiny")).may_see("tiny")
    assert not key(("acme",)).may_see("tiny")
    assert not key(()).may_see("acme")


def test_a_token_is_prefixed_carries_256_random_bits_and_is_stored_as_its_sha256() -> None:
    token = new_token()
    assert token.startswith(TOKEN_PREFIX)
    assert len(token) == len(TOKEN_PREFIX) + 43  # 32 bytes in URL-safe base64, unpadded
    assert new_token() != token
    # SHA-256 of the three bytes "abc" (FIPS 180-2, appendix B.1)
    assert hash_token("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert hash_token("pm_中") == hash_token("pm_中") != hash_token("pm_x")
