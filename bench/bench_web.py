"""Web-app benchmark: the account page of ``powermap serve``, an edit's round trip, the offline file and
vis-network alone, in one run of Debian's Chromium.

    .venv/bin/python -m bench.bench_web --sizes 100,1000,5000 [--repeat 3] [--edits 5]
    .venv/bin/python -m bench.bench_web --smoke          # tiny, for CI; never asserts timings

Starts the API and web app (``api.create_app``, uvicorn on a free loopback port) over a temporary
SQLite store holding synthetic accounts (:mod:`bench.synthetic`, seed 42), signs in with an editor key
in ``/usr/bin/chromium`` (Playwright, headless, 1600x1000) and measures per size, in the same browser:

- **vis-network alone** and **offline file** (:func:`bench.bench_map.measure`): a bare page drawing
  the same nodes and lines at their final positions, physics off; and ``powermap map``'s file until
  ``data-stabilized`` (frozen and drawn; it answers clicks);
- **app: first**: navigation to the account page until the map is stable (``data-stabilized``) and
  the panels are filled (``data-panels``), the first time the server is asked for that revision (it
  draws the page data: analyses, layout, nodes and lines); the recommendations, asked for after the
  first paint, are not waited for (but are let finish before the next measurement);
- **app: stable**: the same for a page opened again (the server keeps each revision's data): median
  of ``--repeat``;
- **edit round trip**, median of ``--edits``: from pressing "Save" on a changed stakeholder to the
  map and the analysis panels redrawn with the server's answer (the PATCH with If-Match, the store
  write, the page's request of what changed since its revision, the change applied to the map and
  the panels, and the next frame painted), timed in the page, with each part's median (the PATCH, the
  request of the change, the page's work until the frame is painted; then the processor time of the
  server's answer, from its ``Server-Timing``, and Chromium's, all its processes, from ``/proc``: on a
  loaded machine far below the wall times) and the spread. Two kinds: a new
  **title** (a label: the analyses stay) and a new **influence** (power, forecast and the nodes' sizes
  move). Each edit starts once the page has the last one's recommendations (the server is otherwise idle).

The load average is printed beside every row: the machine is shared, compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

from bench.bench_map import measure
from bench.synthetic import synthetic_document
from powermap.api import create_app
from powermap.service import PowermapService
from powermap.settings import Settings
from powermap.store import open_store

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
STABLE = "body[data-stabilized='1'][data-panels='1']"
#: Before an edit: wait for the last edit's advice, open the person's form, let the map be drawn beside it.
OPEN = """async (id) => {
  const recs = () => Number(document.body.getAttribute("data-recommendation-loads") || "0");
  const writes = () => Number(document.body.getAttribute("data-writes") || "0");
  const frame = () => new Promise((done) => requestAnimationFrame(done));
  const quiet = performance.now() + 60000;
  while (recs() < writes() + 1 && performance.now() < quiet) { await frame(); }  // the last edit's advice is in
  await window.powermapApp.openStakeholder(id);
  await frame(); await frame();  // the form is open and the map drawn beside it (a person types now)
}"""
#: One edit, timed in the page: fill the form, press Save, wait for the page's redraw and one more frame.
ROUND_TRIP = """async ([id, field, value]) => {
  const writes = () => Number(document.body.getAttribute("data-writes") || "0");
  const frame = () => new Promise((done) => requestAnimationFrame(done));
  const form = document.getElementById("pm-stakeholder-form");
  form.elements[field].value = value;
  const before = writes();
  const start = performance.now();
  form.querySelector("button[type=submit]").click();
  while (writes() === before) { await frame(); }
  await frame();  // vis-network paints the change in the next animation frame
  const end = performance.now();
  const at = (name) => { const marks = performance.getEntriesByName(name); return marks[marks.length - 1].startTime; };
  // Where it went: the write (PATCH), the page's request of what changed, the page's own work and drawing.
  const data = performance.getEntriesByType("resource").filter((r) => r.name.indexOf("/data?") >= 0).pop();
  const cpu = data.serverTiming.filter((t) => t.name === "cpu").map((t) => t.duration / 1000)[0];
  return [(end - start) / 1000, (at("pm:saved") - start) / 1000, (at("pm:data") - at("pm:saved")) / 1000,
          (end - at("pm:data")) / 1000, cpu];
}"""


def serve(url: str) -> tuple[uvicorn.Server, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = open_store(url, Settings(store=url))
    app = create_app(Settings(store=url, key_cache_s=5), store=store)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def load_average() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def open_page(page: Any, url: str) -> float:
    """Seconds from navigation to the map stable with its panels (then, untimed, the recommendations' arrival)."""
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(STABLE, timeout=600_000)
    took = time.perf_counter() - start
    page.wait_for_selector("body[data-recommendation-loads]", timeout=600_000)  # the server is idle again
    return took


#: The parts of an edit's round trip ROUND_TRIP returns after the whole: the write, the data, the page,
#: then the processor time of the server's data answer; :func:`edit` adds the browser's processor time.
PARTS = ("write", "data", "page", "server_cpu", "browser_cpu")


def edit(page: Any, target: str, field: str, value: str) -> list[float]:
    """One edit's round trip and its parts (seconds); ``browser_cpu``: Chromium's processor time meanwhile."""
    page.evaluate(OPEN, target)
    before = _children_cpu()
    timing: list[float] = page.evaluate(ROUND_TRIP, [target, field, value])
    return [*timing, _children_cpu() - before]


def _children_cpu() -> float:
    """Processor seconds (user and system) used so far by this process's descendants: Chromium, all its processes.

    On a loaded machine a wall time holds the waits for a core; this is the work itself.
    """
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended meanwhile
            continue
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    mine, total = {os.getpid()}, 0.0
    for pid in sorted(parents):  # children have larger ids than their parents, except after a wrap: then missed
        if parents[pid] in mine:
            mine.add(pid)
            total += used[pid]
    return total


def edits(page: Any, count: int) -> dict[str, float]:
    """Median round trips of ``count`` title edits and ``count`` influence edits of one stakeholder.

    Also the median of each part (``edit_title_data_s``: from the write's answer to the change's arrival,
    ...) and the spread of the whole (``edit_title_min_s``, ``edit_title_max_s``).
    """
    target: Any = page.evaluate("window.powermap.data.nodes.filter(n => n.kind === 'stakeholder')[0].ref")
    runs = {
        "title": [edit(page, target, "title", f"Title {i}") for i in range(count)],
        "influence": [edit(page, target, "influence", f"{0.3 + 0.1 * (i % 5):.2f}") for i in range(count)],
    }
    row: dict[str, float] = {}
    for kind, timings in runs.items():
        wholes = [timing[0] for timing in timings]
        row[f"edit_{kind}_s"] = statistics.median(wholes)
        row[f"edit_{kind}_min_s"], row[f"edit_{kind}_max_s"] = min(wholes), max(wholes)
        for index, part in enumerate(PARTS, start=1):
            row[f"edit_{kind}_{part}_s"] = statistics.median(timing[index] for timing in timings)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    sizes = [20] if args.smoke else [int(part) for part in args.sizes.split(",")]
    repeat, count = (1, 1) if args.smoke else (args.repeat, args.edits)

    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        with open_store(url, Settings(store=url)) as store:
            service = PowermapService(store, actor="bench")
            for size in sizes:
                service.import_map(synthetic_document(size, seed=42, account_id=f"bench-{size}"))
            token = service.add_key("bench-editor", "editor", None).token
        server, base = serve(url)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(base + "/signin")
            page.get_by_label("Key", exact=True).fill(token)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(base + "/")
            for size in sizes:
                loads = [load_average()]
                times = 1 if size > 1000 else repeat
                offline = [measure(browser, size, Path(tmp)) for _ in range(times)]
                row: dict[str, float] = {key: statistics.median(run[key] for run in offline) for key in offline[0]}
                row["app_first_s"] = open_page(page, f"{base}/app/accounts/bench-{size}")
                row["app_stable_s"] = statistics.median(
                    open_page(page, f"{base}/app/accounts/bench-{size}") for _ in range(times)
                )
                row |= edits(page, count if size <= 1000 else min(count, 2))
                loads.append(load_average())
                rows.append((size, row, " → ".join(loads)))
                print(json.dumps({"stakeholders": size, "load": loads, **{k: round(v, 3) for k, v in row.items()}}))
        finally:
            browser.close()
            server.should_exit = True
    print(
        "\n| stakeholders | vis-network alone s | offline: stable s | offline ÷ vis | app: first s | app: stable s "
        "| app ÷ vis | edit (title) ms | edit (influence) ms "
        "| influence: write / data / page ms (server / browser CPU ms) "
        "| load average (1/5/15 min, before → after) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for size, row, load in rows:
        vis = row["vis_alone_s"]
        ms = {part: format(row["edit_influence_" + part + "_s"] * 1000, ".0f") for part in PARTS}
        split = f"{ms['write']} / {ms['data']} / {ms['page']} ({ms['server_cpu']} / {ms['browser_cpu']})"
        print(
            f"| {size:,} | {vis:.2f} | {row['offline_stable_s']:.2f} | {row['offline_stable_s'] / vis:.2f} "
            f"| {row['app_first_s']:.2f} | {row['app_stable_s']:.2f} | {row['app_stable_s'] / vis:.2f} "
            f"| {row['edit_title_s'] * 1000:.0f} | {row['edit_influence_s'] * 1000:.0f} "
            f"| {split} | {load} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
