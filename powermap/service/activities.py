"""Activities that move the map: log one, and it is recorded with its effect in one write.

The effect is :func:`powermap.analysis.effects.activity_effects` (explicit ``stance``/``strength`` when
given, else the documented default of the activity's kind): stakeholders' stances, our relationships
(created or strengthened, ``last_contact`` following the activity's date) and competitors pushed back.
The activity and every changed item go to the store in one write guarded by revision, so a log never
half-happens, and history records it as one change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from powermap.analysis.effects import activity_effects
from powermap.errors import InvalidMapError, Problem
from powermap.model import AccountMap, Activity, Stance, item_problems
from powermap.model.diff import key_of
from powermap.service.core import ServiceCore
from powermap.store.base import Change
from powermap.store.history import Delta

#: Fields of an activity document beyond the contract's activity: the explicit effect.
EFFECT_FIELDS = ("stance", "strength")
#: The lists a logged activity can change (beside adding itself to ``activities``).
EFFECT_LISTS = ("stakeholders", "relationships", "competitor_relationships")


class ActivitiesService(ServiceCore):
    """Log activities and apply their effects."""

    def log_activity(
        self,
        account_id: str,
        data: Mapping[str, Any],
        *,
        today: dt.date | None = None,
        if_revision: int | None = None,
    ) -> dict[str, Any]:
        """Record an activity (contract shape; ``id`` and ``date`` optional) and apply its effect.

        ``data`` may also carry ``stance`` (set on every stakeholder of the activity) and ``strength``
        (set on every relationship between its members and its stakeholders). Returns ``{"account",
        "revision", "activity", "effects": {LIST: [item as it is now]}, "changes": [{"list", "key",
        "before", "after"}]}``: ``effects`` has every list an activity can move (empty when it did not),
        ``changes`` each changed item before (null: created by the log) and after. With
        ``if_revision`` (the revision the caller saw) a log on a map that moved on is refused
        (:class:`~powermap.errors.StaleRevisionError`), never retried.
        """
        if not isinstance(data, Mapping):
            raise InvalidMapError([Problem("activity", None, "must be an object")])
        stance, strength = _explicit_effect(data)
        fields = {k: v for k, v in data.items() if k not in EFFECT_FIELDS}
        fields.setdefault("date", (today or dt.datetime.now(dt.UTC).date()).isoformat())
        if not fields.get("stakeholders"):
            raise InvalidMapError([Problem("activity.stakeholders", None, "name at least one stakeholder")])
        result: dict[str, Any] = {}

        def mutate(document: dict[str, Any]) -> None:
            activity_fields = dict(fields)
            if not activity_fields.get("id"):
                activity_fields["id"] = _free_id(document, f"{activity_fields.get('type')}-{activity_fields['date']}")
            elif any(a["id"] == activity_fields["id"] for a in document["activities"]):
                raise InvalidMapError(
                    [Problem("activity.id", str(activity_fields["id"]), "an activity with this id is already logged")]
                )
            activity = _activity(activity_fields)
            effects = activity_effects(AccountMap.model_validate(document), activity, stance=stance, strength=strength)
            document["activities"].append(activity.model_dump(mode="json", by_alias=True))
            changes = []
            for name, items in effects.items().items():
                by_key = {key_of(name, item): i for i, item in enumerate(document[name])}
                for item in items:
                    key = key_of(name, item)
                    index = by_key.get(key)
                    changes.append(
                        {
                            "list": name,
                            "key": list(key),
                            "before": None if index is None else document[name][index],
                            "after": item,
                        }
                    )
                    if index is None:
                        document[name].append(item)
                    else:
                        document[name][index] = item
            result["activity"] = activity
            result["effects"] = effects
            result["changes"] = changes

        def write(account_map: AccountMap, revision: int, history: Delta) -> int:
            effects = result["effects"]
            activity: Activity = result["activity"]
            items = [activity, *effects.stakeholders, *effects.relationships, *effects.competitor_relationships]
            written = self.store.put_items(
                account_id,
                items,
                Change(self.actor, f"log {activity.type.value}", activity.id, history=history),
                expected_revision=revision,
            )
            result["revision"] = written
            return written

        self._edit(account_id, mutate, write, if_revision=if_revision)
        activity = result["activity"]
        return {
            "account": account_id,
            "revision": result["revision"],
            "activity": activity.model_dump(mode="json", by_alias=True),
            "effects": {name: result["effects"].items().get(name, []) for name in EFFECT_LISTS},
            "changes": result["changes"],
        }


def _explicit_effect(data: Mapping[str, Any]) -> tuple[Stance | None, float | None]:
    problems = []
    stance = strength = None
    if data.get("stance") is not None:
        try:
            stance = Stance(data["stance"])
        except ValueError:
            allowed = ", ".join(s.value for s in Stance)
            problems.append(Problem("activity.stance", None, f"must be one of {allowed} (got {data['stance']!r})"))
    if data.get("strength") is not None:
        value = data["strength"]
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
            problems.append(Problem("activity.strength", None, f"must be a number from 0 to 1 (got {value!r})"))
        else:
            strength = float(value)
    if problems:
        raise InvalidMapError(problems)
    return stance, strength


def _activity(fields: Mapping[str, Any]) -> Activity:
    try:
        return Activity.model_validate(fields)
    except ValidationError as error:
        raise InvalidMapError(item_problems(error, "activities", fields, "activity")) from None


def _free_id(document: dict[str, Any], base: str) -> str:
    taken = {a["id"] for a in document["activities"]}
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)
