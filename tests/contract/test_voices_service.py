"""Voices and the roadmap through the service, on every store: validation against the store's roadmap,
edits that keep the map sound, the loop's health and the roadmap's fit."""

from __future__ import annotations

import datetime as dt

import pytest

from powermap.errors import (
    AccountNotFoundError,
    InvalidMapError,
    InvalidRoadmapError,
    RoadmapItemInUseError,
    VoiceNotFoundError,
)
from powermap.model import Flow, NodeKind, VoiceCategory, parse_roadmap
from powermap.service import PowermapService
from tests.factories import normalized
from tests.voice_factories import voiced_document

DAY = dt.date(2026, 11, 1)


def test_a_voiced_map_imports_when_its_roadmap_items_exist_and_exports_identical(
    service: PowermapService, prefix: str, roadmap: str
) -> None:
    document = voiced_document(prefix + "acme", prefix)
    result = service.import_map(document)
    assert result.counts["voices"] == 4
    assert service.export_map(prefix + "acme") == normalized(document)


def test_a_map_naming_unknown_roadmap_items_is_refused_whole(service: PowermapService, prefix: str) -> None:
    document = voiced_document(prefix + "acme", prefix + "zz-")
    with pytest.raises(InvalidMapError, match=r"voices\[0\]\.roadmap\[0\] \('v1'\): no item of the store's roadmap"):
        service.import_map(document)
    with pytest.raises(AccountNotFoundError):
        service.export_map(prefix + "acme")


def test_voice_edits_are_validated_like_an_import(service: PowermapService, prefix: str, roadmap: str) -> None:
    account = prefix + "acme"
    service.import_map(voiced_document(account, prefix))
    added = service.put_voice(
        account, {"id": "v5", "stakeholder": "cfo", "date": "2026-10-30", "text": "需要中文界面", "category": "itch"}
    )
    assert added.id == "v5"
    with pytest.raises(
        InvalidMapError, match=r"voices\[4\]\.closed_on \('v5'\): is required when status is 'resolved'"
    ):
        service.put_voice(
            account, {"id": "v5", "stakeholder": "cfo", "date": "2026-10-30", "text": "x", "status": "resolved"}
        )
    with pytest.raises(InvalidMapError, match=r"voice\.satisfaction \('v6'\)"):
        service.put_voice(
            account, {"id": "v6", "stakeholder": "cfo", "date": "2026-10-30", "text": "x", "satisfaction": 9}
        )
    with pytest.raises(InvalidMapError, match="no item of the store's roadmap has id 'nope'"):
        service.put_voice(
            account, {"id": "v6", "stakeholder": "cfo", "date": "2026-10-30", "text": "x", "roadmap": ["nope"]}
        )
    with pytest.raises(InvalidMapError, match="no stakeholder has id 'ghost'"):
        service.put_voice(account, {"id": "v6", "stakeholder": "ghost", "date": "2026-10-30", "text": "x"})
    assert [v.id for v in service.store.get_map(account).voices] == ["v1", "v2", "v3", "v4", "v5"]
    closed = service.put_voice(
        account,
        {
            **voiced_document(prefix=prefix)["voices"][0],
            "status": "resolved",
            "closed_on": "2026-10-31",
            "satisfaction": 5,
        },
    )
    assert service.voice(account, "v1") == closed
    service.remove_voice(account, "v5")
    with pytest.raises(VoiceNotFoundError):
        service.voice(account, "v5")
    with pytest.raises(VoiceNotFoundError):
        service.remove_voice(account, "v5")


def test_removing_a_stakeholder_or_an_activity_keeps_the_voices_sound(
    service: PowermapService, prefix: str, roadmap: str
) -> None:
    account = prefix + "acme"
    service.import_map(voiced_document(account, prefix))
    service.remove_activity(account, "a1")
    assert service.voice(account, "v1").activity is None
    service.remove_node(account, NodeKind.STAKEHOLDER, "cto")
    assert [v.id for v in service.store.get_map(account).voices] == ["v2", "v3"]


