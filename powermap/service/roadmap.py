"""Our roadmap (one per store, shared by every account) and how well it answers the customers' voices.

Removing an item that voices still name is refused, naming the voices, unless the caller forces it
(``force=True``, the CLI's ``--force``): then the item's id is taken out of those voices in the same
transaction, each account touched moves its revision on and records who did it ("detach roadmap
items"). Nothing else of the voices changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from powermap.analysis.power import power
from powermap.analysis.voices import portfolio_fit
from powermap.errors import InvalidRoadmapError, Problem, RoadmapItemNotFoundError
from powermap.graph import build_graph
from powermap.model import RoadmapItem, Voice, item_problems, parse_roadmap
from powermap.service.core import ServiceCore
from powermap.store.base import Change

_DIGITS = 6


class RoadmapService(ServiceCore):
    """The roadmap: what we plan to build and how well it fits what our key accounts asked for."""

    def import_roadmap(self, document: Any, *, force: bool = False) -> dict[str, Any]:
        """Replace the whole roadmap with a ``powermap-roadmap/v1`` document; returns ``{"items": count}``."""
        roadmap = parse_roadmap(document)
        self.store.put_roadmap(roadmap, Change(self.actor, "import roadmap"), detach=force)
        return {"items": len(roadmap.items)}

    def export_roadmap(self) -> dict[str, Any]:
        return self.store.read_roadmap().to_document()

    def roadmap_item(self, item_id: str) -> RoadmapItem:
        found = next((i for i in self.store.read_roadmap().items if i.id == item_id), None)
        if found is None:
            raise RoadmapItemNotFoundError(item_id)
        return found

    def put_roadmap_item(self, data: Mapping[str, Any]) -> RoadmapItem:
        """Create or replace one item (by id)."""
        if not isinstance(data, Mapping):
            raise InvalidRoadmapError([Problem("roadmap item", None, "must be an object")])
        try:
            item = RoadmapItem.model_validate(data)
        except ValidationError as error:
            raise InvalidRoadmapError(item_problems(error, "items", data, "roadmap item")) from None
        self.store.put_roadmap_item(item, Change(self.actor, "put roadmap item", item.id))
        return item

    def remove_roadmap_item(self, item_id: str, *, force: bool = False) -> None:
        """Remove one item; refused while voices name it unless ``force`` (see the module's docstring)."""
        self.store.remove_roadmap_item(item_id, Change(self.actor, "remove roadmap item", item_id), detach=force)

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
