"""Whole-document validation: the rules a schema alone cannot say, every problem reported at once.

:func:`parse_account_map` is the only door an untrusted document comes in by. Beyond each item's
shape it checks unique ids, references that resolve, and no duplicated, self-pointing or cyclic
lines; every problem carries its field path and the id of the offending item (a line's two ends).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from powermap.errors import CLIP_AT, InvalidMapError, InvalidRoadmapError, Problem, clip
from powermap.model.contract import LIST_BY_NAME, LISTS, AccountMap, Roadmap
from powermap.model.enums import EdgeKind, VoiceStatus


def parse_account_map(document: Any, *, roadmap_ids: Collection[str] | None = None) -> AccountMap:
    """Validate a contract document and return the map, or raise one error listing every problem.

    >>> m = parse_account_map({"account": {"id": "acme", "name": "ACME"},
    ...     "stakeholders": [{"id": "ceo", "name": "Chen", "level": "executive", "influence": 0.9}]})
    >>> m.stakeholders[0].stance
    <Stance.NEUTRAL: 'neutral'>
    >>> parse_account_map({"account": {"id": "acme", "name": "ACME"},
    ...     "reports_to": [{"from": "cto", "to": "ceo"}]})
    Traceback (most recent call last):
    ...
    powermap.errors.InvalidMapError: the account map has 2 problems:
      reports_to[0].from (from 'cto' to 'ceo'): no stakeholder has id 'cto'
      reports_to[0].to (from 'cto' to 'ceo'): no stakeholder has id 'ceo'

    ``roadmap_ids`` are the ids of the store's roadmap: given, every voice's ``roadmap`` reference
    must name one of them (the service always passes them); ``None`` leaves those references unchecked.
    """
    if not isinstance(document, Mapping):
        raise InvalidMapError([Problem("", None, "an account map must be a JSON/YAML object")])
    try:
        account_map: AccountMap | None = AccountMap.model_validate(document)
        problems = []
    except ValidationError as error:
        account_map, problems = None, problems_from_validation_error(error, document)
    problems.extend(_reference_problems(document))
    problems.extend(voice_problems(document, roadmap_ids))
    if problems or account_map is None:
        raise InvalidMapError(problems)
    return account_map


def validate_account_map(account_map: AccountMap, *, roadmap_ids: Collection[str] | None = None) -> AccountMap:
    """Check the references of a map built in code; returns it unchanged when it is sound."""
    document = account_map.to_document()
    problems = _reference_problems(document) + voice_problems(document, roadmap_ids)
    if problems:
        raise InvalidMapError(problems)
    return account_map


def item_label(list_name: str, item: Any) -> str | None:
    """How a person recognises an item of a document list: its id, or the ids an edge joins."""
    if not isinstance(item, Mapping):
        return None
    if list_name in _EDGE_FIELDS:
        source_field, target_field = _EDGE_FIELDS[list_name]
        return f"{source_field} {clip(item.get(source_field))} to {clip(item.get(target_field))}"
    item_id = item.get("id")
    return None if item_id is None else clip(item_id)


_CYCLE_SHOWN = 12
_EDGE_FIELDS: dict[str, tuple[str, str]] = {spec.name: (spec.key[0], spec.key[1]) for spec in LISTS if spec.is_line}
_LIST_NAMES = tuple(spec.name for spec in LISTS)


def problems_from_validation_error(
    error: ValidationError, document: Mapping[str, Any], prefix: Sequence[str | int] = ()
) -> list[Problem]:
    """Turn pydantic's errors into contract problems that name the field path and the item's id."""
    problems = []
    for detail in error.errors():
        loc = (*prefix, *detail["loc"])
        label = None
        if len(loc) >= 2 and loc[0] in _LIST_NAMES and isinstance(loc[1], int):
            items = document.get(str(loc[0]))
            if isinstance(items, Sequence) and 0 <= loc[1] < len(items):
                label = item_label(str(loc[0]), items[loc[1]])
        problems.append(Problem(_format_loc(loc), label, _plain_message(detail)))
    return problems


def item_problems(error: ValidationError, list_name: str, item: Any, noun: str) -> list[Problem]:
    """Problems of one item given alone (an edit), named ``noun.field`` with the item's id."""
    label = item_label(list_name, item)
    return [Problem(_format_loc((noun, *detail["loc"])), label, _plain_message(detail)) for detail in error.errors()]


