"""An account's history: changes, as-of reads, diffs.

Reserved for h8a (issue 8): fill in this class; it is already one of :class:`~powermap.service.PowermapService`'s
bases, so adding use cases here needs no edit anywhere else.
"""

from __future__ import annotations

from powermap.service.core import ServiceCore


class HistoryService(ServiceCore):
    """An account's history: changes, as-of reads, diffs."""
