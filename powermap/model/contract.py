"""The account-map document (``powermap/v1``) as pydantic models, and the one table of its lists.

Every model refuses unknown fields and is frozen. :data:`LISTS` is the single place that says, for each
list of the document, its name, the noun a person reads in messages, its item model and how an item is
keyed (an id, or the two ends of a line); the stores, the service, validation and the edges all read it.
Build a map from untrusted data with :func:`powermap.model.validation.parse_account_map`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from powermap.model.enums import (
    ActivityKind,
    DecisionRole,
    EdgeKind,
    Flow,
    Level,
    NodeKind,
    RoadmapStatus,
    Stance,
    TeamRole,
    VoiceCategory,
    VoiceChannel,
    VoiceStatus,
)

FORMAT = "powermap/v1"
ROADMAP_FORMAT = "powermap-roadmap/v1"

Id = Annotated[str, StringConstraints(min_length=1, max_length=128, strip_whitespace=False)]
Unit = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Text = Annotated[str, StringConstraints(max_length=20_000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=500)]
#: A 1-5 score (priority, satisfaction): a whole number, never a bool or a numeric string.
Score = Annotated[int, Field(ge=1, le=5, strict=True)]


class ContractModel(BaseModel):
    """Base of every contract model: unknown fields are refused, so a typo is an error, not a loss."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Account(ContractModel):
    id: Id
    name: Name
    industry: Text = ""
    notes: Text = ""


class Competitor(ContractModel):
    kind: ClassVar[NodeKind] = NodeKind.COMPETITOR
    id: Id
    name: Name
    notes: Text = ""


class TeamMember(ContractModel):
    kind: ClassVar[NodeKind] = NodeKind.MEMBER
    id: Id
    name: Name
    role: TeamRole
    title: Text = ""
    level: Level = Level.MIDDLE


class Stakeholder(ContractModel):
    kind: ClassVar[NodeKind] = NodeKind.STAKEHOLDER
    id: Id
    name: Name
    title: Text = ""
    department: Text = ""
    level: Level
    decision_role: DecisionRole = DecisionRole.NONE
    influence: Unit
    stance: Stance = Stance.NEUTRAL
    notes: Text = ""


class ReportsTo(ContractModel):
    kind: ClassVar[EdgeKind] = EdgeKind.REPORTS_TO
    source: Id = Field(alias="from")
    target: Id = Field(alias="to")


class Influence(ContractModel):
    kind: ClassVar[EdgeKind] = EdgeKind.INFLUENCES
    source: Id = Field(alias="from")
    target: Id = Field(alias="to")
    weight: Unit


class Relationship(ContractModel):
    kind: ClassVar[EdgeKind] = EdgeKind.RELATIONSHIP
    source: Id = Field(alias="member")
    target: Id = Field(alias="stakeholder")
    strength: Unit
    last_contact: dt.date | None = None


class CompetitorRelationship(ContractModel):
    kind: ClassVar[EdgeKind] = EdgeKind.COMPETITOR_RELATIONSHIP
    source: Id = Field(alias="competitor")
    target: Id = Field(alias="stakeholder")
    strength: Unit


class Activity(ContractModel):
    id: Id
    type: ActivityKind
    date: dt.date
    members: tuple[Id, ...] = ()
    stakeholders: tuple[Id, ...] = ()
    outcome: Text = ""
    notes: Text = ""


class Voice(ContractModel):
    """Something a stakeholder told us, screened, routed and (one day) closed with them.

    The rules that tie fields together (``closed_on`` exactly when closed, ``satisfaction`` only when
    resolved) and the references (stakeholder, activity, roadmap items) are checked by
    :func:`powermap.model.validation.parse_account_map`, so one refusal names every problem.
    """

    id: Id
    stakeholder: Id
    date: dt.date
    channel: VoiceChannel = VoiceChannel.OTHER
    activity: Id | None = None
    text: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    category: VoiceCategory = VoiceCategory.UNSCREENED
    priority: Score | None = None
    flow: Flow = Flow.NONE
    owner: Text = ""
    status: VoiceStatus = VoiceStatus.NEW
    roadmap: tuple[Id, ...] = ()
    closed_on: dt.date | None = None
    satisfaction: Score | None = None

    @property
    def is_open(self) -> bool:
        return self.status.is_open


class RoadmapItem(ContractModel):
    """One item of our roadmap (one roadmap per store, shared by every account)."""

    id: Id
    title: Name
    release: Text = ""
    status: RoadmapStatus = RoadmapStatus.IDEA
    notes: Text = ""


