"""A store's read is trusted (issue 6): it holds only maps validated on the way in, so reading one back
builds the model from the item shapes alone and never runs the document's cross-checks again."""

from __future__ import annotations

import pytest

from powermap.model import parse_account_map, validation
from powermap.service import PowermapService
from powermap.store import Store
from tests.contract.test_store_contract import with_id
from tests.factories import sample_document


def test_reading_a_stored_map_never_runs_the_documents_cross_checks_again(
    store: Store, prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = prefix + "trusted"
    document = with_id(sample_document(), account)
    PowermapService(store).import_map(document)
    expected = parse_account_map(document)  # checked here, before the checks are replaced below

    def refuse(*_: object, **__: object) -> list[object]:
        raise AssertionError("a read re-ran the document's validation")

    monkeypatch.setattr(validation, "_reference_problems", refuse)
    monkeypatch.setattr(validation, "voice_problems", refuse)
    monkeypatch.setattr(validation, "parse_account_map", refuse)
    assert store.read(account).account_map == expected
