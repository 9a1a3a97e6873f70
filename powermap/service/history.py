"""An account's history: its change log, what changed between two moments, and pruning.

Every write records its change and its delta (see :mod:`powermap.store.history`); reads of the past
go through :mod:`powermap.service.asof`. ``docs/history.md`` says how history grows, is read and is
pruned.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from powermap.errors import AccountNotFoundError, InvalidInputError
from powermap.model import AccountMap
from powermap.model.diff import diff_maps
from powermap.service.asof import read_as_of, resolve_revision, time_of
from powermap.service.core import ServiceCore
from powermap.store.history import checkpoint_entries

#: "No limit" for the change log (the store's query always takes one).
ALL_CHANGES = 2**31 - 1


class HistoryService(ServiceCore):
    """An account's history: changes, as-of reads, diffs."""

    def history(
        self, account_id: str, *, limit: int | None = None, before_revision: int | None = None
    ) -> dict[str, Any]:
        """``{"account", "changes": [{"revision", "at", "actor", "operation", "subject"}]}``, newest first."""
        changes = self.store.list_changes(
            account_id, limit=ALL_CHANGES if limit is None else limit, before_revision=before_revision
        )
        if not changes and before_revision is None:
            raise AccountNotFoundError(account_id)
        return {
            "account": account_id,
            "changes": [
                {
                    "revision": c.revision,
                    "at": c.at.isoformat(),
                    "actor": c.actor,
                    "operation": c.operation,
                    "subject": c.subject,
                }
                for c in changes
            ],
        }

    def diff(self, account_id: str, *, from_when: str, to_when: str | None = None) -> dict[str, Any]:
        """What changed from one moment to another (default: now), per list, in contract shape.

        ``{"account", "from", "to", "added": {LIST: [item]}, "removed": {LIST: [item]},
        "changed": {LIST: [{"before", "after"}]}}``; ``from`` and ``to`` are the revisions compared.
        """
        before, start = read_as_of(self.store, account_id, from_when)
        if to_when is None:
            snapshot = self.store.read(account_id)
            after, end = snapshot.account_map, snapshot.revision
        else:
            after, end = read_as_of(self.store, account_id, to_when)
        return {"account": account_id, "from": start, "to": end, **diff_maps(before, after).to_report()}

    def prune_history(self, account_id: str, *, older_than_days: int, now: dt.datetime | None = None) -> dict[str, Any]:
        """Drop the account's history older than ``older_than_days``, keeping the state in force then.

        The revision in force at the cutoff becomes a checkpoint (so every moment since can still be
        read); everything before it -- deltas, checkpoints, change-log entries -- is deleted.
        """
        if older_than_days < 1:
            raise InvalidInputError("--older-than must be at least 1 day")
        moment = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=older_than_days)
        self.store.revision(account_id)  # an unknown account is refused, not silently "pruned"
        boundary = self.store.revision_at(account_id, moment)
        if boundary is None or boundary <= 1:
            return {"account": account_id, "kept_from": 1 if boundary else None, "deleted": 0}
        kept, _ = read_as_of(self.store, account_id, boundary)
        self.store.write_checkpoint(account_id, boundary, checkpoint_entries(kept.to_document()))
        deleted = self.store.prune_history(account_id, boundary)
        return {"account": account_id, "kept_from": boundary, "deleted": deleted}

    def map_as_of(self, account_id: str, when: str) -> tuple[AccountMap, int]:
        """The account's map as it was at WHEN, and the revision that was."""
        return read_as_of(self.store, account_id, when)

    def time_as_of(self, account_id: str, when: str) -> dt.datetime:
        """When the change that made the revision WHEN names was recorded."""
        return time_of(self.store, account_id, resolve_revision(self.store, account_id, when))

    def revision_of(self, account_id: str, when: str) -> int:
        """The revision WHEN names (a number, or the revision in force at an ISO 8601 time)."""
        return resolve_revision(self.store, account_id, when)
