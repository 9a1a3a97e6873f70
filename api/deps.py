"""Typed dependencies every route takes (as in the full-stack FastAPI template's ``deps.py``).

``StoreDep`` is the one store the process opened at start-up (see :mod:`powermap.api.main`); ``CurrentKey``
is the caller's verified API key; ``ServiceDep`` is the service acting as that key (its name is
recorded as the author of every change). ``ReadAccount`` / ``WriteAccount`` / ``AdminAccount`` are
the ``{account}`` of the path once the key may reach it with that role: an account outside the key's
list answers exactly as a missing one (404), and only then is the role checked (403).
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from powermap.api.problems import ApiProblem
from powermap.api.session import session_token_hash
from powermap.errors import AccountNotFoundError
from powermap.model.keys import ApiKeyPublic, Role, hash_token
from powermap.service import PowermapService
from powermap.service.cache import MapCache
from powermap.settings import Settings
from powermap.store import Store

#: Who acts when authentication is off (allowed only on a loopback address).
ANONYMOUS = "anonymous"
T = TypeVar("T")


# Dependencies that never block are ``async def``: FastAPI runs a plain ``def`` dependency in the thread
# pool, and a hop there per dependency per request was a large part of a cached read's cost and of its
# tail under concurrent load (threads fighting over the GIL). Only store calls go to the pool.


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]

_bearer = HTTPBearer(
    auto_error=False,
    description="An API key's token (`powermap keys add NAME --role R`), sent as `Authorization: Bearer <token>`",
)
TokenDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


class KeyCache:
    """Verified keys, trusted for a few seconds so a busy client does not cost a store read per call."""

    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self._keys: dict[str, tuple[float, ApiKeyPublic | None]] = {}

    def peek(self, token_hash: str) -> tuple[bool, ApiKeyPublic | None]:
        """(known, key) from the cache alone: ``known`` is False when only the store can tell."""
        cached = self._keys.get(token_hash)
        if cached is not None and cached[0] > time.monotonic():
            return True, cached[1]
        return False, None

    def lookup(self, store: Store, token_hash: str) -> ApiKeyPublic | None:
        now = time.monotonic()
        cached = self._keys.get(token_hash)
        if cached is not None and cached[0] > now:
            return cached[1]
        found = store.find_key(token_hash)
        key = None if found is None else found.public()
        if self.ttl_s > 0:
            if len(self._keys) > 10_000:  # bounded: unknown tokens must not grow it without end
                self._keys.clear()
            self._keys[token_hash] = (now + self.ttl_s, key)
        return key

    def forget(self) -> None:
        self._keys.clear()


def is_loopback(host: str) -> bool:
    """
    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def get_current_key(
    request: Request, settings: Settings, store: Store, token: HTTPAuthorizationCredentials | None
) -> ApiKeyPublic:
    """The caller's key (may read the store: call it from a worker thread, as :func:`current_key` does)."""
    if not settings.auth:
        # `powermap serve` refuses to start without auth off loopback; this guards embedders too.
        server = request.scope.get("server")
        if server is None or not _is_remote_ip(str(server[0])):
            return ApiKeyPublic(name=ANONYMOUS, role=Role.ADMIN, accounts=None, created_at=request.app.state.started)
    challenge = {"WWW-Authenticate": "Bearer"}
    if token is None and (token_hash := session_token_hash(request)) is not None:
        # Signed in through the web app (api.session): the cookie stands for the key.
        signed_in: ApiKeyPublic | None = request.app.state.keys.lookup(store, token_hash)
        if signed_in is not None:
            return signed_in
    if token is None:
        raise ApiProblem(
            401, "unauthenticated", "No API key", "send an API key as `Authorization: Bearer <token>`", challenge
        )
    cache: KeyCache = request.app.state.keys
    key = cache.lookup(store, hash_token(token.credentials))
    if key is None:
        raise ApiProblem(401, "unauthenticated", "Unknown API key", "the API key is unknown or was revoked", challenge)
    return key


def _is_remote_ip(host: str) -> bool:
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name such as the test client's "testserver"
        return False


async def current_key(request: Request, settings: SettingsDep, store: StoreDep, token: TokenDep) -> ApiKeyPublic:
    """The caller's key: a Bearer key verified within the last ``key_cache_s`` seconds is answered from
    this process's cache without a thread hop (so a revoked key stops working within that time);
    anything else is checked against the store in a worker thread."""
    if settings.auth and token is not None:
        cache: KeyCache = request.app.state.keys
        known, key = cache.peek(hash_token(token.credentials))
        if known and key is not None:
            return key
    return await run_in_threadpool(get_current_key, request, settings, store, token)


CurrentKey = Annotated[ApiKeyPublic, Depends(current_key)]


async def get_service(request: Request, store: StoreDep, key: CurrentKey) -> PowermapService:
    """The service acting as the caller's key, sharing the process's per-revision map cache."""
    cache: MapCache = request.app.state.cache
    return PowermapService(store, actor=key.name, cache=cache)


ServiceDep = Annotated[PowermapService, Depends(get_service)]


def forbidden(key: ApiKeyPublic, needed: Role) -> ApiProblem:
    return ApiProblem(
        403, "forbidden", "Forbidden", f"the API key {key.name!r} is a {key.role.value}; this needs a {needed.value}"
    )


def require(key: ApiKeyPublic, role: Role, account: str | None = None) -> None:
    """Refuse unless ``key`` reaches ``account`` (else 404, as if missing) with at least ``role`` (else 403)."""
    if account is not None and not key.may_see(account):
        raise AccountNotFoundError(account)
    if not key.role.allows(role):
        raise forbidden(key, role)


def _account_with(role: Role) -> Callable[[str, ApiKeyPublic], Awaitable[str]]:
    async def dependency(account: str, key: CurrentKey) -> str:
        require(key, role, account)
        return account

    return dependency


ReadAccount = Annotated[str, Depends(_account_with(Role.VIEWER))]
WriteAccount = Annotated[str, Depends(_account_with(Role.EDITOR))]
AdminAccount = Annotated[str, Depends(_account_with(Role.ADMIN))]


@dataclass(frozen=True)
class PageParams:
    offset: int
    limit: int

    def window(self, items: list[T]) -> list[T]:
        return items[self.offset : self.offset + self.limit]


async def get_page(
    settings: SettingsDep,
    offset: Annotated[int, Query(ge=0, description="Items to skip")] = 0,
    limit: Annotated[
        int | None, Query(ge=1, le=10_000, description="Items per page (at most the server's cap)")
    ] = None,
) -> PageParams:
    return PageParams(offset, min(limit or settings.page_limit, settings.max_page_limit))


PageDep = Annotated[PageParams, Depends(get_page)]

#: ``?as_of=``: answer as of a past moment (a revision number or an ISO 8601 time, no zone = UTC).
AsOf = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=64,
        description="Answer as of a past moment: a revision number or an ISO 8601 time (no zone = UTC)",
    ),
]
