"""Import and analysis benchmark: the stores against a bare driver, on synthetic accounts.

    .venv/bin/python -m bench.bench_import --sizes 1000,10000,100000 --neo4j bolt://127.0.0.1:7687
    .venv/bin/python -m bench.bench_import --smoke [--neo4j bolt://...]     # tiny, for CI; never asserts timings

For every size N (stakeholders; about 5 lines each, see :mod:`bench.synthetic`) it measures, in one run:

(a) ``Neo4jStore.put_map`` of a new account: rows per second, rows = nodes + lines + activities;
(b) the **bare driver baseline**: the very same rows (same dicts, same ``UNWIND $rows`` batch size) written
    with plain parameterised ``UNWIND $rows AS row CREATE ...`` statements, one managed transaction per
    batch in one session, into a separate namespace (labels ``BenchS``/``BenchM``/``BenchC``/``BenchA``,
    relationship type ``BENCH_E``) whose lines find their ends through a range index on ``(scope, id)``
    that the bench creates for the run and drops afterwards, as the store's lines use its
    ``(scope, id)`` key constraints. The ratio store / bare (goal >= 0.7) is what the store costs on
    top of the driver: building the rows from the model, the uniqueness constraints and the ``:Scoped``
    index, the staging and swap transactions;
(c) ``SQLiteStore.put_map`` into a fresh file;
(d) ``PowermapService(store).analyze`` (then ``paths`` to the top decision maker and ``recommend``) on
    both stores, each in a child process with a time cap, split into load (``store.read``) and analysis.

Small sizes are repeated (``--repeat``, default 3; store and bare alternate which goes first) and the
median is reported; sizes from ``--large`` (default 50 000) run once. The machine is assumed noisy:
compare the ratios of one run, not absolute numbers across runs. Everything the bench writes to Neo4j
is removed at the end (``store.delete_account``, the baseline nodes and indexes, the bench's change-log
entries); map versions of bench accounts that the store failed to delete are swept in small batches,
with a message. The server is expected to run with auth disabled (``scripts/neo4j start``).

One module per topic, all sharing :mod:`bench.import_common` (result records, timing helpers, options):
:mod:`bench.import_neo4j` (a) and (b), :mod:`bench.import_analysis` (d), :mod:`bench.import_report` (the
tables); this module holds (c) and the run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.import_analysis import log_timings, run_analysis
from bench.import_common import (
    ACTOR,
    OPS,
    SMOKE_SIZE,
    ImportRun,
    Options,
    PhaseClock,
    SizeResult,
    fresh_id,
    log,
    ratio,
    remove_sqlite,
    with_account_id,
)
from bench.import_neo4j import BareRows, Neo4jBench, bench_neo4j
from bench.import_report import machine_info, markdown
from bench.synthetic import Counts, synthetic_map
from powermap.store import Change, open_store


def bench_size(size: int, options: Options, neo: Neo4jBench | None, sqlite_dir: Path) -> SizeResult:
    started = time.perf_counter()
    base = synthetic_map(size, seed=options.seed)
    counts = Counts.of(base)
    repeats = options.repeat if size < options.large else 1
    result = SizeResult(
        size,
        counts.rows,
        counts.nodes,
        counts.edges,
        counts.activities,
        time.perf_counter() - started,
        repeats,
    )
    log(f"N={size}: {counts.rows} rows ({counts.nodes} nodes, {counts.edges} lines, {counts.activities} activities)")

    start = time.perf_counter()
    bare_rows = BareRows.of(base)
    result.prep_s = time.perf_counter() - start

    if neo is not None:
        try:
            bench_neo4j(result, base, counts, bare_rows, options, neo)
        except Exception as error:
            result.errors.append(f"Neo4j part stopped: {type(error).__name__}: {error}")
            log(f"N={size}: the Neo4j part stopped:\n{traceback.format_exc()}")

    sqlite_url = ""
    for rep in range(repeats):
        path = sqlite_dir / f"bench-{size}-{rep}-{uuid.uuid4().hex[:6]}.db"
        sqlite_url = f"sqlite:///{path}"
        account_map = with_account_id(base, fresh_id(size, f"sqlite{rep}"))
        with open_store(sqlite_url) as store:
            clock = PhaseClock(counts)
            store.put_map(account_map, Change(ACTOR, "bench import"), on_progress=clock)
            end = time.perf_counter()
            result.sqlite_store.append(ImportRun(end - clock.start, clock.phases(end)))
            if rep == 0 and store.get_map(account_map.account.id) != account_map:
                result.errors.append("SQLite: the map read back differs from the map imported")
        log(f"  sqlite store rep {rep}: {end - clock.start:.2f} s ({counts.rows / (end - clock.start):,.0f} rows/s)")
        if rep < repeats - 1:
            remove_sqlite(path)
    timings, target = run_analysis(sqlite_url, account_map.account.id, options.ops, repeats, options.timeout_s)
    result.analysis["sqlite"] = timings
    result.paths_target = result.paths_target or target
    log_timings("sqlite", timings)
    remove_sqlite(Path(sqlite_url.removeprefix("sqlite:///")))

    for timings in result.analysis.values():
        for timing in timings:
            if timing.status == "error":
                result.errors.append(f"{timing.op}: {timing.detail.strip()}")
    if "neo4j" in result.analysis and "sqlite" in result.analysis:
        for a, b in zip(result.analysis["neo4j"], result.analysis["sqlite"], strict=True):
            if a.digest and b.digest and a.digest != b.digest:
                result.errors.append(f"{a.op}: Neo4j and SQLite gave different answers for the same map")
    return result


# -- entry point -----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_import", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="stakeholder counts, comma separated")
    parser.add_argument("--neo4j", default=os.environ.get("POWERMAP_BENCH_NEO4J"), help="bolt:// URL (auth off)")
    parser.add_argument("--sqlite-dir", type=Path, help="where SQLite files go (default: a temporary directory)")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of sizes below --large (median reported)")
    parser.add_argument("--large", type=int, default=50_000, help="sizes from this one run once")
    parser.add_argument("--ops", default=",".join(OPS), help="service calls to time: analyze,paths,recommend")
    parser.add_argument("--timeout", type=float, default=600.0, help="cap in seconds on one analysis call")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json-out", type=Path, help="also write every figure as JSON here")
    parser.add_argument("--smoke", action="store_true", help=f"one tiny size ({SMOKE_SIZE}), once; for CI")
    args = parser.parse_args(argv)
    ops = [op.strip() for op in args.ops.split(",") if op.strip()]
    if not ops or ops[0] != "analyze" or any(op not in OPS for op in ops):
        parser.error(f"--ops must start with analyze and name only {', '.join(OPS)}")
    sizes = [SMOKE_SIZE] if args.smoke else [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    return Options(
        sizes=sizes,
        neo4j=args.neo4j,
        sqlite_dir=args.sqlite_dir,
        repeat=1 if args.smoke else max(1, args.repeat),
        large=args.large,
        ops=ops,
        timeout_s=60.0 if args.smoke else args.timeout,
        seed=args.seed,
        json_out=args.json_out,
        smoke=args.smoke,
    )


@contextlib.contextmanager
def sqlite_directory(given: Path | None) -> Iterator[Path]:
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        yield given
        return
    made = Path(tempfile.mkdtemp(prefix="powermap-bench-"))
    try:
        yield made
    finally:
        shutil.rmtree(made, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    began = time.perf_counter()
    if options.neo4j is None:
        log("no --neo4j URL: only the SQLite store is measured")
    neo = Neo4jBench(options.neo4j) if options.neo4j else None
    results: list[SizeResult] = []
    failed = False
    try:
        if neo is not None:
            neo.bare_indexes()
            log("warming up (an untimed store import and bare import, so query plans are cached)")
            neo.warm_up(SMOKE_SIZE, options.seed + 1)
        machine = machine_info(neo)
        with sqlite_directory(options.sqlite_dir) as sqlite_dir:
            for size in options.sizes:
                try:
                    result = bench_size(size, options, neo, sqlite_dir)
                except Exception:
                    log(f"N={size} failed:\n{traceback.format_exc()}")
                    failed = True
                    continue
                results.append(result)
                for error in result.errors:
                    log(f"N={size} ERROR: {error}")
                    failed = True
    finally:
        if neo is not None:
            neo.close()
    report = markdown(results)
    print(report)
    elapsed = time.perf_counter() - began
    log(f"finished in {elapsed:.1f} s")
    if options.json_out is not None:
        payload: dict[str, Any] = {
            "command": " ".join([Path(sys.executable).name, "-m", "bench.bench_import", *(argv or sys.argv[1:])]),
            "machine": machine,
            "elapsed_s": elapsed,
            "results": [{**asdict(r), "store_over_bare": ratio(r)} for r in results],
        }
        options.json_out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if options.smoke and len(results) != len(options.sizes):
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
