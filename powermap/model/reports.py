"""The analyses' reports as typed models: what ``--json`` prints and the HTTP API answers.

Field for field the shapes of :mod:`powermap.analysis` (a unit test keeps them in step), so the
API's OpenAPI schema says exactly what a client gets and the CLI's JSON is the same document.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Report(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GapReport(Report):
    stakeholder: str
    competitor: str
    ours: float
    theirs: float
    gap: float


class DecisionMakerLeanReport(Report):
    stakeholder: str
    power: float
    own_lean: float
    lean: float


class ForecastReport(Report):
    support_index: float = Field(ge=-1, le=1)
    outlook: str
    basis: str
    decision_makers: list[DecisionMakerLeanReport]


class FadingReport(Report):
    """One of our relationships nobody has touched for longer than the fading window."""

    member: str
    stakeholder: str
    strength: float
    last_contact: str = Field(description="YYYY-MM-DD")
    days: int = Field(description="Days since the last contact")


class VoiceLoopReport(Report):
    """The health of the customer's voice loop (``docs/contract.md``, "The voice loop")."""

    total: int
    open: int
    overdue: int = Field(description="Open pains older than the overdue limit (30 days by default)")
    by_category: dict[str, int]
    by_flow: dict[str, int]
    closure_rate: float | None = Field(ge=0, le=1, description="Resolved pain/itch voices over all pain/itch voices")
    mean_satisfaction: float | None = Field(ge=1, le=5)
    pain_exposure: float = Field(ge=0, le=1, description="Share of the account's power with an open pain")


class AnalysisReport(Report):
    """``powermap analyze --json``: power ranking, coverage, gaps, forecast, fading relationships, voice loop."""

    account: str
    power: dict[str, float] = Field(description="Stakeholder id -> power (0-1), most powerful first")
    coverage: float
    gaps: list[GapReport]
    forecast: ForecastReport
    fading: list[FadingReport] = Field(
        default_factory=list,
        description="Relationships with no contact for over POWERMAP_FADING_AFTER_DAYS (90) days, oldest first",
    )
    voice_loop: VoiceLoopReport


class PathReport(Report):
    strength: float
    nodes: list[str] = Field(description="Our member, then stakeholders, ending at the target")


class PathsReport(Report):
    """``powermap paths --json``: the best introduction paths to one stakeholder, best first."""

    account: str
    target: str
    paths: list[PathReport]


class AlternativeReport(Report):
    """Another activity for the same target (issue 8: one entry per target)."""

    activity: str
    lead: str | None
    introducer: str | None = Field(description="The colleague who must introduce the lead, when one must")
    path: list[str] = Field(description="From the lead, or from the introducer when there is one")
    reason: str
    expected_gain: float = Field(description="gain_if_done weighed by the likelihood of the activity")
    gain_if_done: float
    likelihood: float = Field(ge=0, le=1)
    coverage_gain: float
    participants: list[str]


class RecommendationReport(AlternativeReport):
    """One target's best activity, with the other activities for them as alternatives."""

    target: str
    fading: bool = Field(description="A refresh of relationships untouched for too long")
    alternatives: list[AlternativeReport]


class RecommendationsReport(Report):
    """``powermap recommend --json``: activities to run next, best first."""

    account: str
    recommendations: list[RecommendationReport]


# -- personal data (issue 11) ---------------------------------------------------------------------------


class ErasureReport(Report):
    """``powermap erase --json``: what the erasure removed from the live map, per list."""

    account: str
    stakeholder: str
    revision: int = Field(description="The account's revision after the erasure")
    dropped: dict[str, int] = Field(description="Items removed, per list (their own record, lines, voices)")
    changed: dict[str, int] = Field(description="Items that lost the person's id, per list (activities)")


class NameMention(Report):
    list: str
    item: str | None
    field: str


class ChangeNaming(Report):
    revision: int
    at: str
    actor: str
    operation: str


class PersonalDataReport(Report):
    """``powermap person --json``: everything an account holds about one stakeholder."""

    account: str
    stakeholder: dict[str, Any] = Field(description="Their own record, in contract shape")
    items: dict[str, list[dict[str, Any]]] = Field(description="Other items that name them, per list")
    mentions: list[NameMention] = Field(description="Other items whose free text contains their name")
    history: list[ChangeNaming] = Field(description="Recorded changes whose subject names them")
    erased_before: int = Field(description="How often someone with this id was erased from this account")


class ChangeReport(Report):
    """One recorded write: the revision it made, when, who (the API key's or CLI's actor), what and on what."""

    revision: int
    at: dt.datetime
    actor: str = Field(description="Who: the API key's name (or the CLI's POWERMAP_ACTOR)")
    operation: str = Field(description="What, e.g. 'update stakeholder', 'replace map'")
    subject: str = Field(description="On which item: an id, or a line's two ends as 'from->to'")


class ChangesPage(Report):
    """A page of an account's change log, newest first; ask for the next with ``?before=next_before``."""

    account: str
    data: list[ChangeReport]
    next_before: int | None = Field(description="Pass as ?before= for the next (older) page; null on the last")


# -- what-if and single-champion risk (issue 8) -----------------------------------------------------------


class WhatIfDelta(Report):
    support_index: float = Field(description="after.forecast.support_index - before.forecast.support_index")
    coverage: float = Field(description="after.coverage - before.coverage")


class WhatIfReport(Report):
    """``powermap whatif --json``: ``analyze`` before and after a plan applied to a copy (nothing stored)."""

    account: str
    before: AnalysisReport = Field(description="The analysis of the map as stored")
    after: AnalysisReport = Field(description="The analysis of the map with the plan applied")
    delta: WhatIfDelta


class DropReport(Report):
    """What the account loses if one person leaves: exact differences of ``analyze`` (and of reach)."""

    name: str
    coverage_drop: float = Field(description="Coverage now minus coverage without them")
    support_drop: float = Field(description="Support index now minus without them (negative: better off)")
    reach_drop: float = Field(
        description="Share of today's power we reach by some introduction path today and could not without them"
    )


class MemberDropReport(DropReport):
    member: str


class StakeholderDropReport(DropReport):
    stakeholder: str


class HangsOnReport(Report):
    """One person whose departure alone costs at least half of our coverage or of our reach."""

    kind: str = Field(description="'member' or 'stakeholder'")
    id: str
    name: str
    coverage_drop: float
    reach_drop: float


class DependencyReport(Report):
    """``powermap dependency --json``: single-champion risk, each list largest loss first."""

    account: str
    members: list[MemberDropReport]
    stakeholders: list[StakeholderDropReport]
    coverage: float
    support_index: float
    reach: float = Field(description="Share of the account's power some introduction path of ours reaches")
    hangs_on_one_person: bool
    hangs_on: list[HangsOnReport]
    rule: str = Field(description="When the account is said to hang on one person, in words")
