"""What the import benchmark's topic modules share: result records, timing helpers, the run's options.

The import benchmark (``python -m bench.bench_import``, see :mod:`bench.bench_import`) has three topics,
one module each: :mod:`bench.import_neo4j` (the store against a bare driver), :mod:`bench.import_analysis`
(the service's analyses in a child process with a time cap) and :mod:`bench.import_report` (the
Markdown tables); SQLite's import and the run itself are in :mod:`bench.bench_import`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import statistics
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.synthetic import Counts
from powermap.model import AccountMap

ACTOR = "bench"
SMOKE_SIZE = 200
OPS = ("analyze", "paths", "recommend")


# -- results ---------------------------------------------------------------------------------------


@dataclass
class ImportRun:
    """One timed import: seconds in all and per phase (nodes, lines, activities + swap)."""

    seconds: float
    phases: dict[str, float] = field(default_factory=dict)


@dataclass
class OpTiming:
    """Latency of one service call, repeated: totals, and the part spent loading the map."""

    op: str
    totals: list[float] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)
    status: str = "ok"  # ok | timeout | error | skipped
    detail: str = ""
    digest: str = ""


@dataclass
class SizeResult:
    size: int
    rows: int
    nodes: int
    edges: int
    activities: int
    generate_s: float
    repeats: int
    prep_s: float = 0.0
    neo4j_store: list[ImportRun] = field(default_factory=list)
    neo4j_bare: list[ImportRun] = field(default_factory=list)
    neo4j_delete_s: list[float] = field(default_factory=list)
    neo4j_read_s: list[float] = field(default_factory=list)
    neo4j_read_raw_s: list[float] = field(default_factory=list)
    sqlite_store: list[ImportRun] = field(default_factory=list)
    analysis: dict[str, list[OpTiming]] = field(default_factory=dict)
    paths_target: str = ""
    errors: list[str] = field(default_factory=list)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def median_seconds(runs: Sequence[ImportRun]) -> float:
    return median([r.seconds for r in runs])


def ratio(result: SizeResult) -> float:
    """Store rows/s over bare rows/s (= bare seconds over store seconds), medians of the run."""
    store, bare = median_seconds(result.neo4j_store), median_seconds(result.neo4j_bare)
    return bare / store if store and result.neo4j_store and result.neo4j_bare else float("nan")


# -- helpers ---------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def with_account_id(account_map: AccountMap, account_id: str) -> AccountMap:
    return account_map.model_copy(update={"account": account_map.account.model_copy(update={"id": account_id})})


def fresh_id(size: int, what: str) -> str:
    return f"bench-{size}-{what}-{uuid.uuid4().hex[:8]}"


class PhaseClock:
    """Progress callback for ``put_map``: when the node rows, then the line rows, were all written."""

    def __init__(self, counts: Counts) -> None:
        self.counts = counts
        self.start = time.perf_counter()
        self.nodes_done: float | None = None
        self.edges_done: float | None = None

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if self.nodes_done is None and done >= self.counts.nodes:
            self.nodes_done = now
        if self.edges_done is None and done >= self.counts.nodes + self.counts.edges:
            self.edges_done = now

    def phases(self, end: float) -> dict[str, float]:
        nodes_done = self.nodes_done or end
        edges_done = self.edges_done or end
        return {
            "nodes": nodes_done - self.start,
            "edges": edges_done - nodes_done,
            "activities+swap": end - edges_done,
        }


@dataclass
class Options:
    sizes: list[int]
    neo4j: str | None
    sqlite_dir: Path | None
    repeat: int
    large: int
    ops: list[str]
    timeout_s: float
    seed: int
    json_out: Path | None
    smoke: bool


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()
