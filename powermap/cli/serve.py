"""``powermap serve``: run the HTTP API with uvicorn on the configured store.

The app is named to uvicorn by its import path (``powermap.api.main:create_app``) so this edge does not import
the other edge; both read the one settings object. Uvicorn's limits keep slow or idle clients from
holding the server: a cap on connections (503 beyond it), idle keep-alive closed after a few seconds;
the app itself bounds body size and body pace (``api.limits``).
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from powermap.cli.app import app
from powermap.cli.common import StoreOption, err
from powermap.errors import InvalidInputError
from powermap.settings import get_settings
from powermap.store import redact

APP = "powermap.api.main:create_app"
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@app.command("serve")
def serve_command(
    host: Annotated[str | None, typer.Option("--host", help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option("--port", min=0, max=65_535, help="Port (default 8000).")] = None,
    no_auth: Annotated[
        bool, typer.Option("--no-auth", help="Accept calls without an API key (only on a loopback address).")
    ] = False,
    store: StoreOption = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /openapi.json, docs at /docs) until interrupted."""
    import uvicorn

    if store:
        os.environ["POWERMAP_STORE"] = store
    if no_auth:
        os.environ["POWERMAP_AUTH"] = "false"
    get_settings.cache_clear()  # the app reads the settings afresh, with the options above
    settings = get_settings()
    host = host or settings.host
    port = settings.port if port is None else port
    if not settings.auth and host not in _LOOPBACK and not host.startswith("127."):
        raise InvalidInputError(
            f"authentication may be turned off only on a loopback address, not {host!r}: "
            "bind to 127.0.0.1 or make keys (`powermap keys add`)"
        )
    auth = "ON (Authorization: Bearer <token>)" if settings.auth else "OFF: anyone on this machine acts as admin"
    err.print(
        f"powermap API on http://{host}:{port} over {redact(settings.store)}; authentication {auth}", markup=False
    )
    uvicorn.run(
        APP,
        factory=True,
        host=host,
        port=port,
        timeout_keep_alive=int(max(1, settings.keep_alive_s)),
        limit_concurrency=settings.max_connections,
        h11_max_incomplete_event_size=64 * 1024,
        log_level="info",
        server_header=False,
    )
