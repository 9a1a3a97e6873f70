"""Single-champion risk on every store: each drop is the difference of analyses of real copies without that person."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from powermap.graph import build_graph
from powermap.model import NodeKind, parse_account_map
from powermap.service import PowermapService
from tests.factories import random_documents, tiny_document
from tests.unit.test_sharper_paths import every_path


def with_id(document: dict[str, Any], account_id: str) -> dict[str, Any]:
    document = copy.deepcopy(document)
    document["account"]["id"] = account_id
    return document


def reached(document: dict[str, Any]) -> set[str]:
    """Stakeholders some introduction path reaches, by enumerating paths (independent of the product's search)."""
    graph = build_graph(parse_account_map(document))
    return {s for s in graph if every_path(graph, s)}


def expected_drops(service: PowermapService, document: dict[str, Any], account: str) -> dict[tuple[str, str], Any]:
    """Each person's drops, from analyses of copies stored without them (the service's own removal)."""
    before = service.analyze(account)
    powers, total = before["power"], sum(before["power"].values())
    reach_before = reached(document)
    drops = {}
    for kind, list_name, node_kind in (
        ("member", "team", NodeKind.MEMBER),
        ("stakeholder", "stakeholders", NodeKind.STAKEHOLDER),
    ):
        for item in document[list_name]:
            copy_account = f"{account}-{kind}-{item['id']}"
            service.import_map(with_id(document, copy_account))
            service.remove_node(copy_account, node_kind, item["id"])
            after = service.analyze(copy_account)
            gone = {item["id"]} if kind == "stakeholder" else set()
            lost = reach_before - reached(service.export_map(copy_account)) - gone
            drops[(kind, item["id"])] = (
                before["coverage"] - after["coverage"],
                before["forecast"]["support_index"] - after["forecast"]["support_index"],
                sum(powers[s] for s in lost) / total if total else 0.0,
            )
            service.delete_account(copy_account)
    return drops


def check(service: PowermapService, document: dict[str, Any], account: str) -> dict[str, Any]:
    service.import_map(with_id(document, account))
    report = service.dependency(account)
    expected = expected_drops(service, with_id(document, account), account)
    for kind in ("member", "stakeholder"):
        rows = report[f"{kind}s"]
        assert sorted(row[kind] for row in rows) == sorted(i for k, i in expected if k == kind)
        for row in rows:
            coverage_drop, support_drop, reach_drop = expected[(kind, row[kind])]
            assert row["coverage_drop"] == pytest.approx(coverage_drop, abs=3e-6)
            assert row["support_drop"] == pytest.approx(support_drop, abs=3e-6)
            assert row["reach_drop"] == pytest.approx(reach_drop, abs=3e-6)
        keys = [(-row["coverage_drop"], -row["support_drop"]) for row in rows]
        assert keys == sorted(keys)
    return report


def test_the_tiny_account_hangs_on_li_and_the_cto(service: PowermapService, prefix: str) -> None:
    report = check(service, tiny_document(), prefix + "tiny")
    # Li alone holds the CTO (our only covered stakeholder) and every path starts there
    assert report["members"][0] == {
        "member": "li",
        "name": "Li Ming",
        "coverage_drop": pytest.approx(report["coverage"]),
        "support_drop": report["members"][0]["support_drop"],
        "reach_drop": pytest.approx(1.0),
    }
    assert report["hangs_on_one_person"] is True
    assert {(p["kind"], p["id"]) for p in report["hangs_on"]} == {("member", "li"), ("stakeholder", "cto")}
    boss = next(row for row in report["members"] if row["member"] == "boss")
    assert (boss["coverage_drop"], boss["support_drop"], boss["reach_drop"]) == (0.0, 0.0, 0.0)


def test_a_second_relationship_means_the_account_no_longer_hangs_on_li(service: PowermapService, prefix: str) -> None:
    document = tiny_document()
    document["relationships"].append({"member": "boss", "stakeholder": "cto", "strength": 0.9})
    report = service.dependency(service.import_map(with_id(document, prefix + "two")).account)
    assert ("member", "li") not in {(p["kind"], p["id"]) for p in report["hangs_on"]}
    li = next(row for row in report["members"] if row["member"] == "li")
    assert li["coverage_drop"] == 0.0
    assert li["reach_drop"] == 0.0


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=random_documents(max_stakeholders=5))
def test_drops_equal_the_differences_of_analyses_of_copies_without_each_person(
    service: PowermapService, prefix: str, document: dict[str, Any]
) -> None:
    check(service, document, prefix + "rnd")
