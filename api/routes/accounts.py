"""Accounts: list (only those the key may see), create, read, rename and delete (admin only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Response, status

from powermap.api.addressing import segment
from powermap.api.deps import AdminAccount, CurrentKey, PageDep, ReadAccount, ServiceDep, WriteAccount, require
from powermap.api.etags import if_match, version_etag
from powermap.api.problems import COMMON_RESPONSES, WRITE_RESPONSES, ApiProblem
from powermap.errors import PreconditionFailedError
from powermap.model import Account
from powermap.model.items import AccountCreate, AccountPublic, AccountUpdate, Page
from powermap.model.keys import Role

router = APIRouter(tags=["accounts"])

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="The ETag you read (the account's; for DELETE its map's): 412 if it changed since",
    ),
]


@router.get("/accounts", response_model=Page[AccountPublic], responses=COMMON_RESPONSES)
def list_accounts(service: ServiceDep, key: CurrentKey, page: PageDep) -> Any:
    """The accounts this key may see, by id, with revision, last change and size."""
    require(key, Role.VIEWER)
    visible = [
        AccountPublic(
            id=s.id,
            name=s.name,
            industry=s.industry,
            revision=s.revision,
            updated_at=s.updated_at,
            stakeholders=s.stakeholders,
        )
        for s in service.accounts()
        if key.may_see(s.id)
    ]
    return Page[AccountPublic](data=page.window(visible), count=len(visible), offset=page.offset, limit=page.limit)


@router.post("/accounts", response_model=Account, status_code=status.HTTP_201_CREATED, responses=WRITE_RESPONSES)
def create_account(body: AccountCreate, service: ServiceDep, key: CurrentKey, response: Response) -> Any:
    """A new account with an empty map (fill it item by item, or ``PUT /accounts/{a}/map``); 409 if it exists."""
    require(key, Role.EDITOR)
    if not key.may_see(body.id):
        raise ApiProblem(
            403, "forbidden", "Forbidden", f"the API key {key.name!r} may only create the accounts it lists"
        )
    service.create_account({"account": body.model_dump(mode="json")})
    record = service.account_record(body.id)
    response.headers["Location"] = f"/accounts/{segment(body.id)}"
    response.headers["ETag"] = version_etag(record.version)
    return record.item


@router.get("/accounts/{account}", response_model=Account, responses=COMMON_RESPONSES)
def read_account(account: ReadAccount, service: ServiceDep, response: Response) -> Any:
    """The account's record (id, name, industry, notes); its ETag changes only when the record does."""
    record = service.account_record(account)
    response.headers["ETag"] = version_etag(record.version)
    return record.item


@router.patch("/accounts/{account}", response_model=Account, responses=WRITE_RESPONSES)
def update_account(
    account: WriteAccount, body: AccountUpdate, service: ServiceDep, response: Response, if_match_: IfMatch = None
) -> Any:
    """Change the account's name, industry or notes (fields not given stay)."""
    when = if_match(if_match_)
    updated = service.update_account_record(account, body, if_revision=when.revision, if_version=when.version)
    response.headers["ETag"] = version_etag(updated.version)
    return updated.item


@router.delete("/accounts/{account}", status_code=204, response_class=Response, responses=WRITE_RESPONSES)
def delete_account(account: AdminAccount, service: ServiceDep, if_match_: IfMatch = None) -> Response:
    """Delete the account and its whole map (admin keys only). ``If-Match``: the map's ETag (``"rN"``)."""
    when = if_match(if_match_)
    if when.version is not None:
        raise PreconditionFailedError("If-Match on an account's deletion names its map's ETag (\"rN\"), not a version")
    service.delete_account(account, if_revision=when.revision)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
