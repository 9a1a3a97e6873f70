"""The war-room map in a real headless Chromium: it draws, it is offline, hostile names stay text.

Chromium (Debian packages ``chromium`` and ``chromium-driver``) is driven with no extra Python
dependency: each check runs ``chromium --headless --dump-dom`` (or ``--screenshot``) on a
``file://`` URL with a virtual-time budget, so timers run until the layout has stabilised, and reads
what the page wrote on ``<body>`` (``data-ready``, ``data-nodes``, ``data-errors``, ...).

Every run goes through a recording proxy on 127.0.0.1 (``--proxy-server``, loopback not bypassed):
any attempt to fetch from the network reaches it and is recorded, and fails. Control tests prove the
watch can see a remote load and that the page's Content-Security-Policy reports one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import socketserver
import struct
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest

from powermap.analysis.paths import best_path
from powermap.analysis.power import power
from powermap.graph import build_graph
from powermap.model import AccountMap, parse_account_map
from powermap.viz import render_map

CHROMIUM = Path("/usr/bin/chromium")
PWNED = "pwned"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("POWERMAP_TEST_REQUIRE_BROWSER") != "1",
        reason="needs headless Chromium at /usr/bin/chromium (Debian packages chromium and chromium-driver)",
    ),
]


# --- a proxy that records every request and serves none -------------------------------------------


#: Chromium's own service traffic (component updater, sign-in, network time), which no flag fully
#: silences in the Debian build; it is not the page's, and is told apart by exact host name.
CHROMIUM_SERVICE_HOSTS = frozenset(
    {
        "update.googleapis.com",
        "accounts.google.com",
        "clients2.google.com",
        "redirector.gvt1.com",
        "edgedl.me.gvt1.com",
        "safebrowsing.googleapis.com",
        "optimizationguide-pa.googleapis.com",
    }
)


def request_host(request_line: str) -> str:
    """``CONNECT host:443 HTTP/1.1`` or ``GET http://host/path HTTP/1.1`` -> ``host``."""
    target = request_line.split(" ")[1] if " " in request_line else request_line
    target = target.split("://", 1)[-1]
    return target.split("/", 1)[0].rsplit(":", 1)[0].lower()


class _RecordingHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        line = self.rfile.readline(8192).decode("latin-1").strip()
        if line:
            self.server.requests.append(line)  # type: ignore[attr-defined]
        self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


class RecordingProxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _RecordingHandler)
        self.requests: list[str] = []

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def page_requests(self) -> list[str]:
        """Requests that did not come from Chromium's own services: the page's."""
        return [line for line in self.requests if request_host(line) not in CHROMIUM_SERVICE_HOSTS]


@pytest.fixture
def proxy() -> Iterator[RecordingProxy]:
    server = RecordingProxy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- driving Chromium ----------------------------------------------------------------------------


#: Flags that keep Chromium's own background traffic down (what remains is CHROMIUM_SERVICE_HOSTS).
QUIET = (
    "--disable-extensions",
    "--disable-default-apps",
    "--no-default-browser-check",
    "--no-service-autorun",
    "--disable-client-side-phishing-detection",
    "--disable-domain-reliability",
    "--metrics-recording-only",
    "--disable-breakpad",
    "--password-store=basic",
    "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,AutofillServerCommunication,Translate",
)


def chromium(page: Path, proxy: RecordingProxy, profile: Path, *mode: str) -> str:
    """Run headless Chromium on a local page with networking forced through the recording proxy."""
    args = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        *QUIET,
        f"--user-data-dir={profile}",
        f"--proxy-server=http://127.0.0.1:{proxy.port}",
        "--proxy-bypass-list=<-loopback>",
        "--virtual-time-budget=20000",
        *mode,
        page.as_uri(),
    ]
    result = subprocess.run(
        args, capture_output=True, text=True, timeout=180, check=False, env={**os.environ, "LANG": "C.UTF-8"}
    )
    assert result.returncode == 0, f"chromium failed ({result.returncode}): {result.stderr[-3000:]}"
    return result.stdout


