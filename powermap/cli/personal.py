"""Personal data (issue 11): ``person`` (what we hold about someone), ``erase`` (forget them), ``db scrub``."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from powermap.cli.app import app, db_app
from powermap.cli.common import AccountArg, JsonOption, StoreOption, err, open_service, out, print_json
from powermap.errors import InvalidInputError
from powermap.settings import get_settings
from powermap.store import redact

StakeholderOption = Annotated[
    str, typer.Option("--stakeholder", "-s", help="The stakeholder's id.", show_default=False)
]
YesOption = Annotated[
    bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (needed without a terminal).")
]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@app.command("person")
def person_command(
    account: AccountArg, stakeholder: StakeholderOption, store: StoreOption = None, as_json: JsonOption = False
) -> None:
    """Everything the account holds about one stakeholder (a subject-access export)."""
    with open_service(store) as service:
        about = service.person(account, stakeholder)
    if as_json:
        print_json(about)
        return
    person = about["stakeholder"]
    out.print(f"{person['name']} ({person['id']}) in account {account!r}:", markup=False)
    for field, value in person.items():
        out.print(f"  {field}: {value}", markup=False)
    for name, items in about["items"].items():
        out.print(f"  named in {_plural(len(items), name.rstrip('s') + ' item')} of {name}", markup=False)
    _print_mentions(about["mentions"])
    if about["history"]:
        out.print(f"  named by {_plural(len(about['history']), 'recorded change')} of the history", markup=False)
    if about["erased_before"]:
        out.print(f"  note: someone with this id was erased from this account before ({about['erased_before']}x)")


def _print_mentions(mentions: list[dict[str, Any]]) -> None:
    for mention in mentions:
        out.print(
            f"  their name appears in {mention['list']} {mention['item']!r}, field {mention['field']}"
            " (free text: an erasure does not rewrite it; edit it first)",
            markup=False,
        )


@app.command("erase")
def erase_command(
    account: AccountArg,
    stakeholder: StakeholderOption,
    yes: YesOption = False,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Erase a stakeholder from the account's map and its whole history; this cannot be undone."""
    with open_service(store) as service:
        about = service.person(account, stakeholder)
        name = about["stakeholder"]["name"]
        if not yes:
            if not sys.stdin.isatty():
                raise InvalidInputError("erasing cannot be undone: confirm with --yes (there is no terminal to ask on)")
            question = (
                f"Erase {name} ({stakeholder}) from account {account!r}, its lines, activities and whole history? "
                "This cannot be undone"
            )
            if not typer.confirm(question, default=False):
                err.print("nothing erased", markup=False)
                raise typer.Exit(1)
        result = service.erase_stakeholder(account, stakeholder)
    if as_json:
        print_json(
            {
                "account": result.account,
                "stakeholder": stakeholder,
                "revision": result.revision,
                "dropped": result.dropped,
                "changed": result.changed,
            }
        )
        return
    dropped = ", ".join(
        _plural(n, f"item of {name_}") for name_, n in result.dropped.items() if name_ != "stakeholders"
    )
    changed = ", ".join(_plural(n, f"item of {name_}") for name_, n in result.changed.items())
    out.print(
        f"erased {name} ({stakeholder}) from account {account!r} (revision {result.revision}) and from its history"
        + (f"; removed {dropped}" if dropped else "")
        + (f"; their id taken out of {changed}" if changed else ""),
        markup=False,
    )
    _print_mentions(about["mentions"])


@db_app.command("scrub")
def db_scrub_command(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Rewrite the store's files so nothing deleted or erased can be read back (SQLite: VACUUM, WAL emptied).

    An erasure does this itself; run it when an erasure reported that another process kept the file busy.
    On Neo4j the server's files are the operator's (docs/personal-data.md) and this does nothing.
    """
    with open_service(store) as service:
        service.store.scrub_files()
        url = redact(service.store.url)
    if as_json:
        print_json({"store": url, "scrubbed": True})
    else:
        out.print(f"rewrote the files of {url}: nothing deleted can be read back from them", markup=False)


@db_app.command("prune")
def db_prune_command(
    older_than: Annotated[
        int | None,
        typer.Option(
            "--older-than", min=1, help="Keep this many days of history (default: POWERMAP_HISTORY_RETENTION_DAYS)."
        ),
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Apply history retention to every account (deleted ones too), then rewrite the store's files."""
    days = older_than if older_than is not None else get_settings().history_retention_days
    if days is None:
        raise InvalidInputError("say how much history to keep: --older-than DAYS or POWERMAP_HISTORY_RETENTION_DAYS")
    with open_service(store) as service:
        report = service.apply_retention(days)
    if as_json:
        print_json(report)
    else:
        out.print(
            f"pruned {report['deleted']} history records older than {days} days in "
            f"{_plural(len(report['accounts']), 'account')}; the store's files are rewritten",
            markup=False,
        )
