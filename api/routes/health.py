"""``GET /health``: is the server up and can it reach its store? (No key needed; says nothing else.)"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from powermap.api.deps import StoreDep
from powermap.errors import StoreError

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    store: Literal["reachable", "unreachable"]


@router.get("/health", response_model=Health, responses={503: {"model": Health, "description": "Store unreachable"}})
def health(store: StoreDep) -> JSONResponse:
    try:
        store.ping()
    except StoreError:
        return JSONResponse(Health(status="unavailable", store="unreachable").model_dump(), status_code=503)
    return JSONResponse(Health(status="ok", store="reachable").model_dump())
