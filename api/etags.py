"""Entity tags: what ``ETag`` says and how ``If-Match`` is read.

An item's tag is a hash of its contract JSON, so it changes exactly when that item changes and edits
of *other* items never touch it (two people editing different stakeholders do not conflict). A whole
map's tag is its revision (``"r17"``), which every edit of the account moves on. ``If-Match`` is
optional: without it a write applies to the current state (last writer wins for that item); with it,
a stale tag is refused with 412 and nothing is written. ``If-Match: *`` asks only that the item exist.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

ANY = "*"


def item_etag(item: BaseModel) -> str:
    """The strong tag of one item (an account record, a node, a line, an activity)."""
    return data_etag(item.model_dump(mode="json", by_alias=True))


def data_etag(data: Mapping[str, Any]) -> str:
    """The tag of an item given as its contract JSON (as in an exported document)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(text.encode("utf-8")).hexdigest()[:20] + '"'


def revision_etag(revision: int) -> str:
    """The strong tag of a whole map at one revision.

    >>> revision_etag(17)
    '"r17"'
    """
    return f'"r{revision}"'


def parse_if_match(header: str | None) -> tuple[str, ...] | None:
    """The tags an ``If-Match`` header lists (``("*",)`` for any), or None when absent.

    >>> parse_if_match('"a", W/"b" , "c"'), parse_if_match(None), parse_if_match("*")
    (('"a"', 'W/"b"', '"c"'), None, ('*',))
    """
    if header is None:
        return None
    return tuple(tag.strip() for tag in header.split(",") if tag.strip())


def matches(tags: tuple[str, ...], current: str | None) -> bool:
    """Whether ``If-Match`` holds for an item whose tag is ``current`` (None: it does not exist).

    Strong comparison (RFC 9110 13.1.1): a weak tag never matches.

    >>> matches(('"a"',), '"a"'), matches(('W/"a"',), '"a"'), matches(("*",), None), matches(("*",), '"x"')
    (True, False, False, True)
    """
    if current is None:
        return False
    return any(tag in (ANY, current) for tag in tags)
