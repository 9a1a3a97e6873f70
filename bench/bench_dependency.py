"""Single-champion risk benchmark: ``dependency`` against one full analysis of a copy per person.

    .venv/bin/python -m bench.bench_dependency --sizes 300,1000 [--baseline-up-to 1000]
    .venv/bin/python -m bench.bench_dependency --smoke          # tiny, for CI; never asserts timings

Per size (synthetic accounts of ``bench/synthetic.py``, seed 1) it times, in one process:

- **dependency**: :func:`powermap.analysis.dependency.dependency` on the account's graph (the analysis
  itself; the service adds one map read and the report's rounding);
- **one analysis**: power and the forecast of the whole account once (what each departure costs at
  most if solved from scratch);
- **baseline** (sizes up to ``--baseline-up-to``): the plain way, a copy without each person analysed
  from scratch (``bench/naive_dependency.py``), which is also the oracle: every drop must agree.

It prints one JSON line per size with the load average beside the figures. Compare ratios within one
run: the machine is small and shared.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from bench.naive_dependency import naive_drops
from bench.synthetic import synthetic_map
from powermap.analysis.dependency import dependency
from powermap.analysis.forecast import decision_forecast
from powermap.analysis.power import power
from powermap.graph import build_graph

SMOKE_SIZE = 30
T = TypeVar("T")


def timed(run: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def measure(size: int, *, baseline: bool) -> dict[str, object]:
    graph = build_graph(synthetic_map(size, seed=1))
    load_before = os.getloadavg()[0]
    analysis_s, _ = timed(lambda: decision_forecast(graph, power(graph)))
    dependency_s, found = timed(lambda: dependency(graph))
    row: dict[str, object] = {
        "stakeholders": size,
        "influences": sum(1 for u, v in graph.edges if graph.edges[u, v].get("weight")),
        "dependency_s": round(dependency_s, 3),
        "one_analysis_s": round(analysis_s, 4),
        "dependency_over_one_analysis": round(dependency_s / analysis_s, 1),
    }
    if baseline:
        baseline_s, expected = timed(lambda: naive_drops(graph))
        worst = 0.0
        for kind, drops in (("member", found["members"]), ("stakeholder", found["stakeholders"])):
            for d in drops:
                want = expected[(kind, d["id"])]
                got = (d["coverage_drop"], d["support_drop"], d["reach_drop"])
                worst = max(worst, *(abs(a - b) for a, b in zip(got, want, strict=True)))
        if worst > 1e-9:
            raise SystemExit(f"dependency disagrees with analyses of copies by {worst:.3g} at {size} stakeholders")
        row.update(baseline_s=round(baseline_s, 3), speedup=round(baseline_s / dependency_s, 1), worst_diff=worst)
    row["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return row


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="300,1000", help="comma-separated account sizes (stakeholders)")
    parser.add_argument("--baseline-up-to", type=int, default=300, help="also time the plain way up to this size")
    parser.add_argument("--smoke", action="store_true", help=f"one tiny run ({SMOKE_SIZE} stakeholders)")
    args = parser.parse_args(argv)
    sizes = [SMOKE_SIZE] if args.smoke else [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        print(json.dumps(measure(size, baseline=args.smoke or size <= args.baseline_up_to)), flush=True)


if __name__ == "__main__":
    main()
