"""The war-room map renderer: an account's power map as one self-contained, offline HTML file.

>>> from powermap.viz import render_map  # render_map(account_map, powers, highlight_path=[...]) -> str

See :mod:`powermap.viz.render` for how the page is built and why user text can never run in it.
"""

from powermap.viz import layout
from powermap.viz.render import map_data, node_id, render_map

__all__ = ["layout", "map_data", "node_id", "render_map"]
