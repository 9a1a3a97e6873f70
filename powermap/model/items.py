"""What the HTTP API takes and gives for one item: Create, Update and Public models per list.

The split follows the full-stack FastAPI template (Base / Create / Update / Public). The contract
models of :mod:`powermap.model.contract` are the Base: an item is created with exactly the contract's
fields (``*Create``) and read back as the contract item (``*Public``), so an API body is a piece of an
exported document. ``*Update`` models carry only the fields a partial update may change — every
one optional, none of a line's two ends (they are its address: move a line by deleting and creating)
and never an id. An explicit ``null`` is refused for a field the contract does not let be null
(``last_contact: null`` clears a relationship's last contact; ``name: null`` is a 422).
Unknown fields are refused everywhere, so nobody can set what the contract does not name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from powermap.model.contract import (
    Account,
    Activity,
    Competitor,
    CompetitorRelationship,
    ContractModel,
    Id,
    Influence,
    Name,
    Relationship,
    ReportsTo,
    Score,
    Stakeholder,
    TeamMember,
    Text,
    Unit,
    Voice,
)
from powermap.model.enums import (
    ActivityKind,
    DecisionRole,
    Flow,
    Level,
    RoadmapStatus,
    Stance,
    TeamRole,
    VoiceCategory,
    VoiceChannel,
    VoiceStatus,
)

# -- Update models -----------------------------------------------------------------------------------


def _no_null_in_schema(schema: dict[str, Any], nullable: frozenset[str]) -> None:
    """Say in the JSON schema what the validator enforces: only ``nullable`` fields take ``null``."""
    for name, prop in schema.get("properties", {}).items():
        variants = prop.get("anyOf")
        if name in nullable or not variants:
            continue
        kept = [v for v in variants if v.get("type") != "null"]
        if len(kept) == 1:
            prop.pop("anyOf")
            prop.update(kept[0])
        prop.pop("default", None)


class ItemUpdate(BaseModel):
    """Base of every partial update: unknown fields refused; ``null`` only where the contract allows it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Fields whose contract value may be ``null`` (an update may set them to null to clear them).
    nullable: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        schema: dict[str, Any] = handler(core_schema)
        schema = handler.resolve_ref_schema(schema)
        _no_null_in_schema(schema, cls.nullable)
        return schema

    @model_validator(mode="after")
    def _refuse_null(self) -> ItemUpdate:
        for name in self.model_fields_set - self.nullable:
            if getattr(self, name) is None:
                raise ValueError(f"{name} may not be null: leave it out to keep it")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields the caller gave, by contract name (JSON-ready)."""
        changed: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return changed


class AccountUpdate(ItemUpdate):
    name: Name | None = None
    industry: Text | None = None
    notes: Text | None = None


class StakeholderUpdate(ItemUpdate):
    name: Name | None = None
    title: Text | None = None
    department: Text | None = None
    level: Level | None = None
    decision_role: DecisionRole | None = None
    influence: Unit | None = None
    stance: Stance | None = None
    notes: Text | None = None


class TeamMemberUpdate(ItemUpdate):
    name: Name | None = None
    role: TeamRole | None = None
    title: Text | None = None
    level: Level | None = None


class CompetitorUpdate(ItemUpdate):
    name: Name | None = None
    notes: Text | None = None


class ActivityUpdate(ItemUpdate):
    type: ActivityKind | None = None
    date: dt.date | None = None
    members: tuple[Id, ...] | None = None
    stakeholders: tuple[Id, ...] | None = None
    outcome: Text | None = None
    notes: Text | None = None


class ReportsToUpdate(ItemUpdate):
    """A reporting line has nothing but its two ends: an update can change nothing (and is accepted)."""


class InfluenceUpdate(ItemUpdate):
    weight: Unit | None = None


class RelationshipUpdate(ItemUpdate):
    nullable: ClassVar[frozenset[str]] = frozenset({"last_contact"})
    strength: Unit | None = None
    last_contact: dt.date | None = None


class CompetitorRelationshipUpdate(ItemUpdate):
    strength: Unit | None = None


class RoadmapItemUpdate(ItemUpdate):
    """A partial update of one item of the store's roadmap (``PATCH /roadmap/{id}``); its id cannot change."""

    title: Name | None = None
    release: Text | None = None
    status: RoadmapStatus | None = None
    notes: Text | None = None


