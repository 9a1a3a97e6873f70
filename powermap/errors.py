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
    """The request is well-formed but clashes with what is stored (HTTP 409)."""


class IdTakenError(ConflictError):
    """A create named an id (or, for a line, two ends) that already exists: nothing was written."""

    def __init__(self, noun: str, item_id: str, account_id: str | None = None) -> None:
        self.noun = noun
        self.item_id = item_id
        self.account_id = account_id
        where = f" in account {account_id!r}" if account_id is not None else ""
        super().__init__(f"a {noun} with id {item_id!r} already exists{where}")


class PreconditionFailedError(PowermapError):
    """The caller named what it saw (a revision or a version) and the store holds something newer (HTTP 412).

    Never retried silently: the caller reads again, looks, and decides.
    """


class StaleRevisionError(PreconditionFailedError):
    """The account moved past the revision the caller (or the service's own snapshot) expected."""

    def __init__(self, account_id: str, expected: int, actual: int) -> None:
        self.account_id = account_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"account {account_id!r} changed meanwhile (revision {actual}, expected {expected});"
            " read it again and retry"
        )


class StaleVersionError(PreconditionFailedError):
    """One item changed since the caller read it: its version is not the one the caller named."""

    def __init__(self, noun: str, item_id: str, account_id: str, expected: str, actual: str) -> None:
        self.noun = noun
        self.item_id = item_id
        self.account_id = account_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{noun} {item_id!r} in account {account_id!r} changed meanwhile (version {actual}, expected {expected});"
            " read it again and retry"
        )


class StoreError(PowermapError):
    """The store cannot do its work: unreachable, refused credentials, missing database, bad URL."""


class StoreUnavailableError(StoreError):
    """The store's server cannot be reached or refused us; retrying later may help."""
