"""User text on the map: cleaned, shortened, and joined into plain-text tooltips.

Names, titles and notes are any Unicode and may look like markup. Nothing here escapes HTML: the
text stays plain text all the way to the page, where the script sets it with ``textContent`` and
vis-network draws labels on a canvas. What this module guarantees is that the text encodes as UTF-8
and that labels and notes stay short enough to read on a projector.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

import networkx as nx

from powermap.graph import our_strength, strongest_competitor
from powermap.model import Stakeholder, Voice, VoiceCategory
from powermap.viz import style

#: Longest notes shown in a tooltip or panel; the rest is cut with an ellipsis.
NOTES_MAX: Final = 400


def clean(text: str) -> str:
    """Text that encodes as UTF-8: a lone surrogate (possible in a Python str) becomes "?".

    >>> clean("ok \\ud800")
    'ok ?'
    """
    return text.encode("utf-8", "replace").decode("utf-8")


def unit(value: float) -> float:
    """A number clipped to [0, 1]; NaN and infinities become 0.

    >>> unit(7.0), unit(float("nan")), unit(0.25)
    (1.0, 0.0, 0.25)
    """
    return min(max(float(value), 0.0), 1.0) if math.isfinite(value) else 0.0


def label(name: str) -> str:
    """The label drawn on the canvas: whitespace folded, cut to :data:`style.LABEL_MAX` characters."""
    name = clean(" ".join(name.split()))
    return name if len(name) <= style.LABEL_MAX else name[: style.LABEL_MAX - 1] + "…"


def mass(name: str) -> float:
    """Repulsion weight of a node: long labels push neighbours further, so labels overlap less."""
    return round(1.0 + len(label(name)) / 16, 2)


def notes(text: str) -> str:
    """``Notes: …`` on one line, cut to :data:`NOTES_MAX` characters; empty when there are none."""
    text = " ".join(text.split())
    if not text:
        return ""
    return "Notes: " + (text if len(text) <= NOTES_MAX else text[: NOTES_MAX - 1] + "…")


def lines(rows: Sequence[str]) -> str:
    """Plain-text tooltip: non-empty lines, the first one the heading (the page bolds it).

    >>> lines(["Chen", "", "CEO\\nof ACME"])
    'Chen\\nCEO of ACME'
    """
    return clean("\n".join(row.replace("\n", " ") for row in rows if row))


def power_text(power: float) -> str:
    """A person's power as their hover card shows it: two decimals (a card changes only when this does).

    >>> power_text(0.5849), power_text(0.5851)
    ('0.58', '0.59')
    """
    return f"{power:.2f}"


def stakeholder_tooltip(
    stakeholder: Stakeholder,
    power: float,
    graph: nx.DiGraph[str],
    member_names: Mapping[str, str],
    competitor_names: Mapping[str, str],
    today: dt.date | None = None,
) -> str:
    """Everything a war room asks about one person, as plain-text lines (voices' ages counted to ``today``)."""
    ours = graph.nodes[stakeholder.id]["ours"]
    our = our_strength(graph, stakeholder.id)
    best_member = min(ours, key=lambda member: (-ours[member], member)) if ours else None
    rival, theirs = strongest_competitor(graph, stakeholder.id)
    return lines(
        [
            stakeholder.name,
            stakeholder.title,
            f"Department: {stakeholder.department}" if stakeholder.department else "",
            f"Level: {stakeholder.level.value}",
            f"Decision role: {stakeholder.decision_role.value.replace('_', ' ')}",
            f"Influence: {stakeholder.influence:.2f}",
            f"Stance: {stakeholder.stance.value}",
            f"Power: {power_text(power)}",
            f"Our strength: {our:.2f} ({member_names[best_member]})"
            if best_member
            else "Our strength: 0 (not reached)",
            f"Strongest competitor: {competitor_names[rival]} {theirs:.2f}" if rival else "Strongest competitor: none",
            *voice_lines(graph, stakeholder.id, today),
            notes(stakeholder.notes),
        ]
    )


#: Open voices listed in a hover card; the rest are counted.
VOICES_SHOWN: Final = 4


def open_voices(graph: nx.DiGraph[str], stakeholder_id: str) -> list[Voice]:
    """The person's open voices (issue 9), pains first, then the oldest."""
    voices: Sequence[Voice] = graph.graph.get("voices", ())
    found = [v for v in voices if v.stakeholder == stakeholder_id and v.is_open]
    return sorted(found, key=lambda v: (v.category != VoiceCategory.PAIN, v.date, v.id))


def voice_lines(graph: nx.DiGraph[str], stakeholder_id: str, today: dt.date | None = None) -> list[str]:
    """Hover-card lines for a person's open voices: what they said, screened how, where it stands.

    >>> import datetime as dt
    >>> g = nx.DiGraph(voices=(Voice(id="v1", stakeholder="cto", date=dt.date(2026, 9, 1), text="No downtime",
    ...                              category="pain", status="in_progress"),))
    >>> voice_lines(g, "cto")
    ['Open pain ⚠ — voices still open:', '  v1 pain, in progress, since 2026-09-01: No downtime']
    >>> voice_lines(g, "cto", dt.date(2026, 11, 27))[1]
    '  v1 pain, in progress, since 2026-09-01 (87 days): No downtime'
    """
    voices = open_voices(graph, stakeholder_id)
    if not voices:
        return []
    pained = any(v.category == VoiceCategory.PAIN for v in voices)
    rows = [f"{'Open pain ' + style.PAIN_MARK + ' — v' if pained else 'V'}oices still open:"]
    for v in voices[:VOICES_SHOWN]:
        text = " ".join(v.text.split())
        text = text if len(text) <= 120 else text[:119] + "…"
        age = f" ({(today - v.date).days} days)" if today is not None else ""
        rows.append(f"  {v.id} {v.category.value}, {v.status.value.replace('_', ' ')}, since {v.date}{age}: {text}")
    if len(voices) > VOICES_SHOWN:
        rows.append(f"  … and {len(voices) - VOICES_SHOWN} more")
    return rows


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: nothing in it can end the element or the line.

    >>> print(script_json({"name": "</script><b>&\\u2028"}))
    {"name":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028"}
    """
    text = json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
