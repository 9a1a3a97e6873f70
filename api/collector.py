"""The server's garbage-collector thresholds: full collections rare, so an edit does not pay one.

A server keeps tens of thousands of long-lived containers (the maps, graphs and analyses of recent
revisions, the web app's page data of each account's last revisions: about 200,000 tracked objects
at 1,000 stakeholders). Every write and redraw allocates over a million short-lived objects, so with
CPython's default thresholds (700, 10, 10) one *full* collection ran during nearly every edit,
walking all of them: 100-370 ms of an edit's round trip on this machine, more than the rest of the
server's work for a new title. Young collections stay frequent enough to free short-lived cycles;
the long-lived data holds no cycles and is freed by reference counting when a cache drops it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

#: Allocations before a young collection; young collections before a middle one; middle ones before a full one.
SERVER_THRESHOLDS: Final = (50_000, 20, 100)


@contextmanager
def server_collector(thresholds: tuple[int, int, int] = SERVER_THRESHOLDS) -> Iterator[None]:
    """Run the block (a server's life) with ``thresholds``; the process's own are restored afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(*thresholds)
    try:
        yield
    finally:
        gc.set_threshold(*before)
