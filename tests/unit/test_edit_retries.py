"""Edits that lose a race are retried on a fresh snapshot after a growing, random pause (a fake store, no I/O).

The slow end-to-end test (many processes on one SQLite file) shows the result; this one pins the
mechanism: each retry reads the map again and writes against the revision it just read, pauses grow
from one attempt to the next up to a cap, and a writer that never wins gets the conflict in the end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest

import powermap.service.core as core
from powermap.errors import StaleRevisionError
from powermap.model import Account, parse_account_map
from powermap.service import PowermapService
from powermap.store import Snapshot, Store
from tests.factories import tiny_document


class RacingStore:
    """Answers reads with a map whose revision moves on each time; loses the first ``conflicts`` writes."""

    def __init__(self, conflicts: int) -> None:
        self.conflicts = conflicts
        self.revision = 10
        self.reads: list[int] = []
        self.writes: list[int] = []
        self.url = "fake://racing"

    def read(self, account_id: str) -> Snapshot:
        self.revision += 1  # someone else wrote since the last read
        self.reads.append(self.revision)
        return Snapshot(parse_account_map(tiny_document(account_id)), self.revision, dt.datetime.now(dt.UTC))

    def update_account(self, account: Account, change: Any, *, expected_revision: int) -> int:
        self.writes.append(expected_revision)
        if len(self.writes) <= self.conflicts:
            raise StaleRevisionError(account.id, expected_revision, expected_revision + 1)
        return expected_revision + 1

    # History (powermap.store.history): a checkpoint is kept, and nothing has changed since.
    def history_since_checkpoint(self, account_id: str) -> tuple[int | None, int]:
        return 1, 0

    def write_checkpoint(self, account_id: str, revision: int, entries: Any) -> None:
        raise AssertionError("no checkpoint is due")


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every pause the edit loop takes, at the top of its random range (so growth is visible)."""
    taken: list[float] = []
    monkeypatch.setattr("powermap.service.core.random.uniform", lambda low, high: high)
    monkeypatch.setattr("powermap.service.core.time.sleep", taken.append)
    return taken


def service_over(store: RacingStore) -> PowermapService:
    return PowermapService(cast(Store, store), actor="tester")


def test_each_retry_reads_a_fresh_snapshot_and_writes_against_its_revision(pauses: list[float]) -> None:
    store = RacingStore(conflicts=3)
    updated = service_over(store).update_account("tiny", {"name": "Renamed"})
    assert updated.name == "Renamed"
    assert len(store.reads) == 4
    assert store.writes == store.reads  # each write names the revision read just before it
    assert len(set(store.writes)) == 4


def test_retries_back_off_for_growing_pauses_up_to_a_cap(pauses: list[float]) -> None:
    store = RacingStore(conflicts=12)
    service_over(store).update_account("tiny", {"name": "Renamed"})
    assert len(pauses) == 12
    assert all(pause > 0.0 for pause in pauses)
    assert pauses[1] > pauses[0]
    assert pauses[5] >= 8 * pauses[2]  # exponential, not linear
    assert pauses == sorted(pauses)
    assert max(pauses) == core.EDIT_BACKOFF_CAP_S
    assert max(pauses) <= 1.0


def test_the_pause_is_random_so_racing_writers_spread_out(monkeypatch: pytest.MonkeyPatch) -> None:
    ranges: list[tuple[float, float]] = []

    def uniform(low: float, high: float) -> float:
        ranges.append((low, high))
        return low

    monkeypatch.setattr("powermap.service.core.random.uniform", uniform)
    monkeypatch.setattr("powermap.service.core.time.sleep", lambda _: None)
    service_over(RacingStore(conflicts=2)).update_account("tiny", {"name": "Renamed"})
    assert len(ranges) == 2
    assert all(low == 0.0 < high for low, high in ranges)


def test_a_writer_that_never_wins_gets_the_conflict_after_the_last_attempt(pauses: list[float]) -> None:
    store = RacingStore(conflicts=10_000)
    with pytest.raises(StaleRevisionError):
        service_over(store).update_account("tiny", {"name": "Renamed"})
    assert len(store.writes) == core.EDIT_ATTEMPTS
    assert len(pauses) == core.EDIT_ATTEMPTS - 1  # no pause after the last refusal


def test_an_edit_made_against_a_revision_the_caller_saw_is_never_retried(pauses: list[float]) -> None:
    store = RacingStore(conflicts=1)
    with pytest.raises(StaleRevisionError):
        service_over(store).update_account_record("tiny", {"name": "Renamed"}, if_revision=11)
    assert store.writes == [11]
    assert pauses == []