def _format_loc(loc: Iterable[str | int]) -> str:
    path = ""
    for part in loc:
        name = str(part) if len(str(part)) <= CLIP_AT else f"{str(part)[: CLIP_AT - 1]}…"
        path += f"[{part}]" if isinstance(part, int) else (f".{name}" if path else name)
    return path


#: What each kind of shape error means, in the words of the format rather than of Python.
_PLAIN = {
    "string_type": "must be text",
    # JSON's "\ud800" escape alone decodes to half a character (a lone UTF-16 surrogate).
    "string_unicode": "must be text of whole characters: a \\ud800-\\udfff escape comes only in pairs",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be a finite number",
    "int_type": "must be a whole number",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "date_type": "must be a date like 2026-10-01",
    "date_parsing": "must be a date like 2026-10-01",
    "date_from_datetime_parsing": "must be a date like 2026-10-01",
    "date_from_datetime_inexact": "must be a date like 2026-10-01 (no time of day)",
}
#: Values YAML reads as something other than text when unquoted (``id: no`` is the boolean false).
_YAML_TYPED = (bool, int, float, dt.date, dt.datetime)


def _plain_message(detail: Any) -> str:
    """One problem in plain words, echoing the offending value (cut) and, for YAML traps, a hint."""
    kind = detail["type"]
    context = detail.get("ctx") or {}
    if kind == "extra_forbidden":
        return "is not a field of the powermap/v1 format"
    if kind == "missing":
        return "is required"
    # The contract's bounds are inclusive (ge/le) and its lists unbounded; pydantic's own words, with
    # "Input should be" made "must be", serve the rest (a literal: "must be 'powermap/v1'").
    if kind == "enum":
        message = f"must be one of {context['expected']}"
    elif kind == "less_than_equal":
        message = f"must be at most {context['le']}"
    elif kind == "greater_than_equal":
        message = f"must be at least {context['ge']}"
    elif kind == "string_too_short":
        message = "must not be empty"
    elif kind == "string_too_long":
        message = f"must be at most {context['max_length']} characters"
    else:
        message = _PLAIN.get(kind) or str(detail["msg"]).replace("Input should be", "must be")
    value = detail.get("input")
    if "input" in detail and kind != "model_type":
        shown = f"{len(value)} characters" if kind == "string_too_long" and isinstance(value, str) else clip(value)
        message += f" (got {shown})"
    if kind in {"string_type", "enum"} and (value is None or isinstance(value, _YAML_TYPED)):
        message += f"; {_yaml_hint(value)}"
    return message


def _yaml_hint(value: Any) -> str:
    """What YAML made of an unquoted word, and how to keep it as text."""
    if value is None:
        return "YAML reads an empty value, null or ~ as nothing: write the text in quotes, or leave the field out"
    if isinstance(value, bool):
        return "YAML reads an unquoted no, yes, on, off, true or false as true/false: write it in quotes, e.g. id: 'no'"
    what = "a date" if isinstance(value, dt.date | dt.datetime) else "a number"
    return f"YAML reads an unquoted {clip(value)} as {what}: write it in quotes, e.g. '{clip(value)}'"


