"""``GET /accounts/{a}/changes``: who changed the account, when and what, newest first, a page at a time."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from powermap.api.deps import ReadAccount, ServiceDep
from powermap.api.problems import COMMON_RESPONSES
from powermap.model.reports import ChangeReport, ChangesPage

router = APIRouter(tags=["changes"])

#: The largest revision a store can hold (a signed 64-bit integer in SQLite and Neo4j): a larger
#: ``before`` is refused as a 422, not passed on to the store to overflow there (a 500).
MAX_REVISION = 2**63 - 1
#: ``?before=``: the previous page's ``next_before`` (shared by the account and roadmap change logs).
Before = Annotated[
    int | None,
    Query(ge=1, le=MAX_REVISION, description="Only revisions below this (the previous page's next_before)"),
]


@router.get("/accounts/{account}/changes", response_model=ChangesPage, responses=COMMON_RESPONSES)
def list_changes(
    account: ReadAccount,
    service: ServiceDep,
    limit: Annotated[int, Query(ge=1, le=1_000, description="Changes per page")] = 50,
    before: Before = None,
) -> Any:
    """The account's change log: each write's revision, time, author (the key's name), operation and item."""
    changes = service.store.list_changes(account, limit=limit, before_revision=before)
    if not changes:
        service.store.revision(account)  # an unknown account is a 404, not an empty log
    return ChangesPage(
        account=account,
        data=[
            ChangeReport(revision=c.revision, at=c.at, actor=c.actor, operation=c.operation, subject=c.subject)
            for c in changes
        ],
        next_before=changes[-1].revision if len(changes) == limit else None,
    )