def dump_dom(page: Path, proxy: RecordingProxy, profile: Path) -> Dom:
    dom = Dom()
    dom.feed(chromium(page, proxy, profile, "--dump-dom"))
    dom.close()
    assert dom.body is not None, "Chromium dumped no <body>"
    return dom


class Dom(HTMLParser):
    """The dumped DOM: <body> attributes, every element, the title, the tooltip's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.body: dict[str, str | None] | None = None
        self.tags: list[str] = []
        self.title = ""
        self.tooltip = ""
        self._in_title = False
        self._tooltip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        attributes = dict(attrs)
        if tag == "body":
            self.body = attributes
        self._in_title = tag == "title"
        if self._tooltip_depth:
            self._tooltip_depth += 1
        elif tag == "div" and "vis-tooltip" in (attributes.get("class") or "").split():
            self._tooltip_depth = 1

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False
        if self._tooltip_depth and tag == "div":
            self._tooltip_depth -= 1
            self.tooltip += "\n"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._tooltip_depth:
            self.tooltip += data

    def attr(self, name: str) -> str | None:
        assert self.body is not None
        return self.body.get(f"data-{name}")


def with_script(page: str, script: str) -> str:
    """The page plus one more inline script at the end of <body>, allowed by the page's own CSP."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    assert page.count("script-src ") == 1
    page = page.replace("script-src ", f"script-src 'sha256-{digest}' ", 1)
    head, tail = page.rsplit("</body>", 1)
    return f"{head}<script>{script}</script></body>{tail}"


# --- the maps ------------------------------------------------------------------------------------


def sample_map() -> AccountMap:
    text = resources.files("powermap").joinpath("samples/acme.json").read_text(encoding="utf-8")
    return parse_account_map(json.loads(text))


def sample_page() -> tuple[AccountMap, str]:
    account_map = sample_map()
    graph = build_graph(account_map)
    path = best_path(graph, "ceo")
    return account_map, render_map(account_map, power(graph), highlight_path=path["nodes"] if path else ())


HOSTILE = "<img src=x onerror=\"document.title='pwned'\">"


def hostile_map() -> AccountMap:
    names = [
        HOSTILE,
        "<script>document.title='pwned'</script>",
        "</script><script>document.title='pwned'</script>",
        "<svg onload=\"document.title='pwned'\"></svg>",
        "总裁 \"quoted\" & 'single'",
    ]
    return parse_account_map(
        {
            "account": {"id": "x", "name": "<script>document.title='pwned'</script>"},
            "competitors": [{"id": "c", "name": "<img src=x onerror=\"document.title='pwned'\">"}],
            "team": [{"id": "m", "name": "</script><script>document.title='pwned'</script>", "role": "AR"}],
            "stakeholders": [
                {
                    "id": f"s{index}",
                    "name": name,
                    "title": name,
                    "department": name,
                    "level": "executive",
                    "decision_role": "decision_maker",
                    "influence": 0.9,
                    "stance": "skeptic",
                    "notes": name,
                }
                for index, name in enumerate(names)
            ],
            "influences": [{"from": "s1", "to": "s0", "weight": 0.8}],
            "relationships": [{"member": "m", "stakeholder": "s1", "strength": 0.7}],
            "competitor_relationships": [{"competitor": "c", "stakeholder": "s0", "strength": 0.5}],
        }
    )


def write(folder: Path, name: str, page: str) -> Path:
    path = folder / name
    path.write_text(page, encoding="utf-8")
    return path


def assert_clean(dom: Dom, proxy: RecordingProxy) -> None:
    assert dom.attr("errors") is None, f"script error: {dom.attr('errors')}"
    assert dom.attr("blocked") is None, f"the page tried a load its policy forbids: {dom.attr('blocked')}"
    assert proxy.page_requests == [], f"the page went to the network: {proxy.page_requests}"


# --- tests ---------------------------------------------------------------------------------------


