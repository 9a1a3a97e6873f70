"""One exception root for everything powermap refuses or cannot do.

Only the edges (CLI, HTTP API) turn these into exit codes, HTTP statuses and messages; everything
below them raises the most specific subclass and lets it travel up.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

#: How much of a value a message echoes back, and how many problems it lists, so an error stays readable
#: whatever the input (a 50 MB value or 150k bad rows). Every problem is still kept on the error.
CLIP_AT = 80
PROBLEMS_SHOWN = 50


def clip(value: object, limit: int = CLIP_AT) -> str:
    """A value as a message shows it, cut to about ``limit`` characters with its length.

    Text is quoted; anything else is written as in a JSON/YAML document (``true``, ``null``, ``1.5``,
    ``2026-01-02``), never in Python's terms.

    >>> clip("cfo"), clip(False), clip(None), clip([1, "a"])
    ("'cfo'", 'false', 'null', '[1, "a"]')
    >>> clip("x" * 1000, limit=12)
    "'xxxxxxxxx… (1002 characters)"
    """
    if isinstance(value, str):
        text = repr(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = str(value)
        if isinstance(value, dt.date | dt.datetime):
            text = value.isoformat()
    if len(text) <= limit:
        return text
    return f"{text[: limit - 2]}… ({len(text)} characters)"


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

    subject = "the account map"

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{self.subject} has 1 problem:" if count == 1 else f"{self.subject} has {count} problems:"
        shown = [str(problem) for problem in self.problems[:PROBLEMS_SHOWN]]
        if count > PROBLEMS_SHOWN:
            more = count - PROBLEMS_SHOWN
            shown.append(f"and {more} more problem{'' if more == 1 else 's'} (--json lists them all)")
        super().__init__("\n  ".join([head, *shown]))


class InvalidPlanError(InvalidMapError):
    """A what-if plan refused as a whole (its shape, or a step that would break the contract), every problem named."""

    subject = "the plan"


class InvalidRoadmapError(InvalidMapError):
    """A roadmap document (``powermap-roadmap/v1``) or roadmap item refused as a whole."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems)
        count = len(self.problems)
        head = "the roadmap has 1 problem:" if count == 1 else f"the roadmap has {count} problems:"
        self.args = ("\n  ".join([head, *(str(problem) for problem in self.problems)]),)


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

    def __init__(self, item_id: str, account_id: str | None = None, *, store: str | None = None) -> None:
        super().__init__(item_id, account_id)
        self.store = store
        if store is not None:
            self.args = (f"no account with id {clip(item_id)} in the store {store} (`powermap accounts` lists them)",)


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


class VoiceNotFoundError(NotFoundError):
    noun = "voice"


class RoadmapItemNotFoundError(NotFoundError):
    noun = "roadmap item"


class KeyNotFoundError(NotFoundError):
    noun = "API key"


class ConflictError(PowermapError):
    """The request is well-formed but clashes with what is stored (HTTP 409)."""


class IdTakenError(ConflictError):
    """A create named an id (or, for a line, two ends) that already exists: nothing was written."""

    def __init__(self, noun: str, item_id: str, account_id: str | None = None) -> None:
        self.noun = noun
        self.item_id = item_id
        self.account_id = account_id
        where = f" in account {account_id!r}" if account_id is not None else ""
        article = "an" if noun[:1] in "aeiou" else "a"
        super().__init__(f"{article} {noun} with id {item_id!r} already exists{where}")


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


class StaleRoadmapError(PreconditionFailedError):
    """The store's roadmap moved past the revision the caller (or the service's own read) expected."""

    def __init__(self, expected: int, actual: int) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"the roadmap changed meanwhile (revision {actual}, expected {expected}); read it again and retry"
        )


class StaleRoadmapItemError(PreconditionFailedError):
    """One roadmap item changed since the caller read it: its version is not the one the caller named."""

    def __init__(self, item_id: str, expected: str, actual: str) -> None:
        self.item_id = item_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"roadmap item {item_id!r} changed meanwhile (version {actual}, expected {expected});"
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


class NotConvergedError(PowermapError):
    """An iterative analysis did not reach its fixed point within its iteration budget.

    Answering with a half-converged value would be a silent wrong number, so the analysis refuses.
    """

    def __init__(self, what: str, iterations: int, change: float, tolerance: float) -> None:
        self.what = what
        self.iterations = iterations
        self.change = change
        super().__init__(
            f"{what} did not converge in {iterations} iterations (last change {change:.3g}, tolerance {tolerance:.3g})"
        )


class StoreError(PowermapError):
    """The store cannot do its work: unreachable, refused credentials, missing database, bad URL."""


class StoreURLError(StoreError, InvalidInputError):
    """A store URL powermap cannot use (unknown scheme, malformed): invalid input, not an outage."""


class ForeignStoreError(StoreURLError):
    """The store URL names a file that is not a powermap store (it is left untouched): invalid input."""


class StoreNotFoundError(StoreError, NotFoundError):
    """A read named a store that does not exist; nothing was created."""

    noun = "store"

    def __init__(self, message: str) -> None:
        self.item_id = message
        self.account_id = None
        Exception.__init__(self, message)


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


class RoadmapItemInUseError(ConflictError):
    """A roadmap item still answers voices, and the caller did not say to detach them."""

    def __init__(self, item_ids: Sequence[str], voices: Sequence[tuple[str, str]]) -> None:
        self.item_ids = tuple(item_ids)
        self.voices = tuple(voices)
        named = ", ".join(f"{voice!r} in account {account!r}" for account, voice in self.voices)
        items = ", ".join(repr(i) for i in self.item_ids)
        noun = "item" if len(self.item_ids) == 1 else "items"
        super().__init__(
            f"roadmap {noun} {items} still answer{'s' if len(self.item_ids) == 1 else ''} voices: {named};"
            " remove the references first, or force it (--force) to drop the items from those voices"
        )
