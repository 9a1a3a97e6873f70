"""The account page's data, computed once per revision and sent as a change to a page that has the last one.

The account page draws everything from ``GET /app/accounts/{a}/data`` (the offline map's data). After
a write the page asks again with ``?since=R``, the revision it shows: the answer is then only what
changed between R and now (:func:`powermap.viz.incremental.data_delta`: the nodes and lines to put or
drop and the other fields that differ), a few kilobytes instead of megabytes, which the page applies
to what it has.

Each account has a :class:`~powermap.viz.incremental.DrawingMemo`, so a new revision reuses the
analyses and lines of the last ones that the change did not touch, and the page data of its last
few revisions (as objects; the JSON of a whole answer is made when one is asked for). Every page of a
team shows the same revisions, so the first page to ask after a change pays and the others read.

Each answer carries a ``Server-Timing`` header (read, analyses, drawing, JSON, in milliseconds, then the
processor time the answer took) and says in ``X-Powermap-Reused`` which pieces came from an earlier
revision.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

from powermap.analysis.power import power
from powermap.graph import build_graph
from powermap.service import PowermapService
from powermap.viz import map_data
from powermap.viz.incremental import DrawingMemo, data_delta
from powermap.viz.render import MapDay

_T = TypeVar("_T")
#: Revisions of page data kept per account (a page more than this many revisions behind gets it whole).
REVISIONS_KEPT: Final = 4
#: Accounts whose page data is kept (the most recently drawn).
ACCOUNTS_KEPT: Final = 8


@dataclass
class _Account:
    memo: DrawingMemo = field(default_factory=DrawingMemo)
    #: (revision, with recommendations, day) -> page data, oldest first.
    pages: OrderedDict[tuple[int, bool, MapDay | None], dict[str, Any]] = field(default_factory=OrderedDict)
    #: The same keys -> the JSON of the whole page data, made on first demand.
    bodies: dict[tuple[int, bool, MapDay | None], bytes] = field(default_factory=dict)


class Timings:
    """Milliseconds per step of one answer, for the ``Server-Timing`` header."""

    def __init__(self) -> None:
        self.steps: dict[str, float] = {}
        self._cpu = time.thread_time()

    def time(self, name: str, compute: Callable[[], _T]) -> _T:
        start = time.perf_counter()
        try:
            return compute()
        finally:
            self.steps[name] = self.steps.get(name, 0.0) + (time.perf_counter() - start) * 1000

    def header(self) -> str:
        """The steps, then ``cpu``: this thread's processor time so far (on a busy machine, far below the sum)."""
        cpu = (time.thread_time() - self._cpu) * 1000
        return ", ".join(f"{name};dur={ms:.1f}" for name, ms in [*self.steps.items(), ("cpu", cpu)])


@dataclass(frozen=True)
class Answer:
    """One answer of the data route: its JSON body and what it cost."""

    body: bytes
    timings: Timings
    reused: frozenset[str]


class PageDataCache:
    """Page data per account and revision, each account with its :class:`DrawingMemo`."""

    def __init__(self, accounts: int = ACCOUNTS_KEPT, revisions: int = REVISIONS_KEPT) -> None:
        self.accounts = accounts
        self.revisions = revisions
        self._accounts: OrderedDict[str, _Account] = OrderedDict()
        self._lock = threading.Lock()

    def _account(self, account_id: str) -> _Account:
        with self._lock:
            entry = self._accounts.get(account_id)
            if entry is None:
                entry = self._accounts[account_id] = _Account()
            self._accounts.move_to_end(account_id)
            while len(self._accounts) > self.accounts:
                self._accounts.popitem(last=False)
            return entry

    def answer(
        self,
        service: PowermapService,
        account_id: str,
        *,
        recommendations: bool,
        since: int | None = None,
        day: MapDay | None = None,
    ) -> Answer:
        """The account's page data now, whole or (``since`` a revision kept here) as a change from then.

        ``day`` is the day fading and voices' ages are judged on (:func:`powermap.viz.map_data`).
        """
        timings = Timings()
        entry = self._account(account_id)
        with entry.memo.lock:
            snapshot = timings.time("read", lambda: service.snapshot(account_id))
            now = (snapshot.revision, recommendations, day)
            entry.memo.reused.clear()
            data = entry.pages.get(now)
            if data is None:
                account_map = snapshot.account_map
                graph = timings.time("graph", lambda: build_graph(account_map))
                powers = timings.time("power", lambda: entry.memo.analysis(account_map, "power", lambda: power(graph)))
                data = timings.time(
                    "draw",
                    lambda: map_data(
                        account_map,
                        powers,
                        as_of=snapshot.updated_at,
                        recommendations=recommendations,
                        day=day,
                        graph=graph,
                        memo=entry.memo,
                    ),
                )
                data["revision"] = snapshot.revision
                data["team"] = [{"id": m.id, "name": m.name} for m in account_map.team]
                data["competitors"] = [{"id": c.id, "name": c.name} for c in account_map.competitors]
                entry.pages[now] = data
                while len(entry.pages) > self.revisions:
                    gone, _ = entry.pages.popitem(last=False)
                    entry.bodies.pop(gone, None)
            reused = frozenset(entry.memo.reused)
            before = entry.pages.get((since, recommendations, day)) if since is not None else None
            if before is not None:
                delta = timings.time("delta", lambda: data_delta(before, data))
                body = timings.time("json", lambda: _json({"delta": True, "since": since, **delta}))
                return Answer(body, timings, reused)
            whole = entry.bodies.get(now)
            if whole is None:
                whole = entry.bodies[now] = timings.time("json", lambda: _json(data))
            return Answer(whole, timings, reused)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