def test_sample_map_renders_every_node_offline(tmp_path: Path, proxy: RecordingProxy) -> None:
    account_map, page = sample_page()
    dom = dump_dom(write(tmp_path, "map.html", page), proxy, tmp_path / "profile")
    assert_clean(dom, proxy)
    assert "canvas" in dom.tags, "vis-network drew its canvas"
    assert dom.attr("ready") == "1", "the map script ran to its end"
    assert dom.attr("stabilized") == "1"
    assert dom.attr("frozen-by") in {"stabilization", "stabilized"}, "layout settled before the fallback"
    expected_nodes = len(account_map.stakeholders) + len(account_map.team) + len(account_map.competitors)
    expected_edges = (
        len(account_map.reports_to)
        + len(account_map.influences)
        + len(account_map.relationships)
        + len(account_map.competitor_relationships)
    )
    assert dom.attr("nodes") == str(expected_nodes)
    assert dom.attr("edges") == str(expected_edges)
    assert account_map.account.name in dom.title


def test_injected_markup_in_names_never_runs(tmp_path: Path, proxy: RecordingProxy) -> None:
    account_map = hostile_map()
    page = render_map(account_map, {"s0": 0.9, "s1": 0.5}, highlight_path=["m", "s1", "s0"])
    # Hover the stakeholder named <img ... onerror=...> so vis-network shows its tooltip.
    probe = """(function () {
      var body = document.body;
      function hover() {
        var pm = window.powermap;
        var node = pm.nodes.get({ filter: function (n) { return n.ref === "s0"; } })[0];
        body.setAttribute("data-probe-title-is-text", String(typeof node.title === "string"));
        var canvas = document.querySelector("#pm-network canvas");
        var rect = canvas.getBoundingClientRect();
        var at = pm.network.canvasToDOM(pm.network.getPosition(node.id));
        canvas.dispatchEvent(new MouseEvent("mousemove",
          { clientX: rect.left + at.x, clientY: rect.top + at.y, bubbles: true }));
        setTimeout(function () {
          var tip = document.querySelector("div.vis-tooltip");
          body.setAttribute("data-probe-tooltip-shown", tip ? getComputedStyle(tip).visibility : "none");
          var head = tip && tip.querySelector(".pm-tip-head");
          body.setAttribute("data-probe-tooltip-head", head ? head.textContent : "");
          body.setAttribute("data-probe-tooltip-rows", String(tip ? tip.querySelectorAll(".pm-tip-row").length : 0));
          body.setAttribute("data-probe-done", "1");
        }, 1500);
      }
      (function wait() {
        if (body.getAttribute("data-stabilized")) { hover(); } else { setTimeout(wait, 50); }
      })();
    })();"""
    dom = dump_dom(write(tmp_path, "hostile.html", with_script(page, probe)), proxy, tmp_path / "profile")
    assert_clean(dom, proxy)
    assert dom.attr("ready") == "1"
    assert dom.attr("nodes") == str(len(account_map.stakeholders) + 2)
    assert dom.title != PWNED, "an injected handler or script ran"
    assert dom.title == f"{account_map.account.name} — power map", "the title is the name as text"
    assert "img" not in dom.tags
    assert "svg" not in dom.tags
    assert dom.tags.count("script") == 7, "only the page's own scripts (and the probe) are elements"
    assert dom.attr("probe-done") == "1"
    assert dom.attr("probe-title-is-text") == "true", "a hover card travels as plain text, never markup"
    assert dom.attr("probe-tooltip-head") == HOSTILE, "the card shown is built of elements whose text is set"
    assert int(dom.attr("probe-tooltip-rows") or "0") >= 2, "one element a line of the card"
    assert dom.attr("probe-tooltip-shown") == "visible", "the hover showed the tooltip"
    assert HOSTILE in dom.tooltip, "the tooltip shows the name as text"
    assert "Stance: skeptic" in dom.tooltip


