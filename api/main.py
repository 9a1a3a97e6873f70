"""The application factory: one FastAPI app over one store, opened once per process.

``create_app()`` reads the settings; the lifespan opens the configured store when the server starts,
shares it with every request (``StoreDep``) and closes it at shutdown. Tests and embedders pass an
open ``store`` instead (it is then theirs to close). More pages join by including a router in
:func:`create_app` (``app.include_router(...)``), as :mod:`powermap.api.routes` does.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from powermap.api.addressing import RawPathRouting
from powermap.api.cached import RevisionChecks
from powermap.api.collector import server_collector
from powermap.api.deps import KeyCache
from powermap.api.limits import BodyLimits
from powermap.api.problems import install as install_problems
from powermap.api.routes import api_router
from powermap.api.web import router as web_router
from powermap.service.cache import MapCache
from powermap.settings import Settings, get_settings
from powermap.store import Store, open_store, redact

logger = logging.getLogger("powermap.api")

DESCRIPTION = """
Edit and query key-account power maps together.

* Every call but `/health` needs an API key: `Authorization: Bearer <token>` (`powermap keys add`).
* Ids travel as one percent-encoded path segment each (`a/b` is `a%2Fb`); a line is addressed by its
  two ends, `/accounts/{account}/influences/{from}/{to}`.
* Items and maps carry an `ETag`; send it back as `If-Match` to refuse a stale edit (412).
* Errors are RFC 9457 problem details (`application/problem+json`).
"""


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """The HTTP API. ``store``: an open store to use (and leave open); default: open ``settings.store``."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        # Store calls block, so routes run in a thread pool: sized here, once, from the settings.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.workers_threads
        app.state.store = open_store(settings.store, settings) if store is None else store
        if not settings.auth:
            logger.warning("authentication is OFF: every caller on this loopback address acts as admin")
        logger.info("powermap API on %s", redact(app.state.store.url))
        try:
            with server_collector():
                yield
        finally:
            if owned:
                app.state.store.close()

    app = FastAPI(
        title="powermap",
        summary="Stakeholder power maps for key-account teams",
        description=DESCRIPTION,
        version="1",
        lifespan=lifespan,
        docs_url=None,  # served below from bundled assets: the page loads nothing remote
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.keys = KeyCache(settings.key_cache_s)
    app.state.cache = MapCache(settings.cache_maps)  # maps, graphs and analyses per (account, revision)
    app.state.revision_checks = RevisionChecks()  # coalesced freshness checks (api.cached)
    app.state.started = dt.datetime.now(dt.UTC)
    install_problems(app)
    _mount_docs(app)
    app.include_router(api_router)
    app.include_router(web_router)  # the web app's pages (api.web)
    # Outermost last: limits see the raw request first, then routing on the raw path.
    app.add_middleware(RawPathRouting)
    app.add_middleware(BodyLimits, max_bytes=settings.max_body_bytes, timeout_s=settings.body_timeout_s)
    return app


def _mount_docs(app: FastAPI) -> None:
    """Swagger UI at ``/docs``, from the assets of the ``swagger-ui-bundle`` package (no CDN)."""
    import swagger_ui_bundle

    app.mount("/docs/assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="powermap API",
            swagger_js_url="/docs/assets/swagger-ui-bundle.js",
            swagger_css_url="/docs/assets/swagger-ui.css",
            swagger_favicon_url="/docs/assets/favicon-32x32.png",
            # No validator badge: Swagger UI would fetch it from the internet.
            swagger_ui_parameters={"validatorUrl": None},
        )


__all__ = ["create_app"]
