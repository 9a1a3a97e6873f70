"""The war-room map: one self-contained, offline HTML file of an account's power map.

How the page is made
--------------------
The nodes and edges are built with :class:`pyvis.network.Network` (the project's visualisation
stack); the page around them is our own Jinja template (``viz/templates/map.html``), not pyvis's,
because pyvis's template pulls Bootstrap and tom-select from CDNs. vis-network 9.1.2, the copy that
ships inside pyvis, is vendored in ``viz/assets/`` and inlined, so the file loads nothing from the
network and works from ``file://`` on a projector with no connection.

How user text stays data
------------------------
Names, titles and notes are any Unicode and may look like markup (``<script>``, ``</script>``,
quotes). They reach the page by three roads, each safe on its own:

* the network data is one JSON document in ``<script type="application/json">`` (never executed),
  with ``<``, ``>``, ``&`` and U+2028/U+2029 written as ``\\uXXXX`` escapes, so no name can close
  the element; the page's script reads it with ``JSON.parse``;
* vis-network draws labels on a canvas (pixels, never parsed), and would treat a *string* tooltip as
  HTML in some versions, so tooltips travel as plain text and the page's script turns each into a
  DOM element whose lines are set with ``textContent``;
* text in the page itself (title, legend, path) goes through Jinja's autoescaping.

On top of that the page carries a Content-Security-Policy that allows only its own inline scripts
(by SHA-256 hash), no inline event handlers and no network fetch of any kind: even a bug in the
above could neither run an injected handler nor phone home.

Layout
------
Physics (forceAtlas2) runs for a fixed number of stabilisation iterations from a fixed random seed,
then the page switches physics off, so the map is the same on every projector and stops moving.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any, Final

import jinja2
import networkx as nx
from markupsafe import Markup
from pyvis.network import Network

from powermap.graph import REPORTING_TIE, build_graph, our_strength, strongest_competitor
from powermap.model import AccountMap, EdgeKind, NodeKind, Stakeholder
from viz import style

#: Kind of the extra edge drawn when two consecutive nodes of a highlighted path have no line.
PATH_EDGE_KIND: Final = "path"
#: Id of the ``<script type="application/json">`` element holding the network data.
DATA_ELEMENT_ID: Final = "powermap-data"

_VIS_JS: Final = "vis-network.min.js"
_VIS_CSS: Final = "vis-network.css"
_BOOT_JS: Final = "powermap-boot.js"
_APP_JS: Final = "powermap-map.js"
_FONT_FACE: Final = (
    'system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", '
    '"WenQuanYi Micro Hei", sans-serif'
)
_NOTES_MAX: Final = 400


def node_id(kind: NodeKind, raw_id: str) -> str:
    """The id of a node in the page's data: namespaced by kind, as the contract lets lists share ids.

    >>> node_id(NodeKind.MEMBER, "li")
    'member:li'
    """
    return f"{kind.value}:{raw_id}"


def render_map(
    account_map: AccountMap,
    powers: Mapping[str, float],
    *,
    highlight_path: Sequence[str] = (),
    title: str | None = None,
) -> str:
    """Return one self-contained HTML document (str) of the account's power map.

    ``powers`` maps stakeholder ids to power in [0, 1] (see :mod:`powermap.analysis.power`); a
    stakeholder missing from it is drawn with power 0. ``highlight_path`` is an introduction path
    ``[member_id, stakeholder_id, ..., target_id]``: its nodes get a thick amber border and the lines
    between consecutive ones turn thick and amber. A path naming an unknown member or stakeholder is
    refused with :class:`ValueError`.

    The output depends only on the arguments: rendering twice gives the same string.
    """
    path = _checked_path(account_map, highlight_path)
    network = _build_network(account_map, powers, path)
    nodes, edges, *_ = network.get_network_data()
    payload = {
        "account": {"id": account_map.account.id, "name": account_map.account.name},
        "nodes": nodes,
        "edges": edges,
        "options": _vis_options(),
        "path": [_path_node_id(index, raw) for index, raw in enumerate(path)],
    }
    assets = _assets()
    scripts = (assets[_BOOT_JS], assets[_VIS_JS], assets[_APP_JS])
    heading = title if title is not None else f"{account_map.account.name} — power map"
    page: str = (
        _environment()
        .get_template("map.html")
        .render(
            page_title=_clean(heading),
            heading=_clean(heading),
            account=account_map.account,
            show_account=title is not None,
            counts=(len(account_map.stakeholders), len(account_map.team), len(account_map.competitors)),
            stance_legend=[(style.STANCE_LABELS[stance], colour) for stance, colour in style.STANCE_COLOURS.items()],
            edge_legend=list(style.EDGE_STYLES.values()),
            style=style,
            path_names=[_clean(_path_name(account_map, index, raw)) for index, raw in enumerate(path)],
            top_power=_top_power(account_map, powers),
            csp=_content_security_policy(scripts),
            # Raw text below is checked by _assets() (no closing tag inside) or escaped by _script_json.
            vis_css=Markup(assets[_VIS_CSS]),  # noqa: S704
            boot_js=Markup(assets[_BOOT_JS]),  # noqa: S704
            vis_js=Markup(assets[_VIS_JS]),  # noqa: S704
            app_js=Markup(assets[_APP_JS]),  # noqa: S704
            data_json=Markup(_script_json(payload)),  # noqa: S704
            data_element_id=DATA_ELEMENT_ID,
        )
    )
    return page


# --- the network ---------------------------------------------------------------------------------


def _checked_path(account_map: AccountMap, highlight_path: Sequence[str]) -> list[str]:
    path = list(highlight_path)
    if not path:
        return path
    members = {member.id for member in account_map.team}
    stakeholders = {stakeholder.id for stakeholder in account_map.stakeholders}
    account = account_map.account.id
    if path[0] not in members:
        raise ValueError(f"highlight_path[0]: no team member of account {account!r} has id {path[0]!r}")
    for index, raw in enumerate(path[1:], start=1):
        if raw not in stakeholders:
            raise ValueError(f"highlight_path[{index}]: no stakeholder of account {account!r} has id {raw!r}")
    return path


def _path_node_id(index: int, raw: str) -> str:
    return node_id(NodeKind.MEMBER if index == 0 else NodeKind.STAKEHOLDER, raw)


def _path_name(account_map: AccountMap, index: int, raw: str) -> str:
    nodes = account_map.team if index == 0 else account_map.stakeholders
    return next(node.name for node in nodes if node.id == raw)


def _build_network(account_map: AccountMap, powers: Mapping[str, float], path: Sequence[str]) -> Any:
    graph = build_graph(account_map)
    on_path = {_path_node_id(index, raw) for index, raw in enumerate(path)}
    net = Network(directed=True)
    member_names = {member.id: member.name for member in account_map.team}
    competitor_names = {competitor.id: competitor.name for competitor in account_map.competitors}

    for stakeholder in account_map.stakeholders:
        vis_id = node_id(NodeKind.STAKEHOLDER, stakeholder.id)
        power = _unit(powers.get(stakeholder.id, 0.0))
        colour = style.STANCE_COLOURS[stakeholder.stance]
        net.add_node(
            vis_id,
            label=_label(stakeholder.name),
            mass=_mass(stakeholder.name),
            shape=style.STAKEHOLDER_SHAPE,
            size=round(style.SIZE_BASE + style.SIZE_PER_POWER * power, 2),
            title=_stakeholder_tooltip(stakeholder, power, graph, member_names, competitor_names),
            **_node_look(colour, vis_id in on_path),
            kind=NodeKind.STAKEHOLDER.value,
            ref=stakeholder.id,
            name=stakeholder.name,
            subtitle=stakeholder.title,
            stance=stakeholder.stance.value,
            power=round(power, 4),
            onPath=vis_id in on_path,
        )
    for member in account_map.team:
        vis_id = node_id(NodeKind.MEMBER, member.id)
        lines = [member.name, member.title, f"Our team · {member.role.value}", f"Level: {member.level.value}"]
        net.add_node(
            vis_id,
            label=_label(member.name),
            mass=_mass(member.name),
            shape=style.MEMBER_SHAPE,
            title=_lines(lines),
            **_node_look(style.MEMBER_COLOUR, vis_id in on_path, label_inside=True),
            kind=NodeKind.MEMBER.value,
            ref=member.id,
            name=member.name,
            subtitle=member.title,
            onPath=vis_id in on_path,
        )
    for competitor in account_map.competitors:
        vis_id = node_id(NodeKind.COMPETITOR, competitor.id)
        lines = [competitor.name, "Competitor", _notes(competitor.notes)]
        net.add_node(
            vis_id,
            label=_label(competitor.name),
            mass=_mass(competitor.name),
            shape=style.COMPETITOR_SHAPE,
            size=style.COMPETITOR_SIZE,
            title=_lines(lines),
            **_node_look(style.COMPETITOR_COLOUR, False),
            kind=NodeKind.COMPETITOR.value,
            ref=competitor.id,
            name=competitor.name,
            subtitle="",
            onPath=False,
        )

    for edge in _edges(account_map, path, member_names, competitor_names):
        source, target = edge.pop("from"), edge.pop("to")
        net.add_edge(source, target, **edge)
    return net


def _edges(
    account_map: AccountMap,
    path: Sequence[str],
    member_names: Mapping[str, str],
    competitor_names: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Every line of the map as vis edge options; the path's lines last, in path order (drawn on top).

    A line on the path has ``onPath`` true and ``pathStep`` its step (0 from the team member);
    every other line has ``pathStep`` null.
    """
    names = {stakeholder.id: stakeholder.name for stakeholder in account_map.stakeholders}
    on_path = _path_lines(account_map, path)
    edges: list[dict[str, Any]] = []
    seen_pairs: dict[frozenset[str], int] = {}

    def add(kind: EdgeKind, index: int, source: str, target: str, *, weight: float, text: list[str]) -> None:
        look = style.EDGE_STYLES[kind]
        marked = (kind, index) in on_path
        step = on_path.index((kind, index)) if marked else None
        curve = 0
        if kind.source_kind is NodeKind.STAKEHOLDER:  # a second line between two people curves aside
            pair = frozenset((source, target))
            curve = seen_pairs.get(pair, 0)
            seen_pairs[pair] = curve + 1
        width = look.base_width + look.per_unit * weight
        edges.append(
            {
                "id": f"{kind.value}:{index}",
                "from": node_id(kind.source_kind, source),
                "to": node_id(kind.target_kind, target),
                "kind": kind.value,
                "onPath": marked,
                "pathStep": step,
                "title": _lines([*text, "On the introduction path" if marked else ""]),
                "width": round(max(width, style.PATH_WIDTH) if marked else width, 2),
                "color": _edge_colour(style.PATH_COLOUR if marked else look.colour),
                "dashes": look.dashes and not marked,
                "arrows": _arrows(look.arrow),
                "shadow": marked,
                **({"smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.3 * curve}} if curve else {}),
            }
        )

    for index, line in enumerate(account_map.reports_to):
        add(
            EdgeKind.REPORTS_TO,
            index,
            line.source,
            line.target,
            weight=0.0,
            text=[f"{names[line.source]} reports to {names[line.target]}"],
        )
    for index, influence in enumerate(account_map.influences):
        add(
            EdgeKind.INFLUENCES,
            index,
            influence.source,
            influence.target,
            weight=influence.weight,
            text=[f"{names[influence.source]} influences {names[influence.target]}", f"Weight: {influence.weight:.2f}"],
        )
    for index, rel in enumerate(account_map.relationships):
        contact = f"Last contact: {rel.last_contact.isoformat()}" if rel.last_contact else ""
        add(
            EdgeKind.RELATIONSHIP,
            index,
            rel.source,
            rel.target,
            weight=rel.strength,
            text=[
                f"{member_names[rel.source]} → {names[rel.target]}",
                f"Our relationship, strength {rel.strength:.2f}",
                contact,
            ],
        )
    for index, crel in enumerate(account_map.competitor_relationships):
        add(
            EdgeKind.COMPETITOR_RELATIONSHIP,
            index,
            crel.source,
            crel.target,
            weight=crel.strength,
            text=[
                f"{competitor_names[crel.source]} → {names[crel.target]}",
                f"Competitor relationship, strength {crel.strength:.2f}",
            ],
        )

    # A path computed on other data may step where this map has no line: draw that step on its own.
    missing = [(position, line) for position, line in enumerate(on_path) if line[0] == PATH_EDGE_KIND]
    for index, (position, (_, source, target, source_kind)) in enumerate(missing):
        source_name = member_names[source] if source_kind == NodeKind.MEMBER.value else names[source]
        edges.append(
            {
                "id": f"{PATH_EDGE_KIND}:{index}",
                "from": node_id(NodeKind(source_kind), source),
                "to": node_id(NodeKind.STAKEHOLDER, target),
                "kind": PATH_EDGE_KIND,
                "onPath": True,
                "pathStep": position,
                "title": _lines([f"{source_name} → {names[target]}", "Introduction step (no line in this map)"]),
                "width": style.PATH_WIDTH,
                "color": _edge_colour(style.PATH_COLOUR),
                "dashes": True,
                "arrows": _arrows(True),
                "shadow": True,
            }
        )
    return sorted(edges, key=lambda edge: -1 if edge["pathStep"] is None else int(edge["pathStep"]))


def _path_lines(account_map: AccountMap, path: Sequence[str]) -> list[tuple[Any, ...]]:
    """The one line drawn for each step of the path, as ``(kind, index)`` into the map's lists.

    The first step is the member's relationship; each further step is the line that gives the tie
    its strength by the contract (the heaviest influence either way, or the reporting line at 0.5),
    ties going to an influence line, then to the line pointing along the path. A step with no line
    at all becomes ``("path", source, target, source_kind)``.
    """
    chosen: list[tuple[Any, ...]] = []
    if len(path) > 1:
        member, first = path[0], path[1]
        found = [
            (EdgeKind.RELATIONSHIP, index)
            for index, rel in enumerate(account_map.relationships)
            if (rel.source, rel.target) == (member, first)
        ]
        chosen += found or [(PATH_EDGE_KIND, member, first, NodeKind.MEMBER.value)]
    for a, b in pairwise(path[1:]):
        candidates: list[tuple[tuple[float, int, int], tuple[Any, ...]]] = []
        for index, line in enumerate(account_map.reports_to):
            if {line.source, line.target} == {a, b}:
                candidates.append(((REPORTING_TIE, 0, int(line.source == a)), (EdgeKind.REPORTS_TO, index)))
        for index, influence in enumerate(account_map.influences):
            if {influence.source, influence.target} == {a, b}:
                rank = (influence.weight, 1, int(influence.source == a))
                candidates.append((rank, (EdgeKind.INFLUENCES, index)))
        best = max(candidates, default=None, key=lambda candidate: candidate[0])
        chosen.append(best[1] if best else (PATH_EDGE_KIND, a, b, NodeKind.STAKEHOLDER.value))
    return chosen


def _node_look(colour: style.NodeColour, on_path: bool, *, label_inside: bool = False) -> dict[str, Any]:
    """Colours, border and font of a node; a label drawn outside the shape gets a white halo."""
    border = style.PATH_COLOUR if on_path else colour.border
    return {
        "color": {
            "background": colour.background,
            "border": border,
            "highlight": {"background": colour.background, "border": "#000000"},
            "hover": {"background": colour.background, "border": "#000000"},
        },
        "borderWidth": style.PATH_BORDER_WIDTH if on_path else 2,
        "borderWidthSelected": style.PATH_BORDER_WIDTH if on_path else 4,
        "font": {
            "color": colour.font,
            "size": style.LABEL_SIZE,
            "face": _FONT_FACE,
            "strokeWidth": 0 if label_inside else 4,
            "strokeColor": "#ffffff",
        },
        "shadow": on_path,
    }


def _edge_colour(colour: str) -> dict[str, Any]:
    return {"color": colour, "highlight": colour, "hover": colour, "inherit": False, "opacity": 1.0}


def _arrows(enabled: bool) -> dict[str, Any]:
    return {"to": {"enabled": enabled, "scaleFactor": 0.6}}


def _vis_options() -> dict[str, Any]:
    """vis-network options: a seeded, stabilised force layout that the page freezes afterwards."""
    return {
        "autoResize": True,
        "height": "100%",
        "width": "100%",
        "layout": {"randomSeed": 7, "improvedLayout": True},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -90,
                "centralGravity": 0.015,
                "springLength": 110,
                "springConstant": 0.05,
                "damping": 0.5,
                "avoidOverlap": 0.9,
            },
            "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 50, "fit": True},
            "minVelocity": 0.75,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
        },
        "nodes": {"font": {"face": _FONT_FACE}},
        "edges": {"smooth": {"enabled": False}, "selectionWidth": 2, "hoverWidth": 1},
    }


