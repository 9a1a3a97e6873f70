"""``powermap keys``: make, list and revoke the API keys the HTTP API accepts."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from powermap.cli.app import app
from powermap.cli.common import JsonOption, StoreOption, open_service, out, print_json
from powermap.model.keys import Role

keys_app = typer.Typer(help="API keys for the HTTP API (`powermap serve`).", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("add")
def add_key(
    name: Annotated[str, typer.Argument(help="The key's name: recorded as the author of its changes.")],
    role: Annotated[Role, typer.Option("--role", help="viewer (read), editor (write) or admin (everything).")],
    accounts: Annotated[
        list[str] | None,
        typer.Option("--account", help="An account the key may reach (repeat); none given: every account."),
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Make a key and print its token, once: only its hash is stored."""
    with open_service(store, create=True) as service:
        key = service.add_key(name, role, accounts or None)
    if as_json:
        print_json({"name": key.name, "role": key.role.value, "accounts": key.accounts, "token": key.token})
        return
    reach = "every account" if key.accounts is None else ", ".join(key.accounts)
    out.print(f"API key {key.name!r} ({key.role.value}, {reach}). Its token, shown this once:", markup=False)
    out.print(key.token, markup=False)
    out.print("Send it as `Authorization: Bearer <token>`.", markup=False)


@keys_app.command("list")
def list_keys(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Every key: name, role, accounts and when it was made (never a token)."""
    with open_service(store) as service:
        keys = service.list_keys()
    if as_json:
        print_json([key.model_dump(mode="json") for key in keys])
        return
    if not keys:
        out.print("no API keys yet: `powermap keys add NAME --role viewer|editor|admin`", markup=False)
        return
    table = Table("name", "role", "accounts", "created")
    for key in keys:
        reach = "(all)" if key.accounts is None else ", ".join(key.accounts)
        table.add_row(Text(key.name), key.role.value, Text(reach), key.created_at.isoformat(timespec="seconds"))
    out.print(table)


@keys_app.command("revoke")
def revoke_key(
    name: Annotated[str, typer.Argument(help="The key to revoke.")],
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Revoke a key: calls with its token are refused (within POWERMAP_KEY_CACHE_S seconds on a running server)."""
    with open_service(store) as service:
        service.revoke_key(name)
    if as_json:
        print_json({"revoked": name})
    else:
        out.print(f"revoked API key {name!r}", markup=False)
