"""The import benchmark's report: Markdown tables of the import rates, phases and analysis latency."""

from __future__ import annotations

import contextlib
import math
import os
import platform
from collections.abc import Sequence
from pathlib import Path

from bench.import_common import ImportRun, SizeResult, median, median_seconds, ratio
from bench.import_neo4j import Neo4jBench
from powermap.settings import get_settings

# -- report ----------------------------------------------------------------------------------------


def machine_info(neo: Neo4jBench | None) -> dict[str, str]:
    info = {
        "nproc": str(os.cpu_count()),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    info["import_batch_size"] = str(get_settings().import_batch_size)
    if neo is not None:
        info.update(neo.server_info())
    return info


def fmt_rate(rows: int, runs: Sequence[ImportRun]) -> str:
    return f"{rows / median_seconds(runs):,.0f}" if runs else "–"


def fmt_s(value: float) -> str:
    if math.isnan(value):
        return "–"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def markdown(results: Sequence[SizeResult]) -> str:
    lines = [
        "### Import (median of the repeats; rows = nodes + lines + activities)",
        "",
        "| stakeholders | rows | runs | Neo4jStore rows/s | bare driver rows/s | store / bare | SQLiteStore rows/s "
        "| Neo4jStore s | bare s | SQLite s | row prep s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.size:,} | {r.rows:,} | {r.repeats} | {fmt_rate(r.rows, r.neo4j_store)} "
            f"| {fmt_rate(r.rows, r.neo4j_bare)} | {fmt_ratio(r)} | {fmt_rate(r.rows, r.sqlite_store)} "
            f"| {fmt_s(median_seconds(r.neo4j_store))} | {fmt_s(median_seconds(r.neo4j_bare))} "
            f"| {fmt_s(median_seconds(r.sqlite_store))} | {fmt_s(r.prep_s)} |"
        )
    lines += [
        "",
        "### Where the import time goes (median seconds per phase)",
        "",
        "| stakeholders | writer | nodes | lines | activities + swap | delete account (Neo4j) |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        for name, runs in (
            ("Neo4jStore", r.neo4j_store),
            ("bare driver", r.neo4j_bare),
            ("SQLiteStore", r.sqlite_store),
        ):
            if not runs:
                continue
            phases = {key: median([run.phases.get(key, float("nan")) for run in runs]) for key in runs[0].phases}
            delete = fmt_s(median(r.neo4j_delete_s)) if name == "Neo4jStore" else ""
            lines.append(
                f"| {r.size:,} | {name} | {fmt_s(phases['nodes'])} | {fmt_s(phases['edges'])} "
                f"| {fmt_s(phases['activities+swap'])} | {delete} |"
            )
    lines += [
        "",
        "### Analysis latency (PowermapService, median; load = store.read, analysis = the rest)",
        "",
        "| stakeholders | store | call | total s | load s | analysis s | note |",
        "|---:|---|---|---:|---:|---:|---|",
    ]
    for r in results:
        for store, timings in r.analysis.items():
            for t in timings:
                note = t.detail.strip().splitlines()[-1] if t.detail else ""
                if t.op == "paths" and r.paths_target and t.status == "ok":
                    note = f"to {r.paths_target}"
                if t.totals:
                    total, load = median(t.totals), median(t.loads)
                    lines.append(
                        f"| {r.size:,} | {store} | {t.op} | {fmt_s(total)} | {fmt_s(load)} | {fmt_s(total - load)} "
                        f"| {note} |"
                    )
                else:
                    lines.append(f"| {r.size:,} | {store} | {t.op} | – | – | – | {t.status}: {note} |")
    reads = [r for r in results if r.neo4j_read_raw_s or r.neo4j_read_s]
    if reads:
        lines += [
            "",
            "Neo4j reads, seconds: `store.read` right after the first import (query + building the model) / "
            "the same `read_map.cypher` through the bare driver (no model building), median: "
            + "; ".join(
                f"{r.size:,}: {fmt_s(median(r.neo4j_read_s))} / {fmt_s(median(r.neo4j_read_raw_s))}" for r in reads
            ),
        ]
    errors = [(r.size, e) for r in results for e in r.errors]
    if errors:
        lines += ["", "### Failures", ""]
        lines += [f"- N={size:,}: {e.strip().splitlines()[-1] if e.strip() else e}" for size, e in errors]
    return "\n".join(lines)


def fmt_ratio(result: SizeResult) -> str:
    value = ratio(result)
    if math.isnan(value):
        return "–"
    return f"**{value:.2f}**" + ("" if value >= 0.7 else " (below 0.7)")
