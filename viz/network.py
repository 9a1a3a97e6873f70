"""The network drawn on the map: vis-network nodes and edges of an account, and the layout options.

Nodes are stakeholders (dots, sized by power, coloured by stance), our team members (boxes) and
competitors (diamonds); ids are namespaced by kind (:func:`node_id`) since the contract lets lists
share ids. Edges are the map's four kinds of line, styled by :mod:`powermap.viz.style`; an introduction path
given to :func:`build_network` is drawn last, thick and amber. The nodes and edges are made with
:class:`pyvis.network.Network` (the project's visualisation stack); only its data is used, not its
page template (which pulls Bootstrap and tom-select from CDNs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Final

import networkx as nx
from pyvis.network import Network

from powermap.graph import REPORTING_TIE, build_graph
from powermap.model import AccountMap, EdgeKind, NodeKind, Stakeholder, VoiceCategory
from powermap.viz import style
from powermap.viz.page import FONT_FACE
from powermap.viz.text import label, lines, mass, notes, open_voices, stakeholder_tooltip, unit

_FANS: Final = frozenset({EdgeKind.RELATIONSHIP.value, EdgeKind.COMPETITOR_RELATIONSHIP.value})
#: Kind of the extra edge drawn when two consecutive nodes of a highlighted path have no line.
PATH_EDGE_KIND: Final = "path"


def node_id(kind: NodeKind, raw_id: str) -> str:
    """The id of a node in the page's data: namespaced by kind, as the contract lets lists share ids.

    >>> node_id(NodeKind.MEMBER, "li")
    'member:li'
    """
    return f"{kind.value}:{raw_id}"


def checked_path(account_map: AccountMap, highlight_path: Sequence[str]) -> list[str]:
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


def path_node_id(index: int, raw: str) -> str:
    return node_id(NodeKind.MEMBER if index == 0 else NodeKind.STAKEHOLDER, raw)


def path_name(account_map: AccountMap, index: int, raw: str) -> str:
    nodes = account_map.team if index == 0 else account_map.stakeholders
    return next(node.name for node in nodes if node.id == raw)


class _IdList(list[str]):
    """pyvis's list of node ids, answering ``in`` from a set.

    ``Network.add_node`` and ``add_edge`` test membership in ``node_ids`` (directly and through
    ``get_nodes()``) once per call; on a plain list that is a scan, which made a 5,000-stakeholder map
    take tens of seconds in pyvis alone.
    """

    def __init__(self) -> None:
        super().__init__()
        self._members: set[str] = set()

    def append(self, item: str) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


@dataclass(frozen=True)
class Drawing:
    """How to draw a map beyond its data: the highlighted path, positions, an overview's selection.

    ``positions`` (from :func:`powermap.viz.layout.positions`) fixes every node's place; ``shown`` limits the
    stakeholders drawn (an overview: lines to people not drawn are left out); ``dominated`` are the
    stakeholders a competitor leads on, ringed in the competitors' colour. ``fading`` are our
    relationships (member, stakeholder) untouched for too long (:mod:`powermap.analysis.fading`), drawn
    dashed and washed out; ``today`` is the day their hover cards count "days ago" to (none: no count).
    """

    path: Sequence[str] = ()
    positions: Mapping[tuple[NodeKind, str], tuple[float, float]] | None = None
    shown: set[str] | None = None
    dominated: set[str] = field(default_factory=set)
    fading: frozenset[tuple[str, str]] = frozenset()
    today: dt.date | None = None


def build_network(
    account_map: AccountMap,
    powers: Mapping[str, float],
    path: Sequence[str] = (),
    *,
    drawing: Drawing | None = None,
    graph: nx.DiGraph[str] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The vis-network nodes and edges of the map, ``path`` (checked by :func:`checked_path`) highlighted."""
    drawing = drawing or Drawing(path=path)
    path = drawing.path or path
    graph = graph if graph is not None else build_graph(account_map)
    on_path = {path_node_id(index, raw) for index, raw in enumerate(path)}
    net = Network(directed=True)
    net.node_ids = _IdList()  # pyvis checks ids by list scans: quadratic on big maps
    member_names = {member.id: member.name for member in account_map.team}
    competitor_names = {competitor.id: competitor.name for competitor in account_map.competitors}

    def place(kind: NodeKind, raw: str) -> dict[str, Any]:
        return node_place(drawing, kind, raw)

    for stakeholder in account_map.stakeholders:
        if drawing.shown is not None and stakeholder.id not in drawing.shown:
            continue
        vis_id = node_id(NodeKind.STAKEHOLDER, stakeholder.id)
        colour = style.STANCE_COLOURS[stakeholder.stance]
        dominated = stakeholder.id in drawing.dominated
        pains = sum(1 for v in open_voices(graph, stakeholder.id) if v.category == VoiceCategory.PAIN)
        net.add_node(
            vis_id,
            label=label(stakeholder.name) + (f" {style.PAIN_MARK}" if pains else ""),
            mass=mass(stakeholder.name),
            shape=style.STAKEHOLDER_SHAPE,
            **power_fields(stakeholder, powers, drawing, graph, member_names, competitor_names),
            **_node_look(colour, vis_id in on_path, dominated=dominated),
            **place(NodeKind.STAKEHOLDER, stakeholder.id),
            kind=NodeKind.STAKEHOLDER.value,
            ref=stakeholder.id,
            name=stakeholder.name,
            subtitle=stakeholder.title,
            department=stakeholder.department,
            level=stakeholder.level.value,
            role=stakeholder.decision_role.value,
            stance=stakeholder.stance.value,
            dominated=dominated,
            openPains=pains,
            onPath=vis_id in on_path,
        )
    for member in account_map.team:
        vis_id = node_id(NodeKind.MEMBER, member.id)
        rows = [member.name, member.title, f"Our team · {member.role.value}", f"Level: {member.level.value}"]
        net.add_node(
            vis_id,
            label=label(member.name),
            mass=mass(member.name),
            shape=style.MEMBER_SHAPE,
            title=lines(rows),
            **_node_look(style.MEMBER_COLOUR, vis_id in on_path, label_inside=True),
            **place(NodeKind.MEMBER, member.id),
            kind=NodeKind.MEMBER.value,
            ref=member.id,
            name=member.name,
            subtitle=member.title,
            level=member.level.value,
            role=member.role.value,
            onPath=vis_id in on_path,
        )
    for competitor in account_map.competitors:
        vis_id = node_id(NodeKind.COMPETITOR, competitor.id)
        rows = [competitor.name, "Competitor", notes(competitor.notes)]
        net.add_node(
            vis_id,
            label=label(competitor.name),
            mass=mass(competitor.name),
            shape=style.COMPETITOR_SHAPE,
            size=style.COMPETITOR_SIZE,
            title=lines(rows),
            **_node_look(style.COMPETITOR_COLOUR, False),
            **place(NodeKind.COMPETITOR, competitor.id),
            kind=NodeKind.COMPETITOR.value,
            ref=competitor.id,
            name=competitor.name,
            subtitle="",
            onPath=False,
        )

    drawn = set(net.get_nodes())
    for edge in _edges(account_map, path, member_names, competitor_names, drawing):
        source, target = edge.pop("from"), edge.pop("to")
        if drawing.shown is None or (source in drawn and target in drawn):
            # On a big map our and competitors' relationships would cover everything in fans from
            # a handful of nodes: they are drawn when a person is clicked or a path highlighted.
            if drawing.positions is not None and edge["kind"] in _FANS and not edge["onPath"]:
                edge["hidden"] = True
            elif drawing.positions is not None and not edge["onPath"]:
                # Thousands of full-strength lines would paint the zoomed-in map solid: thin and
                # translucent until a click on a person spotlights theirs.
                edge["width"] = min(edge["width"], style.BIG_MAP_EDGE_WIDTH)
                edge["color"]["opacity"] = style.BIG_MAP_EDGE_OPACITY
            net.add_edge(source, target, **edge)
    nodes, edges, *_ = net.get_network_data()
    return nodes, edges


