"""The war-room map renderer (viz.render_map): offline, complete, safe with hostile text, deterministic.

These tests read the produced HTML only; tests/e2e/test_map_browser.py runs it in a real browser.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from importlib import resources
from itertools import pairwise
from typing import Any

import pytest

from powermap.analysis.paths import best_path
from powermap.analysis.power import power
from powermap.graph import build_graph
from powermap.model import AccountMap, Node, NodeKind, Stance, parse_account_map
from powermap.viz import node_id, render_map, style
from powermap.viz.render import DATA_ELEMENT_ID, PATH_EDGE_KIND

HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    'O\'Brien "the boss" & co',
    "陈伟 </SCRIPT ><!-- 总裁",
    "line\u2028separator\u2029end",
]


# --- helpers -----------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Every element's tag and attributes, and the text of each <script> and <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.text: dict[str, str] = {}
        self._open: tuple[str, dict[str, str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._open = (tag, dict(attrs))

    def handle_data(self, data: str) -> None:
        if self._open is None:
            return
        tag, attrs = self._open
        if tag == "script":
            self.scripts.append((attrs, data))
        elif tag == "style":
            self.styles.append(data)
        else:
            self.text[tag] = self.text.get(tag, "") + data

    def handle_endtag(self, tag: str) -> None:
        self._open = None


def parse_page(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def embedded_data(page: str) -> dict[str, Any]:
    scripts = [text for attrs, text in parse_page(page).scripts if attrs.get("id") == DATA_ELEMENT_ID]
    assert len(scripts) == 1, "exactly one JSON data element"
    data: dict[str, Any] = json.loads(scripts[0])
    return data


def sample_map() -> AccountMap:
    text = resources.files("powermap").joinpath("samples/acme.json").read_text(encoding="utf-8")
    return parse_account_map(json.loads(text))


def hostile_map() -> AccountMap:
    stakeholders = [
        {
            "id": f"s{index}",
            "name": name,
            "title": name,
            "department": name,
            "level": "senior",
            "influence": 0.5,
            "stance": "opponent",
            "notes": name,
        }
        for index, name in enumerate(HOSTILE_NAMES)
    ]
    return parse_account_map(
        {
            "account": {"id": "evil", "name": "</title><script>alert(1)</script>", "industry": "<b>x</b>"},
            "competitors": [{"id": "c", "name": "</script><script>alert('c')</script>", "notes": "<i>n</i>"}],
            "team": [{"id": "m", "name": '"><svg onload=alert(1)>', "role": "AR", "title": "</script>"}],
            "stakeholders": stakeholders,
            "influences": [{"from": "s0", "to": "s1", "weight": 0.7}],
            "relationships": [{"member": "m", "stakeholder": "s0", "strength": 0.8}],
            "competitor_relationships": [{"competitor": "c", "stakeholder": "s1", "strength": 0.6}],
        }
    )


@pytest.fixture(scope="module")
def acme() -> AccountMap:
    return sample_map()


@pytest.fixture(scope="module")
def acme_powers(acme: AccountMap) -> dict[str, float]:
    return power(build_graph(acme))


@pytest.fixture(scope="module")
def acme_path(acme: AccountMap) -> list[str]:
    path = best_path(build_graph(acme), "ceo")
    assert path is not None
    assert len(path["nodes"]) >= 3
    return path["nodes"]


@pytest.fixture(scope="module")
def acme_page(acme: AccountMap, acme_powers: dict[str, float], acme_path: list[str]) -> str:
    return render_map(acme, acme_powers, highlight_path=acme_path)


# --- offline -----------------------------------------------------------------------------------

_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_URL_ATTRIBUTES = {
    "src",
    "href",
    "srcset",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "manifest",
    "ping",
    "xlink:href",
    "cite",
    "longdesc",
    "codebase",
}


def test_map_loads_nothing_from_the_network(acme_page: str) -> None:
    page = parse_page(acme_page)
    for tag, attrs in page.elements:
        for name, value in attrs.items():
            if name in _URL_ATTRIBUTES:
                assert value is not None, (tag, name)
                assert not _REMOTE.match(value), (tag, name, value)
                assert not re.search(r"https?://", value, re.IGNORECASE), (tag, name, value)
    assert not [attrs for tag, attrs in page.elements if tag == "link"], "no <link> at all: CSS is inline"
    assert not [attrs for attrs, _ in page.scripts if "src" in attrs], "no external script"
    assert all(tag != "script" or "src" not in attrs for tag, attrs in page.elements)
    assert "@import" not in acme_page
    for match in re.finditer(r"url\(\s*(['\"]?)([^)'\"]*)", acme_page):
        assert match.group(2).startswith("data:"), match.group(0)[:80]


def test_page_policy_forbids_any_fetch_and_allows_only_its_own_scripts(acme_page: str) -> None:
    page = parse_page(acme_page)
    policies = [
        attrs.get("content") or ""
        for tag, attrs in page.elements
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy"
    ]
    assert len(policies) == 1
    directives = {name: value for name, _, value in (part.strip().partition(" ") for part in policies[0].split(";"))}
    assert directives["default-src"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"], "no injected inline handler may run"
    assert "connect-src" not in directives
    assert "http" not in policies[0]
    executable = [text for attrs, text in page.scripts if attrs.get("type") is None]
    assert len(executable) == 5, "boot, vis-network, paths, map, panels"
    for text in executable:
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
        assert f"'sha256-{digest}'" in directives["script-src"]


def test_vis_network_is_inlined_with_its_licence(acme_page: str) -> None:
    assert "@version 9.1.2" in acme_page
    assert "vis.js is dual licensed" in acme_page
    assert ".vis-network-tooltip" in acme_page or "div.vis-tooltip" in acme_page, "vis CSS inlined"


# --- contents ----------------------------------------------------------------------------------


def test_every_person_and_competitor_is_in_the_embedded_data(acme: AccountMap, acme_page: str) -> None:
    data = embedded_data(acme_page)
    expected = {
        *(node_id(NodeKind.STAKEHOLDER, s.id) for s in acme.stakeholders),
        *(node_id(NodeKind.MEMBER, m.id) for m in acme.team),
        *(node_id(NodeKind.COMPETITOR, c.id) for c in acme.competitors),
    }
    nodes = {node["id"]: node for node in data["nodes"]}
    assert set(nodes) == expected
    assert len(data["nodes"]) == len(expected)
    people: list[tuple[Node, NodeKind]] = [
        *((s, NodeKind.STAKEHOLDER) for s in acme.stakeholders),
        *((m, NodeKind.MEMBER) for m in acme.team),
        *((c, NodeKind.COMPETITOR) for c in acme.competitors),
    ]
    for item, kind in people:
        node = nodes[node_id(kind, item.id)]
        assert (node["kind"], node["ref"], node["name"]) == (kind.value, item.id, item.name)
    lines = len(acme.reports_to) + len(acme.influences) + len(acme.relationships)
    lines += len(acme.competitor_relationships)
    assert len(data["edges"]) == lines
    assert {edge["id"] for edge in data["edges"]} == {
        *(f"reports_to:{i}" for i in range(len(acme.reports_to))),
        *(f"influences:{i}" for i in range(len(acme.influences))),
        *(f"relationship:{i}" for i in range(len(acme.relationships))),
        *(f"competitor_relationship:{i}" for i in range(len(acme.competitor_relationships))),
    }
    assert all(edge["from"] in nodes and edge["to"] in nodes for edge in data["edges"])


def test_the_same_id_in_different_lists_gives_different_nodes() -> None:
    account_map = parse_account_map(
        {
            "account": {"id": "a", "name": "A"},
            "competitors": [{"id": "x", "name": "Rival X"}],
            "team": [{"id": "x", "name": "Member X", "role": "AR"}],
            "stakeholders": [{"id": "x", "name": "Stakeholder X", "level": "staff", "influence": 0.2}],
            "relationships": [{"member": "x", "stakeholder": "x", "strength": 0.5}],
            "competitor_relationships": [{"competitor": "x", "stakeholder": "x", "strength": 0.4}],
        }
    )
    data = embedded_data(render_map(account_map, {"x": 0.3}))
    assert {node["id"]: node["name"] for node in data["nodes"]} == {
        "stakeholder:x": "Stakeholder X",
        "member:x": "Member X",
        "competitor:x": "Rival X",
    }
    assert {(edge["from"], edge["to"]) for edge in data["edges"]} == {
        ("member:x", "stakeholder:x"),
        ("competitor:x", "stakeholder:x"),
    }


def test_stance_colours_power_sizes_and_kinds_have_their_own_shapes(
    acme: AccountMap, acme_powers: dict[str, float], acme_page: str
) -> None:
    nodes = {node["id"]: node for node in embedded_data(acme_page)["nodes"]}
    for stakeholder in acme.stakeholders:
        node = nodes[node_id(NodeKind.STAKEHOLDER, stakeholder.id)]
        assert node["color"]["background"] == style.STANCE_COLOURS[stakeholder.stance].background
        assert node["shape"] == "dot"
        # Radius 10 + 40 * power, to the nearest half pixel.
        assert node["size"] == pytest.approx(10 + 40 * acme_powers[stakeholder.id], abs=0.25)
        assert node["size"] * 2 == int(node["size"] * 2)
    assert {nodes[node_id(NodeKind.MEMBER, m.id)]["shape"] for m in acme.team} == {"box"}
    assert {nodes[node_id(NodeKind.COMPETITOR, c.id)]["shape"] for c in acme.competitors} == {"diamond"}
    assert len({colour.background for colour in style.STANCE_COLOURS.values()}) == len(Stance)
    big = max(acme.stakeholders, key=lambda s: acme_powers[s.id])
    small = min(acme.stakeholders, key=lambda s: acme_powers[s.id])
    assert nodes[node_id(NodeKind.STAKEHOLDER, big.id)]["size"] > nodes[node_id(NodeKind.STAKEHOLDER, small.id)]["size"]


def test_edges_are_styled_by_kind(acme_page: str) -> None:
    for edge in embedded_data(acme_page)["edges"]:
        if edge["onPath"]:
            continue
        kind = {
            "reports_to": "reports_to",
            "influences": "influences",
            "relationship": "relationship",
            "competitor_relationship": "competitor_relationship",
        }[edge["kind"]]
        look = next(v for k, v in style.EDGE_STYLES.items() if k.value == kind)
        assert edge["color"]["color"] == look.colour
        assert edge["dashes"] is look.dashes
        assert edge["arrows"]["to"]["enabled"] is look.arrow


def test_tooltips_are_plain_text_with_the_facts_a_war_room_asks_for(acme: AccountMap, acme_page: str) -> None:
    nodes = {node["id"]: node for node in embedded_data(acme_page)["nodes"]}
    ceo = nodes["stakeholder:ceo"]["title"]
    assert isinstance(ceo, str)
    for fact in (
        "陈伟 Chen Wei",
        "Group President",
        "Department: ",
        "Level: executive",
        "Decision role: decision maker",
        "Influence: 0.95",
        "Stance: neutral",
        "Power: ",
        "Our strength: ",
        "Strongest competitor: ",
    ):
        assert fact in ceo
    assert "<br" not in ceo
    assert "<b>" not in ceo


def test_legend_and_title_are_in_the_page(acme: AccountMap, acme_page: str) -> None:
    page = parse_page(acme_page)
    assert acme.account.name in page.text["title"]
    assert acme.account.name in page.text["h1"]
    for label in style.STANCE_LABELS.values():
        assert f"</span>{label}</li>" in acme_page
    for look in style.EDGE_STYLES.values():
        assert look.label in acme_page
    assert "Our team member" in acme_page
    assert "Competitor" in acme_page
    custom = render_map(acme, {}, title="War room <Q4>")
    assert "<title>War room &lt;Q4&gt;</title>" in custom


def test_layout_is_seeded_stabilised_then_frozen(acme_page: str) -> None:
    options = embedded_data(acme_page)["options"]
    assert options["layout"]["randomSeed"] == 7
    assert options["physics"]["stabilization"]["enabled"] is True
    assert options["physics"]["stabilization"]["iterations"] >= 100
    app_js = resources.files("powermap.viz").joinpath("assets/powermap-map.js").read_text(encoding="utf-8")
    assert "physics: { enabled: false }" in app_js
    assert "stabilizationIterationsDone" in app_js


# --- the highlighted path ----------------------------------------------------------------------


def test_highlighted_path_marks_its_nodes_and_one_line_per_step(acme_page: str, acme_path: list[str]) -> None:
    data = embedded_data(acme_page)
    path_ids = [node_id(NodeKind.MEMBER, acme_path[0])] + [node_id(NodeKind.STAKEHOLDER, s) for s in acme_path[1:]]
    assert data["path"] == path_ids
    nodes = {node["id"]: node for node in data["nodes"]}
    assert {node_id_ for node_id_, node in nodes.items() if node["onPath"]} == set(path_ids)
    for node_id_ in path_ids:
        assert nodes[node_id_]["color"]["border"] == style.PATH_COLOUR
        assert nodes[node_id_]["borderWidth"] >= 4
    marked = [edge for edge in data["edges"] if edge["onPath"]]
    assert len(marked) == len(path_ids) - 1
    for (a, b), edge in zip(pairwise(path_ids), marked, strict=True):
        assert {edge["from"], edge["to"]} == {a, b}
        assert edge["kind"] != PATH_EDGE_KIND, "the sample's path follows existing lines"
        assert edge["color"]["color"] == style.PATH_COLOUR
        assert edge["width"] >= style.PATH_WIDTH
    unmarked = [edge for edge in data["edges"] if not edge["onPath"]]
    assert all(edge["color"]["color"] != style.PATH_COLOUR for edge in unmarked)
    assert data["edges"][-len(marked) :] == marked, "path lines are drawn last, on top"
    assert 'id="pm-path"' in acme_page


def test_path_step_without_a_line_is_still_drawn() -> None:
    account_map = parse_account_map(
        {
            "account": {"id": "a", "name": "A"},
            "team": [{"id": "li", "name": "Li", "role": "AR"}],
            "stakeholders": [
                {"id": "a", "name": "Ann", "level": "staff", "influence": 0.2},
                {"id": "b", "name": "Bob", "level": "executive", "influence": 0.9},
            ],
        }
    )
    data = embedded_data(render_map(account_map, {}, highlight_path=["li", "a", "b"]))
    assert [(edge["kind"], edge["from"], edge["to"]) for edge in data["edges"]] == [
        (PATH_EDGE_KIND, "member:li", "stakeholder:a"),
        (PATH_EDGE_KIND, "stakeholder:a", "stakeholder:b"),
    ]


@pytest.mark.parametrize("path", [["ceo", "cto"], ["li", "nobody"], ["nobody"]])
def test_a_path_naming_unknown_people_is_refused(acme: AccountMap, path: list[str]) -> None:
    with pytest.raises(ValueError, match="highlight_path"):
        render_map(acme, {}, highlight_path=path)


# --- hostile text --------------------------------------------------------------------------------


def test_hostile_names_cannot_close_the_script_or_run(acme: AccountMap) -> None:
    account_map = hostile_map()
    page = render_map(
        account_map, {"s0": 0.5}, highlight_path=["m", "s0", "s1"], title="</title><script>alert('t')</script>"
    )
    assert "</script><script>" not in page
    assert "<script>alert" not in page
    assert "<svg onload" not in page
    assert "<img src=x" not in page
    parsed = parse_page(page)
    assert [tag for tag, _ in parsed.elements].count("script") == 6
    assert len(re.findall(r"</script\s*>", page, re.IGNORECASE)) == 6, "only our own scripts close"
    assert "<!--" not in page
    assert {tag for tag, _ in parsed.elements} <= {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "script",
        "header",
        "div",
        "h1",
        "input",
        "span",
        "main",
        "aside",
        "h2",
        "ul",
        "li",
        "ol",
        "p",
        "select",
        "option",
    }
    assert parsed.text["title"] == "</title><script>alert('t')</script>"

    data = embedded_data(page)
    names = {node["ref"]: node["name"] for node in data["nodes"] if node["kind"] == "stakeholder"}
    assert names == {s.id: s.name for s in account_map.stakeholders}
    subtitles = {node["ref"]: node["subtitle"] for node in data["nodes"] if node["kind"] == "stakeholder"}
    assert subtitles == {s.id: s.title for s in account_map.stakeholders}
    assert data["account"]["name"] == account_map.account.name
    members = [node for node in data["nodes"] if node["kind"] == "member"]
    assert members[0]["name"] == account_map.team[0].name
    for node in data["nodes"]:
        assert node["title"].split("\n")[0] == node["name"], "tooltips carry the raw text, not markup"
    separator = next(node for node in data["nodes"] if node["ref"] == "s5")
    assert separator["name"] == "line\u2028separator\u2029end"
    assert "\u2028" not in page
    assert "\u2029" not in page


def test_the_map_script_never_writes_html() -> None:
    folder = resources.files("powermap.viz").joinpath("assets")
    ours = [
        entry.name for entry in folder.iterdir() if entry.name.startswith("powermap-") and entry.name.endswith(".js")
    ]
    assert {"powermap-map.js", "powermap-boot.js", "powermap-panels.js", "powermap-paths.js"} <= set(ours)
    for name in ours:
        code = folder.joinpath(name).read_text(encoding="utf-8")
        assert not re.search(
            r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function", code
        )
        assert "textContent" in code or name in {"powermap-boot.js", "powermap-paths.js"}


def test_chinese_text_is_kept(acme: AccountMap, acme_page: str) -> None:
    data = embedded_data(acme_page)
    assert any(node["name"] == "陈伟 Chen Wei" for node in data["nodes"])
    assert "华东汽车集团" in parse_page(acme_page).text["h1"]


# --- determinism -------------------------------------------------------------------------------


def test_rendering_is_deterministic(
    acme: AccountMap, acme_powers: dict[str, float], acme_path: list[str], acme_page: str
) -> None:
    shuffled = dict(sorted(acme_powers.items(), reverse=True))
    again = render_map(acme, shuffled, highlight_path=acme_path)
    assert again == acme_page
    assert render_map(acme, acme_powers) == render_map(acme, acme_powers)


def test_an_empty_account_still_renders() -> None:
    account_map = parse_account_map({"account": {"id": "e", "name": "Empty"}})
    data = embedded_data(render_map(account_map, {}))
    assert data["nodes"] == []
    assert data["edges"] == []


def test_missing_or_odd_powers_are_drawn_as_zero_to_one(acme: AccountMap) -> None:
    data = embedded_data(render_map(acme, {"ceo": 7.0, "cio": float("nan")}))
    sizes = {node["ref"]: node["size"] for node in data["nodes"] if node["kind"] == "stakeholder"}
    assert sizes["ceo"] == 50.0
    assert sizes["cio"] == 10.0
    assert sizes["cfo"] == 10.0
