"""The roadmap: what the customer plans and how our offer fits it.

Reserved for h9 (issue 9): fill in this class; it is already one of :class:`~powermap.service.PowermapService`'s
bases, so adding use cases here needs no edit anywhere else.
"""

from __future__ import annotations

from powermap.service.core import ServiceCore


class RoadmapService(ServiceCore):
    """The roadmap: what the customer plans and how our offer fits it."""
