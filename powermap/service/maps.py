"""Whole maps: import, export, list accounts, delete an account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from powermap.model import EDGE_LISTS, NODE_LISTS, parse_account_map
from powermap.service.core import ServiceCore
from powermap.store.base import AccountSummary, Change, ProgressCallback


@dataclass(frozen=True)
class ImportResult:
    account: str
    revision: int
    counts: dict[str, int]


class MapsService(ServiceCore):
    """Whole-map use cases."""

    def import_map(self, document: Any, *, on_progress: ProgressCallback | None = None) -> ImportResult:
        """Validate a contract document and store it, replacing that account's map atomically."""
        account_map = parse_account_map(document)
        revision = self.store.put_map(
            account_map, Change(self.actor, "import", account_map.account.id), on_progress=on_progress
        )
        counts = {name: len(getattr(account_map, name)) for name in (*NODE_LISTS.values(), *EDGE_LISTS.values())}
        counts["activities"] = len(account_map.activities)
        return ImportResult(account_map.account.id, revision, counts)

    def export_map(self, account_id: str) -> dict[str, Any]:
        return self.store.get_map(account_id).to_document()

    def accounts(self) -> list[AccountSummary]:
        return self.store.list_accounts()

    def delete_account(self, account_id: str) -> None:
        self.store.delete_account(account_id, Change(self.actor, "delete account", account_id))
