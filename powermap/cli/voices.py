"""``powermap voices``: the customer's voices of an account and the health of the loop that closes them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from powermap.cli.app import app
from powermap.cli.common import AccountArg, JsonOption, StoreOption, open_service, out, print_json
from powermap.model import Flow, VoiceCategory

TodayOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--today",
        formats=["%Y-%m-%d"],
        help="Count ages and overdue voices to this day (YYYY-MM-DD); default POWERMAP_TODAY or the real date.",
        show_default=False,
    ),
]


@app.command("voices")
def voices_command(
    account: AccountArg,
    open_only: Annotated[bool, typer.Option("--open", help="Only voices not yet resolved or rejected.")] = False,
    category: Annotated[
        VoiceCategory | None, typer.Option("--category", help="Only voices screened this way.", show_default=False)
    ] = None,
    flow: Annotated[
        Flow | None, typer.Option("--flow", help="Only voices owned by this flow.", show_default=False)
    ] = None,
    today: TodayOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """The account's voices (who said what, how old, how powerful) and the loop's health.

    The filters narrow the list; the summary always covers every voice of the account.
    """
    day = today.date() if today is not None else None
    with open_service(store) as service:
        report, names = service.voices_with_names(account, open_only=open_only, category=category, flow=flow, today=day)
    if as_json:
        print_json(report)
        return
    print_voices(report, names)


def print_voices(report: dict[str, Any], names: dict[str, str], *, top: int | None = None) -> None:
    rows = report["voices"][:top]
    if rows:
        table = Table(
            "voice",
            "raised by",
            "power",
            "said",
            "screened",
            "status",
            "flow",
            "age",
            title="Voices",
            title_justify="left",
        )
        for v in rows:
            said = v["text"] if len(v["text"]) <= 60 else v["text"][:57] + "..."
            who = f"{names.get(v['stakeholder'], '')} ({v['stakeholder']})"
            age = f"{v['age_days']} d" + (" OVERDUE" if v["overdue"] else "")
            table.add_row(
                Text(v["id"]),
                Text(who),
                f"{v['power']:.2f}",
                Text(said),
                f"{v['category']}" + (f" P{v['priority']}" if v["priority"] else ""),
                v["status"],
                v["flow"],
                age,
            )
        out.print(table)
    else:
        out.print("no voices match" if report["summary"]["total"] else "no voices recorded for this account yet")
    print_voice_loop(report["summary"])


def print_voice_loop(summary: dict[str, Any]) -> None:
    """The loop's health in words: every number with what it means."""
    out.print("[bold]The voice loop[/bold]")
    out.print(
        f"  {summary['total']} voices, {summary['open']} still open, "
        f"{summary['overdue']} overdue (open pains older than the overdue limit)"
    )
    categories = ", ".join(f"{n} {c}" for c, n in summary["by_category"].items() if n)
    flows = ", ".join(f"{n} {f}" for f, n in summary["by_flow"].items() if n)
    out.print(f"  screened: {escape(categories or 'none')}; owned by: {escape(flows or 'none')}")
    rate = summary["closure_rate"]
    out.print(
        "  closure rate: "
        + ("n/a (no pain or itch voices)" if rate is None else f"{rate:.0%} of pain and itch voices resolved")
    )
    mean = summary["mean_satisfaction"]
    out.print(
        "  mean satisfaction: "
        + ("n/a (no resolved voice rated yet)" if mean is None else f"{mean:.1f} of 5 on resolved voices")
    )
    out.print(f"  pain exposure: {summary['pain_exposure']:.0%} of the account's power has an open pain")
