"""Advice that closes the customer's voice loop: candidate activities drawn from the account's voices.

The brief's first source of key-account operation is customer satisfaction as a closed loop: every
voice is screened, routed, answered and *closed with the customer*, and leaders of several levels are
drawn in on the way. These rules turn the state of the loop into activities of the contract's kinds;
:mod:`powermap.analysis.recommend` simulates and ranks them with every other candidate (same effects,
same expected gain), and each one's reason names the voices it answers.

==========================  ===============================================  =====================================
kind                        proposed for                                     simulated effect
==========================  ===============================================  =====================================
``topic_seminar``           two or more stakeholders who share an open pain  each one's strength +0.1
                            (open pain voices naming the same roadmap item,
                            or with the same owner when they name none)
``relationship_upgrade``    the person who raised a resolved voice whose     their strength +0.2
                            satisfaction nobody has asked yet: report the
                            resolution back and ask (1-5)
``summit``                  two or more of their executives with open        each one's strength +0.15
                            voices: our executive reports progress on them
==========================  ===============================================  =====================================

Pseudo-needs are never advice (they are explained, not answered); rejected voices are closed.
The voices come from the graph (``graph.graph["voices"]``, set by :func:`powermap.graph.build_graph`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# recommend imports this module only when it runs (it plugs these rules in), so this is no cycle.
from powermap.analysis.recommend import (
    SEMINAR_STEP,
    SUMMIT_STEP,
    UPGRADE_STEP,
    _Candidate,
    _Context,
    _Explain,
    _raise,
)
from powermap.model import ActivityKind, Level, TeamRole, Voice, VoiceCategory, VoiceStatus

#: Longest quote of a voice's text in a reason.
QUOTE = 60


def quote(voice: Voice) -> str:
    """A voice as a reason names it: its id and the start of what was said.

    >>> import datetime as dt
    >>> quote(Voice(id="v1", stakeholder="s", date=dt.date(2026, 1, 1), text="Line stops cost us a shift"))
    'v1 "Line stops cost us a shift"'
    """
    text = voice.text if len(voice.text) <= QUOTE else voice.text[: QUOTE - 1] + "…"
    return f'{voice.id} "{text}"'


def voice_candidates(context: _Context, voices: Sequence[Voice]) -> Iterable[_Candidate]:
    """Every loop-closing candidate of the account (see the module's table)."""
    known = [v for v in voices if v.stakeholder in context.standing]
    yield from _shared_pain_seminars(context, known)
    yield from _report_backs(context, known)
    yield from _progress_summit(context, known)


def _shared_pain_seminars(context: _Context, voices: Sequence[Voice]) -> Iterable[_Candidate]:
    groups: dict[tuple[str, str], list[Voice]] = {}
    for voice in voices:
        if not (voice.is_open and voice.category == VoiceCategory.PAIN):
            continue
        if voice.roadmap:
            for item in voice.roadmap:
                groups.setdefault(("item", item), []).append(voice)
        elif voice.owner:
            groups.setdefault(("owner", voice.owner), []).append(voice)
    seen: set[frozenset[str]] = set()
    for (how, name), shared in sorted(groups.items()):
        audience = sorted({v.stakeholder for v in shared}, key=lambda s: (-context.powers[s], s))
        if len(audience) < 2 or frozenset(audience) in seen:
            continue
        seen.add(frozenset(audience))
        topic = f"roadmap item {name}" if how == "item" else f"what {name} is doing about it"
        yield _Candidate(
            ActivityKind.TOPIC_SEMINAR,
            audience[0],
            {s: _raise(context.standing[s], SEMINAR_STEP) for s in audience},
            _seminar_reason(context, audience, shared, topic),
        )


def _seminar_reason(context: _Context, audience: list[str], shared: list[Voice], topic: str) -> _Explain:
    def explain() -> tuple[str | None, str]:
        lead = context.member_with_role(TeamRole.SR) or context.level_match(audience[0])
        names = ", ".join(str(context.node(s)["name"]) for s in audience)
        said = "; ".join(quote(v) for v in shared)
        return lead, (
            f"{names} share an open pain ({said}); a topic seminar on {topic}, led by "
            f"{context.member_name(lead)}, answers them together and shows the loop is closing."
        )

    return explain


def _report_backs(context: _Context, voices: Sequence[Voice]) -> Iterable[_Candidate]:
    for voice in voices:
        if voice.status != VoiceStatus.RESOLVED or voice.satisfaction is not None:
            continue
        target = voice.stakeholder

        def explain(voice: Voice = voice, target: str = target) -> tuple[str | None, str]:
            lead = context.strongest_member(target)
            return lead, (
                f"{context.describe(target)} raised {quote(voice)}, resolved on {voice.closed_on}, and nobody has "
                f"asked them yet whether it is solved for them: {context.member_name(lead)} should report it back "
                "and ask how satisfied they are (1-5), closing the loop with the person who raised it."
            )

        changes = {target: _raise(context.standing[target], UPGRADE_STEP)}
        yield _Candidate(ActivityKind.RELATIONSHIP_UPGRADE, target, changes, explain)


def _progress_summit(context: _Context, voices: Sequence[Voice]) -> Iterable[_Candidate]:
    open_voices: dict[str, list[Voice]] = {}
    for voice in voices:
        executive = Level(context.node(voice.stakeholder)["level"]) == Level.EXECUTIVE
        if executive and voice.is_open and voice.category != VoiceCategory.PSEUDO:
            open_voices.setdefault(voice.stakeholder, []).append(voice)
    guests = sorted(open_voices, key=lambda s: (-context.powers[s], s))[:5]
    if len(guests) < 2:
        return

    def explain() -> tuple[str | None, str]:
        lead = context.member_with_role(TeamRole.EXECUTIVE) or context.level_match(guests[0])
        listed = "; ".join(f"{context.node(s)['name']}: " + ", ".join(quote(v) for v in open_voices[s]) for s in guests)
        return lead, (
            f"{len(guests)} of their executives have voices still open ({listed}); a summit where "
            f"{context.member_name(lead)}, our executive, reports progress on each draws their leaders into the loop."
        )

    changes = {s: _raise(context.standing[s], SUMMIT_STEP) for s in guests}
    yield _Candidate(ActivityKind.SUMMIT, guests[0], changes, explain)
