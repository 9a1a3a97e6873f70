"""Whole maps: import, export, list accounts, delete an account."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from powermap.errors import AccountNotFoundError
from powermap.model import EDGE_LISTS, NODE_LISTS, parse_account_map
from powermap.model.diff import MapDiff
from powermap.service.core import ServiceCore, retrying
from powermap.service.erase import previously_erased
from powermap.store.base import AccountSummary, Change, ProgressCallback
from powermap.store.history import delta_between


@dataclass(frozen=True)
class ImportResult:
    account: str
    revision: int
    counts: dict[str, int]
    #: False when the document was identical to the stored map: nothing was written.
    changed: bool = True
    #: Per list (and ``account``): items added, removed and changed against the map it replaced.
    changes: dict[str, dict[str, int]] = field(default_factory=dict)
    #: True when the account did not exist before.
    created: bool = False
    #: Stakeholders of this import once erased from this account (docs/personal-data.md): check consent.
    previously_erased: tuple[str, ...] = ()


class MapsService(ServiceCore):
    """Whole-map use cases."""

    def import_map(self, document: Any, *, on_progress: ProgressCallback | None = None) -> ImportResult:
        """Validate a contract document and store it, replacing that account's map atomically.

        The result says what changed against the stored map; a document identical to it writes
        nothing and leaves the revision where it was.
        """
        account_map = parse_account_map(document)
        account_id = account_map.account.id
        after = account_map.to_document()
        counts = {name: len(getattr(account_map, name)) for name in (*NODE_LISTS.values(), *EDGE_LISTS.values())}
        counts["activities"] = len(account_map.activities)

        def attempt() -> ImportResult:
            try:
                snapshot = self.store.read(account_id)
            except AccountNotFoundError:
                snapshot = None
            erased = previously_erased(self.store, account_map)
            before = snapshot.account_map.to_document() if snapshot is not None else None
            if snapshot is not None and before == after:
                return ImportResult(
                    account_id,
                    snapshot.revision,
                    counts,
                    changed=False,
                    changes=MapDiff().counts(),
                    previously_erased=erased,
                )
            delta, diff = delta_between(before, after)
            revision = self.store.put_map(
                account_map,
                Change(self.actor, "import", account_id, history=delta),
                on_progress=on_progress,
                expected_revision=snapshot.revision if snapshot is not None else 0,
            )
            self._keep_checkpoint(account_id, revision, account_map, delta)
            return ImportResult(
                account_id,
                revision,
                counts,
                changes=diff.counts(),
                created=snapshot is None,
                previously_erased=erased,
            )

        return retrying(attempt)

    def export_map(self, account_id: str, *, as_of: str | None = None) -> dict[str, Any]:
        return self._read_map(account_id, as_of).to_document()

    def accounts(self) -> list[AccountSummary]:
        return self.store.list_accounts()

    def delete_account(self, account_id: str) -> None:
        self.store.delete_account(account_id, Change(self.actor, "delete account", account_id))
