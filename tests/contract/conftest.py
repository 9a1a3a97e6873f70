"""Fixtures the store contract tests share (the ``store``, ``service`` and ``prefix`` ones are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from powermap.service import PowermapService
from powermap.store import Change
from tests.voice_factories import roadmap_document


@pytest.fixture
def roadmap(service: PowermapService, prefix: str) -> Iterator[str]:
    """Our prefixed roadmap items added to the store's roadmap; the roadmap as it was comes back afterwards."""
    before = service.store.read_roadmap()
    service.import_roadmap({"items": [*roadmap_document(prefix)["items"], *(i.model_dump() for i in before.items)]})
    yield prefix
    service.store.put_roadmap(before, Change("tester", "cleanup"), detach=True)
