"""Property-based tests of the served OpenAPI schema (schemathesis), on every store.

Every operation is called with generated requests: no answer may be a 5xx, and every answer must match
the schema (status code, content type, body). How many per operation is
``POWERMAP_TEST_SCHEMATHESIS_EXAMPLES`` (default :data:`DEFAULT_EXAMPLES`, sized for CI's time budget;
``docs/testing.md`` records the measured cost and the last large run by hand).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from powermap.api import create_app
from powermap.service import PowermapService
from powermap.settings import Settings
from powermap.store import Store
from tests.api.conftest import MakeKey, with_account
from tests.factories import tiny_document

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
DEFAULT_EXAMPLES = 10


def examples_per_operation() -> int:
    """The examples per operation asked for in the environment (a whole number >= 1), else the CI default."""
    raw = os.environ.get("POWERMAP_TEST_SCHEMATHESIS_EXAMPLES", "").strip()
    if not raw:
        return DEFAULT_EXAMPLES
    if not raw.isdigit() or int(raw) < 1:
        raise pytest.UsageError(f"POWERMAP_TEST_SCHEMATHESIS_EXAMPLES must be a whole number >= 1, not {raw!r}")
    return int(raw)


@pytest.mark.slow
def test_every_operation_answers_within_its_schema_and_never_5xx(
    store: Store, api_settings: Settings, make_key: MakeKey, prefix: str
) -> None:
    # One real account whose id is the prefix, so generated calls on it reach real data.
    PowermapService(store, actor="tester").import_map(with_account(tiny_document(), prefix))
    app = create_app(api_settings, store=store)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = make_key("admin")
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]  # Err raises
    assert len(operations) > 40
    examples = examples_per_operation()
    failures: list[str] = []  # every failing operation, not only the first (a large run by hand lists them all)

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case: Any) -> None:
            if "account" in case.path_parameters and case.path_parameters["account"].startswith("t"):
                case.path_parameters["account"] = prefix  # steer some calls to the real account
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            call()
        except Exception as error:  # reported below with the operation it came from
            failures.append(f"{operation.label}: {type(error).__name__}: {str(error)[:2000]}")
    assert not failures, f"{len(failures)} of {len(operations)} operations failed:\n" + "\n\n".join(failures)
