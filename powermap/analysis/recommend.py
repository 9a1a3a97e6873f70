"""Recommendations: the relationship activities that would move the decision most, ranked.

Each candidate activity is *simulated*: its effect (a stance one step warmer, a stronger relationship,
a competitor pushed back) is applied to the stakeholders it touches, and the resulting change of the
support index is the activity's *gain if done* (``gain_if_done``). The index is linear in the own leans, so that
change is exactly the sum of each touched person's change of own lean times the index's sensitivity
to them (:func:`~powermap.analysis.forecast.sensitivities`, solved once per account). Every effect
only improves a stance or our strength, or lowers a competitor's, and the forecast is monotone in
each of these, so no gain is ever negative.

The rules that propose candidates (targets are the :data:`POOL` most powerful stakeholders):

==========================  ====================================================  =====================================
kind                        proposed for                                          simulated effect
==========================  ====================================================  =====================================
``ice_breaking``            nobody on our team has a relationship with them        our strength becomes 0.25
``attitude_turnaround``     stance skeptic or opponent                             stance one step warmer, strength +0.1
``relationship_upgrade``    our strength is above 0 and below 0.6, or they are     our strength +0.2
                            neutral and we hold them below 0.8
``executive_engagement``    executive or senior, our strength below 0.8, and we    our strength +0.3
                            field a member of the same level
``summit``                  two or more executives we hold below 0.7 (one event)  each one's strength +0.15
``site_visit``              neutral decision makers and evaluators (evidence       stance one step warmer, strength +0.1
                            persuades the undecided; sceptics need a turnaround)
``topic_seminar``           three or more people of one department we hold below   each one's strength +0.1
                            0.5 (one workshop)
``competitor_block``        a competitor beats us on them                          that competitor's strength -0.25
                            (not below ours)
==========================  ====================================================  =====================================

The lead is whoever on our side fits the activity: for executive engagements and summits our member
whose level matches theirs (our executive meets theirs); for site visits and seminars our solution
lead (SR); for an ice-breaking the first member of the best introduction path, else our member of closest
level; otherwise the member who already holds the strongest relationship with the target (every other
kind is only proposed for people one of us already holds, so there always is one). Candidates are
ranked by expected gain, then by the coverage they add, then by target power; an activity that moves
neither the forecast nor coverage is not recommended.

Advice an account director would follow:

- **The order of relationship work.** A stakeholder none of us has a relationship with gets only
  first-contact kinds (:data:`FIRST_CONTACT_KINDS`: ice-breaking, executive engagement, summit, topic
  seminar); never a site visit, a turnaround or a competitor block before anyone has met them.
- **Paths run from the lead.** ``path`` is the lead's own best introduction path; when the lead has none
  a colleague must make the introduction: ``introducer`` names them and the path starts from them.
- **Likelihood.** An activity with someone we know happens (likelihood 1); with someone we have not
  met it happens as likely as the introduction carries (the strength of the path used), or
  :data:`COLD_LIKELIHOOD` when no path reaches them. ``expected_gain`` is each touched person's share of
  the gain if done times their likelihood (``likelihood`` reports the resulting share of the whole).
- **Fading relationships** (:mod:`~powermap.analysis.fading`: untouched for more than 90 days by
  default, given ``today``) are worth refreshing: a stakeholder all of whose relationships with us
  are fading gets a ``meal`` with whoever holds them best (``fading: true``), simulated as the meal's
  documented effect.
- **One entry per target**: the best activity for each person is listed; the others for the same
  person follow it as ``alternatives`` (same fields, without alternatives of their own).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

import networkx as nx

from powermap.analysis.coverage import COVERED_FROM
from powermap.analysis.effects import BLOCK_STEP, FIRST_CONTACT, KIND_EFFECTS
from powermap.analysis.fading import FADING_AFTER_DAYS, Fading, fading_relationships
from powermap.analysis.forecast import own_lean, sensitivities
from powermap.analysis.paths import IntroPath, best_path
from powermap.analysis.power import power as compute_power
from powermap.analysis.power import ranking
from powermap.graph import our_strength, strongest_competitor, ties
from powermap.model import ActivityKind, DecisionRole, Level, Stance, TeamRole

POOL = 40
#: How likely an activity is with a stakeholder nobody of ours can reach by any path (a cold approach).
COLD_LIKELIHOOD = 0.1
#: The only kinds proposed for a stakeholder none of us has met yet.
FIRST_CONTACT_KINDS = frozenset(
    {ActivityKind.ICE_BREAKING, ActivityKind.EXECUTIVE_ENGAGEMENT, ActivityKind.SUMMIT, ActivityKind.TOPIC_SEMINAR}
)
# The simulated steps are the documented effects of each kind when it is logged (one table).
UPGRADE_STEP = KIND_EFFECTS[ActivityKind.RELATIONSHIP_UPGRADE].step
EXECUTIVE_STEP = KIND_EFFECTS[ActivityKind.EXECUTIVE_ENGAGEMENT].step
SUMMIT_STEP = KIND_EFFECTS[ActivityKind.SUMMIT].step
VISIT_STEP = KIND_EFFECTS[ActivityKind.SITE_VISIT].step
SEMINAR_STEP = KIND_EFFECTS[ActivityKind.TOPIC_SEMINAR].step
TURNAROUND_STEP = KIND_EFFECTS[ActivityKind.ATTITUDE_TURNAROUND].step
_EVALUATORS = {DecisionRole.DECISION_MAKER, DecisionRole.TECHNICAL_EVALUATOR, DecisionRole.BUSINESS_EVALUATOR}
_KIND_ORDER = list(ActivityKind)


class Alternative(TypedDict):
    """One activity for a target: who leads it, who introduces, why, and what it is expected to gain."""

    activity: str
    lead: str | None
    introducer: str | None
    path: list[str]
    reason: str
    expected_gain: float
    gain_if_done: float
    likelihood: float
    coverage_gain: float
    participants: list[str]


class Recommendation(Alternative):
    """A ranked entry: the best activity for one target, the others for that target as ``alternatives``."""

    target: str
    fading: bool
    alternatives: list[Alternative]


@dataclass(frozen=True)
class _Standing:
    """What the forecast needs of one stakeholder, before or after an activity."""

    stance: Stance
    ours: float
    theirs: float

    @property
    def lean(self) -> float:
        return own_lean(self.stance, self.ours, self.theirs)


#: Who leads a candidate activity and why, worked out only for the activities that make the list.
_Explain = Callable[[], tuple[str | None, str]]


@dataclass
class _Candidate:
    kind: ActivityKind
    target: str
    changes: dict[str, _Standing]
    explain: _Explain
    #: A refresh of a fading relationship (its reason says how long it has been untouched).
    fading: bool = False


@dataclass(frozen=True)
class _Route:
    """How the lead gets to the target: their own path, or a colleague's introduction, or none."""

    path: list[str]
    introducer: str | None
    strength: float


