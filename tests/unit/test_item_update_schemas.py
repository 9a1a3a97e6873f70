"""Partial updates: what they hand on is plain JSON, and their JSON Schema offers null only where it is allowed."""

from __future__ import annotations

import json

import pytest

from powermap.model import items
from powermap.model.items import ActivityUpdate, ItemUpdate, VoiceUpdate

UPDATES = sorted(
    (model for model in vars(items).values() if isinstance(model, type) and issubclass(model, ItemUpdate)),
    key=lambda model: model.__name__,
)


def test_an_updates_changes_are_json_ready() -> None:
    update = ActivityUpdate.model_validate({"date": "2026-11-02", "members": ["li"], "type": "meal"})
    assert update.changes() == {"date": "2026-11-02", "members": ["li"], "type": "meal"}
    closing = VoiceUpdate.model_validate({"status": "resolved", "closed_on": "2026-11-03", "priority": None})
    assert json.loads(json.dumps(closing.changes())) == {
        "status": "resolved",
        "closed_on": "2026-11-03",
        "priority": None,
    }


@pytest.mark.parametrize("model", UPDATES, ids=lambda model: model.__name__)
def test_an_update_schema_offers_null_only_for_the_fields_the_contract_lets_be_null(model: type[ItemUpdate]) -> None:
    for name, prop in model.model_json_schema().get("properties", {}).items():
        offers_null = {"type": "null"} in prop.get("anyOf", [])
        assert offers_null == (name in model.nullable), name
        if name not in model.nullable:
            assert "default" not in prop, name  # a default of null would invite the null the validator refuses
