"""Fine-grained editing: list, create, read, patch and delete every kind of item of a map.

One table, :data:`ITEM_ROUTES`, says for each list of the document its URL segment and its Create and
Update models; the routes are made from it, so all eight lists behave alike. Nodes and activities are
addressed by id (``/stakeholders/{id}``), lines by their two ends (``/influences/{from}/{to}``), each
id one percent-encoded segment (:mod:`api.addressing`).

Writes check ``If-Match`` against the item's ETag on the same snapshot the edit is validated on, and the
store applies the edit only if the account has not moved since (else the whole check runs again), so a
stale tag can never slip through. ``PATCH`` without ``If-Match`` still merges into the *current* item:
it is retried if the item changes between the read and the write.
"""

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Header, Response, status
from pydantic import BaseModel

from api.addressing import segment
from api.deps import PageDep, ReadAccount, ServiceDep, WriteAccount
from api.etags import data_etag, item_etag, matches, parse_if_match
from api.problems import COMMON_RESPONSES, WRITE_RESPONSES
from powermap.errors import ActivityNotFoundError, ConflictError, NotFoundError, PreconditionFailedError
from powermap.model import LIST_BY_NAME, ListSpec
from powermap.model.contract import ContractModel
from powermap.model.items import (
    ActivityCreate,
    ActivityUpdate,
    CompetitorCreate,
    CompetitorRelationshipCreate,
    CompetitorRelationshipUpdate,
    CompetitorUpdate,
    InfluenceCreate,
    InfluenceUpdate,
    ItemUpdate,
    Page,
    RelationshipCreate,
    RelationshipUpdate,
    ReportsToCreate,
    ReportsToUpdate,
    StakeholderCreate,
    StakeholderUpdate,
    TeamMemberCreate,
    TeamMemberUpdate,
)
from powermap.service import PowermapService
from powermap.store.base import not_found_for_edge, not_found_for_node

#: Times a PATCH without If-Match re-reads the item when someone changed it under it.
PATCH_ATTEMPTS = 20

IfMatch = Header(
    default=None,
    alias="If-Match",
    description="The ETag you read: the write is refused with 412 if the item changed since (`*`: it must exist)",
)


@dataclass(frozen=True)
class ItemRoute:
    """One list of the document as the API serves it."""

    list_name: str
    segment: str
    create: type[ContractModel]
    update: type[ItemUpdate]

    @property
    def spec(self) -> ListSpec:
        return LIST_BY_NAME[self.list_name]

    @property
    def public(self) -> type[ContractModel]:
        return self.spec.model

    @property
    def tag(self) -> str:
        return self.list_name.replace("_", " ")


ITEM_ROUTES: tuple[ItemRoute, ...] = (
    ItemRoute("stakeholders", "stakeholders", StakeholderCreate, StakeholderUpdate),
    ItemRoute("team", "team", TeamMemberCreate, TeamMemberUpdate),
    ItemRoute("competitors", "competitors", CompetitorCreate, CompetitorUpdate),
    ItemRoute("activities", "activities", ActivityCreate, ActivityUpdate),
    ItemRoute("reports_to", "reports-to", ReportsToCreate, ReportsToUpdate),
    ItemRoute("influences", "influences", InfluenceCreate, InfluenceUpdate),
    ItemRoute("relationships", "relationships", RelationshipCreate, RelationshipUpdate),
    ItemRoute(
        "competitor_relationships",
        "competitor-relationships",
        CompetitorRelationshipCreate,
        CompetitorRelationshipUpdate,
    ),
)

router = APIRouter()


# -- what every route of every list shares -----------------------------------------------------------


def _key_of(spec: ListSpec, item: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(item[field]) for field in spec.key)


def _find(spec: ListSpec, document: Mapping[str, Any], key: tuple[str, ...]) -> dict[str, Any] | None:
    return next((item for item in document[spec.name] if _key_of(spec, item) == key), None)