# -- Create and Public: the contract item itself ----------------------------------------------------


class AccountCreate(Account):
    """A new account: its record; the map starts empty (or ``PUT /map`` a whole document)."""


class AccountPublic(Account):
    """An account as listed: its record, revision, last change and size."""

    revision: int
    updated_at: dt.datetime
    stakeholders: int = Field(description="How many stakeholders its map holds")


class StakeholderCreate(Stakeholder):
    """A new stakeholder: the contract's fields."""


class TeamMemberCreate(TeamMember):
    """A new member of our team: the contract's fields."""


class CompetitorCreate(Competitor):
    """A new competitor: the contract's fields."""


class ActivityCreate(Activity):
    """A new activity: the contract's fields; members and stakeholders must exist."""


class ReportsToCreate(ReportsTo):
    """A new reporting line between two stakeholders."""


class InfluenceCreate(Influence):
    """A new influence line between two stakeholders."""


class RelationshipCreate(Relationship):
    """A new relationship of one of our members with a stakeholder."""


class CompetitorRelationshipCreate(CompetitorRelationship):
    """A new relationship of a competitor with a stakeholder."""


class VoiceCreate(Voice):
    """A new voice (issue 9): the contract's fields; its stakeholder, activity and roadmap items must exist."""


class VoiceUpdate(ItemUpdate):
    """Change some fields of a voice, say closing it: ``{"status": "resolved", "closed_on": "2026-11-02"}``."""

    nullable: ClassVar[frozenset[str]] = frozenset({"activity", "priority", "closed_on", "satisfaction"})
    date: dt.date | None = None
    channel: VoiceChannel | None = None
    activity: Id | None = None
    text: Text | None = None
    category: VoiceCategory | None = None
    priority: Score | None = None
    flow: Flow | None = None
    owner: Text | None = None
    status: VoiceStatus | None = None
    roadmap: tuple[Id, ...] | None = None
    closed_on: dt.date | None = None
    satisfaction: Score | None = None


# Public models are the contract items as stored (what an export writes).
StakeholderPublic = Stakeholder
TeamMemberPublic = TeamMember
CompetitorPublic = Competitor
ActivityPublic = Activity
ReportsToPublic = ReportsTo
InfluencePublic = Influence
RelationshipPublic = Relationship
CompetitorRelationshipPublic = CompetitorRelationship
VoicePublic = Voice

# -- pages -------------------------------------------------------------------------------------------

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: ``data`` in stored order, ``count`` items in all (as the FastAPI template)."""

    model_config = ConfigDict(extra="forbid")

    data: list[T]
    count: int = Field(description="Items in the whole list")
    offset: int
    limit: int


__all__ = [
    "AccountCreate",
    "AccountPublic",
    "AccountUpdate",
    "ActivityCreate",
    "ActivityPublic",
    "ActivityUpdate",
    "CompetitorCreate",
    "CompetitorPublic",
    "CompetitorRelationshipCreate",
    "CompetitorRelationshipPublic",
    "CompetitorRelationshipUpdate",
    "CompetitorUpdate",
    "ContractModel",
    "InfluenceCreate",
    "InfluencePublic",
    "InfluenceUpdate",
    "ItemUpdate",
    "Page",
    "RelationshipCreate",
    "RelationshipPublic",
    "RelationshipUpdate",
    "ReportsToCreate",
    "ReportsToPublic",
    "ReportsToUpdate",
    "StakeholderCreate",
    "StakeholderPublic",
    "StakeholderUpdate",
    "TeamMemberCreate",
    "TeamMemberPublic",
    "TeamMemberUpdate",
]
