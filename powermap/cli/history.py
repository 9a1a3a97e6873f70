"""Commands on an account's history: history (the change log), diff (what changed between two moments),
prune-history (retention)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from powermap.cli.app import app
from powermap.cli.common import AccountArg, JsonOption, StoreOption, open_service, out, print_json
from powermap.errors import InvalidInputError
from powermap.model import LIST_BY_NAME
from powermap.settings import get_settings

WhenHelp = "a revision number or an ISO 8601 time (no zone = UTC)"


@app.command("history")
def history_command(
    account: AccountArg,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Show only the newest N changes.")] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """The account's changes, newest first: revision, time, who, what."""
    with open_service(store) as service:
        report = service.history(account, limit=limit)
    if as_json:
        print_json(report)
        return
    table = Table("revision", "at (UTC)", "who", "what", "subject", title=f"History of {account}", title_justify="left")
    for change in report["changes"]:
        table.add_row(
            str(change["revision"]),
            change["at"][:19].replace("T", " "),
            Text(change["actor"]),
            Text(change["operation"]),
            Text(change["subject"]),
        )
    out.print(table)


@app.command("diff")
def diff_command(
    account: AccountArg,
    from_when: Annotated[str, typer.Option("--from", help=f"Earlier moment: {WhenHelp}.", show_default=False)],
    to_when: Annotated[str | None, typer.Option("--to", help=f"Later moment (default: now): {WhenHelp}.")] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """What changed in an account's map between two moments: items added, removed and changed, per list."""
    with open_service(store) as service:
        report = service.diff(account, from_when=from_when, to_when=to_when)
    if as_json:
        print_json(report)
        return
    print_diff(report)


@app.command("prune-history")
def prune_history_command(
    account: AccountArg,
    older_than: Annotated[
        int | None,
        typer.Option(
            "--older-than",
            min=1,
            help="Drop history older than this many days (default: POWERMAP_HISTORY_RETENTION_DAYS).",
        ),
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Drop an account's history older than N days; the map in force then stays readable with --as-of."""
    days = older_than if older_than is not None else get_settings().history_retention_days
    if days is None:
        raise InvalidInputError("say how much history to keep: --older-than DAYS or POWERMAP_HISTORY_RETENTION_DAYS")
    with open_service(store) as service:
        report = service.prune_history(account, older_than_days=days)
    if as_json:
        print_json(report)
    elif report["deleted"]:
        out.print(
            f"pruned {report['deleted']} history records of {account!r}; "
            f"the account can be read as of revision {report['kept_from']} onwards",
            markup=False,
        )
    else:
        out.print(f"nothing in {account!r}'s history is older than {days} days", markup=False)


# -- presentation ----------------------------------------------------------------------------------------


def describe_changes(changes: dict[str, dict[str, int]]) -> str:
    """One line for people: ``2 stakeholders added, 1 relationship changed`` (or ``nothing``)."""
    parts = []
    for name, counts in changes.items():
        for how in ("added", "removed", "changed"):
            if counts.get(how):
                parts.append(f"{counts[how]} {_noun(name, counts[how])} {how}")
    return ", ".join(parts) or "nothing"


def print_diff(report: dict[str, Any]) -> None:
    out.print(f"{report['account']}: from revision {report['from']} to revision {report['to']}", markup=False)
    lines: list[str] = []
    for name, items in report["added"].items():
        lines += [f"  + {_noun(name, 1)} {_label(name, item)}" for item in items]
    for name, items in report["removed"].items():
        lines += [f"  - {_noun(name, 1)} {_label(name, item)}" for item in items]
    for name, pairs in report["changed"].items():
        for pair in pairs:
            before, after = pair["before"], pair["after"]
            fields = ", ".join(
                f"{key} {before.get(key)!r} -> {after.get(key)!r}" for key in after if before.get(key) != after.get(key)
            )
            lines.append(f"  ~ {_noun(name, 1)} {_label(name, after)}: {fields}")
    for line in lines or ["  nothing changed"]:
        out.print(line, markup=False)


def _noun(list_name: str, count: int) -> str:
    if list_name == "account":
        return "account record"
    spec = LIST_BY_NAME.get(list_name)
    noun = spec.noun if spec is not None else list_name
    if count == 1:
        return noun
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


def _label(list_name: str, item: dict[str, Any]) -> str:
    spec = LIST_BY_NAME.get(list_name)
    if list_name == "account" or spec is None or not spec.is_line:
        name = item.get("name")
        return f"{item.get('id')!r}" + (f" ({name})" if name else "")
    first, second = spec.key
    return f"{item.get(first)!r} -> {item.get(second)!r}"
