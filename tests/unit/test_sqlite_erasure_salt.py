"""The SQLite store's erasure salt: made once by the first writer, then only read."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from powermap.settings import Settings
from powermap.store import open_store


def test_a_writer_that_found_no_salt_but_lost_the_race_takes_the_salt_the_winner_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Store B finds no salt; before B writes one, store A (another process, say) makes its own. B must end
    # with A's salt, never replace it: fingerprints already made with A's salt would stop matching.
    url = f"sqlite:///{tmp_path}/store.db"
    with open_store(url, Settings()) as first, open_store(url, Settings()) as second:
        made: list[bytes] = []
        token_hex = secrets.token_hex

        def the_other_writer_wins_first(size: int) -> str:
            if not made:
                monkeypatch.setattr(secrets, "token_hex", token_hex)
                made.append(first.erasure_salt())
            return token_hex(size)

        monkeypatch.setattr(secrets, "token_hex", the_other_writer_wins_first)
        assert second.erasure_salt() == made[0]
        assert first.erasure_salt() == second.erasure_salt() == made[0]
