"""What-if on every store: nothing is stored, and ``after`` is the analysis of the plan really applied to a copy."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powermap.errors import AccountNotFoundError, InvalidPlanError
from powermap.model import EdgeKind, NodeKind
from powermap.service import PowermapService
from tests.factories import random_documents, sample_document, tiny_document

DAY = dt.date(2026, 11, 27)


def with_id(document: dict[str, Any], account_id: str) -> dict[str, Any]:
    document = copy.deepcopy(document)
    document["account"]["id"] = account_id
    return document


def without_account(report: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in report.items() if key != "account"}


def stored_state(service: PowermapService, account: str) -> tuple[Any, ...]:
    summaries = [(s.id, s.revision) for s in service.accounts()]
    return service.export_map(account), service.store.read(account).revision, summaries


TINY_PLAN = {
    "format": "powermap-plan/v1",
    "steps": [
        {"put": {"stakeholders": [{"id": "cfo", "stance": "neutral"}]}},
        {"remove": {"influences": [{"from": "cfo", "to": "ceo"}]}},
        {"activity": {"type": "ice_breaking", "members": ["boss"], "stakeholders": ["ceo"], "date": "2026-11-20"}},
    ],
}


def tiny_after_by_hand(account: str) -> dict[str, Any]:
    """TINY_PLAN applied by hand: the CFO neutral, their influence on the CEO gone, the boss met the CEO."""
    document = with_id(tiny_document(), account)
    document["stakeholders"][2]["stance"] = "neutral"
    document["influences"] = [line for line in document["influences"] if line["from"] != "cfo"]
    document["relationships"].append(
        {"member": "boss", "stakeholder": "ceo", "strength": 0.25, "last_contact": "2026-11-20"}
    )
    return document


def test_whatif_stores_nothing_and_after_is_the_analysis_of_the_plan_applied_to_a_copy(
    service: PowermapService, prefix: str
) -> None:
    account, copy_account = prefix + "tiny", prefix + "copy"
    service.import_map(with_id(tiny_document(), account))
    before = stored_state(service, account)
    report = service.whatif(account, TINY_PLAN, today=DAY)
    assert stored_state(service, account) == before
    service.import_map(tiny_after_by_hand(copy_account))
    assert without_account(report["after"]) == without_account(service.analyze(copy_account))
    assert report["before"] == service.analyze(account)
    assert report["account"] == account
    assert report["delta"] == {
        "support_index": pytest.approx(
            report["after"]["forecast"]["support_index"] - report["before"]["forecast"]["support_index"], abs=1e-6
        ),
        "coverage": pytest.approx(report["after"]["coverage"] - report["before"]["coverage"], abs=1e-6),
    }
    assert report["delta"]["support_index"] > 0  # a skeptic turned neutral and a first contact with the CEO


def test_a_plan_that_breaks_the_contract_is_refused_naming_every_problem(service: PowermapService, prefix: str) -> None:
    account = prefix + "tiny"
    service.import_map(with_id(tiny_document(), account))
    before = stored_state(service, account)
    bad = {
        "format": "powermap-plan/v1",
        "steps": [
            {"put": {"stakeholders": [{"id": "cfo", "influence": 1.5}]}},
            {"remove": {"stakeholders": ["ghost"]}},
            {"put": {"reports_to": [{"from": "ceo", "to": "cto"}]}},  # cto already reports to ceo: a cycle
            {"activity": {"type": "site_visit", "members": ["nobody"], "stakeholders": ["cto"]}},
        ],
    }
    with pytest.raises(InvalidPlanError) as refused:
        service.whatif(account, bad, today=DAY)
    paths = [problem.path for problem in refused.value.problems]
    assert paths[0] == "steps[0].put.stakeholders[0].influence"
    assert paths[1].startswith("steps[1].remove.stakeholders[0]")
    assert paths[2].startswith("steps[2]")
    assert "cycle" in refused.value.problems[2].message
    assert paths[3] == "steps[3].activity.members[0]"
    assert len(paths) == 4
    assert stored_state(service, account) == before


def test_whatif_on_an_unknown_account_is_not_found(service: PowermapService, prefix: str) -> None:
    with pytest.raises(AccountNotFoundError):
        service.whatif(prefix + "ghost", {"steps": []})


@st.composite
def plans_for(draw: st.DrawFn, document: dict[str, Any]) -> list[dict[str, Any]]:
    """Random put/remove steps over the document's own ids (each valid by construction)."""
    steps: list[dict[str, Any]] = []
    removed: set[tuple[str, str]] = set()
    stakeholders = [s["id"] for s in document["stakeholders"]]
    for _ in range(draw(st.integers(1, 3))):
        choice = draw(st.sampled_from(["stance", "strength", "remove_line", "remove_member"]))
        if choice == "stance":
            stance = draw(st.sampled_from(["champion", "supporter", "neutral", "skeptic", "opponent"]))
            steps.append({"put": {"stakeholders": [{"id": draw(st.sampled_from(stakeholders)), "stance": stance}]}})
        elif choice == "strength":
            member = document["team"][0]["id"]  # never the member a later step may remove
            target = draw(st.sampled_from(stakeholders))
            value = draw(st.sampled_from([0.0, 0.3, 0.6, 1.0]))
            steps.append({"put": {"relationships": [{"member": member, "stakeholder": target, "strength": value}]}})
        elif choice == "remove_line" and document["influences"]:
            line = draw(st.sampled_from(document["influences"]))
            if (line["from"], line["to"]) not in removed:
                removed.add((line["from"], line["to"]))
                steps.append({"remove": {"influences": [{"from": line["from"], "to": line["to"]}]}})
        elif choice == "remove_member" and len(document["team"]) > 1:
            member = document["team"][-1]["id"]
            if ("team", member) not in removed:
                removed.add(("team", member))
                steps.append({"remove": {"team": [member]}})
    return steps


