"""Personal data (issue 11): what an account holds about one person, and erasing them. Admin keys only.

The same use cases as ``powermap person`` and ``powermap erase`` (``docs/personal-data.md``). Both are
admin-only: the export gathers everything about a person in one answer, and the erasure cannot be undone.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from powermap.api.deps import AdminAccount, ServiceDep
from powermap.api.problems import COMMON_RESPONSES, WRITE_RESPONSES
from powermap.model.reports import ErasureReport, PersonalDataReport

router = APIRouter(tags=["personal data"])


@router.get(
    "/accounts/{account}/stakeholders/{stakeholder}/personal-data",
    response_model=PersonalDataReport,
    responses=COMMON_RESPONSES,
)
def personal_data(account: AdminAccount, stakeholder: str, service: ServiceDep) -> Any:
    """Everything the account holds about one stakeholder (``powermap person --json``): a subject-access export."""
    return service.person(account, stakeholder)


@router.post(
    "/accounts/{account}/stakeholders/{stakeholder}/erase", response_model=ErasureReport, responses=WRITE_RESPONSES
)
def erase(account: AdminAccount, stakeholder: str, service: ServiceDep) -> Any:
    """Erase a stakeholder from the account's map and its whole history (``powermap erase --json``).

    Their node, lines, id in activities, voices and every trace in earlier moments go; one nameless
    change records that an erasure happened. This cannot be undone.
    """
    result = service.erase_stakeholder(account, stakeholder)
    return ErasureReport(
        account=result.account,
        stakeholder=stakeholder,
        revision=result.revision,
        dropped=result.dropped,
        changed=result.changed,
    )
