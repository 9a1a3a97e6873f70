"""Where the nodes of a big map go: a deterministic layout computed here, not in the browser.

A small map (up to :data:`PHYSICS_MAX` stakeholders) is laid out in the page by vis-network's
force layout from a fixed seed and frozen once stable. That costs the browser time that grows with
the square of the map, so a bigger map gets its positions from :func:`positions` and the page draws
it with physics off: the first picture is the final one, and the same map always gives the same
picture (positions depend only on the map, never on dict order or a random seed).

The picture reads like an organisation chart:

* one horizontal **band per level**, executives at the top, staff at the bottom;
* inside a band, one **block per department**, departments in the same left-to-right order in every
  band (by the department's total influence, then name), so a department forms a column whose width
  is in proportion to its size, the picture as a whole about :data:`ASPECT` times as wide as high;
* inside a block, people in a compact grid, the most influential first (top left), by each person's
  own ``influence``, then id;
* our team in a row above the executives, competitors in a row below the staff.

Places follow the people's own fields, not their power: power is computed over the whole graph, so
one edit of a person's influence or of a line moves nearly everyone's power a little, and ordering by
it re-sorted a quarter of a 1,000-person map at every such edit (people jumping about in a war room,
and a redraw of every one of them). Ordered by their own influence, an edit moves the edited person
and, at most, those between their old and new place in their block.

Very large accounts (more than :data:`OVERVIEW_ABOVE` stakeholders) are drawn as an **overview**:
:func:`overview_selection` keeps the :data:`OVERVIEW_SIZE` most powerful stakeholders, and the page
says so; the panels (forecast, coverage, gaps, recommendations) still cover everyone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from typing import Final

from powermap.model import AccountMap, Level, NodeKind
from powermap.viz.text import unit

#: Up to this many stakeholders the browser's seeded force layout draws the map.
PHYSICS_MAX: Final = 150
#: Above this many stakeholders ``powermap map`` draws an overview instead of every person
#: (the defaults of the settings ``POWERMAP_MAP_OVERVIEW_ABOVE`` and ``POWERMAP_MAP_OVERVIEW_SIZE``).
OVERVIEW_ABOVE: Final = 5_000
#: How many stakeholders (the most powerful) an overview draws.
OVERVIEW_SIZE: Final = 2_000
#: Grid cell of one person, in canvas pixels (labels are about 20 px high and up to 28 characters).
CELL_X: Final = 140.0
CELL_Y: Final = 90.0
#: Width over height the whole picture aims at (a projector's shape).
ASPECT: Final = 1.6
#: Gaps between department blocks and between level bands.
BLOCK_GAP: Final = 120.0
BAND_GAP: Final = 160.0
_LEVELS: Final = (Level.EXECUTIVE, Level.SENIOR, Level.MIDDLE, Level.STAFF)


def needs_positions(account_map: AccountMap) -> bool:
    """True when the map is too big for the browser's force layout."""
    return len(account_map.stakeholders) > PHYSICS_MAX


def overview_selection(
    account_map: AccountMap,
    powers: Mapping[str, float],
    *,
    above: int = OVERVIEW_ABOVE,
    size: int = OVERVIEW_SIZE,
) -> set[str] | None:
    """Stakeholder ids an overview draws, or None when the whole map is drawn.

    >>> from powermap.model import parse_account_map
    >>> m = parse_account_map({"account": {"id": "a", "name": "A"}, "stakeholders": [
    ...     {"id": "x", "name": "X", "level": "staff", "influence": 0.1}]})
    >>> overview_selection(m, {"x": 0.1}) is None
    True
    >>> overview_selection(m, {"x": 0.1}, above=0, size=5)
    {'x'}
    """
    if len(account_map.stakeholders) <= above:
        return None
    ranked = sorted(account_map.stakeholders, key=lambda s: (-unit(powers.get(s.id, 0.0)), s.id))
    return {s.id for s in ranked[:size]}


def positions(
    account_map: AccountMap, shown: set[str] | None = None
) -> dict[tuple[NodeKind, str], tuple[float, float]]:
    """Canvas position of every drawn node, keyed by ``(kind, id)``; deterministic (see the module doc).

    ``shown`` limits the stakeholders placed (an overview); team and competitors are always placed.

    >>> from powermap.model import parse_account_map
    >>> m = parse_account_map({"account": {"id": "a", "name": "A"},
    ...   "team": [{"id": "li", "name": "Li", "role": "AR"}],
    ...   "stakeholders": [{"id": "ceo", "name": "C", "level": "executive", "influence": 0.9},
    ...                    {"id": "clerk", "name": "K", "level": "staff", "influence": 0.1}]})
    >>> spots = positions(m)
    >>> spots[(NodeKind.MEMBER, "li")][1] < spots[(NodeKind.STAKEHOLDER, "ceo")][1] < \\
    ...     spots[(NodeKind.STAKEHOLDER, "clerk")][1]
    True
    """
    people = [s for s in account_map.stakeholders if shown is None or s.id in shown]
    department_influence: dict[str, float] = defaultdict(float)
    for person in people:
        department_influence[person.department] += person.influence
    department_order = sorted(department_influence, key=lambda d: (-department_influence[d], d))

    # Each department gets one column of the picture, its width in proportion to its size, so that
    # the whole picture is about ASPECT times as wide as it is high.
    bands: dict[Level, dict[str, list[str]]] = {level: defaultdict(list) for level in _LEVELS}
    sizes: dict[str, int] = defaultdict(int)
    for person in sorted(people, key=lambda s: (-s.influence, s.id)):
        bands[person.level][person.department].append(person.id)
        sizes[person.department] += 1
    total_columns = math.sqrt(max(len(people), 1) * ASPECT * CELL_Y / CELL_X)
    columns = {
        department: max(1, round(total_columns * sizes[department] / max(len(people), 1)))
        for department in department_order
    }
    left: dict[str, float] = {}
    cursor = 0.0
    for department in department_order:
        left[department] = cursor
        cursor += columns[department] * CELL_X + BLOCK_GAP
    width = max(cursor - BLOCK_GAP, CELL_X)

    placed: dict[tuple[NodeKind, str], tuple[float, float]] = {}
    top = 0.0
    for level in _LEVELS:
        rows = 0
        for department in department_order:
            ids = bands[level][department]
            cols = columns[department]
            for index, raw in enumerate(ids):
                row, col = divmod(index, cols)
                placed[(NodeKind.STAKEHOLDER, raw)] = (left[department] + col * CELL_X, top + row * CELL_Y)
            rows = max(rows, math.ceil(len(ids) / cols) if ids else 0)
        if rows:
            top += rows * CELL_Y + BAND_GAP
    bottom = top

    for kind, ids, y in (
        (NodeKind.MEMBER, sorted(m.id for m in account_map.team), -BAND_GAP - CELL_Y),
        (NodeKind.COMPETITOR, sorted(c.id for c in account_map.competitors), bottom),
    ):
        step = max(width / max(len(ids), 1), CELL_X * 2)
        for index, raw in enumerate(ids):
            placed[(kind, raw)] = (index * step, y)
    return {key: (round(x, 1), round(y, 1)) for key, (x, y) in placed.items()}
