"""Stores of account maps: one interface (:class:`Store`), one module per backend, one :func:`open_store`."""

from __future__ import annotations

from urllib.parse import urlsplit

from powermap.errors import StoreURLError
from powermap.settings import Settings, get_settings
from powermap.store.base import AccountSummary, Change, ProgressCallback, Snapshot, Store

__all__ = ["AccountSummary", "Change", "ProgressCallback", "Snapshot", "Store", "open_store", "redact"]

NEO4J_SCHEMES = {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}


def open_store(url: str | None = None, settings: Settings | None = None) -> Store:
    """The store a URL names: ``sqlite:///file.db`` (embedded) or ``bolt://``/``neo4j://`` (a Neo4j server)."""
    settings = settings or get_settings()
    url = url or settings.store
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        from powermap.store.sqlite import SQLiteStore

        return SQLiteStore(url, busy_timeout_s=settings.sqlite_busy_timeout_s)
    if scheme in NEO4J_SCHEMES:
        from powermap.store.neo4j import Neo4jStore

        return Neo4jStore(url, settings=settings)
    raise StoreURLError(
        f"unknown store URL {redact(url)!r}: use sqlite:///path/to/file.db, bolt://host:7687 or neo4j://host:7687"
    )


def redact(url: str) -> str:
    """A store URL fit for messages and logs: any password replaced by ***.

    >>> redact("bolt://neo4j:secret@db:7687/sales")
    'bolt://neo4j:***@db:7687/sales'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
