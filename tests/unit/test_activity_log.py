"""The body of ``POST /accounts/{a}/activities/log`` as the service takes it: the fields given, in JSON."""

from __future__ import annotations

from powermap.model.activity_log import ActivityLog


def test_a_logged_activity_passes_on_the_fields_given_in_json_and_leaves_out_the_unset_ones() -> None:
    body = ActivityLog.model_validate(
        {"type": "meal", "date": "2026-11-02", "stakeholders": ["cfo"], "stance": "supporter", "strength": 0.4}
    )
    assert body.document() == {
        "type": "meal",
        "date": "2026-11-02",
        "members": [],
        "stakeholders": ["cfo"],
        "outcome": "",
        "notes": "",
        "stance": "supporter",
        "strength": 0.4,
    }


def test_a_logged_activity_without_id_date_or_effect_leaves_them_to_the_service() -> None:
    body = ActivityLog.model_validate({"type": "call", "members": ["li"], "stakeholders": ["cto"], "outcome": "ok"})
    assert body.document() == {"type": "call", "members": ["li"], "stakeholders": ["cto"], "outcome": "ok", "notes": ""}
