"""The demo's voice loop: the sample roadmap, the sample voices' answers, and what the loop says.

The sample account carries its customers' voices (``samples/acme.json``); our sample roadmap is
``samples/roadmap.json``, and ``samples/acme-answers.json`` says which items answer which voice (the
routing head office did). The demo adds the sample items to the store's roadmap — never replacing an
item it did not load itself, like the account — and imports the account with its voices answered.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from rich.markup import escape

from powermap.cli.common import out
from powermap.cli.roadmap import print_roadmap
from powermap.cli.voices import print_voice_loop
from powermap.errors import ConflictError
from powermap.model import parse_roadmap
from powermap.service import PowermapService
from powermap.store import redact

#: The line the demo adds to its roadmap items' notes; an item without it is never replaced.
ROADMAP_MARKER = "[powermap demo sample: `powermap demo` reloads this roadmap item]"


def _sample(name: str) -> Any:
    return json.loads(resources.files("powermap").joinpath("samples", name).read_text("utf-8"))


def sample_roadmap() -> dict[str, Any]:
    """The bundled sample roadmap, each item marked as the demo's own."""
    document: dict[str, Any] = _sample("roadmap.json")
    for item in document["items"]:
        item["notes"] = f"{item['notes']}\n\n{ROADMAP_MARKER}" if item.get("notes") else ROADMAP_MARKER
    return document


def with_answers(document: dict[str, Any]) -> dict[str, Any]:
    """The sample account with its voices answered by the sample roadmap's items."""
    answers: dict[str, list[str]] = _sample("acme-answers.json")
    for voice in document.get("voices", []):
        voice["roadmap"] = answers.get(voice["id"], [])
    return document


def load_sample_roadmap(service: PowermapService) -> None:
    """Add the sample items to the store's roadmap; refuse, writing nothing, if one would replace a user's item."""
    roadmap = parse_roadmap(sample_roadmap())
    stored = {item.id: item for item in service.store.read_roadmap().items}
    for item in roadmap.items:
        mine = stored.get(item.id)
        if mine is not None and ROADMAP_MARKER not in mine.notes:
            raise ConflictError(
                f"the roadmap of {redact(service.store.url)} already has an item {item.id!r} ({mine.title}) that the "
                "demo did not load; the demo never replaces it. Run the demo on a store of its own: "
                "powermap demo --store sqlite:///powermap-demo.db"
            )
    for item in roadmap.items:
        service.put_roadmap_item(item.model_dump(mode="json"))


def print_voice_story(
    account: str,
    voices: dict[str, Any],
    names: dict[str, str],
    fit: dict[str, Any],
    fit_names: dict[str, dict[str, str]],
) -> None:
    """The loop's health, the open voices that most need an answer, and the roadmap by fit in the account."""
    out.print(f"\n[bold]The customer's voice ({escape(account)}): {voices['summary']['total']} voices[/bold]")
    for voice in [v for v in voices["voices"] if v["status"] not in {"resolved", "rejected"}][:5]:
        late = f"OVERDUE, {voice['age_days']} days" if voice["overdue"] else f"{voice['age_days']} days"
        out.print(
            f"  {voice['id']} {names.get(voice['stakeholder'], voice['stakeholder'])} (power {voice['power']:.2f}), "
            f"{voice['category']}, {voice['status']} ({late}): {voice['text']}",
            markup=False,
        )
    print_voice_loop(voices["summary"])
    out.print()
    print_roadmap(fit["items"], fit_names, top=5)


def closing_advice(
    recommendations: list[dict[str, Any]], voices: dict[str, Any], *, top: int = 3
) -> list[dict[str, Any]]:
    """The recommendations, or their alternatives, whose reason cites a voice (``v1 "..."``, as the rules
    of :mod:`powermap.analysis.voice_advice` write it), by expected gain."""
    cited = [f'{v["id"]} "' for v in voices["voices"]]
    found = []
    for rec in recommendations:
        for option in [rec, *rec.get("alternatives", [])]:
            if any(mark in option["reason"] for mark in cited):
                found.append({**rec, **option, "alternatives": []})
    return sorted(found, key=lambda r: -float(r["expected_gain"]))[:top]
