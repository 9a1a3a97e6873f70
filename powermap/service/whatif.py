"""What-if: the map after planned activities, without storing it.

Reserved for h8b (issue 8): fill in this class; it is already one of :class:`~powermap.service.PowermapService`'s
bases, so adding use cases here needs no edit anywhere else.
"""

from __future__ import annotations

from powermap.service.core import ServiceCore


class WhatIfService(ServiceCore):
    """What-if: the map after planned activities, without storing it."""
