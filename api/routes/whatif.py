"""What-if and single-champion risk (issue 8): the same JSON as ``powermap whatif`` / ``dependency --json``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from powermap.api.deps import ReadAccount, ServiceDep
from powermap.api.problems import COMMON_RESPONSES
from powermap.model.reports import DependencyReport, WhatIfReport

router = APIRouter(tags=["analysis"])


@router.post("/accounts/{account}/whatif", response_model=WhatIfReport, responses=COMMON_RESPONSES)
def whatif(
    account: ReadAccount,
    service: ServiceDep,
    plan: Annotated[Any, Body(description="A powermap-plan/v1 plan: {format, steps: [put | remove | activity]}")],
) -> Any:
    """``analyze`` before and after a plan applied to a copy of the map; nothing is stored (a read).

    A plan that breaks the contract is refused as a whole, every problem named with its place in the plan.
    """
    return service.whatif(account, plan)


@router.get("/accounts/{account}/dependency", response_model=DependencyReport, responses=COMMON_RESPONSES)
def dependency(account: ReadAccount, service: ServiceDep) -> Any:
    """Single-champion risk: coverage, support and reach lost if each member or stakeholder left."""
    return service.dependency(account)