def _not_found(spec: ListSpec, account: str, key: tuple[str, ...]) -> NotFoundError:
    if spec.node_kind is not None:
        return not_found_for_node(spec.node_kind, key[0], account)
    if spec.edge_kind is not None:
        return not_found_for_edge(spec.edge_kind, key[0], key[1], account)
    return ActivityNotFoundError(key[0], account)


def _expect(
    spec: ListSpec, account: str, key: tuple[str, ...], tags: tuple[str, ...] | None, *, absent: bool = False
) -> Callable[[dict[str, Any]], None]:
    """The precondition of an edit: the item is absent (create), exists, or matches If-Match."""

    def check(document: dict[str, Any]) -> None:
        item = _find(spec, document, key)
        if absent:
            if item is not None:
                raise ConflictError(f"{spec.noun} {' -> '.join(key)!r} already exists in account {account!r}")
            return
        if item is None:
            raise _not_found(spec, account, key)
        if tags is not None and not matches(tags, data_etag(item)):
            raise PreconditionFailedError(
                f"{spec.noun} {' -> '.join(key)!r} changed since you read it (If-Match {', '.join(tags)}); "
                "read it again"
            )

    return check


def _put(
    service: PowermapService,
    spec: ListSpec,
    account: str,
    data: dict[str, Any],
    check: Callable[[dict[str, Any]], None],
) -> ContractModel:
    if spec.node_kind is not None:
        return service.put_node(account, spec.node_kind, data, precondition=check)
    if spec.edge_kind is not None:
        return service.put_edge(account, spec.edge_kind, data, precondition=check)
    return service.put_activity(account, data, precondition=check)


def _remove(
    service: PowermapService,
    spec: ListSpec,
    account: str,
    key: tuple[str, ...],
    check: Callable[[dict[str, Any]], None],
) -> None:
    if spec.node_kind is not None:
        service.remove_node(account, spec.node_kind, key[0], precondition=check)
    elif spec.edge_kind is not None:
        service.remove_edge(account, spec.edge_kind, key[0], key[1], precondition=check)
    else:
        service.remove_activity(account, key[0], precondition=check)


def _read_item(service: PowermapService, spec: ListSpec, account: str, key: tuple[str, ...]) -> dict[str, Any]:
    document = service.export_map(account)
    item = _find(spec, document, key)
    if item is None:
        raise _not_found(spec, account, key)
    return item


def _item_response(response: Response, public: type[ContractModel], item: BaseModel | Mapping[str, Any]) -> Any:
    model = item if isinstance(item, BaseModel) else public.model_validate(item)
    response.headers["ETag"] = item_etag(model)
    return model


# -- the routes, made for each list ------------------------------------------------------------------


