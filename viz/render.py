"""The war-room map: one self-contained, offline HTML file of an account's power map.

How the page is made
--------------------
Three topics, one module each: :mod:`viz.network` builds the nodes and edges (with pyvis, the
project's visualisation stack), :mod:`viz.text` cleans user text and writes plain-text tooltips, and
:mod:`viz.page` inlines the vendored vis-network and our scripts under a strict CSP and renders the
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

from collections.abc import Mapping, Sequence
from typing import Final

from markupsafe import Markup

from powermap.model import AccountMap
from viz import style
from viz.network import PATH_EDGE_KIND, build_network, checked_path, node_id, path_name, path_node_id, vis_options
from viz.page import APP_JS, BOOT_JS, VIS_CSS, VIS_JS, assets, content_security_policy, inline, render_template
from viz.text import clean, script_json, unit

__all__ = ["DATA_ELEMENT_ID", "PATH_EDGE_KIND", "node_id", "render_map"]

#: Id of the ``<script type="application/json">`` element holding the network data.
DATA_ELEMENT_ID: Final = "powermap-data"


def render_map(
    account_map: AccountMap,
    powers: Mapping[str, float],
    *,
    highlight_path: Sequence[str] = (),
    title: str | None = None,
) -> str:
    """Return one self-contained HTML document (str) of the account's power map.

    ``powers`` maps stakeholder ids to power in [0, 1] (see :mod:`powermap.analysis.power`); a
    stakeholder missing from it is drawn with power 0. ``highlight_path`` is an introduction path
    ``[member_id, stakeholder_id, ..., target_id]``: its nodes get a thick amber border and the lines
    between consecutive ones turn thick and amber. A path naming an unknown member or stakeholder is
    refused with :class:`ValueError`.

    The output depends only on the arguments: rendering twice gives the same string.
    """
    path = checked_path(account_map, highlight_path)
    nodes, edges = build_network(account_map, powers, path)
    payload = {
        "account": {"id": account_map.account.id, "name": account_map.account.name},
        "nodes": nodes,
        "edges": edges,
        "options": vis_options(),
        "path": [path_node_id(index, raw) for index, raw in enumerate(path)],
    }
    scripts = (assets()[BOOT_JS], assets()[VIS_JS], assets()[APP_JS])
    heading = title if title is not None else f"{account_map.account.name} — power map"
    return render_template(
        "map.html",
        page_title=clean(heading),
        heading=clean(heading),
        account=account_map.account,
        show_account=title is not None,
        counts=(len(account_map.stakeholders), len(account_map.team), len(account_map.competitors)),
        stance_legend=[(style.STANCE_LABELS[stance], colour) for stance, colour in style.STANCE_COLOURS.items()],
        edge_legend=list(style.EDGE_STYLES.values()),
        style=style,
        path_names=[clean(path_name(account_map, index, raw)) for index, raw in enumerate(path)],
        top_power=_top_power(account_map, powers),
        csp=content_security_policy(scripts),
        vis_css=inline(VIS_CSS),
        boot_js=inline(BOOT_JS),
        vis_js=inline(VIS_JS),
        app_js=inline(APP_JS),
        data_json=Markup(script_json(payload)),  # noqa: S704 - script_json escapes every <, > and &
        data_element_id=DATA_ELEMENT_ID,
    )


def _top_power(account_map: AccountMap, powers: Mapping[str, float], count: int = 5) -> list[dict[str, str]]:
    ranked = sorted(account_map.stakeholders, key=lambda s: (-unit(powers.get(s.id, 0.0)), s.id))[:count]
    return [
        {
            "name": clean(s.name),
            "power": f"{unit(powers.get(s.id, 0.0)):.2f}",
            "colour": style.STANCE_COLOURS[s.stance].background,
            "stance": style.STANCE_LABELS[s.stance],
        }
        for s in ranked
    ]
