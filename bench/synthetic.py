"""Deterministic synthetic account maps of any size, valid against the powermap/v1 contract.

:func:`synthetic_document` builds the contract document of an account with ``n`` stakeholders from
a seeded :class:`random.Random`, so the same ``(n, seed)`` always gives the same map:

- a **reporting tree**: stakeholder 0 is an executive and the root; every later stakeholder reports to
  an *earlier* one of a higher (usually the next) or equal level. Pointing only backwards makes a
  cycle impossible, so the contract's no-cycle rule holds by construction;
- **influence lines**, 2 or 3 per stakeholder (2.5 on average): half toward someone up their reporting
  chain (manager, their manager, ...), half toward anyone; no self loops, no duplicate (from, to);
- a **team** of 5 (AR, SR, FR, an executive, other) with about 0.8 relationships per stakeholder;
- **3 competitors** with about 0.7 competitor relationships per stakeholder;
- about one **activity** per 10 stakeholders.

That is about 5 lines per stakeholder (1 + 2.5 + 0.8 + 0.7), about 6.1 stored rows (nodes, lines and
activities) per stakeholder in all. :func:`synthetic_map` passes the document through
:func:`~powermap.model.parse_account_map`, so a map that breaks the contract fails loudly.

    >>> m = synthetic_map(50, seed=1)
    >>> len(m.stakeholders), len(m.team), len(m.competitors), len(m.reports_to)
    (50, 5, 3, 49)
    >>> synthetic_document(50, seed=1) == synthetic_document(50, seed=1)
    True
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from powermap.model import AccountMap, ActivityKind, parse_account_map

LEVELS = ("executive", "senior", "middle", "staff")  # rank 3 down to 0, as in powermap.model.Level
#: Share of stakeholders at each level (stakeholder 0 is always an executive).
LEVEL_SHARES = (0.01, 0.06, 0.25, 0.68)
ROLES_BY_LEVEL: dict[str, tuple[tuple[str, float], ...]] = {
    "executive": (("decision_maker", 0.5), ("business_evaluator", 0.3), ("technical_evaluator", 0.2)),
    "senior": (
        ("technical_evaluator", 0.3),
        ("business_evaluator", 0.3),
        ("procurement", 0.2),
        ("gatekeeper", 0.1),
        ("none", 0.1),
    ),
    "middle": (("user", 0.3), ("gatekeeper", 0.1), ("coach", 0.1), ("procurement", 0.1), ("none", 0.4)),
    "staff": (("user", 0.4), ("coach", 0.05), ("none", 0.55)),
}
STANCES = (("champion", 0.05), ("supporter", 0.15), ("neutral", 0.5), ("skeptic", 0.2), ("opponent", 0.1))
DEPARTMENTS = (
    "Board",
    "IT",
    "Finance",
    "Procurement",
    "R&D",
    "Manufacturing",
    "Quality",
    "Sales",
    "Logistics",
    "HR",
    "研发中心",
    "采购部",
)
SURNAMES = ("Chen", "Wang", "Li", "Zhang", "Liu", "Yang", "Huang", "Zhao", "陈", "王", "李", "张")
TEAM = (
    {"id": "ar", "name": "Li Ming", "role": "AR", "title": "Account Director", "level": "middle"},
    {"id": "sr", "name": "Wu Fang", "role": "SR", "title": "Solution Lead", "level": "middle"},
    {"id": "fr", "name": "Zhou Jie", "role": "FR", "title": "Delivery Lead", "level": "staff"},
    {"id": "vp", "name": "Sun Hua", "role": "executive", "title": "Regional President", "level": "executive"},
    {"id": "pm", "name": "Ma Lin", "role": "other", "title": "Product Manager", "level": "senior"},
)
COMPETITORS = (
    {"id": "rival", "name": "Rival Systems", "notes": ""},
    {"id": "local", "name": "Local Champion Co.", "notes": ""},
    {"id": "global", "name": "Global Giant Inc.", "notes": ""},
)
INFLUENCES_PER_STAKEHOLDER = 2.5
RELATIONSHIPS_PER_STAKEHOLDER = 0.8
COMPETITOR_RELATIONSHIPS_PER_STAKEHOLDER = 0.7
ACTIVITIES_PER_STAKEHOLDER = 0.1
_EPOCH = dt.date(2026, 1, 1)


@dataclass(frozen=True)
class Counts:
    """How many items of each list a map holds, and the rows a store writes for it."""

    nodes: int
    edges: int
    activities: int

    @property
    def rows(self) -> int:
        return self.nodes + self.edges + self.activities

    @classmethod
    def of(cls, account_map: AccountMap) -> Counts:
        nodes = len(account_map.stakeholders) + len(account_map.team) + len(account_map.competitors)
        edges = (
            len(account_map.reports_to)
            + len(account_map.influences)
            + len(account_map.relationships)
            + len(account_map.competitor_relationships)
        )
        return cls(nodes, edges, len(account_map.activities))


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    values = [value for value, _ in weighted]
    weights = [weight for _, weight in weighted]
    return rng.choices(values, weights)[0]


def _unit(rng: random.Random) -> float:
    return round(rng.uniform(0.05, 1.0), 2)


def _date(rng: random.Random) -> str:
    return (_EPOCH + dt.timedelta(days=rng.randrange(365))).isoformat()


def _levels(rng: random.Random, n: int) -> list[int]:
    """Level rank (3 executive .. 0 staff) of each stakeholder; the first is an executive."""
    ranks = rng.choices((3, 2, 1, 0), LEVEL_SHARES, k=n)
    if ranks:
        ranks[0] = 3
    return ranks


def _managers(rng: random.Random, ranks: list[int]) -> list[int | None]:
    """Manager index of each stakeholder: an earlier stakeholder of the next level up, else same or higher."""
    earlier: dict[int, list[int]] = {rank: [] for rank in range(4)}
    managers: list[int | None] = []
    for index, rank in enumerate(ranks):
        if index == 0:
            managers.append(None)
        else:
            above = [r for r in range(rank + 1, 4) if earlier[r]]
            if above and rng.random() < 0.9:
                bucket = earlier[min(above)]  # the closest level up: a tree that looks like an org chart
            else:
                bucket = [i for r in range(rank, 4) for i in earlier[r][-50:]]  # a peer-or-higher among recent ones
            managers.append(rng.choice(bucket))
        earlier[rank].append(index)
    return managers


def _sample_pairs(
    rng: random.Random, count: int, sources: int, targets: int, seen: set[tuple[int, int]]
) -> list[tuple[int, int]]:
    """``count`` distinct (source index, target index) pairs not yet in ``seen``, in drawing order."""
    pairs: list[tuple[int, int]] = []
    count = min(count, sources * targets - len(seen))
    while len(pairs) < count:
        pair = (rng.randrange(sources), rng.randrange(targets))
        if pair not in seen:
            seen.add(pair)
            pairs.append(pair)
    return pairs


def synthetic_document(n: int, *, seed: int = 42, account_id: str | None = None) -> dict[str, Any]:
    """The contract document of a synthetic account with ``n`` stakeholders (see the module docstring)."""
    if n < 2:
        raise ValueError("a synthetic account needs at least 2 stakeholders")
    rng = random.Random(seed * 1_000_003 + n)
    ids = [f"s{i:06d}" for i in range(n)]
    ranks = _levels(rng, n)
    managers = _managers(rng, ranks)

    stakeholders = []
    for i, sid in enumerate(ids):
        level = LEVELS[3 - ranks[i]]
        stakeholders.append(
            {
                "id": sid,
                "name": f"{rng.choice(SURNAMES)} {i}",
                "title": f"{level.title()} {rng.choice(('Manager', 'Director', 'Engineer', 'Officer'))}",
                "department": "Board" if i == 0 else rng.choice(DEPARTMENTS),
                "level": level,
                "decision_role": "decision_maker" if i == 0 else _pick(rng, ROLES_BY_LEVEL[level]),
                "influence": _unit(rng),
                "stance": _pick(rng, STANCES),
                "notes": "",
            }
        )
    reports_to = [{"from": ids[i], "to": ids[m]} for i, m in enumerate(managers) if m is not None]

    influences = []
    seen: set[tuple[int, int]] = set()
    for i in range(n):
        wanted = 2 if rng.random() < (3 - INFLUENCES_PER_STAKEHOLDER) else 3
        chain: list[int] = []
        boss = managers[i]
        while boss is not None and len(chain) < 3:
            chain.append(boss)
            boss = managers[boss]
        made = 0
        for _ in range(wanted * 4):  # a few retries when a draw is a self loop or a duplicate
            if made == wanted:
                break
            target = rng.choice(chain) if chain and rng.random() < 0.5 else rng.randrange(n)
            if target == i or (i, target) in seen:
                continue
            seen.add((i, target))
            influences.append({"from": ids[i], "to": ids[target], "weight": _unit(rng)})
            made += 1

    relationships = [
        {
            "member": TEAM[m]["id"],
            "stakeholder": ids[s],
            "strength": _unit(rng),
            "last_contact": _date(rng) if rng.random() < 0.7 else None,
        }
        for m, s in _sample_pairs(rng, round(RELATIONSHIPS_PER_STAKEHOLDER * n), len(TEAM), n, set())
    ]
    competitor_relationships = [
        {"competitor": COMPETITORS[c]["id"], "stakeholder": ids[s], "strength": _unit(rng)}
        for c, s in _sample_pairs(rng, round(COMPETITOR_RELATIONSHIPS_PER_STAKEHOLDER * n), len(COMPETITORS), n, set())
    ]
    kinds = [kind.value for kind in ActivityKind]
    activities = [
        {
            "id": f"a{a:06d}",
            "type": rng.choice(kinds),
            "date": _date(rng),
            "members": sorted(rng.sample([t["id"] for t in TEAM], rng.randint(1, 2))),
            "stakeholders": [ids[s] for s in sorted(rng.sample(range(n), min(n, rng.randint(1, 3))))],
            "outcome": rng.choice(("", "agreed to a pilot", "asked for a reference", "no change")),
            "notes": "",
        }
        for a in range(max(1, round(ACTIVITIES_PER_STAKEHOLDER * n)))
    ]
    return {
        "format": "powermap/v1",
        "account": {
            "id": account_id or f"bench-{n}",
            "name": f"Synthetic account of {n} stakeholders",
            "industry": "benchmark",
            "notes": f"bench.synthetic n={n} seed={seed}",
        },
        "competitors": [dict(c) for c in COMPETITORS],
        "team": [dict(t) for t in TEAM],
        "stakeholders": stakeholders,
        "reports_to": reports_to,
        "influences": influences,
        "relationships": relationships,
        "competitor_relationships": competitor_relationships,
        "activities": activities,
    }


def synthetic_map(n: int, *, seed: int = 42, account_id: str | None = None) -> AccountMap:
    """:func:`synthetic_document` validated by the contract's own door, :func:`parse_account_map`."""
    return parse_account_map(synthetic_document(n, seed=seed, account_id=account_id))
