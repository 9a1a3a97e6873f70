"""Personal data (issue 11): what the store holds about one person, and erasing it everywhere.

A power map is a set of assessments of named people, and a person may ask to see them or to be
forgotten (PIPL, GDPR). :meth:`ErasureService.person` gathers everything an account holds about one
stakeholder; :meth:`ErasureService.erase_stakeholder` forgets them in the live map and in every
recorded change, in one store transaction (:meth:`powermap.store.base.Store.erase_stakeholder`),
and records one erasure that names nobody. What the rule forgets is
:func:`powermap.model.erasure.forget_item`; the operator's side is ``docs/personal-data.md``.

The erasure keeps a *fingerprint*: an HMAC-SHA256 of the account and stakeholder ids, keyed by a
random salt kept in the store itself. It cannot be read back into an id without the store, and it lets a
later import of the same id into the same account be flagged (:meth:`ErasureService.previously_erased`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from powermap.errors import InvalidInputError, StakeholderNotFoundError
from powermap.model import LISTS, AccountMap, item_label
from powermap.model.erasure import PEOPLE, forget_in_document, mentions_item
from powermap.service.history import ALL_CHANGES, HistoryService
from powermap.store.base import Change, Store, subject_names
from powermap.store.history import Delta

#: The operation an erasure records in the account's history (its subject is always empty).
ERASE_OPERATION = "erase stakeholder"
#: Free-text fields searched for the person's name in other items (see :meth:`ErasureService.person`).
_TEXT_FIELDS = ("name", "title", "department", "notes", "outcome", "text", "industry")


def fingerprint(salt: bytes, account_id: str, stakeholder_id: str) -> str:
    """The salted fingerprint of an erased stakeholder id within one account.

    >>> fingerprint(b"salt", "acme", "ceo") == fingerprint(b"salt", "acme", "ceo")
    True
    >>> fingerprint(b"salt", "acme", "ceo") != fingerprint(b"other", "acme", "ceo")
    True
    """
    message = f"{account_id}\x00{stakeholder_id}".encode()
    return hmac.new(salt, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ErasureResult:
    """What an erasure did to the live map: items dropped and items changed, per list."""

    account: str
    revision: int
    dropped: dict[str, int]
    changed: dict[str, int]


class ErasureService(HistoryService):
    """Subject-access export and erasure of one stakeholder; history retention with the same guarantees."""

    def person(self, account_id: str, stakeholder_id: str) -> dict[str, Any]:
        """Everything the account holds about one stakeholder (for a subject-access request).

        ``items`` are the contract items that name them (their own record, lines, activities, voices),
        ``mentions`` the other items whose free text contains their name (which an erasure does not
        rewrite: edit those by hand first), ``history`` the recorded changes whose subject names them,
        and ``erasures`` how often someone with this id was erased from the account before.
        """
        account_map = self.store.get_map(account_id)
        person = account_map.stakeholder(stakeholder_id)
        if person is None:
            raise StakeholderNotFoundError(stakeholder_id, account_id)
        document = account_map.to_document()
        items = {
            spec.name: [item for item in document[spec.name] if mentions_item(spec.name, item, stakeholder_id)]
            for spec in LISTS
            if spec.name in document
        }
        return {
            "account": account_id,
            "stakeholder": next(i for i in document[PEOPLE] if i["id"] == stakeholder_id),
            "items": {name: found for name, found in items.items() if found and name != PEOPLE},
            "mentions": _mentions(document, stakeholder_id, person.name),
            "history": self._erasure_history_naming(account_id, stakeholder_id),
            "erased_before": self._erasure_count(account_id, stakeholder_id),
        }

    def erase_stakeholder(self, account_id: str, stakeholder_id: str) -> ErasureResult:
        """Forget a stakeholder in the account's live map and whole history; record one nameless erasure."""
        mark = fingerprint(self.store.erasure_salt(), account_id, stakeholder_id)
        counts: dict[str, dict[str, int]] = {}

        def mutate(document: dict[str, Any]) -> None:
            if not any(item["id"] == stakeholder_id for item in document[PEOPLE]):
                raise StakeholderNotFoundError(stakeholder_id, account_id)
            forgotten = forget_in_document(document, stakeholder_id)
            counts.update(_counts(document, forgotten))
            document.update(forgotten)

        revision = 0

        def write(_: AccountMap, expected: int, history: Delta) -> int:
            nonlocal revision
            # The store forgets the person in every earlier state too, so the erasure itself changes
            # nothing between the (forgotten) revision before and the one after: an empty delta.
            revision = self.store.erase_stakeholder(
                account_id,
                stakeholder_id,
                Change(self.actor, ERASE_OPERATION, "", history=replace(history, entries=())),
                fingerprint=mark,
                expected_revision=expected,
            )
            return revision

        self._edit(account_id, mutate, write)
        return ErasureResult(account_id, revision, counts["dropped"], counts["changed"])

    def previously_erased(self, account_map: AccountMap) -> tuple[str, ...]:
        """Ids of the map's stakeholders that were once erased from this account (to flag on import)."""
        return previously_erased(self.store, account_map)

    def _erasure_count(self, account_id: str, stakeholder_id: str) -> int:
        erased = [e.fingerprint for e in self.store.erasures(account_id)]
        if not erased:
            return 0
        mark = fingerprint(self.store.erasure_salt(), account_id, stakeholder_id)
        return erased.count(mark)

    def _erasure_history_naming(self, account_id: str, stakeholder_id: str) -> list[dict[str, Any]]:
        """Every recorded change whose subject names the stakeholder, newest first, from the whole log (a
        subject-access export that stopped at the log's default page would hide the oldest changes)."""
        return [
            {"revision": c.revision, "at": c.at.isoformat(), "actor": c.actor, "operation": c.operation}
            for c in self.store.list_changes(account_id, limit=ALL_CHANGES)
            if subject_names(c.subject, stakeholder_id)
        ]

    # -- retention ----------------------------------------------------------------------------------------

    def apply_retention(self, days: int, *, now: dt.datetime | None = None) -> dict[str, Any]:
        """Prune every account's history older than ``days``, then rewrite the store's files.

        A live account keeps the map in force at the cutoff as its oldest checkpoint
        (:meth:`~powermap.service.history.HistoryService.prune_history`); a deleted account's change
        log, which outlives the account, loses every entry older than the cutoff, and so does the store
        roadmap's change log (its revision never goes back). Then the store scrubs
        its files (SQLite: ``VACUUM`` and WAL truncation), so pruned data is as gone as erased data.
        """
        if days < 1:
            raise InvalidInputError("history retention must be at least 1 day")
        moment = now or dt.datetime.now(dt.UTC)
        cutoff = moment - dt.timedelta(days=days)
        live = {summary.id for summary in self.store.list_accounts()}
        reports: list[dict[str, Any]] = []
        for account_id in sorted(live | set(self.store.change_log_accounts())):
            if account_id in live:
                reports.append(self.prune_history(account_id, older_than_days=days, now=moment))
                continue
            boundary = self.store.revision_at(account_id, cutoff)
            deleted = 0 if boundary is None else self.store.prune_history(account_id, boundary + 1)
            reports.append({"account": account_id, "kept_from": None, "deleted": deleted})
        roadmap = self.store.prune_roadmap_changes(cutoff)  # the store's roadmap keeps a change log too
        self.store.scrub_files()
        return {
            "retention_days": days,
            "cutoff": cutoff.isoformat(),
            "deleted": sum(int(r["deleted"]) for r in reports) + roadmap,
            "accounts": [r for r in reports if r["deleted"]],
            "roadmap_changes_deleted": roadmap,
        }


