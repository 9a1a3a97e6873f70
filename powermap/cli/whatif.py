"""What-if and single-champion risk: ``powermap whatif`` and ``powermap dependency``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

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
