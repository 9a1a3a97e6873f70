"""Reads of the past: an account's map as of a revision or a moment (``--as-of WHEN``, ``?as_of=``).

WHEN is a revision number or an ISO 8601 time (a time without a zone is UTC); a time stands for the
revision in force then (the last change at or before it). The present is read as it is stored; an
earlier revision is rebuilt from its history (nearest checkpoint, then the deltas after it; see
:mod:`powermap.store.history`).
"""

from __future__ import annotations

import datetime as dt

from powermap.errors import HistoryNotKeptError, InvalidInputError
from powermap.model import AccountMap
from powermap.store.base import Snapshot, Store
from powermap.store.history import parse_when, rebuild


def resolve_revision(
    store: Store, account_id: str, when: str | int | dt.datetime, *, current: int | None = None
) -> int:
    """The revision WHEN names: itself when a number, else the revision in force at that moment."""
    value = parse_when(when) if isinstance(when, str) else when
    if current is None:
        current = store.revision(account_id)
    if isinstance(value, int):
        if value < 1 or value > current:
            raise InvalidInputError(
                f"account {account_id!r} has revisions 1 to {current}; there is no revision {value}"
            )
        return value
    revision = store.revision_at(account_id, value)
    if revision is None:
        raise HistoryNotKeptError(account_id, 0, detail=f"the account had no recorded change by {value.isoformat()}")
    return revision


def snapshot_as_of(store: Store, account_id: str, when: str | int | dt.datetime) -> Snapshot:
    """The map as it was at WHEN, with that revision and the time of the change that made it."""
    current = store.revision(account_id)
    revision = resolve_revision(store, account_id, when, current=current)
    if revision == current:
        snapshot = store.read(account_id)
        if snapshot.revision == revision:
            return snapshot
    document = rebuild(account_id, revision, store.history_rows(account_id, revision))
    # Rebuilt from what the stores kept of validated maps: trusted, like a store's own read.
    return Snapshot(AccountMap.model_validate(document), revision, time_of(store, account_id, revision))


def read_as_of(store: Store, account_id: str, when: str | int | dt.datetime) -> tuple[AccountMap, int]:
    """The map as it was at WHEN, and that revision."""
    snapshot = snapshot_as_of(store, account_id, when)
    return snapshot.account_map, snapshot.revision


def time_of(store: Store, account_id: str, revision: int) -> dt.datetime:
    """When the change that made ``revision`` was recorded (now, if the log no longer says)."""
    change = store.list_changes(account_id, limit=1, before_revision=revision + 1)
    return change[0].at if change else dt.datetime.now(dt.UTC)


def day_of(store: Store, account_id: str, when: str | int | dt.datetime) -> dt.date:
    """The day (UTC) WHEN stands for: the day of a time, or of the change that made a revision."""
    value = parse_when(when) if isinstance(when, str) else when
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).date()
    return time_of(store, account_id, resolve_revision(store, account_id, value)).astimezone(dt.UTC).date()
