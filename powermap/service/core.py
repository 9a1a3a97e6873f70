"""What every topic of the service shares: the store, the actor, and the edit loop.

Edits follow one pattern: read a snapshot, apply the edit, check it against the contract (a write of one
item only for what that item touches, :meth:`ServiceCore._edit_map`; a wider edit, such as removing a
node or logging an activity, by validating the whole edited document, :meth:`ServiceCore._edit`; either
way with the messages an import gives), then hand the store the fine-grained write together with the
snapshot's revision. If someone else wrote in
between, the store refuses; the edit is then tried again on a fresh snapshot, unless the caller named
the revision it saw, in which case it is refused (:class:`~powermap.errors.StaleRevisionError`).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from powermap.errors import InvalidMapError, Problem, StaleRevisionError
from powermap.model import EDGE_MODELS, AccountMap, EdgeKind, item_problems, parse_account_map
from powermap.service.asof import snapshot_as_of
from powermap.service.cache import CachedMap, MapCache
from powermap.settings import get_settings
from powermap.store.base import Snapshot, Store
from powermap.store.history import Delta, checkpoint_entries, edit_delta

_T = TypeVar("_T")
_M = TypeVar("_M", bound=BaseModel)
EDIT_ATTEMPTS = 40
EDIT_BACKOFF_CAP_S = 0.25
_NOUNS = {
    "account": "account",
    "stakeholders": "stakeholder",
    "team": "member",
    "competitors": "competitor",
    "reports_to": "reports_to",
    "influences": "influence",
    "relationships": "relationship",
    "competitor_relationships": "competitor_relationship",
    "activities": "activity",
    "voices": "voice",
    "items": "roadmap item",
}


class ServiceCore:
    """The state every topic works on: one store and who is acting. Topics subclass this."""

    def __init__(self, store: Store, *, actor: str = "cli", cache: MapCache | None = None) -> None:
        self.store = store
        self.actor = actor
        #: Shared by every service of a long-lived process (see :mod:`powermap.service.cache`).
        self.cache = cache

    def _current(self, account_id: str, as_of: str | None = None) -> CachedMap:
        """The account's map as stored now, with its graph and results memoised per revision.

        With a cache, one cheap revision check decides whether the map must be read again; without
        one (the CLI), the map is read and the entry lives as long as the caller holds it. With
        ``as_of``, the map as it was then, rebuilt from history (:mod:`powermap.service.asof`).
        """
        if as_of is not None:
            return CachedMap(snapshot_as_of(self.store, account_id, as_of))
        if self.cache is None:
            return CachedMap(self.store.read(account_id))
        return self.cache.load(account_id, self.store.revision(account_id), lambda: self.store.read(account_id))

    def _snapshot(self, account_id: str) -> Snapshot:
        return self._current(account_id).snapshot

    @staticmethod
    def _valid_item(model: type[_M], list_name: str, data: Mapping[str, Any]) -> _M:
        """The item ``data`` describes, or a refusal naming the field and the item's id (before touching the store)."""
        noun = _NOUNS[list_name]
        if not isinstance(data, Mapping):
            raise InvalidMapError([Problem(noun, None, "must be an object")])
        try:
            return model.model_validate(data)
        except ValidationError as error:
            raise InvalidMapError(item_problems(error, list_name, data, noun)) from None

    @classmethod
    def _check_item(cls, model: type[Any], list_name: str, data: Mapping[str, Any]) -> None:
        """Refuse a malformed item before touching the store, naming the field and the item's id."""
        cls._valid_item(model, list_name, data)

    def _roadmap_ids_for(self, document: Any) -> set[str] | None:
        """The store's roadmap ids when the document's voices name any (one read), else None: nothing to check."""
        voices = document.get("voices") if isinstance(document, Mapping) else None
        if not isinstance(voices, list | tuple) or not any(isinstance(v, Mapping) and v.get("roadmap") for v in voices):
            return None
        return {item.id for item in self.store.read_roadmap().items}

    def _edit(
        self,
        account_id: str,
        mutate: Callable[[dict[str, Any]], None],
        write: Callable[[AccountMap, int, Delta], int],
        *,
        if_revision: int | None = None,
    ) -> tuple[AccountMap, int]:
        """Apply ``mutate`` to a fresh snapshot's document, validate it whole, ``write`` it; (map, new revision).

        With ``if_revision`` (the revision the caller saw), a snapshot at any other revision, or a write
        that finds the account moved on, is refused with :class:`StaleRevisionError`. Without it, a
        write that lost the race is tried again on a fresh snapshot (``mutate`` runs again there, so
        item-version checks inside it are re-made against what is stored now).
        """

        def transform(stored: AccountMap) -> AccountMap:
            document = stored.to_document()
            mutate(document)
            return parse_account_map(document, roadmap_ids=self._roadmap_ids_for(document))

        return self._attempts(account_id, transform, write, if_revision, keep=False)

    def _edit_map(
        self,
        account_id: str,
        transform: Callable[[AccountMap], AccountMap],
        write: Callable[[AccountMap, int, Delta], int],
        *,
        if_revision: int | None = None,
    ) -> tuple[AccountMap, int]:
        """:meth:`_edit` for edits that cannot break a reference: one item replaced, its identity kept.

        ``transform`` builds the new map from the stored (already valid) one, validating only the item
        it replaces, so an edit of one stakeholder costs the same in a 20- or a 20,000-person account.
        The preconditions and retries are :meth:`_edit`'s; after the write the new map is what the
        store holds at the new revision, so it goes into the cache and the next read costs nothing.
        """
        return self._attempts(account_id, transform, write, if_revision, keep=True)

    def _attempts(
        self,
        account_id: str,
        transform: Callable[[AccountMap], AccountMap],
        write: Callable[[AccountMap, int, Delta], int],
        if_revision: int | None,
        *,
        keep: bool,
    ) -> tuple[AccountMap, int]:
        """The write loop of every edit: snapshot, precondition, ``transform``, ``write``, retry if unnamed."""
        for attempt in range(EDIT_ATTEMPTS):
            # A cached snapshot is safe here: the store refuses the write if the revision moved on.
            snapshot = self._snapshot(account_id) if attempt == 0 else self.store.read(account_id)
            if if_revision is not None and snapshot.revision != if_revision:
                raise StaleRevisionError(account_id, if_revision, snapshot.revision)
            account_map = transform(snapshot.account_map)
            delta = edit_delta(snapshot.account_map, account_map)  # what history keeps of this write
            try:
                revision = write(account_map, snapshot.revision, delta)
            except StaleRevisionError:
                if if_revision is not None or attempt == EDIT_ATTEMPTS - 1:
                    raise
                back_off(attempt)
                continue
            if keep and self.cache is not None:
                self.cache.put(account_id, Snapshot(account_map, revision, dt.datetime.now(dt.UTC)))
            self._keep_checkpoint(account_id, revision, account_map, delta)
            return account_map, revision
        raise AssertionError("unreachable")  # pragma: no cover

    def _keep_checkpoint(self, account_id: str, revision: int, account_map: AccountMap, delta: Delta) -> None:
        """After a write: keep the whole map when the changes since the last checkpoint outgrow it.

        That bounds a read of any past revision to about twice the map's items (``docs/history.md``).
        A checkpoint is only an optimisation (the deltas alone rebuild every revision), so it is
        written after the write, in batches, and a crash in between costs nothing but speed.
        """
        if delta.keeps_map:
            return
        checkpoint, since = self.store.history_since_checkpoint(account_id)
        if checkpoint is None or since > delta.size * get_settings().history_checkpoint_ratio:
            self.store.write_checkpoint(account_id, revision, checkpoint_entries(account_map.to_document()))

    def _read_map(self, account_id: str, as_of: str | None = None) -> AccountMap:
        """The account's map now, or as of a revision or moment (``--as-of``, see :mod:`powermap.service.asof`)."""
        return self._current(account_id, as_of).snapshot.account_map


