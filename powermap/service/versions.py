"""Revisions and versions: what a caller saw, so that its next write can say so.

- An account's **revision** (an integer) moves on by one with every write to that account. It is the
  precondition of whole-map writes and the ETag of the whole map.
- An item's **version** (a short hex string) is a hash of the item's contract JSON: it changes exactly
  when the item changes, whatever else happens in the account, so two people editing two different
  stakeholders never conflict. It is the ETag of one item.

See ``docs/contract.md`` ("Revisions and versions") for the rules every edge follows.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T", bound=BaseModel)
#: Hex digits of an item version: 80 bits, ample for "did this item change?".
VERSION_DIGITS = 20


def item_version(item: BaseModel) -> str:
    """A stable hash of an item's contract JSON (keys sorted, so field order does not matter).

    >>> from powermap.model import Competitor
    >>> item_version(Competitor(id="c", name="C")) == item_version(Competitor(name="C", id="c"))
    True
    >>> item_version(Competitor(id="c", name="C")) == item_version(Competitor(id="c", name="D"))
    False
    """
    text = json.dumps(
        item.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:VERSION_DIGITS]


@dataclass(frozen=True)
class Versioned(Generic[T]):
    """One item with its version."""

    item: T
    version: str


@dataclass(frozen=True)
class Item(Generic[T]):
    """One item as read or as written: the item, its version, and the account's revision at that moment."""

    item: T
    version: str
    revision: int


@dataclass(frozen=True)
class Listing(Generic[T]):
    """Every item of one list, in stored order, each with its version, read at one revision."""

    revision: int
    items: tuple[Versioned[T], ...]


def versioned(item: T) -> Versioned[T]:
    return Versioned(item, item_version(item))
