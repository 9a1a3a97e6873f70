"""Voices: what stakeholders said, where each stands on its way to closure, and the loop's health.

Edits of a voice are the service's item edits (:mod:`powermap.service.edits`): checked item-only against
the stored map, its roadmap references against the store's roadmap, then a revision-guarded write.
Ages and overdue voices are counted to ``today``: the argument when given, else ``POWERMAP_TODAY``,
else the real date; overdue after ``POWERMAP_VOICE_OVERDUE_DAYS`` (30).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from powermap.analysis.power import power
from powermap.analysis.voices import VoiceLoop, voice_loop, voice_rows
from powermap.errors import VoiceNotFoundError
from powermap.graph import build_graph
from powermap.model import AccountMap, Flow, Voice, VoiceCategory
from powermap.service.core import ServiceCore
from powermap.service.edits import VOICES, Changes, EditsService
from powermap.service.versions import Item, Listing, item_version, versioned
from powermap.settings import get_settings

#: Digits kept in the loop's ratios (as the other analyses).
_DIGITS = 6


def voice_today(today: dt.date | None = None) -> dt.date:
    """The day of the question: the one given, else ``POWERMAP_TODAY``, else the real date."""
    return today or get_settings().today or dt.datetime.now(dt.UTC).date()


def voice_loop_report(account_map: AccountMap, powers: Mapping[str, float], today: dt.date | None = None) -> VoiceLoop:
    """The loop's health of one account, rounded for output (shared by ``voices`` and ``analyze``)."""
    loop = voice_loop(account_map.voices, powers, voice_today(today), overdue_days=get_settings().voice_overdue_days)
    for key in ("closure_rate", "mean_satisfaction", "pain_exposure"):
        value = loop[key]
        loop[key] = None if value is None else round(value, _DIGITS)
    return loop


class VoicesService(ServiceCore):
    """Voices: what stakeholders said, and what it tells us."""

    def voices(
        self,
        account_id: str,
        *,
        open_only: bool = False,
        category: VoiceCategory | None = None,
        flow: Flow | None = None,
        today: dt.date | None = None,
    ) -> dict[str, Any]:
        """``{"account", "voices": [voice + age_days, power, overdue], "summary": {...}}``.

        The filters narrow the list; the summary is always the whole account's (the loop's health).
        """
        return self._voices_report(self.store.get_map(account_id), open_only, category, flow, today)

    def voices_with_names(
        self,
        account_id: str,
        *,
        open_only: bool = False,
        category: VoiceCategory | None = None,
        flow: Flow | None = None,
        today: dt.date | None = None,
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """:meth:`voices` and the stakeholders' display names, from one read of the map (for people)."""
        account_map = self.store.get_map(account_id)
        report = self._voices_report(account_map, open_only, category, flow, today)
        return report, {s.id: s.name for s in account_map.stakeholders}

    @staticmethod
    def _voices_report(
        account_map: AccountMap,
        open_only: bool,
        category: VoiceCategory | None,
        flow: Flow | None,
        today: dt.date | None,
    ) -> dict[str, Any]:
        account_id = account_map.account.id
        powers = power(build_graph(account_map))
        day = voice_today(today)
        chosen = [
            v
            for v in account_map.voices
            if (not open_only or v.is_open)
            and (category is None or v.category == category)
            and (flow is None or v.flow == flow)
        ]
        rows = voice_rows(chosen, powers, day, overdue_days=get_settings().voice_overdue_days)
        for row in rows:
            row["power"] = round(row["power"], _DIGITS)
        return {"account": account_id, "voices": rows, "summary": voice_loop_report(account_map, powers, day)}

    def list_voices(self, account_id: str) -> Listing[Voice]:
        """Every voice of the account with its version, read at one revision."""
        snapshot = self.store.read(account_id)
        return Listing(snapshot.revision, tuple(versioned(v) for v in snapshot.account_map.voices))

    def get_voice(self, account_id: str, voice_id: str) -> Item[Voice]:
        snapshot = self.store.read(account_id)
        found = next((v for v in snapshot.account_map.voices if v.id == voice_id), None)
        if found is None:
            raise VoiceNotFoundError(voice_id, account_id)
        return Item(found, item_version(found), snapshot.revision)

    def voice(self, account_id: str, voice_id: str) -> Voice:
        found = next((v for v in self.store.get_map(account_id).voices if v.id == voice_id), None)
        if found is None:
            raise VoiceNotFoundError(voice_id, account_id)
        return found

    # -- edits: the service's one edit engine (:mod:`powermap.service.edits`) on the voices list ----------

    def _edits(self) -> EditsService:
        """This service as the edit engine (:class:`PowermapService` is both; a topic class cannot subclass both)."""
        if not isinstance(self, EditsService):  # pragma: no cover - only the composed service is ever built
            raise TypeError("voice edits need the composed PowermapService")
        return self

    def create_voice(
        self, account_id: str, voice: Voice | Mapping[str, Any], *, if_revision: int | None = None
    ) -> Item[Voice]:
        """Add a voice (a model, or its contract fields) at the end of the list; 409 if its id is taken.

        Checked item-only against the stored map and the store's roadmap (:mod:`powermap.service.edits`).
        """
        return cast(Item[Voice], self._edits()._create(account_id, VOICES, voice, if_revision))

    def update_voice(
        self,
        account_id: str,
        voice_id: str,
        changes: Changes,
        *,
        if_revision: int | None = None,
        if_version: str | None = None,
    ) -> Item[Voice]:
        """Merge ``changes`` into one voice (say, ``{"status": "resolved", "closed_on": "2026-11-02"}``)."""
        item = self._edits()._update(account_id, VOICES, (voice_id,), changes, if_revision, if_version)
        return cast(Item[Voice], item)

    def delete_voice(
        self, account_id: str, voice_id: str, *, if_revision: int | None = None, if_version: str | None = None
    ) -> int:
        """Remove one voice; returns the account's new revision."""
        return self._edits()._delete(account_id, VOICES, (voice_id,), if_revision, if_version)

    def put_voice(self, account_id: str, data: Mapping[str, Any]) -> Voice:
        """Create or replace a voice (by id), no precondition."""
        return cast(Voice, self._edits()._put(account_id, VOICES, data, "put voice"))

    def remove_voice(self, account_id: str, voice_id: str) -> None:
        self.delete_voice(account_id, voice_id)
