"""Stores of account maps: one interface (:class:`Store`), one module per backend, one :func:`open_store`."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from powermap.errors import StoreError, StoreURLError
from powermap.settings import Settings, get_settings
from powermap.store.base import AccountSummary, Change, ProgressCallback, Snapshot, Store

__all__ = ["AccountSummary", "Change", "ProgressCallback", "Snapshot", "Store", "create_store", "open_store", "redact"]

logger = logging.getLogger(__name__)
NEO4J_SCHEMES = {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}


def create_store(url: str | None = None, settings: Settings | None = None, *, create: bool = True) -> Store:
    """The store a URL names, constructed without any I/O: ``sqlite:///file.db`` or ``bolt://``/``neo4j://``.

    A long-lived process (the HTTP API) creates its store once and runs the explicit steps itself:
    :meth:`Store.initialize` at start-up and :meth:`Store.collect_garbage` when it sees fit. For Neo4j
    it may pass one driver of its own (:func:`powermap.store.neo4j.connect`) to ``Neo4jStore``.
    With ``create=False`` a SQLite file that does not exist yet is reported, never made (for reads).
    """
    settings = settings or get_settings()
    url = url or settings.store
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        from powermap.store.sqlite import SQLiteStore

        return SQLiteStore(url, busy_timeout_s=settings.sqlite_busy_timeout_s, create=create)
    if scheme in NEO4J_SCHEMES:
        from powermap.store.neo4j import Neo4jStore

        return Neo4jStore(url, settings=settings)
    raise StoreURLError(
        f"unknown store URL {redact(url)!r}: use sqlite:///path/to/file.db, bolt://host:7687 or neo4j://host:7687"
    )


def open_store(url: str | None = None, settings: Settings | None = None, *, create: bool = True) -> Store:
    """The store a URL names, ready to use: created, schema set up, left-overs collected (the CLI's way).

    Garbage collection here is best-effort: a failure is logged and never stops the store from opening
    (whatever is left is collected the next time, or by ``powermap db gc``).
    """
    store = create_store(url, settings, create=create)
    try:
        store.initialize()
        try:
            store.collect_garbage()
        except StoreError as error:
            logger.warning("could not collect replaced map versions yet: %s", error)
    except BaseException:
        store.close()
        raise
    return store


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
