"""The one interface every store implements, and the records it returns.

Stores are deliberately simple writers: they check nothing of the contract. The service validates a
change against a snapshot of the map and passes the snapshot's revision as ``expected_revision``;
the store applies the change only if the account is still at that revision (else
:class:`~powermap.errors.StaleRevisionError`), in the same transaction, and moves the revision on by one.
That one rule keeps concurrent writers from ever interleaving into a map that breaks the contract.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType

from powermap.errors import (
    AccountNotFoundError,
    CompetitorNotFoundError,
    EdgeNotFoundError,
    IdTakenError,
    MemberNotFoundError,
    NotFoundError,
    StakeholderNotFoundError,
    StaleRevisionError,
)
from powermap.model import Account, AccountMap, Activity, Edge, EdgeKind, Node, NodeKind, Roadmap, RoadmapItem, Voice
from powermap.model.diff import Entry
from powermap.model.keys import ApiKey
from powermap.store.history import Delta, HistoryRows

_NOT_FOUND: dict[NodeKind, type[NotFoundError]] = {
    NodeKind.STAKEHOLDER: StakeholderNotFoundError,
    NodeKind.MEMBER: MemberNotFoundError,
    NodeKind.COMPETITOR: CompetitorNotFoundError,
}


def not_found_for_node(kind: NodeKind, node_id: str, account_id: str) -> NotFoundError:
    return _NOT_FOUND[kind](node_id, account_id)


def not_found_for_edge(kind: EdgeKind, source: str, target: str, account_id: str) -> NotFoundError:
    return EdgeNotFoundError(f"{kind.value} {source!r} -> {target!r}", account_id)


def check_replace(account_id: str, current: int | None, expected: int | None) -> None:
    """Refuse a whole-map write whose ``expected_revision`` (see :meth:`Store.put_map`) does not hold.

    ``current`` is the stored revision, None when the account does not exist.
    """
    if expected is None or current == expected or (expected == 0 and current is None):
        return
    if expected == 0 and current is not None:
        raise IdTakenError("account", account_id)
    if current is None:
        raise AccountNotFoundError(account_id)
    raise StaleRevisionError(account_id, expected, current)


#: Called with (rows written, rows in all) while a long write is under way.
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class AccountSummary:
    id: str
    name: str
    industry: str
    revision: int
    updated_at: dt.datetime
    stakeholders: int


@dataclass(frozen=True)
class Snapshot:
    """A map as stored, with the revision it was read at."""

    account_map: AccountMap
    revision: int
    updated_at: dt.datetime


@dataclass(frozen=True)
class Change:
    """Who changed an account and how; every write records one (the seed of an account's history)."""

    actor: str
    operation: str
    subject: str = ""
    #: What the write did to the map, kept as history (see :mod:`powermap.store.history`); a write
    #: without one leaves a gap that as-of reads across it refuse to bridge.
    history: Delta | None = None


@dataclass(frozen=True)
class ChangeRecord:
    """One recorded write of an account: the revision it made, when, who, what and on which item."""

    revision: int
    at: dt.datetime
    actor: str
    operation: str
    subject: str


@dataclass(frozen=True)
class Erasure:
    """That someone was erased from an account: when, by whom, and a salted fingerprint of their id.

    The fingerprint (see :mod:`powermap.service.erase`) names nobody; it only lets a later import of
    the same id into the same account be flagged.
    """

    account: str
    revision: int
    at: dt.datetime
    actor: str
    fingerprint: str


def subject_names(subject: str, node_id: str) -> bool:
    """Whether a change's ``subject`` (an id, or a line's ``source->target``) names this id.

    >>> subject_names("ceo", "ceo"), subject_names("cto->ceo", "ceo"), subject_names("ceo2", "ceo")
    (True, True, False)
    """
    return subject == node_id or subject.startswith(f"{node_id}->") or subject.endswith(f"->{node_id}")


class Store(ABC):
    """An account-map store: whole maps atomically, fine-grained edits guarded by revision."""

    url: str

    @abstractmethod
    def initialize(self) -> None:
        """Create schema, constraints and indexes; idempotent. An explicit step: constructors do no I/O."""

    def collect_garbage(self) -> int:
        """Delete what replaced or abandoned writes left behind; returns how many items went (explicit step)."""
        return 0

    @abstractmethod
    def put_map(
        self,
        account_map: AccountMap,
        change: Change,
        *,
        on_progress: ProgressCallback | None = None,
        expected_revision: int | None = None,
    ) -> int:
        """Create or replace one account's whole map atomically; returns the new revision.

        ``expected_revision``: None writes whatever is stored; 0 creates only (an existing account is
        :class:`~powermap.errors.IdTakenError`); n > 0 replaces only revision n (else
        :class:`~powermap.errors.StaleRevisionError`, or :class:`AccountNotFoundError` when absent).
        A re-created account goes on from the last revision its change log recorded: revisions never repeat.
        """

    @abstractmethod
    def revision(self, account_id: str) -> int:
        """The account's current revision, cheaply (no map read); :class:`AccountNotFoundError` when absent."""

    @abstractmethod
    def read(self, account_id: str) -> Snapshot:
        """The stored map, lists in stored order; :class:`AccountNotFoundError` when absent."""

    @abstractmethod
    def list_changes(
        self, account_id: str, *, limit: int = 50, before_revision: int | None = None
    ) -> list[ChangeRecord]:
        """The account's recorded writes, newest first: at most ``limit``, only revisions below
        ``before_revision`` when given (the next page starts below the last revision of this one).

        The log outlives the account (a deleted account's changes stay, so an empty list is not
        "not found"); an account deleted and created again continues the same log.
        """

    @abstractmethod
    def list_accounts(self) -> list[AccountSummary]:
        """Every account, by id."""

    @abstractmethod
    def delete_account(self, account_id: str, change: Change, *, expected_revision: int | None = None) -> None:
        """Remove an account and everything in it; :class:`AccountNotFoundError` when absent.

        With ``expected_revision``, only if the account is still at it (else :class:`StaleRevisionError`).
        """

    @abstractmethod
    def update_account(self, account: Account, change: Change, *, expected_revision: int) -> int:
        """Replace the account record (name, industry, notes)."""

    @abstractmethod
    def put_node(self, account_id: str, node: Node, change: Change, *, expected_revision: int) -> int:
        """Insert a node at the end of its list, or replace the one with its id in place."""

    @abstractmethod
    def remove_node(
        self, account_id: str, kind: NodeKind, node_id: str, change: Change, *, expected_revision: int
    ) -> int:
        """Remove a node, every line touching it, and its id from activities."""

    @abstractmethod
    def put_edge(self, account_id: str, edge: Edge, change: Change, *, expected_revision: int) -> int:
        """Insert a line at the end of its list, or replace the one joining the same ends in place."""

    @abstractmethod
    def remove_edge(
        self, account_id: str, kind: EdgeKind, source: str, target: str, change: Change, *, expected_revision: int
    ) -> int:
        """Remove one line."""

    @abstractmethod
    def put_items(
        self,
        account_id: str,
        items: Sequence[Node | Edge | Activity],
        change: Change,
        *,
        expected_revision: int,
    ) -> int:
        """Put several nodes, lines and activities (each as :meth:`put_node` etc. would) in one write."""

    @abstractmethod
    def put_activity(self, account_id: str, activity: Activity, change: Change, *, expected_revision: int) -> int:
        """Insert an activity at the end of the list, or replace the one with its id in place."""

    @abstractmethod
    def remove_activity(self, account_id: str, activity_id: str, change: Change, *, expected_revision: int) -> int:
        """Remove one activity."""

    # -- history (see powermap.store.history) -------------------------------------------------------

    @abstractmethod
    def revision_at(self, account_id: str, moment: dt.datetime) -> int | None:
        """The account's revision in force at ``moment``: the last change at or before it (None: none)."""

    @abstractmethod
    def history_rows(self, account_id: str, revision: int) -> HistoryRows | None:
        """The nearest checkpoint at or before ``revision`` and the deltas after it (None: no checkpoint)."""

    @abstractmethod
    def history_since_checkpoint(self, account_id: str) -> tuple[int | None, int]:
        """The revision of the account's last checkpoint (None: none) and the delta items recorded since."""

    @abstractmethod
    def write_checkpoint(self, account_id: str, revision: int, entries: Sequence[Entry]) -> None:
        """Keep the whole map at ``revision`` (it must be the map as of that revision)."""

    @abstractmethod
    def prune_history(self, account_id: str, keep_from: int) -> int:
        """Drop history before revision ``keep_from`` (a checkpoint must already be kept there); returns rows gone."""

    @abstractmethod
    def prune_roadmap_changes(self, before: dt.datetime) -> int:
        """Retention: drop the roadmap's change-log entries recorded before ``before``; returns how many went.

        The roadmap's revision never goes back (a later write still gets the next number)."""

    # -- voices and the roadmap (one roadmap per store, shared by every account) ------------------------

    @abstractmethod
    def put_voice(self, account_id: str, voice: Voice, change: Change, *, expected_revision: int) -> int:
        """Insert a voice at the end of the list, or replace the one with its id in place.

        Its roadmap references must name stored items (checked in the transaction, so a concurrent
        removal of an item surfaces as :class:`ConflictError` and the service retries).
        """

    @abstractmethod
    def remove_voice(self, account_id: str, voice_id: str, change: Change, *, expected_revision: int) -> int:
        """Remove one voice."""

    @abstractmethod
    def read_roadmap(self) -> Roadmap:
        """The store's roadmap, items in stored order (empty when none was ever imported)."""

    # The roadmap has a revision of its own (0 before its first write), moved on by one by every write of
    # it, each write recorded in its change log. Writes take ``expected_revision`` like an account's:
    # None writes whatever is stored; n refuses (StaleRoadmapError) unless the roadmap is still at n.

    @abstractmethod
    def read_roadmap_at(self) -> tuple[Roadmap, int]:
        """The roadmap and the revision it was read at, in one read."""

    @abstractmethod
    def roadmap_revision(self) -> int:
        """The roadmap's current revision, cheaply (0 before its first write)."""

    @abstractmethod
    def list_roadmap_changes(self, *, limit: int = 50, before_revision: int | None = None) -> list[ChangeRecord]:
        """The roadmap's recorded writes, newest first (as :meth:`list_changes`)."""

    @abstractmethod
    def put_roadmap(
        self, roadmap: Roadmap, change: Change, *, detach: bool = False, expected_revision: int | None = None
    ) -> int:
        """Replace the whole roadmap atomically; returns its new revision.

        Items that disappear while voices still name them refuse the write
        (:class:`~powermap.errors.RoadmapItemInUseError`, naming the voices) unless ``detach``, which
        removes those ids from the voices in the same transaction (each account touched moves its
        revision on and records the change).
        """

    @abstractmethod
    def put_roadmap_item(self, item: RoadmapItem, change: Change, *, expected_revision: int | None = None) -> int:
        """Insert an item at the end of the roadmap, or replace the one with its id in place; the new revision."""

    @abstractmethod
    def remove_roadmap_item(
        self, item_id: str, change: Change, *, detach: bool = False, expected_revision: int | None = None
    ) -> int:
        """Remove one item; refused while voices name it unless ``detach`` (as in :meth:`put_roadmap`)."""

    # -- personal data (issue 11): erasure and retention ----------------------------------------------

    @abstractmethod
    def erase_stakeholder(
        self, account_id: str, stakeholder_id: str, change: Change, *, fingerprint: str, expected_revision: int
    ) -> int:
        """Forget a stakeholder everywhere in one account, in one transaction; returns the new revision.

        The live map loses the person, every line touching them and their id in activities (and any
        item whose reference names them, per :func:`powermap.model.erasure.forget_item`); every
        recorded change of the account's history stops naming them; one change (``change``, which
        names nobody) and one :class:`Erasure` are recorded. Afterwards no readable copy of their data
        is left in the store's files (SQLite: secure delete, rebuild and WAL truncation). Raises
        :class:`StakeholderNotFoundError` when the live map has no such stakeholder.
        """

    @abstractmethod
    def erasure_salt(self) -> bytes:
        """This store's random salt for erasure fingerprints, created on first use and kept in the store."""

    @abstractmethod
    def erasures(self, account_id: str) -> list[Erasure]:
        """The erasures recorded for an account, oldest first."""

    @abstractmethod
    def change_log_accounts(self) -> list[str]:
        """Ids of every account with a change log, deleted accounts included (whose log outlives them)."""

    @abstractmethod
    def scrub_files(self) -> None:
        """Rewrite the store's own files so deleted data cannot be read back from them, where the store can.

        SQLite can (see :meth:`powermap.store.sqlite.SQLiteStore.scrub_files`); a Neo4j server's files
        are the operator's (``docs/personal-data.md``).
        """

    @abstractmethod
    def ping(self) -> None:
        """Check the store answers (cheaply); :class:`StoreError` when it does not."""

    # -- API keys (who may call the HTTP API); tokens are stored hashed ---------------------------

    @abstractmethod
    def add_key(self, key: ApiKey) -> None:
        """Store a new key; :class:`ConflictError` when its name is taken."""

    @abstractmethod
    def find_key(self, token_hash: str) -> ApiKey | None:
        """The key whose token hashes to ``token_hash``, if any."""

    @abstractmethod
    def list_keys(self) -> list[ApiKey]:
        """Every key, by name."""

    @abstractmethod
    def revoke_key(self, name: str) -> None:
        """Delete a key; :class:`KeyNotFoundError` when there is none of that name."""

    @abstractmethod
    def close(self) -> None:
        """Release connections; the store is unusable afterwards."""

    def get_map(self, account_id: str) -> AccountMap:
        return self.read(account_id).account_map

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
