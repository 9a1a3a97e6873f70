"""Commands on the store itself beyond ``db init``: ``db gc``."""

from __future__ import annotations

from powermap.cli.app import db_app
from powermap.cli.common import JsonOption, StoreOption, open_service, out, print_json
from powermap.store import redact


@db_app.command("gc")
def db_gc_command(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Delete what replaced, deleted or killed imports left behind (Neo4j; nothing to do on SQLite).

    Also run, best-effort, whenever a command opens the store.
    """
    with open_service(store) as service:
        removed = service.store.collect_garbage()
        url = redact(service.store.url)
    if as_json:
        print_json({"store": url, "removed": removed})
    else:
        out.print(f"garbage collected in {url}: {removed} left-over nodes removed", markup=False)
