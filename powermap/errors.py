"""One exception root for everything powermap refuses or cannot do.

Only the edges (CLI, HTTP API) turn these into exit codes, HTTP statuses and messages; everything
below them raises the most specific subclass and lets it travel up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class PowermapError(Exception):
    """Root of every error powermap raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One broken rule of a document: where (field path), which item (its id) and what is wrong."""

    path: str
    item: str | None
    message: str

    def __str__(self) -> str:
        where = self.path or "document"
        return f"{where} ({self.item}): {self.message}" if self.item else f"{where}: {self.message}"


class InvalidInputError(PowermapError):
    """Input that breaks the contract; nothing of it was stored."""


class InvalidMapError(InvalidInputError):
    """An account-map document (or an edit) refused as a whole, listing every problem."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = "the account map has 1 problem:" if count == 1 else f"the account map has {count} problems:"
        super().__init__("\n  ".join([head, *(str(problem) for problem in self.problems)]))


class NotFoundError(PowermapError):
    """Something named by id does not exist."""

    noun = "item"

    def __init__(self, item_id: str, account_id: str | None = None) -> None:
        self.item_id = item_id
        self.account_id = account_id
        where = f" in account {account_id!r}" if account_id is not None else ""
        super().__init__(f"no {self.noun} with id {item_id!r}{where}")


class AccountNotFoundError(NotFoundError):
    noun = "account"


class StakeholderNotFoundError(NotFoundError):
    noun = "stakeholder"


class MemberNotFoundError(NotFoundError):
    noun = "team member"


class CompetitorNotFoundError(NotFoundError):
    noun = "competitor"


class EdgeNotFoundError(NotFoundError):
    noun = "line"


class ActivityNotFoundError(NotFoundError):
    noun = "activity"


class ConflictError(PowermapError):
    """The request is well-formed but clashes with what is stored (say, an id already taken)."""


class StoreError(PowermapError):
    """The store cannot do its work: unreachable, refused credentials, missing database, bad URL."""


class StoreUnavailableError(StoreError):
    """The store's server cannot be reached or refused us; retrying later may help."""


class HistoryNotKeptError(NotFoundError):
    """An account's state at a moment history no longer (or never) kept: pruned, before the account, or unrecorded."""

    noun = "kept state"

    def __init__(self, account_id: str, revision: int, *, detail: str = "") -> None:
        self.item_id = str(revision)
        self.account_id = account_id
        reason = detail or "it is before the account existed or its history was pruned"
        PowermapError.__init__(self, f"account {account_id!r} has no kept state at revision {revision}: {reason}")
