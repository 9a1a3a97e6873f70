"""The customer's voice as a closed loop, and how well our roadmap answers it: the contract's fixed formulas.

Pure functions over an account's voices and its stakeholders' power (see :mod:`~powermap.analysis.power`);
every store and client gives the same numbers.

- A voice is **open** unless ``resolved`` or ``rejected``. It is **overdue** when it is an open ``pain``
  older than ``overdue_days`` (30 by default, ``POWERMAP_VOICE_OVERDUE_DAYS``) on ``today``: its age
  in days is more than that.
- **Pain exposure**: the share of the account's total power held by stakeholders with at least one
  open pain (0 when the account has no power at all).
- **Closure rate**: resolved voices among those screened ``pain`` or ``itch``, divided by all voices
  screened ``pain`` or ``itch`` (``None`` when there are none). Only pain and itch voices count on
  either side, so the rate stays within 0 and 1.
- **Mean satisfaction**: the mean ``satisfaction`` of resolved voices that have one (``None`` when none).
- **Roadmap fit** of an item in an account: the sum, over the distinct stakeholders with a ``pain`` or
  ``itch`` voice naming the item (any status but ``rejected``), of their power, counted in full when
  one of those voices is a pain and by half when only itches. Across the portfolio: the sum over
  accounts.

A voice's **age** is counted in whole days from its ``date`` to its ``closed_on`` when closed, else to
``today``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict

from powermap.model import Flow, RoadmapItem, Voice, VoiceCategory, VoiceStatus

OVERDUE_DAYS = 30
#: The categories a roadmap item can answer, and the weight of a stakeholder who raised only that kind.
FIT_WEIGHT: dict[VoiceCategory, float] = {VoiceCategory.PAIN: 1.0, VoiceCategory.ITCH: 0.5}
_SCREENED = (VoiceCategory.PAIN, VoiceCategory.ITCH)


class VoiceLoop(TypedDict):
    total: int
    open: int
    overdue: int
    by_category: dict[str, int]
    by_flow: dict[str, int]
    closure_rate: float | None
    mean_satisfaction: float | None
    pain_exposure: float


class ItemFit(TypedDict):
    """One roadmap item's fit in one account, with the stakeholders who count, most weighty first."""

    fit: float
    stakeholders: list[str]


def age_days(voice: Voice, today: dt.date) -> int:
    """Whole days from the voice's date to its closing (when closed) or to ``today``.

    >>> v = Voice(id="v", stakeholder="s", date=dt.date(2026, 10, 1), text="t")
    >>> age_days(v, dt.date(2026, 11, 1))
    31
    """
    return ((voice.closed_on or today) - voice.date).days


def is_overdue(voice: Voice, today: dt.date, overdue_days: int = OVERDUE_DAYS) -> bool:
    """An open pain older than ``overdue_days`` on ``today``.

    >>> v = Voice(id="v", stakeholder="s", date=dt.date(2026, 10, 1), text="t", category="pain")
    >>> is_overdue(v, dt.date(2026, 10, 31)), is_overdue(v, dt.date(2026, 11, 1))
    (False, True)
    """
    return voice.is_open and voice.category == VoiceCategory.PAIN and age_days(voice, today) > overdue_days


def pained(voices: Iterable[Voice]) -> set[str]:
    """The stakeholders with at least one open pain."""
    return {v.stakeholder for v in voices if v.is_open and v.category == VoiceCategory.PAIN}


def voice_loop(
    voices: Sequence[Voice], powers: Mapping[str, float], today: dt.date, *, overdue_days: int = OVERDUE_DAYS
) -> VoiceLoop:
    """The loop's health of one account (the contract's summary).

    >>> vs = [Voice(id="a", stakeholder="s1", date=dt.date(2026, 1, 1), text="t", category="pain"),
    ...       Voice(id="b", stakeholder="s2", date=dt.date(2026, 1, 1), text="t", category="itch",
    ...             status="resolved", closed_on=dt.date(2026, 2, 1), satisfaction=4)]
    >>> loop = voice_loop(vs, {"s1": 0.6, "s2": 0.2, "s3": 0.2}, dt.date(2026, 3, 1))
    >>> loop["open"], loop["overdue"], loop["closure_rate"], loop["mean_satisfaction"], round(loop["pain_exposure"], 3)
    (1, 1, 0.5, 4.0, 0.6)
    """
    screened = [v for v in voices if v.category in _SCREENED]
    satisfactions = [v.satisfaction for v in voices if v.status == VoiceStatus.RESOLVED and v.satisfaction is not None]
    total_power = sum(powers.values())
    exposed = sum(powers.get(s, 0.0) for s in pained(voices))
    return {
        "total": len(voices),
        "open": sum(1 for v in voices if v.is_open),
        "overdue": sum(1 for v in voices if is_overdue(v, today, overdue_days)),
        "by_category": {c.value: sum(1 for v in voices if v.category == c) for c in VoiceCategory},
        "by_flow": {f.value: sum(1 for v in voices if v.flow == f) for f in Flow},
        "closure_rate": (
            sum(1 for v in screened if v.status == VoiceStatus.RESOLVED) / len(screened) if screened else None
        ),
        "mean_satisfaction": sum(satisfactions) / len(satisfactions) if satisfactions else None,
        "pain_exposure": exposed / total_power if total_power > 0.0 else 0.0,
    }


