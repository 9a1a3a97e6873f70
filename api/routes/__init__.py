"""The API's routes, one module per topic, gathered in :data:`api_router`.

Included by :func:`powermap.api.main.create_app`.
"""

from __future__ import annotations

from fastapi import APIRouter

from powermap.api.routes import (
    accounts,
    activity_log,
    analysis,
    changes,
    health,
    items,
    maps,
    personal,
    roadmap,
    whatif,
)

api_router = APIRouter()
api_router.include_router(health.router)
api_router.include_router(accounts.router)
api_router.include_router(maps.router)
api_router.include_router(items.router)
api_router.include_router(activity_log.router)  # issue 8: POST /accounts/{a}/activities/log
api_router.include_router(analysis.router)
api_router.include_router(changes.router)
api_router.include_router(personal.router)
api_router.include_router(whatif.router)
api_router.include_router(roadmap.router)