def test_the_voices_report_filters_the_list_but_summarises_the_whole_account(
    service: PowermapService, prefix: str, roadmap: str
) -> None:
    account = prefix + "acme"
    service.import_map(voiced_document(account, prefix))
    report = service.voices(account, today=DAY)
    assert set(report) == {"account", "voices", "summary"}
    assert [(v["id"], v["age_days"], v["overdue"]) for v in report["voices"]] == [
        ("v1", 50, True),
        ("v2", 31, False),
        ("v3", 80, False),
        ("v4", 5, False),
    ]
    powers = service.analyze(account)["power"]
    assert [v["power"] for v in report["voices"]] == [powers["cto"], powers["cfo"], powers["ceo"], powers["cto"]]
    summary = report["summary"]
    assert (summary["total"], summary["open"], summary["overdue"]) == (4, 2, 1)
    assert summary["pain_exposure"] == pytest.approx(powers["cto"] / sum(powers.values()), abs=1e-6)
    assert [v["id"] for v in service.voices(account, open_only=True, today=DAY)["voices"]] == ["v1", "v2"]
    assert [v["id"] for v in service.voices(account, category=VoiceCategory.PAIN, today=DAY)["voices"]] == ["v1", "v3"]
    assert [v["id"] for v in service.voices(account, flow=Flow.LTC, today=DAY)["voices"]] == ["v2"]
    assert service.voices(account, flow=Flow.ITR, today=DAY)["summary"] == summary
    assert service.analyze(account)["voice_loop"] == service.voices(account)["summary"]


def test_the_roadmap_fit_weighs_each_asker_by_power_across_accounts(
    service: PowermapService, prefix: str, roadmap: str
) -> None:
    service.import_map(voiced_document(prefix + "a", prefix))
    service.import_map(voiced_document(prefix + "b", prefix))
    powers = service.analyze(prefix + "a")["power"]
    one = {i["id"]: i for i in service.roadmap_fit(account=prefix + "a")["items"]}
    assert one[f"{prefix}r7"]["fit"] == pytest.approx(powers["ceo"] + powers["cto"], abs=1e-5)
    assert one[f"{prefix}r8"]["fit"] == pytest.approx(powers["cfo"] / 2, abs=1e-5)
    assert one[f"{prefix}r9"]["fit"] == 0
    assert one[f"{prefix}r7"]["stakeholders"] == [
        {"account": prefix + "a", "stakeholder": "ceo"},
        {"account": prefix + "a", "stakeholder": "cto"},
    ]
    both = {i["id"]: i for i in service.roadmap_fit()["items"]}
    assert both[f"{prefix}r7"]["accounts"] == {
        prefix + "a": one[f"{prefix}r7"]["fit"],
        prefix + "b": one[f"{prefix}r7"]["fit"],
    }
    assert both[f"{prefix}r7"]["fit"] == pytest.approx(2 * one[f"{prefix}r7"]["fit"], abs=1e-5)
    mine = [i["id"] for i in service.roadmap_fit()["items"] if i["id"].startswith(prefix)]
    assert mine == [f"{prefix}r7", f"{prefix}r8", f"{prefix}r9"]
    item = service.roadmap_item(f"{prefix}r7")
    assert set(service.roadmap_fit()["items"][0]) == {
        "id",
        "title",
        "release",
        "status",
        "fit",
        "accounts",
        "stakeholders",
    }
    assert item.title == "Zero-downtime MES cut-over"


def test_a_roadmap_item_answering_voices_is_removed_only_when_forced(
    service: PowermapService, prefix: str, roadmap: str
) -> None:
    account = prefix + "acme"
    service.import_map(voiced_document(account, prefix))
    with pytest.raises(RoadmapItemInUseError, match=f"'v2' in account '{prefix}acme'"):
        service.remove_roadmap_item(f"{prefix}r8")
    assert service.voice(account, "v2").roadmap == (f"{prefix}r8",)
    revision = service.store.read(account).revision
    service.remove_roadmap_item(f"{prefix}r8", force=True)
    assert service.voice(account, "v2").roadmap == ()
    assert service.store.read(account).revision == revision + 1
    others = [i for i in service.store.read_roadmap().items if not i.id.startswith(prefix)]
    with pytest.raises(RoadmapItemInUseError, match="r7"):
        service.import_roadmap(parse_roadmap({"items": [i.model_dump() for i in others]}).to_document())