class _Context:
    """Everything the rules share: the graph, power, today's standings and the forecast's sensitivities."""

    def __init__(self, graph: nx.DiGraph[str], powers: Mapping[str, float]) -> None:
        self.graph = graph
        self.powers = powers
        self.members: Mapping[str, Mapping[str, Any]] = graph.graph.get("members", {})
        self.competitor_names: Mapping[str, Mapping[str, Any]] = graph.graph.get("competitors", {})
        self.standing = {
            s: _Standing(graph.nodes[s]["stance"], our_strength(graph, s), strongest_competitor(graph, s)[1])
            for s in graph
        }
        self.own = {s: st.lean for s, st in self.standing.items()}
        self.sensitivity = sensitivities(graph, powers)
        self.total_power = sum(powers.values())
        self._tie_graph: nx.Graph[str] | None = None
        self._paths: dict[tuple[str, str | None], IntroPath | None] = {}
        self.fading: dict[str, list[Fading]] = {}

    def reached(self, stakeholder: str) -> bool:
        """Someone of ours already has a relationship with them (above 0)."""
        return self.standing[stakeholder].ours > 0.0

    def route(self, stakeholder: str, lead: str | None) -> _Route:
        """The lead's own best path to the stakeholder; when the lead has none, the best path of a colleague,
        who then makes the introduction (``introducer``); none at all when nobody of ours reaches them."""
        own = self.path_to(stakeholder, member=lead) if lead is not None else None
        if own is not None:
            return _Route(own["nodes"], None, own["strength"])
        anyone = self.path_to(stakeholder)
        if anyone is None:
            return _Route([], None, 0.0)
        return _Route(anyone["nodes"], anyone["nodes"][0], anyone["strength"])

    def likelihood(self, stakeholder: str, lead: str | None) -> float:
        """How likely the activity is to happen with them: 1 when we already know them, else the strength of
        the introduction path that gets us there, else :data:`COLD_LIKELIHOOD` (a cold approach)."""
        if self.reached(stakeholder):
            return 1.0
        strength = self.route(stakeholder, lead).strength
        return strength if strength > 0.0 else COLD_LIKELIHOOD

    def node(self, stakeholder: str) -> Mapping[str, Any]:
        attrs: Mapping[str, Any] = self.graph.nodes[stakeholder]
        return attrs

    def describe(self, stakeholder: str) -> str:
        attrs = self.node(stakeholder)
        role = str(attrs["decision_role"]).replace("_", " ")
        title = f"{attrs['title']}, " if attrs["title"] else ""
        return f"{attrs['name']} ({title}{role}, power {self.powers[stakeholder]:.2f})"

    def member_name(self, member: str | None) -> str:
        return str(self.members[member]["name"]) if member is not None else "nobody on our team"

    def path_to(self, stakeholder: str, *, member: str | None = None) -> IntroPath | None:
        key = (stakeholder, member)
        if key not in self._paths:
            if self._tie_graph is None:
                self._tie_graph = ties(self.graph)
            self._paths[key] = best_path(self.graph, stakeholder, member=member, tie_graph=self._tie_graph)
        return self._paths[key]

    def strongest_member(self, stakeholder: str) -> str | None:
        ours: Mapping[str, float] = self.node(stakeholder)["ours"]
        holders = [m for m, strength in ours.items() if strength > 0.0]
        return min(holders, key=lambda m: (-ours[m], m)) if holders else None

    def level_match(self, stakeholder: str, *, exact: bool = False) -> str | None:
        """Our member whose level is closest to the stakeholder's (exactly equal if ``exact``)."""
        wanted = Level(self.node(stakeholder)["level"]).rank
        candidates = [
            (abs(Level(info["level"]).rank - wanted), -Level(info["level"]).rank, m)
            for m, info in self.members.items()
            if not exact or Level(info["level"]).rank == wanted
        ]
        return min(candidates)[2] if candidates else None

    def member_with_role(self, role: TeamRole) -> str | None:
        return next((m for m, info in sorted(self.members.items()) if info["role"] == role), None)

    def gain(self, changes: Mapping[str, _Standing], weights: Mapping[str, float] | None = None) -> tuple[float, float]:
        """Simulated change of support index and of coverage if ``changes`` came true (each person's share
        weighted by ``weights``, the likelihood that the activity happens with them, when given).

        The support index is linear in the own leans, so the change of the index is exactly each
        changed own lean's difference times that stakeholder's sensitivity (see
        :func:`~powermap.analysis.forecast.sensitivities`): one solve serves every simulation.
        """
        weight = weights or {}
        forecast_gain = sum(
            weight.get(s, 1.0) * self.sensitivity[s] * (after.lean - self.own[s]) for s, after in changes.items()
        )
        newly_covered = sum(
            weight.get(s, 1.0) * self.powers[s]
            for s, after in changes.items()
            if after.ours >= COVERED_FROM > self.standing[s].ours
        )
        return max(0.0, forecast_gain), (newly_covered / self.total_power if self.total_power else 0.0)


