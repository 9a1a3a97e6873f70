"""The typed models of the API: reports mirror the analyses' shapes; updates refuse what they must."""

from __future__ import annotations

from typing import Any, get_type_hints

import pytest
from pydantic import BaseModel, ValidationError

from powermap.analysis.coverage import Gap
from powermap.analysis.forecast import DecisionMakerLean, Forecast
from powermap.analysis.paths import IntroPath
from powermap.analysis.recommend import Recommendation
from powermap.model import LIST_BY_NAME
from powermap.model.items import (
    AccountUpdate,
    ItemUpdate,
    RelationshipUpdate,
    ReportsToUpdate,
    StakeholderUpdate,
)
from powermap.model.reports import (
    DecisionMakerLeanReport,
    ForecastReport,
    GapReport,
    PathReport,
    RecommendationReport,
)


@pytest.mark.parametrize(
    ("report", "shape"),
    [
        (GapReport, Gap),
        (DecisionMakerLeanReport, DecisionMakerLean),
        (ForecastReport, Forecast),
        (PathReport, IntroPath),
        (RecommendationReport, Recommendation),
    ],
)
def test_each_report_model_has_exactly_the_fields_of_its_analysis(report: type[BaseModel], shape: Any) -> None:
    assert set(report.model_fields) == set(get_type_hints(shape))


def test_every_update_model_names_only_fields_of_its_item_and_never_its_key() -> None:
    from powermap.model.items import (
        ActivityUpdate,
        CompetitorRelationshipUpdate,
        CompetitorUpdate,
        InfluenceUpdate,
        TeamMemberUpdate,
    )

    updates: dict[str, type[ItemUpdate]] = {
        "stakeholders": StakeholderUpdate,
        "team": TeamMemberUpdate,
        "competitors": CompetitorUpdate,
        "activities": ActivityUpdate,
        "reports_to": ReportsToUpdate,
        "influences": InfluenceUpdate,
        "relationships": RelationshipUpdate,
        "competitor_relationships": CompetitorRelationshipUpdate,
    }
    for list_name, update in updates.items():
        spec = LIST_BY_NAME[list_name]
        contract_fields = {field.alias or name for name, field in spec.model.model_fields.items()}
        assert set(update.model_fields) == contract_fields - set(spec.key), list_name


def test_an_update_keeps_only_the_fields_given() -> None:
    assert StakeholderUpdate.model_validate({"stance": "champion"}).changes() == {"stance": "champion"}
    assert AccountUpdate.model_validate({}).changes() == {}


def test_null_is_refused_except_where_the_contract_allows_it() -> None:
    with pytest.raises(ValidationError, match="name may not be null"):
        StakeholderUpdate.model_validate({"name": None})
    assert RelationshipUpdate.model_validate({"last_contact": None}).changes() == {"last_contact": None}
    schema = StakeholderUpdate.model_json_schema()["properties"]
    assert schema["name"]["type"] == "string"
    assert "anyOf" in RelationshipUpdate.model_json_schema()["properties"]["last_contact"]


def test_unknown_fields_and_ids_are_refused_in_updates() -> None:
    with pytest.raises(ValidationError):
        StakeholderUpdate.model_validate({"is_admin": True})
    with pytest.raises(ValidationError):
        StakeholderUpdate.model_validate({"id": "other"})
    with pytest.raises(ValidationError):
        ReportsToUpdate.model_validate({"from": "x"})
