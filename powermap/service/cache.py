"""Pay once per revision: a stored map, its graph and its analyses, kept per (account, revision).

A revision names one exact state of an account's map, so whatever was computed from it stays true
until the revision moves on; freshness costs one cheap ``store.revision(account)`` call, never a map
read. A long-lived process (the HTTP API) makes one :class:`MapCache` and hands it to every
:class:`~powermap.service.PowermapService` it builds (one per request is fine: the cache is shared,
thread-safe, and bounded to the most recently used maps). A one-shot process (the CLI) needs none.

Cached results are shared between callers: treat them as read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import networkx as nx

from powermap.graph import build_graph
from powermap.store.base import Snapshot

_T = TypeVar("_T")
#: Maps kept by default: a few busy accounts at 10k stakeholders stay well under a few hundred MB.
DEFAULT_MAX_MAPS = 16


class CachedMap:
    """One revision of one account: the snapshot, its graph (built on first use) and memoised results."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._graph: nx.DiGraph[str] | None = None
        self._results: dict[Hashable, Any] = {}
        self._lock = threading.Lock()

    @property
    def revision(self) -> int:
        return self.snapshot.revision

    def graph(self) -> nx.DiGraph[str]:
        """The map's analysis graph, built once (analyses never change the graph they are given)."""
        if self._graph is None:
            with self._lock:
                if self._graph is None:
                    self._graph = build_graph(self.snapshot.account_map)
        return self._graph

    def memo(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()`` once per key for this revision (two racing first callers may both compute)."""
        try:
            found: _T = self._results[key]
        except KeyError:
            pass
        else:
            return found
        value = compute()
        with self._lock:
            self._results.setdefault(key, value)
        return value


class MapCache:
    """The most recently used :class:`CachedMap` per account, at most ``max_maps`` in all."""

    def __init__(self, max_maps: int = DEFAULT_MAX_MAPS) -> None:
        self.max_maps = max_maps
        self._maps: OrderedDict[str, CachedMap] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, account_id: str, revision: int) -> CachedMap | None:
        with self._lock:
            found = self._maps.get(account_id)
            if found is None or found.revision != revision:
                self.misses += 1
                return None
            self._maps.move_to_end(account_id)
            self.hits += 1
            return found

    def put(self, account_id: str, snapshot: Snapshot) -> CachedMap:
        """Keep ``snapshot`` for its account (replacing an older revision; never a newer one)."""
        entry = CachedMap(snapshot)
        with self._lock:
            current = self._maps.get(account_id)
            if current is not None and current.revision > snapshot.revision:
                return entry  # a slower reader came back with an older state: use it, do not keep it
            self._maps[account_id] = entry
            self._maps.move_to_end(account_id)
            while len(self._maps) > self.max_maps:
                self._maps.popitem(last=False)
        return entry

    def forget(self, account_id: str) -> None:
        with self._lock:
            self._maps.pop(account_id, None)