def test_a_bad_roadmap_item_is_refused_by_name(service: PowermapService) -> None:
    with pytest.raises(InvalidRoadmapError, match=r"roadmap item\.status \('r1'\)"):
        service.put_roadmap_item({"id": "r1", "title": "T", "status": "soon"})


def test_erasing_a_person_erases_the_voices_they_raised(service: PowermapService, prefix: str, roadmap: str) -> None:
    account = prefix + "acme"
    service.import_map(voiced_document(account, prefix))
    service.erase_stakeholder(account, "cto")
    assert [v.id for v in service.store.get_map(account).voices] == ["v2", "v3"]
    exported = str(service.export_map(account))
    assert "MES cut-over" not in exported
    assert "blockchain" not in exported


def test_voices_have_typed_create_update_delete_with_preconditions(
    service: PowermapService, prefix: str, roadmap: str
) -> None:
    from powermap.errors import IdTakenError, StaleRevisionError, StaleVersionError
    from powermap.model import Voice

    account = prefix + "acme"
    service.import_map(voiced_document(account, prefix))
    revision = service.store.read(account).revision
    new = Voice.model_validate(
        {"id": "v5", "stakeholder": "ceo", "date": "2026-11-01", "text": "新", "category": "itch"}
    )
    created = service.create_voice(account, new, if_revision=revision)
    assert (created.item, created.revision) == (new, revision + 1)
    with pytest.raises(IdTakenError):
        service.create_voice(account, new)
    with pytest.raises(StaleRevisionError):
        service.update_voice(account, "v5", {"priority": 2}, if_revision=revision)
    updated = service.update_voice(
        account, "v5", {"status": "resolved", "closed_on": "2026-11-02"}, if_version=created.version
    )
    assert (updated.item.status, updated.item.text) == ("resolved", "新")
    with pytest.raises(StaleVersionError):
        service.update_voice(account, "v5", {"satisfaction": 5}, if_version=created.version)
    with pytest.raises(InvalidMapError, match=r"voices\[1\]\.satisfaction \('v2'\): only a resolved voice"):
        service.update_voice(account, "v2", {"satisfaction": 5})
    with pytest.raises(InvalidMapError, match=r"voice\.id"):
        service.update_voice(account, "v5", {"id": "v6"})
    assert service.delete_voice(account, "v5", if_version=updated.version) == updated.revision + 1
    with pytest.raises(VoiceNotFoundError):
        service.delete_voice(account, "v5")


def test_history_as_of_and_diff_cover_voices(service: PowermapService, prefix: str, roadmap: str) -> None:
    account = prefix + "acme"
    first = service.import_map(voiced_document(account, prefix)).revision
    service.update_voice(account, "v1", {"status": "resolved", "closed_on": "2026-11-02", "satisfaction": 5})
    service.put_voice(account, {"id": "v5", "stakeholder": "cfo", "date": "2026-11-03", "text": "新的"})
    service.remove_voice(account, "v4")
    before, _ = service.map_as_of(account, str(first))
    assert before.to_document()["voices"] == voiced_document(prefix=prefix)["voices"]
    changes = service.diff(account, from_when=str(first))
    assert [v["id"] for v in changes["added"]["voices"]] == ["v5"]
    assert [v["id"] for v in changes["removed"]["voices"]] == ["v4"]
    (changed,) = changes["changed"]["voices"]
    assert (changed["before"]["status"], changed["after"]["status"]) == ("in_progress", "resolved")
    assert [c["operation"] for c in service.history(account)["changes"][:3]] == [
        "remove voice",
        "put voice",
        "update voice",
    ]


def test_a_forced_roadmap_removal_is_part_of_each_touched_accounts_history(
    service: PowermapService, prefix: str, roadmap: str
) -> None:
    account = prefix + "acme"
    service.import_map(voiced_document(account, prefix))
    service.remove_roadmap_item(f"{prefix}r8", force=True)
    detached = service.store.read(account)
    assert service.history(account)["changes"][0]["operation"] == "detach roadmap items"
    service.put_voice(account, {"id": "v5", "stakeholder": "cfo", "date": "2026-11-03", "text": "x"})
    then, _ = service.map_as_of(account, str(detached.revision))
    assert then == detached.account_map
    assert then.voices[1].roadmap == ()
