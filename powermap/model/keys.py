"""API keys: who may call the HTTP API, with which role, on which accounts.

A key is a name (recorded as the author of every change made with it), a :class:`Role` and either a
list of account ids or ``None`` for every account. The token itself is shown once, when the key is
made; stores keep only its SHA-256 hash. Tokens carry 256 random bits, so a fast hash is enough:
guessing one is as hard as guessing the token, and a stolen store yields no usable token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from powermap.model.contract import Id

#: Every token starts with this, so a leaked one is easy to recognise (and to scan for).
TOKEN_PREFIX = "pm_"  # noqa: S105  (a public marker, not a secret)

KeyName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")]


class Role(StrEnum):
    """What a key may do: ``viewer`` reads, ``editor`` also writes, ``admin`` also deletes accounts."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    def allows(self, needed: Role) -> bool:
        """Roles are ordered: an admin may do what an editor may, an editor what a viewer may.

        >>> Role.EDITOR.allows(Role.VIEWER), Role.EDITOR.allows(Role.ADMIN)
        (True, False)
        """
        return _RANK[self] >= _RANK[needed]


_RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.ADMIN: 2}


class ApiKeyPublic(BaseModel):
    """A key as listed: never its token nor the token's hash."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: KeyName
    role: Role
    accounts: tuple[Id, ...] | None = None
    created_at: dt.datetime

    def may_see(self, account_id: str) -> bool:
        return self.accounts is None or account_id in self.accounts


class ApiKey(ApiKeyPublic):
    """A key as stored: its public part and the hash of its token."""

    token_hash: str

    def public(self) -> ApiKeyPublic:
        return ApiKeyPublic(name=self.name, role=self.role, accounts=self.accounts, created_at=self.created_at)


class NewApiKey(ApiKeyPublic):
    """A key just made, with its token: the one time anyone sees it."""

    token: str


def new_token() -> str:
    """A fresh random token.

    >>> token = new_token(); token.startswith(TOKEN_PREFIX) and len(token) > 40
    True
    """
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of a token.

    >>> hash_token("pm_x") == hash_token("pm_x") != hash_token("pm_y")
    True
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