# --- text ----------------------------------------------------------------------------------------


def _stakeholder_tooltip(
    stakeholder: Stakeholder,
    power: float,
    graph: nx.DiGraph[str],
    member_names: Mapping[str, str],
    competitor_names: Mapping[str, str],
) -> str:
    ours = graph.nodes[stakeholder.id]["ours"]
    our = our_strength(graph, stakeholder.id)
    best_member = min(ours, key=lambda member: (-ours[member], member)) if ours else None
    rival, theirs = strongest_competitor(graph, stakeholder.id)
    return _lines(
        [
            stakeholder.name,
            stakeholder.title,
            f"Department: {stakeholder.department}" if stakeholder.department else "",
            f"Level: {stakeholder.level.value}",
            f"Decision role: {stakeholder.decision_role.value.replace('_', ' ')}",
            f"Influence: {stakeholder.influence:.2f}",
            f"Stance: {stakeholder.stance.value}",
            f"Power: {power:.2f}",
            f"Our strength: {our:.2f} ({member_names[best_member]})"
            if best_member
            else "Our strength: 0 (not reached)",
            f"Strongest competitor: {competitor_names[rival]} {theirs:.2f}" if rival else "Strongest competitor: none",
            _notes(stakeholder.notes),
        ]
    )


def _notes(notes: str) -> str:
    notes = " ".join(notes.split())
    if not notes:
        return ""
    return "Notes: " + (notes if len(notes) <= _NOTES_MAX else notes[: _NOTES_MAX - 1] + "…")


