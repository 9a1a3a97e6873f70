"""Fine-grained editing: list, create, read, patch and delete every kind of item of a map.

One table, :data:`ITEM_ROUTES`, says for each list of the document its URL segment and its Create and
Update models; the routes are made from it, so all nine lists behave alike. Nodes and activities are
addressed by id (``/stakeholders/{id}``), lines by their two ends (``/influences/{from}/{to}``), each
id one percent-encoded segment (:mod:`powermap.api.addressing`).

Every read answers the item's version as its ``ETag``; a write hands ``If-Match`` to the service as
``if_version`` (or ``if_revision`` for a map's ``"rN"`` tag), which checks it on the same snapshot the
edit is validated on and never retries a named precondition (:mod:`powermap.service.edits`).
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Header, Response, status
from pydantic import BaseModel

from powermap.api.addressing import segment
from powermap.api.deps import PageDep, ReadAccount, ServiceDep, WriteAccount
from powermap.api.etags import Precondition, if_match, revision_etag, version_etag
from powermap.api.problems import COMMON_RESPONSES, WRITE_RESPONSES
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
    VoiceCreate,
    VoiceUpdate,
)
from powermap.service import Item, Listing, PowermapService

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="The ETag you read: the write is refused with 412 if the item changed since (`*`: it must exist)",
    ),
]


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
    ItemRoute("voices", "voices", VoiceCreate, VoiceUpdate),  # issue 9: the customer's voices
)

router = APIRouter()


# -- what every route of every list shares: one call into the service per kind of list --------------


def _read(service: PowermapService, spec: ListSpec, account: str, key: tuple[str, ...]) -> Item[Any]:
    if spec.node_kind is not None:
        return service.get_node(account, spec.node_kind, key[0])
    if spec.edge_kind is not None:
        return service.get_edge(account, spec.edge_kind, key[0], key[1])
    if spec.name == "voices":
        return service.get_voice(account, key[0])
    return service.get_activity(account, key[0])


def _list(service: PowermapService, spec: ListSpec, account: str) -> Listing[Any]:
    if spec.node_kind is not None:
        return service.list_nodes(account, spec.node_kind)
    if spec.edge_kind is not None:
        return service.list_edges(account, spec.edge_kind)
    if spec.name == "voices":
        return service.list_voices(account)
    return service.list_activities(account)


def _create(service: PowermapService, spec: ListSpec, account: str, body: Any, when: Precondition) -> Item[Any]:
    if spec.node_kind is not None:
        return service.create_node(account, body, if_revision=when.revision)
    if spec.edge_kind is not None:
        return service.create_edge(account, body, if_revision=when.revision)
    if spec.name == "voices":
        return service.create_voice(account, body, if_revision=when.revision)
    return service.create_activity(account, body, if_revision=when.revision)


def _update(
    service: PowermapService, spec: ListSpec, account: str, key: tuple[str, ...], body: ItemUpdate, when: Precondition
) -> Item[Any]:
    rev, ver = when.revision, when.version
    if spec.node_kind is not None:
        return service.update_node(account, spec.node_kind, key[0], body, if_revision=rev, if_version=ver)
    if spec.edge_kind is not None:
        return service.update_edge(account, spec.edge_kind, key[0], key[1], body, if_revision=rev, if_version=ver)
    if spec.name == "voices":
        return service.update_voice(account, key[0], body, if_revision=rev, if_version=ver)
    return service.update_activity(account, key[0], body, if_revision=rev, if_version=ver)


def _delete(service: PowermapService, spec: ListSpec, account: str, key: tuple[str, ...], when: Precondition) -> None:
    rev, ver = when.revision, when.version
    if spec.node_kind is not None:
        service.delete_node(account, spec.node_kind, key[0], if_revision=rev, if_version=ver)
    elif spec.edge_kind is not None:
        service.delete_edge(account, spec.edge_kind, key[0], key[1], if_revision=rev, if_version=ver)
    elif spec.name == "voices":
        service.delete_voice(account, key[0], if_revision=rev, if_version=ver)
    else:
        service.delete_activity(account, key[0], if_revision=rev, if_version=ver)


def _answer(response: Response, found: Item[Any]) -> Any:
    response.headers["ETag"] = version_etag(found.version)
    return found.item


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

    def list_items(account: ReadAccount, service: ServiceDep, page: PageDep, response: Response) -> Any:
        listing = _list(service, spec, account)
        response.headers["ETag"] = revision_etag(listing.revision)
        items = [versioned.item for versioned in listing.items]
        return {"data": page.window(items), "count": len(items), "offset": page.offset, "limit": page.limit}

    def create_item(
        account: WriteAccount, service: ServiceDep, body: Any, response: Response, if_match_: IfMatch = None
    ) -> Any:
        created = _create(service, spec, account, body, if_match(if_match_))
        key = tuple(
            str(part) for part in ((created.item.source, created.item.target) if spec.is_line else (created.item.id,))
        )
        response.headers["Location"] = (
            collection.replace("{account}", segment(account)) + "/" + "/".join(segment(part) for part in key)
        )
        return _answer(response, created)

    def read_item(account: ReadAccount, service: ServiceDep, response: Response, **path: str) -> Any:
        return _answer(response, _read(service, spec, account, key_of(**path)))

    def update_item(
        account: WriteAccount,
        service: ServiceDep,
        body: Any,
        response: Response,
        if_match_: IfMatch = None,
        **path: str,
    ) -> Any:
        return _answer(response, _update(service, spec, account, key_of(**path), body, if_match(if_match_)))

    def delete_item(account: WriteAccount, service: ServiceDep, if_match_: IfMatch = None, **path: str) -> Response:
        _delete(service, spec, account, key_of(**path), if_match(if_match_))
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    _typed(create_item, None, body=route.create)
    _typed(read_item, spec.is_line)
    _typed(update_item, spec.is_line, body=route.update)
    _typed(delete_item, spec.is_line)
    page_model: Any = Page[public]  # type: ignore[valid-type]
    name = route.list_name
    write: dict[str, Any] = {"tags": tags, "responses": WRITE_RESPONSES}
    read: dict[str, Any] = {"tags": tags, "responses": COMMON_RESPONSES}
    router.add_api_route(
        collection,
        list_items,
        methods=["GET"],
        response_model=page_model,
        summary=f"List the {route.tag}",
        operation_id=f"list_{name}",
        **read,
    )
    router.add_api_route(
        collection,
        create_item,
        methods=["POST"],
        response_model=public,
        status_code=201,
        summary=f"Create a {noun}",
        operation_id=f"create_{name}",
        **write,
    )
    router.add_api_route(
        one,
        read_item,
        methods=["GET"],
        response_model=public,
        summary=f"Read one {noun}",
        operation_id=f"read_{name}",
        **read,
    )
    router.add_api_route(
        one,
        update_item,
        methods=["PATCH"],
        response_model=public,
        summary=f"Change some fields of a {noun}",
        operation_id=f"update_{name}",
        **write,
    )
    router.add_api_route(
        one,
        delete_item,
        methods=["DELETE"],
        status_code=204,
        response_class=Response,
        summary=f"Delete a {noun}" + (" (and every line touching it)" if spec.node_kind else ""),
        operation_id=f"delete_{name}",
        **write,
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
