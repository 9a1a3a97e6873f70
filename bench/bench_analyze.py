"""``powermap analyze ACCOUNT --json`` against a bare-NetworkX process, on one synthetic account (SQLite).

    python -m bench.bench_analyze [--stakeholders 10000] [--runs 5] [--dir /tmp/powermap-bench]

Builds a synthetic account (:mod:`bench.synthetic`), imports it into a SQLite store and exports it to
JSON. Then, ``--runs`` times, alternating which goes first, it times two whole processes (start-up and
imports included, as a user sees them):

- **analyze**: ``powermap analyze ACCOUNT --json --store sqlite:///...``;
- **bare**: ``python -m bench.bare_networkx EXPORTED.json`` (read the JSON, build a DiGraph, PageRank,
  one multi-source Dijkstra; no powermap code).

It prints the median of each and **analyze / bare** (the goal is at most 1.5), plus one in-process
breakdown of where analyze spends its time. Ratios come from one run on one machine; the machine is
small and shared, so compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.synthetic import synthetic_document

ACCOUNT = "bench-analyze"


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one child process.

    CPU time is the fairer figure on a shared machine: waiting for a core is not work.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def prepare(folder: Path, stakeholders: int) -> tuple[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    source, exported, db = folder / "source.json", folder / "exported.json", folder / "analyze.db"
    for stale in folder.glob("analyze.db*"):
        stale.unlink()
    source.write_text(json.dumps(synthetic_document(stakeholders, account_id=ACCOUNT)), encoding="utf-8")
    store = f"sqlite:///{db}"
    powermap = str(Path(sys.executable).with_name("powermap"))
    subprocess.run([powermap, "import", str(source), "--store", store, "--json"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([powermap, "export", ACCOUNT, "--store", store, "-o", str(exported)], check=True)
    return store, exported


def breakdown(store_url: str) -> dict[str, float]:
    """Seconds per stage of one in-process analyze (after imports)."""
    from powermap.analysis.coverage import competitor_gaps, coverage
    from powermap.analysis.forecast import decision_forecast
    from powermap.analysis.power import power
    from powermap.graph import build_graph
    from powermap.store import open_store

    stages: dict[str, float] = {}
    with open_store(store_url) as store:
        start = time.perf_counter()
        snapshot = store.read(ACCOUNT)
        stages["read map"] = time.perf_counter() - start
        start = time.perf_counter()
        graph = build_graph(snapshot.account_map)
        stages["build graph"] = time.perf_counter() - start
        start = time.perf_counter()
        powers = power(graph)
        stages["power"] = time.perf_counter() - start
        start = time.perf_counter()
        decision_forecast(graph, powers)
        stages["forecast"] = time.perf_counter() - start
        start = time.perf_counter()
        coverage(graph, powers)
        competitor_gaps(graph)
        stages["coverage + gaps"] = time.perf_counter() - start
    return stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stakeholders", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/powermap-bench-analyze"))
    args = parser.parse_args()
    store, exported = prepare(args.dir, args.stakeholders)
    powermap = str(Path(sys.executable).with_name("powermap"))
    analyze_cmd = [powermap, "analyze", ACCOUNT, "--json", "--store", store]
    bare_cmd = [sys.executable, "-m", "bench.bare_networkx", str(exported)]
    wall: dict[str, list[float]] = {"analyze": [], "bare": []}
    cpu: dict[str, list[float]] = {"analyze": [], "bare": []}
    for run in range(args.runs):
        order = [("analyze", analyze_cmd), ("bare", bare_cmd)]
        for name, command in order if run % 2 == 0 else order[::-1]:
            seconds, cpu_seconds = timed(command)
            wall[name].append(seconds)
            cpu[name].append(cpu_seconds)
    print(f"stakeholders: {args.stakeholders}, runs: {args.runs} (alternating)")
    for label, figures in (("wall", wall), ("cpu", cpu)):
        analyze, bare = statistics.median(figures["analyze"]), statistics.median(figures["bare"])
        print(
            f"{label}: analyze --json median {analyze:.2f} s, bare NetworkX median {bare:.2f} s, "
            f"analyze / bare {analyze / bare:.2f} (goal <= 1.5); "
            f"all analyze {', '.join(f'{t:.2f}' for t in figures['analyze'])}; "
            f"all bare {', '.join(f'{t:.2f}' for t in figures['bare'])}"
        )
    print("in-process stages of analyze:", ", ".join(f"{k} {v:.2f} s" for k, v in breakdown(store).items()))


if __name__ == "__main__":
    main()
