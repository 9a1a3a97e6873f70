"""Map benchmark: time until the power map is interactive and stable in headless Chromium.

    .venv/bin/python -m bench.bench_map --sizes 100,1000,5000 [--repeat 3]
    .venv/bin/python -m bench.bench_map --smoke           # tiny, for CI; never asserts timings

For every size N (stakeholders of :func:`bench.synthetic.synthetic_map`, about 5 lines each) it
measures, in one run and the same browser (Debian's ``/usr/bin/chromium`` driven by Playwright):

(a) **render**: ``viz.render_map`` in Python (analyses for the panels, nodes and edges, layout);
(b) **offline file**: from navigation to ``data-stabilized`` (the layout frozen and drawn; the page
    answers clicks and hovers from then on) and to ``data-panels`` (the side panels filled);
(c) **vis-network alone**: a bare page with the same vis-network build, the same nodes and edges
    (same sizes, colours and widths, no tooltips, no panels) at the positions our page ended with,
    physics off, timed from navigation to its first drawing. This is the floor any page showing this
    map with vis-network pays;
(d) **web app**: ``--app URL`` times the app's account page the same way (see docs/benchmarks.md).

Small sizes are repeated (``--repeat``) and the median reported. The machine is assumed noisy:
compare the ratios of one run (offline / vis-network alone), not absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.synthetic import synthetic_map
from powermap.analysis.power import power
from powermap.graph import build_graph
from powermap.viz import render_map
from powermap.viz.page import VIS_JS, assets, content_security_policy

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
KEEP = ("id", "x", "y", "size", "shape", "color", "label", "font", "borderWidth", "hidden")
KEEP_EDGE = ("id", "from", "to", "width", "color", "arrows", "dashes", "hidden", "smooth")


def bare_page(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], options: dict[str, Any]) -> str:
    """vis-network alone: the same drawing, positions given, physics off, nothing else."""
    vis = assets()[VIS_JS]
    boot = (
        "var d=JSON.parse(document.getElementById('d').textContent);"
        "var n=new vis.Network(document.getElementById('n'),{nodes:new vis.DataSet(d.nodes),"
        "edges:new vis.DataSet(d.edges)},d.options);"
        "n.once('afterDrawing',function(){document.body.setAttribute('data-drawn','1');});"
    )
    data = json.dumps({"nodes": nodes, "edges": edges, "options": options}).replace("<", "\\u003c")
    csp = content_security_policy([vis, boot])
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
        f'content="{csp}"><style>html,body,#n{{margin:0;height:100%;width:100%}}</style></head><body>'
        f'<div id="n"></div><script type="application/json" id="d">{data}</script>'
        f"<script>{vis}</script><script>{boot}</script></body></html>"
    )


def timed_load(page: Any, url: str, ready: str, timeout_ms: int = 300_000) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(ready, timeout=timeout_ms)
    return time.perf_counter() - start


def measure(browser: Any, size: int, folder: Path) -> dict[str, float]:
    account_map = synthetic_map(size, seed=42)
    powers = power(build_graph(account_map))
    start = time.perf_counter()
    html = render_map(account_map, powers)
    rendered = time.perf_counter() - start
    offline = folder / f"map-{size}.html"
    offline.write_text(html, encoding="utf-8")

    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    stable = timed_load(page, offline.as_uri(), "body[data-stabilized='1']")
    page.wait_for_selector("body[data-panels='1']")
    panels = page.evaluate("performance.now()") / 1000
    positions = page.evaluate("window.powermap.network.getPositions()")
    nodes = page.evaluate(
        "window.powermap.data.nodes.map(n => { const c = {}; "
        f"{list(KEEP)!r}.forEach(k => {{ if (k in n) c[k] = n[k]; }}); return c; }})"
    )
    edges = page.evaluate(
        "window.powermap.data.edges.map(e => { const c = {}; "
        f"{list(KEEP_EDGE)!r}.forEach(k => {{ if (k in e) c[k] = e[k]; }}); return c; }})"
    )
    options = page.evaluate("window.powermap.data.options")
    page.close()
    for node in nodes:
        node["x"], node["y"] = positions[node["id"]]["x"], positions[node["id"]]["y"]
    options["physics"] = {"enabled": False}
    options["layout"] = {"improvedLayout": False}
    bare = folder / f"bare-{size}.html"
    bare.write_text(bare_page(nodes, edges, options), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    alone = timed_load(page, bare.as_uri(), "body[data-drawn='1']")
    page.close()
    return {"render_s": rendered, "offline_stable_s": stable, "offline_panels_s": panels, "vis_alone_s": alone}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="one tiny size, once (CI)")
    args = parser.parse_args(argv)
    sizes = [20] if args.smoke else [int(part) for part in args.sizes.split(",")]
    repeat = 1 if args.smoke else args.repeat

    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for size in sizes:
                runs = [measure(browser, size, Path(tmp)) for _ in range(repeat if size <= 1000 else 1)]
                row = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
                row["ratio"] = row["offline_stable_s"] / row["vis_alone_s"]
                rows.append((size, row))
                print(json.dumps({"stakeholders": size, **{k: round(v, 3) for k, v in row.items()}}), flush=True)
        finally:
            browser.close()
    print(
        "\n| stakeholders | render (Python) s | offline: stable s | offline: panels s | vis-network alone s | ratio |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for size, row in rows:
        print(
            f"| {size:,} | {row['render_s']:.2f} | {row['offline_stable_s']:.2f} | {row['offline_panels_s']:.2f} "
            f"| {row['vis_alone_s']:.2f} | {row['ratio']:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
