"""Commands that analyse an account: analyze, paths, recommend, map (and the text they print for people)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from powermap.cli.app import app
from powermap.cli.common import (
    AccountArg,
    AsOfOption,
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
from powermap.cli.readable import DECIDES, MEANING, member_label, path_text, stakeholder_label
from powermap.service import Directory, PowermapService
from powermap.settings import get_settings


@app.command("analyze")
def analyze_command(
    account: AccountArg, store: StoreOption = None, as_json: JsonOption = False, as_of: AsOfOption = None
) -> None:
    """Power ranking, coverage, competitor gaps, the decision forecast and fading relationships."""
    with open_service(store) as service:
        report = service.analyze(account, as_of=as_of)
        if as_json:
            print_json(report)
            return
        directory = service.directory(account, as_of=as_of)
    print_analysis(report, directory)


StakeholderToOption = Annotated[
    str,
    typer.Option("--to", help="Target stakeholder: an id, or a name that fits one person.", show_default=False),
]


@app.command("paths")
def paths_command(
    account: AccountArg,
    to: StakeholderToOption,
    member: Annotated[str | None, typer.Option("--from", help="Only paths starting at this team member.")] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="How many paths.")] = 3,
    avoid: AvoidOption = None,
    avoid_stance: AvoidStanceOption = None,
    max_hops: MaxHopsOption = None,
    disjoint: DisjointOption = False,
    store: StoreOption = None,
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    """The best introduction paths from our team to a stakeholder, best first (optionally constrained)."""
    constraints = path_constraints(avoid, avoid_stance, max_hops)
    with open_service(store) as service:
        target = service.resolve_stakeholder(account, to, as_of=as_of)
        report = service.paths(
            account, target, member=member, k=k, constraints=constraints, disjoint=disjoint, as_of=as_of
        )
        if as_json:
            print_json(report)
            return
        directory = service.directory(account, as_of=as_of)
    print_paths(report["paths"], directory, target)


@app.command("recommend")
def recommend_command(
    account: AccountArg,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="How many activities.")] = 10,
    store: StoreOption = None,
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    """Ranked activities to run next, each with target, lead, path, reason and expected gain."""
    with open_service(store) as service:
        report = service.recommend(account, limit=limit, as_of=as_of)
        if as_json:
            print_json(report)
            return
        directory = service.directory(account, as_of=as_of)
    print_recommendations(report["recommendations"], directory)


@app.command("map")
def map_command(
    account: AccountArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.", show_default=False)],
    highlight: Annotated[
        str | None,
        typer.Option(
            "--highlight-path-to",
            help="Highlight the best introduction path to this stakeholder (an id, or a name that fits one person).",
        ),
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    """Write the account's interactive power map: one HTML file that works offline."""
    with open_service(store) as service:
        target = service.resolve_stakeholder(account, highlight, as_of=as_of) if highlight is not None else None
        path = write_map(service, account, output, target, as_of=as_of)
    if as_json:
        print_json({"account": account, "wrote": str(output), "highlight_path": path})
    else:
        out.print(f"wrote {output}", markup=False)


# -- presentation ----------------------------------------------------------------------------------------


def write_map(
    service: PowermapService, account: str, output: Path, highlight: str | None, *, as_of: str | None = None
) -> list[str]:
    """Write the map's HTML file (as of a past moment when given); returns the highlighted path's nodes."""
    from powermap.viz import render_map
    from powermap.viz.render import MapDay

    settings = get_settings()
    above, shown = settings.map_overview_above, settings.map_overview_size
    analysis = service.analysis(account, path_to=highlight, as_of=as_of)
    size = len(analysis.account_map.stakeholders)
    if size > above:
        err.print(
            f"warning: account {account!r} has {size} stakeholders, more than a map can show readably "
            f"({above}, POWERMAP_MAP_OVERVIEW_ABOVE); drawing an overview of the {min(shown, size)} most "
            "powerful, with our team and the competitors (the panels cover everyone)",
            markup=False,
        )
    if as_of is None:
        data_time = next((s.updated_at for s in service.accounts() if s.id == account), None)
    else:
        data_time = service.time_as_of(account, as_of)
    page = render_map(
        analysis.account_map,
        analysis.powers,
        highlight_path=analysis.highlight_path,
        as_of=data_time,
        overview_above=above,
        overview_size=shown,
        day=MapDay.of(service.day(account, as_of), settings),
    )
    write_text(output, page)
    return list(analysis.highlight_path)


def legend(*keys: str) -> None:
    """One dim line per number shown, saying what it means."""
    for key in keys:
        out.print(Text(f"  {MEANING[key]}", style="dim"))


