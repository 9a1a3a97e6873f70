"""The contract's closed vocabularies: roles, levels, stances, activity kinds and the kinds of node and line.

They double as the closed sets the stores may turn into labels (Neo4j) or keys (SQLite): no label,
relationship type or table name ever comes from user text.
"""

from __future__ import annotations

from enum import StrEnum


class TeamRole(StrEnum):
    AR = "AR"
    SR = "SR"
    FR = "FR"
    EXECUTIVE = "executive"
    OTHER = "other"


class Level(StrEnum):
    EXECUTIVE = "executive"
    SENIOR = "senior"
    MIDDLE = "middle"
    STAFF = "staff"

    @property
    def rank(self) -> int:
        """3 for executive down to 0 for staff, for matching our people to theirs."""
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.EXECUTIVE: 3, Level.SENIOR: 2, Level.MIDDLE: 1, Level.STAFF: 0}


class DecisionRole(StrEnum):
    DECISION_MAKER = "decision_maker"
    TECHNICAL_EVALUATOR = "technical_evaluator"
    BUSINESS_EVALUATOR = "business_evaluator"
    PROCUREMENT = "procurement"
    USER = "user"
    GATEKEEPER = "gatekeeper"
    COACH = "coach"
    NONE = "none"


class Stance(StrEnum):
    CHAMPION = "champion"
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    SKEPTIC = "skeptic"
    OPPONENT = "opponent"

    @property
    def score(self) -> float:
        """The contract's numeric value of a stance, from -1 (opponent) to +1 (champion)."""
        return _STANCE_SCORE[self]

    def improved(self) -> Stance:
        """One step warmer toward us (a champion stays a champion)."""
        order = list(_STANCE_SCORE)
        return order[max(order.index(self) - 1, 0)]


_STANCE_SCORE = {
    Stance.CHAMPION: 1.0,
    Stance.SUPPORTER: 0.5,
    Stance.NEUTRAL: 0.0,
    Stance.SKEPTIC: -0.5,
    Stance.OPPONENT: -1.0,
}


class ActivityKind(StrEnum):
    ICE_BREAKING = "ice_breaking"
    ATTITUDE_TURNAROUND = "attitude_turnaround"
    RELATIONSHIP_UPGRADE = "relationship_upgrade"
    EXECUTIVE_ENGAGEMENT = "executive_engagement"
    SUMMIT = "summit"
    SITE_VISIT = "site_visit"
    TOPIC_SEMINAR = "topic_seminar"
    COMPETITOR_BLOCK = "competitor_block"
    CALL = "call"
    MEAL = "meal"
    MESSAGE = "message"
    OTHER = "other"


class NodeKind(StrEnum):
    """The kinds of node an account map holds; also the closed set of Neo4j labels."""

    STAKEHOLDER = "stakeholder"
    MEMBER = "member"
    COMPETITOR = "competitor"


class EdgeKind(StrEnum):
    """The kinds of line between nodes; also the closed set of Neo4j relationship types."""

    REPORTS_TO = "reports_to"
    INFLUENCES = "influences"
    RELATIONSHIP = "relationship"
    COMPETITOR_RELATIONSHIP = "competitor_relationship"

    @property
    def source_kind(self) -> NodeKind:
        return _EDGE_ENDS[self][0]

    @property
    def target_kind(self) -> NodeKind:
        return _EDGE_ENDS[self][1]


_EDGE_ENDS = {
    EdgeKind.REPORTS_TO: (NodeKind.STAKEHOLDER, NodeKind.STAKEHOLDER),
    EdgeKind.INFLUENCES: (NodeKind.STAKEHOLDER, NodeKind.STAKEHOLDER),
    EdgeKind.RELATIONSHIP: (NodeKind.MEMBER, NodeKind.STAKEHOLDER),
    EdgeKind.COMPETITOR_RELATIONSHIP: (NodeKind.COMPETITOR, NodeKind.STAKEHOLDER),
}


# -- voices and roadmap (the customer's voice, source 1; our roadmap, source 3) ------------------------


class VoiceCategory(StrEnum):
    """How head office screened a voice: pain (痛点), itch (痒点), pseudo-need (伪需求) or not yet."""

    PAIN = "pain"
    ITCH = "itch"
    PSEUDO = "pseudo"
    UNSCREENED = "unscreened"


class VoiceStatus(StrEnum):
    """Where a voice is on its way to closure with the customer."""

    NEW = "new"
    SCREENED = "screened"
    ROUTED = "routed"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"

    @property
    def is_open(self) -> bool:
        """Open unless resolved or rejected (a pseudo-need explained to the customer)."""
        return self not in {VoiceStatus.RESOLVED, VoiceStatus.REJECTED}


class Flow(StrEnum):
    """The process that owns a voice: lead to cash, integrated product development, issue to resolution."""

    LTC = "LTC"
    IPD = "IPD"
    ITR = "ITR"
    NONE = "none"


class VoiceChannel(StrEnum):
    """How a voice reached us: any activity kind, or a survey, call minutes, an executive's message, mail, web.

    Spelled out (not derived) so type checkers see it; a test keeps it equal to the activity kinds
    plus the extra channels.
    """

    ICE_BREAKING = "ice_breaking"
    ATTITUDE_TURNAROUND = "attitude_turnaround"
    RELATIONSHIP_UPGRADE = "relationship_upgrade"
    EXECUTIVE_ENGAGEMENT = "executive_engagement"
    SUMMIT = "summit"
    SITE_VISIT = "site_visit"
    TOPIC_SEMINAR = "topic_seminar"
    COMPETITOR_BLOCK = "competitor_block"
    CALL = "call"
    MEAL = "meal"
    MESSAGE = "message"
    OTHER = "other"
    SURVEY = "survey"
    CALL_MINUTES = "call_minutes"
    EXECUTIVE_MESSAGE = "executive_message"
    EMAIL = "email"
    WEB = "web"


class RoadmapStatus(StrEnum):
    """How far a roadmap item is from the customer's hands."""

    IDEA = "idea"
    PLANNED = "planned"
    COMMITTED = "committed"
    RELEASED = "released"
