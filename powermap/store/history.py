"""An account's history as the stores keep it: a delta per write, a checkpoint every so often.

Every write records, beside its change-log entry (who, when, what), a **head** (one per revision:
how many items its delta holds, whether a checkpoint was kept) and its **items**: the delta (one
entry per item added, removed or changed, with the item before and after, in contract shape) and,
at some revisions, a **checkpoint** (every item of the map at that revision). All of it is item-level
data keyed by list and id (lines by their two ends), so it can be rewritten item by item (to erase
a person) and pruned revision by revision.

A read as of revision R loads the nearest checkpoint at or before R and applies the deltas after it,
up to R. A checkpoint is kept whenever the items changed since the last one exceed the map's size, so
such a read never loads more than about twice the items of the map (see ``docs/history.md``).

This module holds what both stores share: the records and the reconstruction. The stores only write
and fetch rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from powermap.errors import HistoryNotKeptError, InvalidInputError
from powermap.model.contract import AccountMap, Voice
from powermap.model.diff import (
    ACCOUNT,
    Entry,
    MapDiff,
    apply_diff,
    apply_diffs,
    diff_documents,
    diff_maps,
    key_of,
    list_names,
)
from powermap.model.erasure import forget_in_entry, forget_item


@dataclass(frozen=True)
class Delta:
    """What one write did to the map, for history: its diff and, when kept, the whole map after it.

    ``entries`` may be empty when the map is kept (an import that replaced most of the map keeps the
    new map instead of a diff larger than it; a new account's first import always does).
    """

    entries: tuple[Entry, ...] = ()
    #: The map as written, when this write keeps it as a checkpoint (None: the delta is enough).
    kept_map: dict[str, Any] | None = None
    #: Items of the map after the write (the checkpoint policy compares the changes to it).
    size: int = 0

    @cached_property
    def checkpoint(self) -> tuple[Entry, ...] | None:
        """The kept map as history entries, computed only for a store that copies it at once.

        SQLite does not: the map it has just written *is* the checkpoint until the account next
        changes, and it copies it into history then (copy on write, ``docs/history.md``), so an
        import costs about a bare write. Neo4j stages it with the import's map version.
        """
        return None if self.kept_map is None else checkpoint_entries(self.kept_map)

    @property
    def keeps_map(self) -> bool:
        return self.kept_map is not None


def checkpoint_entries(document: dict[str, Any]) -> tuple[Entry, ...]:
    """A whole map as history entries: every item added to an empty map, in document order."""
    diff = diff_documents(None, document)
    return diff.entries


def delta_between(before: dict[str, Any] | None, after: dict[str, Any]) -> tuple[Delta, dict[str, dict[str, int]]]:
    """The delta of a write from ``before`` (None: the account is new) to ``after``, and its counts.

    The whole map is kept instead when the diff would not reproduce ``after`` (an import that
    reordered items) or would be larger than the map itself. A new account's map is kept whole
    without diffing it against nothing: every item of it is added.
    """
    size = document_size(after)
    if before is None:
        counts = MapDiff().counts()
        counts[ACCOUNT]["added"] = 1
        for name in list_names():
            counts[name]["added"] = len(after.get(name) or ())
        return Delta((), after, size), counts
    diff = diff_documents(before, after)
    if len(diff) >= size or apply_diff(_lists_only(before), diff) != _lists_only(after):
        return Delta((), after, size), diff.counts()
    return Delta(diff.entries, None, size), diff.counts()


def edit_delta(before: AccountMap, after: AccountMap) -> Delta:
    """The delta of a fine-grained edit (which only ever replaces in place, appends and removes)."""
    return Delta(diff_maps(before, after).entries, None, map_size(after))


def map_size(account_map: AccountMap) -> int:
    """Items in a map (the account record counts as one)."""
    return 1 + sum(len(getattr(account_map, name)) for name in list_names())


def document_size(document: dict[str, Any]) -> int:
    """Items in a map (the account record counts as one)."""
    return 1 + sum(len(document.get(name) or ()) for name in list_names())


def _lists_only(document: dict[str, Any]) -> dict[str, Any]:
    """The parts of a document a diff covers (the account record and the lists), for comparisons."""
    return {key: value for key, value in document.items() if key == ACCOUNT or key in list_names()}


#: Stands for the earlier side of a delta entry where a store skipped reading it: rebuilding a map only
#: needs to know that the item was there (changed or removed), not what it was.
WAS_THERE: dict[str, Any] = {}


@dataclass(frozen=True)
class HistoryRows:
    """What a store fetched to rebuild one revision: a checkpoint and the deltas after it, in order.

    A delta entry's ``before`` may be :data:`WAS_THERE` (only its presence counts here).
    """

    checkpoint_revision: int
    checkpoint: Sequence[Entry]
    deltas: Sequence[tuple[int, Sequence[Entry]]] = field(default_factory=tuple)
    #: Every revision after the checkpoint, up to the one asked, that recorded history.
    heads: Sequence[int] = field(default_factory=tuple)


def rebuild(account_id: str, revision: int, rows: HistoryRows | None) -> dict[str, Any]:
    """The document of an account as of ``revision`` from what its store fetched.

    Raises :class:`HistoryNotKeptError` when no checkpoint is kept at or before that revision (it
    was pruned, or the account did not exist yet) or a write in between recorded no history.
    """
    if rows is None:
        raise HistoryNotKeptError(account_id, revision)
    missing = set(range(rows.checkpoint_revision + 1, revision + 1)) - set(rows.heads)
    if missing:
        raise HistoryNotKeptError(account_id, revision, detail=f"revision {min(missing)} recorded no history")
    document = apply_diffs(None, [rows.checkpoint, *(entries for _, entries in rows.deltas)])
    if document is None or ACCOUNT not in document:
        raise HistoryNotKeptError(account_id, revision)
    document = {"format": "powermap/v1", **document}
    for name in list_names():
        document.setdefault(name, [])
    return document


def entries_diff(entries: Iterable[Entry]) -> MapDiff:
    return MapDiff(tuple(entries))


#: Most entries, and most characters, one stored chunk of history holds (so no property is huge).
CHUNK_ENTRIES = 500
CHUNK_CHARS = 1_000_000


def chunked(entries: Iterable[Entry], *, checkpoint: bool) -> list[dict[str, Any]]:
    """History entries as chunks of JSON strings, ``{"checkpoint", "seq", "entries"}``, in order."""
    chunks: list[dict[str, Any]] = []
    current: list[str] = []
    chars = 0
    for entry in entries:
        text = entry.dumps()
        if current and (len(current) >= CHUNK_ENTRIES or chars + len(text) > CHUNK_CHARS):
            chunks.append({"checkpoint": checkpoint, "seq": len(chunks), "entries": current})
            current, chars = [], 0
        current.append(text)
        chars += len(text)
    if current:
        chunks.append({"checkpoint": checkpoint, "seq": len(chunks), "entries": current})
    return chunks


def forget_entry(entry: Entry, stakeholder_id: str, *, checkpoint: bool) -> Entry | None:
    """A history entry with a stakeholder forgotten (:mod:`powermap.model.erasure`); None when it goes.

    A checkpoint entry (an item of the whole map) stays unless the item itself goes; a delta entry goes
    when nothing but the stakeholder made its two sides differ.
    """
    if checkpoint:
        kept = None if entry.after is None else forget_item(entry.list, entry.after, stakeholder_id)
        return None if kept is None else replace(entry, after=kept)
    forgotten = forget_in_entry(entry.list, entry.before, entry.after, stakeholder_id)
    return None if forgotten is None else replace(entry, before=forgotten[0], after=forgotten[1])


def detached_entry(voice: dict[str, Any], item_ids: Sequence[str]) -> Entry:
    """The history entry of a voice whose references to the roadmap items ``item_ids`` were taken out."""
    before = Voice.model_validate(voice).model_dump(mode="json", by_alias=True)
    after = {**before, "roadmap": [i for i in before["roadmap"] if i not in set(item_ids)]}
    return Entry("voices", key_of("voices", before), before, after)


def unchunked(texts: Iterable[str]) -> list[Entry]:
    return [Entry.from_json(json.loads(text)) for text in texts]


def parse_when(text: str) -> int | dt.datetime:
    """A revision number or an ISO 8601 time (a time without a zone is UTC).

    >>> parse_when("12"), parse_when("2026-11-01T08:00")
    (12, datetime.datetime(2026, 11, 1, 8, 0, tzinfo=datetime.timezone.utc))
    >>> parse_when("2026-11-01")
    datetime.datetime(2026, 11, 1, 0, 0, tzinfo=datetime.timezone.utc)
    """
    value = text.strip()
    if value.isdigit():
        return int(value)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(
            f"{text!r} is neither a revision number nor an ISO 8601 time (like 2026-11-01 or 2026-11-01T08:00Z)"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