class Roadmap(ContractModel):
    """Our roadmap as it travels (``powermap-roadmap/v1``); ids are unique (checked by ``parse_roadmap``)."""

    format: Literal["powermap-roadmap/v1"] = "powermap-roadmap/v1"
    items: tuple[RoadmapItem, ...] = ()

    def to_document(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


Node: TypeAlias = Stakeholder | TeamMember | Competitor
Edge: TypeAlias = ReportsTo | Influence | Relationship | CompetitorRelationship


class AccountMap(ContractModel):
    """One account's whole power map, as it travels between stores and clients.

    Build one from untrusted data with :func:`parse_account_map`, which also checks references;
    the constructor alone checks only the shape of each item.
    """

    format: Literal["powermap/v1"] = "powermap/v1"
    account: Account
    competitors: tuple[Competitor, ...] = ()
    team: tuple[TeamMember, ...] = ()
    stakeholders: tuple[Stakeholder, ...] = ()
    reports_to: tuple[ReportsTo, ...] = ()
    influences: tuple[Influence, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    competitor_relationships: tuple[CompetitorRelationship, ...] = ()
    activities: tuple[Activity, ...] = ()
    voices: tuple[Voice, ...] = ()

    def nodes(self, kind: NodeKind) -> Sequence[Node]:
        nodes: Sequence[Node] = getattr(self, NODE_LISTS[kind])
        return nodes

    def edges(self, kind: EdgeKind) -> Sequence[Edge]:
        edges: Sequence[Edge] = getattr(self, EDGE_LISTS[kind])
        return edges

    def stakeholder(self, stakeholder_id: str) -> Stakeholder | None:
        return next((s for s in self.stakeholders if s.id == stakeholder_id), None)

    def to_document(self) -> dict[str, Any]:
        """The contract document (JSON-ready), with the contract's field names."""
        return self.model_dump(mode="json", by_alias=True)


# ---------------------------------------------------------------------------------------------------
# The one table of the document's lists


@dataclass(frozen=True)
class ListSpec:
    """One list of the contract document.

    ``key`` names the fields that identify an item: ``("id",)`` for nodes and activities, the two
    ends (contract field names) for lines. ``refs`` says which list each reference field points into.
    """

    name: str
    noun: str
    model: type[ContractModel]
    key: tuple[str, ...]
    node_kind: NodeKind | None = None
    edge_kind: EdgeKind | None = None
    refs: tuple[tuple[str, str], ...] = ()

    @property
    def is_line(self) -> bool:
        return self.edge_kind is not None


#: Every list of a ``powermap/v1`` document, in document order.
LISTS: tuple[ListSpec, ...] = (
    ListSpec("competitors", "competitor", Competitor, ("id",), node_kind=NodeKind.COMPETITOR),
    ListSpec("team", "team member", TeamMember, ("id",), node_kind=NodeKind.MEMBER),
    ListSpec("stakeholders", "stakeholder", Stakeholder, ("id",), node_kind=NodeKind.STAKEHOLDER),
    ListSpec(
        "reports_to",
        "reporting line",
        ReportsTo,
        ("from", "to"),
        edge_kind=EdgeKind.REPORTS_TO,
        refs=(("from", "stakeholders"), ("to", "stakeholders")),
    ),
    ListSpec(
        "influences",
        "influence line",
        Influence,
        ("from", "to"),
        edge_kind=EdgeKind.INFLUENCES,
        refs=(("from", "stakeholders"), ("to", "stakeholders")),
    ),
    ListSpec(
        "relationships",
        "relationship",
        Relationship,
        ("member", "stakeholder"),
        edge_kind=EdgeKind.RELATIONSHIP,
        refs=(("member", "team"), ("stakeholder", "stakeholders")),
    ),
    ListSpec(
        "competitor_relationships",
        "competitor relationship",
        CompetitorRelationship,
        ("competitor", "stakeholder"),
        edge_kind=EdgeKind.COMPETITOR_RELATIONSHIP,
        refs=(("competitor", "competitors"), ("stakeholder", "stakeholders")),
    ),
    ListSpec(
        "activities",
        "activity",
        Activity,
        ("id",),
        refs=(("members", "team"), ("stakeholders", "stakeholders")),
    ),
    # Optional and additive: a v1 document without voices is valid. Their roadmap references point
    # outside the document (the store's roadmap) and are checked by validation given its ids.
    ListSpec(
        "voices",
        "voice",
        Voice,
        ("id",),
        refs=(("stakeholder", "stakeholders"), ("activity", "activities")),
    ),
)
LIST_BY_NAME: dict[str, ListSpec] = {spec.name: spec for spec in LISTS}
NODE_SPECS: dict[NodeKind, ListSpec] = {spec.node_kind: spec for spec in LISTS if spec.node_kind is not None}
EDGE_SPECS: dict[EdgeKind, ListSpec] = {spec.edge_kind: spec for spec in LISTS if spec.edge_kind is not None}

#: Document list name of each node and edge kind, in document order (views of :data:`LISTS`).
NODE_LISTS: dict[NodeKind, str] = {kind: spec.name for kind, spec in NODE_SPECS.items()}
EDGE_LISTS: dict[EdgeKind, str] = {kind: spec.name for kind, spec in EDGE_SPECS.items()}
NODE_MODELS: dict[NodeKind, type[Node]] = {
    NodeKind.STAKEHOLDER: Stakeholder,
    NodeKind.MEMBER: TeamMember,
    NodeKind.COMPETITOR: Competitor,
}
EDGE_MODELS: dict[EdgeKind, type[Edge]] = {
    EdgeKind.REPORTS_TO: ReportsTo,
    EdgeKind.INFLUENCES: Influence,
    EdgeKind.RELATIONSHIP: Relationship,
    EdgeKind.COMPETITOR_RELATIONSHIP: CompetitorRelationship,
}
