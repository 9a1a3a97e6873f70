"""The ``log`` command: record an activity that took place and apply its effect to the map."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from powermap.cli.app import app
from powermap.cli.common import AccountArg, JsonOption, StoreOption, open_service, out, print_json, read_document
from powermap.errors import InvalidInputError
from powermap.model import ActivityKind, Stance


@app.command("log")
def log_command(
    account: AccountArg,
    kind: Annotated[
        ActivityKind | None, typer.Option("--type", help="Kind of activity (ice_breaking, site_visit, ...).")
    ] = None,
    members: Annotated[list[str] | None, typer.Option("--member", help="Our team member present (repeat).")] = None,
    stakeholders: Annotated[
        list[str] | None, typer.Option("--stakeholder", help="Their stakeholder present (repeat).")
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="When it took place, YYYY-MM-DD (default: today).")] = None,
    outcome: Annotated[str | None, typer.Option("--outcome", help="What came of it, in words.")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Private notes.")] = None,
    activity_id: Annotated[str | None, typer.Option("--id", help="Activity id (default: KIND-DATE).")] = None,
    stance: Annotated[
        Stance | None, typer.Option("--stance", help="Set this stance on every stakeholder present.")
    ] = None,
    strength: Annotated[
        float | None,
        typer.Option("--strength", min=0.0, max=1.0, help="Set this strength on every relationship it touched."),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", "-f", help="An activity document (JSON/YAML, the contract's activity shape)."),
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record an activity and apply its effect: relationships, stances, competitors, last contact."""
    data: dict[str, Any] = {}
    if file is not None:
        loaded = read_document(file)
        if not isinstance(loaded, dict):
            raise InvalidInputError(f"{str(file)!r} must hold one activity (an object), not {type(loaded).__name__}")
        data.update(loaded)
    given = {
        "id": activity_id,
        "type": kind.value if kind is not None else None,
        "members": members or None,
        "stakeholders": stakeholders or None,
        "date": date,
        "outcome": outcome,
        "notes": notes,
        "stance": stance.value if stance is not None else None,
        "strength": strength,
    }
    data.update({key: value for key, value in given.items() if value is not None})
    if "type" not in data:
        raise InvalidInputError("say what kind of activity it was: --type KIND (or `type:` in the --file document)")
    with open_service(store) as service:
        report = service.log_activity(account, data)
    if as_json:
        print_json(report)
        return
    activity = report["activity"]
    out.print(
        f"logged {activity['type']} {activity['id']!r} on {activity['date']} in {account!r} "
        f"(revision {report['revision']})",
        markup=False,
    )
    for change in report["changes"]:
        out.print("  " + _change_line(change), markup=False)
    if not report["changes"]:
        out.print("  no effect on the map beyond the record (see `powermap log --help` for the defaults)")


def _change_line(change: dict[str, Any]) -> str:
    """One item the activity changed, before -> after, in words."""
    before, after = change["before"], change["after"]
    if change["list"] == "stakeholders":
        was = f"{before['stance']} -> " if before is not None and before["stance"] != after["stance"] else ""
        return f"stance of {after['id']!r} ({after['name']}): {was}{after['stance']}"
    if change["list"] == "relationships":
        was = "new" if before is None else f"{before['strength']:.2f}"
        return (
            f"relationship {after['member']!r} -> {after['stakeholder']!r}: strength {was} -> {after['strength']:.2f}, "
            f"last contact {after['last_contact']}"
        )
    was = "" if before is None else f"{before['strength']:.2f} -> "
    return f"competitor {after['competitor']!r} on {after['stakeholder']!r} pushed back: {was}{after['strength']:.2f}"