def apply_with_edits(service: PowermapService, account: str, steps: list[dict[str, Any]]) -> None:
    """The same steps through the service's own edit operations (a different code path from the plan's)."""
    for step in steps:
        put, remove = step.get("put", {}), step.get("remove", {})
        for item in put.get("stakeholders", []):
            current = next(s for s in service.export_map(account)["stakeholders"] if s["id"] == item["id"])
            service.put_node(account, NodeKind.STAKEHOLDER, {**current, **item})
        for item in put.get("relationships", []):
            ends = (item["member"], item["stakeholder"])
            known = {(r["member"], r["stakeholder"]): r for r in service.export_map(account)["relationships"]}
            line: dict[str, Any] = known.get(ends, {})
            service.put_edge(account, EdgeKind.RELATIONSHIP, {**line, **item})
        for line in remove.get("influences", []):
            service.remove_edge(account, EdgeKind.INFLUENCES, line["from"], line["to"])
        for member in remove.get("team", []):
            service.remove_node(account, NodeKind.MEMBER, member)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=random_documents(), data=st.data())
def test_whatif_after_equals_analyze_of_the_same_edits_made_for_real_on_a_copy(
    service: PowermapService, prefix: str, document: dict[str, Any], data: st.DataObject
) -> None:
    steps = data.draw(plans_for(document))
    account, copy_account = prefix + "rnd", prefix + "rnd-copy"
    service.import_map(with_id(document, account))
    service.import_map(with_id(document, copy_account))
    before = stored_state(service, account)
    report = service.whatif(account, {"format": "powermap-plan/v1", "steps": steps}, today=DAY)
    assert stored_state(service, account) == before
    apply_with_edits(service, copy_account, steps)
    assert without_account(report["after"]) == without_account(service.analyze(copy_account))


def test_a_message_to_a_stranger_changes_nothing_in_a_whatif(service: PowermapService, prefix: str) -> None:
    account = prefix + "acme"
    service.import_map(with_id(sample_document(), account))
    plan = {"steps": [{"activity": {"type": "message", "members": ["li"], "stakeholders": ["ceo"]}}]}
    report = service.whatif(account, plan, today=DAY)
    # a message creates no relationship with a stranger and moves no stance: nothing changes
    assert report["delta"] == {"support_index": 0.0, "coverage": 0.0}
    assert report["after"] == report["before"]
