"""Accounts: list (only those the key may see), create, read, rename and delete (admin only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Response, status

from api.addressing import segment
from api.deps import AdminAccount, CurrentKey, PageDep, ReadAccount, ServiceDep, WriteAccount, require
from api.etags import data_etag, item_etag, matches, parse_if_match, revision_etag
from api.problems import COMMON_RESPONSES, WRITE_RESPONSES, ApiProblem
from powermap.errors import AccountNotFoundError, ConflictError, PreconditionFailedError
from powermap.model import Account
from powermap.model.items import AccountCreate, AccountPublic, AccountUpdate, Page
from powermap.model.keys import Role

router = APIRouter(tags=["accounts"])

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="The ETag you read (the account's, or for DELETE also its map's): 412 if it changed since",
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
    """A new account with an empty map (fill it item by item, or ``PUT /accounts/{a}/map``)."""
    require(key, Role.EDITOR)
    if not key.may_see(body.id):
        raise ApiProblem(
            403, "forbidden", "Forbidden", f"the API key {key.name!r} may only create the accounts it lists"
        )
    try:
        service.export_map(body.id)
    except AccountNotFoundError:
        pass
    else:
        raise ConflictError(f"an account with id {body.id!r} already exists")
    service.import_map({"account": body.model_dump(mode="json")})
    response.headers["Location"] = f"/accounts/{segment(body.id)}"
    account = Account.model_validate(body.model_dump())
    response.headers["ETag"] = item_etag(account)
    return account


@router.get("/accounts/{account}", response_model=Account, responses=COMMON_RESPONSES)
def read_account(account: ReadAccount, service: ServiceDep, response: Response) -> Any:
    """The account's record (id, name, industry, notes); its ETag changes only when the record does."""
    record = Account.model_validate(service.export_map(account)["account"])
    response.headers["ETag"] = item_etag(record)
    return record


@router.patch("/accounts/{account}", response_model=Account, responses=WRITE_RESPONSES)
def update_account(
    account: WriteAccount, body: AccountUpdate, service: ServiceDep, response: Response, if_match: IfMatch = None
) -> Any:
    """Change the account's name, industry or notes."""
    tags = parse_if_match(if_match)
    changes = body.changes()
    for _ in range(20):
        current = service.export_map(account)["account"]
        expected = tags or (data_etag(current),)

        def check(document: dict[str, Any], expected: tuple[str, ...] = expected) -> None:
            if not matches(expected, data_etag(document["account"])):
                raise PreconditionFailedError(f"account {account!r} changed since you read it; read it again")

        try:
            updated = service.update_account(account, {**current, **changes}, precondition=check)
        except PreconditionFailedError:
            if tags is not None:
                raise
            continue
        response.headers["ETag"] = item_etag(updated)
        return updated
    raise ConflictError(f"account {account!r} is changing too often to update; try again")


@router.delete("/accounts/{account}", status_code=204, response_class=Response, responses=WRITE_RESPONSES)
def delete_account(account: AdminAccount, service: ServiceDep, if_match: IfMatch = None) -> Response:
    """Delete the account and its whole map (admin keys only)."""
    tags = parse_if_match(if_match)
    if tags is not None:
        document = service.export_map(account)
        # Either tag the caller may hold: the account record's or the whole map's.
        current = {data_etag(document["account"]), revision_etag(service.store.read(account).revision)}
        if not any(matches(tags, tag) for tag in current):
            raise PreconditionFailedError(f"account {account!r} changed since you read it; read it again")
    service.delete_account(account)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
