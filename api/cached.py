"""Cached analysis answers, served from the event loop: cheap when the answer is known, fair under load.

A report (``/analysis``, ``/paths``, ``/recommendations``) depends only on the account's revision and the
query, so its JSON body is encoded once per (account, revision, query) and kept with the revision's
map in the process's :class:`~powermap.service.cache.MapCache`. A request then costs:

- **the freshness check**: the account's current revision (``store.revision``) read in a worker
  thread. Requests for the same account that arrive while a check is running wait for the *next*
  check, which starts after they arrived and serves all of them: every answer is at least as new as
  the store when the request came in (no stale read), yet 32 concurrent clients cost one or two store
  calls per round instead of 32;
- **the body**: when the revision's body is already encoded, it is sent from the event loop as it is,
  with no thread hop and no response-model validation or serialisation (it was validated against
  the response model once, when encoded). Otherwise one worker thread computes and encodes it while
  concurrent callers of the same query wait for that one (single flight, :meth:`CachedMap.memo`).

Why it matters (``docs/benchmarks.md``): a thread hop per dependency plus the validation and
serialisation of a large body per request made a cached ``/paths`` cost more than twice a trivial
round trip, and 32 clients' threads fighting over the GIL gave p99 tails of 5-10x the median.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Hashable
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from powermap.service import PowermapService
from powermap.service.cache import MapCache
from powermap.store import Store

JSON = "application/json"


def encode(model: type[BaseModel], report: Any) -> bytes:
    """The response body of ``report``: validated against the route's response model, as FastAPI would."""
    return model.model_validate(report).model_dump_json(by_alias=True).encode("utf-8")


class RevisionChecks:
    """Coalesced freshness checks: at most one ``store.revision`` call in flight per account, each one
    answering every request that arrived before it started (see the module's text)."""

    def __init__(self) -> None:
        # Per event loop (tests may drive one app from several): account -> the check that callers
        # arriving now will get, and the accounts whose check is running.
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopChecks] = weakref.WeakKeyDictionary()

    async def current(self, store: Store, account_id: str) -> int:
        loop = asyncio.get_running_loop()
        checks = self._loops.get(loop)
        if checks is None:
            checks = self._loops[loop] = _LoopChecks()
        return await checks.current(store, account_id)


class _LoopChecks:
    """The checks of one event loop, per (store, account): a check asks the store its callers named."""

    def __init__(self) -> None:
        self.waiting: dict[tuple[Store, str], asyncio.Future[int]] = {}
        self.running: set[tuple[Store, str]] = set()
        self.tasks: set[asyncio.Task[None]] = set()  # held here: the loop keeps only weak references

    async def current(self, store: Store, account_id: str) -> int:
        key = (store, account_id)
        future = self.waiting.get(key)
        if future is None:
            future = self.waiting[key] = asyncio.get_running_loop().create_future()
            if key not in self.running:
                self._start(key)
        # shield: one caller going away must not cancel the answer the others wait for.
        return await asyncio.shield(future)

    def _start(self, key: tuple[Store, str]) -> None:
        store, account_id = key
        future = self.waiting.pop(key)
        self.running.add(key)

        async def check() -> None:
            try:
                revision = await run_in_threadpool(store.revision, account_id)
            except Exception as error:  # every waiter gets the store's error (e.g. no such account)
                future.set_exception(error)
                future.exception()  # marked as seen: the waiters re-raise it, and there may be none left
            except BaseException:
                future.cancel()
                raise
            else:
                future.set_result(revision)
            finally:
                self.running.discard(key)
                if key in self.waiting:  # callers arrived while this ran: their own check now
                    self._start(key)

        task = asyncio.get_running_loop().create_task(check())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)


async def cached_report(
    request: Request,
    service: PowermapService,
    account_id: str,
    key: Hashable,
    model: type[BaseModel],
    report: Callable[[], Any],
) -> Response:
    """The JSON body of ``report()`` for the account's current revision, encoded once per revision and query."""
    cache: MapCache = request.app.state.cache
    checks: RevisionChecks = request.app.state.revision_checks
    revision = await checks.current(request.app.state.store, account_id)
    body = cache.peek(account_id, revision, ("body", key))
    if body is None:
        body = await run_in_threadpool(service.memoised, account_id, ("body", key), lambda: encode(model, report()))
    return Response(body, media_type=JSON)