def print_analysis(report: dict[str, Any], directory: Directory, *, top: int | None = None) -> None:
    forecast = report["forecast"]
    table = Table("#", "stakeholder", "title", "id", "power", title="Who holds the power", title_justify="left")
    for rank, (stakeholder, value) in enumerate(list(report["power"].items())[:top], 1):
        person = directory.stakeholder(stakeholder)
        name = f"{person.name} {DECIDES}" if person.decides else person.name
        table.add_row(str(rank), Text(name), Text(person.title), Text(stakeholder), f"{value:.3f}")
    out.print(table)
    legend("power", "marks")
    out.print(f"coverage: {report['coverage']:.0%}", markup=False)
    legend("coverage")
    out.print(f"decision forecast: support index {forecast['support_index']:+.3f} ({forecast['outlook']})")
    legend("support")
    for dm in forecast["decision_makers"]:
        out.print(
            f"  {stakeholder_label(directory.stakeholder(dm['stakeholder']))}: leans {dm['lean']:+.3f} "
            f"(own view {dm['own_lean']:+.3f}, power {dm['power']:.2f})",
            markup=False,
        )
    if forecast["decision_makers"]:
        legend("lean")
    if report["gaps"]:
        gaps = Table(
            "stakeholder",
            "id",
            "competitor",
            "ours",
            "theirs",
            "gap",
            title="Where a competitor is ahead",
            title_justify="left",
        )
        for gap in report["gaps"][:top]:
            person = directory.stakeholder(gap["stakeholder"])
            gaps.add_row(
                Text(f"{person.name} {DECIDES}" if person.decides else person.name),
                Text(gap["stakeholder"]),
                Text(directory.competitors.get(gap["competitor"], gap["competitor"])),
                f"{gap['ours']:.2f}",
                f"{gap['theirs']:.2f}",
                f"{gap['gap']:.2f}",
            )
        out.print(gaps)
        legend("gap")
    print_fading(report.get("fading", []), directory, top=top)


def print_fading(fading: list[dict[str, Any]], directory: Directory, *, top: int | None = None) -> None:
    """Relationships nobody has touched for too long (``fading`` of ``analyze --json``)."""
    if not fading:
        return
    out.print(f"fading relationships: {len(fading)} of ours had no contact for longer than the fading window")
    for line in fading[:top]:
        out.print(
            f"  {member_label(directory.member(line['member']))} -> "
            f"{stakeholder_label(directory.stakeholder(line['stakeholder']))}: strength {line['strength']:.2f}, "
            f"last contact {line['last_contact']} ({line['days']} days ago)",
            markup=False,
        )


def print_paths(paths: list[dict[str, Any]], directory: Directory, target: str, *, indent: str = "") -> None:
    person = directory.stakeholder(target)
    if not paths:
        out.print(
            f"{indent}no introduction path reaches {stakeholder_label(person)}: nobody we know is tied to them",
            markup=False,
        )
        return
    out.print(f"{indent}Best introduction paths to {stakeholder_label(person)}", markup=False)
    for rank, path in enumerate(paths, 1):
        out.print(f"{indent}{rank}. {path['strength']:.3f}  {path_text(directory, path['nodes'])}", markup=False)
    legend("path")


def print_recommendations(recommendations: list[dict[str, Any]], directory: Directory) -> None:
    out.print("[bold]What to do next[/bold]")
    if not recommendations:
        out.print("  nothing would move the decision: the map may lack decision makers or influence lines")
        return
    for rank, rec in enumerate(recommendations, 1):
        lead = member_label(directory.member(rec["lead"])) if rec.get("lead") else "unassigned"
        out.print(
            f"  {rank}. {rec['activity']} with {stakeholder_label(directory.stakeholder(rec['target']))} — "
            f"lead: {lead}, expected gain {rec['expected_gain']:+.4f}"
            + (f", coverage gain {rec['coverage_gain']:+.1%}" if rec.get("coverage_gain") else ""),
            markup=False,
        )
        out.print(f"     {rec['reason']}", markup=False)
        if len(rec["path"]) > 2:
            out.print(f"     path: {path_text(directory, rec['path'])}", markup=False)
        if rec.get("introducer"):
            introducer = member_label(directory.member(rec["introducer"]))
            out.print(f"     {introducer} must make the introduction", markup=False)
        if rec.get("likelihood", 1.0) < 1.0:
            out.print(
                f"     likely to happen: {rec['likelihood']:.0%} (the introduction's strength); "
                f"gain if it does: {rec['gain_if_done']:+.4f}",
                markup=False,
            )
        if rec.get("alternatives"):
            others = ", ".join(a["activity"] for a in rec["alternatives"])
            out.print(f"     alternatives for the same person: {others}", markup=False)
    legend("gain", "marks")
