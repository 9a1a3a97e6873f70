"""Errors as RFC 9457 problem details (``application/problem+json``), and nothing else.

Every refusal has ``type``, ``title``, ``status`` and ``detail``; a refused body adds ``errors``, one
entry per broken rule with its field path and the item's id (the same problems ``powermap import``
lists); a missing thing is named in ``detail``. An unexpected failure answers 500 with a reference
to the server's log, never a stack trace.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from powermap.errors import (
    ConflictError,
    IdTakenError,
    InvalidInputError,
    InvalidMapError,
    NotFoundError,
    PowermapError,
    PreconditionFailedError,
    StoreError,
    StoreUnavailableError,
)

logger = logging.getLogger("powermap.api")

MEDIA_TYPE = "application/problem+json"
_TYPES = "https://powermap.invalid/problems/"


class FieldProblem(BaseModel):
    """One broken rule: where (field path), which item (its id, or a line's two ends) and what."""

    model_config = ConfigDict(extra="forbid")

    path: str
    item: str | None = None
    message: str


class ProblemDetails(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(description="A URI naming the kind of problem")
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = None


class ApiProblem(StarletteHTTPException):
    """A refusal the edge itself decides (401, 403, 413, 408...), answered as problem details."""

    def __init__(self, status: int, kind: str, title: str, detail: str, headers: Mapping[str, str] | None = None):
        super().__init__(status, detail, dict(headers) if headers else None)
        self.kind = kind
        self.title = title


def problem_response(
    status: int,
    kind: str,
    title: str,
    detail: str,
    errors: Sequence[FieldProblem] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ProblemDetails(type=_TYPES + kind, title=title, status=status, detail=detail, errors=errors)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, media_type=MEDIA_TYPE, headers=headers)


#: Problem responses every route may give, for the OpenAPI schema.
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ProblemDetails, "content": {MEDIA_TYPE: {}}, "description": description}
    for status, description in {
        401: "No valid API key",
        403: "The key's role does not allow this",
        404: "Not found (or outside the key's accounts)",
        413: "Body too large",
        422: "Invalid input: every problem with its field path and id",
        503: "The store cannot be reached",
    }.items()
}
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **COMMON_RESPONSES,
    409: {"model": ProblemDetails, "content": {MEDIA_TYPE: {}}, "description": "The id is already taken"},
    412: {"model": ProblemDetails, "content": {MEDIA_TYPE: {}}, "description": "If-Match names a stale version"},
}


def _body_problems(error: RequestValidationError, request: Request) -> list[FieldProblem]:
    body: Any = getattr(error, "body", None)
    item = body.get("id") if isinstance(body, Mapping) else None
    if item is None:
        ids = [value for name, value in request.path_params.items() if name != "account"]
        item = " -> ".join(str(v) for v in ids) if ids else None
    problems = []
    for detail in error.errors():
        loc = [str(part) for part in detail.get("loc", ())]
        where = loc[0] if loc else ""
        path = ".".join(loc[1:]) if where == "body" else ".".join(loc)
        message = str(detail.get("msg", "invalid"))
        if where == "body" and detail.get("type") == "extra_forbidden":
            message = "unknown field: the contract has no such field"
        problems.append(FieldProblem(path=path or where, item=None if item is None else str(item), message=message))
    return problems


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` as problem details."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = _body_problems(error, request)
        count = len(problems)
        return problem_response(
            422,
            "invalid-input",
            "Invalid input",
            f"the request has {count} problem{'s' if count != 1 else ''}: "
            + "; ".join(f"{p.path}: {p.message}" for p in problems),
            problems,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_problem(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if isinstance(error, ApiProblem):
            return problem_response(error.status_code, error.kind, error.title, str(error.detail), None, error.headers)
        title = {404: "Not found", 405: "Method not allowed"}.get(error.status_code, "Request refused")
        return problem_response(
            error.status_code, f"http-{error.status_code}", title, str(error.detail), None, error.headers
        )

    @app.exception_handler(PowermapError)
    async def powermap_problem(request: Request, error: PowermapError) -> JSONResponse:
        return powermap_error_response(error)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        reference = uuid.uuid4().hex[:12]
        logger.exception("unexpected error (reference %s) on %s %s", reference, request.method, request.url.path)
        return problem_response(
            500,
            "internal",
            "Internal error",
            f"the server failed unexpectedly; its log has the details under reference {reference}",
        )


def powermap_error_response(error: PowermapError) -> JSONResponse:
    """The HTTP answer to each kind of powermap error (the only place that maps them)."""
    if isinstance(error, InvalidMapError):
        problems = [FieldProblem(path=p.path, item=p.item, message=p.message) for p in error.problems]
        return problem_response(422, "invalid-input", "Invalid input", str(error), problems)
    if isinstance(error, InvalidInputError):
        return problem_response(422, "invalid-input", "Invalid input", str(error))
    if isinstance(error, NotFoundError):
        return problem_response(404, "not-found", "Not found", str(error))
    if isinstance(error, PreconditionFailedError):
        return problem_response(412, "stale", "Precondition failed", str(error))
    if isinstance(error, IdTakenError):
        return problem_response(409, "id-taken", "Id already taken", str(error))
    if isinstance(error, ConflictError):
        return problem_response(409, "conflict", "Conflict", str(error))
    if isinstance(error, StoreUnavailableError):
        return problem_response(503, "store-unavailable", "Store unavailable", str(error), headers={"Retry-After": "5"})
    if isinstance(error, StoreError):
        logger.error("store error: %s", error)
        return problem_response(503, "store-error", "Store error", "the store failed; the server's log says why")
    return problem_response(400, "refused", "Request refused", str(error))
