"""The war-room map's visual language: one place for every colour, shape and width.

The legend in the page is generated from these same constants, so what the legend says is what the
map draws. Colours are chosen to stay apart on a washed-out projector: stance runs green (with us)
through grey to orange and red (against us); our side is blue boxes, competitors purple diamonds, and
the introduction path amber, a colour nothing else uses.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from powermap.model import EdgeKind, Stance


class NodeColour(NamedTuple):
    background: str
    border: str
    font: str = "#212121"


STANCE_COLOURS: Final[dict[Stance, NodeColour]] = {
    Stance.CHAMPION: NodeColour("#1b5e20", "#0d3311"),
    Stance.SUPPORTER: NodeColour("#8bc34a", "#558b2f"),
    Stance.NEUTRAL: NodeColour("#9e9e9e", "#616161"),
    Stance.SKEPTIC: NodeColour("#fb8c00", "#e65100"),
    Stance.OPPONENT: NodeColour("#d32f2f", "#8e0000"),
}
STANCE_LABELS: Final[dict[Stance, str]] = {
    Stance.CHAMPION: "Champion",
    Stance.SUPPORTER: "Supporter",
    Stance.NEUTRAL: "Neutral",
    Stance.SKEPTIC: "Skeptic",
    Stance.OPPONENT: "Opponent",
}

MEMBER_SHAPE: Final = "box"
MEMBER_COLOUR: Final = NodeColour("#1565c0", "#0d47a1", "#ffffff")
COMPETITOR_SHAPE: Final = "diamond"
COMPETITOR_COLOUR: Final = NodeColour("#4a148c", "#12005e")
COMPETITOR_SIZE: Final = 20
STAKEHOLDER_SHAPE: Final = "dot"

#: A stakeholder's dot radius is ``SIZE_BASE + SIZE_PER_POWER * power``.
SIZE_BASE: Final = 10.0
SIZE_PER_POWER: Final = 40.0

#: On a big map laid out in cells (:mod:`powermap.viz.layout`, 90 units high) the dots are smaller, so a
#: dot and the label under it fit in one cell: radius at most 8 + 22 = 30, the label 24 below it.
BIG_MAP_SIZE_BASE: Final = 8.0
BIG_MAP_SIZE_PER_POWER: Final = 22.0
#: ... and its lines thin and translucent (a click on a person shows theirs in full).
BIG_MAP_EDGE_WIDTH: Final = 2.0
BIG_MAP_EDGE_OPACITY: Final = 0.3

#: Longest label drawn on the canvas; the tooltip always carries the whole name.
LABEL_MAX: Final = 28
#: Label font size in canvas pixels (before the view's zoom), large enough for a projector.
LABEL_SIZE: Final = 20


class EdgeStyle(NamedTuple):
    colour: str
    dashes: bool
    arrow: bool
    #: Width is ``base + per_unit * weight`` (the influence weight or the relationship strength).
    base_width: float
    per_unit: float
    label: str


EDGE_STYLES: Final[dict[EdgeKind, EdgeStyle]] = {
    EdgeKind.REPORTS_TO: EdgeStyle("#9e9e9e", False, True, 1.5, 0.0, "Reports to (arrow to the boss)"),
    EdgeKind.INFLUENCES: EdgeStyle("#00897b", False, True, 1.0, 5.0, "Influences (width = weight)"),
    EdgeKind.RELATIONSHIP: EdgeStyle("#1e88e5", False, False, 1.0, 6.0, "Our relationship (width = strength)"),
    EdgeKind.COMPETITOR_RELATIONSHIP: EdgeStyle(
        "#8e24aa", True, False, 1.0, 6.0, "Competitor relationship (width = strength)"
    ),
}

#: One of our relationships nobody has touched for longer than the fading window (issue 8): drawn
#: dashed in a washed-out blue, so it reads as "ours, but going cold" beside the solid blue of a live one.
FADING_COLOUR: Final = "#90caf9"
FADING_DASHES: Final = (5, 7)
FADING_LABEL: Final = "Fading relationship (no contact for over {days} days)"

PATH_COLOUR: Final = "#ffb300"
PATH_WIDTH: Final = 8.0
PATH_BORDER_WIDTH: Final = 6

#: A stakeholder a competitor leads on: a thick dashed ring in the competitors' colour.
DOMINATED_BORDER: Final = "#8e24aa"
DOMINATED_BORDER_WIDTH: Final = 5
DOMINATED_DASHES: Final = (6, 4)

#: On big maps a label is drawn only when it is at least this many screen pixels high.
LABEL_DRAW_THRESHOLD: Final = 9

#: Marks a person with an open pain (issue 9): after their label on the map, and in their hover card.
PAIN_MARK: Final = "⚠"
