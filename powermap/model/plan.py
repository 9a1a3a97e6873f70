"""What-if plans (``powermap-plan/v1``): their shape, their validation and the edits they make to a document.

A plan is a JSON/YAML document::

    format: powermap-plan/v1
    steps:
      - put: {stakeholders: [{id: cfo, stance: supporter}]}    # merged into the item with that id
      - remove: {stakeholders: [legal]}                        # lines: [{from: a, to: b}]
      - activity: {type: ice_breaking, members: [li], stakeholders: [vp-ops]}

``put`` merges each item into the item of the same key (its id; a line's two ends) or adds it as a new
item; ``remove`` takes ids (nodes, activities) or ends (lines), and a node leaves with its lines and its
place in activities; ``activity`` is an activity that takes place, with its effects as ``powermap log``
applies them (:mod:`powermap.analysis.effects`; optional ``stance`` and ``strength`` are its explicit
values, ``date`` defaults to today). :func:`parse_plan` checks the plan's own shape and names every
problem; whether each step keeps the map within the contract is checked when it is applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from powermap.errors import InvalidPlanError, Problem
from powermap.model.contract import LIST_BY_NAME, LISTS, Id, Text, Unit
from powermap.model.enums import ActivityKind, NodeKind, Stance
from powermap.model.validation import problems_from_validation_error

PLAN_FORMAT = "powermap-plan/v1"
STEP_KINDS = ("put", "remove", "activity")
_LIST_NAMES = tuple(spec.name for spec in LISTS)


class PlannedActivity(BaseModel):
    """An ``activity`` step: an activity (without id or date, both optional) and its explicit values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: ActivityKind
    members: tuple[Id, ...] = ()
    stakeholders: tuple[Id, ...] = ()
    date: dt.date | None = None
    id: Id | None = None
    outcome: Text = ""
    notes: Text = ""
    stance: Stance | None = None
    strength: Unit | None = Field(default=None)


@dataclass(frozen=True)
class PutStep:
    items: Mapping[str, tuple[Mapping[str, Any], ...]]


@dataclass(frozen=True)
class RemoveStep:
    #: By list name: ids (nodes, activities) or ``(source, target)`` ends (lines).
    keys: Mapping[str, tuple[str | tuple[str, str], ...]]


@dataclass(frozen=True)
class ActivityStep:
    activity: PlannedActivity


Step: TypeAlias = PutStep | RemoveStep | ActivityStep


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]


def parse_plan(document: Any) -> Plan:
    """A plan from untrusted data, or :class:`~powermap.errors.InvalidPlanError` naming every problem.

    >>> plan = parse_plan({"format": "powermap-plan/v1", "steps": [
    ...     {"put": {"stakeholders": [{"id": "cfo", "stance": "supporter"}]}},
    ...     {"remove": {"influences": [{"from": "a", "to": "b"}]}},
    ...     {"activity": {"type": "ice_breaking", "members": ["li"], "stakeholders": ["cfo"]}}]})
    >>> [type(step).__name__ for step in plan.steps]
    ['PutStep', 'RemoveStep', 'ActivityStep']
    >>> parse_plan({"steps": [{"put": {"stakeholder": []}}, {"visit": {}}]})
    Traceback (most recent call last):
    ...
    powermap.errors.InvalidPlanError: the plan has 2 problems:
      steps[0].put.stakeholder: is not a list of the powermap/v1 format
      steps[1]: a step is one of put, remove, activity (got 'visit')
    """
    if not isinstance(document, Mapping):
        raise InvalidPlanError([Problem("", None, "a plan must be a JSON/YAML object")])
    problems: list[Problem] = []
    for field in document:
        if field not in {"format", "steps"}:
            problems.append(Problem(str(field), None, "is not a field of the powermap-plan/v1 format"))
    if document.get("format", PLAN_FORMAT) != PLAN_FORMAT:
        problems.append(Problem("format", None, f"must be {PLAN_FORMAT!r} (got {document.get('format')!r})"))
    raw_steps = document.get("steps")
    steps: list[Step] = []
    if not isinstance(raw_steps, list):
        problems.append(Problem("steps", None, "is required: a list of steps"))
    else:
        for index, raw in enumerate(raw_steps):
            step = _parse_step(f"steps[{index}]", raw, problems)
            if step is not None:
                steps.append(step)
    if problems:
        raise InvalidPlanError(problems)
    return Plan(tuple(steps))


def _parse_step(where: str, raw: Any, problems: list[Problem]) -> Step | None:
    if not isinstance(raw, Mapping) or len(raw) != 1:
        problems.append(Problem(where, None, f"a step is an object with exactly one of {', '.join(STEP_KINDS)}"))
        return None
    ((kind, body),) = raw.items()
    if kind == "activity":
        if not isinstance(body, Mapping):
            problems.append(Problem(f"{where}.activity", None, "must be an object"))
            return None
        try:
            return ActivityStep(PlannedActivity.model_validate(body))
        except ValidationError as error:
            problems.extend(problems_from_validation_error(error, {}, prefix=(where, "activity")))
            return None
    if kind not in STEP_KINDS:
        problems.append(Problem(where, None, f"a step is one of {', '.join(STEP_KINDS)} (got {kind!r})"))
        return None
    if not isinstance(body, Mapping):
        problems.append(Problem(f"{where}.{kind}", None, "must be an object of lists by name"))
        return None
    before = len(problems)
    parsed: dict[str, tuple[Any, ...]] = {}
    for list_name, items in body.items():
        here = f"{where}.{kind}.{list_name}"
        if list_name not in _LIST_NAMES:
            problems.append(Problem(here, None, "is not a list of the powermap/v1 format"))
        elif not isinstance(items, list):
            problems.append(Problem(here, None, "must be a list"))
        else:
            read = _put_item if kind == "put" else _remove_key
            parsed[str(list_name)] = tuple(read(list_name, f"{here}[{i}]", x, problems) for i, x in enumerate(items))
    if len(problems) > before:
        return None
    return PutStep(parsed) if kind == "put" else RemoveStep(parsed)


