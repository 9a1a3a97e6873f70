"""Applying a what-if plan to a copy of a map (pure: the map given is never changed, nothing is stored).

Steps apply in order, each to the map the previous one left. After every step the whole map is checked
against the contract, exactly as an import is; a step that would break it is reported with every
problem, prefixed by its place in the plan (``steps[2]. ...``), and the plan is refused as a whole
(:class:`~powermap.errors.InvalidPlanError`). A refused step is left out so that later steps are still
checked and every problem of the plan is named at once.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from powermap.analysis.effects import activity_effects, apply_effects
from powermap.errors import InvalidMapError, InvalidPlanError, Problem
from powermap.model import LIST_BY_NAME, AccountMap, Activity, parse_account_map
from powermap.model.plan import ActivityStep, Plan, PutStep, Step, put_items, remove_items

_INDEXED = re.compile(r"^(\w+)\[(\d+)\](.*)$")


def apply_plan(account_map: AccountMap, plan: Plan, *, today: dt.date) -> AccountMap:
    """The map after every step of ``plan`` (activities without a date take place ``today``).

    >>> from powermap.model.plan import parse_plan
    >>> m = parse_account_map({"account": {"id": "a", "name": "A"},
    ...   "team": [{"id": "li", "name": "Li", "role": "AR"}],
    ...   "stakeholders": [{"id": "cfo", "name": "F", "level": "executive", "influence": 0.7}]})
    >>> plan = parse_plan({"steps": [{"put": {"stakeholders": [{"id": "cfo", "stance": "supporter"}]}},
    ...     {"activity": {"type": "ice_breaking", "members": ["li"], "stakeholders": ["cfo"]}}]})
    >>> after = apply_plan(m, plan, today=dt.date(2026, 11, 27))
    >>> after.stakeholders[0].stance, after.relationships[0].strength, m.relationships
    (<Stance.SUPPORTER: 'supporter'>, 0.25, ())
    """
    current = account_map
    problems: list[Problem] = []
    for index, step in enumerate(plan.steps):
        try:
            current = _apply_step(current, step, index, today)
        except InvalidMapError as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidPlanError(problems)
    return current


def _apply_step(account_map: AccountMap, step: Step, index: int, today: dt.date) -> AccountMap:
    where = f"steps[{index}]"
    if isinstance(step, ActivityStep):
        return _take_place(account_map, step, where, today)
    document = account_map.to_document()
    if isinstance(step, PutStep):
        placed = put_items(document, step.items)
        return _checked(document, lambda p: _plan_path(p, f"{where}.put", placed))
    problems = remove_items(document, step.keys)
    if problems:
        raise InvalidMapError([Problem(f"{where}.remove.{p.path}", p.item, p.message) for p in problems])
    return _checked(document, lambda p: f"{where}.remove: {p}")


def _checked(document: dict[str, Any], path_of: Any) -> AccountMap:
    try:
        return parse_account_map(document)
    except InvalidMapError as error:
        raise InvalidMapError([Problem(path_of(p.path), p.item, p.message) for p in error.problems]) from None


def _plan_path(path: str, where: str, placed: dict[tuple[str, int], int]) -> str:
    """A problem of the merged document, named where the plan put the item (``steps[0].put.stakeholders[1]``)."""
    match = _INDEXED.match(path)
    if match and (match.group(1), int(match.group(2))) in placed:
        return f"{where}.{match.group(1)}[{placed[(match.group(1), int(match.group(2)))]}]{match.group(3)}"
    return f"{where}: {path}" if path else where


def _take_place(account_map: AccountMap, step: ActivityStep, where: str, today: dt.date) -> AccountMap:
    planned = step.activity
    problems = [
        Problem(f"{where}.activity.{field}[{position}]", None, f"no {LIST_BY_NAME[target].noun} has id {one!r}")
        for field, target, known in (
            ("members", "team", {m.id for m in account_map.team}),
            ("stakeholders", "stakeholders", {s.id for s in account_map.stakeholders}),
        )
        for position, one in enumerate(getattr(planned, field))
        if one not in known
    ]
    taken = {a.id for a in account_map.activities}
    if planned.id is not None and planned.id in taken:
        problems.append(Problem(f"{where}.activity.id", repr(planned.id), "an activity with this id already exists"))
    if problems:
        raise InvalidMapError(problems)
    activity = Activity(
        id=planned.id or _free_id(taken, where),
        type=planned.type,
        date=planned.date or today,
        members=planned.members,
        stakeholders=planned.stakeholders,
        outcome=planned.outcome,
        notes=planned.notes,
    )
    effects = activity_effects(account_map, activity, stance=planned.stance, strength=planned.strength)
    moved = apply_effects(account_map, effects)
    return moved.model_copy(update={"activities": (*moved.activities, activity)})


def _free_id(taken: set[str], where: str) -> str:
    """``whatif-steps[2]``, or with a number after it when a stored activity already has that id."""
    candidate, number = f"whatif-{where}", 1
    while candidate in taken:
        number += 1
        candidate = f"whatif-{where}-{number}"
    return candidate
