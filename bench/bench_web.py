"""Web-app benchmark: the account page of ``powermap serve`` and an edit's round trip, in Chromium.

    .venv/bin/python -m bench.bench_web --sizes 100,1000,5000 [--repeat 3]
    .venv/bin/python -m bench.bench_web --smoke          # tiny, for CI; never asserts timings

Starts the API and web app (``api.create_app``, uvicorn on a free loopback port) over a temporary
SQLite store holding synthetic accounts (:mod:`bench.synthetic`), signs in with an editor key in
Debian's ``/usr/bin/chromium`` (Playwright), and measures per size:

(a) **app: stable**: from navigation to the account page to ``data-stabilized`` (map frozen and drawn,
    answers clicks) with ``data-panels`` (the side panels filled);
(b) **edit round trip**: from pressing "Save" on a changed stakeholder (title) to the page having
    redrawn the map and the analysis panels from the server's new answer (``data-writes`` moves on):
    the PATCH with If-Match, the store write, the page's reload of the account's data (analyses
    included) and the redraw. Timed in the page (``performance.now()``), median of ``--edits`` edits.

Compare with ``bench/bench_map.py`` (the offline file and vis-network alone) of the same run.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

from bench.synthetic import synthetic_document
from powermap.api import create_app
from powermap.service import PowermapService
from powermap.settings import Settings
from powermap.store import open_store

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
ROUND_TRIP = """async (id) => {
  const before = Number(document.body.getAttribute("data-writes") || "0");
  await window.powermapApp.openStakeholder(id);
  const form = document.getElementById("pm-stakeholder-form");
  form.elements.title.value = "Title " + Math.random();
  const start = performance.now();
  form.querySelector("button[type=submit]").click();
  while (Number(document.body.getAttribute("data-writes") || "0") === before) {
    await new Promise((done) => requestAnimationFrame(done));
  }
  return (performance.now() - start) / 1000;
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    sizes = [20] if args.smoke else [int(part) for part in args.sizes.split(",")]
    repeat, edits = (1, 1) if args.smoke else (args.repeat, args.edits)

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
                loads = []
                for _ in range(repeat if size <= 1000 else 1):
                    start = time.perf_counter()
                    page.goto(f"{base}/app/accounts/bench-{size}")
                    page.wait_for_selector("body[data-stabilized='1'][data-panels='1']", timeout=600_000)
                    loads.append(time.perf_counter() - start)
                target: Any = page.evaluate("window.powermap.data.nodes.filter(n => n.kind === 'stakeholder')[0].ref")
                trips = [page.evaluate(ROUND_TRIP, target) for _ in range(edits)]
                row = {"app_stable_s": statistics.median(loads), "edit_round_trip_s": statistics.median(trips)}
                rows.append((size, row))
                print(json.dumps({"stakeholders": size, **{k: round(v, 3) for k, v in row.items()}}), flush=True)
        finally:
            browser.close()
            server.should_exit = True
    print("\n| stakeholders | app: stable s | edit round trip s |")
    print("|---:|---:|---:|")
    for size, row in rows:
        print(f"| {size:,} | {row['app_stable_s']:.2f} | {row['edit_round_trip_s']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
