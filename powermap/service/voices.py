"""Voices: what stakeholders said, and what it tells us.

Reserved for h9 (issue 9): fill in this class; it is already one of :class:`~powermap.service.PowermapService`'s
bases, so adding use cases here needs no edit anywhere else.
"""

from __future__ import annotations

from powermap.service.core import ServiceCore


class VoicesService(ServiceCore):
    """Voices: what stakeholders said, and what it tells us."""
