"""Logging an activity over HTTP (issue 8): what a client sends and what it gets back.

The request is the contract's activity with ``id`` and ``date`` optional, plus the explicit effect
(``stance``, ``strength``) that ``powermap log --stance/--strength`` takes; the answer is the same
document as ``powermap log --json``: the activity as recorded, the items it changed as they are now
(``effects``) and each of them before and after (``changes``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from powermap.model.contract import Activity, CompetitorRelationship, Id, Relationship, Stakeholder, Text
from powermap.model.enums import ActivityKind, Stance


class ActivityLog(BaseModel):
    """An activity that took place, to record and apply (``POST /accounts/{a}/activities/log``)."""

    model_config = ConfigDict(extra="forbid")

    id: Id | None = Field(default=None, description="Default: KIND-DATE (made unique)")
    type: ActivityKind
    date: dt.date | None = Field(default=None, description="When it took place (default: today, UTC)")
    members: list[Id] = Field(default_factory=list, description="Our team members present")
    stakeholders: list[Id] = Field(min_length=1, description="Their stakeholders present (at least one)")
    outcome: Text = ""
    notes: Text = ""
    stance: Stance | None = Field(default=None, description="Set this stance on every stakeholder present")
    strength: float | None = Field(
        default=None, ge=0, le=1, description="Set this strength on every relationship between members and stakeholders"
    )

    def document(self) -> dict[str, Any]:
        """The fields given, in the shape ``ActivitiesService.log_activity`` takes."""
        data: dict[str, Any] = self.model_dump(mode="json", exclude_none=True)
        return data


class LogEffects(BaseModel):
    """The items the activity changed, as they are now, per list (empty lists included)."""

    model_config = ConfigDict(extra="forbid")

    stakeholders: list[Stakeholder]
    relationships: list[Relationship]
    competitor_relationships: list[CompetitorRelationship]


class LogChange(BaseModel):
    """One item the activity changed: ``before`` is null when the log created it."""

    model_config = ConfigDict(extra="forbid")

    list: str = Field(description="The document's list: stakeholders, relationships or competitor_relationships")
    key: tuple[str, ...] = Field(description="The item's id, or a line's two ends")
    before: dict[str, Any] | None
    after: dict[str, Any]


class LogReport(BaseModel):
    """``powermap log --json``: the activity recorded and the effects it applied, in one revision."""

    model_config = ConfigDict(extra="forbid")

    account: str
    revision: int = Field(description="The account's revision after the log (also the answer's ETag, \"rN\")")
    activity: Activity
    effects: LogEffects
    changes: list[LogChange]