def retrying(
    attempt: Callable[[], _T],
    *,
    retry: bool = True,
    lost_race: tuple[type[Exception], ...] = (StaleRevisionError,),
) -> _T:
    """Run ``attempt`` (read a fresh snapshot, write against its revision) until no one wrote first.

    Without ``retry`` (the caller named the revision it saw) a lost race is the caller's answer.
    """
    for number in range(EDIT_ATTEMPTS):
        try:
            return attempt()
        except lost_race:
            if not retry or number == EDIT_ATTEMPTS - 1:
                raise
            back_off(number)
    raise AssertionError("unreachable")  # pragma: no cover


def back_off(attempt: int) -> None:
    """Someone wrote first: wait a random, growing moment so busy writers spread out."""
    time.sleep(random.uniform(0.0, min(EDIT_BACKOFF_CAP_S, 0.002 * 2**attempt)))  # noqa: S311


def upsert(items: list[dict[str, Any]], same: Callable[[dict[str, Any]], bool], data: Mapping[str, Any]) -> None:
    """Replace the item ``same`` picks, in place, or append ``data`` as a new last item."""
    index = next((i for i, item in enumerate(items) if same(item)), None)
    if index is None:
        items.append(dict(data))
    else:
        items[index] = dict(data)


def edge_fields(kind: EdgeKind) -> tuple[str, str]:
    """The document's field names of a line's two ends (``from``/``to``, ``member``/``stakeholder``...)."""
    model = EDGE_MODELS[kind]
    source = model.model_fields["source"].alias or "source"
    target = model.model_fields["target"].alias or "target"
    return source, target
