"""The war-room map: one self-contained, offline HTML file of an account's power map.

How the page is made
--------------------
Three topics, one module each: :mod:`powermap.viz.network` builds the nodes and edges (with pyvis, the
project's visualisation stack), :mod:`powermap.viz.text` cleans user text and writes plain-text tooltips, and
:mod:`powermap.viz.page` inlines the vendored vis-network and our scripts under a strict CSP and renders the
Jinja template (``viz/templates/map.html``), so the file loads nothing from the network and works from
``file://`` on a projector with no connection. This module puts them together.

How user text stays data
------------------------
Names, titles and notes are any Unicode and may look like markup (``<script>``, ``</script>``,
quotes). They reach the page by three roads, each safe on its own:

* the network data is one JSON document in ``<script type="application/json">`` (never executed),
  with ``<``, ``>``, ``&`` and U+2028/U+2029 written as ``\\uXXXX`` escapes, so no name can close
  the element; the page's script reads it with ``JSON.parse``;
* vis-network draws labels on a canvas (pixels, never parsed), and would treat a *string* tooltip as
  HTML in some versions, so tooltips travel as plain text and the page's script turns each into a
  DOM element whose lines are set with ``textContent``;
* text in the page itself (title, legend, path) goes through Jinja's autoescaping.

On top of that the page carries a Content-Security-Policy that allows only its own inline scripts
(by SHA-256 hash), no inline event handlers and no network fetch of any kind: even a bug in the
above could neither run an injected handler nor phone home.

Layout
------
Physics (forceAtlas2) runs for a fixed number of stabilisation iterations from a fixed random seed,
then the page switches physics off, so the map is the same on every projector and stops moving.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

import networkx as nx
from markupsafe import Markup

from powermap.analysis.fading import FADING_AFTER_DAYS, fading_relationships
from powermap.analysis.power import power
from powermap.analysis.voices import OVERDUE_DAYS, voice_loop, voice_rows
from powermap.graph import build_graph, ties
from powermap.model import AccountMap, DecisionRole
from powermap.settings import Settings
from powermap.viz import layout, style
from powermap.viz.incremental import FRESH, DrawingMemo
from powermap.viz.network import (
    PATH_EDGE_KIND,
    Drawing,
    checked_path,
    node_id,
    path_name,
    path_node_id,
    vis_options,
)
from powermap.viz.page import (
    APP_JS,
    BOOT_JS,
    PANELS_JS,
    PATHS_JS,
    VIS_CSS,
    VIS_JS,
    assets,
    content_security_policy,
    inline,
    render_template,
)
from powermap.viz.panels import dominated, panel_report
from powermap.viz.text import clean, script_json

__all__ = ["DATA_ELEMENT_ID", "PATH_EDGE_KIND", "MapDay", "map_data", "node_id", "render_map"]

#: Id of the ``<script type="application/json">`` element holding the network data.
DATA_ELEMENT_ID: Final = "powermap-data"
#: The page's scripts, in order (each allowed by its hash in the CSP).
SCRIPTS: Final = (BOOT_JS, VIS_JS, PATHS_JS, APP_JS, PANELS_JS)


@dataclass(frozen=True)
class MapDay:
    """The day a map is drawn for: what is *fading* (issue 8) and how old each voice is (issue 9).

    Without one, a map draws no relationship as fading and gives voices no age (the drawing then
    depends on its data alone).
    """

    today: dt.date
    fading_after_days: int = FADING_AFTER_DAYS
    overdue_days: int = OVERDUE_DAYS

    @classmethod
    def of(cls, today: dt.date, settings: Settings) -> MapDay:
        """That day, with the windows configured (``POWERMAP_FADING_AFTER_DAYS``, ``..._VOICE_OVERDUE_DAYS``)."""
        return cls(today, settings.fading_after_days, settings.voice_overdue_days)


def map_data(
    account_map: AccountMap,
    powers: Mapping[str, float],
    *,
    highlight_path: Sequence[str] = (),
    as_of: datetime | None = None,
    overview_above: int = layout.OVERVIEW_ABOVE,
    overview_size: int = layout.OVERVIEW_SIZE,
    recommendations: bool = True,
    day: MapDay | None = None,
    graph: nx.DiGraph[str] | None = None,
    memo: DrawingMemo | None = None,
) -> dict[str, Any]:
    """Everything the page's scripts draw: nodes, edges, options, the panels' report, the ties.

    With ``day``, also our relationships fading on that day (``fading``, drawn dashed and listed), each
    voice with its age (``voices``, in the order to act on them) and the voice loop's summary
    (``voiceLoop``, as ``powermap voices``' ``summary``); without, ``fading`` is empty and ``voiceLoop`` null.

    ``graph`` is the map's graph when the caller has it already. ``memo`` (the web app's, one per
    account) reuses the analyses and lines of earlier revisions that the change did not touch
    (:mod:`powermap.viz.incremental`); the result is the same with or without it.

    The offline file embeds it; the web app serves it as JSON. A map with more than
    :data:`powermap.viz.layout.PHYSICS_MAX` stakeholders gets server-side positions (physics off); one with
    more than :data:`powermap.viz.layout.OVERVIEW_ABOVE` is an overview of the most powerful
    (``data["overview"]`` says how many are drawn of how many).
    """
    path = checked_path(account_map, highlight_path)
    graph = graph if graph is not None else build_graph(account_map)
    reuse = memo if memo is not None else FRESH
    shown = layout.overview_selection(account_map, powers, above=overview_above, size=overview_size)
    positioned = layout.needs_positions(account_map)
    fading = fading_relationships(graph, day.today, after_days=day.fading_after_days) if day is not None else []
    drawing = Drawing(
        path=path,
        positions=layout.positions(account_map, shown) if positioned else None,
        shown=shown,
        dominated=reuse.analysis(account_map, "dominated", lambda: dominated(graph)),
        fading=frozenset((f["member"], f["stakeholder"]) for f in fading),
        today=day.today if day is not None else None,
    )
    nodes, edges = reuse.network(account_map, powers, drawing, graph)
    # The panels weigh people by the graph's own power (``powers`` may be anything a caller chose to draw).
    own = reuse.analysis(account_map, "power", lambda: power(graph))
    report = (
        panel_report(graph, own, recommendations=True)  # recommendations name people: never reused
        if recommendations
        else reuse.analysis(account_map, "panels", lambda: panel_report(graph, own, recommendations=False))
    )
    names = {s.id: s.name for s in account_map.stakeholders}
    mentioned = {gap["stakeholder"] for gap in report["gaps"]} | {
        dm["stakeholder"] for dm in report["forecast"]["decision_makers"]
    }
    for rec in report["recommendations"] or []:
        mentioned |= {rec["target"], *rec["path"][1:]}
    mentioned |= {f["stakeholder"] for f in fading} | {v.stakeholder for v in account_map.voices}
    return {
        "account": {
            "id": account_map.account.id,
            "name": account_map.account.name,
            "industry": account_map.account.industry,
        },
        "asOf": as_of.isoformat(timespec="seconds") if as_of is not None else None,
        "counts": {
            "stakeholders": len(account_map.stakeholders),
            "team": len(account_map.team),
            "competitors": len(account_map.competitors),
        },
        "overview": None if shown is None else {"shown": len(shown), "total": len(account_map.stakeholders)},
        "nodes": nodes,
        "edges": edges,
        "options": vis_options(positioned=positioned),
        "path": [path_node_id(index, raw) for index, raw in enumerate(path)],
        "report": report,
        "graph": {
            "stakeholders": sorted(names),
            # Ties are made of the reporting and influence lines alone (``graph.ties``).
            "ties": reuse.keyed(
                "ties",
                (account_map.reports_to, account_map.influences),
                lambda: sorted(
                    (min(a, b), max(a, b), float(attrs["strength"])) for a, b, attrs in ties(graph).edges(data=True)
                ),
            ),
            "ours": sorted((r.source, r.target, r.strength) for r in account_map.relationships),
        },
        # Names of people the panels mention who are not drawn (an overview leaves them out).
        "hidden": sorted([raw, names[raw]] for raw in mentioned if shown is not None and raw not in shown),
        "fading": fading,
        "fadingAfterDays": day.fading_after_days if day is not None else FADING_AFTER_DAYS,
        **_voices(account_map, powers, day),
    }


def _voices(account_map: AccountMap, powers: Mapping[str, float], day: MapDay | None) -> dict[str, Any]:
    """The account's voices for the panels (each with its age and whether it is overdue) and the loop's health."""
    if day is None:
        rows = [{**v.model_dump(mode="json"), "age_days": None, "overdue": None} for v in account_map.voices]
        return {"voices": rows, "voiceLoop": None, "voiceOverdueDays": OVERDUE_DAYS}
    voices = account_map.voices
    rows = voice_rows(voices, powers, day.today, overdue_days=day.overdue_days)
    loop = voice_loop(voices, powers, day.today, overdue_days=day.overdue_days)
    rounded = {k: round(v, 6) if isinstance(v, float) else v for k, v in loop.items()}
    return {
        "voices": [{**row, "power": round(row["power"], 6)} for row in rows],
        "voiceLoop": rounded,
        "voiceOverdueDays": day.overdue_days,
    }


def render_map(
    account_map: AccountMap,
    powers: Mapping[str, float],
    *,
    highlight_path: Sequence[str] = (),
    title: str | None = None,
    as_of: datetime | None = None,
    overview_above: int = layout.OVERVIEW_ABOVE,
    overview_size: int = layout.OVERVIEW_SIZE,
    day: MapDay | None = None,
) -> str:
    """Return one self-contained HTML document (str) of the account's power map and its panels.

    ``powers`` maps stakeholder ids to power in [0, 1] (see :mod:`powermap.analysis.power`); a
    stakeholder missing from it is drawn with power 0. ``highlight_path`` is an introduction path
    ``[member_id, stakeholder_id, ..., target_id]``: its nodes get a thick amber border and the lines
    between consecutive ones turn thick and amber. A path naming an unknown member or stakeholder is
    refused with :class:`ValueError`. ``as_of`` is the time of the data, shown in the header. A map
    of more than ``overview_above`` stakeholders is an overview of the ``overview_size`` most powerful.
    ``day`` (:class:`MapDay`) is the day fading relationships and voices' ages are judged on.

    Beside the map the page shows the forecast, coverage, introduction paths to a chosen target,
    recommendations, the power ranking, competitor gaps and the legend; all read-only.

    The output depends only on the arguments: rendering twice gives the same string.
    """
    data = map_data(
        account_map,
        powers,
        highlight_path=highlight_path,
        as_of=as_of,
        overview_above=overview_above,
        overview_size=overview_size,
        day=day,
    )
    path = checked_path(account_map, highlight_path)
    heading = title if title is not None else f"{account_map.account.name} — power map"
    return render_template(
        "map.html",
        page_title=clean(heading),
        heading=clean(heading),
        account=account_map.account,
        show_account=title is not None,
        as_of=data["asOf"],
        overview=data["overview"],
        counts=(len(account_map.stakeholders), len(account_map.team), len(account_map.competitors)),
        path_names=[clean(path_name(account_map, index, raw)) for index, raw in enumerate(path)],
        csp=content_security_policy([assets()[name] for name in SCRIPTS]),
        vis_css=inline(VIS_CSS),
        scripts=[inline(name) for name in SCRIPTS],
        data_json=Markup(script_json(data)),  # noqa: S704 - script_json escapes every <, > and &
        data_element_id=DATA_ELEMENT_ID,
        **legend_context(day.fading_after_days if day is not None else FADING_AFTER_DAYS),
    )


def legend_context(fading_after_days: int = FADING_AFTER_DAYS) -> dict[str, Any]:
    """What the legend and the filters need (the same in the offline file and the web app)."""
    return {
        "fading_legend": style.FADING_LABEL.format(days=fading_after_days),
        "pain_mark": style.PAIN_MARK,
        "stance_legend": [(style.STANCE_LABELS[stance], colour) for stance, colour in style.STANCE_COLOURS.items()],
        "edge_legend": list(style.EDGE_STYLES.values()),
        "style": style,
        "decision_roles": [(role.value, role.value.replace("_", " ")) for role in DecisionRole],
    }
