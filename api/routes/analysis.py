"""Analyses: the same JSON as the CLI's ``--json`` (``analyze``, ``paths``, ``recommend``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from powermap.analysis.paths import path_constraints
from powermap.api.cached import cached_report
from powermap.api.deps import AsOf, ReadAccount, ServiceDep
from powermap.api.problems import COMMON_RESPONSES
from powermap.model.reports import AnalysisReport, PathsReport, RecommendationsReport

router = APIRouter(tags=["analysis"])

# The routes are ``async``: a report the account's revision already has is sent from the event loop
# without a thread hop (api.cached); computing one, or answering ``as_of``, runs in a worker thread.


@router.get("/accounts/{account}/analysis", response_model=AnalysisReport, responses=COMMON_RESPONSES)
async def analysis(request: Request, account: ReadAccount, service: ServiceDep, as_of: AsOf = None) -> Any:
    """Power ranking, coverage, competitor gaps, decision forecast, fading relationships (``analyze --json``)."""
    if as_of is not None:
        return await run_in_threadpool(lambda: service.analyze(account, as_of=as_of))
    day = service.fading_day()
    return await cached_report(
        request, service, account, ("analyze", day), AnalysisReport, lambda: service.analyze(account, today=day)
    )


@router.get("/accounts/{account}/paths", response_model=PathsReport, responses=COMMON_RESPONSES)
async def paths(
    request: Request,
    account: ReadAccount,
    service: ServiceDep,
    to: Annotated[str, Query(min_length=1, description="The target stakeholder's id")],
    member: Annotated[str | None, Query(alias="from", min_length=1, description="Only paths from this member")] = None,
    k: Annotated[int, Query(ge=1, le=100, description="How many paths")] = 3,
    avoid: Annotated[
        list[str] | None, Query(description="Stakeholders no path passes through, members no path starts from")
    ] = None,
    avoid_stance: Annotated[str | None, Query(description="No intermediary of these stances, comma-separated")] = None,
    max_hops: Annotated[int | None, Query(ge=1, description="At most this many lines, the first included")] = None,
    disjoint: Annotated[bool, Query(description="Each path shares no intermediary with those before it")] = False,
    as_of: AsOf = None,
) -> Any:
    """The k best introduction paths from our team to a stakeholder, best first (``powermap paths --json``)."""
    constraints = path_constraints(avoid, avoid_stance, max_hops)

    def report() -> Any:
        return service.paths(account, to, member=member, k=k, constraints=constraints, disjoint=disjoint, as_of=as_of)

    if as_of is not None:
        return await run_in_threadpool(report)
    return await cached_report(
        request, service, account, ("paths", to, member, k, constraints, disjoint), PathsReport, report
    )


@router.get("/accounts/{account}/recommendations", response_model=RecommendationsReport, responses=COMMON_RESPONSES)
async def recommendations(
    request: Request,
    account: ReadAccount,
    service: ServiceDep,
    limit: Annotated[int, Query(ge=1, le=500, description="How many activities")] = 10,
    as_of: AsOf = None,
) -> Any:
    """Ranked activities to run next (``powermap recommend --json``)."""
    if as_of is not None:
        return await run_in_threadpool(lambda: service.recommend(account, limit=limit, as_of=as_of))
    day = service.fading_day()
    return await cached_report(
        request,
        service,
        account,
        ("recommend", limit, day),
        RecommendationsReport,
        lambda: service.recommend(account, limit=limit, today=day),
    )
