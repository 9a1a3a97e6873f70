"""What-if, dependency and sharper paths over HTTP: the same JSON as the service, nothing stored by a what-if."""

from __future__ import annotations

from fastapi.testclient import TestClient

from powermap.service import PowermapService
from powermap.store import Store
from tests.api.conftest import seg

PLAN = {
    "format": "powermap-plan/v1",
    "steps": [
        {"put": {"stakeholders": [{"id": "cfo", "stance": "neutral"}]}},
        {"activity": {"type": "ice_breaking", "members": ["boss"], "stakeholders": ["ceo"], "date": "2026-11-20"}},
    ],
}


def test_whatif_answers_before_after_and_delta_and_stores_nothing(client: TestClient, account: str) -> None:
    base = f"/accounts/{seg(account)}"
    map_before = client.get(base + "/map")
    response = client.post(base + "/whatif", json=PLAN)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["before"] == client.get(base + "/analysis").json()
    assert report["delta"]["support_index"] > 0
    after_map = client.get(base + "/map")
    assert after_map.json() == map_before.json()
    assert after_map.headers["ETag"] == map_before.headers["ETag"]


def test_a_broken_plan_is_refused_naming_its_problems(client: TestClient, account: str) -> None:
    bad = {"steps": [{"activity": {"type": "site_visit", "members": ["nobody"], "stakeholders": ["cto"]}}]}
    response = client.post(f"/accounts/{seg(account)}/whatif", json=bad)
    assert response.status_code in {400, 422}
    assert "steps[0].activity.members[0]" in response.text


def test_dependency_and_constrained_paths_over_http(client: TestClient, account: str) -> None:
    base = f"/accounts/{seg(account)}"
    dependency = client.get(base + "/dependency").json()
    assert dependency["hangs_on_one_person"] is True
    assert dependency["members"][0]["member"] == "li"
    paths = client.get(base + "/paths", params={"to": "ceo", "avoid": ["cto"]}).json()
    assert paths["paths"] == []  # the CTO is Li's only way to the CEO
    short = client.get(base + "/paths", params={"to": "cfo", "max_hops": 2}).json()
    assert short["paths"] == []  # li -> cto -> ceo -> cfo takes 3 lines
    assert client.get(base + "/paths", params={"to": "cfo", "avoid_stance": "friend"}).status_code in {400, 422}


def test_openapi_describes_the_whatif_and_dependency_answers_field_by_field(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]

    def answer(path: str, method: str) -> str:
        content = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]
        return str(content["schema"]["$ref"]).rsplit("/", 1)[-1]

    whatif = schemas[answer("/accounts/{account}/whatif", "post")]
    assert set(whatif["properties"]) == {"account", "before", "after", "delta"}
    for side in ("before", "after"):  # the typed analysis report, reused
        assert whatif["properties"][side]["$ref"].endswith("/AnalysisReport")
    assert set(schemas[whatif["properties"]["delta"]["$ref"].rsplit("/", 1)[-1]]["properties"]) == {
        "support_index",
        "coverage",
    }
    dependency = schemas[answer("/accounts/{account}/dependency", "get")]
    assert {"account", "members", "stakeholders", "hangs_on_one_person", "hangs_on"} <= set(dependency["properties"])
    member_row = schemas[dependency["properties"]["members"]["items"]["$ref"].rsplit("/", 1)[-1]]
    assert set(member_row["properties"]) == {"member", "name", "coverage_drop", "support_drop", "reach_drop"}
    stakeholder_row = schemas[dependency["properties"]["stakeholders"]["items"]["$ref"].rsplit("/", 1)[-1]]
    assert set(stakeholder_row["properties"]) == {"stakeholder", "name", "coverage_drop", "support_drop", "reach_drop"}


def test_whatif_and_dependency_answers_are_the_services_documents_unchanged(
    client: TestClient, account: str, store: Store
) -> None:
    """The response models add no field and drop none: the API answers exactly what the service returns."""
    service = PowermapService(store)
    base = f"/accounts/{seg(account)}"
    assert client.get(base + "/dependency").json() == service.dependency(account)
    answer = client.post(base + "/whatif", json=PLAN).json()
    expected = service.whatif(account, PLAN)
    assert answer == expected