def power_fields(
    stakeholder: Stakeholder,
    powers: Mapping[str, float],
    drawing: Drawing,
    graph: nx.DiGraph[str],
    member_names: Mapping[str, str],
    competitor_names: Mapping[str, str],
    *,
    card: str | None = None,
) -> dict[str, Any]:
    """What a stakeholder's node draws from their power: the dot's size, the hover card and the number.

    An edit of one person's influence or of a line moves everyone's power a little: these are the only
    fields of the others' nodes that change then (with their place), see :mod:`powermap.viz.incremental`.
    ``card``: the person's hover card, when the caller knows it is unchanged (the same person, ties and
    :func:`~powermap.viz.text.power_text`), to spare building it again.
    """
    power = unit(powers.get(stakeholder.id, 0.0))
    return {
        "size": _dot_size(power, positioned=drawing.positions is not None),
        "title": card
        if card is not None
        else stakeholder_tooltip(stakeholder, power, graph, member_names, competitor_names, drawing.today),
        "power": round(power, 4),
    }


def node_place(drawing: Drawing, kind: NodeKind, raw: str) -> dict[str, Any]:
    """A node's ``x`` and ``y`` when the drawing fixes positions (else nothing: the page lays it out)."""
    if drawing.positions is None:
        return {}
    x, y = drawing.positions[(kind, raw)]
    return {"x": x, "y": y}


