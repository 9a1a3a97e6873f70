"""Commands that analyse an account: analyze, paths, recommend, map (and the text they print for people)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from powermap.cli.app import app
from powermap.cli.common import (
    AccountArg,
    JsonOption,
    StoreOption,
    err,
    open_service,
    out,
    print_json,
    write_text,
)
from powermap.cli.path_options import (
    AvoidOption,
    AvoidStanceOption,
    DisjointOption,
    MaxHopsOption,
    path_constraints,
)
from powermap.service import PowermapService
from powermap.settings import get_settings


@app.command("analyze")
def analyze_command(account: AccountArg, store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Power ranking, coverage, competitor gaps and the decision forecast."""
    with open_service(store) as service:
        names: dict[str, str] = {}
        if as_json:
            report = service.analyze(account)
        else:
            report, names = service.analyze_with_names(account)
    if as_json:
        print_json(report)
        return
    print_analysis(report, names)


@app.command("paths")
def paths_command(
    account: AccountArg,
    to: Annotated[str, typer.Option("--to", help="Target stakeholder id.", show_default=False)],
    member: Annotated[str | None, typer.Option("--from", help="Only paths starting at this team member.")] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="How many paths.")] = 3,
    avoid: AvoidOption = None,
    avoid_stance: AvoidStanceOption = None,
    max_hops: MaxHopsOption = None,
    disjoint: DisjointOption = False,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """The best introduction paths from our team to a stakeholder, best first (optionally constrained)."""
    constraints = path_constraints(avoid, avoid_stance, max_hops)
    with open_service(store) as service:
        report = service.paths(account, to, member=member, k=k, constraints=constraints, disjoint=disjoint)
    if as_json:
        print_json(report)
        return
    if not report["paths"]:
        out.print(f"no introduction path reaches {to!r}: nobody we know is tied to them", markup=False)
    for rank, path in enumerate(report["paths"], 1):
        out.print(f"{rank}. {path['strength']:.3f}  " + " -> ".join(path["nodes"]), markup=False)


@app.command("recommend")
def recommend_command(
    account: AccountArg,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="How many activities.")] = 10,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ranked activities to run next, each with target, lead, path, reason and expected gain."""
    with open_service(store) as service:
        report = service.recommend(account, limit=limit)
    if as_json:
        print_json(report)
        return
    print_recommendations(report["recommendations"])


@app.command("map")
def map_command(
    account: AccountArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.", show_default=False)],
    highlight: Annotated[
        str | None,
        typer.Option("--highlight-path-to", help="Highlight the best introduction path to this stakeholder."),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Write the account's interactive power map: one HTML file that works offline."""
    with open_service(store) as service:
        write_map(service, account, output, highlight)
    out.print(f"wrote {output}", markup=False)


# -- presentation ----------------------------------------------------------------------------------------


def write_map(service: PowermapService, account: str, output: Path, highlight: str | None) -> None:
    from viz import render_map

    settings = get_settings()
    above, shown = settings.map_overview_above, settings.map_overview_size
    analysis = service.analysis(account, path_to=highlight)
    size = len(analysis.account_map.stakeholders)
    if size > above:
        err.print(
            f"warning: account {account!r} has {size} stakeholders, more than a map can show readably "
            f"({above}, POWERMAP_MAP_OVERVIEW_ABOVE); drawing an overview of the {min(shown, size)} most "
            "powerful, with our team and the competitors (the panels cover everyone)",
            markup=False,
        )
    as_of = next((s.updated_at for s in service.accounts() if s.id == account), None)
    page = render_map(
        analysis.account_map,
        analysis.powers,
        highlight_path=analysis.highlight_path,
        as_of=as_of,
        overview_above=above,
        overview_size=shown,
    )
    write_text(output, page)


def print_analysis(report: dict[str, Any], names: dict[str, str], *, top: int | None = None) -> None:
    forecast = report["forecast"]
    table = Table("stakeholder", "name", "power", title="Who holds the power", title_justify="left")
    for stakeholder, value in list(report["power"].items())[:top]:
        table.add_row(Text(stakeholder), Text(names.get(stakeholder, "")), f"{value:.3f}")
    out.print(table)
    out.print(f"coverage: {report['coverage']:.0%} of the account's power is held by people we are close to")
    out.print(f"decision forecast: support index {forecast['support_index']:+.3f} ({forecast['outlook']})")
    for dm in forecast["decision_makers"]:
        out.print(
            f"  {escape(dm['stakeholder'])}: leans {dm['lean']:+.3f} "
            f"(own view {dm['own_lean']:+.3f}, power {dm['power']:.2f})"
        )
    if report["gaps"]:
        gaps = Table(
            "stakeholder",
            "competitor",
            "ours",
            "theirs",
            "gap",
            title="Where a competitor is ahead",
            title_justify="left",
        )
        for gap in report["gaps"][:top]:
            gaps.add_row(
                Text(gap["stakeholder"]),
                Text(gap["competitor"]),
                f"{gap['ours']:.2f}",
                f"{gap['theirs']:.2f}",
                f"{gap['gap']:.2f}",
            )
        out.print(gaps)


def print_recommendations(recommendations: list[dict[str, Any]]) -> None:
    out.print("[bold]What to do next[/bold]")
    if not recommendations:
        out.print("  nothing would move the decision: the map may lack decision makers or influence lines")
    for rank, rec in enumerate(recommendations, 1):
        out.print(
            f"  {rank}. [bold]{rec['activity']}[/bold] with {escape(rec['target'])} — "
            f"lead: {escape(rec['lead'] or 'unassigned')}, "
            f"expected gain {rec['expected_gain']:+.4f}"
        )
        out.print(f"     {rec['reason']}", markup=False)
        if len(rec["path"]) > 2:
            out.print(f"     path: {' -> '.join(rec['path'])}", markup=False)
        if rec.get("introducer"):
            out.print(f"     {rec['introducer']} must make the introduction", markup=False)
        if rec.get("likelihood", 1.0) < 1.0:
            out.print(
                f"     likely to happen: {rec['likelihood']:.0%} (the introduction's strength); "
                f"gain if it does: {rec['gain_if_done']:+.4f}",
                markup=False,
            )
        if rec.get("alternatives"):
            others = ", ".join(a["activity"] for a in rec["alternatives"])
            out.print(f"     alternatives for the same person: {others}", markup=False)
