"""Our roadmap (one per store, issue 9): read and replace it, one item at a time, and its fit.

Reading takes a viewer key; the roadmap is shared by every account, so changing it takes an admin
key. ``GET /roadmap/fit`` ranks the items by fit over the accounts the key may see (or one of them,
``?account=``). Removing an item that voices still name is refused (409, naming the voices) unless
``?force=true``, which takes the item's id out of those voices (recorded as a change of each account).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from powermap.api.deps import CurrentKey, ServiceDep, require
from powermap.api.problems import COMMON_RESPONSES, WRITE_RESPONSES
from powermap.errors import InvalidRoadmapError, Problem
from powermap.model import Roadmap, RoadmapItem
from powermap.model.keys import Role

router = APIRouter(tags=["roadmap"])

Force = Annotated[
    bool,
    Query(description="Also when voices still name the item(s): their ids are taken out of those voices"),
]


class StakeholderRef(BaseModel):
    account: str
    stakeholder: str


class RoadmapFitItem(BaseModel):
    """One item ranked by fit (``powermap roadmap --json``)."""

    id: str
    title: str
    release: str
    status: str
    fit: float = Field(ge=0, description="Power of those whose pains (in full) and itches (by half) it answers")
    accounts: dict[str, float]
    stakeholders: list[StakeholderRef]


class RoadmapFit(BaseModel):
    items: list[RoadmapFitItem]


@router.get("/roadmap", response_model=Roadmap, responses=COMMON_RESPONSES)
def read_roadmap(service: ServiceDep, key: CurrentKey) -> Any:
    """The whole roadmap (``powermap-roadmap/v1``), items in stored order."""
    require(key, Role.VIEWER)
    return service.export_roadmap()


@router.put("/roadmap", response_model=Roadmap, responses=WRITE_RESPONSES)
def replace_roadmap(body: dict[str, Any], service: ServiceDep, key: CurrentKey, force: Force = False) -> Any:
    """Replace the whole roadmap; 409 if an item that voices name would go (unless ``force``)."""
    require(key, Role.ADMIN)
    service.import_roadmap(body, force=force)
    return service.export_roadmap()


@router.get("/roadmap/fit", response_model=RoadmapFit, responses=COMMON_RESPONSES)
def roadmap_fit(
    service: ServiceDep,
    key: CurrentKey,
    account: Annotated[str | None, Query(min_length=1, description="Fit in this account only")] = None,
) -> Any:
    """The roadmap ranked by fit across the accounts this key may see (``powermap roadmap --json``)."""
    require(key, Role.VIEWER, account)
    if account is not None:
        return service.roadmap_fit(account=account)
    visible = [s.id for s in service.accounts() if key.may_see(s.id)]
    return service.roadmap_fit(accounts=visible)


@router.get("/roadmap/{item}", response_model=RoadmapItem, responses=COMMON_RESPONSES)
def read_roadmap_item(item: str, service: ServiceDep, key: CurrentKey) -> Any:
    require(key, Role.VIEWER)
    return service.roadmap_item(item)


@router.put("/roadmap/{item}", response_model=RoadmapItem, responses=WRITE_RESPONSES)
def put_roadmap_item(item: str, body: dict[str, Any], service: ServiceDep, key: CurrentKey) -> Any:
    """Create or replace one item (the id in the body, when given, must be the one in the path)."""
    require(key, Role.ADMIN)
    if body.get("id", item) != item:
        raise InvalidRoadmapError([Problem("roadmap item.id", repr(item), "must be the id in the path")])
    return service.put_roadmap_item({**body, "id": item})


@router.delete(
    "/roadmap/{item}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response, responses=WRITE_RESPONSES
)
def delete_roadmap_item(item: str, service: ServiceDep, key: CurrentKey, force: Force = False) -> Response:
    """Remove one item; 409 naming the voices that still name it (unless ``force``)."""
    require(key, Role.ADMIN)
    service.remove_roadmap_item(item, force=force)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


__all__ = ["router"]