def _reference_problems(document: Mapping[str, Any]) -> list[Problem]:
    """Unique ids, resolvable references, no self-loops, duplicate edges or reporting cycles.

    Works on the raw document and tolerates malformed items (the shape check reports those), so
    that one refusal lists every problem of every kind.
    """
    problems: list[Problem] = []
    ids: dict[str, set[str]] = {}
    for spec in LISTS:
        if spec.key != ("id",):
            continue
        items = _items(document, spec.name)
        counts: Counter[str] = Counter(item["id"] for _, item in items if isinstance(item.get("id"), str))
        ids[spec.name] = set(counts)
        reported: set[str] = set()
        for index, item in items:
            item_id = item.get("id")
            if isinstance(item_id, str) and counts[item_id] > 1 and item_id not in reported:
                reported.add(item_id)
                problems.append(
                    Problem(f"{spec.name}[{index}].id", clip(item_id), f"id is used {counts[item_id]} times")
                )

    for spec in LISTS:
        seen: set[tuple[str, str]] = set()
        for index, item in _items(document, spec.name):
            label = item_label(spec.name, item)
            for field, target_list in spec.refs:
                problems.extend(_dangling(spec.name, index, field, item.get(field), target_list, label, ids))
            if spec.is_line:
                problems.extend(_line_shape_problems(spec.name, index, item, label, seen))
    problems.extend(_reporting_cycle_problems(document))
    return problems


def _dangling(
    list_name: str, index: int, field: str, value: Any, target_list: str, label: str | None, ids: dict[str, set[str]]
) -> list[Problem]:
    """A reference (or each of a list of references, as an activity's people) that names no item."""
    noun = LIST_BY_NAME[target_list].noun
    if LIST_BY_NAME[list_name].is_line or isinstance(value, str):
        if isinstance(value, str) and value not in ids[target_list]:
            return [Problem(f"{list_name}[{index}].{field}", label, f"no {noun} has id {clip(value)}")]
        return []
    if not isinstance(value, list | tuple):
        return []
    return [
        Problem(f"{list_name}[{index}].{field}[{position}]", label, f"no {noun} has id {clip(one)}")
        for position, one in enumerate(value)
        if isinstance(one, str) and one not in ids[target_list]
    ]


def _line_shape_problems(
    list_name: str, index: int, item: Mapping[str, Any], label: str | None, seen: set[tuple[str, str]]
) -> list[Problem]:
    """A line that points a stakeholder at itself or repeats one given before."""
    spec = LIST_BY_NAME[list_name]
    source, target = item.get(spec.key[0]), item.get(spec.key[1])
    if not (isinstance(source, str) and isinstance(target, str)):
        return []
    problems = []
    if spec.refs[0][1] == spec.refs[1][1] and source == target:
        problems.append(Problem(f"{list_name}[{index}]", label, "a stakeholder cannot point to itself"))
    if (source, target) in seen:
        problems.append(Problem(f"{list_name}[{index}]", label, "this line is given more than once"))
    seen.add((source, target))
    return problems


def _reporting_cycle_problems(document: Mapping[str, Any]) -> list[Problem]:
    manager_of: dict[str, list[str]] = {}
    for _, item in _items(document, "reports_to"):
        source, target = item.get("from"), item.get("to")
        if isinstance(source, str) and isinstance(target, str) and source != target:
            manager_of.setdefault(source, []).append(target)
    cycle = _find_cycle(manager_of)
    return [_cycle_problem(cycle)] if cycle else []


def _cycle_problem(cycle: Sequence[str]) -> Problem:
    """The problem of reporting lines that go round ``cycle`` (each reports to the next, the last to the first)."""
    shown = [clip(node) for node in [*cycle, cycle[0]]]
    if len(shown) > _CYCLE_SHOWN:
        shown = [*shown[: _CYCLE_SHOWN - 1], f"… ({len(cycle)} people)", shown[-1]]
    return Problem("reports_to", clip(cycle[0]), f"reporting lines form a cycle: {' -> '.join(shown)}")