def _add_routes(route: ItemRoute) -> None:
    spec, public = route.spec, route.public
    ends = [f"{{{name}}}" for name in ("source", "target")] if spec.is_line else ["{item}"]
    collection = f"/accounts/{{account}}/{route.segment}"
    one = collection + "/" + "/".join(ends)
    tags: list[str | Any] = [route.tag]
    noun = spec.noun

    def key_of(**path: str) -> tuple[str, ...]:
        return (path["source"], path["target"]) if spec.is_line else (path["item"],)

    def list_items(account: ReadAccount, service: ServiceDep, page: PageDep) -> Any:
        items = service.export_map(account)[spec.name]
        return {"data": page.window(items), "count": len(items), "offset": page.offset, "limit": page.limit}

    def create_item(account: WriteAccount, service: ServiceDep, body: Any, response: Response) -> Any:
        data = body.model_dump(mode="json", by_alias=True)
        key = _key_of(spec, data)
        created = _put(service, spec, account, data, _expect(spec, account, key, None, absent=True))
        response.headers["Location"] = (
            collection.replace("{account}", segment(account)) + "/" + "/".join(segment(part) for part in key)
        )
        return _item_response(response, public, created)

    def read_item(account: ReadAccount, service: ServiceDep, response: Response, **path: str) -> Any:
        return _item_response(response, public, _read_item(service, spec, account, key_of(**path)))

    def update_item(
        account: WriteAccount,
        service: ServiceDep,
        body: Any,
        response: Response,
        if_match: str | None = IfMatch,
        **path: str,
    ) -> Any:
        key = key_of(**path)
        tags = parse_if_match(if_match)
        changes = body.changes()
        for _ in range(PATCH_ATTEMPTS):
            current = _read_item(service, spec, account, key)
            if tags is not None and not matches(tags, data_etag(current)):
                raise PreconditionFailedError(f"{noun} {' -> '.join(key)!r} changed since you read it; read it again")
            merged = {**current, **changes}
            try:
                updated = _put(
                    service, spec, account, merged, _expect(spec, account, key, tags or (data_etag(current),))
                )
            except PreconditionFailedError:
                if tags is not None:
                    raise
                continue  # someone changed this item between our read and our write: merge again
            return _item_response(response, public, updated)
        raise ConflictError(f"{noun} {' -> '.join(key)!r} is changing too often to update; try again")

    def delete_item(
        account: WriteAccount, service: ServiceDep, if_match: str | None = IfMatch, **path: str
    ) -> Response:
        key = key_of(**path)
        _remove(service, spec, account, key, _expect(spec, account, key, parse_if_match(if_match)))
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    _typed(create_item, None, body=route.create)
    _typed(read_item, spec.is_line)
    _typed(update_item, spec.is_line, body=route.update)
    _typed(delete_item, spec.is_line)
    page_model: Any = Page[public]  # type: ignore[valid-type]
    name = route.list_name
    router.add_api_route(
        collection,
        list_items,
        methods=["GET"],
        response_model=page_model,
        tags=tags,
        responses=COMMON_RESPONSES,
        summary=f"List the {name.replace('_', ' ')}",
        operation_id=f"list_{name}",
    )
    router.add_api_route(
        collection,
        create_item,
        methods=["POST"],
        response_model=public,
        status_code=201,
        tags=tags,
        responses=WRITE_RESPONSES,
        summary=f"Create a {noun}",
        operation_id=f"create_{name}",
    )
    router.add_api_route(
        one,
        read_item,
        methods=["GET"],
        response_model=public,
        tags=tags,
        responses=COMMON_RESPONSES,
        summary=f"Read one {noun}",
        operation_id=f"read_{name}",
    )
    router.add_api_route(
        one,
        update_item,
        methods=["PATCH"],
        response_model=public,
        tags=tags,
        responses=WRITE_RESPONSES,
        summary=f"Change some fields of a {noun}",
        operation_id=f"update_{name}",
    )
    router.add_api_route(
        one,
        delete_item,
        methods=["DELETE"],
        status_code=204,
        tags=tags,
        responses=WRITE_RESPONSES,
        summary=f"Delete a {noun}" + (" (and every line touching it)" if spec.node_kind else ""),
        operation_id=f"delete_{name}",
        response_class=Response,
    )


def _typed(endpoint: Callable[..., Any], is_line: bool | None, *, body: type[BaseModel] | None = None) -> None:
    """Give a shared endpoint its list's types, as FastAPI reads them from the signature.

    ``body`` becomes the body's model; ``**path`` becomes the item's path parameters (``item``, or a
    line's ``source`` and ``target``).
    """
    signature = inspect.signature(endpoint)
    params = []
    for param in signature.parameters.values():
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            continue
        params.append(param.replace(annotation=body) if param.name == "body" and body is not None else param)
    if is_line is not None:
        names = ("source", "target") if is_line else ("item",)
        params += [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=str) for n in names]
    endpoint.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]


for _route in ITEM_ROUTES:
    _add_routes(_route)

__all__ = ["ITEM_ROUTES", "router"]
