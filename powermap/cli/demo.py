"""``powermap demo``: load the bundled sample account and show what powermap tells about it."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from powermap.cli.analysis import print_analysis, print_paths, print_recommendations, write_map
from powermap.cli.app import app
from powermap.cli.common import JsonOption, StoreOption, open_service, out, print_json
from powermap.cli.voices_demo import closing_advice, load_sample_roadmap, print_voice_story, with_answers
from powermap.errors import ConflictError
from powermap.service import PowermapService
from powermap.store import redact

SAMPLE_ACCOUNT = "acme"
#: The line the demo adds to the sample's notes. The demo only ever replaces an account that carries it,
#: so a user's own account with the same id is never touched (and deleting the line adopts the sample).
SAMPLE_MARKER = "[powermap demo sample: `powermap demo` reloads this account; delete this line to keep it as your own]"


def sample_document() -> dict[str, Any]:
    """The bundled sample account, marked as the demo's own."""
    sample = resources.files("powermap").joinpath("samples", f"{SAMPLE_ACCOUNT}.json")
    document: dict[str, Any] = json.loads(sample.read_text("utf-8"))
    notes = document["account"].get("notes", "")
    document["account"]["notes"] = f"{notes}\n\n{SAMPLE_MARKER}" if notes else SAMPLE_MARKER
    return document


def ensure_demo_may_load(service: PowermapService) -> None:
    """Refuse when the store holds an account with the sample's id that the demo did not load itself."""
    existing = next((a for a in service.accounts() if a.id == SAMPLE_ACCOUNT), None)
    if existing is None:
        return
    if SAMPLE_MARKER in service.export_map(SAMPLE_ACCOUNT)["account"].get("notes", ""):
        return
    raise ConflictError(
        f"{redact(service.store.url)} already holds an account {SAMPLE_ACCOUNT!r} ({existing.name}, "
        f"{existing.stakeholders} stakeholders) that the demo did not load; the demo never replaces it. "
        "Run the demo on a store of its own: powermap demo --store sqlite:///powermap-demo.db"
    )


@app.command("demo")
def demo_command(
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the demo map.")] = Path(
        "powermap-demo.html"
    ),
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load the bundled sample account, show what powermap tells about it, and write its map.

    The demo never replaces an account it did not load itself: when the store already holds a
    different account with the sample's id, it stops and says so.
    """
    document = with_answers(sample_document())  # its voices answered by the sample roadmap (issue 9)
    with open_service(store, create=True) as service:
        ensure_demo_may_load(service)
        load_sample_roadmap(service)
        result = service.import_map(document)
        report = service.analyze(SAMPLE_ACCOUNT)
        makers = report["forecast"]["decision_makers"]
        target = makers[0]["stakeholder"] if makers else None
        paths = service.paths(SAMPLE_ACCOUNT, target, k=3)["paths"] if target is not None else []
        recommendations = service.recommend(SAMPLE_ACCOUNT, limit=5)["recommendations"]
        voices, voice_names = service.voices_with_names(SAMPLE_ACCOUNT)
        loop_advice = closing_advice(service.recommend(SAMPLE_ACCOUNT, limit=200)["recommendations"], voices)
        fit, fit_names = service.roadmap_fit_with_names(account=SAMPLE_ACCOUNT)
        write_map(service, SAMPLE_ACCOUNT, output, target)
        directory = None if as_json else service.directory(SAMPLE_ACCOUNT)
        where = redact(service.store.url)
    if directory is None:
        print_json(
            {
                "account": SAMPLE_ACCOUNT,
                "store": where,
                "revision": result.revision,
                "counts": result.counts,
                "analysis": report,
                "paths": {"target": target, "paths": paths},
                "recommendations": recommendations,
                "voices": voices,
                "loop_advice": loop_advice,
                "roadmap": fit,
                "map": str(output),
            }
        )
        return
    out.rule(f"[bold]{escape(document['account']['name'])}[/bold]")
    out.print(
        f"sample account {SAMPLE_ACCOUNT!r} loaded into {where}: {result.counts['stakeholders']} stakeholders, "
        f"{result.counts['team']} on our team, {result.counts['competitors']} competitors\n",
        markup=False,
    )
    print_analysis(report, directory, top=8)
    if target is not None:
        out.print("\n[bold]The main decision maker[/bold]")
        print_paths(paths, directory, target, indent="  ")
    out.print()
    print_recommendations(recommendations, directory)
    print_voice_story(SAMPLE_ACCOUNT, voices, voice_names, fit, fit_names)
    if loop_advice:
        out.print()
        out.print("[bold]Advice that closes the loop[/bold] (drawn from the voices)")
        print_recommendations(loop_advice, directory)
    out.print(f"\nwar-room map: {output} (open it in a browser; it works offline)", markup=False)
    out.print(
        f"next: powermap analyze {SAMPLE_ACCOUNT} --json, powermap paths {SAMPLE_ACCOUNT} --to cfo, "
        f"powermap recommend {SAMPLE_ACCOUNT} --limit 20, powermap voices {SAMPLE_ACCOUNT} --open, powermap roadmap"
    )