def recommend(
    graph: nx.DiGraph[str],
    powers: Mapping[str, float] | None = None,
    *,
    limit: int = 10,
    pool: int = POOL,
    today: dt.date | None = None,
    fading_after_days: int = FADING_AFTER_DAYS,
) -> list[Recommendation]:
    """Ranked activities for the account, best first (at most ``limit``), one entry per target.

    ``today`` (when given) finds fading relationships, which are then worth refreshing.

    >>> g = nx.DiGraph(members={"li": {"name": "Li", "role": "AR", "level": "middle"}}, competitors={})
    >>> g.add_node("ceo", name="Chen", title="CEO", department="", level="executive", influence=0.9,
    ...            decision_role=DecisionRole.DECISION_MAKER, stance=Stance.SKEPTIC, ours={}, theirs={})
    >>> g.add_node("cto", name="Tao", title="CTO", department="", level="senior", influence=0.6,
    ...            decision_role=DecisionRole.TECHNICAL_EVALUATOR, stance=Stance.NEUTRAL,
    ...            ours={"li": 0.8}, theirs={})
    >>> g.add_edge("cto", "ceo", weight=0.7)
    >>> top = recommend(g)[0]
    >>> top["activity"], top["target"], top["lead"], top["path"], top["likelihood"]
    ('site_visit', 'cto', 'li', ['li', 'cto'], 1.0)

    Nobody of ours has met the skeptical CEO, so the only advice for them is a first contact, through
    the CTO; it happens as likely as that introduction carries (0.8 * 0.7):

    >>> ceo = next(r for r in recommend(g) if r["target"] == "ceo")
    >>> ceo["activity"], ceo["path"], round(ceo["likelihood"], 2), [a["activity"] for a in ceo["alternatives"]]
    ('ice_breaking', ['li', 'cto', 'ceo'], 0.56, [])
    """
    powers = powers if powers is not None else compute_power(graph)
    context = _Context(graph, powers)
    context.fading = _fading_by_target(graph, today, fading_after_days)
    targets = [s for s, _ in ranking(dict(powers))[:pool]]
    scored: list[tuple[float, float, _Candidate, str | None, str, float, float]] = []
    for candidate in _candidates(context, targets):
        lead, reason = candidate.explain()
        weights = {s: context.likelihood(s, lead) for s in candidate.changes}
        if_done = round(context.gain(candidate.changes)[0], 12)
        # Rounded to 12 places: differences below that are float noise, not a reason to rank.
        expected, covered = (round(value, 12) for value in context.gain(candidate.changes, weights))
        if expected > 1e-12 or covered > 0.0:
            likelihood = expected / if_done if if_done > 1e-12 else weights[candidate.target]
            scored.append((expected, covered, candidate, lead, reason, if_done, likelihood))
    scored.sort(
        key=lambda item: (
            -item[0],
            -item[1],
            -powers[item[2].target],
            _KIND_ORDER.index(item[2].kind),
            item[2].target,
        )
    )
    recommendations: dict[str, Recommendation] = {}
    for expected, covered, candidate, lead, reason, if_done, likelihood in scored:
        participants = sorted(candidate.changes, key=lambda s: (-powers[s], s))
        entry = recommendations.get(candidate.target)
        if entry is not None:
            route = context.route(candidate.target, lead)
            entry["alternatives"].append(
                {
                    "activity": candidate.kind.value,
                    "lead": lead,
                    "introducer": route.introducer,
                    "path": route.path,
                    "reason": reason,
                    "expected_gain": expected,
                    "gain_if_done": if_done,
                    "likelihood": likelihood,
                    "coverage_gain": covered,
                    "participants": participants,
                }
            )
            continue
        if len(recommendations) >= limit:
            continue
        route = context.route(candidate.target, lead)
        recommendations[candidate.target] = {
            "activity": candidate.kind.value,
            "target": candidate.target,
            "lead": lead,
            "introducer": route.introducer,
            "path": route.path,
            "reason": reason,
            "expected_gain": expected,
            "gain_if_done": if_done,
            "likelihood": likelihood,
            "coverage_gain": covered,
            "participants": participants,
            "fading": candidate.fading,
            "alternatives": [],
        }
    return list(recommendations.values())