def _lines(lines: Sequence[str]) -> str:
    """Plain-text tooltip: non-empty lines, the first one the heading (the page bolds it)."""
    return _clean("\n".join(line.replace("\n", " ") for line in lines if line))


def _label(name: str) -> str:
    name = _clean(" ".join(name.split()))
    return name if len(name) <= style.LABEL_MAX else name[: style.LABEL_MAX - 1] + "…"


def _mass(name: str) -> float:
    """Repulsion weight of a node: long labels push neighbours further, so labels overlap less."""
    return round(1.0 + len(_label(name)) / 16, 2)


def _clean(text: str) -> str:
    """Text that encodes as UTF-8: a lone surrogate (possible in a Python str) becomes "?"."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _unit(value: float) -> float:
    return min(max(float(value), 0.0), 1.0) if math.isfinite(value) else 0.0


def _top_power(account_map: AccountMap, powers: Mapping[str, float], count: int = 5) -> list[dict[str, str]]:
    ranked = sorted(account_map.stakeholders, key=lambda s: (-_unit(powers.get(s.id, 0.0)), s.id))[:count]
    return [
        {
            "name": _clean(s.name),
            "power": f"{_unit(powers.get(s.id, 0.0)):.2f}",
            "colour": style.STANCE_COLOURS[s.stance].background,
            "stance": style.STANCE_LABELS[s.stance],
        }
        for s in ranked
    ]


# --- the page ------------------------------------------------------------------------------------


def _script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: nothing in it can end the element or the line.

    >>> print(_script_json({"name": "</script><b>&\\u2028"}))
    {"name":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028"}
    """
    text = json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _content_security_policy(scripts: Sequence[str]) -> str:
    """Only these inline scripts may run; nothing may be fetched (images and fonts only as data:)."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"
        for script in scripts
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data: blob:; "
        "font-src data:; base-uri 'none'; form-action 'none'"
    )


@cache
def _assets() -> dict[str, str]:
    """The vendored and own assets, line endings normalised as an HTML parser would (for the hashes)."""
    folder = resources.files("viz").joinpath("assets")
    assets: dict[str, str] = {}
    for name, closing in ((_VIS_JS, "</script"), (_BOOT_JS, "</script"), (_APP_JS, "</script"), (_VIS_CSS, "</style")):
        text = folder.joinpath(name).read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
        if closing in text.lower() or "<!--" in text:
            raise RuntimeError(f"viz asset {name} cannot be inlined: it contains {closing!r} or '<!--'")
        assets[name] = text
    return assets


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("viz", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
