"""The use cases the CLI and the HTTP API share: import, export, edit and analyse account maps.

The service is one facade, :class:`PowermapService`, composed of topic classes, one module each:

- :mod:`~powermap.service.core` -- :class:`ServiceCore`: the store, the actor and the shared plumbing
  (the edit loop, item checks). Every topic class subclasses it, so all topics share one state.
- :mod:`~powermap.service.maps` -- whole maps: import, export, accounts, delete.
- :mod:`~powermap.service.reads` -- the map and each item with its revision and version.
- :mod:`~powermap.service.edits` -- fine-grained edits of the account record, nodes, lines, activities,
  each with the precondition the caller saw (:mod:`~powermap.service.versions` says what those are).
- :mod:`~powermap.service.analyses` -- power, coverage, forecast, paths, recommendations.
- :mod:`~powermap.service.history`, :mod:`~powermap.service.keys`, :mod:`~powermap.service.roadmap`,
  :mod:`~powermap.service.voices`, :mod:`~powermap.service.whatif` -- reserved topics, already composed
  in: their owners fill in the class in their own file and touch nothing else.

How to add a new topic:

1. Write ``powermap/service/<topic>.py`` with ``class <Topic>Service(ServiceCore)`` holding the use
   cases as methods (reach the store through ``self.store``, the author through ``self.actor``).
2. Import it below and add it to :class:`PowermapService`'s bases: one line each, kept in
   alphabetical order, so two engineers adding two topics touch different lines.
3. Every topic's names live on one object: prefix private helpers with the topic (``_history_...``),
   and keep shared plumbing in :mod:`~powermap.service.core`.
"""

from __future__ import annotations

from powermap.service.activities import ActivitiesService
from powermap.service.analyses import DIGITS, AnalysesService, Analysis
from powermap.service.core import ServiceCore
from powermap.service.dependency import DependencyService
from powermap.service.edits import EditsService
from powermap.service.erase import ErasureService
from powermap.service.history import HistoryService
from powermap.service.keys import KeysService
from powermap.service.maps import ImportResult, MapsService
from powermap.service.people import Directory, PeopleService, Person
from powermap.service.reads import ReadsService
from powermap.service.roadmap import RoadmapService
from powermap.service.versions import Item, Listing, Versioned, item_version
from powermap.service.voices import VoicesService
from powermap.service.whatif import WhatIfService

__all__ = [
    "DIGITS",
    "Analysis",
    "Directory",
    "ImportResult",
    "Item",
    "Listing",
    "Person",
    "PowermapService",
    "ServiceCore",
    "Versioned",
    "item_version",
]


class PowermapService(
    ActivitiesService,
    AnalysesService,
    DependencyService,
    EditsService,
    ErasureService,
    HistoryService,
    KeysService,
    MapsService,
    PeopleService,
    ReadsService,
    RoadmapService,
    VoicesService,
    WhatIfService,
):
    """Account-map use cases over one store: every topic's methods on one object."""