def _find_cycle(successors: Mapping[str, list[str]]) -> list[str]:
    """One cycle of a directed graph given as adjacency lists, or [] (iterative, no recursion limit)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for root in successors:
        if root in state:
            continue
        path: list[str] = [root]
        stack = [iter(successors.get(root, ()))]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt) :]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(successors.get(nxt, ())))
    return []


def _items(document: Mapping[str, Any], list_name: str) -> list[tuple[int, Mapping[str, Any]]]:
    items = document.get(list_name)
    if not isinstance(items, list | tuple):
        return []
    return [(index, item) for index, item in enumerate(items) if isinstance(item, Mapping)]


# -- one item put into a stored (valid) map: the edits' path -----------------------------------------


def item_rule_problems(
    account_map: AccountMap,
    list_name: str,
    index: int,
    item: Mapping[str, Any],
    *,
    roadmap_ids: Collection[str] | None = None,
) -> list[Problem]:
    """The document's rules that involve one item put at ``list_name[index]`` of a valid map.

    A stored map is valid, so an edit that puts in one item (a new one at the end, or one replaced in
    place, its key unchanged) can break only the rules that involve that item: its references (a
    line's ends, an activity's people, a voice's stakeholder and activity, and its roadmap items when
    ``roadmap_ids`` are given), a line pointing a stakeholder at itself, a reporting line closing a
    cycle (found by walking up from its manager, not by searching the whole graph), and a voice's own
    field rules. Paths and messages are exactly :func:`parse_account_map`'s for a document holding
    ``item`` (contract field names) at that index. Whether the key is free is the caller's to say (it
    knows whether the item is new); the item's shape is checked by its model before.

    >>> m = parse_account_map({"account": {"id": "a", "name": "A"}, "stakeholders": [
    ...     {"id": "x", "name": "X", "level": "staff", "influence": 0.1},
    ...     {"id": "y", "name": "Y", "level": "staff", "influence": 0.1}],
    ...     "reports_to": [{"from": "x", "to": "y"}]})
    >>> [str(p) for p in item_rule_problems(m, "reports_to", 1, {"from": "y", "to": "x"})]
    ["reports_to ('y'): reporting lines form a cycle: 'y' -> 'x' -> 'y'"]
    >>> [str(p) for p in item_rule_problems(m, "influences", 0, {"from": "x", "to": "z", "weight": 1})]
    ["influences[0].to (from 'x' to 'z'): no stakeholder has id 'z'"]
    """
    spec = LIST_BY_NAME[list_name]
    label = item_label(list_name, item)
    problems: list[Problem] = []
    for field, target_list in spec.refs:
        ids = {target_list: {other.id for other in getattr(account_map, target_list)}}
        problems.extend(_dangling(list_name, index, field, item.get(field), target_list, label, ids))
    if spec.is_line:
        problems.extend(_line_shape_problems(list_name, index, item, label, set()))
    if spec.edge_kind == EdgeKind.REPORTS_TO and not problems:
        cycle = _cycle_closed_by(account_map, str(item["from"]), str(item["to"]))
        problems.extend([_cycle_problem(cycle)] if cycle else [])
    if list_name == "voices":
        problems.extend(_one_voice_problems(index, item, roadmap_ids))
    return problems


def _cycle_closed_by(account_map: AccountMap, source: str, target: str) -> list[str]:
    """The cycle a new reporting line ``source -> target`` would close ([] if none): ``source`` above ``target``.

    Walks up from ``target`` through the managers (breadth first, so the cycle named is a shortest one).
    """
    managers: dict[str, list[str]] = {}
    for line in account_map.reports_to:
        managers.setdefault(line.source, []).append(line.target)
    below: dict[str, str | None] = {target: None}  # each person reached -> the one we came up from
    queue = deque([target])
    while queue:
        person = queue.popleft()
        if person == source:
            chain = [person]
            while (lower := below[chain[-1]]) is not None:
                chain.append(lower)
            return [source, *reversed(chain[1:])]  # source -> target -> ... -> back to source
        for manager in managers.get(person, ()):
            if manager not in below:
                below[manager] = person
                queue.append(manager)
    return []


# -- voices and roadmap -----------------------------------------------------------------------------

_CLOSED = {VoiceStatus.RESOLVED.value, VoiceStatus.REJECTED.value}


def voice_problems(document: Mapping[str, Any], roadmap_ids: Collection[str] | None) -> list[Problem]:
    """The rules that tie a voice's fields together, and its references into the store's roadmap.

    ``closed_on`` is required for ``resolved``/``rejected`` and absent otherwise (and not before the
    voice's ``date``); ``satisfaction`` belongs to resolved voices only; every ``roadmap`` id names an
    item of the roadmap when its ids are given. Tolerates malformed items like the other checks.

    >>> voice_problems({"voices": [{"id": "v1", "status": "resolved", "satisfaction": 4}]}, {"r1"})
    [Problem(path='voices[0].closed_on', item="'v1'", message="is required when status is 'resolved'")]
    """
    problems: list[Problem] = []
    for index, voice in _items(document, "voices"):
        problems.extend(_one_voice_problems(index, voice, roadmap_ids))
    return problems


def _one_voice_problems(index: int, voice: Mapping[str, Any], roadmap_ids: Collection[str] | None) -> list[Problem]:
    """:func:`voice_problems` of the voice at ``voices[index]``."""
    problems: list[Problem] = []
    label = item_label("voices", voice)
    where = f"voices[{index}]"
    status = voice.get("status", VoiceStatus.NEW.value)
    closed_on = voice.get("closed_on")
    if status in _CLOSED and closed_on is None:
        problems.append(Problem(f"{where}.closed_on", label, f"is required when status is {status!r}"))
    if isinstance(status, str) and status not in _CLOSED and closed_on is not None:
        problems.append(
            Problem(f"{where}.closed_on", label, f"must be absent while the voice is open (status {status!r})")
        )
    if voice.get("satisfaction") is not None and status != VoiceStatus.RESOLVED.value:
        problems.append(
            Problem(f"{where}.satisfaction", label, f"only a resolved voice has a satisfaction (status {status!r})")
        )
    opened, closed = _date(voice.get("date")), _date(closed_on)
    if opened is not None and closed is not None and closed < opened:
        problems.append(
            Problem(f"{where}.closed_on", label, f"{closed_on} is before the voice's date {voice.get('date')}")
        )
    items = voice.get("roadmap")
    if roadmap_ids is not None and isinstance(items, list | tuple):
        problems.extend(
            Problem(f"{where}.roadmap[{position}]", label, f"no item of the store's roadmap has id {one!r}")
            for position, one in enumerate(items)
            if isinstance(one, str) and one not in roadmap_ids
        )
    return problems


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def parse_roadmap(document: Any) -> Roadmap:
    """Validate a ``powermap-roadmap/v1`` document: each item's shape and unique ids, every problem at once.

    >>> parse_roadmap({"format": "powermap-roadmap/v1", "items": [{"id": "r1", "title": "A"},
    ...     {"id": "r1", "title": "B", "status": "someday"}]})
    Traceback (most recent call last):
    ...
    powermap.errors.InvalidRoadmapError: the roadmap has 2 problems:
      items[1].status ('r1'): must be one of 'idea', 'planned', 'committed' or 'released' (got 'someday')
      items[0].id ('r1'): id is used 2 times
    """
    if not isinstance(document, Mapping):
        raise InvalidRoadmapError([Problem("", None, "a roadmap must be a JSON/YAML object")])
    problems: list[Problem] = []
    roadmap: Roadmap | None = None
    try:
        roadmap = Roadmap.model_validate(document)
    except ValidationError as error:
        for detail in error.errors():
            loc = detail["loc"]
            label = None
            items = document.get("items")
            if (
                len(loc) >= 2
                and loc[0] == "items"
                and isinstance(loc[1], int)
                and isinstance(items, list | tuple)
                and 0 <= loc[1] < len(items)
            ):
                label = item_label("items", items[loc[1]])
            problems.append(Problem(_format_loc(loc), label, _plain_message(detail)))
    counts: Counter[str] = Counter(
        item["id"] for _, item in _items(document, "items") if isinstance(item.get("id"), str)
    )
    reported: set[str] = set()
    for index, item in _items(document, "items"):
        item_id = item.get("id")
        if isinstance(item_id, str) and counts[item_id] > 1 and item_id not in reported:
            reported.add(item_id)
            problems.append(Problem(f"items[{index}].id", repr(item_id), f"id is used {counts[item_id]} times"))
    if problems or roadmap is None:
        raise InvalidRoadmapError(problems)
    return roadmap
