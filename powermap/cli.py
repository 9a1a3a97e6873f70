"""The ``powermap`` command line: a thin edge over :mod:`powermap.service`.

Human-readable output by default, ``--json`` for machines. Every failure is one readable line on
stderr and an exit code: 2 invalid input, 3 unknown account/stakeholder/member, 1 anything else.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from powermap.errors import InvalidInputError, NotFoundError, PowermapError, StoreError
from powermap.service import PowermapService
from powermap.settings import get_settings
from powermap.store import ProgressCallback, open_store, redact

EXIT_OK, EXIT_FAILURE, EXIT_INVALID, EXIT_NOT_FOUND = 0, 1, 2, 3
SAMPLE_ACCOUNT = "acme"

app = typer.Typer(
    name="powermap",
    help="Stakeholder power maps for key-account teams: who decides, who sways whom, and what to do next.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Manage the store itself.", no_args_is_help=True)
app.add_typer(db_app, name="db")

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar="POWERMAP_STORE",
        help="Store URL: sqlite:///file.db (default ./powermap.db) or bolt://host:7687, neo4j://host:7687.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of text for people.")]
AccountArg = Annotated[str, typer.Argument(help="Account id.", show_default=False)]


@contextmanager
def _service(store_url: str | None) -> Iterator[PowermapService]:
    settings = get_settings()
    with open_store(store_url or settings.store, settings) as store:
        yield PowermapService(store, actor=settings.actor)


def _print_json(data: Any) -> None:
    out.print_json(json.dumps(data, ensure_ascii=False), ensure_ascii=False, indent=2, highlight=False)


def _write_text(path: Path, text: str) -> None:
    """Write a file whole or not at all: a crash never leaves half a map behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def read_document(path: Path) -> Any:
    """Read a JSON or YAML account-map file (by suffix; anything but .yaml/.yml is read as JSON)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidInputError(f"cannot read {str(path)!r}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise InvalidInputError(f"{str(path)!r} is not UTF-8 text: {error}") from error
    try:
        if path.suffix.lower() in {".yaml", ".yml"}:
            return yaml.safe_load(text)
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"{str(path)!r} is not valid JSON: line {error.lineno} column {error.colno}: {error.msg}"
        ) from error
    except yaml.YAMLError as error:
        raise InvalidInputError(f"{str(path)!r} is not valid YAML: {error}") from error


@contextmanager
def _progress(label: str, *, enabled: bool) -> Iterator[ProgressCallback | None]:
    """A progress bar on stderr while a long write runs, when a person is watching."""
    if not (enabled and err.is_terminal):
        yield None
        return
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


# -- commands ------------------------------------------------------------------------------------------


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="Account map, JSON or YAML (format powermap/v1).", show_default=False)],
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import an account map, replacing that account's map atomically."""
    document = read_document(file)
    with _service(store) as service, _progress("importing", enabled=not as_json) as progress:
        result = service.import_map(document, on_progress=progress)
    if as_json:
        _print_json({"account": result.account, "revision": result.revision, "counts": result.counts})
    else:
        counts = ", ".join(f"{n} {name}" for name, n in result.counts.items() if n)
        out.print(f"imported account {escape(repr(result.account))} (revision {result.revision}): {counts}")


@app.command("export")
def export_command(
    account: AccountArg,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")] = None,
    store: StoreOption = None,
) -> None:
    """Export an account map as a powermap/v1 JSON document (YAML if the file ends in .yaml)."""
    with _service(store) as service:
        document = service.export_map(account)
    if output is not None and output.suffix.lower() in {".yaml", ".yml"}:
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    else:
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        _write_text(output, text)
        err.print(f"wrote {output}", markup=False)


