"""`log` on every store: the activity and its effect land in one write; fading relationships are listed."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from powermap.errors import InvalidMapError, StakeholderNotFoundError
from powermap.service import PowermapService


def small_map(account_id: str) -> dict[str, Any]:
    return {
        "format": "powermap/v1",
        "account": {"id": account_id, "name": "Small"},
        "competitors": [{"id": "rival", "name": "Rival"}],
        "team": [{"id": "li", "name": "Li", "role": "AR"}, {"id": "wu", "name": "Wu", "role": "SR"}],
        "stakeholders": [
            {
                "id": "cfo",
                "name": "CFO",
                "level": "executive",
                "decision_role": "decision_maker",
                "influence": 0.8,
                "stance": "skeptic",
            },
            {
                "id": "cto",
                "name": "CTO",
                "level": "executive",
                "decision_role": "technical_evaluator",
                "influence": 0.7,
            },
            {"id": "clerk", "name": "Clerk", "level": "staff", "influence": 0.1},
        ],
        "relationships": [
            {"member": "li", "stakeholder": "cto", "strength": 0.5, "last_contact": "2026-01-10"},
            {"member": "wu", "stakeholder": "clerk", "strength": 0.4, "last_contact": "2026-11-01"},
        ],
        "competitor_relationships": [{"competitor": "rival", "stakeholder": "cto", "strength": 0.9}],
    }


def test_logging_an_ice_breaking_creates_a_weak_dated_relationship_in_one_revision(
    service: PowermapService, prefix: str
) -> None:
    account = prefix + "ice"
    service.import_map(small_map(account))
    report = service.log_activity(
        account,
        {"type": "ice_breaking", "members": ["li"], "stakeholders": ["cfo"], "date": "2026-11-20", "outcome": "ok"},
    )
    assert report["revision"] == 2
    assert report["activity"]["id"] == "ice_breaking-2026-11-20"
    stored = service.export_map(account)
    assert {"member": "li", "stakeholder": "cfo", "strength": 0.25, "last_contact": "2026-11-20"} in stored[
        "relationships"
    ]
    assert stored["activities"][-1] == report["activity"]
    created = {"member": "li", "stakeholder": "cfo", "strength": 0.25, "last_contact": "2026-11-20"}
    assert report["effects"] == {"stakeholders": [], "relationships": [created], "competitor_relationships": []}
    assert report["changes"] == [{"list": "relationships", "key": ["li", "cfo"], "before": None, "after": created}]
    changes = service.history(account)["changes"]
    assert [(c["revision"], c["operation"]) for c in changes[:1]] == [(2, "log ice_breaking")]
    diff = service.diff(account, from_when="1")
    assert set(diff["added"]) == {"relationships", "activities"}


def test_explicit_stance_and_strength_win_over_the_kinds_default(service: PowermapService, prefix: str) -> None:
    account = prefix + "explicit"
    service.import_map(small_map(account))
    service.log_activity(
        account,
        {
            "type": "attitude_turnaround",
            "members": ["li"],
            "stakeholders": ["cfo", "cto"],
            "date": "2026-11-21",
            "stance": "supporter",
            "strength": 0.7,
        },
    )
    stored = service.export_map(account)
    stances = {s["id"]: s["stance"] for s in stored["stakeholders"]}
    assert (stances["cfo"], stances["cto"]) == ("supporter", "supporter")
    strengths = {(r["member"], r["stakeholder"]): (r["strength"], r["last_contact"]) for r in stored["relationships"]}
    assert strengths[("li", "cfo")] == (0.7, "2026-11-21")
    assert strengths[("li", "cto")] == (0.7, "2026-11-21")
    assert strengths[("wu", "clerk")] == (0.4, "2026-11-01")  # not part of the activity: untouched


def test_a_default_turnaround_warms_the_stance_one_step(service: PowermapService, prefix: str) -> None:
    account = prefix + "turn"
    service.import_map(small_map(account))
    service.log_activity(account, {"type": "attitude_turnaround", "members": ["li"], "stakeholders": ["cfo"]})
    cfo = next(s for s in service.export_map(account)["stakeholders"] if s["id"] == "cfo")
    assert cfo["stance"] == "neutral"  # skeptic, one step warmer


def test_a_refused_log_stores_nothing(service: PowermapService, prefix: str) -> None:
    account = prefix + "bad"
    service.import_map(small_map(account))
    before = service.export_map(account)
    with pytest.raises(StakeholderNotFoundError):
        service.log_activity(account, {"type": "meal", "members": ["li"], "stakeholders": ["ghost"]})
    with pytest.raises(InvalidMapError, match="stance"):
        service.log_activity(account, {"type": "meal", "stakeholders": ["cfo"], "stance": "friendly"})
    with pytest.raises(InvalidMapError, match="type"):
        service.log_activity(account, {"type": "picnic", "stakeholders": ["cfo"]})
    with pytest.raises(InvalidMapError, match="strength"):
        service.log_activity(account, {"type": "meal", "stakeholders": ["cfo"], "strength": 2})
    assert service.export_map(account) == before
    assert len(service.history(account)["changes"]) == 1


def test_two_logs_on_one_day_get_distinct_ids(service: PowermapService, prefix: str) -> None:
    account = prefix + "ids"
    service.import_map(small_map(account))
    first = service.log_activity(account, {"type": "call", "stakeholders": ["cto"], "date": "2026-11-02"})
    second = service.log_activity(account, {"type": "call", "stakeholders": ["cto"], "date": "2026-11-02"})
    assert (first["activity"]["id"], second["activity"]["id"]) == ("call-2026-11-02", "call-2026-11-02-2")


def test_analyze_lists_relationships_untouched_longer_than_the_fading_window(
    service: PowermapService, prefix: str
) -> None:
    account = prefix + "fade"
    document = small_map(account)
    service.import_map(copy.deepcopy(document))
    today = dt.date(2026, 11, 27)
    fading = service.analyze(account, today=today)["fading"]
    assert fading == [
        {
            "member": "li",
            "stakeholder": "cto",
            "strength": 0.5,
            "last_contact": "2026-01-10",
            "days": (today - dt.date(2026, 1, 10)).days,
        }
    ]
    # a contact refreshes it
    service.log_activity(account, {"type": "call", "members": ["li"], "stakeholders": ["cto"], "date": "2026-11-26"})
    assert service.analyze(account, today=today)["fading"] == []
    assert service.analyze(account, as_of="1", today=today)["fading"] == fading
