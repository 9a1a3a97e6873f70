"""Analyses of one account: power, coverage, gaps, forecast, introduction paths, recommendations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import networkx as nx

from powermap.analysis.coverage import Gap, competitor_gaps, coverage
from powermap.analysis.fading import fading_relationships
from powermap.analysis.forecast import Forecast, decision_forecast
from powermap.analysis.paths import NO_CONSTRAINTS, IntroPath, PathConstraints, disjoint_paths, introduction_paths
from powermap.analysis.power import power, ranking
from powermap.analysis.recommend import Recommendation, recommend
from powermap.graph import build_graph
from powermap.model import AccountMap
from powermap.service.asof import day_of
from powermap.service.core import ServiceCore
from powermap.service.voices import voice_loop_report
from powermap.settings import get_settings

_T = TypeVar("_T")
#: Digits kept in analysis output: enough to rank, few enough to read.
DIGITS = 6


def rounded(value: float) -> float:
    """A number of analysis output, rounded to :data:`DIGITS` places."""
    return round(value, DIGITS)


_r = rounded


@dataclass(frozen=True)
class Analysis:
    """Everything the analyses say of one account, kept together for reports and maps."""

    account_map: AccountMap
    powers: dict[str, float]
    highlight_path: list[str]


def analysis_report(
    account_map: AccountMap, graph: nx.DiGraph[str] | None = None, *, today: dt.date | None = None
) -> dict[str, Any]:
    """``analyze --json`` of a map in hand: power, coverage, gaps, forecast, fading relationships, voices.

    What-if reuses it on copies. ``today`` is the day fading is judged on (default: :func:`_today`).
    """
    account_id = account_map.account.id
    graph = graph if graph is not None else build_graph(account_map)
    powers = power(graph)
    forecast: Forecast = decision_forecast(graph, powers)
    gaps: list[Gap] = competitor_gaps(graph)
    return {
        "account": account_id,
        "power": {s: _r(p) for s, p in ranking(powers)},
        "coverage": _r(coverage(graph, powers)),
        "gaps": [{**gap, "ours": _r(gap["ours"]), "theirs": _r(gap["theirs"]), "gap": _r(gap["gap"])} for gap in gaps],
        "forecast": {
            **forecast,
            "support_index": _r(forecast["support_index"]),
            "decision_makers": [
                {**dm, "power": _r(dm["power"]), "own_lean": _r(dm["own_lean"]), "lean": _r(dm["lean"])}
                for dm in forecast["decision_makers"]
            ],
        },
        "fading": fading_relationships(graph, today or _today(), after_days=get_settings().fading_after_days),
        "voice_loop": voice_loop_report(account_map, powers),
    }


def _today() -> dt.date:
    """The day fading is judged on when none is given: ``POWERMAP_TODAY`` if set, else today (UTC)."""
    return get_settings().today or dt.datetime.now(dt.UTC).date()


def _gains_rounded(advice: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **advice,
        **{key: _r(advice[key]) for key in ("expected_gain", "gain_if_done", "likelihood", "coverage_gain")},
    }


class AnalysesService(ServiceCore):
    """Read-only analyses of stored maps, each computed once per revision when the service has a cache."""

    def memoised(self, account_id: str, key: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()`` once per revision of the account (kept with the revision's map when the service
        has a cache): the API keeps each report's encoded body this way."""
        return self._current(account_id).memo(key, compute)

    def fading_day(self) -> dt.date:
        """The day fading relationships are judged on today (a cached report of another day is stale)."""
        return _today()

    def analysis(self, account_id: str, *, path_to: str | None = None, as_of: str | None = None) -> Analysis:
        """The map with its power and, when asked, the best introduction path to one stakeholder."""
        current = self._current(account_id, as_of)
        graph = current.graph()
        best = current.memo(("best path", path_to), lambda: introduction_paths(graph, path_to, k=1) if path_to else [])
        powers = current.memo("power", lambda: power(graph))
        return Analysis(current.snapshot.account_map, powers, best[0]["nodes"] if best else [])

    def analyze(self, account_id: str, *, as_of: str | None = None, today: dt.date | None = None) -> dict[str, Any]:
        """Power, coverage, competitor gaps, decision forecast and fading relationships of an account.

        ``as_of`` answers for a past moment (fading judged on that day); ``today`` is the day fading is
        judged on (default: ``POWERMAP_TODAY`` or today, UTC, or the day of ``as_of``).
        """
        current = self._current(account_id, as_of)
        day = today or self._day(account_id, as_of)
        return current.memo(
            ("analyze", day), lambda: analysis_report(current.snapshot.account_map, current.graph(), today=day)
        )

    def analyze_with_names(
        self, account_id: str, *, as_of: str | None = None, today: dt.date | None = None
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """:meth:`analyze` and the stakeholders' display names, from one read of the map (for people)."""
        report = self.analyze(account_id, as_of=as_of, today=today)
        names = {s.id: s.name for s in self._current(account_id, as_of).snapshot.account_map.stakeholders}
        return report, names

    def day(self, account_id: str, as_of: str | None = None) -> dt.date:
        """The day fading relationships and voices' ages are judged on: today (``POWERMAP_TODAY``), or ``as_of``'s."""
        return self._day(account_id, as_of)

    def _day(self, account_id: str, as_of: str | None) -> dt.date:
        """The day fading is judged on: today, or that of the moment asked about."""
        return _today() if as_of is None else day_of(self.store, account_id, as_of)

    def _analyze(self, account_map: AccountMap) -> dict[str, Any]:
        return analysis_report(account_map)

    def paths(
        self,
        account_id: str,
        target: str,
        *,
        member: str | None = None,
        k: int = 3,
        constraints: PathConstraints = NO_CONSTRAINTS,
        disjoint: bool = False,
        as_of: str | None = None,
    ) -> dict[str, Any]:
        """The k best introduction paths to a stakeholder that meet ``constraints``, best first.

        With ``disjoint``, each path after the first shares no intermediary with those before it.
        """
        current = self._current(account_id, as_of)

        def compute() -> dict[str, Any]:
            search = disjoint_paths if disjoint else introduction_paths
            found: list[IntroPath] = search(current.graph(), target, k=k, member=member, constraints=constraints)
            return {
                "account": account_id,
                "target": target,
                "paths": [{"strength": _r(p["strength"]), "nodes": p["nodes"]} for p in found],
            }

        return current.memo(("paths", target, member, k, constraints, disjoint), compute)

    def recommend(
        self, account_id: str, *, limit: int = 10, today: dt.date | None = None, as_of: str | None = None
    ) -> dict[str, Any]:
        """Ranked activities to run next, one entry per target (fading as of ``today``, default today in UTC).

        With ``as_of``, the advice of that moment (fading judged on that day).
        """
        current = self._current(account_id, as_of)
        settings = get_settings()
        day = today or self._day(account_id, as_of)
        fading_after_days = settings.fading_after_days

        def compute() -> dict[str, Any]:
            found: list[Recommendation] = recommend(
                current.graph(), limit=limit, today=day, fading_after_days=fading_after_days
            )
            return {
                "account": account_id,
                "recommendations": [
                    {
                        **_gains_rounded(r),
                        "alternatives": [_gains_rounded(alternative) for alternative in r["alternatives"]],
                    }
                    for r in found
                ],
            }

        # The advice depends on the day (fading relationships), so the day is part of the key.
        return current.memo(("recommend", limit, day, fading_after_days), compute)