def _edges(
    account_map: AccountMap,
    path: Sequence[str],
    member_names: Mapping[str, str],
    competitor_names: Mapping[str, str],
    drawing: Drawing,
) -> list[dict[str, Any]]:
    """Every line of the map as vis edge options; the path's lines last, in path order (drawn on top).

    A line on the path has ``onPath`` true and ``pathStep`` its step (0 from the team member);
    every other line has ``pathStep`` null. With ``drawing.shown`` (an overview), only lines whose
    stakeholders are all shown. Our relationships carry ``fading`` (drawn dashed and washed out).
    """
    shown = drawing.shown
    names = {stakeholder.id: stakeholder.name for stakeholder in account_map.stakeholders}
    on_path = _path_lines(account_map, path)
    edges: list[dict[str, Any]] = []
    seen_pairs: dict[frozenset[str], int] = {}

    def add(
        kind: EdgeKind, index: int, source: str, target: str, *, weight: float, text: list[str], fading: bool = False
    ) -> None:
        if shown is not None and (
            target not in shown or (kind.source_kind is NodeKind.STAKEHOLDER and source not in shown)
        ):
            return
        look = style.EDGE_STYLES[kind]
        if fading:
            look = look._replace(colour=style.FADING_COLOUR)
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
                "weight": weight if kind is not EdgeKind.REPORTS_TO else None,
                "onPath": marked,
                "pathStep": step,
                "title": lines([*text, "On the introduction path" if marked else ""]),
                "width": round(max(width, style.PATH_WIDTH) if marked else width, 2),
                "color": _edge_colour(style.PATH_COLOUR if marked else look.colour),
                "dashes": False if marked else list(style.FADING_DASHES) if fading else look.dashes,
                "arrows": _arrows(look.arrow),
                "shadow": marked,
                "fading": fading,
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
        fading = (rel.source, rel.target) in drawing.fading
        add(
            EdgeKind.RELATIONSHIP,
            index,
            rel.source,
            rel.target,
            weight=rel.strength,
            text=[
                f"{member_names[rel.source]} → {names[rel.target]}",
                f"Our relationship, strength {rel.strength:.2f}",
                last_contact(rel.last_contact, drawing.today, fading=fading),
            ],
            fading=fading,
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
                "weight": None,
                "onPath": True,
                "pathStep": position,
                "title": lines([f"{source_name} → {names[target]}", "Introduction step (no line in this map)"]),
                "width": style.PATH_WIDTH,
                "color": _edge_colour(style.PATH_COLOUR),
                "dashes": True,
                "arrows": _arrows(True),
                "shadow": True,
            }
        )
    return sorted(edges, key=lambda edge: -1 if edge["pathStep"] is None else int(edge["pathStep"]))


