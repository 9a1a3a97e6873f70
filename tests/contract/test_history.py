"""History on every store: as-of reads, the change log, diffs, imports that say what changed, pruning."""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powermap.errors import HistoryNotKeptError, InvalidInputError
from powermap.model import EdgeKind, NodeKind
from powermap.service import PowermapService
from powermap.settings import Settings
from tests.factories import normalized, random_documents, sample_document, tiny_document


def with_id(document: dict[str, Any], account_id: str) -> dict[str, Any]:
    document = copy.deepcopy(document)
    document["account"]["id"] = account_id
    return document


@pytest.fixture
def often_checkpointed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep checkpoints after little change, so reads of the past cross checkpoints and deltas alike."""
    monkeypatch.setattr("powermap.service.core.get_settings", lambda: Settings(history_checkpoint_ratio=0.15))


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["stance", "remove", "relationship", "unrelate", "account", "activity", "import"]),
        st.integers(0, 10**6),
    ),
    min_size=1,
    max_size=8,
)


def apply_edit(service: PowermapService, account: str, action: str, seed: int, replacement: dict[str, Any]) -> None:
    """One edit of the kind named, aimed by ``seed`` at an item of the current map."""
    current = service.export_map(account)
    people = [s["id"] for s in current["stakeholders"]]
    if action == "stance":
        person = current["stakeholders"][seed % len(people)]
        service.put_node(account, NodeKind.STAKEHOLDER, {**person, "stance": ["champion", "opponent"][seed % 2]})
    elif action == "remove" and len(people) > 1:
        service.remove_node(account, NodeKind.STAKEHOLDER, people[seed % len(people)])
    elif action == "relationship":
        member = current["team"][seed % len(current["team"])]["id"]
        service.put_edge(
            account,
            EdgeKind.RELATIONSHIP,
            {"member": member, "stakeholder": people[seed % len(people)], "strength": (seed % 10) / 10},
        )
    elif action == "unrelate" and current["relationships"]:
        line = current["relationships"][seed % len(current["relationships"])]
        service.remove_edge(account, EdgeKind.RELATIONSHIP, line["member"], line["stakeholder"])
    elif action == "account":
        service.update_account(account, {"name": f"Renamed {seed}", "notes": "<script>备注</script>"})
    elif action == "activity":
        service.put_activity(
            account,
            {"id": f"a{seed % 3}", "type": "meal", "date": "2026-10-01", "stakeholders": [people[seed % len(people)]]},
        )
    elif action == "import":
        service.import_map(with_id(replacement, account))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=random_documents(), replacement=random_documents(), edits=EDITS)
def test_as_of_reads_reproduce_every_earlier_state_of_a_map_edited_step_by_step(
    service: PowermapService,
    prefix: str,
    often_checkpointed: None,
    start: dict[str, Any],
    replacement: dict[str, Any],
    edits: list[tuple[str, int]],
) -> None:
    account = prefix + uuid.uuid4().hex[:6]
    seen = {service.import_map(with_id(start, account)).revision: service.export_map(account)}
    for action, seed in edits:
        apply_edit(service, account, action, seed, replacement)
        seen[service.store.read(account).revision] = service.export_map(account)
    for revision, document in seen.items():
        assert service.export_map(account, as_of=str(revision)) == document
    changes = service.history(account)["changes"]
    assert [c["revision"] for c in changes] == sorted(seen, reverse=True)
    # as of a moment: the revision in force then
    for change in changes:
        assert service.export_map(account, as_of=change["at"]) == seen[change["revision"]]


def test_history_lists_every_change_newest_first_with_who_when_and_what(service: PowermapService, prefix: str) -> None:
    account = prefix + "h"
    service.import_map(with_id(tiny_document(), account))
    service.put_node(account, NodeKind.STAKEHOLDER, {"id": "coo", "name": "COO", "level": "senior", "influence": 0.4})
    service.remove_edge(account, EdgeKind.REPORTS_TO, "cto", "ceo")
    report = service.history(account)
    assert report["account"] == account
    assert [(c["revision"], c["actor"], c["operation"], c["subject"]) for c in report["changes"]] == [
        (3, "tester", "remove reporting line", "cto->ceo"),
        (2, "tester", "put stakeholder", "coo"),
        (1, "tester", "import", account),
    ]
    times = [dt.datetime.fromisoformat(c["at"]) for c in report["changes"]]
    assert times == sorted(times, reverse=True)
    assert all(t.tzinfo is not None for t in times)
    assert service.history(account, limit=1)["changes"][0]["revision"] == 3


def test_importing_identical_content_changes_nothing_and_keeps_the_revision(
    service: PowermapService, prefix: str
) -> None:
    account = prefix + "same"
    first = service.import_map(with_id(sample_document(), account))
    again = service.import_map(with_id(sample_document(), account))
    assert (first.changed, again.changed) == (True, False)
    assert again.revision == first.revision == service.store.read(account).revision
    assert all(counts == {"added": 0, "removed": 0, "changed": 0} for counts in again.changes.values())
    assert len(service.history(account)["changes"]) == 1


def test_an_import_that_replaces_a_map_says_what_it_added_removed_and_changed(
    service: PowermapService, prefix: str
) -> None:
    account = prefix + "r"
    original = with_id(tiny_document(), account)
    service.import_map(original)
    replacement = copy.deepcopy(original)
    replacement["stakeholders"][0]["stance"] = "champion"
    replacement["stakeholders"].append({"id": "new", "name": "New", "level": "staff", "influence": 0.1})
    replacement["competitor_relationships"] = []
    result = service.import_map(replacement)
    expected_removed = len(original.get("competitor_relationships", []))
    assert result.changed
    assert result.revision == 2
    assert result.changes["stakeholders"] == {"added": 1, "removed": 0, "changed": 1}
    assert result.changes["competitor_relationships"] == {"added": 0, "removed": expected_removed, "changed": 0}
    assert result.changes["account"] == {"added": 0, "removed": 0, "changed": 0}


def test_diff_gives_items_added_removed_and_changed_in_contract_shape(service: PowermapService, prefix: str) -> None:
    account = prefix + "d"
    service.import_map(with_id(tiny_document(), account))
    before = service.export_map(account)
    cto = next(s for s in before["stakeholders"] if s["id"] == "cto")
    service.put_node(account, NodeKind.STAKEHOLDER, {**cto, "stance": "opponent"})
    service.put_edge(account, EdgeKind.INFLUENCES, {"from": "ceo", "to": "cto", "weight": 0.2})
    service.update_account(account, {**before["account"], "notes": "新 notes"})
    report = service.diff(account, from_when="1")
    assert report == {
        "account": account,
        "from": 1,
        "to": 4,
        "added": {"influences": [{"from": "ceo", "to": "cto", "weight": 0.2}]},
        "removed": {},
        "changed": {
            "account": [{"before": before["account"], "after": {**before["account"], "notes": "新 notes"}}],
            "stakeholders": [{"before": cto, "after": {**cto, "stance": "opponent"}}],
        },
    }
    assert service.diff(account, from_when="2", to_when="2")["added"] == {}
    assert service.diff(account, from_when="4", to_when="1")["removed"] == report["added"]


def test_as_of_refuses_revisions_and_moments_the_account_never_had(service: PowermapService, prefix: str) -> None:
    account = prefix + "x"
    service.import_map(with_id(tiny_document(), account))
    with pytest.raises(InvalidInputError, match="no revision 5"):
        service.export_map(account, as_of="5")
    with pytest.raises(HistoryNotKeptError):
        service.export_map(account, as_of="2001-01-01")
    with pytest.raises(InvalidInputError, match="ISO 8601"):
        service.analyze(account, as_of="yesterday")
    assert service.export_map(account, as_of="2999-01-01T00:00") == service.export_map(account)


def test_a_deleted_account_takes_its_history_along_and_a_new_one_goes_on_numbering(
    service: PowermapService, prefix: str
) -> None:
    account = prefix + "del"
    service.import_map(with_id(tiny_document(), account))
    service.update_account(account, {"name": "Second"})
    service.delete_account(account)
    assert service.import_map(with_id(sample_document(), account)).revision == 4
    with pytest.raises(HistoryNotKeptError):
        service.export_map(account, as_of="2")
    assert service.export_map(account, as_of="4") == normalized(with_id(sample_document(), account))


def test_pruning_keeps_the_map_in_force_at_the_cutoff_and_drops_what_is_older(
    service: PowermapService, prefix: str
) -> None:
    account = prefix + "p"
    service.import_map(with_id(tiny_document(), account))
    for name in ("B", "C", "D"):
        service.update_account(account, {"name": name})
    seen = {r: service.export_map(account, as_of=str(r)) for r in range(1, 5)}
    third = next(c for c in service.history(account)["changes"] if c["revision"] == 3)
    now = dt.datetime.fromisoformat(third["at"]) + dt.timedelta(days=30, microseconds=1)
    report = service.prune_history(account, older_than_days=30, now=now)
    assert report["kept_from"] == 3
    assert report["deleted"] > 0
    assert [c["revision"] for c in service.history(account)["changes"]] == [4, 3]
    assert {r: service.export_map(account, as_of=str(r)) for r in (3, 4)} == {3: seen[3], 4: seen[4]}
    with pytest.raises(HistoryNotKeptError):
        service.export_map(account, as_of="2")
    # an edit after pruning still reads back through the kept checkpoint
    service.update_account(account, {"name": "E"})
    assert service.export_map(account, as_of="4") == seen[4]


def test_an_erased_stakeholder_is_gone_from_every_earlier_state_diff_and_history(
    service: PowermapService, prefix: str, often_checkpointed: None
) -> None:
    account = prefix + "erase"
    document = with_id(tiny_document(), account)
    document["stakeholders"].append(
        {
            "id": "gone",
            "name": "Secret Person",
            "title": "Chief Secret",
            "level": "senior",
            "influence": 0.4,
            "notes": "private note",
        }
    )
    document["influences"] = [*document.get("influences", []), {"from": "gone", "to": "ceo", "weight": 0.4}]
    service.import_map(document)
    team = service.export_map(account)["team"]
    service.put_edge(account, EdgeKind.RELATIONSHIP, {"member": team[0]["id"], "stakeholder": "gone", "strength": 0.6})
    gone = next(s for s in service.export_map(account)["stakeholders"] if s["id"] == "gone")
    service.put_node(account, NodeKind.STAKEHOLDER, {**gone, "stance": "opponent"})
    service.put_activity(account, {"id": "a9", "type": "meal", "date": "2026-10-01", "stakeholders": ["gone", "ceo"]})
    service.update_account(account, {"name": "Renamed"})
    service.erase_stakeholder(account, "gone")

    latest = service.store.read(account).revision
    for revision in range(1, latest + 1):
        past = service.export_map(account, as_of=str(revision))
        text = json.dumps(past, ensure_ascii=False)
        assert "gone" not in text
        assert "Secret Person" not in text
        assert "private note" not in text
        assert normalized(past) == past  # still a valid map
        diff = json.dumps(service.diff(account, from_when="1", to_when=str(revision)), ensure_ascii=False)
        assert "gone" not in diff
        assert "Secret Person" not in diff
    assert "gone" not in json.dumps(service.history(account), ensure_ascii=False)
    # what stays is the rest of every earlier state: the rename is still there to see
    assert service.export_map(account, as_of=str(latest - 1))["account"]["name"] == "Renamed"
    assert service.export_map(account, as_of="1")["account"]["name"] != "Renamed"


def test_the_map_as_of_a_re_import_is_the_map_that_import_wrote(service: PowermapService, prefix: str) -> None:
    account = prefix + "again"
    first = sample_document()
    first["account"]["id"] = account
    service.import_map(first)
    second = copy.deepcopy(first)
    second["stakeholders"][0]["title"] = "Changed first"
    second["stakeholders"][-1]["title"] = "Changed last"
    service.import_map(second)
    assert service.export_map(account, as_of="2") == service.export_map(account) == normalized(second)
    assert service.export_map(account, as_of="1") == normalized(first)