def _put_item(list_name: str, where: str, item: Any, problems: list[Problem]) -> Mapping[str, Any]:
    spec = LIST_BY_NAME[list_name]
    if not isinstance(item, Mapping):
        problems.append(Problem(where, None, "must be an object"))
        return {}
    for field in spec.key:
        if not isinstance(item.get(field), str):
            problems.append(Problem(f"{where}.{field}", None, "is required to say which item to put"))
    return dict(item)


def _remove_key(list_name: str, where: str, item: Any, problems: list[Problem]) -> str | tuple[str, str]:
    spec = LIST_BY_NAME[list_name]
    if not spec.is_line:
        if not isinstance(item, str):
            problems.append(Problem(where, None, f"must be the id of a {spec.noun}"))
            return ""
        return item
    source, target = spec.key
    if not (isinstance(item, Mapping) and isinstance(item.get(source), str) and isinstance(item.get(target), str)):
        problems.append(Problem(where, None, f"must name the {spec.noun}'s ends: {{{source}: ..., {target}: ...}}"))
        return ("", "")
    return (item[source], item[target])


# ---------------------------------------------------------------------------------------------------
# Edits a plan makes to a document (plain dicts in contract shape)


def put_items(document: dict[str, Any], items: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[tuple[str, int], int]:
    """Merge each item into the item of the same key, or append it; returns (list, index) -> position in ``items``.

    >>> doc = {"stakeholders": [{"id": "cfo", "name": "F", "stance": "skeptic"}]}
    >>> put_items(doc, {"stakeholders": [{"id": "cfo", "stance": "supporter"}, {"id": "new", "name": "N"}]})
    {('stakeholders', 0): 0, ('stakeholders', 1): 1}
    >>> doc["stakeholders"]
    [{'id': 'cfo', 'name': 'F', 'stance': 'supporter'}, {'id': 'new', 'name': 'N'}]
    """
    placed: dict[tuple[str, int], int] = {}
    for list_name, new_items in items.items():
        key = LIST_BY_NAME[list_name].key
        current: list[dict[str, Any]] = document.setdefault(list_name, [])
        for position, item in enumerate(new_items):
            wanted = tuple(item.get(field) for field in key)
            index = next((i for i, old in enumerate(current) if tuple(old.get(f) for f in key) == wanted), None)
            if index is None:
                current.append(dict(item))
                index = len(current) - 1
            else:
                current[index] = {**current[index], **item}
            placed[(list_name, index)] = position
    return placed


def remove_items(document: dict[str, Any], keys: Mapping[str, Sequence[str | tuple[str, str]]]) -> list[Problem]:
    """Remove items by id or ends (a node with its lines and its place in activities); problems for unknown ones."""
    problems: list[Problem] = []
    for list_name, wanted in keys.items():
        spec = LIST_BY_NAME[list_name]
        for position, key in enumerate(wanted):
            ends = key if isinstance(key, tuple) else (key,)
            current = document.get(list_name, [])
            kept = [item for item in current if tuple(item.get(f) for f in spec.key) != ends]
            if len(kept) == len(current):
                label = " to ".join(repr(end) for end in ends)
                problems.append(Problem(f"{list_name}[{position}]", label, f"no {spec.noun} {label} to remove"))
                continue
            document[list_name] = kept
            if spec.node_kind is not None:
                _drop_references(document, spec.node_kind, ends[0])
            elif list_name == "activities":  # voices heard at it keep everything but the reference
                for voice in document.get("voices", []):
                    if voice.get("activity") == ends[0]:
                        voice["activity"] = None
    return problems


def _drop_references(document: dict[str, Any], kind: NodeKind, node_id: str) -> None:
    """A node leaves with every line that touches it and its place in activities."""
    for spec in LISTS:
        targets = {field for field, target_list in spec.refs if LIST_BY_NAME[target_list].node_kind == kind}
        if not targets:
            continue
        if spec.is_line:
            document[spec.name] = [
                item for item in document.get(spec.name, []) if all(item.get(f) != node_id for f in targets)
            ]
        else:
            # A single reference (a voice's stakeholder) takes its item along, as a line's end does; a
            # list of references (an activity's people) only loses the id.
            single = {f for f in targets if spec.model.model_fields[f].annotation is str}
            document[spec.name] = [
                item for item in document.get(spec.name, []) if all(item.get(f) != node_id for f in single)
            ]
            for item in document[spec.name]:
                for field in targets - single:
                    item[field] = [one for one in item.get(field, []) if one != node_id]
