"""Coverage and support index of the map without each stakeholder, the departures solved side by side.

:mod:`~powermap.analysis.dependency` needs, for every stakeholder, ``analyze``'s power and forecast of
the map without them. A departure moves everyone's power and lean a little (influence travels through a
connected account), so each is a solve over the whole account, and solved one after another the square
of the account runs through the interpreter one number at a time. Here a batch of departures is solved
side by side: every person carries a row of values, one per departure, and each step of the equations
is applied to a whole row with :func:`map` over :mod:`operator`'s functions, which loop in C. Each
value is computed with the operations, in the order, that :func:`~powermap.analysis.power.power` and
:func:`~powermap.analysis.forecast.propagate` use, from today's solution (both equations have one fixed
point, so a warm start ends where a cold one does):

- a leaving stakeholder is held at power 0 in their own column: a line toward them then weighs
  ``1 - w * 0 = 1`` in a noisy-or and ``w * 0 = 0`` in a blend, and adding that 0 changes no sum, so the
  column is the map without them;
- both are solved by Gauss-Seidel sweeps, power with the people it depends on (those one sways) swept
  first, the forecast with influencers first (:func:`sources_first`), which settles in fewer sweeps;
- each departure leaves the batch once a sweep moved none of its values by more than the tolerance
  (1e-12), the rule ``analyze`` stops by, keeping the values it has (every second sweep is watched:
  watching costs about as much as a blend).

Batches bound the memory: a quarter of a million values (people x departures) per quantity, at least
64 departures a batch. Measured in ``docs/benchmarks.md``; the drops are checked against full analyses
of copies (``tests/unit/test_dependency_scaling.py``, ``tests/contract/test_dependency.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import repeat
from operator import add, itemgetter, mul, sub, truediv

import networkx as nx

from powermap.errors import NotConvergedError

#: people x departures solved at once, per quantity (power, leans, each line's blend weight): at 1,000
#: stakeholders a quarter million values took 60 MB at the peak and 7% more time than a million (207 MB)
VALUES_PER_BATCH = 250_000
#: departures per batch at least, whatever the account's size: the work per person and sweep is spread
#: over fewer departures in a narrower batch
MIN_BATCH = 64

Lines = Sequence[Sequence[tuple[int, float]]]
#: one value per departure of a batch
Row = list[float]


def without_each(
    standing: Sequence[float],
    sways: Lines,
    swayed_by: Lines,
    powers: Sequence[float],
    own: Sequence[float],
    leans: Sequence[float],
    makers: Sequence[int],
    covered: Sequence[int],
    *,
    share: float,
    tolerance: float = 1e-12,
) -> list[tuple[float, float]]:
    """(coverage, support index) of the map without each person, by their number.

    ``sways[i]``: whom i sways (their number, the line's weight); ``swayed_by[v]``: who sways v, in the
    order the forecast sums them; ``powers``, ``own``, ``leans``: today's solution; ``share``: power's
    reach share. Power is swept targets first (a person's power follows theirs), the forecast sources
    first (a person's lean follows their influencers').
    """
    people = len(powers)
    forward = sources_first(sways)
    targets_first = forward[::-1]
    swayed = [v for v in forward if swayed_by[v]]
    size = max(1, min(people, max(MIN_BATCH, VALUES_PER_BATCH // max(people, 1))))
    found: list[tuple[float, float]] = []
    for first in range(0, people, size):
        gone = list(range(first, min(first + size, people)))
        columns = _settle_powers(standing, sways, powers, targets_first, gone, share=share, tolerance=tolerance)
        lean_columns = _settle_leans(swayed_by, columns, own, leans, swayed, gone, tolerance=tolerance)
        found.extend(_indices(columns, lean_columns, makers, covered, gone))
    return found


def sources_first(sways: Lines) -> list[int]:
    """Everyone in an order where most lines of influence run forward (the reverse postorder of a
    depth-first search along them): a Gauss-Seidel sweep in that order carries a change along a chain
    of influence within one sweep, where an order against the lines needs a sweep per line (on the
    benchmark's synthetic account of 500, a quarter less time than the id order).

    >>> sources_first([[], [(0, 0.5)], [(1, 0.5)]])
    [2, 1, 0]
    """
    flow: nx.DiGraph[int] = nx.DiGraph()
    flow.add_nodes_from(range(len(sways)))
    flow.add_edges_from((i, t) for i, lines in enumerate(sways) for t, _ in lines)
    return list(reversed(list(nx.dfs_postorder_nodes(flow))))


def _settle_powers(
    standing: Sequence[float],
    sways: Lines,
    powers: Sequence[float],
    order: Sequence[int],
    gone: list[int],
    *,
    share: float,
    tolerance: float,
    max_iterations: int = 10_000,
) -> list[Row]:
    """Power of each person without each of ``gone`` (column k: without ``gone[k]``), by Gauss-Seidel
    sweeps over those who sway someone, in ``order``."""
    current: list[Row] = [[p] * len(gone) for p in powers]
    for k, g in enumerate(gone):
        current[g][k] = 0.0
    rows = [(i, standing[i], (1.0 - standing[i]) * share, sways[i]) for i in order if sways[i]]
    columns = _Columns(gone, tolerance)
    change = float("inf")
    for _ in range(max_iterations):
        held = {g: k for k, g in enumerate(columns.alive)}
        ones = repeat(1.0)
        columns.new_sweep()
        for i, base, scale, ((first, weight), *more) in rows:
            product = list(map(sub, ones, map(mul, repeat(weight), current[first])))  # 1 - w * p, in power's order
            for t, w in more:
                product = list(map(mul, product, map(sub, ones, map(mul, repeat(w), current[t]))))
            value = list(map(add, repeat(base), map(mul, repeat(scale), map(sub, ones, product))))
            if i in held:
                value[held[i]] = 0.0
            columns.moved(value, current[i])
            current[i] = value  # Gauss-Seidel: later people already see this value
        current, change = columns.retire(current)
        if not current:
            return columns.finished()
    raise NotConvergedError("power", max_iterations, change, tolerance)


def _settle_leans(
    swayed_by: Lines,
    powers: list[Row],
    own: Sequence[float],
    leans: Sequence[float],
    order: Sequence[int],
    gone: list[int],
    *,
    tolerance: float,
    max_iterations: int = 100_000,
) -> list[Row]:
    """Final leans without each of ``gone``, by the forecast's Gauss-Seidel sweeps, in its order."""
    current: list[Row] = [[lean] * len(gone) for lean in leans]
    rows: list[tuple[int, Row, list[tuple[int, Row]]]] = []
    for v in order:  # each of them is swayed by someone
        weighted = [(j, list(map(mul, repeat(w), powers[j]))) for j, w in swayed_by[v]]  # w * power, per column
        total: Row = weighted[0][1]
        for _, w in weighted[1:]:
            total = list(map(add, total, w))
        scale = list(map(add, repeat(1.0), total))
        kept = list(map(mul, map(truediv, repeat(1.0), scale), repeat(own[v])))  # keep * own
        rows.append((v, kept, [(j, list(map(truediv, w, scale))) for j, w in weighted]))
    columns = _Columns(gone, tolerance)
    change = float("inf")
    for _ in range(max_iterations):
        columns.new_sweep()
        for v, kept, ((first, weights), *more) in rows:
            blend = list(map(mul, weights, current[first]))
            for j, w in more:
                blend = list(map(add, blend, map(mul, w, current[j])))
            value = list(map(add, kept, blend))
            columns.moved(value, current[v])
            current[v] = value  # Gauss-Seidel: later people already see this value
        current, change = columns.retire(current)
        if not current:
            return columns.finished()
        if columns.narrowed:
            rows = [
                (v, columns.narrow(kept), [(j, columns.narrow(w)) for j, w in sources]) for v, kept, sources in rows
            ]
    raise NotConvergedError("the decision forecast", max_iterations, change, tolerance)


class _Columns:
    """The departures of a batch still being solved; each leaves the batch once its own sweep moved no
    value by more than the tolerance (the one-by-one solver's stopping rule), with the values it has."""

    def __init__(self, gone: list[int], tolerance: float) -> None:
        self.alive = list(gone)
        self.tolerance = tolerance
        self.done: dict[int, tuple[float, ...]] = {}
        self.order = list(gone)
        self.change: Row = []
        self.sweeps = 0
        self.watched = False
        self.narrowed = False
        self._pick: Callable[[Row], Row] = list

    def new_sweep(self) -> None:
        # Watching every value's step costs about as much as a blend: every second sweep is watched. A
        # departure that settled in an unwatched sweep is let go one sweep later, a little closer.
        self.sweeps += 1
        self.watched = self.sweeps % 2 == 0
        self.change = [0.0] * len(self.alive)

    def moved(self, value: Row, before: Row) -> None:
        if self.watched:
            self.change = list(map(max, self.change, map(abs, map(sub, value, before))))

    def retire(self, current: list[Row]) -> tuple[list[Row], float]:
        """The rows of the departures still unsettled, and the largest change of this sweep (infinite
        when the sweep was not watched)."""
        self.narrowed = False
        if not self.watched:
            return current, float("inf")
        change = self.change
        largest = max(change, default=0.0)
        keep = [k for k, moved in enumerate(change) if moved > self.tolerance]
        # Narrowing copies every row: wait until a quarter of the batch has settled (or all of it). The
        # settled ones meanwhile take more sweeps, which only bring them closer to their fixed point.
        self.narrowed = len(keep) <= len(self.alive) * 3 // 4
        if not self.narrowed:
            return current, largest
        by_column = list(zip(*current, strict=True))
        for k, g in enumerate(self.alive):
            if change[k] <= self.tolerance:
                self.done[g] = by_column[k]
        self.alive = [self.alive[k] for k in keep]
        if not keep:
            return [], largest
        pick = itemgetter(*keep)
        self._pick = (lambda row: [pick(row)]) if len(keep) == 1 else (lambda row: list(pick(row)))
        return [list(row) for row in zip(*(by_column[k] for k in keep), strict=True)], largest

    def narrow(self, row: Row) -> Row:
        """A row of per-departure values, for the departures still unsettled."""
        return self._pick(row)

    def finished(self) -> list[Row]:
        """Everyone's values, one row per person, one column per departure of the batch (in its order)."""
        return [list(row) for row in zip(*(self.done[g] for g in self.order), strict=True)]


def _indices(
    powers: list[list[float]],
    leans: list[list[float]],
    makers: Sequence[int],
    covered: Sequence[int],
    gone: list[int],
) -> list[tuple[float, float]]:
    """Coverage and support index of each column, summed as the one-by-one solver sums them (the one
    leaving adds an exact 0 to every sum): coverage over everyone, the index over the decision makers
    who stay, or over everyone who stays when none does."""
    width = len(gone)
    everyone = range(len(powers))
    total = _column_sums(powers, everyone, width)
    covered_power = _column_sums(powers, covered, width)
    over_everyone: list[float] | None = None
    found: list[tuple[float, float]] = []
    for k, g in enumerate(gone):
        coverage = covered_power[k] / total[k] if total[k] > 0.0 else 0.0
        basis = [i for i in makers if i != g]
        if basis:
            basis_power = sum(powers[i][k] for i in basis)
            index = sum(powers[i][k] / basis_power * leans[i][k] for i in basis) if basis_power > 0.0 else 0.0
        else:  # no decision maker stays: everyone who stays weighs by power
            if over_everyone is None:
                safe = [t if t > 0.0 else 1.0 for t in total]  # a column of no power sums to 0 either way
                over_everyone = [0.0] * width
                for i in everyone:
                    over_everyone = list(map(add, over_everyone, map(mul, map(truediv, powers[i], safe), leans[i])))
            index = over_everyone[k]
        found.append((coverage, max(-1.0, min(1.0, index))))
    return found


def _column_sums(values: list[list[float]], rows: Sequence[int] | range, width: int) -> list[float]:
    sums: list[float] = [0.0] * width
    for i in rows:
        sums = list(map(add, sums, values[i]))
    return sums
