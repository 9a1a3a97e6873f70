"""Constrained and disjoint paths through the service on every store, against brute-force enumeration."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powermap.graph import build_graph
from powermap.model import parse_account_map
from powermap.service import PowermapService
from tests.factories import random_documents
from tests.unit.test_sharper_paths import allowed, brute_disjoint, constraints_for, every_path


def rounded(paths: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"strength": round(p["strength"], 6), "nodes": p["nodes"]} for p in paths]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=random_documents(), k=st.integers(1, 4), disjoint=st.booleans(), data=st.data())
def test_constrained_paths_on_every_store_equal_brute_force(
    service: PowermapService, prefix: str, document: dict[str, Any], k: int, disjoint: bool, data: st.DataObject
) -> None:
    account = prefix + "rnd"
    document = copy.deepcopy(document)
    document["account"]["id"] = account
    service.import_map(document)
    graph = build_graph(parse_account_map(document))
    target = data.draw(st.sampled_from(sorted(graph)))
    constraints = data.draw(constraints_for(graph))
    if disjoint:
        expected = brute_disjoint(graph, target, k, None, constraints)
    else:
        expected = [p for p in every_path(graph, target) if allowed(graph, p, constraints)][:k]
    report = service.paths(account, target, k=k, constraints=constraints, disjoint=disjoint)
    assert report["paths"] == rounded(expected)
