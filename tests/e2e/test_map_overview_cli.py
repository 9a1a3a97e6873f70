"""``powermap map`` of a very large account warns and writes a readable overview.

The threshold is a setting (``POWERMAP_MAP_OVERVIEW_ABOVE``, default 5,000 stakeholders; the overview
draws ``POWERMAP_MAP_OVERVIEW_SIZE``, default 2,000): here it is lowered so the bundled sample of 30
stakeholders counts as very large, which keeps the test fast while running the real console script.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from powermap.analysis.power import power
from powermap.graph import build_graph
from powermap.model import parse_account_map
from powermap.service import PowermapService
from powermap.store import open_store
from tests.e2e.test_cli import base_env, run


def embedded(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="powermap-data">(.*?)</script>', page, re.S)
    assert match
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def seeded(tmp_path: Path) -> tuple[str, dict[str, Any]]:
    document = json.loads(resources.files("powermap").joinpath("samples/acme.json").read_text(encoding="utf-8"))
    store = f"sqlite:///{tmp_path}/x.db"
    with open_store(store) as opened:
        PowermapService(opened).import_map(document)
    return store, document


def test_map_of_a_very_large_account_warns_and_draws_the_most_powerful(tmp_path: Path) -> None:
    store, document = seeded(tmp_path)
    env = {**base_env(store), "POWERMAP_MAP_OVERVIEW_ABOVE": "20", "POWERMAP_MAP_OVERVIEW_SIZE": "8"}
    result = run("map", document["account"]["id"], "-o", "big.html", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr
    assert "30 stakeholders" in result.stderr
    assert "overview of the 8 most powerful" in result.stderr
    page = (tmp_path / "big.html").read_text(encoding="utf-8")
    assert "the map draws the 8 most powerful of them" in page
    data = embedded(page)
    account_map = parse_account_map(document)
    powers = power(build_graph(account_map))
    expected = {s for s, _ in sorted(powers.items(), key=lambda kv: (-kv[1], kv[0]))[:8]}
    assert {n["ref"] for n in data["nodes"] if n["kind"] == "stakeholder"} == expected
    assert data["overview"] == {"shown": 8, "total": 30}
    assert data["asOf"], "the time of the data is in the page"


def test_map_of_an_ordinary_account_draws_everyone_without_a_warning(tmp_path: Path) -> None:
    store, document = seeded(tmp_path)
    result = run("map", document["account"]["id"], "-o", "all.html", cwd=tmp_path, env=base_env(store))
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    data = embedded((tmp_path / "all.html").read_text(encoding="utf-8"))
    assert data["overview"] is None
    assert sum(1 for n in data["nodes"] if n["kind"] == "stakeholder") == len(document["stakeholders"])
