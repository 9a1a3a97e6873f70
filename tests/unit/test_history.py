"""History's shared records without a store: deltas and their checkpoint policy, rebuilding a revision,
chunks of stored entries (Neo4j's history path), forgetting a person, and reading "when"."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from powermap.errors import HistoryNotKeptError, InvalidInputError
from powermap.model import parse_account_map
from powermap.model.diff import Entry
from powermap.store.history import (
    CHUNK_CHARS,
    CHUNK_ENTRIES,
    HistoryRows,
    checkpoint_entries,
    chunked,
    delta_between,
    detached_entry,
    document_size,
    edit_delta,
    entries_diff,
    forget_entry,
    map_size,
    parse_when,
    rebuild,
    unchunked,
)
from tests.factories import tiny_document

#: tiny_document's items, counted by hand: the account record, 1 competitor, 2 of our team,
#: 3 stakeholders, 2 reporting lines, 2 influences, 1 relationship, 1 competitor tie, 1 activity.
TINY_ITEMS = 1 + 1 + 2 + 3 + 2 + 2 + 1 + 1 + 1
ACME = {"id": "acme", "name": "Acme", "industry": "test", "notes": ""}


def person(person_id: str, stance: str = "neutral") -> dict[str, Any]:
    return {"id": person_id, "name": person_id.upper(), "stance": stance}


def noted(list_name: str, item_id: str, chars: int) -> Entry:
    """An added item whose stored text (``Entry.dumps``) is exactly ``chars`` characters long."""
    bare = len(Entry(list_name, (item_id,), None, {"id": item_id, "notes": ""}).dumps())
    entry = Entry(list_name, (item_id,), None, {"id": item_id, "notes": "n" * (chars - bare)})
    assert len(entry.dumps()) == chars
    return entry


def stored(entry: Entry) -> dict[str, Any]:
    """An entry as Neo4j stores it, written out by hand: list, key as a JSON list, both sides."""
    return {"list": entry.list, "key": list(entry.key), "before": entry.before, "after": entry.after}


# -- sizes ---------------------------------------------------------------------------------------------


def test_a_maps_size_counts_its_items_and_the_account_record_as_one() -> None:
    assert document_size(tiny_document()) == TINY_ITEMS
    assert map_size(parse_account_map(tiny_document())) == TINY_ITEMS


def test_a_documents_missing_or_null_lists_count_as_empty() -> None:
    assert document_size({"account": ACME}) == 1
    assert document_size({"account": ACME, "stakeholders": None, "team": [person("li")]}) == 2


# -- deltas and when a write keeps the whole map ------------------------------------------------------


def test_a_new_accounts_first_write_keeps_the_map_and_counts_every_item_as_added() -> None:
    document = tiny_document()
    delta, counts = delta_between(None, document)
    assert delta.entries == ()
    assert delta.kept_map is document
    assert delta.keeps_map
    assert delta.size == TINY_ITEMS
    assert counts["account"] == {"added": 1, "removed": 0, "changed": 0}
    expected = {"competitors": 1, "team": 2, "stakeholders": 3, "reports_to": 2, "influences": 2}
    expected |= {"relationships": 1, "competitor_relationships": 1, "activities": 1, "voices": 0}
    assert {name: counts[name]["added"] for name in expected} == expected
    assert all(counts[name]["removed"] == counts[name]["changed"] == 0 for name in expected)


def test_a_small_change_is_kept_as_a_delta_with_the_item_before_and_after() -> None:
    before = tiny_document()
    after = copy.deepcopy(before)
    after["stakeholders"][1]["stance"] = "champion"
    delta, counts = delta_between(before, after)
    assert delta.kept_map is None
    assert not delta.keeps_map
    assert delta.size == TINY_ITEMS
    assert delta.entries == (Entry("stakeholders", ("cto",), before["stakeholders"][1], after["stakeholders"][1]),)
    assert counts["stakeholders"] == {"added": 0, "removed": 0, "changed": 1}
    assert counts["account"] == {"added": 0, "removed": 0, "changed": 0}


def test_an_unchanged_import_is_an_empty_delta() -> None:
    delta, counts = delta_between(tiny_document(), tiny_document())
    assert (delta.entries, delta.kept_map, delta.size) == ((), None, TINY_ITEMS)
    assert all(sum(bucket.values()) == 0 for bucket in counts.values())


def test_an_import_that_reorders_items_keeps_the_whole_map_since_a_delta_cannot_say_so() -> None:
    before = tiny_document()
    after = copy.deepcopy(before)
    after["stakeholders"].reverse()
    delta, counts = delta_between(before, after)
    assert delta.kept_map is after
    assert delta.entries == ()
    assert all(sum(bucket.values()) == 0 for bucket in counts.values())


def test_a_delta_as_large_as_the_map_keeps_the_map_instead() -> None:
    # One stakeholder replaced by another: two entries (removed, added) for a map of two items.
    before = {"account": ACME, "stakeholders": [person("x")]}
    after = {"account": ACME, "stakeholders": [person("y")]}
    delta, counts = delta_between(before, after)
    assert delta.kept_map is after
    assert delta.size == 2
    assert counts["stakeholders"] == {"added": 1, "removed": 1, "changed": 0}


def test_a_delta_one_item_smaller_than_the_map_is_kept_as_a_delta() -> None:
    # Two entries (removed, added) for a map of three items.
    before = {"account": ACME, "stakeholders": [person("k"), person("x")]}
    after = {"account": ACME, "stakeholders": [person("k"), person("y")]}
    delta, _ = delta_between(before, after)
    assert delta.kept_map is None
    assert [(e.key, e.before is None, e.after is None) for e in delta.entries] == [
        (("x",), False, True),
        (("y",), True, False),
    ]


def test_keys_beside_the_account_and_the_lists_never_force_a_whole_map() -> None:
    before = {"format": "powermap/v1", "account": ACME, "stakeholders": [person("k"), person("x")]}
    after = {"account": ACME, "stakeholders": [person("k"), person("x", "champion")]}
    delta, _ = delta_between(before, after)
    assert delta.kept_map is None
    assert len(delta.entries) == 1


def test_an_edits_delta_is_the_diff_of_the_two_maps_and_the_size_after_it() -> None:
    before = tiny_document()
    after = copy.deepcopy(before)
    removed = after["activities"].pop()
    delta = edit_delta(parse_account_map(before), parse_account_map(after))
    assert delta.kept_map is None
    assert delta.size == TINY_ITEMS - 1
    assert [(e.list, e.key, e.after) for e in delta.entries] == [("activities", (removed["id"],), None)]
    assert delta.entries[0].before is not None
    assert delta.entries[0].before["outcome"] == removed["outcome"]


def test_a_checkpoint_is_every_item_added_in_document_order() -> None:
    document: dict[str, Any] = {
        "account": ACME,
        "team": [{"id": "li", "name": "Li"}],
        "stakeholders": [person("b"), person("a")],
        "reports_to": [{"from": "b", "to": "a"}],
    }
    entries = checkpoint_entries(document)
    assert [(e.list, e.key) for e in entries] == [
        ("account", ()),
        ("team", ("li",)),
        ("stakeholders", ("b",)),
        ("stakeholders", ("a",)),
        ("reports_to", ("b", "a")),
    ]
    assert all(e.before is None for e in entries)
    items = [ACME, document["team"][0], *document["stakeholders"], document["reports_to"][0]]
    assert [e.after for e in entries] == items


def test_a_kept_maps_checkpoint_is_computed_from_it_and_a_delta_has_none() -> None:
    delta, _ = delta_between(None, {"account": ACME, "stakeholders": [person("x")]})
    assert delta.checkpoint == (Entry("account", (), None, ACME), Entry("stakeholders", ("x",), None, person("x")))
    assert delta_between(tiny_document(), tiny_document())[0].checkpoint is None


def test_entries_make_a_diff_that_counts_them() -> None:
    entries = [Entry("stakeholders", ("x",), None, person("x")), Entry("stakeholders", ("y",), person("y"), None)]
    diff = entries_diff(iter(entries))
    assert diff.entries == tuple(entries)
    assert diff.counts()["stakeholders"] == {"added": 1, "removed": 1, "changed": 0}


# -- rebuilding a revision ----------------------------------------------------------------------------


def test_a_revision_is_its_checkpoint_with_the_later_deltas_applied_in_order() -> None:
    rows = HistoryRows(
        checkpoint_revision=3,
        checkpoint=[Entry("account", (), None, ACME), Entry("stakeholders", ("x",), None, person("x"))],
        deltas=[
            (4, [Entry("stakeholders", ("y",), None, person("y"))]),
            (5, [Entry("stakeholders", ("x",), {}, person("x", "champion"))]),
        ],
        heads=[4, 5],
    )
    document = rebuild("acme", 5, rows)
    assert document == {
        "format": "powermap/v1",
        "account": ACME,
        "competitors": [],
        "team": [],
        "stakeholders": [person("x", "champion"), person("y")],
        "reports_to": [],
        "influences": [],
        "relationships": [],
        "competitor_relationships": [],
        "activities": [],
        "voices": [],
    }
    assert next(iter(document)) == "format"


def test_no_checkpoint_means_no_kept_state() -> None:
    with pytest.raises(HistoryNotKeptError, match="'acme' has no kept state at revision 2: it is before"):
        rebuild("acme", 2, None)


def test_a_revision_between_that_recorded_no_history_is_named() -> None:
    rows = HistoryRows(1, [Entry("account", (), None, ACME)], [(3, [])], heads=[3, 5])
    with pytest.raises(HistoryNotKeptError, match="at revision 6: revision 2 recorded no history"):
        rebuild("acme", 6, rows)
    assert rebuild("acme", 1, rows)["account"] == ACME  # nothing between the checkpoint and revision 1


def test_a_checkpoint_without_the_account_record_is_no_kept_state() -> None:
    rows = HistoryRows(1, [Entry("stakeholders", ("x",), None, person("x"))])
    with pytest.raises(HistoryNotKeptError, match="at revision 1: it is before the account existed"):
        rebuild("acme", 1, rows)


def test_a_delta_that_removes_the_account_record_leaves_no_kept_state() -> None:
    rows = HistoryRows(1, [Entry("account", (), None, ACME)], [(2, [Entry("account", (), ACME, None)])], heads=[2])
    with pytest.raises(HistoryNotKeptError, match="at revision 2"):
        rebuild("acme", 2, rows)


# -- chunks of stored entries (Neo4j keeps history as chunks of JSON strings) ---------------------------


def test_entries_are_stored_as_their_json_in_one_chunk_when_few() -> None:
    entries = [
        Entry("account", (), None, {**ACME, "notes": '陈伟 "quoted" <script>alert(1)</script>'}),
        Entry("reports_to", ("cto", "ceo"), {"from": "cto", "to": "ceo"}, None),
    ]
    chunks = chunked(entries, checkpoint=True)
    assert [(c["checkpoint"], c["seq"], len(c["entries"])) for c in chunks] == [(True, 0, 2)]
    assert [json.loads(text) for text in chunks[0]["entries"]] == [stored(e) for e in entries]
    assert "陈伟" in chunks[0]["entries"][0]  # kept as text, not \u-escaped


def test_no_entries_make_no_chunks() -> None:
    assert chunked([], checkpoint=False) == []


def test_a_chunk_holds_at_most_500_entries_and_chunks_are_numbered_in_order() -> None:
    entries = [Entry("stakeholders", (f"s{i}",), None, person(f"s{i}")) for i in range(2 * CHUNK_ENTRIES + 1)]
    chunks = chunked(entries, checkpoint=False)
    assert CHUNK_ENTRIES == 500
    assert [(c["checkpoint"], c["seq"], len(c["entries"])) for c in chunks] == [
        (False, 0, 500),
        (False, 1, 500),
        (False, 2, 1),
    ]
    assert unchunked(text for c in chunks for text in c["entries"]) == entries


def test_a_chunk_holds_at_most_a_million_characters() -> None:
    assert CHUNK_CHARS == 1_000_000
    exactly = [noted("stakeholders", "a", 600_000), noted("stakeholders", "b", 400_000)]
    assert [len(c["entries"]) for c in chunked(exactly, checkpoint=True)] == [2]
    over = [noted("stakeholders", "a", 600_000), noted("stakeholders", "b", 400_001)]
    assert [len(c["entries"]) for c in chunked(over, checkpoint=True)] == [1, 1]


def test_a_new_chunk_starts_counting_characters_afresh() -> None:
    entries = [noted("voices", "a", 600_000), noted("voices", "b", 600_000), noted("voices", "c", 400_000)]
    chunks = chunked(entries, checkpoint=False)
    keys = [(c["seq"], [json.loads(t)["key"] for t in c["entries"]]) for c in chunks]
    assert keys == [(0, [["a"]]), (1, [["b"], ["c"]])]


def test_a_chunk_adds_up_the_characters_of_all_its_entries() -> None:
    entries = [noted("voices", name, 400_000) for name in ("a", "b", "c")]
    assert [len(c["entries"]) for c in chunked(entries, checkpoint=False)] == [2, 1]


def test_an_entry_larger_than_a_chunk_gets_a_chunk_of_its_own() -> None:
    huge = noted("voices", "big", CHUNK_CHARS + 10)
    assert [len(c["entries"]) for c in chunked([huge], checkpoint=True)] == [1]
    small = noted("voices", "small", 100)
    chunks = chunked([small, huge, small], checkpoint=True)
    assert [(c["seq"], len(c["entries"])) for c in chunks] == [(0, 1), (1, 1), (2, 1)]


def test_stored_entries_read_back_as_the_entries_written() -> None:
    texts = [
        '{"list":"stakeholders","key":["中文"],"before":null,"after":{"id":"中文","name":"陈伟"}}',
        '{"list":"influences","key":["a","b"],"before":{"from":"a","to":"b","weight":0.5},"after":null}',
    ]
    assert unchunked(texts) == [
        Entry("stakeholders", ("中文",), None, {"id": "中文", "name": "陈伟"}),
        Entry("influences", ("a", "b"), {"from": "a", "to": "b", "weight": 0.5}, None),
    ]


# -- forgetting a person in history ---------------------------------------------------------------------


def test_a_checkpoint_forgets_the_persons_own_item_and_keeps_everyone_elses() -> None:
    assert forget_entry(Entry("stakeholders", ("x",), None, person("x")), "x", checkpoint=True) is None
    other = Entry("stakeholders", ("y",), None, person("y"))
    assert forget_entry(other, "x", checkpoint=True) == other


def test_a_checkpoint_activity_drops_only_the_person_from_its_list() -> None:
    entry = Entry("activities", ("a1",), None, {"id": "a1", "members": ["li"], "stakeholders": ["x", "y"]})
    assert forget_entry(entry, "x", checkpoint=True) == Entry(
        "activities", ("a1",), None, {"id": "a1", "members": ["li"], "stakeholders": ["y"]}
    )


def test_a_checkpoint_entry_with_nothing_after_it_goes() -> None:
    assert forget_entry(Entry("stakeholders", ("y",), person("y"), None), "x", checkpoint=True) is None


def test_a_delta_that_only_the_person_made_goes_and_others_keep_their_two_sides() -> None:
    added = Entry("stakeholders", ("x",), None, person("x"))
    assert forget_entry(added, "x", checkpoint=False) is None
    joined = Entry("activities", ("a1",), {"id": "a1", "stakeholders": []}, {"id": "a1", "stakeholders": ["x"]})
    assert forget_entry(joined, "x", checkpoint=False) is None
    both = Entry("activities", ("a1",), {"id": "a1", "stakeholders": ["x"]}, {"id": "a1", "stakeholders": ["x", "y"]})
    assert forget_entry(both, "x", checkpoint=False) == Entry(
        "activities", ("a1",), {"id": "a1", "stakeholders": []}, {"id": "a1", "stakeholders": ["y"]}
    )
    other = Entry("stakeholders", ("y",), person("y"), person("y", "champion"))
    assert forget_entry(other, "x", checkpoint=False) == other


# -- detaching roadmap items from a voice -------------------------------------------------------------------


def test_a_detached_voice_keeps_everything_but_the_items_taken_out() -> None:
    voice = {
        "id": "v1",
        "stakeholder": "cto",
        "date": "2026-11-02",
        "channel": "other",
        "activity": None,
        "text": "需要 SSO",
        "category": "unscreened",
        "priority": None,
        "flow": "none",
        "owner": "",
        "status": "new",
        "roadmap": ["r1", "r2", "r3"],
        "closed_on": None,
        "satisfaction": None,
    }
    entry = detached_entry(voice, ["r2", "r9"])
    assert (entry.list, entry.key) == ("voices", ("v1",))
    assert entry.before == voice
    assert entry.after == {**voice, "roadmap": ["r1", "r3"]}


# -- "when": a revision or a moment -------------------------------------------------------------------------


def test_a_number_is_a_revision() -> None:
    assert parse_when("12") == 12
    assert parse_when(" 7\n") == 7


def test_a_time_without_a_zone_is_utc_and_one_with_a_zone_keeps_it() -> None:
    assert parse_when("2026-11-01T08:00") == dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
    beijing = parse_when(" 2026-11-01T08:00+08:00 ")
    assert isinstance(beijing, dt.datetime)
    assert beijing == dt.datetime(2026, 11, 1, 0, 0, tzinfo=dt.UTC)
    assert beijing.utcoffset() == dt.timedelta(hours=8)


@pytest.mark.parametrize("text", ["yesterday", "-3", "2026-13-01", ""])
def test_anything_else_is_refused_naming_what_was_given_and_what_would_do(text: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse_when(text)
    assert str(refused.value) == (
        f"{text!r} is neither a revision number nor an ISO 8601 time (like 2026-11-01 or 2026-11-01T08:00Z)"
    )


def test_the_revision_asked_for_must_itself_have_recorded_history() -> None:
    rows = HistoryRows(1, [Entry("account", (), None, ACME)], [(2, [])], heads=[2])
    assert rebuild("acme", 2, rows)["account"] == ACME
    with pytest.raises(HistoryNotKeptError, match="at revision 3: revision 3 recorded no history"):
        rebuild("acme", 3, rows)