def previously_erased(store: Store, account_map: AccountMap) -> tuple[str, ...]:
    """Ids of the map's stakeholders that were once erased from its account (an import flags them)."""
    erased = {e.fingerprint for e in store.erasures(account_map.account.id)}
    if not erased:
        return ()
    salt = store.erasure_salt()
    account_id = account_map.account.id
    return tuple(s.id for s in account_map.stakeholders if fingerprint(salt, account_id, s.id) in erased)


def _counts(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    dropped: dict[str, int] = {}
    changed: dict[str, int] = {}
    for spec in LISTS:
        old, new = before.get(spec.name) or [], after.get(spec.name) or []
        if len(old) != len(new):
            dropped[spec.name] = len(old) - len(new)
        differing = sum(1 for item in new if item not in old)
        if differing:
            changed[spec.name] = differing
    return {"dropped": dropped, "changed": changed}


def _mentions(document: Mapping[str, Any], stakeholder_id: str, name: str) -> list[dict[str, Any]]:
    """Other items whose free text contains the person's name: an erasure leaves those to a person."""
    if len(name.strip()) < 2:
        return []
    found: list[dict[str, Any]] = []
    account = document["account"]
    found.extend(
        {"list": "account", "item": account["id"], "field": field}
        for field in _TEXT_FIELDS
        if isinstance(account.get(field), str) and name in account[field] and field != "name"
    )
    for spec in LISTS:
        for item in document.get(spec.name) or []:
            if spec.name == PEOPLE and item.get("id") == stakeholder_id:
                continue
            found.extend(
                {"list": spec.name, "item": item_label(spec.name, item), "field": field}
                for field in _TEXT_FIELDS
                if isinstance(item.get(field), str) and name in item[field]
            )
    return found
