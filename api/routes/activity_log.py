"""Logging an activity that took place (issue 8): ``powermap log`` over HTTP.

``POST /accounts/{account}/activities/log`` records the activity and applies its effect in one write
(:meth:`powermap.service.activities.ActivitiesService.log_activity`, the effects function what-if
shares). Several items change at once, so the precondition is the map's: ``If-Match: "rN"`` (the
revision read) refuses a log on a map that moved on with 412; an item's version tag cannot match a new
activity and is refused the same way. The answer is ``powermap log --json``'s document, with the new
revision as its ``ETag`` and the new activity's address as its ``Location``. A member or stakeholder the
body names that the map lacks is a refused body (422, naming ``members[i]``/``stakeholders[i]``), where
``powermap log`` says "not found" (exit 3).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from powermap.api.addressing import segment
from powermap.api.deps import ServiceDep, WriteAccount
from powermap.api.etags import if_match, revision_etag
from powermap.api.problems import WRITE_RESPONSES
from powermap.api.routes.items import IfMatch
from powermap.errors import (
    InvalidMapError,
    MemberNotFoundError,
    PreconditionFailedError,
    Problem,
    StakeholderNotFoundError,
)
from powermap.model.activity_log import ActivityLog, LogReport

router = APIRouter(tags=["activities"])


@router.post(
    "/accounts/{account}/activities/log",
    response_model=LogReport,
    status_code=201,
    responses=WRITE_RESPONSES,
    summary="Log an activity that took place and apply its effect",
    operation_id="log_activity",
)
def log_activity(
    account: WriteAccount, service: ServiceDep, body: ActivityLog, response: Response, if_match_: IfMatch = None
) -> Any:
    """Record the activity and apply its effect to the map in one revision (``powermap log --json``).

    Explicit ``stance``/``strength`` win; otherwise the kind's documented default applies (an
    ice-breaking creates a weak relationship, a turnaround warms the stance one step, ...), and every
    relationship it touches takes the activity's date as its last contact. The answer lists each
    changed item before and after.
    """
    when = if_match(if_match_)
    if when.version is not None:
        raise PreconditionFailedError(
            f"If-Match on a log must name the map's revision (\"rN\", the map's ETag), not {when.version!r}"
        )
    try:
        report = service.log_activity(account, body.document(), if_revision=when.revision)
    except (MemberNotFoundError, StakeholderNotFoundError) as error:
        # The body named them: a refused body (422) naming the field, not a missing resource (404).
        field, noun = (
            ("members", "team member") if isinstance(error, MemberNotFoundError) else ("stakeholders", "stakeholder")
        )
        index = getattr(body, field).index(error.item_id)
        problem = Problem(f"{field}[{index}]", body.id, f"no {noun} has id {error.item_id!r}")
        raise InvalidMapError([problem]) from None
    response.headers["ETag"] = revision_etag(report["revision"])
    response.headers["Location"] = f"/accounts/{segment(account)}/activities/{segment(report['activity']['id'])}"
    return report