def last_contact(when: dt.date | None, today: dt.date | None, *, fading: bool = False) -> str:
    """The hover card's line on a relationship's last contact, with how long ago when the day is known.

    >>> last_contact(dt.date(2026, 3, 1), dt.date(2026, 11, 27), fading=True)
    'Fading: last contact 2026-03-01, 271 days ago'
    >>> last_contact(dt.date(2026, 11, 26), dt.date(2026, 11, 27)), last_contact(None, None)
    ('Last contact 2026-11-26, 1 day ago', '')
    """
    if when is None:  # unknown: not called fading, and the card says nothing rather than guess
        return ""
    text = f"last contact {when.isoformat()}"
    if today is not None:
        days = (today - when).days
        text += f", {days} day{'' if days == 1 else 's'} ago"
    return "Fading: " + text if fading else text[0].upper() + text[1:]


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


def _dot_size(power: float, *, positioned: bool) -> float:
    """A stakeholder's dot radius by power, in half pixels; in a map laid out in cells, small enough to fit one.

    Half a pixel of radius is the finest difference a canvas shows; an edit that moves everyone's power
    a little then changes (and the page redraws) only the dots that visibly grow or shrink.

    >>> _dot_size(0.5, positioned=False), _dot_size(0.506, positioned=False), _dot_size(0.51, positioned=False)
    (30.0, 30.0, 30.5)
    """
    if positioned:
        base, per_power = style.BIG_MAP_SIZE_BASE, style.BIG_MAP_SIZE_PER_POWER
    else:
        base, per_power = style.SIZE_BASE, style.SIZE_PER_POWER
    return round((base + per_power * power) * 2) / 2


def _node_look(
    colour: style.NodeColour, on_path: bool, *, label_inside: bool = False, dominated: bool = False
) -> dict[str, Any]:
    """Colours, border and font of a node; a label drawn outside the shape gets a white halo.

    A person a competitor leads on gets a thick dashed ring in the competitors' colour (the path's
    amber wins when they are on the highlighted path).
    """
    border = style.PATH_COLOUR if on_path else style.DOMINATED_BORDER if dominated else colour.border
    ring = {"shapeProperties": {"borderDashes": list(style.DOMINATED_DASHES)}} if dominated and not on_path else {}
    return {
        **ring,
        "color": {
            "background": colour.background,
            "border": border,
            "highlight": {"background": colour.background, "border": "#000000"},
            "hover": {"background": colour.background, "border": "#000000"},
        },
        "borderWidth": style.PATH_BORDER_WIDTH if on_path else style.DOMINATED_BORDER_WIDTH if dominated else 2,
        "borderWidthSelected": style.PATH_BORDER_WIDTH if on_path else 4,
        "font": {
            "color": colour.font,
            "size": style.LABEL_SIZE,
            "face": FONT_FACE,
            "strokeWidth": 0 if label_inside else 4,
            "strokeColor": "#ffffff",
        },
        "shadow": on_path,
    }


def _edge_colour(colour: str) -> dict[str, Any]:
    return {"color": colour, "highlight": colour, "hover": colour, "inherit": False, "opacity": 1.0}


def _arrows(enabled: bool) -> dict[str, Any]:
    return {"to": {"enabled": enabled, "scaleFactor": 0.6}}


def vis_options(*, positioned: bool = False) -> dict[str, Any]:
    """vis-network options: a seeded, stabilised force layout that the page freezes afterwards.

    A ``positioned`` map (positions computed on the server) is drawn with physics off, edges hidden
    while dragging, and labels drawn only once they are large enough on screen to read, so they appear
    as the user zooms in.
    """
    if positioned:
        return {
            "autoResize": True,
            "height": "100%",
            "width": "100%",
            "layout": {"improvedLayout": False},
            "physics": {"enabled": False},
            "interaction": {
                "hover": True,
                "tooltipDelay": 150,
                "hideEdgesOnDrag": True,
                "navigationButtons": False,
                "keyboard": False,
                "multiselect": False,
            },
            "nodes": {"font": {"face": FONT_FACE}, "scaling": {"label": {"drawThreshold": style.LABEL_DRAW_THRESHOLD}}},
            "edges": {"smooth": {"enabled": False}, "selectionWidth": 2, "hoverWidth": 1},
        }
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
        "nodes": {"font": {"face": FONT_FACE}},
        "edges": {"smooth": {"enabled": False}, "selectionWidth": 2, "hoverWidth": 1},
    }
