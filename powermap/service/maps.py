"""Whole maps: import, export, list accounts, delete an account."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from powermap.errors import AccountNotFoundError, IdTakenError, InvalidMapError, Problem, StaleRevisionError
from powermap.model import LISTS, parse_account_map
from powermap.model.diff import MapDiff
from powermap.service.core import ServiceCore, retrying
from powermap.service.erase import previously_erased
from powermap.store.base import AccountSummary, Change, ProgressCallback, Snapshot, check_replace
from powermap.store.history import delta_between


@dataclass(frozen=True)
class ImportResult:
    account: str
    revision: int
    counts: dict[str, int]
    #: Stakeholders of this import once erased from this account (docs/personal-data.md): check consent.
    previously_erased: tuple[str, ...] = ()
    #: False when the document was identical to the stored map: nothing was written.
    changed: bool = True
    #: Per list (and ``account``): items added, removed and changed against the map it replaced.
    changes: dict[str, dict[str, int]] = field(default_factory=dict)
    #: True when the account did not exist before.
    created: bool = False


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
        """Store a whole map, saying what it changed against the stored one; an identical map writes nothing.

        ``expected`` is the caller's precondition (see :meth:`Store.put_map`), never retried; without
        one, a write that lost a race to another writer is tried again against a fresh read.
        """
        account_map = parse_account_map(document, roadmap_ids=self._roadmap_ids_for(document))
        account_id = account_map.account.id
        after = account_map.to_document()
        counts = {spec.name: len(getattr(account_map, spec.name)) for spec in LISTS}

        def attempt() -> ImportResult:
            try:
                # A cheap check first: a new account has nothing to read, let alone compare.
                self.store.revision(account_id)
                snapshot: Snapshot | None = self.store.read(account_id)
            except AccountNotFoundError:
                snapshot = None
            current = snapshot.revision if snapshot is not None else None
            check_replace(account_id, current, expected)
            erased = previously_erased(self.store, account_map)
            before = snapshot.account_map.to_document() if snapshot is not None else None
            if snapshot is not None and before == after:
                return ImportResult(
                    account_id, snapshot.revision, counts, erased, changed=False, changes=MapDiff().counts()
                )
            delta, changes = delta_between(before, after)
            revision = self.store.put_map(
                account_map,
                Change(self.actor, operation, account_id, history=delta),
                on_progress=on_progress,
                expected_revision=current or 0,
            )
            self._keep_checkpoint(account_id, revision, account_map, delta)
            return ImportResult(account_id, revision, counts, erased, changes=changes, created=snapshot is None)

        return retrying(attempt, retry=expected is None, lost_race=(StaleRevisionError, IdTakenError))

    def export_map(self, account_id: str, *, as_of: str | None = None) -> dict[str, Any]:
        return self._read_map(account_id, as_of).to_document()

    def accounts(self) -> list[AccountSummary]:
        return self.store.list_accounts()

    def delete_account(self, account_id: str, *, if_revision: int | None = None) -> None:
        """Remove an account whole; with ``if_revision``, only if it is still at that revision."""
        self.store.delete_account(
            account_id, Change(self.actor, "delete account", account_id), expected_revision=if_revision
        )
