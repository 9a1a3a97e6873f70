"""Our roadmap (one per store, issue 9): read and replace it, one item at a time, its change log and its fit.

The roadmap's ``ETag`` is its revision (``"r7"``), an item's its version, exactly as an account and its
items: ``PUT``/``PATCH``/``DELETE`` honour ``If-Match`` (412 when stale, nothing written), ``POST /roadmap``
answers 409 for a taken id. ``GET /roadmap-changes`` lists who changed the roadmap, when and what, newest
first (outside ``/roadmap/{id}`` so that every item id stays reachable).

Reading takes a viewer key; the roadmap is shared by every account, so changing it takes an admin
key. ``GET /roadmap/fit`` ranks the items by fit over the accounts the key may see (or one of them,
``?account=``). Removing an item that voices still name is refused (409, naming the voices) unless
``?force=true``, which takes the item's id out of those voices (recorded as a change of each account).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from powermap.api.addressing import segment
from powermap.api.deps import CurrentKey, ServiceDep, require
from powermap.api.etags import Precondition, if_match, revision_etag, version_etag
from powermap.api.problems import COMMON_RESPONSES, WRITE_RESPONSES
from powermap.api.routes.changes import Before
from powermap.api.routes.items import IfMatch
from powermap.errors import InvalidRoadmapError, PreconditionFailedError, Problem
from powermap.model import Roadmap, RoadmapItem
from powermap.model.items import RoadmapItemUpdate
from powermap.model.keys import Role
from powermap.model.reports import ChangeReport, Report
from powermap.service import Item

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


class RoadmapChangesPage(Report):
    """A page of the roadmap's change log, newest first; ask for the next with ``?before=next_before``."""

    data: list[ChangeReport]
    next_before: int | None = Field(description="Pass as ?before= for the next (older) page; null on the last")


@router.get("/roadmap", response_model=Roadmap, responses=COMMON_RESPONSES)
def read_roadmap(service: ServiceDep, key: CurrentKey, response: Response) -> Any:
    """The whole roadmap (``powermap-roadmap/v1``), items in stored order; its ``ETag`` is its revision."""
    require(key, Role.VIEWER)
    roadmap, revision = service.roadmap_snapshot()
    response.headers["ETag"] = revision_etag(revision)
    return roadmap


@router.put("/roadmap", response_model=Roadmap, responses=WRITE_RESPONSES)
def replace_roadmap(
    body: dict[str, Any],
    service: ServiceDep,
    key: CurrentKey,
    response: Response,
    if_match_: IfMatch = None,
    force: Force = False,
) -> Any:
    """Replace the whole roadmap; 409 if an item that voices name would go (unless ``force``).

    ``If-Match`` takes the roadmap's ``ETag`` (``"rN"``): 412 if it moved on. A document equal to the
    stored roadmap writes nothing (the revision stays).
    """
    require(key, Role.ADMIN)
    service.import_roadmap(body, force=force, if_revision=_whole(if_match(if_match_)))
    roadmap, revision = service.roadmap_snapshot()
    response.headers["ETag"] = revision_etag(revision)
    return roadmap


@router.post("/roadmap", response_model=RoadmapItem, status_code=status.HTTP_201_CREATED, responses=WRITE_RESPONSES)
def create_roadmap_item(
    body: RoadmapItem, service: ServiceDep, key: CurrentKey, response: Response, if_match_: IfMatch = None
) -> Any:
    """Add an item at the end of the roadmap; 409 if its id is taken."""
    require(key, Role.ADMIN)
    created = service.create_roadmap_item(body, if_revision=_whole(if_match(if_match_)))
    response.headers["Location"] = f"/roadmap/{segment(created.item.id)}"
    return _answer(response, created)


@router.get("/roadmap-changes", response_model=RoadmapChangesPage, responses=COMMON_RESPONSES)
def list_roadmap_changes(
    service: ServiceDep,
    key: CurrentKey,
    limit: Annotated[int, Query(ge=1, le=1_000, description="Changes per page")] = 50,
    before: Before = None,
) -> Any:
    """The roadmap's change log: each write's revision, time, author (the key's name), operation and item."""
    require(key, Role.VIEWER)
    changes = service.roadmap_changes(limit=limit, before_revision=before)
    return RoadmapChangesPage(
        data=[
            ChangeReport(revision=c.revision, at=c.at, actor=c.actor, operation=c.operation, subject=c.subject)
            for c in changes
        ],
        next_before=changes[-1].revision if len(changes) == limit else None,
    )


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
def read_roadmap_item(item: str, service: ServiceDep, key: CurrentKey, response: Response) -> Any:
    """One item; its ``ETag`` is its version (it changes only when the item does)."""
    require(key, Role.VIEWER)
    return _answer(response, service.get_roadmap_item(item))


@router.put("/roadmap/{item}", response_model=RoadmapItem, responses=WRITE_RESPONSES)
def put_roadmap_item(
    item: str, body: dict[str, Any], service: ServiceDep, key: CurrentKey, response: Response, if_match_: IfMatch = None
) -> Any:
    """Create or replace one item (the id in the body, when given, must be the one in the path).

    ``If-Match``: the item's ``ETag`` (412 if it changed; it must exist) or the roadmap's (``"rN"``).
    """
    require(key, Role.ADMIN)
    if body.get("id", item) != item:
        raise InvalidRoadmapError([Problem("roadmap item.id", repr(item), "must be the id in the path")])
    when = if_match(if_match_)
    return _answer(
        response, service.replace_roadmap_item({**body, "id": item}, if_revision=when.revision, if_version=when.version)
    )


@router.patch("/roadmap/{item}", response_model=RoadmapItem, responses=WRITE_RESPONSES)
def update_roadmap_item(
    item: str,
    body: RoadmapItemUpdate,
    service: ServiceDep,
    key: CurrentKey,
    response: Response,
    if_match_: IfMatch = None,
) -> Any:
    """Change some fields of one item (its id cannot change); ``If-Match`` as for ``PUT``."""
    require(key, Role.ADMIN)
    when = if_match(if_match_)
    return _answer(
        response, service.update_roadmap_item(item, body, if_revision=when.revision, if_version=when.version)
    )


@router.delete(
    "/roadmap/{item}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response, responses=WRITE_RESPONSES
)
def delete_roadmap_item(
    item: str, service: ServiceDep, key: CurrentKey, force: Force = False, if_match_: IfMatch = None
) -> Response:
    """Remove one item; 409 naming the voices that still name it (unless ``force``); ``If-Match`` as for ``PUT``."""
    require(key, Role.ADMIN)
    when = if_match(if_match_)
    service.remove_roadmap_item(item, force=force, if_revision=when.revision, if_version=when.version)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _answer(response: Response, found: Item[RoadmapItem]) -> RoadmapItem:
    response.headers["ETag"] = version_etag(found.version)
    return found.item


def _whole(when: Precondition) -> int | None:
    """The revision an ``If-Match`` on the whole roadmap names; an item's tag cannot match the whole."""
    if when.version is not None:
        raise PreconditionFailedError('If-Match on the whole roadmap takes its ETag ("rN"), not an item\'s')
    return when.revision


__all__ = ["router"]
