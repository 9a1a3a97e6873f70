"""Whole maps: read the contract document, replace it atomically, render the offline HTML map."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Query, Response
from fastapi.responses import HTMLResponse

from api.deps import ReadAccount, ServiceDep, WriteAccount
from api.etags import matches, parse_if_match, revision_etag
from api.problems import COMMON_RESPONSES, WRITE_RESPONSES
from powermap.errors import InvalidMapError, PreconditionFailedError, Problem
from powermap.model import AccountMap

router = APIRouter(tags=["maps"])

_DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AccountMap"}}},
    }
}


@router.get("/accounts/{account}/map", response_model=AccountMap, responses=COMMON_RESPONSES)
def read_map(account: ReadAccount, service: ServiceDep, response: Response) -> Any:
    """The whole contract document, as ``powermap export`` writes it; its ETag is the map's revision."""
    snapshot = service.store.read(account)
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
    if_match: Annotated[str | None, Header(alias="If-Match", description="The map's ETag you read")] = None,
) -> Any:
    """Replace the account's whole map with a contract document, atomically (creates the account if new).

    The document is validated once, as a whole; every problem is listed with its field path and id.
    """
    if isinstance(document, dict) and isinstance(document.get("account"), dict):
        named = document["account"].get("id")
        if named != account:
            raise InvalidMapError([Problem("account.id", str(named), f"must be the account of the URL, {account!r}")])
    tags = parse_if_match(if_match)
    if tags is not None:
        current = service.store.read(account).revision
        if not matches(tags, revision_etag(current)):
            raise PreconditionFailedError(f"the map of {account!r} changed since you read it (now revision {current})")
    result = service.import_map(document)
    response.headers["ETag"] = revision_etag(result.revision)
    return service.store.read(account).account_map


@router.get(
    "/accounts/{account}/map.html",
    response_class=HTMLResponse,
    responses={**COMMON_RESPONSES, 200: {"content": {"text/html": {}}, "description": "The offline map"}},
)
def map_html(
    account: ReadAccount,
    service: ServiceDep,
    highlight: Annotated[
        str | None, Query(description="Highlight the best introduction path to this stakeholder")
    ] = None,
) -> HTMLResponse:
    """The interactive war-room map: one self-contained HTML page that loads nothing remote."""
    from viz import render_map

    analysis = service.analysis(account, path_to=highlight)
    html = render_map(analysis.account_map, analysis.powers, highlight_path=analysis.highlight_path)
    return HTMLResponse(html)
