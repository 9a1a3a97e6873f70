"""Pay once per revision (the service's map cache) and the store's change feed, on every store."""

from __future__ import annotations

from typing import Any

import pytest

from powermap.model import NodeKind
from powermap.service import PowermapService
from powermap.service.cache import MapCache
from powermap.store import Store
from powermap.store.base import Snapshot
from tests.contract.test_store_contract import with_id
from tests.factories import tiny_document


class CountingReads:
    """The real store, counting whole-map reads (everything else passes straight through)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.reads = 0

    def read(self, account_id: str) -> Snapshot:
        self.reads += 1
        return self.store.read(account_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_a_cached_service_reads_a_map_once_per_revision(store: Store, prefix: str) -> None:
    account = prefix + "c"
    counting = CountingReads(store)
    cache = MapCache()
    service = PowermapService(counting, cache=cache)  # type: ignore[arg-type]
    service.import_map(with_id(tiny_document(), account))
    first = service.analyze(account)
    assert service.analyze(account) is first
    service.paths(account, "ceo")
    service.recommend(account)
    assert service.get_node(account, NodeKind.STAKEHOLDER, "cto").revision == 1
    assert counting.reads == 1

    # Another writer (another process, another service) moves the revision on: the next call sees it.
    PowermapService(store).update_node(account, NodeKind.STAKEHOLDER, "cfo", {"stance": "champion"})
    second = service.analyze(account)
    assert counting.reads == 2
    assert second["forecast"] != first["forecast"]
    assert second == PowermapService(store).analyze(account)


def test_services_built_per_request_share_one_cache(store: Store, prefix: str) -> None:
    account = prefix + "s"
    counting = CountingReads(store)
    cache = MapCache()
    PowermapService(store).import_map(with_id(tiny_document(), account))
    for actor in ("ann", "bob", "cy"):
        PowermapService(counting, actor=actor, cache=cache).analyze(account)  # type: ignore[arg-type]
    assert counting.reads == 1
    assert (cache.hits, cache.misses) == (2, 1)


def test_changes_are_listed_newest_first_a_page_at_a_time(service: PowermapService, prefix: str) -> None:
    account = prefix + "h"
    service.import_map(with_id(tiny_document(), account))
    service.update_node(account, NodeKind.STAKEHOLDER, "cto", {"notes": "x"})
    service.delete_node(account, NodeKind.STAKEHOLDER, "cfo")
    changes = service.store.list_changes(account)
    assert [(c.revision, c.actor, c.operation, c.subject) for c in changes] == [
        (3, "tester", "remove stakeholder", "cfo"),
        (2, "tester", "update stakeholder", "cto"),
        (1, "tester", "import", account),
    ]
    assert changes[0].at >= changes[1].at >= changes[2].at
    page = service.store.list_changes(account, limit=2)
    assert [c.revision for c in page] == [3, 2]
    assert [c.revision for c in service.store.list_changes(account, limit=2, before_revision=2)] == [1]
    assert service.store.list_changes(prefix + "never") == []


@pytest.mark.parametrize("limit", [1, 5])
def test_the_change_feed_honours_its_limit(service: PowermapService, prefix: str, limit: int) -> None:
    account = prefix + "l"
    service.import_map(with_id(tiny_document(), account))
    for n in range(3):
        service.update_node(account, NodeKind.STAKEHOLDER, "cto", {"notes": str(n)})
    assert len(service.store.list_changes(account, limit=limit)) == min(limit, 4)
