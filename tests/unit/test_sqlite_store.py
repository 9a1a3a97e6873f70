"""What only the SQLite store does: its file's scrubbing after a delete, its count of pruned rows, its times kept as
UTC text whatever the machine's zone, and a fresh file's roadmap."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from powermap.errors import ConflictError, StoreUnavailableError, StoreURLError
from powermap.model import RoadmapItem, Voice, parse_account_map
from powermap.model.diff import Entry
from powermap.settings import Settings
from powermap.store import Change, open_store
from powermap.store.history import Delta
from powermap.store.sqlite import SQLiteStore, path_from_url
from tests.factories import tiny_document

CHANGE = Change("tester", "test")
TINY_ITEMS = 14  # tiny_document: the account record and its 13 items, counted by hand in tests/unit/test_history.py


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def store(path: Path) -> Iterator[SQLiteStore]:
    with open_store(f"sqlite:///{path}", Settings(sqlite_busy_timeout_s=0.2)) as opened:
        assert isinstance(opened, SQLiteStore)
        yield opened


@pytest.fixture
def beijing_time() -> Iterator[None]:
    """The machine's local zone is UTC+8 (stored times must not follow it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "Asia/Shanghai")
        time.tzset()
        yield
    time.tzset()


# -- scrubbing the file ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("holds", "message"),
    [
        (
            ("BEGIN", "SELECT count(*) FROM accounts"),  # a reader keeps its snapshot of the WAL
            "the data is deleted, but another process is reading the SQLite store, so its WAL could not "
            "be emptied yet; run `powermap db scrub` when no other process uses the store",
        ),
        (
            ("BEGIN IMMEDIATE",),  # a writer holds the lock VACUUM needs
            "the data is deleted, but the SQLite file could not be rewritten yet (database is locked); "
            "run `powermap db scrub` when no other process uses the store",
        ),
    ],
    ids=["reader", "writer"],
)
def test_scrubbing_while_another_process_uses_the_file_says_what_is_left_to_do(
    store: SQLiteStore, path: Path, holds: tuple[str, ...], message: str
) -> None:
    store.put_map(parse_account_map(tiny_document()), CHANGE)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in holds:
            other.execute(statement).fetchall()
        with pytest.raises(StoreUnavailableError) as refused:
            store.scrub_files()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert str(refused.value) == message
    store.scrub_files()  # once the other process is done, it goes through


# -- pruning history: the rows that went --------------------------------------------------------------------


def test_pruning_history_counts_the_rows_it_deleted(store: SQLiteStore) -> None:
    """Rows of history items, of heads and of the change log, worked out by hand for three writes."""
    document = tiny_document()
    store.put_map(parse_account_map(document), Change("tester", "import", history=Delta((), document, TINY_ITEMS)))
    for revision, stance in ((1, "champion"), (2, "opponent")):
        before = document["stakeholders"][0]
        after = {**before, "stance": stance}
        delta = Delta((Entry("stakeholders", ("ceo",), before, after),), None, TINY_ITEMS)
        store.update_account(
            parse_account_map(document).account, Change("tester", "edit", history=delta), expected_revision=revision
        )
    store.write_checkpoint("tiny", 3, [Entry("account", (), None, document["account"])])
    # Revision 1's checkpoint (copied from the live map by the first edit): 14 items; the deltas of
    # revisions 2 and 3: 1 item each; the heads of revisions 1 and 2; the change log's revisions 1 and 2.
    assert store.prune_history("tiny", 3) == TINY_ITEMS + 1 + 1 + 2 + 2
    assert store.history_since_checkpoint("tiny") == (3, 0)
    assert [c.revision for c in store.list_changes("tiny")] == [3]


# -- times are UTC text, whatever the machine's zone ----------------------------------------------------------


@pytest.mark.usefixtures("beijing_time")
def test_the_revision_in_force_at_a_moment_does_not_follow_the_machines_zone(store: SQLiteStore) -> None:
    store.put_map(parse_account_map(tiny_document()), CHANGE)
    now = dt.datetime.now(dt.UTC)
    assert store.revision_at("tiny", now - dt.timedelta(hours=1)) is None  # before the account existed
    assert store.revision_at("tiny", now + dt.timedelta(hours=1)) == 1


