"""HTTP API latency: p50/p99 of GET /analysis and GET /paths, 1 and 32 concurrent clients, both stores.

    python -m bench.bench_api [--neo4j bolt://...] [--sizes 200,2000] [--requests 120] [--json-out FILE]
    python -m bench.bench_api --smoke          # CI: 200 stakeholders, a few requests, checks answers only

Per store, the bench imports synthetic accounts (``bench/synthetic.py``), makes an API key, and starts
the API in a child process: the real app (``powermap.api.main.create_app``) under uvicorn, plus one trivial
route (``GET /bench/ping``, a constant) for the baseline. Clients are asyncio tasks in this process
(httpx), each on its own connection (opened before the clock runs) and sending its requests one after
another; 32 clients run at once. In the same run:

- **baseline**: one bare NetworkX Dijkstra (``nx.single_source_dijkstra`` over the stakeholder tie
  graph, ``-log(strength)`` costs, from the target) timed in this process, plus the p50 of one HTTP
  round trip to ``/bench/ping``. A *cached* ``/paths`` is a repeated query on an unchanged account;
  the goal is p50 within 2x of that baseline;
- **queueing**: p99 / p50 at 32 clients, goal at most 5; the same for ``/bench/ping`` as a control
  (size 0 in the table): what the machine, uvicorn and the clients alone give;
- **edit**: ``PATCH`` of one stakeholder (If-Match from the previous answer) in the largest account,
  sequential, goal p50 under 50 ms.

Nothing here asserts a timing; the figures go to ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import networkx as nx

from bench.synthetic import synthetic_document
from powermap.service import PowermapService
from powermap.settings import Settings
from powermap.store import open_store


@dataclass
class Figures:
    store: str
    size: int
    endpoint: str
    clients: int
    requests: int
    p50_ms: float
    p99_ms: float


@dataclass
class StoreRun:
    store: str
    #: size -> (ping p50, bare Dijkstra p50, cached /paths p50), measured in turns.
    baseline: dict[int, tuple[float, float, float]] = field(default_factory=dict)
    figures: list[Figures] = field(default_factory=list)
    edit_p50_ms: float = 0.0
    edit_p99_ms: float = 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100).

    >>> percentile([1, 2, 3, 4], 50), percentile(list(range(1, 101)), 99)
    (2, 99)
    """
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- the server (child process) ------------------------------------------------------------------------


def serve(store_url: str) -> None:
    """Run the API with the bench's trivial route; print the port once listening."""
    import uvicorn

    from powermap.api import create_app

    app = create_app(Settings(store=store_url))
    app.add_api_route("/bench/ping", lambda: {"ok": True}, methods=["GET"], include_in_schema=False)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", limit_concurrency=512)
    server = uvicorn.Server(config)

    async def run() -> None:
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
        print(server.servers[0].sockets[0].getsockname()[1], flush=True)
        await task

    asyncio.run(run())


def start_server(store_url: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.bench_api", "--serve", store_url], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    port = process.stdout.readline().strip()
    if not port.isdigit():
        process.kill()
        raise RuntimeError("the API server did not start")
    return process, f"http://127.0.0.1:{port}"


# -- clients ------------------------------------------------------------------------------------------------


async def timed_gets(
    base: str, headers: dict[str, str], path: str, params: dict[str, Any], clients: int, each: int
) -> list[float]:
    # One connection per simulated user, as real users have: a pool shared by all of them would measure
    # the pool's own hand-over order (not FIFO) rather than the server's.
    latencies: list[float] = []

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=300) as http:
            await http.get("/bench/ping")  # the connection is opened before the clock runs
            for _ in range(each):
                started = time.perf_counter()
                response = await http.get(path, params=params)
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{path}: {response.status_code} {response.text[:200]}")

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies


def tie_graph(document: dict[str, Any]) -> nx.Graph[str]:
    """The stakeholders' tie graph (the contract's tie strengths) with ``-log(strength)`` costs."""
    ties: dict[tuple[str, str], float] = {}
    for line in document["influences"]:
        key = tuple(sorted((line["from"], line["to"])))
        ties[key] = max(ties.get(key, 0.0), line["weight"])
    for line in document["reports_to"]:
        key = tuple(sorted((line["from"], line["to"])))
        ties[key] = max(ties.get(key, 0.0), 0.5)
    graph: nx.Graph[str] = nx.Graph()
    for (a, b), strength in ties.items():
        if strength > 0:
            graph.add_edge(a, b, cost=-math.log(strength))
    return graph


async def baseline_against_paths(
    base: str, headers: dict[str, str], path: str, params: dict[str, Any], graph: nx.Graph[str], target: str, n: int
) -> tuple[float, float, float]:
    """p50 of a ping round trip, a bare Dijkstra and a cached /paths, taken in turns (same load for all)."""
    ping, dijkstra, paths = [], [], []
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=300) as http:
        for _ in range(n):
            started = time.perf_counter()
            (await http.get("/bench/ping")).raise_for_status()
            ping.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            nx.single_source_dijkstra(graph, target, weight="cost")
            dijkstra.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            (await http.get(path, params=params)).raise_for_status()
            paths.append((time.perf_counter() - started) * 1000)
    return statistics.median(ping), statistics.median(dijkstra), statistics.median(paths)


async def edit_latencies(base: str, headers: dict[str, str], account: str, stakeholder: str, count: int) -> list[float]:
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=300) as http:
        url = f"/accounts/{account}/stakeholders/{stakeholder}"
        etag = (await http.get(url)).headers["ETag"]
        latencies = []
        for i in range(count):
            started = time.perf_counter()
            response = await http.patch(url, json={"notes": f"edit {i}"}, headers={"If-Match": etag})
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"edit: {response.status_code} {response.text[:200]}")
            etag = response.headers["ETag"]
    return latencies