def _fading_by_target(graph: nx.DiGraph[str], today: dt.date | None, after_days: int) -> dict[str, list[Fading]]:
    by_target: dict[str, list[Fading]] = {}
    for fading in fading_relationships(graph, today, after_days=after_days) if today is not None else []:
        by_target.setdefault(fading["stakeholder"], []).append(fading)
    return by_target


def _candidates(context: _Context, targets: list[str]) -> Iterable[_Candidate]:
    for rule in _PER_TARGET_RULES:
        for target in targets:
            candidate = rule(context, target)
            # The order of relationship work: nobody visits or turns round a person none of us has met.
            if candidate is not None and (context.reached(target) or candidate.kind in FIRST_CONTACT_KINDS):
                yield candidate
    yield from _summit(context, targets)
    yield from _topic_seminars(context, targets)
    for target in targets:
        refresh = _refresh(context, target)
        if refresh is not None:
            yield refresh
    # The rules that close the customer's voice loop live in their own module (issue 9).
    from powermap.analysis.voice_advice import voice_candidates

    for candidate in voice_candidates(context, context.graph.graph.get("voices", ())):
        if context.reached(candidate.target) or candidate.kind in FIRST_CONTACT_KINDS:
            yield candidate


def _article(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _raise(standing: _Standing, step: float, *, warmer: bool = False) -> _Standing:
    return _Standing(
        standing.stance.improved() if warmer else standing.stance, min(1.0, standing.ours + step), standing.theirs
    )


def _ice_breaking(context: _Context, target: str) -> _Candidate | None:
    standing = context.standing[target]
    if standing.ours > 0.0:
        return None

    def explain() -> tuple[str | None, str]:
        path = context.path_to(target)
        lead = path["nodes"][0] if path else context.level_match(target)
        if path and len(path["nodes"]) > 2:
            via = ", ".join(str(context.node(s)["name"]) for s in path["nodes"][1:-1])
            how = f"{context.member_name(lead)} can be introduced through {via} (path strength {path['strength']:.2f})"
        else:
            how = f"no introduction path exists, so {context.member_name(lead)} should open a direct channel"
        return lead, f"{context.describe(target)} has no relationship with our team yet; {how}."

    changes = {target: _Standing(standing.stance, FIRST_CONTACT, standing.theirs)}
    return _Candidate(ActivityKind.ICE_BREAKING, target, changes, explain)


def _attitude_turnaround(context: _Context, target: str) -> _Candidate | None:
    standing = context.standing[target]
    if standing.stance not in {Stance.SKEPTIC, Stance.OPPONENT}:
        return None

    def explain() -> tuple[str | None, str]:
        lead = context.strongest_member(target)
        return lead, (
            f"{context.describe(target)} is {_article(standing.stance.value)}; "
            f"{context.member_name(lead)} should meet them to address their objections and move them to "
            f"{standing.stance.improved().value}."
        )

    changes = {target: _raise(standing, TURNAROUND_STEP, warmer=True)}
    return _Candidate(ActivityKind.ATTITUDE_TURNAROUND, target, changes, explain)


def _relationship_upgrade(context: _Context, target: str) -> _Candidate | None:
    standing = context.standing[target]
    weak = 0.0 < standing.ours < 0.6
    lukewarm = standing.stance == Stance.NEUTRAL and 0.0 < standing.ours < 0.8
    if not (weak or lukewarm):
        return None

    def explain() -> tuple[str | None, str]:
        lead = context.strongest_member(target)
        return lead, (
            f"Our relationship with {context.describe(target)} is only {standing.ours:.2f}"
            f"{' and they are neutral' if lukewarm else ''}; {context.member_name(lead)} should deepen it."
        )

    return _Candidate(ActivityKind.RELATIONSHIP_UPGRADE, target, {target: _raise(standing, UPGRADE_STEP)}, explain)


def _executive_engagement(context: _Context, target: str) -> _Candidate | None:
    standing = context.standing[target]
    level = Level(context.node(target)["level"])
    lead = context.level_match(target, exact=True)
    if level not in {Level.EXECUTIVE, Level.SENIOR} or standing.ours >= 0.8 or lead is None:
        return None

    def explain() -> tuple[str | None, str]:
        return lead, (
            f"{context.describe(target)} is at {level.value} level and we hold them at {standing.ours:.2f}; "
            f"a visit by {context.member_name(lead)}, our {level.value}, matches level to level."
        )

    changes = {target: _raise(standing, EXECUTIVE_STEP)}
    return _Candidate(ActivityKind.EXECUTIVE_ENGAGEMENT, target, changes, explain)


def _site_visit(context: _Context, target: str) -> _Candidate | None:
    standing = context.standing[target]
    if context.node(target)["decision_role"] not in _EVALUATORS or standing.stance != Stance.NEUTRAL:
        return None

    def explain() -> tuple[str | None, str]:
        lead = context.member_with_role(TeamRole.SR) or context.strongest_member(target)
        return lead, (
            f"{context.describe(target)} is undecided; seeing a working reference site or our factory, "
            f"hosted by {context.member_name(lead)}, gives them the evidence to come out for us."
        )

    changes = {target: _raise(standing, VISIT_STEP, warmer=True)}
    return _Candidate(ActivityKind.SITE_VISIT, target, changes, explain)


def _competitor_block(context: _Context, target: str) -> _Candidate | None:
    standing = context.standing[target]
    competitor, theirs = strongest_competitor(context.graph, target)
    if competitor is None or theirs <= standing.ours:
        return None
    remaining = dict(context.node(target)["theirs"])
    remaining[competitor] = max(standing.ours, theirs - BLOCK_STEP)
    after = _Standing(standing.stance, standing.ours, max(remaining.values()))

    def explain() -> tuple[str | None, str]:
        lead = context.strongest_member(target)
        name = context.competitor_names.get(competitor, {}).get("name", competitor)
        return lead, (
            f"{name} holds {context.describe(target)} at {theirs:.2f} against our {standing.ours:.2f}; "
            f"{context.member_name(lead)} should counter its position before the decision."
        )

    return _Candidate(ActivityKind.COMPETITOR_BLOCK, target, {target: after}, explain)


def _refresh(context: _Context, target: str) -> _Candidate | None:
    """A meal with a stakeholder whose relationships with us are all fading, led by whoever holds them best."""
    fading = context.fading.get(target, [])
    ours: Mapping[str, float] = context.node(target)["ours"]
    holders = [m for m, strength in ours.items() if strength > 0.0]
    if not fading or len(fading) < len(holders):
        return None
    lead = min(fading, key=lambda f: (-f["strength"], f["member"]))
    standing = context.standing[target]

    def explain() -> tuple[str | None, str]:
        return lead["member"], (
            f"Nobody of ours has been in touch with {context.describe(target)} for {lead['days']} days "
            f"(since {lead['last_contact']}); {context.member_name(lead['member'])} should refresh the "
            "relationship before it fades."
        )

    changes = {target: _raise(standing, KIND_EFFECTS[ActivityKind.MEAL].step)}
    return _Candidate(ActivityKind.MEAL, target, changes, explain, fading=True)


_PER_TARGET_RULES: tuple[Callable[[_Context, str], _Candidate | None], ...] = (
    _attitude_turnaround,
    _ice_breaking,
    _relationship_upgrade,
    _executive_engagement,
    _site_visit,
    _competitor_block,
)


def _summit(context: _Context, targets: list[str]) -> Iterable[_Candidate]:
    guests = [
        s for s in targets if Level(context.node(s)["level"]) == Level.EXECUTIVE and context.standing[s].ours < 0.7
    ][:5]
    if len(guests) < 2:
        return

    def explain() -> tuple[str | None, str]:
        lead = context.member_with_role(TeamRole.EXECUTIVE) or context.level_match(guests[0])
        names = ", ".join(str(context.node(s)["name"]) for s in guests)
        return lead, (
            f"{len(guests)} of their executives ({names}) are not yet close to us; a summit hosted by "
            f"{context.member_name(lead)} lifts all of these relationships at once."
        )

    changes = {s: _raise(context.standing[s], SUMMIT_STEP) for s in guests}
    yield _Candidate(ActivityKind.SUMMIT, guests[0], changes, explain)


def _topic_seminars(context: _Context, targets: list[str]) -> Iterable[_Candidate]:
    departments: dict[str, list[str]] = {}
    for s in targets:
        department = str(context.node(s)["department"])
        if department and context.standing[s].ours < COVERED_FROM:
            departments.setdefault(department, []).append(s)
    for department, audience in sorted(departments.items()):
        if len(audience) >= 3:
            yield _Candidate(
                ActivityKind.TOPIC_SEMINAR,
                audience[0],
                {s: _raise(context.standing[s], SEMINAR_STEP) for s in audience},
                _seminar_explanation(context, department, audience),
            )


def _seminar_explanation(context: _Context, department: str, audience: list[str]) -> _Explain:
    def explain() -> tuple[str | None, str]:
        presenter = context.member_with_role(TeamRole.SR) or context.level_match(audience[0])
        return presenter, (
            f"{len(audience)} people of {department} are below {COVERED_FROM} with us; a topic seminar "
            f"led by {context.member_name(presenter)} reaches them as a group."
        )

    return explain
