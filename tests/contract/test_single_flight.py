"""A cache stampede costs one map read and one computation, on every store (issue 6: fair under load)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from powermap.service import PowermapService
from powermap.service.cache import CachedMap, MapCache
from powermap.store import Store
from powermap.store.base import Snapshot
from tests.contract.test_cache_and_changes import CountingReads
from tests.contract.test_store_contract import with_id
from tests.factories import tiny_document


class SlowReads(CountingReads):
    """Whole-map reads that take a while, so concurrent callers really overlap."""

    def read(self, account_id: str) -> Snapshot:
        time.sleep(0.2)
        return super().read(account_id)


def test_sixteen_callers_missing_one_revision_read_the_map_once(store: Store, prefix: str) -> None:
    account = prefix + "sf"
    PowermapService(store).import_map(with_id(tiny_document(), account))
    slow = SlowReads(store)
    cache = MapCache()
    with ThreadPoolExecutor(16) as pool:
        reports = list(
            pool.map(lambda _: PowermapService(slow, cache=cache).analyze(account), range(16))  # type: ignore[arg-type]
        )
    assert slow.reads == 1
    assert all(report == reports[0] for report in reports)
    assert reports[0] == PowermapService(store).analyze(account)


def test_a_result_is_computed_once_while_racing_callers_wait_and_share_it(store: Store, prefix: str) -> None:
    account = prefix + "sm"
    PowermapService(store).import_map(with_id(tiny_document(), account))
    entry = CachedMap(store.read(account))
    calls: list[int] = []
    started = threading.Barrier(8)

    def compute() -> dict[str, Any]:
        calls.append(1)
        time.sleep(0.2)
        return {"answer": len(calls)}

    def caller(_: int) -> dict[str, Any]:
        started.wait()
        return entry.memo("key", compute)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(caller, range(8)))
    assert calls == [1]
    assert all(result is results[0] for result in results)
    assert entry.peek("key") is results[0]
    assert entry.peek("other") is None


def test_a_failed_computation_is_not_kept_and_the_next_caller_tries_again(store: Store, prefix: str) -> None:
    account = prefix + "sx"
    PowermapService(store).import_map(with_id(tiny_document(), account))
    entry = CachedMap(store.read(account))

    def fail() -> int:
        raise RuntimeError("boom")

    for _ in range(2):
        try:
            entry.memo("key", fail)
        except RuntimeError:
            pass
        else:  # pragma: no cover - the assertion below names the problem
            raise AssertionError("the failure was swallowed")
    assert entry.memo("key", lambda: 7) == 7