@pytest.mark.usefixtures("beijing_time")
def test_pruning_the_roadmaps_log_does_not_follow_the_machines_zone(store: SQLiteStore) -> None:
    store.put_roadmap_item(RoadmapItem(id="r1", title="SSO"), CHANGE)
    now = dt.datetime.now(dt.UTC)
    assert store.prune_roadmap_changes(now - dt.timedelta(hours=1)) == 0  # nothing is that old
    assert [c.revision for c in store.list_roadmap_changes()] == [1]
    assert store.prune_roadmap_changes(now + dt.timedelta(hours=1)) == 1
    assert store.roadmap_revision() == 1  # the revision never goes back


# -- a fresh file -----------------------------------------------------------------------------------------------


def test_a_fresh_stores_roadmap_is_empty_at_revision_0(store: SQLiteStore) -> None:
    assert store.roadmap_revision() == 0
    roadmap, revision = store.read_roadmap_at()
    assert (roadmap.items, revision) == ((), 0)
    assert store.list_roadmap_changes() == []


# -- what history keeps ---------------------------------------------------------------------------------------


def one_change(document: dict[str, Any], stance: str) -> Delta:
    before = document["stakeholders"][0]
    return Delta((Entry("stakeholders", ("ceo",), before, {**before, "stance": stance}),), None, TINY_ITEMS)


def test_history_since_the_last_checkpoint_counts_the_delta_items_after_it(store: SQLiteStore) -> None:
    document = tiny_document()
    account = parse_account_map(document).account
    store.put_map(parse_account_map(document), Change("tester", "import", history=one_change(document, "champion")))
    assert store.history_since_checkpoint("tiny") == (None, 1)  # a delta, and no checkpoint yet
    store.update_account(account, Change("t", "edit", history=one_change(document, "opponent")), expected_revision=1)
    store.write_checkpoint("tiny", 2, [Entry("account", (), None, document["account"])])
    store.update_account(account, Change("t", "edit", history=one_change(document, "neutral")), expected_revision=2)
    assert store.history_since_checkpoint("tiny") == (2, 1)


def test_an_import_that_keeps_the_map_is_the_checkpoint_and_an_edit_is_not(store: SQLiteStore) -> None:
    document = tiny_document()
    kept = Delta((), document, TINY_ITEMS)
    store.put_map(parse_account_map(document), Change("tester", "import", history=kept))
    assert store.history_since_checkpoint("tiny") == (1, 0)
    edit = Change("tester", "edit", history=one_change(document, "champion"))
    store.update_account(parse_account_map(document).account, edit, expected_revision=1)
    assert store.history_since_checkpoint("tiny") == (1, 1)


# -- pages of change logs ------------------------------------------------------------------------------------


def test_a_change_log_comes_fifty_changes_to_a_page_by_default(store: SQLiteStore) -> None:
    account = parse_account_map(tiny_document()).account
    store.put_map(parse_account_map(tiny_document()), CHANGE)
    for revision in range(1, 52):
        store.update_account(account, CHANGE, expected_revision=revision)
        store.put_roadmap_item(RoadmapItem(id=f"r{revision}", title="t"), CHANGE)
    assert [c.revision for c in store.list_changes("tiny")] == list(range(52, 2, -1))
    assert [c.revision for c in store.list_roadmap_changes()] == list(range(51, 1, -1))


# -- a voice naming a roadmap item removed meanwhile ------------------------------------------------------------


def test_a_voice_naming_a_roadmap_item_that_is_gone_is_a_conflict_to_retry(store: SQLiteStore) -> None:
    store.put_map(parse_account_map(tiny_document()), CHANGE)
    voice = Voice(id="v1", stakeholder="cto", date=dt.date(2026, 11, 2), text="t", roadmap=("gone",))
    with pytest.raises(ConflictError) as refused:
        store.put_voice("tiny", voice, CHANGE, expected_revision=1)
    assert str(refused.value) == "roadmap item 'gone' was removed meanwhile; read the roadmap again and retry"
    assert store.read("tiny").account_map.voices == ()


# -- the URL ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["sqlite:///", "sqlite://host/store.db", "sqlite:/store.db"])
def test_a_sqlite_url_without_a_file_path_after_three_slashes_is_refused(url: str) -> None:
    with pytest.raises(StoreURLError) as refused:
        SQLiteStore(url)
    assert str(refused.value) == f"a SQLite store URL looks like sqlite:///path/to/file.db, not {url!r}"


def test_three_slashes_then_a_relative_or_absolute_path_name_the_file(tmp_path: Path) -> None:
    assert path_from_url("sqlite:///powermap.db") == "powermap.db"
    assert path_from_url(f"sqlite:///{tmp_path}/x.db") == f"{tmp_path}/x.db"
    assert path_from_url("sqlite:///:memory:") == ":memory:"
