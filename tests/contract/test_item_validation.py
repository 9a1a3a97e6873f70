"""A write of one line, activity or voice is checked item-only, and still refuses every rule the contract sets.

The expected refusals are written from ``docs/contract.md`` (section 1: values, vocabularies and "Rules of
the whole document"), not from what our parser says: each case names the field path and the item it must
name. Every write here goes through the service on each store while the whole-document check is watched:
it must never run (the stored map is valid, so only what the item touches is checked), and a refused
write must leave the account's revision where it was.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from powermap.errors import IdTakenError, InvalidMapError
from powermap.model import (
    Activity,
    CompetitorRelationship,
    EdgeKind,
    Influence,
    Relationship,
    ReportsTo,
    Voice,
    parse_account_map,
)
from powermap.service import PowermapService
from powermap.service.cache import MapCache
from powermap.store import Store
from tests.factories import normalized
from tests.voice_factories import roadmap_document, voiced_document

Write = Callable[[PowermapService, str], object]


@pytest.fixture
def whole_document_checks(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every whole-document validation an edit runs (there must be none); imports are made before it is set."""
    calls: list[object] = []
    original = parse_account_map

    def counted(document: Any, **kwargs: Any) -> Any:
        calls.append(document)
        return original(document, **kwargs)

    monkeypatch.setattr("powermap.service.core.parse_account_map", counted)
    return calls


@pytest.fixture
def voiced(store: Store, prefix: str) -> tuple[PowermapService, str, str]:
    """(service, account, roadmap-id prefix): the tiny account with four voices and a three-item roadmap."""
    service = PowermapService(store, actor="tester", cache=MapCache())
    service.import_roadmap(roadmap_document(prefix))
    account = f"{prefix}items"
    service.import_map(voiced_document(account, prefix))
    return service, account, prefix


def _voice(**fields: Any) -> dict[str, Any]:
    return {"id": "v9", "stakeholder": "cfo", "date": "2026-10-30", "text": "订单系统太慢", **fields}


