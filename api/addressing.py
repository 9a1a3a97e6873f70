"""How items are addressed: every id travels as one percent-encoded path segment.

HTTP servers percent-decode the path before routing, so an id holding ``/`` (sent as ``%2F``) would
otherwise split into two segments and an id like ``a%2Fb`` could never be told from ``a/b``. The API
therefore routes on the *raw* path (the ASGI ``raw_path``, exactly as the client sent it) and decodes
each segment once, after routing: ``/accounts/acme/stakeholders/a%2Fb`` names the stakeholder ``a/b``,
``.../%E9%99%88`` names ``陈``, ``.../50%25`` names ``50%``. A line is addressed by its two ends, in
the contract's order: ``/accounts/A/influences/{from}/{to}``, ``/relationships/{member}/{stakeholder}``.

Clients encode each id with ``quote(id, safe="")`` (JavaScript: ``encodeURIComponent``); ``.`` and
``..`` must be sent as ``%2E`` and ``%2E%2E``, since clients collapse dot segments before sending.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from starlette.convertors import Convertor, register_url_convertor
from starlette.types import ASGIApp, Receive, Scope, Send

#: Bytes that may stand unencoded in the routed path: the RFC 3986 path characters and ``%`` itself
#: (so ``%XX`` escapes survive to the convertor). Anything else (say raw UTF-8) is escaped first.
_PATH_SAFE = "/%!$&'()*+,;=:@-._~"


class PercentDecoded(Convertor[str]):
    """A path parameter: one raw segment, percent-decoded once after routing."""

    regex = "[^/]+"

    def convert(self, value: str) -> str:
        return unquote(value, errors="strict")

    def to_string(self, value: str) -> str:
        return quote(str(value), safe="")


def segment(value: str) -> str:
    """The path segment that names ``value``.

    >>> segment("a/b"), segment("陈"), segment("50%")
    ('a%2Fb', '%E9%99%88', '50%25')
    """
    return quote(value, safe="")


# Every plain ``{param}`` of every route decodes this way, so routes added by other modules (web pages,
# voices) address ids exactly as these do. Registered when :mod:`api` is imported, before any route.
register_url_convertor("str", PercentDecoded())


class RawPathRouting:
    """ASGI middleware: route on the raw path, so an encoded ``/`` stays inside its segment."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("raw_path") if scope["type"] in {"http", "websocket"} else None
        if raw:
            scope = {**scope, "path": quote(raw, safe=_PATH_SAFE)}
        await self.app(scope, receive, send)
