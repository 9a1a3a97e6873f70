"""What the side panels of the map show: forecast, coverage, competitor gaps and recommendations.

The panels are drawn in the page by ``viz/assets/powermap-panels.js`` from plain data (text is set
with ``textContent``), so the offline file and the web app show the same panels: the offline file
embeds :func:`panel_report`, the web app reads the same shapes from the HTTP API. The power ranking
is read from the nodes' ``power`` (every drawn stakeholder carries it), so it is not repeated here.

Numbers are rounded to :data:`DIGITS` places, as the CLI's JSON does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import networkx as nx

from powermap.analysis.coverage import COVERED_FROM, competitor_gaps, coverage
from powermap.analysis.forecast import decision_forecast
from powermap.analysis.power import power
from powermap.analysis.recommend import recommend

DIGITS: Final = 6
#: Recommendations listed in the panel.
RECOMMENDATIONS: Final = 10
#: Competitor gaps listed in the panel (the nodes of every gap are marked on the map).
GAPS: Final = 50


def panel_report(
    graph: nx.DiGraph[str], powers: Mapping[str, float] | None = None, *, recommendations: bool = True
) -> dict[str, Any]:
    """The analyses behind the panels, in the shapes of ``powermap analyze`` / ``recommend`` JSON.

    ``powers`` defaults to the account's power computed here (pass it when it is already known).
    Without ``recommendations`` (the costliest part) ``"recommendations"`` is None: the web app
    fetches them from the API afterwards, so an edit redraws the map and the analysis first.

    ``gapsTotal`` counts every stakeholder a competitor leads on; ``gaps`` lists the largest
    :data:`GAPS` of them.
    """
    powers = powers if powers is not None else power(graph)
    forecast = decision_forecast(graph, powers)
    gaps = competitor_gaps(graph)
    return {
        "coverage": _r(coverage(graph, powers)),
        "coveredFrom": COVERED_FROM,
        "forecast": {
            "support_index": _r(forecast["support_index"]),
            "outlook": forecast["outlook"],
            "basis": forecast["basis"],
            "decision_makers": [
                {**dm, "power": _r(dm["power"]), "own_lean": _r(dm["own_lean"]), "lean": _r(dm["lean"])}
                for dm in forecast["decision_makers"]
            ],
        },
        "gaps": [
            {**gap, "ours": _r(gap["ours"]), "theirs": _r(gap["theirs"]), "gap": _r(gap["gap"])} for gap in gaps[:GAPS]
        ],
        "gapsTotal": len(gaps),
        "recommendations": [
            {**rec, "expected_gain": _r(rec["expected_gain"]), "coverage_gain": _r(rec["coverage_gain"])}
            for rec in recommend(graph, powers, limit=RECOMMENDATIONS)
        ]
        if recommendations
        else None,
    }


def dominated(graph: nx.DiGraph[str]) -> set[str]:
    """Stakeholders on whom a competitor is stronger than we are (marked on the map)."""
    return {gap["stakeholder"] for gap in competitor_gaps(graph)}


def _r(value: float) -> float:
    return round(value, DIGITS)