# (what the contract says, the write, [(field path, item named)] every one of which the refusal must hold)
REFUSED: list[tuple[str, Write, list[tuple[str, str]]]] = [
    # -- lines: values (weight, strength: 0..1; last_contact a date; unknown fields refused) -------------
    (
        "an influence weight above 1",
        lambda s, a: s.put_edge(a, EdgeKind.INFLUENCES, {"from": "cfo", "to": "cto", "weight": 1.5}),
        [("influence.weight", "from 'cfo' to 'cto'")],
    ),
    (
        "a relationship strength below 0, by update",
        lambda s, a: s.update_edge(a, EdgeKind.RELATIONSHIP, "li", "cto", {"strength": -0.1}),
        [("relationship.strength", "member 'li' to 'cto'")],
    ),
    (
        "a last contact that is not a date",
        lambda s, a: s.update_edge(a, EdgeKind.RELATIONSHIP, "li", "cto", {"last_contact": "yesterday"}),
        [("relationship.last_contact", "member 'li' to 'cto'")],
    ),
    (
        "a competitor relationship without its strength",
        lambda s, a: s.put_edge(a, EdgeKind.COMPETITOR_RELATIONSHIP, {"competitor": "rival", "stakeholder": "ceo"}),
        [("competitor_relationship.strength", "competitor 'rival' to 'ceo'")],
    ),
    (
        "an unknown field on a reporting line",
        lambda s, a: s.put_edge(a, EdgeKind.REPORTS_TO, {"from": "cfo", "to": "cto", "since": "2020"}),
        [("reports_to.since", "from 'cfo' to 'cto'")],
    ),
    # -- lines: rule 3, every end names an existing item of the right list ------------------------------
    (
        "an influence from nobody",
        lambda s, a: s.create_edge(a, Influence(source="ghost", target="ceo", weight=0.3)),
        [("influences[2].from", "from 'ghost' to 'ceo'")],
    ),
    (
        "a reporting line to nobody",
        lambda s, a: s.create_edge(a, ReportsTo(source="cfo", target="ghost")),
        [("reports_to[2].to", "from 'cfo' to 'ghost'")],
    ),
    (
        "a relationship of a stakeholder id used as a member",
        lambda s, a: s.create_edge(a, Relationship(source="ceo", target="cfo", strength=0.2)),
        [("relationships[1].member", "member 'ceo' to 'cfo'")],
    ),
    (
        "a competitor relationship of an unknown competitor and stakeholder",
        lambda s, a: s.create_edge(a, CompetitorRelationship(source="nobody", target="nowhere", strength=0.2)),
        [
            ("competitor_relationships[1].competitor", "competitor 'nobody' to 'nowhere'"),
            ("competitor_relationships[1].stakeholder", "competitor 'nobody' to 'nowhere'"),
        ],
    ),
    # -- lines: rule 4, no self-pointing line, no reporting cycle -------------------------------------
    (
        "an influence of a stakeholder on itself",
        lambda s, a: s.create_edge(a, Influence(source="cto", target="cto", weight=0.3)),
        [("influences[2]", "from 'cto' to 'cto'")],
    ),
    (
        "a stakeholder reporting to itself",
        lambda s, a: s.put_edge(a, EdgeKind.REPORTS_TO, {"from": "ceo", "to": "ceo"}),
        [("reports_to[2]", "from 'ceo' to 'ceo'")],
    ),
    (
        "a manager reporting to their report (a cycle of two)",
        lambda s, a: s.create_edge(a, ReportsTo(source="ceo", target="cto")),
        [("reports_to", "'ceo'")],
    ),
    # -- activities: values, rule 3 ---------------------------------------------------------------------
    (
        "an activity of a kind the contract does not name",
        lambda s, a: s.put_activity(a, {"id": "a2", "type": "golf", "date": "2026-10-01"}),
        [("activity.type", "'a2'")],
    ),
    (
        "an activity without a date",
        lambda s, a: s.put_activity(a, {"id": "a2", "type": "call"}),
        [("activity.date", "'a2'")],
    ),
    (
        "an activity with a member nobody knows",
        lambda s, a: s.create_activity(
            a, Activity(id="a2", type="call", date="2026-10-01", members=("li", "ghost"), stakeholders=("cfo",))
        ),
        [("activities[1].members[1]", "'a2'")],
    ),
    (
        "an activity updated to meet a stakeholder nobody knows",
        lambda s, a: s.update_activity(a, "a1", {"stakeholders": ["cto", "ghost"]}),
        [("activities[0].stakeholders[1]", "'a1'")],
    ),
    (
        "an activity whose stakeholder is a team member's id",
        lambda s, a: s.put_activity(a, {"id": "a3", "type": "meal", "date": "2026-10-02", "stakeholders": ["li"]}),
        [("activities[1].stakeholders[0]", "'a3'")],
    ),
    # -- voices: values ----------------------------------------------------------------------------------
    (
        "a voice with empty text",
        lambda s, a: s.put_voice(a, _voice(text="")),
        [("voice.text", "'v9'")],
    ),
    (
        "a voice priority given as a string",
        lambda s, a: s.put_voice(a, _voice(priority="1")),
        [("voice.priority", "'v9'")],
    ),
    (
        "a voice priority given as a boolean",
        lambda s, a: s.update_voice(a, "v2", {"priority": True}),
        [("voice.priority", "'v2'")],
    ),
    (
        "a satisfaction of 6",
        lambda s, a: s.update_voice(a, "v3", {"satisfaction": 6}),
        [("voice.satisfaction", "'v3'")],
    ),
    (
        "a voice screened as something the contract does not name",
        lambda s, a: s.put_voice(a, _voice(category="gripe")),
        [("voice.category", "'v9'")],
    ),
    (
        "a voice heard through an unknown channel",
        lambda s, a: s.put_voice(a, _voice(channel="pigeon")),
        [("voice.channel", "'v9'")],
    ),
    # -- voices: references (rules 3 and 5) ------------------------------------------------------------
    (
        "a voice raised by nobody",
        lambda s, a: s.put_voice(a, _voice(stakeholder="ghost")),
        [("voices[4].stakeholder", "'v9'")],
    ),
    (
        "a voice heard at an unknown activity, by update",
        lambda s, a: s.update_voice(a, "v2", {"activity": "a9"}),
        [("voices[1].activity", "'v2'")],
    ),
    (
        "a voice answered by an item not on the store's roadmap",
        lambda s, a: s.create_voice(a, Voice.model_validate(_voice(roadmap=["nowhere"]))),
        [("voices[4].roadmap[0]", "'v9'")],
    ),
    # -- voices: rules 6 and 7 ---------------------------------------------------------------------------
    (
        "a voice resolved without its date",
        lambda s, a: s.update_voice(a, "v1", {"status": "resolved"}),
        [("voices[0].closed_on", "'v1'")],
    ),
    (
        "a voice rejected without its date",
        lambda s, a: s.put_voice(a, _voice(status="rejected")),
        [("voices[4].closed_on", "'v9'")],
    ),
    (
        "an open voice with a closing date",
        lambda s, a: s.update_voice(a, "v2", {"closed_on": "2026-11-01"}),
        [("voices[1].closed_on", "'v2'")],
    ),
    (
        "a voice closed before it was raised",
        lambda s, a: s.update_voice(a, "v3", {"closed_on": "2026-07-01"}),
        [("voices[2].closed_on", "'v3'")],
    ),
    (
        "a satisfaction on a voice not resolved",
        lambda s, a: s.update_voice(a, "v2", {"satisfaction": 5}),
        [("voices[1].satisfaction", "'v2'")],
    ),
    (
        "a satisfaction on a rejected voice",
        lambda s, a: s.update_voice(a, "v4", {"satisfaction": 2}),
        [("voices[3].satisfaction", "'v4'")],
    ),
]


