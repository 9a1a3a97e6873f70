"""Activity effects: how a relationship activity that took place moves the account map.

One pure function, :func:`activity_effects`, used by ``powermap log`` (which records the activity and
writes its effects) and by what-if plans (which apply them to a copy). Given the map and the activity
(kind, our members, their stakeholders, date) it returns the items that change, in contract shape:
stakeholders whose stance moved, relationships created or strengthened, competitor relationships
pushed back. Explicit values win: ``stance`` sets the stance of every stakeholder of the activity,
``strength`` sets every relationship between its members and its stakeholders. Otherwise the kind's
default below applies.

The activity touches every pair (member, stakeholder) it names. For each pair the relationship's new
strength is ``min(1, max(current + step, floor))`` (``current`` 0 when there is none); a pair with no
relationship gets one only when that value is above 0 (a message to a stranger creates nothing). The
step applies to the stakeholders the kind is *for*; the others present only count as contact.

=========================  =======================================  ==========================================
kind                       relationships (member x stakeholder)     other effect
=========================  =======================================  ==========================================
``ice_breaking``           at least 0.25 (a weak first relationship
                           where there was none)
``attitude_turnaround``    +0.1                                      stance one step warmer (it worked:
                                                                     log ``--stance`` to say otherwise)
``relationship_upgrade``   +0.2
``executive_engagement``   +0.3
``summit``                 +0.15
``site_visit``             +0.1 for technical and business
                           evaluators and decision makers (the
                           evaluators the visit is for); contact
                           only for the others
``topic_seminar``          +0.1
``competitor_block``       contact only                              each competitor's strength on them -0.25,
                                                                     never below our (new) strength
``meal``                   +0.1
``call``                   +0.05
``message``                contact only (creates no relationship)
``other``                  contact only (creates no relationship)
=========================  =======================================  ==========================================

``last_contact`` follows: every relationship of a touched pair (existing or created) gets the activity's
date as its last contact, unless it already records a later one (logging an old activity never makes a
relationship look older). The steps are those the recommendations simulate
(:mod:`powermap.analysis.recommend`), so the advice and the log speak of the same effect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from powermap.errors import MemberNotFoundError, StakeholderNotFoundError
from powermap.model import (
    AccountMap,
    Activity,
    ActivityKind,
    CompetitorRelationship,
    DecisionRole,
    Relationship,
    Stakeholder,
    Stance,
)

#: Strength of a first relationship (ice-breaking).
FIRST_CONTACT = 0.25
#: How far a competitor block pushes each competitor back.
BLOCK_STEP = 0.25
_ALL: frozenset[DecisionRole] = frozenset(DecisionRole)
_VISITED_FOR: frozenset[DecisionRole] = frozenset(
    {DecisionRole.TECHNICAL_EVALUATOR, DecisionRole.BUSINESS_EVALUATOR, DecisionRole.DECISION_MAKER}
)


@dataclass(frozen=True)
class KindEffect:
    """The default effect of one kind of activity (see the module's table)."""

    step: float = 0.0
    floor: float = 0.0
    warmer: bool = False
    blocks: bool = False
    #: Decision roles the step and the warming apply to; other stakeholders present count as contact.
    for_roles: frozenset[DecisionRole] = field(default=_ALL)


#: The documented defaults, one entry per kind of activity.
KIND_EFFECTS: dict[ActivityKind, KindEffect] = {
    ActivityKind.ICE_BREAKING: KindEffect(floor=FIRST_CONTACT),
    ActivityKind.ATTITUDE_TURNAROUND: KindEffect(step=0.1, warmer=True),
    ActivityKind.RELATIONSHIP_UPGRADE: KindEffect(step=0.2),
    ActivityKind.EXECUTIVE_ENGAGEMENT: KindEffect(step=0.3),
    ActivityKind.SUMMIT: KindEffect(step=0.15),
    ActivityKind.SITE_VISIT: KindEffect(step=0.1, for_roles=_VISITED_FOR),
    ActivityKind.TOPIC_SEMINAR: KindEffect(step=0.1),
    ActivityKind.COMPETITOR_BLOCK: KindEffect(blocks=True),
    ActivityKind.MEAL: KindEffect(step=0.1),
    ActivityKind.CALL: KindEffect(step=0.05),
    ActivityKind.MESSAGE: KindEffect(),
    ActivityKind.OTHER: KindEffect(),
}


@dataclass(frozen=True)
class Effects:
    """The items an activity changes, each as it is after the activity (contract models)."""

    stakeholders: tuple[Stakeholder, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    competitor_relationships: tuple[CompetitorRelationship, ...] = ()

    def items(self) -> dict[str, list[dict[str, Any]]]:
        """The changed items as contract documents by list name: a what-if plan's ``put`` step."""
        lists = {
            "stakeholders": self.stakeholders,
            "relationships": self.relationships,
            "competitor_relationships": self.competitor_relationships,
        }
        return {
            name: [item.model_dump(mode="json", by_alias=True) for item in items]
            for name, items in lists.items()
            if items
        }


def activity_effects(
    account_map: AccountMap,
    activity: Activity,
    *,
    stance: Stance | None = None,
    strength: float | None = None,
) -> Effects:
    """What ``activity`` changes on the map: explicit ``stance``/``strength`` when given, else the kind's default.

    Ice-breaking creates a weak relationship where there was none and dates it:

    >>> from powermap.model import parse_account_map
    >>> m = parse_account_map({"account": {"id": "a", "name": "A"},
    ...   "team": [{"id": "li", "name": "Li", "role": "AR"}],
    ...   "stakeholders": [{"id": "cfo", "name": "F", "level": "executive", "influence": 0.7,
    ...                     "stance": "skeptic"}],
    ...   "competitor_relationships": [], "competitors": []})
    >>> first = Activity(id="x", type="ice_breaking", date="2026-11-02", members=("li",), stakeholders=("cfo",))
    >>> activity_effects(m, first).items()["relationships"]
    [{'member': 'li', 'stakeholder': 'cfo', 'strength': 0.25, 'last_contact': '2026-11-02'}]

    An attitude turnaround moves the stance one step warmer, unless the stance is given:

    >>> turn = Activity(id="y", type="attitude_turnaround", date="2026-11-09", stakeholders=("cfo",))
    >>> activity_effects(m, turn).stakeholders[0].stance
    <Stance.NEUTRAL: 'neutral'>
    >>> activity_effects(m, turn, stance=Stance.SKEPTIC)
    Effects(stakeholders=(), relationships=(), competitor_relationships=())
    """
    account_id = account_map.account.id
    stakeholders = {s.id: s for s in account_map.stakeholders}
    members = {m.id for m in account_map.team}
    for member in activity.members:
        if member not in members:
            raise MemberNotFoundError(member, account_id)
    for stakeholder in activity.stakeholders:
        if stakeholder not in stakeholders:
            raise StakeholderNotFoundError(stakeholder, account_id)

    effect = KIND_EFFECTS[activity.type]
    targets = list(dict.fromkeys(activity.stakeholders))  # each once, in the order given
    team = list(dict.fromkeys(activity.members))

    changed_stakeholders = []
    for sid in targets:
        person = stakeholders[sid]
        new_stance = stance if stance is not None else person.stance
        if stance is None and effect.warmer and person.decision_role in effect.for_roles:
            new_stance = person.stance.improved()
        if new_stance != person.stance:
            changed_stakeholders.append(person.model_copy(update={"stance": new_stance}))

    relationships = {(r.source, r.target): r for r in account_map.relationships}
    changed_relationships: list[Relationship] = []
    for sid in targets:
        applies = stakeholders[sid].decision_role in effect.for_roles
        for member in team:
            current = relationships.get((member, sid))
            value = _new_strength(current, effect, applies=applies, explicit=strength)
            if value is None:
                continue
            last = activity.date
            if current is not None and current.last_contact is not None:
                last = max(last, current.last_contact)
            after = Relationship.model_validate(
                {"member": member, "stakeholder": sid, "strength": value, "last_contact": last}
            )
            if after != current:
                changed_relationships.append(after)

    changed_competitors: list[CompetitorRelationship] = []
    if effect.blocks:
        ours_after = _our_strengths(account_map, changed_relationships)
        for crel in account_map.competitor_relationships:
            if crel.target in targets:
                pushed = max(min(crel.strength, ours_after.get(crel.target, 0.0)), crel.strength - BLOCK_STEP)
                if pushed < crel.strength:
                    changed_competitors.append(crel.model_copy(update={"strength": pushed}))

    return Effects(tuple(changed_stakeholders), tuple(changed_relationships), tuple(changed_competitors))


def _new_strength(
    current: Relationship | None, effect: KindEffect, *, applies: bool, explicit: float | None
) -> float | None:
    """The pair's strength after the activity, or None when no relationship exists or is created."""
    before = current.strength if current is not None else 0.0
    if explicit is not None:
        return explicit
    value = min(1.0, max(before + effect.step, effect.floor)) if applies else before
    if current is None and value <= 0.0:
        return None
    # A moved value is rounded so 0.1 + 0.2 reads 0.3 in the document; an unmoved one stays exact.
    return value if value == before else round(value, 12)


def _our_strengths(account_map: AccountMap, changed: list[Relationship]) -> dict[str, float]:
    """Our strongest relationship on each stakeholder once ``changed`` relationships are in place."""
    merged = {(r.source, r.target): r.strength for r in account_map.relationships}
    merged.update({(r.source, r.target): r.strength for r in changed})
    ours: dict[str, float] = {}
    for (_, sid), value in merged.items():
        ours[sid] = max(ours.get(sid, 0.0), value)
    return ours


def apply_effects(account_map: AccountMap, effects: Effects) -> AccountMap:
    """The map with ``effects`` merged in (items replaced by id or by ends, new relationships appended).

    Pure: returns a new map and leaves ``account_map`` as it was.
    """
    return account_map.model_copy(
        update={
            "stakeholders": _merged(account_map.stakeholders, effects.stakeholders, lambda s: s.id),
            "relationships": _merged(account_map.relationships, effects.relationships, lambda r: (r.source, r.target)),
            "competitor_relationships": _merged(
                account_map.competitor_relationships, effects.competitor_relationships, lambda r: (r.source, r.target)
            ),
        }
    )


def _merged(items: tuple[Any, ...], changed: tuple[Any, ...], key: Any) -> tuple[Any, ...]:
    replacement = {key(item): item for item in changed}
    kept = tuple(replacement.pop(key(item), item) for item in items)
    return kept + tuple(replacement.values())