@app.command("accounts")
def accounts_command(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """List the accounts in the store."""
    with _service(store) as service:
        summaries = service.accounts()
    if as_json:
        _print_json(
            [
                {
                    "id": s.id,
                    "name": s.name,
                    "industry": s.industry,
                    "stakeholders": s.stakeholders,
                    "revision": s.revision,
                    "updated_at": s.updated_at.isoformat(),
                }
                for s in summaries
            ]
        )
        return
    if not summaries:
        out.print("no accounts yet: try `powermap demo` or `powermap import FILE`")
        return
    table = Table("id", "name", "industry", "stakeholders", "revision", "updated")
    for s in summaries:
        table.add_row(
            Text(s.id),
            Text(s.name),
            Text(s.industry),
            str(s.stakeholders),
            str(s.revision),
            f"{s.updated_at:%Y-%m-%d %H:%M}",
        )
    out.print(table)


@app.command("delete")
def delete_command(account: AccountArg, store: StoreOption = None) -> None:
    """Delete an account and everything in it."""
    with _service(store) as service:
        service.delete_account(account)
    out.print(f"deleted account {account!r}", markup=False)


@app.command("analyze")
def analyze_command(account: AccountArg, store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Power ranking, coverage, competitor gaps and the decision forecast."""
    with _service(store) as service:
        names: dict[str, str] = {}
        if as_json:
            report = service.analyze(account)
        else:
            report, names = service.analyze_with_names(account)
    if as_json:
        _print_json(report)
        return
    _print_analysis(report, names)


@app.command("paths")
def paths_command(
    account: AccountArg,
    to: Annotated[str, typer.Option("--to", help="Target stakeholder id.", show_default=False)],
    member: Annotated[str | None, typer.Option("--from", help="Only paths starting at this team member.")] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="How many paths.")] = 3,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """The best introduction paths from our team to a stakeholder, best first."""
    with _service(store) as service:
        report = service.paths(account, to, member=member, k=k)
    if as_json:
        _print_json(report)
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
    with _service(store) as service:
        report = service.recommend(account, limit=limit)
    if as_json:
        _print_json(report)
        return
    _print_recommendations(report["recommendations"])


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
    with _service(store) as service:
        _write_map(service, account, output, highlight)
    out.print(f"wrote {output}", markup=False)


@app.command("demo")
def demo_command(
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the demo map.")] = Path(
        "powermap-demo.html"
    ),
    store: StoreOption = None,
) -> None:
    """Load the bundled sample account, show what powermap tells about it, and write its map."""
    sample = resources.files("powermap").joinpath("samples", f"{SAMPLE_ACCOUNT}.json")
    document = json.loads(sample.read_text("utf-8"))
    with _service(store) as service:
        result = service.import_map(document)
        out.rule(f"[bold]{escape(document['account']['name'])}[/bold]")
        out.print(f"sample account {SAMPLE_ACCOUNT!r} loaded into {redact(service.store.url)}: ", markup=False, end="")
        out.print(
            f"{result.counts['stakeholders']} stakeholders, {result.counts['team']} on our team, "
            f"{result.counts['competitors']} competitors\n"
        )
        report, names = service.analyze_with_names(SAMPLE_ACCOUNT)
        _print_analysis(report, names, top=8)
        makers = report["forecast"]["decision_makers"]
        if makers:
            target = makers[0]["stakeholder"]
            paths = service.paths(SAMPLE_ACCOUNT, target, k=3)
            out.print(f"\n[bold]Best introduction paths to the main decision maker ({escape(target)})[/bold]")
            for rank, path in enumerate(paths["paths"], 1):
                out.print(f"  {rank}. {path['strength']:.3f}  " + " -> ".join(path["nodes"]), markup=False)
        else:
            target = None
        out.print()
        _print_recommendations(service.recommend(SAMPLE_ACCOUNT, limit=5)["recommendations"])
        _write_map(service, SAMPLE_ACCOUNT, output, target)
    out.print(f"\nwar-room map: {output} (open it in a browser; it works offline)", markup=False)
    out.print(
        f"next: powermap analyze {SAMPLE_ACCOUNT} --json, powermap paths {SAMPLE_ACCOUNT} --to cfo, "
        f"powermap recommend {SAMPLE_ACCOUNT} --limit 20"
    )


@db_app.command("init")
def db_init_command(store: StoreOption = None) -> None:
    """Create the store's schema, constraints and indexes (idempotent; also done on first use)."""
    with _service(store) as service:
        service.store.initialize()
        out.print(f"store ready: {redact(service.store.url)}", markup=False)


# -- presentation ----------------------------------------------------------------------------------------


def _write_map(service: PowermapService, account: str, output: Path, highlight: str | None) -> None:
    from viz import render_map

    analysis = service.analysis(account, path_to=highlight)
    _write_text(output, render_map(analysis.account_map, analysis.powers, highlight_path=analysis.highlight_path))


def _print_analysis(report: dict[str, Any], names: dict[str, str], *, top: int | None = None) -> None:
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


def _print_recommendations(recommendations: list[dict[str, Any]]) -> None:
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


# -- entry point -----------------------------------------------------------------------------------------


def exit_code_for(error: PowermapError) -> int:
    if isinstance(error, InvalidInputError):
        return EXIT_INVALID
    if isinstance(error, NotFoundError):
        return EXIT_NOT_FOUND
    return EXIT_FAILURE


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code instead of raising, so no traceback ever reaches a user."""
    command = typer.main.get_command(app)
    try:
        # Standalone mode: the CLI framework prints usage errors and help itself and exits (2 on a
        # usage error); anything it does not handle reaches the branches below.
        command.main(args=argv, prog_name="powermap", standalone_mode=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (EXIT_OK if done.code is None else EXIT_FAILURE)
    except PowermapError as error:
        prefix = "store error" if isinstance(error, StoreError) else "error"
        err.print(f"powermap: {prefix}: {error}", markup=False)
        return exit_code_for(error)
    except KeyboardInterrupt:
        err.print("powermap: interrupted")
        return 130
    except Exception as error:
        if os.environ.get("POWERMAP_DEBUG"):
            raise
        err.print(
            f"powermap: unexpected error: {type(error).__name__}: {error} (set POWERMAP_DEBUG=1 for a traceback)",
            markup=False,
        )
        return EXIT_FAILURE
    return EXIT_OK


def run() -> None:
    sys.exit(main())
