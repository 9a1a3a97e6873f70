"""Our roadmap (one per store, shared by every account) and how well it answers the customers' voices.

The roadmap has a revision of its own (the ``ETag`` of ``GET /roadmap``), moved on by every write of
it and recorded with who, when and what in its change log (``roadmap_changes``); its items have versions
like an account's items. Writes take the same preconditions (``if_revision``, ``if_version``), refused
when stale and never retried; an import equal to the stored roadmap writes nothing.

Removing an item that voices still name is refused, naming the voices, unless the caller forces it
(``force=True``, the CLI's ``--force``): then the item's id is taken out of those voices in the same
transaction, each account touched moves its revision on and records who did it ("detach roadmap
items"). Nothing else of the voices changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from powermap.analysis.power import power
from powermap.analysis.voices import portfolio_fit
from powermap.errors import (
    IdTakenError,
    InvalidRoadmapError,
    Problem,
    RoadmapItemNotFoundError,
    StaleRoadmapError,
    StaleRoadmapItemError,
)
from powermap.graph import build_graph
from powermap.model import Roadmap, RoadmapItem, Voice, item_problems, parse_roadmap
from powermap.service.core import ServiceCore, retrying
from powermap.service.versions import Item, item_version
from powermap.store.base import Change, ChangeRecord

_DIGITS = 6


class RoadmapService(ServiceCore):
    """The roadmap: what we plan to build and how well it fits what our key accounts asked for."""

    def import_roadmap(self, document: Any, *, force: bool = False, if_revision: int | None = None) -> dict[str, Any]:
        """Replace the whole roadmap with a ``powermap-roadmap/v1`` document.

        Returns ``{"items": count, "revision", "changed"}``; a document equal to the stored roadmap writes
        nothing and leaves the revision where it was. ``if_revision``: only if the roadmap is still there.
        """
        roadmap = parse_roadmap(document)

        def attempt() -> dict[str, Any]:
            stored, revision = self._roadmap_at(if_revision)
            if stored == roadmap:
                return {"items": len(roadmap.items), "revision": revision, "changed": False}
            change = Change(self.actor, "import roadmap", f"{len(roadmap.items)} items")
            written = self.store.put_roadmap(roadmap, change, detach=force, expected_revision=revision)
            return {"items": len(roadmap.items), "revision": written, "changed": True}

        return retrying(attempt, retry=if_revision is None, lost_race=(StaleRoadmapError,))

    def export_roadmap(self) -> dict[str, Any]:
        return self.store.read_roadmap().to_document()

    def roadmap_snapshot(self) -> tuple[Roadmap, int]:
        """The roadmap and its revision, read together (the revision is the ETag of ``GET /roadmap``)."""
        return self.store.read_roadmap_at()

    def roadmap_changes(self, *, limit: int = 50, before_revision: int | None = None) -> list[ChangeRecord]:
        """Who changed the roadmap, when and how: newest first, at most ``limit``, below ``before_revision``."""
        return self.store.list_roadmap_changes(limit=limit, before_revision=before_revision)

    def roadmap_item(self, item_id: str) -> RoadmapItem:
        return self.get_roadmap_item(item_id).item

    def get_roadmap_item(self, item_id: str) -> Item[RoadmapItem]:
        """One item with its version and the roadmap's revision."""
        roadmap, revision = self.store.read_roadmap_at()
        found = _find(roadmap, item_id)
        if found is None:
            raise RoadmapItemNotFoundError(item_id)
        return Item(found, item_version(found), revision)

    def create_roadmap_item(
        self, data: Mapping[str, Any] | RoadmapItem, *, if_revision: int | None = None
    ) -> Item[RoadmapItem]:
        """Add an item at the end of the roadmap; :class:`IdTakenError` (409) when its id is taken."""
        item = _valid(data)

        def produce(current: RoadmapItem | None) -> RoadmapItem:
            if current is not None:
                raise IdTakenError("roadmap item", item.id)
            return item

        return self._roadmap_edit(item.id, produce, "create roadmap item", if_revision, None)

    def update_roadmap_item(
        self,
        item_id: str,
        changes: Mapping[str, Any] | BaseModel,
        *,
        if_revision: int | None = None,
        if_version: str | None = None,
    ) -> Item[RoadmapItem]:
        """Merge ``changes`` into one item (its id cannot change)."""
        data = changes.model_dump(mode="json", exclude_unset=True) if isinstance(changes, BaseModel) else dict(changes)
        if data.get("id", item_id) != item_id:
            problem = Problem("roadmap item.id", repr(item_id), "cannot change (it identifies the item)")
            raise InvalidRoadmapError([problem])

        def produce(current: RoadmapItem | None) -> RoadmapItem:
            if current is None:
                raise RoadmapItemNotFoundError(item_id)
            return _valid({**current.model_dump(mode="json"), **data})

        return self._roadmap_edit(item_id, produce, "update roadmap item", if_revision, if_version)

    def replace_roadmap_item(
        self, data: Mapping[str, Any], *, if_revision: int | None = None, if_version: str | None = None
    ) -> Item[RoadmapItem]:
        """Create or replace one item (by id); with ``if_version`` it must exist at that version."""
        item = _valid(data)
        return self._roadmap_edit(item.id, lambda _: item, "put roadmap item", if_revision, if_version)

    def put_roadmap_item(self, data: Mapping[str, Any]) -> RoadmapItem:
        """Create or replace one item (by id), no precondition."""
        return self.replace_roadmap_item(data).item

    def remove_roadmap_item(
        self, item_id: str, *, force: bool = False, if_revision: int | None = None, if_version: str | None = None
    ) -> int:
        """Remove one item; refused while voices name it unless ``force`` (see the module's docstring).

        Returns the roadmap's new revision.
        """
        removed = self._roadmap_edit(item_id, None, "remove roadmap item", if_revision, if_version, force=force)
        return removed.revision

    def _roadmap_at(self, if_revision: int | None) -> tuple[Roadmap, int]:
        roadmap, revision = self.store.read_roadmap_at()
        if if_revision is not None and revision != if_revision:
            raise StaleRoadmapError(if_revision, revision)
        return roadmap, revision

    def _roadmap_edit(
        self,
        item_id: str,
        produce: Callable[[RoadmapItem | None], RoadmapItem] | None,
        operation: str,
        if_revision: int | None,
        if_version: str | None,
        *,
        force: bool = False,
    ) -> Item[RoadmapItem]:
        """Read the roadmap, check the preconditions, write one item (``produce`` None removes it).

        As an account's items: a named revision or version is never retried; without one, a write that
        lost the race to another is made again on a fresh read, its item version checked again there.
        """

        def attempt() -> Item[RoadmapItem]:
            roadmap, revision = self._roadmap_at(if_revision)
            current = _find(roadmap, item_id)
            if if_version is not None or produce is None:
                if current is None:
                    raise RoadmapItemNotFoundError(item_id)
                if if_version is not None and item_version(current) != if_version:
                    raise StaleRoadmapItemError(item_id, if_version, item_version(current))
            change = Change(self.actor, operation, item_id)
            if produce is None:
                assert current is not None
                written = self.store.remove_roadmap_item(item_id, change, detach=force, expected_revision=revision)
                return Item(current, item_version(current), written)
            new = produce(current)
            written = self.store.put_roadmap_item(new, change, expected_revision=revision)
            return Item(new, item_version(new), written)

        return retrying(attempt, retry=if_revision is None, lost_race=(StaleRoadmapError,))

    def roadmap_fit(self, *, account: str | None = None, accounts: Sequence[str] | None = None) -> dict[str, Any]:
        """``{"items": [...]}`` ranked by fit across every account (or the one named, or those listed)."""
        return self.roadmap_fit_with_names(account=account, accounts=accounts)[0]

    def roadmap_fit_with_names(
        self, *, account: str | None = None, accounts: Sequence[str] | None = None
    ) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
        """:meth:`roadmap_fit` and each account's stakeholder names (for people)."""
        if account is not None:
            chosen = [account]
        else:
            chosen = list(accounts) if accounts is not None else [s.id for s in self.store.list_accounts()]
        per_account: dict[str, tuple[Sequence[Voice], dict[str, float]]] = {}
        names: dict[str, dict[str, str]] = {}
        for account_id in chosen:
            account_map = self.store.get_map(account_id)
            per_account[account_id] = (account_map.voices, power(build_graph(account_map)))
            names[account_id] = {s.id: s.name for s in account_map.stakeholders}
        items = portfolio_fit(self.store.read_roadmap().items, per_account)
        for item in items:
            item["fit"] = round(item["fit"], _DIGITS)
            item["accounts"] = {a: round(f, _DIGITS) for a, f in item["accounts"].items()}
        return {"items": items}, names


def _find(roadmap: Roadmap, item_id: str) -> RoadmapItem | None:
    return next((item for item in roadmap.items if item.id == item_id), None)


def _valid(data: Mapping[str, Any] | RoadmapItem) -> RoadmapItem:
    """The roadmap item ``data`` describes, or a refusal naming the field and the item's id."""
    if isinstance(data, RoadmapItem):
        return RoadmapItem.model_validate(data.model_dump())
    if not isinstance(data, Mapping):
        raise InvalidRoadmapError([Problem("roadmap item", None, "must be an object")])
    try:
        return RoadmapItem.model_validate(data)
    except ValidationError as error:
        raise InvalidRoadmapError(item_problems(error, "items", data, "roadmap item")) from None
