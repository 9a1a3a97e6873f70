"""Draw the next revision of a map from the last one: recompute only what the change touched.

The web app asks for an account's page data after every write. From scratch that is the analyses
behind the panels, every node's and line's look and hover card, and the layout: most of a second at
1,000 stakeholders, for an edit of one person. A :class:`DrawingMemo` (one per account, kept by the
server) remembers the last revisions' pieces and reuses those whose inputs did not change:

* **the analyses** (power, forecast, coverage, gaps, the ties, who a competitor leads on) read the
  graph but never a name, title, department or note: they are kept by an :func:`analysis_key`, the
  graph without those labels, so renaming or retitling someone keeps them;
* **the lines** (most of the drawing: about five per stakeholder) depend on the map's line lists,
  the nodes' names, the team, the competitors and how the map is drawn (path, overview, fading,
  the day): when none of these changed, the last revision's lines are reused and only the nodes are
  drawn again.

Nothing here changes *what* is drawn: :func:`powermap.viz.map_data` with a memo returns exactly
what it returns without one (the tests compare the two over random edits). The layout is computed
afresh for every revision (a few milliseconds; it depends on the map alone, so the same map always
gives the same picture) and only the nodes it moved are sent to the page (:func:`data_delta`).
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import networkx as nx

from powermap.model import AccountMap, NodeKind, Stakeholder
from powermap.viz.network import Drawing, build_network, node_id, node_place, power_fields
from powermap.viz.text import power_text, unit

_T = TypeVar("_T")
#: Node (and team member) attributes that label a person and weigh nothing in the panels' analyses.
LABELS: Final = frozenset({"name", "title", "department", "notes"})
#: Results kept per account (a few analysis keys: the current one and the last few).
KEPT: Final = 8
_LINES: Final = ("reports_to", "influences", "relationships", "competitor_relationships")


class AnalysisKey:
    """Everything an analysis of the panels can read in a map (its labels left out), as canonical JSON.

    Two keys are equal exactly when the maps are equal but for labels: the JSON of a contract model
    is a one-to-one writing of its fields (fixed types and order). Bytes compare in one ``memcmp``;
    comparing the models field by field took tens of milliseconds a lookup at 1,000 stakeholders.
    """

    __slots__ = ("_hash", "_value")

    def __init__(self, value: bytes) -> None:
        self._value = value
        self._hash = hash(value)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AnalysisKey) and self._hash == other._hash and self._value == other._value


#: What :func:`analysis_key` leaves out: the account's record, people's labels, competitors' names and notes.
_UNLABELLED: Final[dict[str, Any]] = {
    "account": True,
    "stakeholders": {"__all__": set(LABELS)},
    "team": {"__all__": set(LABELS)},
    "competitors": {"__all__": {"name", "notes"}},
}


def analysis_key(account_map: AccountMap) -> AnalysisKey:
    """The map without its labels: two maps with the same key give the panels the same analyses.

    Everything the graph (:func:`powermap.graph.build_graph`) is made of counts, in its order (an
    analysis may break ties by it), except the people's names, titles, departments and notes and the
    competitors' names and notes.

    >>> from powermap.model import parse_account_map
    >>> def one(**fields):
    ...     return parse_account_map({"account": {"id": "a", "name": "A"}, "stakeholders": [
    ...         {"id": "x", "name": "Chen", "level": "senior", "influence": 0.5, **fields}]})
    >>> analysis_key(one()) == analysis_key(one(name="Chén", title="CTO", department="IT"))
    True
    >>> analysis_key(one()) == analysis_key(one(influence=0.6))
    False
    """
    body = account_map.model_dump_json(exclude=_UNLABELLED).encode()
    return AnalysisKey(account_map.account.id.encode() + b"\n" + body)


def _blank(drawing: Drawing) -> Drawing:
    """The drawing without what is particular to each node (its place, whether a competitor leads on it)."""
    return dataclasses.replace(drawing, positions={} if drawing.positions is not None else None, dominated=set())


def _line_inputs(account_map: AccountMap, drawing: Drawing) -> tuple[Any, ...]:
    """What the lines are drawn from: the map's lines, everyone's names, the drawing but the nodes' places."""
    return (
        *(getattr(account_map, name) for name in _LINES),
        account_map.team,
        account_map.competitors,
        [(person.id, person.name) for person in account_map.stakeholders],
        _blank(drawing),
    )


