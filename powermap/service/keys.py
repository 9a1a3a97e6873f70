"""API keys: add, list, revoke (the HTTP API's callers; see :mod:`powermap.model.keys`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import ValidationError

from powermap.errors import InvalidInputError
from powermap.model.keys import ApiKey, ApiKeyPublic, NewApiKey, hash_token, new_token
from powermap.service.core import ServiceCore


class KeysService(ServiceCore):
    """API keys: add, list, revoke."""

    def add_key(self, name: str, role: str, accounts: Sequence[str] | None = None) -> NewApiKey:
        """Make a key; its token is in the answer and nowhere else (the store keeps only its hash)."""
        token = new_token()
        try:
            key = ApiKey(
                name=name,
                role=role,
                accounts=None if accounts is None else tuple(dict.fromkeys(accounts)),
                token_hash=hash_token(token),
                created_at=dt.datetime.now(dt.UTC),
            )
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
            raise InvalidInputError(f"the API key {name!r} is invalid: {problems}") from None
        self.store.add_key(key)
        return NewApiKey(**key.public().model_dump(), token=token)

    def list_keys(self) -> list[ApiKeyPublic]:
        """Every key, by name (never a token)."""
        return [key.public() for key in self.store.list_keys()]

    def revoke_key(self, name: str) -> None:
        """Delete a key; calls with its token are refused from then on."""
        self.store.revoke_key(name)
