"""Commands on whole maps and accounts: import, export, accounts, delete, db init."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from powermap.cli.app import app, db_app
from powermap.cli.common import (
    EXIT_FAILURE,
    AccountArg,
    AsOfOption,
    JsonOption,
    StoreOption,
    err,
    open_service,
    out,
    print_json,
    progress,
    read_document,
    write_document,
)
from powermap.cli.history import describe_changes
from powermap.store import redact


@app.command("import")
def import_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="Account map, JSON or YAML (format powermap/v1); - reads standard input.",
            show_default=False,
        ),
    ],
    store: StoreOption = None,
    as_json: JsonOption = False,
    if_revision: Annotated[
        int | None,
        typer.Option(
            "--if-revision",
            min=0,
            help="Replace only if the account is still at this revision (0: only if it does not exist yet).",
        ),
    ] = None,
) -> None:
    """Import an account map, replacing that account's map atomically."""
    document = read_document(file)
    with open_service(store, create=True) as service, progress("importing", enabled=not as_json) as on_progress:
        if if_revision is None:
            result = service.import_map(document, on_progress=on_progress)
        elif if_revision == 0:
            result = service.create_account(document, on_progress=on_progress)
        else:
            account = document.get("account", {}).get("id") if isinstance(document, dict) else None
            result = service.replace_map(str(account), document, if_revision=if_revision, on_progress=on_progress)
    if as_json:
        print_json(
            {
                "account": result.account,
                "revision": result.revision,
                "counts": result.counts,
                "changed": result.changed,
                "changes": result.changes,
            }
            | ({"previously_erased": list(result.previously_erased)} if result.previously_erased else {})
        )
    elif not result.changed:
        out.print(
            f"account {escape(repr(result.account))} already holds this map: nothing changed "
            f"(still revision {result.revision})"
        )
    else:
        counts = ", ".join(f"{n} {name}" for name, n in result.counts.items() if n)
        out.print(f"imported account {escape(repr(result.account))} (revision {result.revision}): {counts}")
        if not result.created:
            out.print(f"  changed against the map it replaced: {describe_changes(result.changes)}", markup=False)
    if result.previously_erased:
        err.print(
            f"note: {', '.join(map(repr, result.previously_erased))} had been erased from this account before "
            "(a personal-data request): make sure they agreed to be recorded again (docs/personal-data.md)",
            markup=False,
        )


@app.command("export")
def export_command(
    account: AccountArg,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")] = None,
    store: StoreOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Export an account map as a powermap/v1 JSON document (YAML if the file ends in .yaml).

    The document itself is JSON already; with -o and --json, stdout says what was written, as JSON.
    """
    with open_service(store) as service:
        document = service.export_map(account, as_of=as_of)
    write_document(document, output, {"account": account}, as_json)


@app.command("accounts")
def accounts_command(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """List the accounts in the store."""
    with open_service(store) as service:
        summaries = service.accounts()
    if as_json:
        print_json(
            [
                {
                    "id": s.id,
                    "name": s.name,
                    "industry": s.industry,
                    "stakeholders": s.stakeholders,
                    "revision": s.revision,
                    "updated_at": s.updated_at.isoformat(),
                }
                for s in summaries
            ]
        )
        return
    if not summaries:
        out.print("no accounts yet: try `powermap demo` or `powermap import FILE`")
        return
    table = Table("id", "name", "industry", "stakeholders", "revision", "updated")
    for s in summaries:
        table.add_row(
            Text(s.id),
            Text(s.name),
            Text(s.industry),
            str(s.stakeholders),
            str(s.revision),
            f"{s.updated_at:%Y-%m-%d %H:%M}",
        )
    out.print(table)


@app.command("delete")
def delete_command(
    account: AccountArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Delete an account and everything in it (asks first on a terminal; --yes skips the question)."""
    with open_service(store) as service:
        if not yes and sys.stdin.isatty():
            confirm_delete(service.export_map(account), redact(service.store.url))
        service.delete_account(account)
    if as_json:
        print_json({"deleted": account})
    else:
        out.print(f"deleted account {account!r}", markup=False)


def confirm_delete(document: dict[str, Any], store: str) -> None:
    """Ask a person at a terminal to type yes before an account goes; anything else stops the delete."""
    account = document["account"]
    sizes = ", ".join(f"{len(document.get(name) or [])} {name}" for name in ("stakeholders", "team", "activities"))
    err.print(f"delete account {account['id']!r} ({account['name']}: {sizes}) from {store}?", markup=False)
    answer = typer.prompt("type yes to delete", default="", show_default=False, err=True)
    if answer.strip().lower() not in {"y", "yes"}:
        err.print("nothing deleted", markup=False)
        raise typer.Exit(EXIT_FAILURE)


@db_app.command("init")
def db_init_command(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Create the store's schema, constraints and indexes (idempotent; every command also does it on opening)."""
    with open_service(store, create=True) as service:
        service.store.initialize()
        url = redact(service.store.url)
    if as_json:
        print_json({"store": url, "ready": True})
    else:
        out.print(f"store ready: {url}", markup=False)