def _node_context(account_map: AccountMap, drawing: Drawing) -> tuple[Any, ...]:
    """What every stakeholder's node may show besides its own inputs (names of our people, voices, ...)."""
    return (account_map.account, account_map.team, account_map.competitors, account_map.voices, _blank(drawing))


def _node_inputs(
    person: Stakeholder, powers: Mapping[str, float], drawing: Drawing, graph: nx.DiGraph[str]
) -> tuple[Any, ...]:
    """What one stakeholder's node is drawn from: the person, power, place, mark and ties to us and rivals."""
    place = drawing.positions.get((NodeKind.STAKEHOLDER, person.id)) if drawing.positions is not None else None
    # Copies of the node's mappings (ours, theirs, last contacts): compared as dicts, never hashed.
    ties = tuple(dict(value) for value in graph.nodes[person.id].values() if isinstance(value, Mapping))
    return (person, powers.get(person.id), place, person.id in drawing.dominated, ties)


@dataclass
class _Nodes:
    context: tuple[Any, ...]
    inputs: dict[str, tuple[Any, ...]]
    drawn: dict[str, dict[str, Any]]


class DrawingMemo:
    """The last few revisions' analyses and lines of one account, to draw the next one quickly.

    Thread-safe: a server keeps one per account and draws one revision at a time with it (``lock``).
    """

    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        #: Held while a revision is drawn, so two requests for the same new revision compute it once.
        self.lock = threading.RLock()
        self._analyses: OrderedDict[tuple[Hashable, AnalysisKey], Any] = OrderedDict()
        self._map: AccountMap | None = None
        self._key: AnalysisKey | None = None
        self._lines: tuple[tuple[Any, ...], list[dict[str, Any]]] | None = None
        self._nodes: _Nodes | None = None
        self._keyed: dict[str, tuple[tuple[Any, ...], Any]] = {}
        #: What the last draw reused, for the server's timing header and the tests.
        self.reused: set[str] = set()

    def key(self, account_map: AccountMap) -> AnalysisKey:
        if account_map is not self._map or self._key is None:
            self._map, self._key = account_map, analysis_key(account_map)
        return self._key

    def analysis(self, account_map: AccountMap, name: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()`` (an analysis of ``account_map``), or its result for an earlier map with the same key."""
        with self.lock:
            entry = (name, self.key(account_map))
            if entry in self._analyses:
                self._analyses.move_to_end(entry)
                self.reused.add(str(name))
                found: _T = self._analyses[entry]
                return found
            value = compute()
            self._analyses[entry] = value
            while len(self._analyses) > self.kept * 8:
                self._analyses.popitem(last=False)
            return value

    def keyed(self, name: str, inputs: tuple[Any, ...], compute: Callable[[], _T]) -> _T:
        """``compute()``, or the last result of ``name`` when its ``inputs`` (parts of the map) are equal.

        For a result that reads less than the analysis key holds: the ties read only the reporting and
        influence lines, so an edit of a person's influence or stance keeps them. After an edit of one
        item the other lists are the very same objects, so the comparison costs a pointer test.
        """
        with self.lock:
            last = self._keyed.get(name)
            if last is not None and last[0] == inputs:
                self.reused.add(name)
                found: _T = last[1]
                return found
            value = compute()
            self._keyed[name] = (inputs, value)
            return value

    def network(
        self, account_map: AccountMap, powers: Mapping[str, float], drawing: Drawing, graph: nx.DiGraph[str]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """:func:`~powermap.viz.network.build_network`, drawing again only the nodes and lines whose inputs changed.

        The lines are reused whole when nothing they show changed (else all are drawn again); the
        nodes of stakeholders whose own inputs and the common ones are unchanged are reused one by one.
        """
        with self.lock:
            lines = _line_inputs(account_map, drawing)
            context = _node_context(account_map, drawing)
            inputs = {person.id: _node_inputs(person, powers, drawing, graph) for person in account_map.stakeholders}
            last = self._nodes if self._nodes is not None and self._nodes.context == context else None
            changed = [
                person
                for person in account_map.stakeholders
                if last is None or last.inputs.get(person.id) != inputs[person.id]
            ]
            moved = _moved(account_map, changed, last, inputs, powers, drawing, graph) if last is not None else {}
            changed = [person for person in changed if node_id(NodeKind.STAKEHOLDER, person.id) not in moved]
            if self._lines is not None and self._lines[0] == lines:
                only = dict.fromkeys(_LINES, ()) | {"stakeholders": tuple(changed)}
                fresh, _ = build_network(account_map.model_copy(update=only), powers, drawing=drawing, graph=graph)
                edges = self._lines[1]
                self.reused.add("lines")
            else:
                fresh, edges = build_network(account_map, powers, drawing=drawing, graph=graph)
                self._lines = (lines, edges)
            if last is not None and len(changed) < len(account_map.stakeholders):
                self.reused.add("nodes")
            drawn = {node["id"]: node for node in fresh}
            if last is not None:
                drawn = last.drawn | moved | drawn
            self._nodes = _Nodes(context, inputs, drawn)
            order = [node_id(NodeKind.STAKEHOLDER, person.id) for person in account_map.stakeholders]
            nodes = [drawn[vis_id] for vis_id in order if vis_id in drawn and _shown(drawing, vis_id)]
            return nodes + [node for node in fresh if node["kind"] != NodeKind.STAKEHOLDER.value], edges


def _moved(
    account_map: AccountMap,
    changed: Sequence[Stakeholder],
    last: _Nodes,
    inputs: Mapping[str, tuple[Any, ...]],
    powers: Mapping[str, float],
    drawing: Drawing,
    graph: nx.DiGraph[str],
) -> dict[str, dict[str, Any]]:
    """The nodes of changed people whose only change is their power or place: their last node, re-powered and placed.

    An edit of one person's influence (or of a line) moves everyone's power a little, and the layout
    moves a few; redrawing these nodes whole was most of such an edit's drawing at 1,000 stakeholders.
    """
    member_names = {member.id: member.name for member in account_map.team}
    competitor_names = {competitor.id: competitor.name for competitor in account_map.competitors}
    moved: dict[str, dict[str, Any]] = {}
    for person in changed:
        vis_id = node_id(NodeKind.STAKEHOLDER, person.id)
        was, now = last.inputs.get(person.id), inputs[person.id]
        # (person, power, place, competitor mark, ties): the same person, mark and ties.
        if was is None or vis_id not in last.drawn or was[0] != now[0] or was[3:] != now[3:]:
            continue
        # The hover card shows the power to two decimals: most cards stay as they were.
        same_card = power_text(unit(was[1] or 0.0)) == power_text(unit(now[1] or 0.0))
        card = last.drawn[vis_id]["title"] if same_card else None
        fields = power_fields(person, powers, drawing, graph, member_names, competitor_names, card=card)
        moved[vis_id] = last.drawn[vis_id] | fields | node_place(drawing, NodeKind.STAKEHOLDER, person.id)
    return moved


def _shown(drawing: Drawing, vis_id: str) -> bool:
    return drawing.shown is None or vis_id.removeprefix(f"{NodeKind.STAKEHOLDER.value}:") in drawing.shown


class _Fresh:
    """No memo: every piece computed (the offline file, the CLI)."""

    def analysis(self, account_map: AccountMap, name: Hashable, compute: Callable[[], _T]) -> _T:
        return compute()

    def keyed(self, name: str, inputs: tuple[Any, ...], compute: Callable[[], _T]) -> _T:
        return compute()

    def network(
        self, account_map: AccountMap, powers: Mapping[str, float], drawing: Drawing, graph: nx.DiGraph[str]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return build_network(account_map, powers, drawing=drawing, graph=graph)


FRESH: Final = _Fresh()


def data_delta(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """What turns the page data ``before`` into ``after``: changed nodes and lines, changed fields.

    ``nodes`` and ``edges`` say which items to put (new, or changed in which fields they have: whole)
    and which ids to drop; a node that kept its fields but changed some of their values is sent as
    ``nodes.patch``, its id and those values only (an edit of weight moves everyone's power a little:
    about 100 bytes a person instead of 1 KB). ``set`` holds every other field of ``after`` that
    differs from ``before``; ``drop`` the fields ``after`` no longer has.

    >>> before = {"nodes": [{"id": "a", "x": 1, "t": "A"}, {"id": "b", "x": 2}], "edges": [], "revision": 1}
    >>> after = {"nodes": [{"id": "a", "x": 5, "t": "A"}, {"id": "c", "x": 3}], "edges": [], "revision": 2}
    >>> delta = data_delta(before, after)
    >>> delta["nodes"]
    {'put': [{'id': 'c', 'x': 3}], 'patch': [{'id': 'a', 'x': 5}], 'drop': ['b']}
    >>> delta["edges"], delta["set"], delta["drop"]
    ({'put': [], 'drop': []}, {'revision': 2}, [])
    """
    return {
        "nodes": _items_delta(before["nodes"], after["nodes"], partial=True),
        "edges": _items_delta(before["edges"], after["edges"], partial=False),
        "set": {
            key: value
            for key, value in after.items()
            if key not in ("nodes", "edges") and (key not in before or _differ(before[key], value))
        },
        "drop": sorted(key for key in before if key not in after),
    }


def _differ(before: object, after: object) -> bool:
    """Whether two pieces of page data differ (a piece reused from the last revision is the same object)."""
    return before is not after and before != after


def _items_delta(
    before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]], *, partial: bool
) -> dict[str, Any]:
    """Items to put whole, to patch (``partial``: same fields, some values changed) and to drop."""
    old = {item["id"]: item for item in before}
    new_ids = {item["id"] for item in after}
    put: list[Mapping[str, Any]] = []
    patch: list[dict[str, Any]] = []
    for item in after:
        was = old.get(item["id"])
        if not _differ(was, item):
            continue
        if partial and was is not None and was.keys() == item.keys():
            patch.append({"id": item["id"]} | {key: value for key, value in item.items() if _differ(was[key], value)})
        else:
            put.append(item)
    drop = [item["id"] for item in before if item["id"] not in new_ids]
    return {"put": put, "patch": patch, "drop": drop} if partial else {"put": put, "drop": drop}


def apply_delta(before: Mapping[str, Any], delta: Mapping[str, Any]) -> dict[str, Any]:
    """The page data ``delta`` (from :func:`data_delta`) makes of ``before``: what the page does, in Python.

    Items keep their order in ``before``; new ones follow in the order given.

    >>> before = {"nodes": [{"id": "a", "x": 1}, {"id": "b", "x": 2}], "edges": [], "revision": 1}
    >>> after = {"nodes": [{"id": "a", "x": 5}, {"id": "c", "x": 3}], "edges": [], "revision": 2}
    >>> apply_delta(before, data_delta(before, after)) == after
    True
    """
    result = {key: value for key, value in before.items() if key not in delta["drop"]}
    result.update(delta["set"])
    for name in ("nodes", "edges"):
        dropped = set(delta[name]["drop"])
        put = {item["id"]: item for item in delta[name]["put"]}
        patches = {item["id"]: item for item in delta[name].get("patch", ())}
        kept = [
            put.pop(item["id"], None) or ({**item, **patches[item["id"]]} if item["id"] in patches else item)
            for item in before[name]
            if item["id"] not in dropped
        ]
        result[name] = kept + list(put.values())
    return result
