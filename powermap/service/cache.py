"""Pay once per revision: a stored map, its graph and its analyses, kept per (account, revision).

A revision names one exact state of an account's map, so whatever was computed from it stays true
until the revision moves on; freshness costs one cheap ``store.revision(account)`` call, never a map
read. A long-lived process (the HTTP API) makes one :class:`MapCache` and hands it to every
:class:`~powermap.service.PowermapService` it builds (one per request is fine: the cache is shared,
thread-safe, and bounded to the most recently used maps). A one-shot process (the CLI) needs none.

Cached results are shared between callers: treat them as read-only. Each is computed once: when many
requests miss the same revision at once (a cache stampede), one reads the map or computes the result
and the others wait for it, instead of all doing the same work at once (single flight).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
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
        self._flights = _Flights()

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
        """``compute()`` once per key for this revision; racing first callers wait for the one computing."""
        while True:
            try:
                found: _T = self._results[key]
            except KeyError:
                pass
            else:
                return found
            with self._flights.turn(key) as mine:
                if mine:
                    value = compute()
                    self._results[key] = value
                    return value
            # Someone else computed it (or failed: then the loop tries again, one caller at a time).

    def peek(self, key: Hashable) -> Any | None:
        """The memoised result for ``key``, or None when nobody has computed it yet."""
        return self._results.get(key)


class _Flights:
    """One caller at a time per key does the work; the others wait for it to finish (single flight)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[Hashable, threading.Event] = {}

    @contextmanager
    def turn(self, key: Hashable) -> Iterator[bool]:
        """Yields True to the caller that must do the work, False (once it is done) to the others."""
        with self._lock:
            running = self._running.get(key)
            mine = running is None
            if running is None:
                running = self._running[key] = threading.Event()
        if not mine:
            running.wait()
            yield False
            return
        try:
            yield True
        finally:
            with self._lock:
                del self._running[key]
            running.set()


class MapCache:
    """The most recently used :class:`CachedMap` per account, at most ``max_maps`` in all."""

    def __init__(self, max_maps: int = DEFAULT_MAX_MAPS) -> None:
        self.max_maps = max_maps
        self._maps: OrderedDict[str, CachedMap] = OrderedDict()
        self._lock = threading.Lock()
        self._flights = _Flights()
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

    def load(self, account_id: str, revision: int, read: Callable[[], Snapshot]) -> CachedMap:
        """The entry of ``revision`` (or of a later one), calling ``read()`` for it when there is none:
        one caller reads while the others racing for the same account wait and share what it read."""
        while True:
            found = self.get(account_id, revision)
            if found is not None:
                return found
            with self._flights.turn(account_id) as mine:
                if mine:
                    return self.put(account_id, read())
            with self._lock:
                latest = self._maps.get(account_id)
            if latest is not None and latest.revision >= revision:
                return latest

    def peek(self, account_id: str, revision: int, key: Hashable) -> Any | None:
        """A result memoised for exactly this revision, or None (no map read, no computation, no wait)."""
        with self._lock:
            found = self._maps.get(account_id)
        return found.peek(key) if found is not None and found.revision == revision else None

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
