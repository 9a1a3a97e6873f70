"""The import benchmark's analysis topic: the service's analyses on a stored account, in a child process
with a time cap per call, each split into load (``store.read``) and analysis."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import queue as queue_module
import time
import traceback
from collections.abc import Sequence
from typing import Any

from bench.import_common import ACTOR, OpTiming, log, median
from powermap.service import PowermapService
from powermap.store import open_store

# -- analysis in a child process, with a time cap --------------------------------------------------


def _digest(value: dict[str, Any]) -> str:
    """A short fingerprint of a service answer, without the account id (which differs between stores)."""
    value = {k: v for k, v in value.items() if k != "account"}
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _analysis_child(url: str, account_id: str, ops: Sequence[str], repeats: int, out: Any) -> None:
    """Runs in a child process: every op ``repeats`` times, one message per call (so a cap loses little)."""
    try:
        store = open_store(url)
        loads: list[float] = []
        real_read = store.read

        def timed_read(account: str) -> Any:
            start = time.perf_counter()
            try:
                return real_read(account)
            finally:
                loads.append(time.perf_counter() - start)

        setattr(store, "read", timed_read)  # noqa: B010 - a timing shim over this one instance
        service = PowermapService(store, actor=ACTOR)
        target = ""
        for op in ops:
            for _ in range(repeats):
                loads.clear()
                start = time.perf_counter()
                if op == "analyze":
                    result = service.analyze(account_id)
                    makers = result["forecast"]["decision_makers"]
                    target = makers[0]["stakeholder"] if makers else next(iter(result["power"]))
                elif op == "paths":
                    result = service.paths(account_id, target)
                else:
                    result = service.recommend(account_id)
                total = time.perf_counter() - start
                out.put(("sample", op, total, sum(loads), _digest(result), target))
        store.close()
        out.put(("done", "", 0.0, 0.0, "", ""))
    except BaseException:
        out.put(("error", "", 0.0, 0.0, traceback.format_exc(limit=8), ""))


def run_analysis(
    url: str, account_id: str, ops: Sequence[str], repeats: int, timeout_s: float
) -> tuple[list[OpTiming], str]:
    """Time the service's analyses in a child process; a call over ``timeout_s`` stops the child.

    Returns the timings of each op and the paths target (the top decision maker).
    """
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    child = context.Process(target=_analysis_child, args=(url, account_id, list(ops), repeats, out), daemon=True)
    timings = {op: OpTiming(op) for op in ops}
    target = ""
    child.start()
    try:
        pending = [(op, r) for op in ops for r in range(repeats)]
        startup_grace = 60.0  # imports and the store's connection are not timed
        for index, (op, _) in enumerate(pending):
            wait = timeout_s + (startup_grace if index == 0 else 0.0)
            try:
                kind, got_op, total, load, detail, got_target = out.get(timeout=wait)
            except queue_module.Empty:
                timings[op].status = "timeout"
                timings[op].detail = f"did not finish in {timeout_s:.0f} s"
                for later, _ in pending[index + 1 :]:
                    if timings[later].status == "ok" and later != op:
                        timings[later].status = "skipped"
                        timings[later].detail = f"not run: {op} hit the {timeout_s:.0f} s cap first"
                break
            if kind == "error":
                timings[op].status = "error"
                timings[op].detail = detail
                for later, _ in pending[index + 1 :]:
                    if timings[later].status == "ok" and later != op:
                        timings[later].status = "skipped"
                        timings[later].detail = f"not run: {op} failed first"
                break
            timing = timings[got_op]
            timing.totals.append(total)
            timing.loads.append(load)
            if timing.digest and timing.digest != detail:
                timing.status = "error"
                timing.detail = "the same call gave different answers on repetition"
            timing.digest = detail
            target = got_target or target
    finally:
        if child.is_alive():
            child.join(timeout=5 if all(t.status == "ok" for t in timings.values()) else 0)
        if child.is_alive():
            child.terminate()  # only the child this function started
            child.join(timeout=10)
        if child.is_alive():
            child.kill()
            child.join()
    return list(timings.values()), target


def log_timings(store: str, timings: Sequence[OpTiming]) -> None:
    for t in timings:
        if t.status == "ok":
            log(f"  {store} {t.op}: {median(t.totals):.3f} s (load {median(t.loads):.3f} s)")
        else:
            log(f"  {store} {t.op}: {t.status} {t.detail.strip().splitlines()[-1] if t.detail else ''}")
