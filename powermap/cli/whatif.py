"""What-if and single-champion risk: ``powermap whatif`` and ``powermap dependency``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from powermap.cli.app import app
from powermap.cli.common import AccountArg, JsonOption, StoreOption, open_service, out, print_json, read_document


@app.command("whatif")
def whatif_command(
    account: AccountArg,
    plan: Annotated[Path, typer.Argument(help="Plan file (powermap-plan/v1, JSON or YAML).", show_default=False)],
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """The analysis before and after a plan of changes and activities, applied to a copy: nothing is stored."""
    document = read_document(plan)
    with open_service(store) as service:
        report = service.whatif(account, document)
    if as_json:
        print_json(report)
        return
    print_whatif(report)


def print_whatif(report: dict[str, Any]) -> None:
    before, after, delta = report["before"], report["after"], report["delta"]
    out.print(f"what if, on account {report['account']} (nothing stored):", markup=False)
    out.print(
        f"  support index {before['forecast']['support_index']:+.3f} ({before['forecast']['outlook']}) -> "
        f"{after['forecast']['support_index']:+.3f} ({after['forecast']['outlook']}): "
        f"{delta['support_index']:+.3f}",
        markup=False,
    )
    out.print(
        f"  coverage {before['coverage']:.0%} -> {after['coverage']:.0%} of the account's power held by people "
        f"we are close to: {delta['coverage'] * 100:+.1f} points",
        markup=False,
    )
    leans = {dm["stakeholder"]: dm["lean"] for dm in before["forecast"]["decision_makers"]}
    for dm in after["forecast"]["decision_makers"]:
        was = leans.get(dm["stakeholder"])
        change = "new" if was is None else f"{dm['lean'] - was:+.3f}"
        out.print(f"  decision maker {dm['stakeholder']}: leans {dm['lean']:+.3f} ({change})", markup=False)


@app.command("dependency")
def dependency_command(account: AccountArg, store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Single-champion risk: what the account loses if each of our people, or each of theirs, leaves."""
    with open_service(store) as service:
        report = service.dependency(account)
    if as_json:
        print_json(report)
        return
    print_dependency(report)


def print_dependency(report: dict[str, Any], *, top: int = 10) -> None:
    out.print(
        f"account {report['account']}: coverage {report['coverage']:.0%}, support index "
        f"{report['support_index']:+.3f}, reach {report['reach']:.0%} (share of the account's power some "
        "introduction path of ours reaches)",
        markup=False,
    )
    if report["hangs_on_one_person"]:
        people = ", ".join(f"{p['name']} ({p['kind']} {p['id']})" for p in report["hangs_on"])
        out.print(f"WARNING: the account hangs on one person: {people}", markup=False)
    else:
        out.print("no single departure costs half our coverage or reach", markup=False)
    out.print(f"({report['rule']})", markup=False)
    for kind, title in (("member", "If one of our team left"), ("stakeholder", "If one of theirs left")):
        table = Table(kind, "name", "coverage lost", "support lost", "reach lost", title=title, title_justify="left")
        for row in report[f"{kind}s"][:top]:
            table.add_row(
                Text(row[kind]),
                Text(row["name"]),
                f"{row['coverage_drop'] * 100:.1f} pts",
                f"{row['support_drop']:+.3f}",
                f"{row['reach_drop'] * 100:.1f} pts",
            )
        out.print(table)
