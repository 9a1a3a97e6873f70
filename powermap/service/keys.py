"""API keys: add, list, revoke.

Reserved for h6b (issue 6): fill in this class; it is already one of :class:`~powermap.service.PowermapService`'s
bases, so adding use cases here needs no edit anywhere else.
"""

from __future__ import annotations

from powermap.service.core import ServiceCore


class KeysService(ServiceCore):
    """API keys: add, list, revoke."""