def test_search_selects_a_person_and_spotlights_their_neighbours(tmp_path: Path, proxy: RecordingProxy) -> None:
    account_map, page = sample_page()
    ceo = next(s for s in account_map.stakeholders if s.id == "ceo")
    probe = """(function () {
      var body = document.body;
      function run() {
        var pm = window.powermap;
        var search = document.getElementById("pm-search");
        search.value = QUERY;
        search.dispatchEvent(new Event("input"));
        body.setAttribute("data-probe-status", document.getElementById("pm-search-status").textContent);
        search.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter" }));
        body.setAttribute("data-probe-selected", pm.network.getSelectedNodes().join(","));
        var near = pm.network.getConnectedNodes("stakeholder:ceo");
        var far = pm.nodes.getIds().filter(function (id) {
          return id !== "stakeholder:ceo" && near.indexOf(id) < 0;
        });
        body.setAttribute("data-probe-far-faded", String(far.length > 0 && far.every(function (id) {
          return pm.nodes.get(id).color.background.indexOf("rgba(200,200,200") === 0;
        })));
        body.setAttribute("data-probe-near-kept", String(near.every(function (id) {
          return pm.nodes.get(id).color.background.indexOf("rgba(200,200,200") !== 0;
        })));
        search.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
        body.setAttribute("data-probe-restored", String(pm.nodes.get().every(function (node) {
          return node.color.background.indexOf("rgba(200,200,200") !== 0;
        })));
        body.setAttribute("data-probe-done", "1");
      }
      (function wait() {
        if (body.getAttribute("data-stabilized")) { run(); } else { setTimeout(wait, 50); }
      })();
    })();""".replace("QUERY", json.dumps(ceo.name.split()[0]))
    dom = dump_dom(write(tmp_path, "search.html", with_script(page, probe)), proxy, tmp_path / "profile")
    assert_clean(dom, proxy)
    assert dom.attr("probe-done") == "1"
    assert dom.attr("probe-status") == "1 match"
    assert dom.attr("probe-selected") == "stakeholder:ceo"
    assert dom.attr("probe-far-faded") == "true"
    assert dom.attr("probe-near-kept") == "true"
    assert dom.attr("probe-restored") == "true"


def test_map_makes_no_network_request(tmp_path: Path, proxy: RecordingProxy) -> None:
    _, page = sample_page()
    dom = dump_dom(write(tmp_path, "map.html", page), proxy, tmp_path / "profile")
    assert dom.attr("ready") == "1"
    assert_clean(dom, proxy)


def test_the_network_watch_sees_a_remote_load(tmp_path: Path, proxy: RecordingProxy) -> None:
    """Control: without the page's policy a remote image reaches the proxy, so silence means something."""
    remote = '<img src="http://powermap-test.invalid/pixel.png" alt="">'
    page = f"<!DOCTYPE html><html><head><title>control</title></head><body>{remote}</body></html>"
    dump_dom(write(tmp_path, "control.html", page), proxy, tmp_path / "profile")
    assert "powermap-test.invalid" in {request_host(line) for line in proxy.page_requests}, proxy.requests


def test_the_page_policy_blocks_and_reports_a_remote_load(tmp_path: Path, proxy: RecordingProxy) -> None:
    """Control: a remote load smuggled into the map is refused by its CSP and reported on <body>."""
    _, page = sample_page()
    head, tail = page.rsplit("</main>", 1)
    page = f'{head}<img src="http://powermap-test.invalid/pixel.png" alt=""></main>{tail}'
    dom = dump_dom(write(tmp_path, "smuggled.html", page), proxy, tmp_path / "profile")
    assert "img-src" in (dom.attr("blocked") or "")
    assert proxy.page_requests == []
    assert dom.attr("ready") == "1"


def test_sample_map_screenshot(tmp_path: Path, proxy: RecordingProxy) -> None:
    """A 1600x1000 screenshot of the sample map, kept for a human to look at.

    Written to $POWERMAP_MAP_SCREENSHOT, by default <tempdir>/powermap-map.png.
    """
    _, page = sample_page()
    shot = tmp_path / "map.png"
    chromium(
        write(tmp_path, "map.html", page),
        proxy,
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1600,1000",
        "--hide-scrollbars",
    )
    assert proxy.page_requests == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1600, 1000)
    assert len(data) > 50_000, "a real drawing, not a blank page"
    target = Path(os.environ.get("POWERMAP_MAP_SCREENSHOT") or Path(tempfile.gettempdir()) / "powermap-map.png")
    shutil.copyfile(shot, target)
