"""Whole maps: import, export, list accounts, delete an account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from powermap.errors import InvalidMapError, Problem
from powermap.model import LISTS, parse_account_map
from powermap.service.core import ServiceCore
from powermap.service.erase import previously_erased
from powermap.store.base import AccountSummary, Change, ProgressCallback


@dataclass(frozen=True)
class ImportResult:
    account: str
    revision: int
    counts: dict[str, int]
    #: Stakeholders of this import once erased from this account (docs/personal-data.md): check consent.
    previously_erased: tuple[str, ...] = ()


class MapsService(ServiceCore):
    """Whole-map use cases."""

    def import_map(self, document: Any, *, on_progress: ProgressCallback | None = None) -> ImportResult:
        """Validate a contract document and store it, replacing that account's map atomically."""
        return self._put_map(document, None, "import", on_progress)

    def create_account(self, document: Any, *, on_progress: ProgressCallback | None = None) -> ImportResult:
        """Store a new account's map; :class:`~powermap.errors.IdTakenError` if the account exists."""
        return self._put_map(document, 0, "create account", on_progress)

    def replace_map(
        self,
        account_id: str,
        document: Any,
        *,
        if_revision: int | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> ImportResult:
        """Replace one account's whole map (created when absent and no precondition is named).

        With ``if_revision``, only if the account is still at that revision: else
        :class:`~powermap.errors.StaleRevisionError`, never retried. The document must name ``account_id``.
        """
        named = document.get("account", {}).get("id") if isinstance(document, dict) else None
        if isinstance(named, str) and named != account_id:
            raise InvalidMapError([Problem("account.id", named, f"must be {account_id!r}, the account replaced")])
        return self._put_map(document, if_revision, "replace map", on_progress)

    def _put_map(
        self, document: Any, expected: int | None, operation: str, on_progress: ProgressCallback | None
    ) -> ImportResult:
        account_map = parse_account_map(document, roadmap_ids=self._roadmap_ids_for(document))
        revision = self.store.put_map(
            account_map,
            Change(self.actor, operation, account_map.account.id),
            on_progress=on_progress,
            expected_revision=expected,
        )
        counts = {spec.name: len(getattr(account_map, spec.name)) for spec in LISTS}
        return ImportResult(account_map.account.id, revision, counts, previously_erased(self.store, account_map))

    def export_map(self, account_id: str) -> dict[str, Any]:
        return self.store.get_map(account_id).to_document()

    def accounts(self) -> list[AccountSummary]:
        return self.store.list_accounts()

    def delete_account(self, account_id: str, *, if_revision: int | None = None) -> None:
        """Remove an account whole; with ``if_revision``, only if it is still at that revision."""
        self.store.delete_account(
            account_id, Change(self.actor, "delete account", account_id), expected_revision=if_revision
        )
