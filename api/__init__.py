"""The HTTP API (FastAPI) over :mod:`powermap.service`: ``create_app()`` builds it, ``powermap serve`` runs it.

:mod:`powermap.api.addressing` is imported first: it makes every path parameter a percent-decoded segment
before any route is built.
"""

from powermap.api import addressing  # noqa: F401  (must come before any route is built)
from powermap.api.main import create_app

__all__ = ["create_app"]