@pytest.mark.parametrize(("rule", "write", "named"), REFUSED, ids=[case[0] for case in REFUSED])
def test_a_single_item_write_refuses_every_rule_of_the_contract_naming_field_and_id(
    voiced: tuple[PowermapService, str, str],
    whole_document_checks: list[object],
    rule: str,
    write: Write,
    named: list[tuple[str, str]],
) -> None:
    service, account, _ = voiced
    before = service.export_map(account)
    revision = service.snapshot(account).revision

    with pytest.raises(InvalidMapError) as refused:
        write(service, account)

    problems = refused.value.problems
    for path, item in named:
        assert any(p.path == path and item in (p.item or "") for p in problems), (rule, [str(p) for p in problems])
    fresh = PowermapService(service.store, actor="tester")
    assert fresh.snapshot(account).revision == revision  # nothing was written
    assert fresh.export_map(account) == before
    assert whole_document_checks == []


def test_a_reporting_line_that_closes_a_long_cycle_names_the_whole_cycle(
    voiced: tuple[PowermapService, str, str], whole_document_checks: list[object]
) -> None:
    service, account, _ = voiced
    # The tiny account: cto -> ceo and cfo -> ceo. Make it a chain cto -> cfo -> ceo.
    service.delete_edge(account, EdgeKind.REPORTS_TO, "cto", "ceo")
    service.put_edge(account, EdgeKind.REPORTS_TO, {"from": "cto", "to": "cfo"})
    with pytest.raises(InvalidMapError) as refused:
        service.create_edge(account, ReportsTo(source="ceo", target="cto"))  # ceo -> cto -> cfo -> ceo
    (problem,) = refused.value.problems
    assert (problem.path, problem.item) == ("reports_to", "'ceo'")
    assert problem.message == "reporting lines form a cycle: 'ceo' -> 'cto' -> 'cfo' -> 'ceo'"
    assert whole_document_checks == []


def test_a_line_or_activity_or_voice_given_twice_is_409_not_a_second_copy(
    voiced: tuple[PowermapService, str, str], whole_document_checks: list[object]
) -> None:
    service, account, _ = voiced
    revision = service.snapshot(account).revision
    with pytest.raises(IdTakenError, match="cto"):
        service.create_edge(account, Influence(source="cto", target="ceo", weight=0.1))
    with pytest.raises(IdTakenError, match="a1"):
        service.create_activity(account, Activity(id="a1", type="call", date="2026-10-01"))
    with pytest.raises(IdTakenError, match="v1"):
        service.create_voice(account, Voice.model_validate(_voice(id="v1")))
    assert service.snapshot(account).revision == revision
    assert whole_document_checks == []


def test_accepted_single_item_writes_are_stored_exactly_without_checking_the_whole_document(
    voiced: tuple[PowermapService, str, str], whole_document_checks: list[object]
) -> None:
    service, account, roadmap_prefix = voiced
    expected = copy.deepcopy(service.export_map(account))

    # A reporting line to the top that closes no cycle (a diamond is not a cycle), and a weight change.
    service.create_edge(account, ReportsTo(source="cto", target="cfo"))
    expected["reports_to"].append({"from": "cto", "to": "cfo"})
    service.update_edge(account, EdgeKind.INFLUENCES, "cfo", "ceo", {"weight": 0.45})
    expected["influences"][1]["weight"] = 0.45
    # An activity with people of both sides; then a voice heard at it, closed, answered by the roadmap.
    service.create_activity(
        account, Activity(id="a2", type="call", date="2026-10-03", members=("boss",), stakeholders=("ceo", "cfo"))
    )
    expected["activities"].append(
        {
            "id": "a2",
            "type": "call",
            "date": "2026-10-03",
            "members": ["boss"],
            "stakeholders": ["ceo", "cfo"],
            "outcome": "",
            "notes": "",
        }
    )
    service.put_voice(account, _voice(activity="a2", roadmap=[f"{roadmap_prefix}r9"]))
    service.update_voice(account, "v9", {"status": "resolved", "closed_on": "2026-11-02", "satisfaction": 5})
    expected["voices"].append(
        {
            "id": "v9",
            "stakeholder": "cfo",
            "date": "2026-10-30",
            "channel": "other",
            "activity": "a2",
            "text": "订单系统太慢",
            "category": "unscreened",
            "priority": None,
            "flow": "none",
            "owner": "",
            "status": "resolved",
            "roadmap": [f"{roadmap_prefix}r9"],
            "closed_on": "2026-11-02",
            "satisfaction": 5,
        }
    )
    # Deleting an activity leaves voices heard at it in place, without the reference.
    service.delete_activity(account, "a2")
    del expected["activities"][1]
    expected["voices"][4]["activity"] = None
    service.delete_edge(account, EdgeKind.REPORTS_TO, "cto", "cfo")
    del expected["reports_to"][2]
    service.delete_voice(account, "v4")
    del expected["voices"][3]

    assert whole_document_checks == []
    fresh = PowermapService(service.store, actor="tester")  # no cache: what the store holds
    assert fresh.export_map(account) == normalized(expected)
    assert service.export_map(account) == normalized(expected)  # and what the cache kept is the same