def voice_rows(
    voices: Sequence[Voice], powers: Mapping[str, float], today: dt.date, *, overdue_days: int = OVERDUE_DAYS
) -> list[dict[str, Any]]:
    """Each voice as its contract document plus ``age_days``, ``power`` (of who raised it) and ``overdue``.

    Ordered for action: open before closed, overdue first, then by priority (unset last), oldest first.
    """
    ordered = sorted(
        voices,
        key=lambda v: (
            not v.is_open,
            not is_overdue(v, today, overdue_days),
            v.priority if v.priority is not None else 6,
            v.date,
            v.id,
        ),
    )
    return [
        {
            **v.model_dump(mode="json"),
            "age_days": age_days(v, today),
            "power": powers.get(v.stakeholder, 0.0),
            "overdue": is_overdue(v, today, overdue_days),
        }
        for v in ordered
    ]


def roadmap_fit(voices: Iterable[Voice], powers: Mapping[str, float]) -> dict[str, ItemFit]:
    """Each roadmap item's fit in one account (items no counting voice names are left out).

    >>> vs = [Voice(id="a", stakeholder="s1", date=dt.date(2026, 1, 1), text="t", category="itch", roadmap=["r"]),
    ...       Voice(id="b", stakeholder="s2", date=dt.date(2026, 1, 1), text="t", category="itch", roadmap=["r"]),
    ...       Voice(id="c", stakeholder="s2", date=dt.date(2026, 1, 1), text="t", category="pain", roadmap=["r"])]
    >>> roadmap_fit(vs, {"s1": 0.4, "s2": 0.5})
    {'r': {'fit': 0.7, 'stakeholders': ['s2', 's1']}}
    """
    weights: dict[str, dict[str, float]] = {}
    for voice in voices:
        weight = FIT_WEIGHT.get(voice.category)
        if weight is None or voice.status == VoiceStatus.REJECTED:
            continue
        for item in voice.roadmap:
            by_stakeholder = weights.setdefault(item, {})
            by_stakeholder[voice.stakeholder] = max(by_stakeholder.get(voice.stakeholder, 0.0), weight)
    fits: dict[str, ItemFit] = {}
    for item, by_stakeholder in weights.items():
        contribution = {s: w * powers.get(s, 0.0) for s, w in by_stakeholder.items()}
        fits[item] = {
            "fit": sum(contribution.values()),
            "stakeholders": sorted(contribution, key=lambda s: (-contribution[s], s)),
        }
    return fits


def portfolio_fit(
    items: Sequence[RoadmapItem], accounts: Mapping[str, tuple[Sequence[Voice], Mapping[str, float]]]
) -> list[dict[str, Any]]:
    """The roadmap ranked by fit across the given accounts (account id -> its voices and power).

    Each item: ``id``, ``title``, ``release``, ``status``, ``fit`` (the sum over accounts), ``accounts``
    (account -> fit, for accounts where someone counts) and ``stakeholders`` (``{"account",
    "stakeholder"}``, by account, most weighty first). Ranked by fit, ties in roadmap order.
    """
    per_account = {account: roadmap_fit(voices, powers) for account, (voices, powers) in sorted(accounts.items())}
    ranked = []
    for position, item in enumerate(items):
        fits = {account: fits[item.id] for account, fits in per_account.items() if item.id in fits}
        ranked.append(
            (
                -sum(f["fit"] for f in fits.values()),
                position,
                {
                    **item.model_dump(mode="json", include={"id", "title", "release", "status"}),
                    "fit": sum(f["fit"] for f in fits.values()),
                    "accounts": {account: f["fit"] for account, f in fits.items()},
                    "stakeholders": [
                        {"account": account, "stakeholder": s} for account, f in fits.items() for s in f["stakeholders"]
                    ],
                },
            )
        )
    return [entry for _, _, entry in sorted(ranked, key=lambda r: (r[0], r[1]))]