# -- one store ------------------------------------------------------------------------------------------------


def bench_store(name: str, url: str, sizes: Sequence[int], requests: int) -> StoreRun:
    run = StoreRun(name)
    settings = Settings(store=url)
    with open_store(url, settings) as store:
        service = PowermapService(store, actor="bench")
        documents = {}
        for size in sizes:
            document = synthetic_document(size, account_id=f"bench-api-{size}")
            service.import_map(document)
            documents[size] = document
        key = service.add_key(f"bench-{os.getpid()}-{int(time.time())}", "admin")
    headers = {"Authorization": f"Bearer {key.token}"}
    process, base = start_server(url)
    try:
        asyncio.run(timed_gets(base, headers, "/bench/ping", {}, 1, 20))  # warm up
        # Control: the trivial route under the same crowd. Its p99/p50 is what the machine, the server
        # and the clients give without any of our work (docs/benchmarks.md).
        for clients in (1, 32):
            each = requests if clients == 1 else max(2, requests // 8)
            latencies = asyncio.run(timed_gets(base, headers, "/bench/ping", {}, clients, each))
            run.figures.append(
                Figures(name, 0, "ping", clients, len(latencies), percentile(latencies, 50), percentile(latencies, 99))
            )
            log(f"{name} ping (control) {clients:>2} clients: p50 {run.figures[-1].p50_ms:8.2f} ms")
        for size in sizes:
            account = f"bench-api-{size}"
            target = documents[size]["stakeholders"][0]["id"]
            asyncio.run(timed_gets(base, headers, f"/accounts/{account}/paths", {"to": target}, 1, 3))  # cache it
            run.baseline[size] = asyncio.run(
                baseline_against_paths(
                    base,
                    headers,
                    f"/accounts/{account}/paths",
                    {"to": target},
                    tie_graph(documents[size]),
                    target,
                    requests,
                )
            )
            for endpoint, params in (("analysis", {}), ("paths", {"to": target})):
                path = f"/accounts/{account}/{endpoint}"
                asyncio.run(timed_gets(base, headers, path, params, 1, 3))  # first call fills any cache
                for clients in (1, 32):
                    each = requests if clients == 1 else max(2, requests // 8)
                    latencies = asyncio.run(timed_gets(base, headers, path, params, clients, each))
                    figures = Figures(
                        name,
                        size,
                        endpoint,
                        clients,
                        len(latencies),
                        percentile(latencies, 50),
                        percentile(latencies, 99),
                    )
                    run.figures.append(figures)
                    log(
                        f"{name} {size:>5} {endpoint:<8} {clients:>2} clients: "
                        f"p50 {figures.p50_ms:8.2f} ms  p99 {figures.p99_ms:8.2f} ms"
                    )
        largest = max(sizes)
        edits = asyncio.run(
            edit_latencies(
                base, headers, f"bench-api-{largest}", documents[largest]["stakeholders"][1]["id"], requests // 2
            )
        )
        run.edit_p50_ms, run.edit_p99_ms = percentile(edits, 50), percentile(edits, 99)
        log(f"{name} edit of one stakeholder in {largest}: p50 {run.edit_p50_ms:.2f} ms p99 {run.edit_p99_ms:.2f} ms")
    finally:
        process.terminate()
        process.wait(timeout=30)
        with open_store(url, settings) as store:
            service = PowermapService(store, actor="bench")
            for size in sizes:
                service.delete_account(f"bench-api-{size}")
            service.revoke_key(key.name)
    return run


def report(runs: Sequence[StoreRun]) -> str:
    lines = [
        "| store | size | endpoint | clients | requests | p50 ms | p99 ms | p99/p50 |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        for f in run.figures:
            lines.append(
                f"| {f.store} | {f.size} | {f.endpoint} | {f.clients} | {f.requests} "
                f"| {f.p50_ms:.1f} | {f.p99_ms:.1f} | {f.p99_ms / f.p50_ms:.1f} |"
            )
    lines += [
        "",
        "| store | size | ping p50 ms | bare Dijkstra ms | baseline ms | cached /paths p50 ms | ratio (goal <= 2) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        for size, (ping, dijkstra, paths) in run.baseline.items():
            baseline = ping + dijkstra
            lines.append(
                f"| {run.store} | {size} | {ping:.2f} | {dijkstra:.2f} | {baseline:.2f} "
                f"| {paths:.2f} | {paths / baseline:.2f} |"
            )
    lines += ["", "| store | edit p50 ms (goal < 50) | edit p99 ms |", "|---|---:|---:|"]
    lines += [f"| {run.store} | {run.edit_p50_ms:.1f} | {run.edit_p99_ms:.1f} |" for run in runs]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--neo4j", default=os.environ.get("POWERMAP_TEST_NEO4J_URL", ""))
    parser.add_argument("--sizes", default="200,2000")
    parser.add_argument("--requests", type=int, default=120)
    parser.add_argument("--json-out")
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve)
        return 0
    sizes = [200] if args.smoke else [int(s) for s in args.sizes.split(",")]
    requests = 8 if args.smoke else args.requests
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        runs.append(bench_store("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}", sizes, requests))
        if args.neo4j:
            runs.append(bench_store("neo4j", args.neo4j, sizes, requests))
    print(report(runs))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps([asdict(run) for run in runs], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
