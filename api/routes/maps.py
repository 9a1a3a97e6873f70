"""Whole maps: read the contract document, replace it atomically, render the offline HTML map."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Query, Response
from fastapi.responses import HTMLResponse

from powermap.api.deps import AsOf, ReadAccount, ServiceDep, SettingsDep, WriteAccount
from powermap.api.etags import if_match, revision_etag
from powermap.api.problems import COMMON_RESPONSES, WRITE_RESPONSES
from powermap.errors import PreconditionFailedError
from powermap.model import AccountMap

router = APIRouter(tags=["maps"])

_DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AccountMap"}}},
    }
}


@router.get("/accounts/{account}/map", response_model=AccountMap, responses=COMMON_RESPONSES)
def read_map(account: ReadAccount, service: ServiceDep, response: Response, as_of: AsOf = None) -> Any:
    """The whole contract document, as ``powermap export`` writes it; its ETag is the map's revision.

    With ``as_of``, the map as it was then (its ETag names that revision, so a write made against it
    is refused as stale).
    """
    if as_of is not None:
        past, revision = service.map_as_of(account, as_of)
        response.headers["ETag"] = revision_etag(revision)
        return past
    snapshot = service.snapshot(account)
    response.headers["ETag"] = revision_etag(snapshot.revision)
    return snapshot.account_map


@router.put(
    "/accounts/{account}/map", response_model=AccountMap, responses=WRITE_RESPONSES, openapi_extra=_DOCUMENT_BODY
)
def replace_map(
    account: WriteAccount,
    service: ServiceDep,
    response: Response,
    document: Annotated[Any, Body(include_in_schema=False)],
    if_match_: Annotated[str | None, Header(alias="If-Match", description="The map's ETag you read")] = None,
) -> Any:
    """Replace the account's whole map with a contract document, atomically (creates the account if new).

    The document is validated once, as a whole; every problem is listed with its field path and id.
    """
    when = if_match(if_match_)
    if when.version is not None:
        raise PreconditionFailedError('If-Match on a whole map names its ETag ("rN"), not an item\'s version')
    service.replace_map(account, document, if_revision=when.revision)
    snapshot = service.snapshot(account)  # what is stored now, and the tag of exactly that
    response.headers["ETag"] = revision_etag(snapshot.revision)
    return snapshot.account_map


@router.get(
    "/accounts/{account}/map.html",
    response_class=HTMLResponse,
    responses={**COMMON_RESPONSES, 200: {"content": {"text/html": {}}, "description": "The offline map"}},
)
def map_html(
    account: ReadAccount,
    service: ServiceDep,
    settings: SettingsDep,
    highlight: Annotated[
        str | None, Query(description="Highlight the best introduction path to this stakeholder")
    ] = None,
    as_of: AsOf = None,
) -> HTMLResponse:
    """The interactive war-room map: one self-contained HTML page that loads nothing remote."""
    from powermap.viz import render_map
    from powermap.viz.render import MapDay

    analysis = service.analysis(account, path_to=highlight, as_of=as_of)
    summary = next((s for s in service.accounts() if s.id == account), None)
    data_time = summary.updated_at if summary is not None else None
    if as_of is not None:
        data_time = service.time_as_of(account, as_of)
    html = render_map(
        analysis.account_map,
        analysis.powers,
        highlight_path=analysis.highlight_path,
        as_of=data_time,
        overview_above=settings.map_overview_above,
        overview_size=settings.map_overview_size,
        day=MapDay.of(service.day(account, as_of), settings),
    )
    return HTMLResponse(html)
