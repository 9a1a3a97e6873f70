"""Entity tags: what ``ETag`` says and how ``If-Match`` is read.

An item's tag is its version (:func:`powermap.service.item_version`, a hash of its contract JSON), so
it changes exactly when that item changes and edits of *other* items never touch it: two people
editing different stakeholders do not conflict. A whole map's tag is its revision (``"r17"``), which
every edit of the account moves on. ``If-Match`` is optional (no 428): without it a write applies to
the current state (a PATCH merges into the item as it is now); with it, a stale tag is refused with
412 and nothing is written. ``If-Match: *`` asks only that the target exist. Tags are compared
strongly (RFC 9110): a weak ``W/`` tag never matches, and one request names one tag.
"""

from __future__ import annotations

from dataclasses import dataclass

from powermap.errors import PreconditionFailedError

ANY = "*"


def version_etag(version: str) -> str:
    """The ``ETag`` of one item (an account record, a node, a line, an activity)."""
    return f'"{version}"'


def revision_etag(revision: int) -> str:
    """The ``ETag`` of a whole map at one revision.

    >>> revision_etag(17)
    '"r17"'
    """
    return f'"r{revision}"'


@dataclass(frozen=True)
class Precondition:
    """What an ``If-Match`` asks: nothing (absent or ``*``), an item's version or a map's revision."""

    version: str | None = None
    revision: int | None = None


def if_match(header: str | None) -> Precondition:
    """Read an ``If-Match`` header.

    >>> if_match(None) == if_match("*") == Precondition()
    True
    >>> if_match('"ab12"'), if_match('"r7"')
    (Precondition(version='ab12', revision=None), Precondition(version=None, revision=7))
    """
    if header is None or header.strip() == ANY:
        return Precondition()
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    if len(tags) != 1 or not (len(tags[0]) >= 2 and tags[0][0] == tags[0][-1] == '"'):
        raise PreconditionFailedError(
            f'If-Match must name exactly one strong ETag as it was sent ("..."), not {header!r}'
        )
    opaque = tags[0][1:-1]
    if opaque.startswith("r") and opaque[1:].isdigit():
        return Precondition(revision=int(opaque[1:]))
    return Precondition(version=opaque)
