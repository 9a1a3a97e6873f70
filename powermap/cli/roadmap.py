"""``powermap roadmap``: our roadmap (one per store) ranked by how much power across our key accounts asked for it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Column, Table
from rich.text import Text

from powermap.cli.app import app
from powermap.cli.common import (
    JsonOption,
    StoreOption,
    open_service,
    out,
    print_json,
    read_document,
    write_document,
)

roadmap_app = typer.Typer(
    help="Our roadmap: ranked by fit (power of the people whose pains and itches it answers); import, export, remove.",
    invoke_without_command=True,
)
app.add_typer(roadmap_app, name="roadmap")

ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Also when voices still name the item(s): their ids are taken out of those voices (recorded as a change).",
    ),
]


@roadmap_app.callback()
def roadmap_command(
    ctx: typer.Context,
    account: Annotated[
        str | None, typer.Option("--account", help="Fit in this account only (default: every account).")
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """The roadmap ranked by fit: which item serves the most power across our key accounts."""
    if ctx.invoked_subcommand is not None:
        return
    with open_service(store) as service:
        report, names = service.roadmap_fit_with_names(account=account)
    if as_json:
        print_json(report)
        return
    print_roadmap(report["items"], names)


@roadmap_app.command("import")
def roadmap_import_command(
    file: Annotated[
        Path, typer.Argument(help="Roadmap, JSON or YAML (format powermap-roadmap/v1).", show_default=False)
    ],
    force: ForceOption = False,
    if_revision: Annotated[
        int | None,
        typer.Option("--if-revision", min=0, help="Replace only if the roadmap is still at this revision."),
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Replace the store's roadmap. Items voices still name may only disappear with --force.

    An import equal to the stored roadmap writes nothing (its revision stays).
    """
    document = read_document(file)
    with open_service(store, create=True) as service:  # importing a roadmap may start a new store
        result = service.import_roadmap(document, force=force, if_revision=if_revision)
    if as_json:
        print_json(result)
    elif result["changed"]:
        out.print(f"imported the roadmap: {result['items']} items (revision {result['revision']})", markup=False)
    else:
        out.print(
            f"the roadmap already holds these {result['items']} items: nothing changed "
            f"(still revision {result['revision']})",
            markup=False,
        )


@roadmap_app.command("changes")
def roadmap_changes_command(
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many changes.")] = 50,
    before: Annotated[
        int | None, typer.Option("--before", min=1, max=2**63 - 1, help="Only revisions below this (the next page).")
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Who changed the roadmap, when and what, newest first (as GET /roadmap-changes)."""
    with open_service(store) as service:
        changes = service.roadmap_changes(limit=limit, before_revision=before)
    rows: list[dict[str, Any]] = [
        {"revision": c.revision, "at": c.at.isoformat(), "actor": c.actor, "operation": c.operation}
        | {"subject": c.subject}
        for c in changes
    ]
    if as_json:
        print_json({"changes": rows, "next_before": rows[-1]["revision"] if len(rows) == limit else None})
        return
    if not rows:
        out.print("the roadmap has no recorded change yet")
        return
    table = Table("revision", "when (UTC)", "who", "what", "item", title="Roadmap changes", title_justify="left")
    for row in rows:
        table.add_row(str(row["revision"]), row["at"][:19], Text(row["actor"]), row["operation"], Text(row["subject"]))
    out.print(table)


@roadmap_app.command("export")
def roadmap_export_command(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Export the roadmap as a powermap-roadmap/v1 JSON document (YAML if the file ends in .yaml).

    The document itself is JSON already; with -o and --json, stdout says what was written, as JSON.
    """
    with open_service(store) as service:
        document = service.export_roadmap()
    write_document(document, output, {"items": len(document["items"])}, as_json)


@roadmap_app.command("remove")
def roadmap_remove_command(
    item: Annotated[str, typer.Argument(help="Roadmap item id.", show_default=False)],
    force: ForceOption = False,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Remove one roadmap item. Refused while voices name it, unless --force."""
    with open_service(store) as service:
        revision = service.remove_roadmap_item(item, force=force)
    if as_json:
        print_json({"removed": item, "revision": revision})
    else:
        out.print(f"removed roadmap item {item!r} (the roadmap is now at revision {revision})", markup=False)


def print_roadmap(items: list[dict[str, Any]], names: dict[str, dict[str, str]], *, top: int | None = None) -> None:
    if not items:
        out.print("the roadmap is empty: import one with `powermap roadmap import FILE`")
        return
    # Ids, releases and statuses are never cut (a reader copies them into commands); prose wraps instead.
    table = Table(
        "#",
        Column("item", no_wrap=True),
        Column("title", overflow="fold"),
        Column("release", no_wrap=True),
        Column("status", no_wrap=True),
        "fit",
        Column("asked for by", overflow="fold"),
        title="Roadmap by fit",
        title_justify="left",
    )
    for rank, item in enumerate(items[:top], 1):
        askers = ", ".join(
            f"{names.get(s['account'], {}).get(s['stakeholder'], s['stakeholder'])} ({s['account']})"
            for s in item["stakeholders"]
        )
        table.add_row(
            str(rank),
            Text(item["id"]),
            Text(item["title"]),
            Text(item["release"]),
            item["status"],
            f"{item['fit']:.3f}",
            Text(askers or "nobody yet"),
        )
    out.print(table)
    out.print(
        "fit: the power of every stakeholder with a pain voice the item answers (any status but rejected), "
        "half of it for those with only itches; summed over accounts"
    )
